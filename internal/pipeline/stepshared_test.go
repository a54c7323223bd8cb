package pipeline_test

import (
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
)

// A subexpression of more than 24 nodes written more than once is derived
// once in reverse mode, while --steps writes its occurrences one by one:
// every line still holds, and the gradient gathered on the last lines is
// the derivative printed without --steps.
func TestStepsOfRepeatedSubexpressions(t *testing.T) {
	z := "W5 tanh(W4 tanh(W3 tanh(W2 tanh(W1 x + b1) + b2) + b3) + b4) + b5"
	for _, c := range []struct{ wrt, src string }{
		{"x", "sum(A2 ((A1 ((A0 ((x) .* y0) - (x)/2) .* y1) - (A0 ((x) .* y0) - (x)/2)/2) .* y2) - (A1 ((A0 ((x) .* y0) - (x)/2) .* y1) - (A0 ((x) .* y0) - (x)/2)/2)/2)"},
		{"A0", "sum(A2 ((A1 ((A0 ((x) .* y0) - (x)/2) .* y1) - (A0 ((x) .* y0) - (x)/2)/2) .* y2) - (A1 ((A0 ((x) .* y0) - (x)/2) .* y1) - (A0 ((x) .* y0) - (x)/2)/2)/2)"},
		{"W1", "||" + z + " - y||^2 + lambda ||" + z + "||^2"},
		{"b3", "sum(exp(" + z + ")) + ||" + z + "||^2"},
	} {
		typed, err := pipeline.Parse(c.src, pipeline.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !checkLines(t, c.wrt+" "+c.src, c.src, derive.Request{Wrt: c.wrt}, pipeline.Options{}) {
			t.Errorf("d/d%s %s: no point to check the lines at", c.wrt, c.src)
		}
		d, err := typed.Derive(derive.Request{Wrt: c.wrt})
		if err != nil {
			t.Fatal(err)
		}
		x, err := typed.Explain(d)
		if err != nil {
			t.Fatal(err)
		}
		n := len(x.Lines)
		if n < 2 || x.Lines[n-2].Rule != "gradient" || !ast.Equal(x.Lines[n-2].Out, d.Result) {
			t.Errorf("d/d%s %s: the gradient line is not the result %s", c.wrt, c.src, render.Text(d.Result))
		}
	}
}
