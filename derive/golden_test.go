package derive_test

import (
	"fmt"
	goldenfile "github.com/matdiff/matdiff/internal/golden"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/check"
	"github.com/matdiff/matdiff/eval"
	"github.com/matdiff/matdiff/internal/cases"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
)

// run differentiates a case and checks it numerically.
func run(t *testing.T, c cases.Case) (string, error) {
	t.Helper()
	req := c.Request()
	typed, d, err := pipeline.Differentiate(c.Expr, req, c.PipelineOptions())
	if err != nil {
		return "", err
	}
	rep, err := check.Derivative(typed.Expr, typed.Info, d.Request, d.Result, check.Options{Gradient: d.Gradient})
	if err != nil {
		return "", fmt.Errorf("check: %v (result %s)", err, render.Text(d.Result))
	}
	if !rep.OK {
		return "", fmt.Errorf("%s: result %s (raw %s)", rep, render.Text(d.Result), render.Text(d.Raw))
	}
	// The canonical result is also correct before simplification.
	raw, err := check.Derivative(typed.Expr, typed.Info, d.Request, d.Raw, check.Options{Gradient: d.Gradient})
	if err != nil || !raw.OK {
		return "", fmt.Errorf("raw result %s: %v %v", render.Text(d.Raw), raw, err)
	}
	if req.Order == 2 && req.Wrt2 == "" {
		if err := symmetric(typed, d.Result); err != nil {
			return "", err
		}
	}
	// As matdiff prints it: the declarations give the kinds of names.
	return render.Config{Info: typed.Info}.Expr(d.Result), nil
}

// symmetric checks that a Hessian evaluates to a symmetric matrix.
func symmetric(typed *pipeline.Typed, h ast.Expr) error {
	r := rand.New(rand.NewPCG(3, 5))
	for draw := 0; draw < 3; draw++ {
		in := eval.NewInstance(typed.Info, r)
		v, err := eval.Eval(h, typed.Info, in)
		if err != nil {
			continue
		}
		rows, cols := v.Dims()
		if rows != cols {
			return fmt.Errorf("the Hessian %s is %d×%d", render.Text(h), rows, cols)
		}
		for i := 0; i < rows; i++ {
			for j := 0; j < i; j++ {
				if math.Abs(v.At(i, j)-v.At(j, i)) > 1e-9*math.Max(1, math.Abs(v.At(i, j))) {
					return fmt.Errorf("the Hessian %s is not symmetric: %g vs %g", render.Text(h), v.At(i, j), v.At(j, i))
				}
			}
		}
	}
	return nil
}

func goldenCases(t *testing.T, table, golden string) {
	all, err := cases.Read(filepath.Join("testdata", table))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, c := range all {
		got, err := run(t, c)
		if err != nil {
			t.Errorf("%s:%d: %s: %v", c.File, c.Line, c, err)
			got = "ERROR " + err.Error()
		}
		fmt.Fprintf(&out, "%s\n  %s\n", c, got)
	}
	goldenfile.Check(t, filepath.Join("testdata", golden), out.String())
}

func TestDerivativesGolden(t *testing.T) {
	goldenCases(t, "cases.txt", "derivatives.golden")
}

func TestMachineLearningGolden(t *testing.T) {
	goldenCases(t, "ml_cases.txt", "ml.golden")
}

func TestFormsGolden(t *testing.T) {
	goldenCases(t, "forms_cases.txt", "forms.golden")
}
