package derive_test

import (
	"strings"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/check"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
)

// TestLongProducts: products with so many factors that depend on the
// variable that their adjoints share partial products (a chain of 1×1
// runs, a product of scalars, a matrix chain) differentiate to the
// values finite differences give, raw and simplified, and the raw
// derivative is small as a tree with shared subtrees.
func TestLongProducts(t *testing.T) {
	for _, c := range []struct{ expr, wrt string }{
		{strings.Repeat("x^T x ", 20), "x"},
		{strings.Repeat("x^T A x ", 12) + "y^T x", "x"},
		{strings.Repeat("alpha ", 40) + "x^T y", "alpha"},
		{strings.Repeat("sum(tanh(x)) ", 36) + "x^T y", "x"},
		{"||" + strings.Repeat("A ", 33) + "x||^2", "A"},
		{"y^T " + strings.Repeat("B A ", 20) + "x", "A"},
	} {
		typed, err := pipeline.Parse(c.expr, pipeline.Options{Decls: ast.Decls{"A": ast.KindSquare}})
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		d, err := typed.Derive(derive.Request{Wrt: c.wrt})
		if err != nil {
			t.Errorf("d/d%s %s: %v", c.wrt, c.expr, err)
			continue
		}
		for _, got := range []ast.Expr{d.Raw, d.Result} {
			rep, err := check.Derivative(typed.Expr, typed.Info, d.Request, got, check.Options{})
			if err != nil || !rep.OK {
				t.Errorf("d/d%s %s = %.200s: %v %v", c.wrt, c.expr, render.Text(got), rep, err)
			}
		}
		if n, limit := edges(d.Raw), 40*len(strings.Fields(c.expr)); n > limit {
			t.Errorf("d/d%s %s: the raw derivative has %d edges, more than %d", c.wrt, c.expr, n, limit)
		}
	}
}

// edges counts the links from nodes to their children in e, those of a
// shared subtree once: the space the tree takes.
func edges(e ast.Expr) int {
	seen := map[ast.Expr]bool{}
	n := 0
	var walk func(ast.Expr)
	walk = func(e ast.Expr) {
		if seen[e] {
			return
		}
		seen[e] = true
		for _, k := range ast.Children(e) {
			n++
			walk(k)
		}
	}
	walk(e)
	return n
}
