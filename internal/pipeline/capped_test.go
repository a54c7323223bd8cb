package pipeline_test

import (
	"strings"
	"testing"

	"github.com/matdiff/matdiff/check"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
)

// TestCappedSaysSo: a simplification that stops at its iteration cap is
// never silent: the derivative carries a warning, and is still correct.
func TestCappedSaysSo(t *testing.T) {
	src := "(x^T A x)^2 + x^T B x + 3 x^T x"
	req := derive.Request{Wrt: "x", Order: 1}
	typed, d, err := pipeline.Differentiate(src, req, pipeline.Options{MaxSteps: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Warnings) != 1 || d.Warnings[0] != pipeline.CappedWarning {
		t.Errorf("warnings %q, want the cap's", d.Warnings)
	}
	rep, err := check.Derivative(typed.Expr, typed.Info, d.Request, d.Result, check.Options{})
	if err != nil || !rep.OK {
		t.Errorf("capped result %s: %v %v", render.Text(d.Result), rep, err)
	}
	_, d, err = pipeline.Differentiate(src, req, pipeline.Options{})
	if err != nil || len(d.Warnings) != 0 {
		t.Errorf("uncapped: %v, warnings %q", err, d.Warnings)
	}
}

// TestLongChainSettles: the gradient through 2001 nested factors A
// merges into one power, without reaching the cap.
func TestLongChainSettles(t *testing.T) {
	src := "x^T " + strings.Repeat("A (", 2001) + "y" + strings.Repeat(")", 2001)
	_, d, err := pipeline.Differentiate(src, derive.Request{Wrt: "x", Order: 1}, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := render.Text(d.Result); got != "A^2001 y" || len(d.Warnings) != 0 {
		t.Errorf("d/dx = %s, warnings %q", got, d.Warnings)
	}
	_, d, err = pipeline.Differentiate(src, derive.Request{Wrt: "y", Order: 1}, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := render.Text(d.Result); got != "(A^T)^2001 x" || len(d.Warnings) != 0 {
		t.Errorf("d/dy = %s, warnings %q", got, d.Warnings)
	}
}
