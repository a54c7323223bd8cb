package derive

import "github.com/matdiff/matdiff/ast"

// An inner frame's value V = M ∘ (L G R) is the varying matrix of its
// outer frame. When dG reaches x through a vector, V is itself a leaf of
// the outer frame: the rules below say which, with the identities
// M ∘ (u v^T) = diag(u) M diag(v) and M ∘ (diag(w) N) = diag(w) (M ∘ N),
// so that the outer frame's leaves write the matrix form. A diag leaf
// between two factors under a mask has none of these forms and falls back
// to the Kronecker form.

// splitMask returns a frame's mask as a matrix mask or, when it is 1×1,
// as a scalar factor.
func (d *deriver) splitMask(m ast.Expr) (mask, s ast.Expr) {
	if m != nil && d.scalar(m) {
		return nil, m
	}
	return m, nil
}

// orIdentity is e, s I_n for a scalar e, I_n for nil.
func orIdentity(d *deriver, e ast.Expr, n ast.Dim) ast.Expr {
	switch {
	case e == nil:
		return &ast.Identity{N: n}
	case d.scalar(e):
		return mul(e, &ast.Identity{N: n})
	}
	return e
}

// nestedColumn: dG = du in an inner frame. s L du R (no mask) is a column
// leaf L du of the outer frame, R joining its right factor;
// M ∘ (L du r) = diag(M) r L du when V is a column; and
// M ∘ (L du c^T) = diag(L du) M diag(c) is diag(L du) of the outer frame.
func (d *deriver) nestedColumn(f frame, ju ast.Expr) (ast.Expr, error) {
	f = d.unmask(f)
	o := *f.Outer
	m, s := d.splitMask(f.Mask)
	lu := opt(f.Left, ju) // the Jacobian of L du
	switch {
	case m == nil:
		o.Right = opt(f.Right, o.Right)
		return d.inColumn(o, opt(s, lu))
	case f.Right == nil || d.scalar(f.Right):
		return d.inColumn(o, opt(f.Right, d.diagOpt(m), lu))
	}
	o.Right = opt(m, d.diagOpt(tr(f.Right)), o.Right)
	return d.inDiag(o, d.shape(m).Rows, lu)
}

// nestedRow: dG = dw^T in an inner frame. s L dw^T R (no mask) is the row
// leaf (R^T dw)^T of the outer frame, L joining its left factor;
// M ∘ (l dw^T R) = l (diag(M^T) R^T dw)^T when V is a row; and
// M ∘ (c dw^T R) = diag(c) M diag(R^T dw) is diag(R^T dw) of the outer
// frame.
func (d *deriver) nestedRow(f frame, jw ast.Expr) (ast.Expr, error) {
	f = d.unmask(f)
	o := *f.Outer
	m, s := d.splitMask(f.Mask)
	rw := opt(trOpt(f.Right), jw) // the Jacobian of R^T dw
	switch {
	case m == nil:
		o.Left = opt(o.Left, s, f.Left)
		return d.inRow(o, rw)
	case f.Left == nil || d.scalar(f.Left):
		return d.inRow(o, opt(f.Left, d.diagOpt(tr(m)), rw))
	}
	o.Left = opt(o.Left, d.diagOpt(f.Left), m)
	return d.inDiag(o, d.shape(m).Cols, rw)
}

// nestedDiag: dG = diag(dv) of an n-vector in an inner frame.
// s L diag(dv) R (no mask) is diag(dv) of the outer frame between L and R;
// M ∘ (l diag(dv) R) = diag(dv) (M ∘ (l R)) for a scalar or no l, and
// M ∘ (L diag(dv) r) = (M ∘ (L r)) diag(dv); a column r beside diag(dv)
// makes a column leaf, a row l^T a row leaf; otherwise the Kronecker form.
func (d *deriver) nestedDiag(f frame, n ast.Dim, jv ast.Expr) (ast.Expr, error) {
	f = d.unmask(f)
	switch {
	case f.Right != nil && d.shape(f.Right).IsVector():
		// diag(dv) r = diag(r) dv: a column leaf
		g := f
		g.Left, g.Right = opt(f.Left, d.diagOpt(f.Right)), nil
		return d.nestedColumn(g, jv)
	case f.Left != nil && d.shape(f.Left).IsRow():
		// l^T diag(dv) = (diag(l) dv)^T: a row leaf
		g := f
		g.Left = nil
		return d.nestedRow(g, opt(d.diagOpt(tr(f.Left)), jv))
	}
	o := *f.Outer
	m, s := d.splitMask(f.Mask)
	switch {
	case m == nil:
		o.Left, o.Right = opt(o.Left, s, f.Left), opt(f.Right, o.Right)
		return d.inDiag(o, n, jv)
	case f.Left == nil || d.scalar(f.Left):
		o.Right = opt(d.hadamard(m, opt(f.Left, orIdentity(d, f.Right, n))), o.Right)
		return d.inDiag(o, n, jv)
	case f.Right == nil || d.scalar(f.Right):
		o.Left = opt(o.Left, d.hadamard(m, opt(f.Right, orIdentity(d, f.Left, n))))
		return d.inDiag(o, n, jv)
	}
	if g, jw, ok := d.peelDiag(f, jv); ok {
		return d.nestedDiag(g, n, jw)
	}
	if g, jw, col, ok := d.peelOuter(f, jv); ok {
		if col {
			return d.nestedColumn(g, jw)
		}
		return d.nestedRow(g, jw)
	}
	// vec(diag(dv)) = diag(vec(I)) (1 ⊗ I) dv
	id := &ast.Identity{N: n}
	return d.kronIn(f, ast.Shape{Rows: n, Cols: n},
		mul(fn("diag", fn("vec", id)), &ast.Kron{X: &ast.Ones{N: n}, Y: id}, unlessIdentity(jv)))
}

// chain is a product's scalar factors and its chain of matrix factors,
// nested products and transposes of products spliced in.
func (d *deriver) chain(e ast.Expr) (scalars, chain []ast.Expr) {
	var walk func(ast.Expr)
	walk = func(e ast.Expr) {
		switch x := e.(type) {
		case *ast.Product:
			if !d.scalar(x) {
				for _, f := range x.Factors {
					walk(f)
				}
				return
			}
		case *ast.Transpose:
			if p, ok := pushTranspose(x.X).(*ast.Product); ok && !d.scalar(p) {
				walk(p)
				return
			}
		}
		if d.scalar(e) {
			scalars = append(scalars, e)
		} else {
			chain = append(chain, e)
		}
	}
	walk(e)
	return scalars, chain
}

// diagArg is c for diag(c) of a vector c, 1 for an identity, else nil.
func (d *deriver) diagArg(e ast.Expr) ast.Expr {
	switch x := e.(type) {
	case *ast.Call:
		if x.Func == "diag" && d.shape(x.Args[0]).IsVector() {
			return x.Args[0]
		}
	case *ast.Identity:
		return num(1)
	}
	return nil
}

// peelDiag: L diag(c) diag(dv) R -> L diag(c ∘ dv) R, and diag(dv)
// diag(c) R the same; it returns the frame without diag(c) and the
// Jacobian diag(c) J of c ∘ dv.
func (d *deriver) peelDiag(f frame, jv ast.Expr) (frame, ast.Expr, bool) {
	if f.Left != nil {
		sc, ch := d.chain(f.Left)
		if len(ch) > 0 {
			if c := d.diagArg(ch[len(ch)-1]); c != nil {
				f.Left = opt(append(sc, ch[:len(ch)-1]...)...)
				return f, opt(d.diagOpt(c), jv), true
			}
		}
	}
	if f.Right != nil {
		sc, ch := d.chain(f.Right)
		if len(ch) > 0 {
			if c := d.diagArg(ch[0]); c != nil {
				f.Right = opt(append(sc, ch[1:]...)...)
				return f, opt(d.diagOpt(c), jv), true
			}
		}
	}
	return f, nil, false
}

// outerMasked writes a Hadamard product with outer-product operands,
// (u v^T) ∘ N, as diag(u) N diag(v).
func (d *deriver) outerMasked(e ast.Expr) (u, n, v ast.Expr, ok bool) {
	if _, isH := e.(*ast.Hadamard); !isH || !d.shape(e).IsMatrix() {
		return nil, nil, nil, false
	}
	var rest, us, vs []ast.Expr
	for _, m := range d.hadamardOperands(e) {
		if u, v, ok := d.outerOrScalar(m, false); ok {
			us, vs = append(us, u), append(vs, v)
			continue
		}
		rest = append(rest, m)
	}
	if len(us) == 0 || len(rest) == 0 {
		return nil, nil, nil, false
	}
	n = rest[0]
	for _, m := range rest[1:] {
		n = d.hadamard(n, m)
	}
	u, v = us[0], vs[0]
	for i := 1; i < len(us); i++ {
		u, v = d.hadamard(u, us[i]), d.hadamard(v, vs[i])
	}
	return u, n, v, true
}

// peelOuter: a factor beside diag(dv) that is an outer product makes a
// simpler leaf: c w^T diag(dv) R -> c (diag(w) dv)^T R, a row leaf, and
// L diag(dv) u w^T -> (L diag(u)) dv w^T, a column leaf; it returns the
// leaf's frame and Jacobian, and whether it is a column leaf.
func (d *deriver) peelOuter(f frame, jv ast.Expr) (g frame, j ast.Expr, col, ok bool) {
	if f.Right != nil && d.shape(f.Right).IsMatrix() {
		if u, w, ok := d.outer(f.Right, true); ok {
			g := f
			g.Left, g.Right = opt(f.Left, d.diagOpt(u)), tr(w)
			return g, jv, true, true
		}
	}
	if f.Left != nil && d.shape(f.Left).IsMatrix() {
		if c, w, ok := d.outer(f.Left, true); ok {
			g := f
			g.Left = c
			return g, opt(d.diagOpt(w), jv), false, true
		}
	}
	return f, nil, false, false
}

// unmask: a mask that is an outer product leaves the frame,
// (u v^T) ∘ (L G R) = diag(u) L G R diag(v).
func (d *deriver) unmask(f frame) frame {
	if f.Mask == nil || !d.shape(f.Mask).IsMatrix() {
		return f
	}
	if u, v, ok := d.outer(f.Mask, false); ok {
		f.Mask, f.Left, f.Right = nil, opt(d.diagOpt(u), f.Left), opt(f.Right, d.diagOpt(v))
		return f
	}
	// (u v^T) ∘ N ∘ (L G R) = diag(u) (N ∘ (L G R)) diag(v)
	if u, n, v, ok := d.outerMasked(f.Mask); ok {
		f.Mask, f.Left, f.Right = n, opt(d.diagOpt(u), f.Left), opt(f.Right, d.diagOpt(v))
	}
	return f
}

// hadamardOperands lists the operands of a Hadamard product, nested ones
// spliced in.
func (d *deriver) hadamardOperands(m ast.Expr) []ast.Expr {
	if h, ok := m.(*ast.Hadamard); ok {
		return append(d.hadamardOperands(h.X), d.hadamardOperands(h.Y)...)
	}
	return []ast.Expr{m}
}

// outer writes a matrix m as u v^T when it is one: a product of a column
// and a row (deep: any product with an outer-product factor), and
// Hadamard products, quotients, integer powers, transposes and negations
// of outer products.
func (d *deriver) outer(m ast.Expr, deep bool) (u, v ast.Expr, ok bool) {
	switch x := m.(type) {
	case *ast.Product:
		sc, ch := d.chain(x)
		for k := 1; k < len(ch); k++ {
			if d.shape(mul(ch[:k]...)).IsVector() {
				return opt(append(sc, ch[:k]...)...), pushTranspose(mul(ch[k:]...)), true
			}
		}
		// P (u w^T) Q = (P u) (Q^T w)^T, for the factors beside diag(dv)
		// only: a mask written so is no shorter
		for k, c := range ch {
			if !deep {
				break
			}
			if !d.shape(c).IsMatrix() {
				continue
			}
			if u, w, ok := d.outer(c, deep); ok {
				var q ast.Expr
				if k+1 < len(ch) {
					q = pushTranspose(mul(ch[k+1:]...))
				}
				return opt(append(append(sc, ch[:k]...), u)...), opt(q, w), true
			}
		}
	case *ast.Transpose:
		if u, v, ok := d.outer(x.X, deep); ok {
			return v, u, true
		}
	case *ast.Neg:
		if u, v, ok := d.outer(x.X, deep); ok {
			return neg(u), v, true
		}
	case *ast.Hadamard:
		return d.outerPair(x.X, x.Y, d.hadamard, deep)
	case *ast.ElemDiv:
		return d.outerPair(x.X, x.Y, d.elemDiv, deep)
	case *ast.ElemPower:
		if x.Exp.IsInt() {
			if u, v, ok := d.outer(x.X, deep); ok {
				return &ast.ElemPower{X: u, Exp: x.Exp}, &ast.ElemPower{X: v, Exp: x.Exp}, true
			}
		}
	case *ast.Power:
		// (u v^T)^k = (v^T u)^(k-1) u v^T
		if x.Exp.IsInt() && x.Exp.Sign() > 0 {
			if u, v, ok := d.outer(x.X, deep); ok {
				k := minus(x.Exp, 1)
				if k.Sign() == 0 {
					return u, v, true
				}
				return mul(powRat(mul(tr(v), u), k), u), v, true
			}
		}
	}
	return nil, nil, false
}

// outerPair: (a b^T) op (c e^T) = (a op c) (b op e)^T for an elementwise
// op; a scalar operand s is s 1^T (u = s, v = 1).
func (d *deriver) outerPair(x, y ast.Expr, op func(a, b ast.Expr) ast.Expr, deep bool) (u, v ast.Expr, ok bool) {
	ux, vx, okx := d.outerOrScalar(x, deep)
	uy, vy, oky := d.outerOrScalar(y, deep)
	if !okx || !oky {
		return nil, nil, false
	}
	return op(ux, uy), op(vx, vy), true
}

// outerOrScalar is outer, with a scalar s written as s times 1 1 (u = s,
// v = 1).
func (d *deriver) outerOrScalar(x ast.Expr, deep bool) (u, v ast.Expr, ok bool) {
	if d.scalar(x) {
		return x, num(1), true
	}
	return d.outer(x, deep)
}
