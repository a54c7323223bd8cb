package derive_test

import (
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/check"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/cases"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
)

// TestJacobiansGolden: Jacobians and Hessians through matrices that depend
// on the variable, --vec with the commutation matrix, and gradients through
// Kronecker products and vec, each checked numerically.
func TestJacobiansGolden(t *testing.T) {
	goldenCases(t, "jacobians.txt", "jacobians.golden")
}

// TestAnsweredOnly: derivatives whose canonical text does not read back
// alone (1 1^T needs the shapes), checked numerically only.
func TestAnsweredOnly(t *testing.T) {
	for _, c := range []cases.Case{
		{Token: "d/dA", Expr: "sum(A ⊗ B)"},
		{Token: "d/dB", Expr: "1^T (A ⊗ B) 1"},
		{Token: "d/dX", Expr: "sum(vec(X))"},
		// diag(dv) between two factors under a mask: the Kronecker form
		{Token: "d/dx^T", Expr: "(M .* (A sin(B diag(x) D) C)) y"},
	} {
		if _, err := run(t, c); err != nil {
			t.Errorf("%s: %v", c, err)
		}
	}
}

// TestSharedFactors: a product whose chain holds one node twice (the
// simplifier shares subtrees: exp(a x^T) B exp(a x^T) a) has a Jacobian
// term for each place, not twice the first (d2/dx2 of
// tr((exp(a x^T) (x a^T + a x^T))^2), random Jacobian property test,
// -propseed 35).
func TestSharedFactors(t *testing.T) {
	for _, c := range []struct {
		src  string
		req  derive.Request
		from int // index of the factor whose node the factor after it becomes
	}{
		{"exp(a x^T) B exp(a x^T) a", derive.Request{Wrt: "x", Order: 1, Transposed: true}, 0},
		{"sin(x a^T) B sin(x a^T)", derive.Request{Wrt: "x", Order: 1, Vec: true}, 0},
		{"x^T B x x^T C x", derive.Request{Wrt: "x", Order: 1}, 0},
	} {
		typed, err := pipeline.Parse(c.src, pipeline.Options{})
		if err != nil {
			t.Fatal(err)
		}
		p := typed.Expr.(*ast.Product)
		fs := append([]ast.Expr(nil), p.Factors...)
		for i := c.from + 1; i < len(fs); i++ {
			if ast.Equal(fs[i], fs[c.from]) {
				fs[i] = fs[c.from] // the same node
			}
		}
		shared := &ast.Product{Factors: fs}
		r, err := derive.Derive(shared, typed.Info, c.req)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		rep, err := check.Derivative(shared, typed.Info, c.req, r.Expr, check.Options{})
		if err != nil || !rep.OK {
			t.Errorf("%s (%+v) with one node twice: %s: %v, %v", c.src, c.req, render.Text(r.Expr), rep, err)
		}
	}
}
