package derive

import "github.com/matdiff/matdiff/ast"

// Calls are differentiated by the function registry (ast.Funcs): each
// entry gives its derivative once, through an ast.Builder, and every mode
// here uses it.

// builder is the deriver as an ast.Builder. With jac set, changes are
// Jacobians whose columns are directions, and Scale is diag(f) J.
type builder struct {
	d   *deriver
	jac bool
}

func (b builder) Shape(e ast.Expr) ast.Shape      { return b.d.shape(e) }
func (b builder) Hadamard(x, y ast.Expr) ast.Expr { return b.d.hadamard(x, y) }
func (b builder) ElemDiv(x, y ast.Expr) ast.Expr  { return b.d.elemDiv(x, y) }
func (b builder) Square(u ast.Expr) ast.Expr      { return b.d.square(u) }
func (b builder) Inner(x, y ast.Expr) ast.Expr    { return b.d.inner(x, y) }

func (b builder) Scale(f, d ast.Expr) ast.Expr {
	if b.jac {
		return b.d.scale(f, d)
	}
	return b.d.hadamard(f, d)
}

// elementwise returns, for an elementwise function, the product g ∘ f'(u)
// written as a person would (g ./ u for log); the product is nil when f'
// is zero almost everywhere (step, sign).
func elementwise(name string) (func(d *deriver, g, u ast.Expr) ast.Expr, bool) {
	f, ok := ast.Funcs[name]
	if !ok || f.Deriv.Elem == nil {
		return nil, false
	}
	return func(d *deriver, g, u ast.Expr) ast.Expr { return f.Deriv.Elem(builder{d: d}, g, u) }, true
}

// square is u.^2 (u^2 for a scalar).
func (d *deriver) square(u ast.Expr) ast.Expr {
	if d.scalar(u) {
		return pow(u, 2)
	}
	return &ast.ElemPower{X: u, Exp: ast.SmallRat(2)}
}

// elemDiv is a ./ b, or a b^-1 when b is 1×1.
func (d *deriver) elemDiv(a, b ast.Expr) ast.Expr {
	if d.scalar(b) {
		return mul(a, pow(b, -1))
	}
	return &ast.ElemDiv{X: a, Y: b}
}

// backCall hands the adjoint of a call to its argument, by the function's
// registry entry.
func (d *deriver) backCall(e *ast.Call, bar ast.Expr, pass func(string, ast.Expr, ast.Expr) error) error {
	x := e.Args[0]
	f, ok := ast.Funcs[e.Func]
	if !ok || f.Deriv.NoDeriv != "" {
		return d.noDeriv(e, f)
	}
	if e.Func == "vec" && d.shape(x).IsMatrix() {
		return d.backVec(e, x, bar, pass) // through unvec, Kronecker or comm forms (kron.go)
	}
	b := builder{d: d}
	var g ast.Expr
	if f.Deriv.Elem != nil {
		g = f.Deriv.Elem(b, bar, x)
	} else {
		var err error
		if g, err = f.Deriv.Adjoint(b, e, bar); err != nil {
			return err
		}
	}
	if g == nil {
		d.step(f.RuleName(), e, nil)
		return nil
	}
	return pass(f.RuleName(), x, g)
}

// tangentCall is the differential of a call whose argument changes by du
// (a Jacobian when jac is set), by the function's registry entry; nil
// when it is zero.
func (d *deriver) tangentCall(e *ast.Call, du ast.Expr, jac bool) (ast.Expr, error) {
	f, ok := ast.Funcs[e.Func]
	if !ok || f.Deriv.NoDeriv != "" {
		return nil, d.noDeriv(e, f)
	}
	b := builder{d: d, jac: jac}
	if f.Deriv.Elem != nil {
		if !jac {
			return f.Deriv.Elem(b, du, e.Args[0]), nil
		}
		fp := f.Deriv.Elem(b, d.onesLike(e.Args[0]), e.Args[0])
		if fp == nil {
			return nil, nil
		}
		return d.scale(fp, du), nil
	}
	return f.Deriv.Tangent(b, e, du)
}

// noDeriv is the error for a function without a derivative.
func (d *deriver) noDeriv(e *ast.Call, f *ast.Func) error {
	if f != nil {
		return notClosed(e, "%s has no derivative: %s", e.Func, f.Deriv.NoDeriv)
	}
	return notClosed(e, "the derivative of %s is not supported", e.Func)
}
