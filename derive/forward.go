package derive

import "github.com/matdiff/matdiff/ast"

// forward returns de/dt for the scalar variable t, with the shape of e.
func (d *deriver) forward(e ast.Expr) (ast.Expr, error) {
	out, err := d.fwd(e)
	if err != nil {
		return nil, err
	}
	if out == nil {
		s := d.shape(e)
		if s.IsScalar() {
			return num(0), nil
		}
		return &ast.Zero{Shape: s}, nil
	}
	return out, nil
}

// fwd is forward mode by a scalar: the differential of e when dt = 1, or
// nil when it is zero.
func (d *deriver) fwd(e ast.Expr) (ast.Expr, error) {
	if !d.depends(e) {
		return nil, nil
	}
	out, err := d.fwdNode(e)
	if err == nil && out != nil {
		d.step("forward", e, out)
	}
	return out, err
}

func (d *deriver) fwdNode(e ast.Expr) (ast.Expr, error) {
	switch e := e.(type) {
	case *ast.Name:
		return num(1), nil
	case *ast.Sum:
		var terms []ast.Expr
		for _, t := range e.Terms {
			dt, err := d.fwd(t)
			if err != nil {
				return nil, err
			}
			terms = append(terms, dt)
		}
		return d.broadcastSum(e, terms), nil
	case *ast.Neg:
		dx, err := d.fwd(e.X)
		if dx == nil || err != nil {
			return nil, err
		}
		return neg(dx), nil
	case *ast.Product:
		var terms []ast.Expr
		for i, f := range e.Factors {
			df, err := d.fwd(f)
			if err != nil {
				return nil, err
			}
			if df == nil {
				continue
			}
			fs := append([]ast.Expr(nil), e.Factors...)
			fs[i] = df
			terms = append(terms, mul(fs...))
		}
		return add(terms...), nil
	case *ast.Hadamard, *ast.ElemDiv, *ast.Div, *ast.Kron:
		return d.fwdBinary(e)
	case *ast.Transpose:
		dx, err := d.fwd(e.X)
		if dx == nil || err != nil {
			return nil, err
		}
		return tr(dx), nil
	case *ast.Inverse:
		dx, err := d.fwd(e.X)
		if dx == nil || err != nil {
			return nil, err
		}
		inv := &ast.Inverse{X: e.X}
		return mul(num(-1), inv, dx, inv), nil
	case *ast.Power:
		dx, err := d.fwd(e.X)
		if dx == nil || err != nil {
			return nil, err
		}
		if d.scalar(e.X) {
			k1 := minus(e.Exp, 1)
			return mul(&ast.Number{Value: e.Exp}, powRat(e.X, k1), dx), nil
		}
		if !e.Exp.IsInt() || !e.Exp.Num().IsInt64() {
			return nil, notClosed(e, "only integer powers of a matrix can be differentiated")
		}
		k := e.Exp.Num().Int64()
		x := e.X
		if k < 0 {
			x, k = &ast.Inverse{X: e.X}, -k
			dx = mul(num(-1), x, dx, x)
		}
		if k > 64 {
			return nil, notClosed(e, "the derivative of a matrix power above 64 is too long to write out")
		}
		var terms []ast.Expr
		for i := int64(0); i < k; i++ {
			var fs []ast.Expr
			if i > 0 {
				fs = append(fs, pow(x, i))
			}
			fs = append(fs, dx)
			if k-1-i > 0 {
				fs = append(fs, pow(x, k-1-i))
			}
			terms = append(terms, mul(fs...))
		}
		return add(terms...), nil
	case *ast.ElemPower:
		dx, err := d.fwd(e.X)
		if dx == nil || err != nil {
			return nil, err
		}
		p := minus(e.Exp, 1)
		return d.hadamard(mul(&ast.Number{Value: e.Exp}, &ast.ElemPower{X: e.X, Exp: p}), dx), nil
	case *ast.Norm:
		dx, err := d.fwd(e.X)
		if dx == nil || err != nil {
			return nil, err
		}
		if e.Kind == ast.NormOne {
			return d.inner(fn("sign", e.X), dx), nil
		}
		return mul(d.inner(e.X, dx), pow(e, -1)), nil
	case *ast.Call:
		return d.fwdCall(e)
	}
	return nil, notClosed(e, "the derivative of this expression is not supported")
}

// broadcastSum adds the differentials of a sum's terms; a scalar term's
// differential broadcasts like the term.
func (d *deriver) broadcastSum(e *ast.Sum, terms []ast.Expr) ast.Expr {
	out := add(terms...)
	if out != nil && !d.scalar(e) && d.scalar(out) {
		// Only broadcast scalars vary: keep the sum's shape.
		return add(out, &ast.Zero{Shape: d.shape(e)})
	}
	return out
}

func (d *deriver) fwdBinary(e ast.Expr) (ast.Expr, error) {
	kids := ast.Children(e)
	x, y := kids[0], kids[1]
	dx, err := d.fwd(x)
	if err != nil {
		return nil, err
	}
	dy, err := d.fwd(y)
	if err != nil {
		return nil, err
	}
	var a, b ast.Expr
	switch e.(type) {
	case *ast.Hadamard:
		if dx != nil {
			a = d.hadamard(dx, y)
		}
		if dy != nil {
			b = d.hadamard(x, dy)
		}
	case *ast.ElemDiv:
		if dx != nil {
			a = d.elemDiv(dx, y)
		}
		if dy != nil {
			b = neg(d.elemDiv(d.hadamard(x, dy), d.square(y)))
		}
	case *ast.Div:
		if dx != nil {
			a = &ast.Div{X: dx, Y: y}
		}
		if dy != nil {
			b = mul(num(-1), x, dy, pow(y, -2))
		}
	case *ast.Kron:
		if dx != nil {
			a = &ast.Kron{X: dx, Y: y}
		}
		if dy != nil {
			b = &ast.Kron{X: x, Y: dy}
		}
	}
	return add(a, b), nil
}

func (d *deriver) fwdCall(e *ast.Call) (ast.Expr, error) {
	dx, err := d.fwd(e.Args[0])
	if dx == nil || err != nil {
		return nil, err
	}
	return d.tangentCall(e, dx, false)
}
