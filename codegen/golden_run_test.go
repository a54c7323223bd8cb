package codegen_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/internal/cases"
	"github.com/matdiff/matdiff/internal/pipeline"
)

// goldenRequests are the golden derivatives of scalar expressions
// (gradients and Hessians) of derive's tables.
func goldenRequests(t *testing.T) []request {
	t.Helper()
	var out []request
	for _, file := range []string{"cases.txt", "ml_cases.txt"} {
		cs, err := cases.Read(filepath.Join("..", "derive", "testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			req := c.Request()
			if req.Vec || req.Transposed {
				continue
			}
			opts := c.PipelineOptions()
			typed, err := pipeline.Parse(c.Expr, opts)
			if err != nil {
				t.Fatalf("%s: %v", c, err)
			}
			if s, err := typed.Info.Shape(typed.Expr); err != nil || !s.IsScalar() {
				continue
			}
			if v := typed.Info.Vars[req.Wrt]; v == nil || (req.Order == 2 && v.Shape.IsMatrix()) {
				continue
			}
			out = append(out, request{what: c.String(), src: c.Expr, decls: opts.Decls, wrt: req.Wrt, order: req.Order})
		}
	}
	return out
}

// TestGoldenDerivativesRun generates code for every golden derivative of
// a scalar expression in each language, runs it on random inputs of
// random consistent sizes, compares the value and the derivative with
// finite differences, and calls it with an inconsistent size.
func TestGoldenDerivativesRun(t *testing.T) {
	reqs := goldenRequests(t)
	if len(reqs) < 50 {
		t.Fatalf("only %d golden derivatives of scalars", len(reqs))
	}
	for _, lang := range []string{"numpy", "torch", "eigen"} {
		t.Run(lang, func(t *testing.T) {
			needLang(t, lang)
			var jobs []*job
			for i, r := range reqs {
				j, why := makeJob(t, i+1, r, lang)
				if j == nil {
					if strings.HasPrefix(why, "codegen: ") {
						t.Errorf("%s: %s", r.what, why)
					} else {
						t.Logf("%s: skipped: %s", r.what, why)
					}
					continue
				}
				jobs = append(jobs, j)
			}
			t.Logf("%d of %d derivatives run", len(jobs), len(reqs))
			if lang == "eigen" {
				runEigen(t, jobs)
			} else {
				runPython(t, lang, jobs)
			}
		})
	}
}
