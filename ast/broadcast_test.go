package ast_test

import (
	"slices"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/parser"
	"github.com/matdiff/matdiff/render"
)

// broadcastsOf infers src and returns what Checker.Broadcast reported,
// printed, with the typed tree and its Info.
func broadcastsOf(t *testing.T, c shapeCase) ([]ast.Expr, ast.Expr, *ast.Info) {
	t.Helper()
	e, err := parser.Config{Declared: func(name string) bool {
		_, ok := c.decls[name]
		return ok
	}}.Parse(c.src)
	if err != nil {
		t.Fatalf("%s: %v", c.src, err)
	}
	var got []ast.Expr
	typed, info, err := ast.Checker{Decls: c.decls, Broadcast: func(e ast.Expr) { got = append(got, e) }}.Infer(e)
	if err != nil {
		return nil, nil, nil
	}
	return got, typed, info
}

func TestInferBroadcast(t *testing.T) {
	for _, c := range []struct {
		src  string
		want []string
	}{
		{"x - mu", []string{"x - mu"}},
		{"x + y", nil},
		{"x^T y + alpha", nil},
		{"A .* alpha", []string{"A .* alpha"}},
		{"alpha ./ x", []string{"alpha ./ x"}},
		{"A ./ B", nil},
		{"(x - mu) .* (y + 1)", []string{"x - mu", "y + 1"}},
		{"(x - mu) .* (y + 1) + gamma", []string{"(x - mu) .* (y + 1) + gamma", "x - mu", "y + 1"}},
		{"||x - mu||^2 + ||y - nu||^2", []string{"x - mu", "y - nu"}},
		{"sum(A - alpha) + 2 tr(B) x^T (y + (z + beta) + gamma)", []string{"A - alpha", "y + (z + beta) + gamma", "z + beta"}},
	} {
		got, _, _ := broadcastsOf(t, shapeCase{src: c.src})
		var printed []string
		for _, e := range got {
			printed = append(printed, render.Text(e))
		}
		if !slices.Equal(printed, c.want) {
			t.Errorf("%s: broadcasts %q, want %q", c.src, printed, c.want)
		}
	}
}

// TestInferBroadcastAgreesWithShapes: the nodes Checker.Broadcast reports
// are, in order, the sums, .* and ./ of the typed tree whose operands'
// shapes (Info.Shape) are 1×1 and not, for every expression of the
// shapes golden file.
func TestInferBroadcastAgreesWithShapes(t *testing.T) {
	cases := specShapes
	for _, src := range goldenInputs(t) {
		cases = append(cases, shapeCase{src: src})
	}
	n := 0
	for _, c := range cases {
		got, typed, info := broadcastsOf(t, c)
		if typed == nil {
			continue
		}
		var want []ast.Expr
		ast.Inspect(typed, func(e ast.Expr) bool {
			var ops []ast.Expr
			switch e := e.(type) {
			case *ast.Sum:
				ops = e.Terms
			case *ast.Hadamard:
				ops = []ast.Expr{e.X, e.Y}
			case *ast.ElemDiv:
				ops = []ast.Expr{e.X, e.Y}
			default:
				return true
			}
			scalar, other := false, false
			for _, op := range ops {
				s := info.MustShape(op)
				scalar = scalar || s.IsScalar()
				other = other || !s.IsScalar()
			}
			if scalar && other {
				want = append(want, e)
			}
			return true
		})
		n += len(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: broadcasts %d nodes, want %d", c.src, len(got), len(want))
		}
	}
	if n < 5 {
		t.Fatalf("only %d broadcasts among the inputs", n)
	}
}
