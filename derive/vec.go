package derive

import (
	"math/big"

	"github.com/matdiff/matdiff/ast"
)

// vecJacobian returns ∂vec(e)/∂vec(X)^T (numerator layout, as Magnus and
// Neudecker write it), with Kronecker products: vec(L dX R) = (R^T ⊗ L)
// vec(dX).
func (d *deriver) vecJacobian(e ast.Expr) (ast.Expr, error) {
	v := d.info.Vars[d.wrt]
	if v.Kind == ast.KindSymmetric {
		return nil, notClosed(e, "--vec by the symmetric %s needs the duplication matrix, which matdiff cannot write yet", d.wrt)
	}
	j, err := d.vjac(e)
	if err != nil {
		return nil, err
	}
	if j == nil {
		s := d.shape(e)
		return &ast.Zero{Shape: ast.Shape{Rows: s.Rows.Times(s.Cols), Cols: v.Shape.Rows.Times(v.Shape.Cols)}}, nil
	}
	return j, nil
}

// identityOf returns I of size rows·cols written as I_cols ⊗ I_rows, so
// that each factor's size can be named.
func identityOf(s ast.Shape) ast.Expr {
	switch {
	case s.Cols.IsOne():
		return &ast.Identity{N: s.Rows}
	case s.Rows.IsOne():
		return &ast.Identity{N: s.Cols}
	}
	return &ast.Kron{X: &ast.Identity{N: s.Cols}, Y: &ast.Identity{N: s.Rows}}
}

// vecOf is vec(e), or e itself for a column.
func (d *deriver) vecOf(e ast.Expr) ast.Expr {
	s := d.shape(e)
	switch {
	case s.Cols.IsOne():
		return e
	case s.Rows.IsOne():
		return tr(e)
	}
	return fn("vec", e)
}

func (d *deriver) vjac(e ast.Expr) (ast.Expr, error) {
	if !d.depends(e) {
		return nil, nil
	}
	out, err := d.vjacNode(e)
	if err == nil && out != nil {
		d.step("vec-jacobian", e, out)
	}
	return out, err
}

func (d *deriver) vjacNode(e ast.Expr) (ast.Expr, error) {
	s := d.shape(e)
	if s.IsScalar() {
		g, err := d.gradient(e)
		if err != nil {
			return nil, err
		}
		return tr(d.vecOf(g)), nil
	}
	switch e := e.(type) {
	case *ast.Name:
		return identityOf(s), nil
	case *ast.Sum:
		var terms []ast.Expr
		for _, t := range e.Terms {
			j, err := d.vjac(t)
			if err != nil {
				return nil, err
			}
			if j != nil && d.scalar(t) {
				j = mul(&ast.Ones{N: s.Rows.Times(s.Cols)}, j)
			}
			terms = append(terms, j)
		}
		return add(terms...), nil
	case *ast.Neg:
		j, err := d.vjac(e.X)
		if j == nil || err != nil {
			return nil, err
		}
		return neg(j), nil
	case *ast.Product:
		return d.vjacProduct(e)
	case *ast.Hadamard:
		a, err := d.vjac(e.X)
		if err != nil {
			return nil, err
		}
		b, err := d.vjac(e.Y)
		if err != nil {
			return nil, err
		}
		var ta, tb ast.Expr
		if a != nil {
			ta = d.vscale(e.Y, a, e.X)
		}
		if b != nil {
			tb = d.vscale(e.X, b, e.Y)
		}
		return add(ta, tb), nil
	case *ast.Div:
		a, err := d.vjac(e.X)
		if err != nil {
			return nil, err
		}
		b, err := d.vjac(e.Y)
		if err != nil {
			return nil, err
		}
		var ta, tb ast.Expr
		if a != nil {
			ta = mul(pow(e.Y, -1), a)
		}
		if b != nil {
			tb = mul(num(-1), pow(e.Y, -2), d.vecOf(e.X), b)
		}
		return add(ta, tb), nil
	case *ast.Transpose:
		return d.vjacTranspose(e)
	case *ast.ElemDiv:
		return d.vjacElemDiv(e)
	case *ast.Kron:
		return d.vjacKron(e)
	case *ast.Inverse:
		j, err := d.vjac(e.X)
		if j == nil || err != nil {
			return nil, err
		}
		inv := &ast.Inverse{X: e.X}
		return mul(num(-1), &ast.Kron{X: tr(inv), Y: inv}, unlessIdentity(j)), nil
	case *ast.Power:
		if e.Exp.IsInt() && e.Exp.Sign() < 0 {
			// X^-k = (X^-1)^k
			k := new(big.Rat).Neg(e.Exp)
			return d.vjac(powRat(&ast.Inverse{X: e.X}, k))
		}
		if !e.Exp.IsInt() || e.Exp.Sign() <= 0 || !e.Exp.Num().IsInt64() || e.Exp.Num().Int64() > 64 {
			break
		}
		j, err := d.vjac(e.X)
		if j == nil || err != nil {
			return nil, err
		}
		k := e.Exp.Num().Int64()
		n := d.shape(e.X).Rows
		var terms []ast.Expr
		for i := int64(0); i < k; i++ {
			left := powOrI(tr(e.X), k-1-i, n)
			right := powOrI(e.X, i, n)
			terms = append(terms, mul(&ast.Kron{X: left, Y: right}, unlessIdentity(j)))
		}
		return add(terms...), nil
	case *ast.ElemPower:
		j, err := d.vjac(e.X)
		if j == nil || err != nil {
			return nil, err
		}
		p := minus(e.Exp, 1)
		f := mul(&ast.Number{Value: e.Exp}, &ast.ElemPower{X: e.X, Exp: p})
		return mul(fn("diag", d.vecOf(f)), unlessIdentity(j)), nil
	case *ast.Call:
		x := e.Args[0]
		if f, ok := ast.Funcs[e.Func]; ok && f.Kind == ast.VectorMap {
			j, err := d.vjac(x)
			if j == nil || err != nil {
				return nil, err
			}
			return d.tangentCall(e, j, true)
		}
		if rule, ok := elementwise(e.Func); ok {
			j, err := d.vjac(x)
			if j == nil || err != nil {
				return nil, err
			}
			f := rule(d, d.onesOf(d.shape(x)), x)
			if f == nil {
				return nil, nil
			}
			return mul(fn("diag", d.vecOf(f)), unlessIdentity(j)), nil
		}
		if e.Func == "vec" {
			return d.vjac(x)
		}
		if e.Func == "diag" {
			return d.vjacDiag(e, x)
		}
	}
	return nil, notClosed(e, "--vec through this expression is not available in closed form yet")
}

// vscale is diag(vec(f)) J for the elementwise product with f, or f J when
// f is a scalar, or vec(f) J when the varying operand is a broadcast scalar.
func (d *deriver) vscale(f, j, varying ast.Expr) ast.Expr {
	switch {
	case d.scalar(f):
		return mul(f, j)
	case d.scalar(varying):
		return mul(d.vecOf(f), j)
	}
	return mul(fn("diag", d.vecOf(f)), unlessIdentity(j))
}

// onesOf is the all-ones value of a shape: 1, 1 or 1 1^T.
func (d *deriver) onesOf(s ast.Shape) ast.Expr {
	switch {
	case s.IsScalar():
		return num(1)
	case s.Cols.IsOne():
		return &ast.Ones{N: s.Rows}
	case s.Rows.IsOne():
		return tr(&ast.Ones{N: s.Cols})
	}
	return mul(&ast.Ones{N: s.Rows}, tr(&ast.Ones{N: s.Cols}))
}

// unlessIdentity drops an identity factor from a product.
func unlessIdentity(j ast.Expr) ast.Expr {
	if isIdentity(j) {
		return nil
	}
	return j
}

// isIdentity reports whether e is I or a Kronecker product of identities.
func isIdentity(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Identity:
		return true
	case *ast.Kron:
		return isIdentity(e.X) && isIdentity(e.Y)
	}
	return false
}

func powOrI(x ast.Expr, k int64, n ast.Dim) ast.Expr {
	switch k {
	case 0:
		return &ast.Identity{N: n}
	case 1:
		return x
	}
	return pow(x, k)
}

// vjacProduct: vec(s L C R) = s (R^T ⊗ L) vec(C) for a chain factor C, and
// vec(P/a) ∂a/∂vec(X)^T for a scalar factor a.
func (d *deriver) vjacProduct(p *ast.Product) (ast.Expr, error) {
	var scalars, chain []ast.Expr
	for _, f := range p.Factors {
		if d.scalar(f) {
			scalars = append(scalars, f)
		} else {
			chain = append(chain, f)
		}
	}
	var terms []ast.Expr
	c := -1 // f's place in the chain, counted, not looked up: one node may stand twice
	for i, f := range p.Factors {
		if !d.scalar(f) {
			c++
		}
		if !d.depends(f) {
			continue
		}
		j, err := d.vjac(f)
		if err != nil {
			return nil, err
		}
		if j == nil {
			continue
		}
		if d.scalar(f) {
			terms = append(terms, mul(d.vecOf(prodWithout(p.Factors, i)), j))
			continue
		}
		fs := d.shape(f)
		var left, right ast.Expr
		if c > 0 {
			left = mul(chain[:c]...)
		}
		if c < len(chain)-1 {
			right = tr(mul(chain[c+1:]...))
		}
		var k ast.Expr
		switch {
		case left == nil && right == nil:
			k = nil
		case right == nil && fs.Cols.IsOne():
			k = left // I_1 ⊗ L = L
		case left == nil && fs.Rows.IsOne():
			k = right // R^T ⊗ I_1 = R^T
		case left == nil:
			k = &ast.Kron{X: right, Y: &ast.Identity{N: fs.Rows}}
		case right == nil:
			k = &ast.Kron{X: &ast.Identity{N: fs.Cols}, Y: left}
		default:
			k = &ast.Kron{X: right, Y: left}
		}
		j = unlessIdentity(j) // ∂vec(X)/∂vec(X)^T = I
		fsAll := append(append([]ast.Expr(nil), scalars...), k, j)
		if k == nil && j == nil {
			fsAll = append(fsAll, identityOf(fs))
		}
		terms = append(terms, mul(fsAll...))
	}
	return add(terms...), nil
}

// vjacTranspose: vec(dF^T) = K_{m,n} vec(dF) for an m×n F; the vec of a
// vector's transpose is the vector itself.
func (d *deriver) vjacTranspose(e *ast.Transpose) (ast.Expr, error) {
	j, err := d.vjac(e.X)
	if j == nil || err != nil {
		return nil, err
	}
	s := d.shape(e.X)
	if !s.IsMatrix() {
		return j, nil
	}
	k, err := d.commOf(e, s)
	if err != nil {
		return nil, err
	}
	return mul(k, unlessIdentity(j)), nil
}

// commOf is K_{m,n} for an m×n operand, its sizes named by dimensions of
// variables.
func (d *deriver) commOf(at ast.Expr, s ast.Shape) (ast.Expr, error) {
	m, n := d.dimension(s.Rows), d.dimension(s.Cols)
	if m == nil || n == nil {
		return nil, notClosed(at, "--vec through this transpose needs a commutation matrix of size %v, which no variable's size names", s)
	}
	return &ast.Comm{M: m, N: n, DM: s.Rows, DN: s.Cols}, nil
}

// dimension is rows(V) or cols(V) for the first variable V with the size
// n, or nil.
func (d *deriver) dimension(n ast.Dim) *ast.Dimension {
	for _, name := range d.info.Order {
		v := d.info.Vars[name]
		if v.Shape.Rows.Equal(n) {
			return &ast.Dimension{X: &ast.Name{Name: name}}
		}
		if v.Shape.Cols.Equal(n) {
			return &ast.Dimension{Cols: true, X: &ast.Name{Name: name}}
		}
	}
	return nil
}

// vjacElemDiv: vec(d(U ./ V)) = diag(vec(1 ./ V)) vec(dU) - diag(vec(U ./ V.^2)) vec(dV).
func (d *deriver) vjacElemDiv(e *ast.ElemDiv) (ast.Expr, error) {
	a, err := d.vjac(e.X)
	if err != nil {
		return nil, err
	}
	b, err := d.vjac(e.Y)
	if err != nil {
		return nil, err
	}
	var ta, tb ast.Expr
	if a != nil {
		ta = d.vscale(d.elemDiv(num(1), e.Y), a, e.X)
	}
	if b != nil {
		tb = neg(d.vscale(d.elemDiv(e.X, d.square(e.Y)), b, e.Y))
	}
	return add(ta, tb), nil
}

// vjacDiag: diag(du) of a vector is vec(I ∘ du 1^T) = diag(vec(I)) (1 ⊗ I)
// du; diag(dM) of a square matrix is (dM ∘ I) 1 = (1^T ⊗ I) diag(vec(I))
// vec(dM).
func (d *deriver) vjacDiag(e *ast.Call, x ast.Expr) (ast.Expr, error) {
	j, err := d.vjac(x)
	if j == nil || err != nil {
		return nil, err
	}
	xs := d.shape(x)
	switch {
	case xs.IsScalar():
		return j, nil
	case xs.IsVector() || xs.IsRow():
		n := xs.Rows
		if xs.IsRow() {
			n = xs.Cols
		}
		id := &ast.Identity{N: n}
		return mul(fn("diag", fn("vec", id)), &ast.Kron{X: &ast.Ones{N: n}, Y: id}, unlessIdentity(j)), nil
	}
	id := &ast.Identity{N: xs.Rows}
	return mul(&ast.Kron{X: tr(&ast.Ones{N: xs.Rows}), Y: id}, fn("diag", fn("vec", id)), unlessIdentity(j)), nil
}

// vjacKron: vec(A ⊗ B) = (I_n ⊗ K_{q,m} ⊗ I_p) (vec(A) ⊗ vec(B)) for A m×n
// and B p×q, so vec(dA ⊗ B) = T (I_mn ⊗ vec(B)) vec(dA) and
// vec(A ⊗ dB) = T (vec(A) ⊗ I_pq) vec(dB); T is the identity when n = 1 or
// q = 1.
func (d *deriver) vjacKron(e *ast.Kron) (ast.Expr, error) {
	ja, err := d.vjac(e.X)
	if err != nil {
		return nil, err
	}
	jb, err := d.vjac(e.Y)
	if err != nil {
		return nil, err
	}
	as, bs := d.shape(e.X), d.shape(e.Y)
	var t ast.Expr
	if !as.Cols.IsOne() && !bs.Cols.IsOne() && !as.Rows.IsOne() && !bs.Rows.IsOne() {
		k, err := d.commOf(e, ast.Shape{Rows: bs.Cols, Cols: as.Rows})
		if err != nil {
			return nil, err
		}
		t = &ast.Kron{X: &ast.Kron{X: &ast.Identity{N: as.Cols}, Y: k}, Y: &ast.Identity{N: bs.Rows}}
	}
	var ta, tb ast.Expr
	if ja != nil {
		ta = mul(t, d.kronVec(identityOf(as), d.vecOf(e.Y)), unlessIdentity(ja))
	}
	if jb != nil {
		tb = mul(t, d.kronVec(d.vecOf(e.X), identityOf(bs)), unlessIdentity(jb))
	}
	return add(ta, tb), nil
}

// kronVec is a ⊗ b, or the product when either is 1×1.
func (d *deriver) kronVec(a, b ast.Expr) ast.Expr {
	if d.scalar(a) || d.scalar(b) {
		return mul(a, b)
	}
	return &ast.Kron{X: a, Y: b}
}
