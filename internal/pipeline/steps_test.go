package pipeline_test

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/eval"
	"github.com/matdiff/matdiff/internal/cases"
	"github.com/matdiff/matdiff/internal/pipeline"
)

// TestExplainGolden works out every derivative of derive's golden tables
// step by step: the derivation ends with the result, and its rewritten
// expression (product or trace form) has the expression's value.
func TestExplainGolden(t *testing.T) {
	n := 0
	for _, file := range []string{"cases.txt", "ml_cases.txt"} {
		all, err := cases.Read(filepath.Join("..", "..", "derive", "testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range all {
			line := c.Line
			typed, d, err := pipeline.Differentiate(c.Expr, c.Request(), c.PipelineOptions())
			if err != nil {
				continue
			}
			n++
			x, err := typed.Explain(d)
			if err != nil {
				t.Errorf("%s:%d: %v", file, line, err)
				continue
			}
			last := x.Lines[len(x.Lines)-1]
			if last.Side != derive.SideDerivative || !ast.Equal(last.Expr, d.Result) {
				t.Errorf("%s:%d: the derivation does not end with the result", file, line)
			}
			if len(x.Lines) > 1 && x.Lines[1].Rule == "rewrite" {
				in := eval.NewInstance(typed.Info, nil)
				a, err1 := eval.Eval(typed.Expr, typed.Info, in)
				b, err2 := eval.Eval(x.Lines[1].Expr, typed.Info, in)
				if err1 == nil && (err2 != nil || math.Abs(a.At(0, 0)-b.At(0, 0)) > 1e-9*math.Max(1, math.Abs(a.At(0, 0)))) {
					t.Errorf("%s:%d: the rewritten expression has another value: %v", file, line, err2)
				}
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d derivations", n)
	}
}
