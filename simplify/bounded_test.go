package simplify_test

import (
	"fmt"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/simplify"
)

// Deep nestings take rewrites in proportion to their depth: the rules
// that would transform the whole subtree at every level are bounded.
// The count of rewrites, not the time, is what the test weighs: of the
// expression, or of its raw derivative by wrt.
func TestRewritesGrowLinearly(t *testing.T) {
	nestings := []struct {
		name, seed, wrt string
		step            func(e string, i int) string
		wrap            func(e string) string
	}{
		// transpose-inverse keeps the transpose of a large inverse
		// outside: pushed in, it transposes every level below.
		{"inverse transposes", "X", "", func(e string, i int) string { return fmt.Sprintf("(%s)^-T A%d", e, i%3) }, trace},
		// transpose-product keeps the transpose of a long chain outside:
		// the adjoint of every level is the transpose of the one above.
		{"transposed chains", "X", "X", func(e string, i int) string { return fmt.Sprintf("(A%d %s)^T + B", i%3, e) }, trace},
	}
	rewrites := func(src, wrt string) int {
		typed := parse(t, src)
		e := typed.Expr
		if wrt != "" {
			r, err := derive.Derive(e, typed.Info, derive.Request{Wrt: wrt, Order: 1})
			if err != nil {
				t.Fatal(err)
			}
			e = r.Expr
		}
		return countRewrites(t, e, typed.Info)
	}
	for _, nest := range nestings {
		var counts []int
		for _, depth := range []int{200, 400} {
			e := nest.seed
			for i := range depth {
				e = nest.step(e, i)
			}
			counts = append(counts, rewrites(nest.wrap(e), nest.wrt))
		}
		if counts[1] > 3*counts[0] {
			t.Errorf("%s: %d rewrites 200 deep, %d 400 deep: more than linear", nest.name, counts[0], counts[1])
		}
	}
}

func trace(e string) string { return "tr(" + e + ")" }

func countRewrites(t *testing.T, e ast.Expr, info *ast.Info) int {
	n := 0
	c := &simplify.Context{Info: info, Trace: func(simplify.Step) { n++ }}
	if _, err := c.Simplify(e); err != nil {
		t.Fatal(err)
	}
	return n
}

// A subtree that occurs twice is simplified once (bottomUp remembers
// canonical forms by key): a nesting whose every level writes the one
// below twice holds 2^depth copies of x, and one level more adds a few
// rewrites, not twice as many.
func TestCopiesSimplifiedOnce(t *testing.T) {
	rewrites := func(depth int) int {
		e := "x"
		for i := range depth {
			e = fmt.Sprintf("A%d ((%s) .* y%d) - (%s)/2", i%3, e, i%3, e)
		}
		typed := parse(t, "sum("+e+")")
		return countRewrites(t, typed.Expr, typed.Info)
	}
	if a, b := rewrites(10), rewrites(11); 2*b > 3*a {
		t.Errorf("%d rewrites 10 deep, %d 11 deep: the copies were simplified again", a, b)
	}
}

// Simplify takes its records off the nodes as it returns: a record left
// on the result, or on the input it shares subtrees with, would keep the
// records' blocks alive, and with them the trees the rules dropped.
func TestRecordsReleased(t *testing.T) {
	typed := parse(t, "||A1 x - b1||^2 + ||A2 x - b2||^2 + tr((A B)^T C) + sum(x ./ x)")
	r, err := derive.Derive(typed.Expr, typed.Info, derive.Request{Wrt: "x", Order: 1})
	if err != nil {
		t.Fatal(err)
	}
	c := &simplify.Context{Info: typed.Info}
	var during int
	c.Trace = func(s simplify.Step) { during = max(during, simplify.Records(c, s.After)) }
	out, err := c.Simplify(r.Expr)
	if err != nil {
		t.Fatal(err)
	}
	if during == 0 {
		t.Fatal("no records while simplifying: the test sees nothing")
	}
	if n := simplify.Records(c, out, r.Expr, typed.Expr); n != 0 {
		t.Errorf("%d nodes keep a record after Simplify", n)
	}
}

// Flattening keeps a shared subtree shared: the adjoint that a derivative
// passes to both copies of a subexpression is flattened once, and the
// flattened tree has about as many distinct nodes as the derivative, not
// as many as it has when every occurrence is counted.
func TestFlattenKeepsSharing(t *testing.T) {
	e := "x"
	for i := range 8 {
		e = fmt.Sprintf("A%d ((%s) .* y%d) - (%s)/2", i%3, e, i%3, e)
	}
	typed := parse(t, "sum("+e+")")
	r, err := derive.Derive(typed.Expr, typed.Info, derive.Request{Wrt: "x", Order: 1})
	if err != nil {
		t.Fatal(err)
	}
	var flat ast.Expr
	c := &simplify.Context{Info: typed.Info}
	c.Trace = func(s simplify.Step) {
		if s.Rule == "flatten" && flat == nil {
			flat = s.After
		}
	}
	if _, err := c.Simplify(r.Expr); err != nil {
		t.Fatal(err)
	}
	if flat == nil {
		t.Fatal("the derivative was not flattened: the test sees nothing")
	}
	raw, got, all := distinctNodes(r.Expr), distinctNodes(flat), simplify.NodeCount(flat)
	if got > 2*raw || 2*got > all {
		t.Errorf("flattened: %d distinct nodes of %d, from %d: shared subtrees were copied", got, all, raw)
	}
}

// distinctNodes counts the nodes of e, a shared subtree once.
func distinctNodes(e ast.Expr) int {
	seen := map[ast.Expr]bool{}
	var walk func(e ast.Expr)
	walk = func(e ast.Expr) {
		if !seen[e] {
			seen[e] = true
			for _, k := range ast.Children(e) {
				walk(k)
			}
		}
	}
	walk(e)
	return len(seen)
}

// sizeOver, which counts a sum's terms only until they pass the limit,
// answers as NodeCount does, over random expressions and sums of them,
// at limits around their sizes.
func TestSizeOverAgreesWithNodeCount(t *testing.T) {
	srcs := randomExprs(200, 11)
	for i := 0; i+2 < len(srcs); i += 3 {
		srcs = append(srcs, srcs[i]+" + "+srcs[i+1]+" - "+srcs[i+2])
	}
	checked, sums := 0, 0
	for _, src := range srcs {
		typed, err := parseErr(src)
		if err != nil {
			continue
		}
		if s, ok := typed.Expr.(*ast.Sum); ok && len(s.Terms) > 2 {
			sums++
		}
		n := simplify.NodeCount(typed.Expr)
		for _, limit := range []int{0, n / 2, n - 1, n, n + 1} {
			c := &simplify.Context{Info: typed.Info}
			if got := simplify.SizeOver(c, typed.Expr, limit); got != (n > limit) {
				t.Errorf("%s: sizeOver(%d) = %v, NodeCount %d", src, limit, got, n)
			}
		}
		checked++
	}
	if checked < 100 || sums < 10 {
		t.Fatalf("%d expressions parsed, %d of them sums: the test sees too little", checked, sums)
	}
}
