package eval

import (
	"math/rand/v2"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/parser"
	"github.com/matdiff/matdiff/render"
	"gonum.org/v1/gonum/mat"
)

// TestVarying: the part of an expression that varies with x leaves out
// the constant terms where the expression is linear in them, keeps the
// shape, and has the same finite differences; the tree itself is left as
// it was.
func TestVarying(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"1e14 + x^T x", "x^T x"}, // whose own differences are 0 here
		{"10 + x^T x", "x^T x"},
		{"x^T x - y^T y", "x^T x"},
		{"2 (3 + x^T x)", "2 (x^T x)"},
		{"-(y^T y + x^T x)", "-x^T x"},
		{"tr(A + x x^T)", "tr(x x^T)"},
		{"x - 1", "x"},
		{"x^T x + y", "x^T x + 0"}, // a zero of the sum's shape
		{"exp(x^T x) + 1", "exp(x^T x)"},
		{"(A x + y) ./ (1 + y^T y)", "(A x) ./ (1 + y^T y)"},
		{"(A x + y)^T y", "(A x)^T y"},
		{"log(1 + x^T x)", "log(1 + x^T x)"}, // not linear in the constant
		{"x^T A x", "x^T A x"},
		{"y^T A y + 2", "y^T A y + 2"}, // no x: e itself
	} {
		raw, err := parser.ParseExpr(tt.src)
		if err != nil {
			t.Fatal(err)
		}
		e, info, err := ast.Checker{}.Infer(raw)
		if err != nil {
			t.Fatal(err)
		}
		before := render.Text(e)
		v := Varying(e, info, "x")
		if got := render.Text(v); got != tt.want {
			t.Errorf("Varying(%s) = %s, want %s", tt.src, got, tt.want)
		}
		if render.Text(e) != before {
			t.Errorf("Varying(%s) changed the tree to %s", tt.src, render.Text(e))
		}
		if _, ok := info.Vars["x"]; !ok || tt.src == "1e14 + x^T x" {
			continue
		}
		rng := rand.New(rand.NewPCG(3, 4))
		in := NewInstance(info, rng)
		E := RandomDirection(info, in, "x", rng)
		a, err1 := Directional(e, info, in, "x", E, 1e-4)
		b, err2 := Directional(v, info, in, "x", E, 1e-4)
		if err1 != nil || err2 != nil {
			t.Errorf("%s: %v, %v", tt.src, err1, err2)
			continue
		}
		if !mat.EqualApprox(a, b, 1e-6) {
			t.Errorf("%s: differences %v and %v", tt.src, mat.Formatted(a), mat.Formatted(b))
		}
	}
}
