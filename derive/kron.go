package derive

import "github.com/matdiff/matdiff/ast"

// kronTerm is s (P ⊗ Q), s a scalar factor or nil.
type kronTerm struct {
	S, P, Q ast.Expr
}

// backKron: when the adjoint of X ⊗ Y is a sum of Kronecker products
// s (P ⊗ Q) of X's and Y's shapes, X̄ = Σ s ⟨Q, Y⟩ P and Ȳ = Σ s ⟨P, X⟩ Q;
// for two vectors x ⊗ y = vec(y x^T), x̄ = (I ⊗ y^T) ḡ and ȳ = (x^T ⊗ I) ḡ.
func (d *deriver) backKron(e *ast.Kron, bar ast.Expr, pass func(string, ast.Expr, ast.Expr) error) error {
	xs, ys := d.shape(e.X), d.shape(e.Y)
	var xb, yb ast.Expr
	if terms, ok := d.kronTerms(bar, xs, ys); ok {
		var xt, yt []ast.Expr
		for _, t := range terms {
			xt = append(xt, opt(t.S, d.inner(t.Q, e.Y), t.P))
			yt = append(yt, opt(t.S, d.inner(t.P, e.X), t.Q))
		}
		xb, yb = add(xt...), add(yt...)
	} else {
		switch {
		case xs.IsVector() && ys.IsVector():
			xb = mul(&ast.Kron{X: &ast.Identity{N: xs.Rows}, Y: tr(e.Y)}, bar)
			yb = mul(&ast.Kron{X: tr(e.X), Y: &ast.Identity{N: ys.Rows}}, bar)
		case xs.IsRow() && ys.IsRow():
			xb = tr(mul(&ast.Kron{X: &ast.Identity{N: xs.Cols}, Y: e.Y}, tr(bar)))
			yb = tr(mul(&ast.Kron{X: e.X, Y: &ast.Identity{N: ys.Cols}}, tr(bar)))
		default:
			return notClosed(e, "the gradient through this Kronecker product needs its adjoint as a sum of Kronecker products, which matdiff cannot find here")
		}
	}
	if d.depends(e.X) {
		if err := pass("kronecker", e.X, xb); err != nil {
			return err
		}
	}
	if d.depends(e.Y) {
		return pass("kronecker", e.Y, yb)
	}
	return nil
}

// kronTerms writes e as Σ s (P ⊗ Q) with P of shape ps and Q of shape qs:
// Kronecker products, their transposes, sums, scalar multiples, mixed
// products (A ⊗ B)(C ⊗ D) = AC ⊗ BD, and identities and ones of a
// product size.
func (d *deriver) kronTerms(e ast.Expr, ps, qs ast.Shape) ([]kronTerm, bool) {
	es := d.shape(e)
	if !es.Rows.Equal(qs.Rows.Times(ps.Rows)) || !es.Cols.Equal(qs.Cols.Times(ps.Cols)) {
		return nil, false
	}
	switch e := e.(type) {
	case *ast.Kron:
		if d.shape(e.X).Equal(ps) && d.shape(e.Y).Equal(qs) {
			return []kronTerm{{nil, e.X, e.Y}}, true
		}
	case *ast.Transpose:
		ts, ok := d.kronTerms(e.X, ps.T(), qs.T())
		for i := range ts {
			ts[i].P, ts[i].Q = tr(ts[i].P), tr(ts[i].Q)
		}
		return ts, ok
	case *ast.Neg:
		ts, ok := d.kronTerms(e.X, ps, qs)
		for i := range ts {
			ts[i].S = opt(num(-1), ts[i].S)
		}
		return ts, ok
	case *ast.Sum:
		var out []kronTerm
		for _, t := range e.Terms {
			ts, ok := d.kronTerms(t, ps, qs)
			if !ok {
				return nil, false
			}
			out = append(out, ts...)
		}
		return out, true
	case *ast.Div:
		ts, ok := d.kronTerms(e.X, ps, qs)
		for i := range ts {
			ts[i].S = opt(ts[i].S, pow(e.Y, -1))
		}
		return ts, ok
	case *ast.Identity:
		if ps.IsSquare() && qs.IsSquare() {
			return []kronTerm{{nil, &ast.Identity{N: ps.Rows}, &ast.Identity{N: qs.Rows}}}, true
		}
	case *ast.Ones:
		if ps.Cols.IsOne() && qs.Cols.IsOne() {
			return []kronTerm{{nil, &ast.Ones{N: ps.Rows}, &ast.Ones{N: qs.Rows}}}, true
		}
	case *ast.Product:
		return d.kronProduct(e, ps, qs)
	}
	return nil, false
}

// kronProduct: the scalar factors of a product multiply s, and its chain
// of Kronecker products combines by the mixed-product rule.
func (d *deriver) kronProduct(e *ast.Product, ps, qs ast.Shape) ([]kronTerm, bool) {
	var scalars, chain []ast.Expr
	for _, f := range d.flatten(e.Factors) {
		if d.scalar(f) {
			scalars = append(scalars, f)
		} else {
			chain = append(chain, f)
		}
	}
	s := opt(scalars...)
	if len(chain) == 1 {
		ts, ok := d.kronTerms(chain[0], ps, qs)
		for i := range ts {
			ts[i].S = opt(s, ts[i].S)
		}
		return ts, ok
	}
	var pf, qf []ast.Expr
	for i, f := range chain {
		if _, ok := f.(*ast.Identity); ok {
			continue // I (P ⊗ Q) = P ⊗ Q
		}
		p, q, ok := d.kronPair(f, i == 0, i == len(chain)-1, ps, qs)
		if !ok {
			return nil, false
		}
		if len(pf) > 0 {
			if !d.shape(pf[len(pf)-1]).Cols.Equal(d.shape(p).Rows) || !d.shape(qf[len(qf)-1]).Cols.Equal(d.shape(q).Rows) {
				return nil, false
			}
		}
		pf, qf = append(pf, p), append(qf, q)
	}
	if len(pf) == 0 {
		return nil, false
	}
	p, q := mul(pf...), mul(qf...)
	if !d.shape(p).Equal(ps) || !d.shape(q).Equal(qs) {
		return nil, false
	}
	return []kronTerm{{s, p, q}}, true
}

// kronPair returns P and Q of a chain factor P ⊗ Q or (P ⊗ Q)^T; a ones
// vector that begins the chain is 1 ⊗ 1 split as the rows of P and Q are,
// and a ones row that ends it as their columns are.
func (d *deriver) kronPair(f ast.Expr, first, last bool, ps, qs ast.Shape) (p, q ast.Expr, ok bool) {
	switch f := f.(type) {
	case *ast.Kron:
		return f.X, f.Y, true
	case *ast.Ones:
		if first {
			return &ast.Ones{N: ps.Rows}, &ast.Ones{N: qs.Rows}, true
		}
	case *ast.Transpose:
		if k, ok := f.X.(*ast.Kron); ok {
			return tr(k.X), tr(k.Y), true
		}
		if t := pushTranspose(f.X); !isTranspose(t) {
			return d.kronPair(t, first, last, ps, qs)
		}
		if _, ok := f.X.(*ast.Ones); ok && last {
			return tr(&ast.Ones{N: ps.Cols}), tr(&ast.Ones{N: qs.Cols}), true
		}
	}
	return nil, nil, false
}

// backVec: vec(X) of a matrix hands X the adjoint unvec(ḡ), when ḡ is the
// vec of a matrix expression.
func (d *deriver) backVec(e *ast.Call, x, bar ast.Expr, pass func(string, ast.Expr, ast.Expr) error) error {
	u, ok := d.unvec(bar, d.shape(x))
	if !ok {
		return notClosed(e, "the gradient through vec of a matrix against a vector that is not itself the vec of a matrix expression needs an unvec, which matdiff cannot write")
	}
	return pass("vec", x, u)
}

// unvec returns the matrix of shape s whose vec is e: vec(N) -> N, 1 -> 1 1^T,
// (B ⊗ A) v -> A unvec(v) B^T, comm(m, n) v -> unvec(v)^T, over sums,
// negations and scalar factors.
func (d *deriver) unvec(e ast.Expr, s ast.Shape) (ast.Expr, bool) {
	switch e := e.(type) {
	case *ast.Call:
		if e.Func == "vec" && d.shape(e.Args[0]).Equal(s) {
			return e.Args[0], true
		}
	case *ast.Ones:
		return d.onesOf(s), true
	case *ast.Neg:
		u, ok := d.unvec(e.X, s)
		return neg(u), ok
	case *ast.Sum:
		var ts []ast.Expr
		for _, t := range e.Terms {
			u, ok := d.unvec(t, s)
			if !ok {
				return nil, false
			}
			ts = append(ts, u)
		}
		return add(ts...), true
	case *ast.Div:
		u, ok := d.unvec(e.X, s)
		return &ast.Div{X: u, Y: e.Y}, ok
	case *ast.Transpose:
		if p := pushTranspose(e.X); !isTranspose(p) {
			return d.unvec(p, s)
		}
	case *ast.Product:
		var scalars, chain []ast.Expr
		for _, f := range d.flatten(e.Factors) {
			if d.scalar(f) {
				scalars = append(scalars, f)
			} else {
				chain = append(chain, f)
			}
		}
		if len(chain) == 0 {
			return nil, false
		}
		u, ok := d.unvecApplied(chain, s)
		if !ok {
			return nil, false
		}
		return opt(append(scalars, u)...), true
	}
	return nil, false
}

// unvecApplied is unvec(K1 … Kj v) for Kronecker products and commutation
// matrices Ki applied to v.
func (d *deriver) unvecApplied(chain []ast.Expr, s ast.Shape) (ast.Expr, bool) {
	if len(chain) == 1 {
		return d.unvec(chain[0], s)
	}
	switch k := chain[0].(type) {
	case *ast.Kron:
		b, a := k.X, k.Y
		as, bs := d.shape(a), d.shape(b)
		if !as.Rows.Equal(s.Rows) || !bs.Rows.Equal(s.Cols) {
			return nil, false
		}
		v, ok := d.unvecApplied(chain[1:], ast.Shape{Rows: as.Cols, Cols: bs.Cols})
		if !ok {
			return nil, false
		}
		return mul(a, v, tr(b)), true
	case *ast.Comm:
		if !k.DN.Equal(s.Rows) || !k.DM.Equal(s.Cols) {
			return nil, false
		}
		v, ok := d.unvecApplied(chain[1:], s.T())
		if !ok {
			return nil, false
		}
		return tr(v), true
	case *ast.Identity:
		return d.unvecApplied(chain[1:], s)
	}
	return nil, false
}
