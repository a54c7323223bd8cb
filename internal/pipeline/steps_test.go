package pipeline_test

import (
	"bufio"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/eval"
	"github.com/matdiff/matdiff/internal/pipeline"
)

// TestExplainGolden works out every derivative of derive's golden tables
// step by step: the derivation ends with the result, and its rewritten
// expression (product or trace form) has the expression's value.
func TestExplainGolden(t *testing.T) {
	n := 0
	for _, file := range []string{"cases.txt", "ml_cases.txt"} {
		f, err := os.Open(filepath.Join("..", "..", "derive", "testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			l := sc.Text()
			if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
				continue
			}
			parts := strings.Split(l, "\t")
			decls := ast.Decls{}
			req := derive.Request{Order: 1}
			if len(parts) > 2 {
				req.Vec = strings.Contains(parts[2], "--vec")
				if strings.Contains(parts[2], "--numerator") {
					req.Layout = derive.Numerator
				}
				for _, item := range strings.Split(parts[2], ",") {
					if name, kind, ok := strings.Cut(strings.TrimSpace(item), ":"); ok {
						k, _ := ast.ParseKind(kind)
						decls[name] = k
					}
				}
			}
			tok := parts[0]
			if w, ok := strings.CutPrefix(tok, "d2/d"); ok {
				req.Order, req.Wrt = 2, strings.TrimSuffix(w, "2")
			} else {
				req.Wrt = strings.TrimPrefix(tok, "d/d")
				if w, ok := strings.CutSuffix(req.Wrt, "^T"); ok {
					req.Wrt, req.Transposed = w, true
				}
			}
			typed, d, err := pipeline.Differentiate(parts[1], req, pipeline.Options{Decls: decls})
			if err != nil {
				continue
			}
			n++
			x := typed.Explain(d)
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
		f.Close()
	}
	if n < 100 {
		t.Errorf("only %d derivations", n)
	}
}
