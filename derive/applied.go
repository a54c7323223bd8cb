package derive

import (
	"math/big"

	"github.com/matdiff/matdiff/ast"
)

// frame is where a varying matrix G stands inside a column expression:
// the column is (Mask ∘ (Left G Right)) Col, every part optional (nil: no
// mask, no factor, or G's product is itself a column). jacIn returns the
// Jacobian of that column by the vector variable x, in matrix notation
// whenever dG reaches x through a vector (the three leaves below);
// otherwise it writes the Kronecker form of Magnus and Neudecker.
type frame struct {
	Mask, Left, Right, Col ast.Expr
	// Outer, when set, is the frame whose varying matrix this frame's
	// value M ∘ (L G R) is (Col is then nil): a mask under a product
	// under a mask. The leaves of an inner frame hand their outer frame
	// the leaf its value makes (nested.go).
	Outer *frame
}

// wrap is the frame of G inside L G R standing in f's place: f's left
// factor grows by l on its right, its right factor by r on its left.
func (f frame) wrap(l, r ast.Expr) frame {
	f.Left, f.Right = opt(f.Left, l), opt(r, f.Right)
	return f
}

// opt makes a product of the non-nil factors, or nil when there are none.
func opt(fs ...ast.Expr) ast.Expr {
	var out []ast.Expr
	for _, f := range fs {
		if f != nil {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return mul(out...)
}

// hadamardOpt is a ∘ b, or the one that is not nil.
func (d *deriver) hadamardOpt(a, b ast.Expr) ast.Expr {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return d.hadamard(a, b)
}

// diagOpt is diag(v) of a column v, v itself when it is 1×1, nil for nil.
func (d *deriver) diagOpt(v ast.Expr) ast.Expr {
	if v == nil || d.scalar(v) {
		return v
	}
	return fn("diag", v)
}

func trOpt(e ast.Expr) ast.Expr {
	if e == nil {
		return nil
	}
	return tr(e)
}

// jacIn is the Jacobian of (M ∘ (L G R)) r by x when only G varies.
func (d *deriver) jacIn(f frame, g ast.Expr) (ast.Expr, error) {
	if !d.depends(g) {
		return nil, nil
	}
	if d.scalar(g) {
		js, err := d.jac(g)
		if js == nil || err != nil {
			return nil, err
		}
		return d.inScalar(f, nil, js), nil
	}
	gs := d.shape(g)
	switch g := g.(type) {
	case *ast.Name:
		return d.inColumn(f, &ast.Identity{N: gs.Rows})
	case *ast.Sum:
		return d.inSum(f, g)
	case *ast.Neg:
		j, err := d.jacIn(f, g.X)
		if j == nil || err != nil {
			return nil, err
		}
		return neg(j), nil
	case *ast.Product:
		return d.inProduct(f, g)
	case *ast.Transpose:
		return d.inTranspose(f, g)
	case *ast.Inverse:
		// d(N^-1) = -N^-1 dN N^-1
		inv := &ast.Inverse{X: g.X}
		j, err := d.jacIn(f.wrap(inv, inv), g.X)
		if j == nil || err != nil {
			return nil, err
		}
		return neg(j), nil
	case *ast.Power:
		return d.inPower(f, g)
	case *ast.Hadamard:
		a, err := d.inOperand(f, g, g.X, g.Y)
		if err != nil {
			return nil, err
		}
		b, err := d.inOperand(f, g, g.Y, g.X)
		if err != nil {
			return nil, err
		}
		return add(a, b), nil
	case *ast.ElemDiv:
		// d(U ./ V) = dU ./ V - (U ./ V.^2) ∘ dV
		a, err := d.inOperand(f, g, g.X, d.elemDiv(num(1), g.Y))
		if err != nil {
			return nil, err
		}
		b, err := d.inOperand(f, g, g.Y, neg(d.elemDiv(g.X, d.square(g.Y))))
		if err != nil {
			return nil, err
		}
		return add(a, b), nil
	case *ast.Div:
		return d.jacIn(f, &ast.Product{Factors: []ast.Expr{g.X, pow(g.Y, -1)}})
	case *ast.ElemPower:
		return d.inOperand(f, g, g.X, d.scalePower(g))
	case *ast.Call:
		return d.inCall(f, g)
	}
	return d.inFallback(f, g)
}

// inScalar: a scalar s with Jacobian js (a row) whose differential enters
// as ds C: ((M ∘ (L C R)) r) js; in an inner frame, ds V0 is the varying
// matrix of the outer frame, V0 = M ∘ (L C R).
func (d *deriver) inScalar(f frame, coef, js ast.Expr) ast.Expr {
	base := opt(f.Left, coef, f.Right)
	if f.Mask != nil {
		base = d.hadamardOpt(f.Mask, base)
	}
	if f.Outer != nil {
		return d.inScalar(*f.Outer, base, js)
	}
	return opt(opt(base, f.Col), js)
}

// inColumn: a varying column u with Jacobian ju, dG = du:
// L du (R r) with no mask; (M ∘ (L du c^T)) r = diag(M (c ∘ r)) L du.
func (d *deriver) inColumn(f frame, ju ast.Expr) (ast.Expr, error) {
	if f.Outer != nil {
		return d.nestedColumn(f, ju)
	}
	if f.Mask == nil {
		return opt(f.Left, opt(f.Right, f.Col), ju), nil
	}
	v := opt(f.Mask, d.hadamardOpt(trOpt(f.Right), f.Col))
	return d.scale(v, opt(f.Left, ju)), nil
}

// inRow: a varying row w with jw the Jacobian of w^T:
// c dw R r = c (R r)^T dw^T with no mask; (M ∘ (c dw R)) r =
// diag(c) M diag(r) R^T dw^T.
func (d *deriver) inRow(f frame, jw ast.Expr) (ast.Expr, error) {
	if f.Outer != nil {
		return d.nestedRow(f, jw)
	}
	if f.Mask == nil {
		return opt(f.Left, trOpt(opt(f.Right, f.Col)), jw), nil
	}
	return opt(d.diagOpt(f.Left), f.Mask, d.diagOpt(f.Col), trOpt(f.Right), jw), nil
}

// inDiag: diag(u) of a varying n-vector u with Jacobian ju:
// L diag(du) R r = L diag(R r) du with no mask;
// (M ∘ (L diag(du) R)) r = (L ∘ (M diag(r) R^T)) du.
func (d *deriver) inDiag(f frame, n ast.Dim, ju ast.Expr) (ast.Expr, error) {
	if f.Outer != nil {
		return d.nestedDiag(f, n, ju)
	}
	if f.Mask == nil {
		rr := opt(f.Right, f.Col)
		if rr == nil {
			return nil, notClosed(ju, "the Jacobian of diag(…) by %s is a tensor; use --vec", d.wrt)
		}
		return opt(f.Left, d.diagOpt(rr), ju), nil
	}
	l := f.Left
	if l == nil {
		l = &ast.Identity{N: n}
	}
	return mul(d.hadamardOpt(l, opt(f.Mask, d.diagOpt(f.Col), trOpt(f.Right))), ju), nil
}

// inSum: the terms one by one; a broadcast scalar term t enters as dt 1 1^T.
func (d *deriver) inSum(f frame, g *ast.Sum) (ast.Expr, error) {
	var terms []ast.Expr
	for _, t := range g.Terms {
		if d.scalar(t) {
			jt, err := d.jac(t)
			if err != nil {
				return nil, err
			}
			if jt != nil {
				terms = append(terms, d.inScalar(f, d.onesOf(d.shape(g)), jt))
			}
			continue
		}
		j, err := d.jacIn(f, t)
		if err != nil {
			return nil, err
		}
		terms = append(terms, j)
	}
	return add(terms...), nil
}

// inProduct is the product rule: a chain factor Ci varies between
// L C1 … C(i-1) and C(i+1) … Cm R; a scalar factor a enters as da P/a.
func (d *deriver) inProduct(f frame, g *ast.Product) (ast.Expr, error) {
	factors := d.groupRuns(d.flatten(g.Factors))
	var scalars, chain []ast.Expr
	for _, x := range factors {
		if d.scalar(x) {
			scalars = append(scalars, x)
		} else {
			chain = append(chain, x)
		}
	}
	var terms []ast.Expr
	c := 0
	for i, x := range factors {
		if !d.scalar(x) {
			c++
		}
		if !d.depends(x) {
			continue
		}
		if d.scalar(x) {
			js, err := d.jac(x)
			if err != nil {
				return nil, err
			}
			if js != nil {
				terms = append(terms, d.inScalar(f, prodWithout(factors, i), js))
			}
			continue
		}
		// the scalar factors come out: (M ∘ (L s G R)) r = s (M ∘ (L G R)) r
		j, err := d.jacIn(f.wrap(opt(chain[:c-1]...), opt(chain[c:]...)), x)
		if j == nil || err != nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		terms = append(terms, opt(append(append([]ast.Expr(nil), scalars...), j)...))
	}
	return add(terms...), nil
}

// inTranspose: the transpose of a vector is a leaf; that of a matrix is
// pushed down a level.
func (d *deriver) inTranspose(f frame, g *ast.Transpose) (ast.Expr, error) {
	if t, ok := g.X.(*ast.Transpose); ok {
		return d.jacIn(f, t.X) // (G^T)^T = G
	}
	xs := d.shape(g.X)
	switch {
	case xs.IsVector():
		j, err := d.jac(g.X)
		if j == nil || err != nil {
			return nil, err
		}
		return d.inRow(f, j)
	case xs.IsRow():
		j, err := d.jac(g.X)
		if j == nil || err != nil {
			return nil, err
		}
		return d.inColumn(f, j)
	}
	switch x := g.X.(type) {
	case *ast.Inverse:
		// (N^-1)^T = (N^T)^-1
		return d.jacIn(f, &ast.Inverse{X: tr(x.X)})
	case *ast.Power:
		// (N^k)^T = (N^T)^k
		return d.jacIn(f, &ast.Power{X: tr(x.X), Exp: x.Exp})
	case *ast.Call:
		if x.Func == "diag" && !d.shape(x.Args[0]).IsMatrix() {
			return d.jacIn(f, x) // diag(u)^T = diag(u)
		}
	}
	if p := pushTranspose(g.X); !isTranspose(p) {
		return d.jacIn(f, p)
	}
	return d.inFallback(f, g)
}

// inPower: d(N^k) = Σ N^i dN N^(k-1-i); N^-k is (N^-1)^k.
func (d *deriver) inPower(f frame, g *ast.Power) (ast.Expr, error) {
	if !g.Exp.IsInt() || !g.Exp.Num().IsInt64() {
		return nil, notClosed(g, "only integer powers of a matrix can be differentiated")
	}
	k := g.Exp.Num().Int64()
	if k < 0 {
		return d.jacIn(f, powRat(&ast.Inverse{X: g.X}, new(big.Rat).Neg(g.Exp)))
	}
	if k > 64 {
		return nil, notClosed(g, "the derivative of a matrix power above 64 is too long to write out")
	}
	var terms []ast.Expr
	for i := int64(0); i < k; i++ {
		var l, r ast.Expr
		if i > 0 {
			l = powOrI(g.X, i, nil)
		}
		if k-1-i > 0 {
			r = powOrI(g.X, k-1-i, nil)
		}
		j, err := d.jacIn(f.wrap(l, r), g.X)
		if err != nil {
			return nil, err
		}
		terms = append(terms, j)
	}
	return add(terms...), nil
}

// inOperand: an operand u of the elementwise node g whose differential
// enters as dU ∘ E: a new mask when nothing stands between the masks,
// ds E for a broadcast scalar.
func (d *deriver) inOperand(f frame, g, u, e ast.Expr) (ast.Expr, error) {
	if !d.depends(u) {
		return nil, nil
	}
	if d.scalar(u) && !d.scalar(g) {
		js, err := d.jac(u)
		if js == nil || err != nil {
			return nil, err
		}
		if d.scalar(e) {
			e = mul(e, d.onesOf(d.shape(g)))
		}
		return d.inScalar(f, e, js), nil
	}
	switch {
	case f.Left == nil && f.Right == nil:
		return d.jacIn(frame{Mask: d.hadamardOpt(f.Mask, e), Col: f.Col, Outer: f.Outer}, u)
	case f.Mask == nil && f.Outer == nil:
		// L (E ∘ dU) R r = L ((E ∘ dU) (R r))
		j, err := d.jacIn(frame{Mask: e, Col: opt(f.Right, f.Col)}, u)
		if j == nil || err != nil {
			return nil, err
		}
		return opt(f.Left, j), nil
	}
	// M ∘ (L (E ∘ dU) R): E ∘ dU is the varying matrix of the frame f
	outer := f
	return d.jacIn(frame{Mask: e, Outer: &outer}, u)
}

// inCall: an elementwise function is a mask f'(U); diag and vec of a
// matrix go through their own Jacobians.
func (d *deriver) inCall(f frame, g *ast.Call) (ast.Expr, error) {
	x := g.Args[0]
	xs := d.shape(x)
	if rule, ok := elementwise(g.Func); ok {
		e := rule(d, d.onesOf(xs), x)
		if e == nil {
			return nil, nil
		}
		return d.inOperand(f, g, x, e)
	}
	switch {
	case g.Func == "diag" && (xs.IsVector() || xs.IsRow()):
		u := x
		if xs.IsRow() {
			u = pushTranspose(x)
		}
		ju, err := d.jac(u)
		if ju == nil || err != nil {
			return nil, err
		}
		return d.inDiag(f, d.shape(u).Rows, ju)
	case g.Func == "diag":
		// diag(M) = (I ∘ M) 1
		n := xs.Rows
		j, err := d.jacIn(frame{Mask: &ast.Identity{N: n}, Col: &ast.Ones{N: n}}, x)
		if j == nil || err != nil {
			return nil, err
		}
		return d.inColumn(f, j)
	case g.Func == "vec" && xs.IsVector():
		return d.jacIn(f, x)
	}
	return d.inFallback(f, g)
}

// inFallback writes the Kronecker form of the --vec rules for g (kronIn);
// a vector g is a leaf.
func (d *deriver) inFallback(f frame, g ast.Expr) (ast.Expr, error) {
	j, err := d.vjac(g)
	if j == nil || err != nil {
		return nil, err
	}
	gs := d.shape(g)
	switch {
	case gs.IsVector():
		return d.inColumn(f, j)
	case gs.IsRow():
		return d.inRow(f, j)
	}
	return d.kronIn(f, gs, j)
}

// kronIn is the Kronecker form for a varying matrix G of shape gs with
// vec(dG) = J dx: vec((M ∘ (L dG R)) r) = (r^T ⊗ I) diag(vec(M))
// (R^T ⊗ L) vec(dG); an inner frame hands the vec of its value on.
func (d *deriver) kronIn(f frame, gs ast.Shape, j ast.Expr) (ast.Expr, error) {
	var s ast.Expr // scalar factors standing in L or R
	if f.Left != nil && d.scalar(f.Left) {
		s, f.Left = f.Left, nil
	}
	if f.Right != nil && d.scalar(f.Right) {
		s, f.Right = opt(s, f.Right), nil
	}
	var lr ast.Expr
	switch {
	case f.Left == nil && f.Right == nil:
	case f.Right == nil:
		lr = &ast.Kron{X: &ast.Identity{N: gs.Cols}, Y: f.Left}
	case f.Left == nil:
		lr = &ast.Kron{X: tr(f.Right), Y: &ast.Identity{N: gs.Rows}}
	default:
		lr = &ast.Kron{X: tr(f.Right), Y: f.Left}
	}
	var m, c ast.Expr
	if f.Mask != nil {
		if d.scalar(f.Mask) {
			s = opt(s, f.Mask)
		} else {
			m = fn("diag", d.vecOf(f.Mask))
		}
	}
	if f.Outer != nil {
		vs := gs
		if f.Left != nil {
			vs.Rows = d.shape(f.Left).Rows
		}
		if f.Right != nil {
			vs.Cols = d.shape(f.Right).Cols
		}
		jv := opt(s, m, lr, unlessIdentity(j))
		if jv == nil {
			jv = j
		}
		switch {
		case vs.IsVector():
			return d.inColumn(*f.Outer, jv)
		case vs.IsRow():
			return d.inRow(*f.Outer, jv)
		}
		return d.kronIn(*f.Outer, vs, jv)
	}
	if f.Col != nil && !d.scalar(f.Col) {
		k := gs.Rows
		if f.Left != nil {
			k = d.shape(f.Left).Rows
		}
		c = &ast.Kron{X: tr(f.Col), Y: &ast.Identity{N: k}}
	} else if f.Col != nil {
		c = f.Col
	}
	out := opt(s, c, m, lr, unlessIdentity(j))
	if out == nil {
		return j, nil
	}
	return out, nil
}
