package derive

import (
	"math/big"

	"github.com/matdiff/matdiff/ast"
)

// elementwise gives, for an elementwise function f, the product
// g ∘ f'(u) written as a person would (g ./ u for log). It returns nil
// when f' is zero almost everywhere (step, sign).
var elementwise = map[string]func(d *deriver, g, u ast.Expr) ast.Expr{
	"exp": func(d *deriver, g, u ast.Expr) ast.Expr { return d.hadamard(g, fn("exp", u)) },
	"log": func(d *deriver, g, u ast.Expr) ast.Expr { return d.elemDiv(g, u) },
	"sqrt": func(d *deriver, g, u ast.Expr) ast.Expr {
		return d.elemDiv(g, mul(num(2), fn("sqrt", u)))
	},
	"sin": func(d *deriver, g, u ast.Expr) ast.Expr { return d.hadamard(g, fn("cos", u)) },
	"cos": func(d *deriver, g, u ast.Expr) ast.Expr { return neg(d.hadamard(g, fn("sin", u))) },
	"tan": func(d *deriver, g, u ast.Expr) ast.Expr {
		return d.hadamard(g, add(num(1), d.square(fn("tan", u))))
	},
	"arcsin": func(d *deriver, g, u ast.Expr) ast.Expr {
		return d.elemDiv(g, fn("sqrt", add(num(1), neg(d.square(u)))))
	},
	"arccos": func(d *deriver, g, u ast.Expr) ast.Expr {
		return neg(d.elemDiv(g, fn("sqrt", add(num(1), neg(d.square(u))))))
	},
	"arctan": func(d *deriver, g, u ast.Expr) ast.Expr {
		return d.elemDiv(g, add(num(1), d.square(u)))
	},
	"tanh": func(d *deriver, g, u ast.Expr) ast.Expr {
		return d.hadamard(g, add(num(1), neg(d.square(fn("tanh", u)))))
	},
	"sigmoid": func(d *deriver, g, u ast.Expr) ast.Expr {
		s := fn("sigmoid", u)
		return d.hadamard(d.hadamard(g, s), add(num(1), neg(s)))
	},
	"softplus": func(d *deriver, g, u ast.Expr) ast.Expr { return d.hadamard(g, fn("sigmoid", u)) },
	"relu":     func(d *deriver, g, u ast.Expr) ast.Expr { return d.hadamard(g, fn("step", u)) },
	"abs":      func(d *deriver, g, u ast.Expr) ast.Expr { return d.hadamard(g, fn("sign", u)) },
	"step":     func(d *deriver, g, u ast.Expr) ast.Expr { return nil },
	"sign":     func(d *deriver, g, u ast.Expr) ast.Expr { return nil },
}

// square is u.^2 (u^2 for a scalar).
func (d *deriver) square(u ast.Expr) ast.Expr {
	if d.scalar(u) {
		return pow(u, 2)
	}
	return &ast.ElemPower{X: u, Exp: big.NewRat(2, 1)}
}

// elemDiv is a ./ b, or a b^-1 when b is 1×1.
func (d *deriver) elemDiv(a, b ast.Expr) ast.Expr {
	if d.scalar(b) {
		return mul(a, pow(b, -1))
	}
	return &ast.ElemDiv{X: a, Y: b}
}

func (d *deriver) backCall(e *ast.Call, bar ast.Expr, pass func(string, ast.Expr, ast.Expr) error) error {
	x := e.Args[0]
	xs := d.shape(x)
	if rule, ok := elementwise[e.Func]; ok {
		g := rule(d, bar, x)
		if g == nil {
			d.step(e.Func, e, nil)
			return nil
		}
		return pass(e.Func, x, g)
	}
	switch e.Func {
	case "tr":
		if xs.IsScalar() {
			return pass("trace", x, bar)
		}
		return pass("trace", x, mul(bar, &ast.Identity{N: xs.Rows}))
	case "det":
		return pass("determinant", x, mul(bar, e, tr(&ast.Inverse{X: x})))
	case "logdet":
		return pass("log-determinant", x, mul(bar, tr(&ast.Inverse{X: x})))
	case "sum":
		switch {
		case xs.IsScalar():
			return pass("sum", x, bar)
		case xs.IsVector():
			return pass("sum", x, mul(bar, &ast.Ones{N: xs.Rows}))
		case xs.IsRow():
			return pass("sum", x, mul(bar, tr(&ast.Ones{N: xs.Cols})))
		}
		return pass("sum", x, mul(bar, &ast.Ones{N: xs.Rows}, tr(&ast.Ones{N: xs.Cols})))
	case "diag":
		switch {
		case xs.IsScalar():
			return pass("diag", x, bar)
		case xs.IsRow():
			return pass("diag", x, tr(fn("diag", bar)))
		}
		return pass("diag", x, fn("diag", bar))
	case "vec":
		switch {
		case xs.IsVector() || xs.IsScalar():
			return pass("vec", x, bar)
		case xs.IsRow():
			return pass("vec", x, tr(bar))
		}
		return d.backVec(e, x, bar, pass)
	}
	return notClosed(e, "the derivative of %s is not supported", e.Func)
}
