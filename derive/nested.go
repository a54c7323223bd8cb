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
	// vec(diag(dv)) = diag(vec(I)) (1 ⊗ I) dv
	id := &ast.Identity{N: n}
	return d.kronIn(f, ast.Shape{Rows: n, Cols: n},
		mul(fn("diag", fn("vec", id)), &ast.Kron{X: &ast.Ones{N: n}, Y: id}, unlessIdentity(jv)))
}
