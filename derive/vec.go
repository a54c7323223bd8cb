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
		return nil, notClosed(e, "--vec through a transpose of an expression in %s needs the commutation matrix, which matdiff cannot write yet", d.wrt)
	case *ast.Inverse:
		j, err := d.vjac(e.X)
		if j == nil || err != nil {
			return nil, err
		}
		inv := &ast.Inverse{X: e.X}
		return mul(num(-1), &ast.Kron{X: tr(inv), Y: inv}, unlessIdentity(j)), nil
	case *ast.Power:
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
		p := new(big.Rat).Sub(e.Exp, big.NewRat(1, 1))
		f := mul(&ast.Number{Value: e.Exp}, &ast.ElemPower{X: e.X, Exp: p})
		return mul(fn("diag", d.vecOf(f)), unlessIdentity(j)), nil
	case *ast.Call:
		x := e.Args[0]
		if rule, ok := elementwise[e.Func]; ok {
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
	return mul(fn("diag", d.vecOf(f)), j)
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
	for i, f := range p.Factors {
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
		c := 0
		for chain[c] != f {
			c++
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
