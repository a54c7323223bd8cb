package derive

import "github.com/matdiff/matdiff/ast"

// jacobian returns ∂e/∂x^T (numerator layout, k×n) for a vector, row or
// scalar e and the vector variable x (n×1).
func (d *deriver) jacobian(e ast.Expr) (ast.Expr, error) {
	j, err := d.jac(e)
	if err != nil {
		return nil, err
	}
	if j == nil {
		s := d.shape(e)
		k := s.Rows
		if s.IsRow() {
			k = s.Cols
		}
		return &ast.Zero{Shape: ast.Shape{Rows: k, Cols: d.info.Vars[d.wrt].Shape.Rows}}, nil
	}
	return j, nil
}

// jac is forward mode on differentials: de = J dx; it returns J, or nil
// when it is zero.
func (d *deriver) jac(e ast.Expr) (ast.Expr, error) {
	if !d.depends(e) {
		return nil, nil
	}
	s := d.shape(e)
	if s.IsScalar() {
		g, err := d.gradient(e)
		if err != nil {
			return nil, err
		}
		d.step("jacobian-of-scalar", e, tr(g))
		return tr(g), nil
	}
	if s.IsRow() {
		return d.jac(pushTranspose(e))
	}
	out, err := d.jacColumn(e)
	if err == nil && out != nil {
		d.step("jacobian", e, out)
	}
	return out, err
}

// pushTranspose returns e^T with the transpose moved one level down, so
// that the Jacobian of a row is that of a column.
func pushTranspose(e ast.Expr) ast.Expr {
	switch e := e.(type) {
	case *ast.Transpose:
		return e.X
	case *ast.Neg:
		return neg(pushTranspose(e.X))
	case *ast.Sum:
		ts := make([]ast.Expr, len(e.Terms))
		for i, t := range e.Terms {
			ts[i] = pushTranspose(t)
		}
		return &ast.Sum{Terms: ts}
	case *ast.Product:
		fs := make([]ast.Expr, len(e.Factors))
		for i, f := range e.Factors {
			fs[len(fs)-1-i] = pushTranspose(f)
		}
		return &ast.Product{Factors: fs}
	case *ast.Hadamard:
		return &ast.Hadamard{X: pushTranspose(e.X), Y: pushTranspose(e.Y)}
	case *ast.ElemDiv:
		return &ast.ElemDiv{X: pushTranspose(e.X), Y: pushTranspose(e.Y)}
	case *ast.Div:
		return &ast.Div{X: pushTranspose(e.X), Y: e.Y}
	case *ast.ElemPower:
		return &ast.ElemPower{X: pushTranspose(e.X), Exp: e.Exp}
	case *ast.Kron:
		return &ast.Kron{X: pushTranspose(e.X), Y: pushTranspose(e.Y)}
	case *ast.Comm:
		return &ast.Comm{M: e.N, N: e.M, DM: e.DN, DN: e.DM} // K_{m,n}^T = K_{n,m}
	case *ast.Identity:
		return e
	case *ast.Number, *ast.Pi, *ast.Norm, *ast.Dimension:
		return e
	case *ast.Call:
		if ast.Funcs[e.Func].KeepsShape() {
			return fn(e.Func, pushTranspose(e.Args[0]))
		}
		if ast.Funcs[e.Func].IsScalar() {
			return e
		}
	}
	return tr(e)
}

func (d *deriver) jacColumn(e ast.Expr) (ast.Expr, error) {
	n := d.info.Vars[d.wrt].Shape.Rows
	k := d.shape(e).Rows
	switch e := e.(type) {
	case *ast.Name:
		return &ast.Identity{N: n}, nil
	case *ast.Transpose:
		return d.jac(pushTranspose(e.X))
	case *ast.Sum:
		var terms []ast.Expr
		for _, t := range e.Terms {
			jt, err := d.jac(t)
			if err != nil {
				return nil, err
			}
			if jt != nil && d.scalar(t) {
				jt = mul(&ast.Ones{N: k}, jt) // a broadcast scalar moves every entry
			}
			terms = append(terms, jt)
		}
		return add(terms...), nil
	case *ast.Neg:
		j, err := d.jac(e.X)
		if j == nil || err != nil {
			return nil, err
		}
		return neg(j), nil
	case *ast.Product:
		return d.jacProduct(e, nil)
	case *ast.Hadamard:
		return d.jacElementwise(e.X, e.Y,
			func(dx ast.Expr) ast.Expr { return d.scale(e.Y, dx) },
			func(dy ast.Expr) ast.Expr { return d.scale(e.X, dy) })
	case *ast.ElemDiv:
		return d.jacElementwise(e.X, e.Y,
			func(dx ast.Expr) ast.Expr { return d.scale(d.elemDiv(num(1), e.Y), dx) },
			func(dy ast.Expr) ast.Expr {
				return neg(d.scale(d.elemDiv(e.X, d.square(e.Y)), dy))
			})
	case *ast.Div:
		jx, err := d.jac(e.X)
		if err != nil {
			return nil, err
		}
		jy, err := d.jac(e.Y)
		if err != nil {
			return nil, err
		}
		var a, b ast.Expr
		if jx != nil {
			a = mul(pow(e.Y, -1), jx)
		}
		if jy != nil {
			b = mul(num(-1), pow(e.Y, -2), e.X, jy)
		}
		return add(a, b), nil
	case *ast.ElemPower:
		j, err := d.jac(e.X)
		if j == nil || err != nil {
			return nil, err
		}
		f := d.scalePower(e)
		return d.scale(f, j), nil
	case *ast.Call:
		x := e.Args[0]
		if ast.Funcs[e.Func].KeepsShape() {
			// elementwise and vector-to-vector functions: J_f J_x
			j, err := d.jac(x)
			if j == nil || err != nil {
				return nil, err
			}
			return d.tangentCall(e, j, true)
		}
		if e.Func == "vec" && (d.shape(x).IsVector() || d.shape(x).IsRow()) {
			return d.jac(x)
		}
		if e.Func == "diag" && d.shape(x).IsMatrix() {
			return d.jacDiag(e, x)
		}
	}
	return d.jacIn(frame{}, e)
}

// jacDiag is the Jacobian of diag(M) for a square M: diag is linear, and
// the diagonal of an outer product s u v^T is s (u .* v).
func (d *deriver) jacDiag(e, m ast.Expr) (ast.Expr, error) {
	if !d.depends(m) {
		return nil, nil
	}
	switch m := m.(type) {
	case *ast.Sum:
		var terms []ast.Expr
		for _, t := range m.Terms {
			if d.scalar(t) {
				j, err := d.jac(t)
				if err != nil {
					return nil, err
				}
				if j != nil {
					terms = append(terms, mul(&ast.Ones{N: d.shape(m).Rows}, j))
				}
				continue
			}
			j, err := d.jacDiag(e, t)
			if err != nil {
				return nil, err
			}
			terms = append(terms, j)
		}
		return add(terms...), nil
	case *ast.Neg:
		j, err := d.jacDiag(e, m.X)
		if j == nil || err != nil {
			return nil, err
		}
		return neg(j), nil
	case *ast.Power:
		if m.Exp.IsInt() && m.Exp.Sign() > 0 && m.Exp.Num().IsInt64() && m.Exp.Num().Int64() <= 64 {
			fs := make([]ast.Expr, m.Exp.Num().Int64())
			for i := range fs {
				fs[i] = m.X
			}
			return d.jacDiag(e, &ast.Product{Factors: fs})
		}
	case *ast.Product:
		factors := d.groupRuns(d.flatten(m.Factors))
		var scalars, chain []ast.Expr
		var terms []ast.Expr
		for i, f := range factors {
			if !d.scalar(f) {
				chain = append(chain, f)
				continue
			}
			scalars = append(scalars, f)
			// diag(s M) = s diag(M): the scalar's share
			j, err := d.jac(f)
			if err != nil {
				return nil, err
			}
			if j != nil {
				terms = append(terms, mul(fn("diag", prodWithout(factors, i)), j))
			}
		}
		cm := mul(chain...)
		if !d.depends(cm) {
			return add(terms...), nil
		}
		var j ast.Expr
		var err error
		switch {
		case len(chain) == 1:
			j, err = d.jacDiag(e, chain[0])
		default:
			// diag(L R) = L .* R^T when L is a column and R a row
			split := 0
			for k := 1; k < len(chain); k++ {
				if d.shape(mul(chain[:k]...)).IsVector() {
					split = k
					break
				}
			}
			if split == 0 {
				return d.jacDiagIn(m)
			}
			j, err = d.jac(&ast.Hadamard{X: mul(chain[:split]...), Y: pushTranspose(mul(chain[split:]...))})
		}
		if err != nil {
			return nil, err
		}
		if j != nil {
			terms = append(terms, mul(append(append([]ast.Expr(nil), scalars...), j)...))
		}
		return add(terms...), nil
	}
	if d.req.Simplify != nil {
		// The canonical form may be elementwise, as diag(x x^T) is x .* x.
		if s := d.simplify(fn("diag", m)); !isDiagOfMatrix(d, s) {
			return d.jac(s)
		}
	}
	return d.jacDiagIn(m)
}

// jacDiagIn is the Jacobian of diag(M) = (I ∘ M) 1.
func (d *deriver) jacDiagIn(m ast.Expr) (ast.Expr, error) {
	n := d.shape(m).Rows
	return d.jacIn(frame{Mask: &ast.Identity{N: n}, Col: &ast.Ones{N: n}}, m)
}

// flatten splices nested products into one list of factors; a nested
// 1×1 product stays whole, a scalar factor of the chain (w (z^T x) y).
func (d *deriver) flatten(fs []ast.Expr) []ast.Expr {
	var out []ast.Expr
	for _, f := range fs {
		if p, ok := f.(*ast.Product); ok && !d.scalar(p) {
			out = append(out, d.flatten(p.Factors)...)
			continue
		}
		out = append(out, f)
	}
	return out
}

// isDiagOfMatrix reports whether e is diag(M) of a square matrix M.
func isDiagOfMatrix(d *deriver, e ast.Expr) bool {
	c, ok := e.(*ast.Call)
	return ok && c.Func == "diag" && d.shape(c.Args[0]).IsMatrix()
}

// onesLike is the ones vector of u's shape (1 for a scalar).
func (d *deriver) onesLike(u ast.Expr) ast.Expr {
	s := d.shape(u)
	if s.IsScalar() {
		return num(1)
	}
	return &ast.Ones{N: s.Rows}
}

func (d *deriver) scalePower(e *ast.ElemPower) ast.Expr {
	p := minus(e.Exp, 1)
	return mul(&ast.Number{Value: e.Exp}, &ast.ElemPower{X: e.X, Exp: p})
}

// scale is diag(f) J for a vector f (f J for a scalar f): the Jacobian of
// f ∘ u when u has Jacobian J.
func (d *deriver) scale(f, j ast.Expr) ast.Expr {
	if d.scalar(f) {
		return mul(f, j)
	}
	return mul(fn("diag", f), j)
}

// jacElementwise is the product rule for an elementwise pair x ⊙ y, where
// a broadcast scalar operand contributes its value times the other's
// Jacobian, and the other way round.
func (d *deriver) jacElementwise(x, y ast.Expr, viaX, viaY func(ast.Expr) ast.Expr) (ast.Expr, error) {
	jx, err := d.jac(x)
	if err != nil {
		return nil, err
	}
	jy, err := d.jac(y)
	if err != nil {
		return nil, err
	}
	var a, b ast.Expr
	if jx != nil {
		if d.scalar(x) {
			jx = mul(d.onesLike(y), jx)
		}
		a = viaX(jx)
	}
	if jy != nil {
		if d.scalar(y) {
			jy = mul(d.onesLike(x), jy)
		}
		b = viaY(jy)
	}
	return add(a, b), nil
}

// jacApplied returns the Jacobian of F R by x when only F varies and R is
// a fixed column: d(F R) = dF R.
func (d *deriver) jacApplied(f, r ast.Expr) (ast.Expr, error) {
	if !d.depends(f) {
		return nil, nil
	}
	fs := d.shape(f)
	switch {
	case fs.IsVector():
		// F is k×1 and R a scalar.
		j, err := d.jac(f)
		if j == nil || err != nil {
			return nil, err
		}
		return mul(r, j), nil
	case fs.IsRow():
		// dF R = R^T dF^T
		j, err := d.jac(f)
		if j == nil || err != nil {
			return nil, err
		}
		return mul(tr(r), j), nil
	}
	switch f := f.(type) {
	case *ast.Sum:
		var terms []ast.Expr
		for _, t := range f.Terms {
			if d.scalar(t) {
				j, err := d.jac(t)
				if err != nil {
					return nil, err
				}
				if j != nil {
					// a broadcast scalar: d(t 1 1^T) R = 1 (1^T R) dt
					terms = append(terms, mul(&ast.Ones{N: fs.Rows}, tr(&ast.Ones{N: fs.Cols}), r, j))
				}
				continue
			}
			j, err := d.jacApplied(t, r)
			if err != nil {
				return nil, err
			}
			terms = append(terms, j)
		}
		return add(terms...), nil
	case *ast.Neg:
		j, err := d.jacApplied(f.X, r)
		if j == nil || err != nil {
			return nil, err
		}
		return neg(j), nil
	case *ast.Transpose:
		if t, ok := f.X.(*ast.Transpose); ok {
			return d.jacApplied(t.X, r) // (F^T)^T = F
		}
		if p := pushTranspose(f.X); !isTranspose(p) {
			return d.jacApplied(p, r)
		}
	case *ast.Product:
		return d.jacProduct(f, r)
	case *ast.Inverse:
		// d(N^-1) R = -N^-1 dN N^-1 R
		inv := &ast.Inverse{X: f.X}
		j, err := d.jacApplied(f.X, mul(inv, r))
		if j == nil || err != nil {
			return nil, err
		}
		return mul(num(-1), inv, j), nil
	case *ast.Power:
		if f.Exp.IsInt() && f.Exp.Num().IsInt64() && f.Exp.Sign() > 0 && f.Exp.Num().Int64() <= 64 {
			k := f.Exp.Num().Int64()
			var terms []ast.Expr
			for i := int64(0); i < k; i++ {
				var right ast.Expr = r
				if k-1-i > 0 {
					right = mul(pow(f.X, k-1-i), r)
				}
				j, err := d.jacApplied(f.X, right)
				if err != nil {
					return nil, err
				}
				if j != nil && i > 0 {
					j = mul(pow(f.X, i), j)
				}
				terms = append(terms, j)
			}
			return add(terms...), nil
		}
	case *ast.Call:
		if f.Func == "diag" && d.shape(f.Args[0]).IsVector() {
			// diag(u) R = u ∘ R = diag(R) u
			j, err := d.jac(f.Args[0])
			if j == nil || err != nil {
				return nil, err
			}
			return mul(fn("diag", r), j), nil
		}
	}
	return d.jacIn(frame{Col: r}, f)
}

// jacProduct is the product rule for the Jacobian of P R (R a fixed
// column, or nil for none) where P = s C1 … Cm: a scalar factor a
// contributes (P R/a) J(a), and a chain factor Ci contributes
// s C1 … C(i-1) times the Jacobian of Ci (C(i+1) … Cm R) with the rest held.
func (d *deriver) jacProduct(p *ast.Product, r ast.Expr) (ast.Expr, error) {
	factors := d.groupRuns(p.Factors)
	var scalars, chain []ast.Expr
	for _, g := range factors {
		if d.scalar(g) {
			scalars = append(scalars, g)
		} else {
			chain = append(chain, g)
		}
	}
	var terms []ast.Expr
	c := -1 // g's place in the chain, counted, not looked up: one node may stand twice
	for i, g := range factors {
		if !d.scalar(g) {
			c++
		}
		if !d.depends(g) {
			continue
		}
		if d.scalar(g) {
			j, err := d.jac(g)
			if err != nil {
				return nil, err
			}
			if j != nil {
				terms = append(terms, mul(prodWithout(factors, i), r, j))
			}
			continue
		}
		var j ast.Expr
		var err error
		if c == len(chain)-1 && r == nil {
			j, err = d.jac(g)
		} else {
			j, err = d.jacApplied(g, mul(append(append([]ast.Expr(nil), chain[c+1:]...), r)...))
		}
		if err != nil {
			return nil, err
		}
		if j != nil {
			fs := append(append([]ast.Expr(nil), scalars...), chain[:c]...)
			terms = append(terms, mul(append(fs, j)...))
		}
	}
	return add(terms...), nil
}

// isTranspose reports whether e is a transpose.
func isTranspose(e ast.Expr) bool {
	_, ok := e.(*ast.Transpose)
	return ok
}

// groupRuns makes every proper 1×1 run of a chain a nested product, so
// that it counts as a scalar factor.
func (d *deriver) groupRuns(fs []ast.Expr) []ast.Expr {
	for {
		var chainIdx []int
		for i, f := range fs {
			if !d.scalar(f) {
				chainIdx = append(chainIdx, i)
			}
		}
		found := false
		for a := 0; a < len(chainIdx) && !found; a++ {
			if !d.shape(fs[chainIdx[a]]).Rows.IsOne() {
				continue
			}
			for b := a + 1; b < len(chainIdx); b++ {
				if !d.shape(fs[chainIdx[b]]).Cols.IsOne() {
					continue
				}
				if a == 0 && b == len(chainIdx)-1 {
					break
				}
				var run []ast.Expr
				for _, i := range chainIdx[a : b+1] {
					run = append(run, fs[i])
				}
				var out []ast.Expr
				for i, f := range fs {
					switch {
					case i == chainIdx[a]:
						out = append(out, &ast.Product{Factors: run})
					case i > chainIdx[a] && i <= chainIdx[b] && !d.scalar(f):
					default:
						out = append(out, f)
					}
				}
				fs, found = out, true
				break
			}
			if !found {
				break
			}
		}
		if !found {
			return fs
		}
	}
}
