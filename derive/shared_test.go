package derive_test

import (
	"math/rand/v2"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/internal/randexpr"
	"github.com/matdiff/matdiff/simplify"
)

// A subexpression of more than 24 nodes written more than once has its
// adjoints summed and handed down once: random expressions that use a
// random large subexpression two or three times have derivatives that
// check numerically, and a nesting whose every level uses the one below
// twice has a raw gradient that grows with its depth, not with its 2^depth
// leaves.
func TestSharedSubexpressions(t *testing.T) {
	r := rand.New(rand.NewPCG(23+*propSeed, 5))
	g := &randexpr.Gen{R: r}
	templates := []string{"(S) (S) + sigmoid(S)", "(S)^2 - 3 (S)", "exp((S)/9) (S) + (S)"}
	vecTemplates := []string{"(V)^T (V) + sum(tanh(V))", "sum(softplus(V) .* (V))", "||V||^2 + x^T (V)"}
	checked, skipped := 0, 0
	for i := 0; checked+skipped < *props/5; i++ {
		k, tmpl := randexpr.Scalar, templates[i%len(templates)]
		if i%2 == 1 {
			k, tmpl = randexpr.Vec, vecTemplates[i%len(vecTemplates)]
		}
		sub := g.Composite(k, 2+r.IntN(2))
		if typed, err := pipeline.Parse(sub, pipeline.Options{Decls: randexpr.Decls}); err != nil || simplify.NodeCount(typed.Expr) <= 24 {
			continue
		}
		src := replaceAll(tmpl, sub) + randexpr.Anchor(randexpr.Scalar)
		typed, err := pipeline.Parse(src, pipeline.Options{Decls: randexpr.Decls})
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		nc, ns := checkByEach(t, typed, src, "x", "alpha", "A", "S")
		checked, skipped = checked+nc, skipped+ns
	}
	if checked < *props/10 {
		t.Errorf("only %d derivatives checked (%d without a valid instance)", checked, skipped)
	}

	raw := func(depth int) int {
		e := "x"
		for i := range depth {
			e = "A" + string(rune('0'+i%3)) + " ((" + e + ") .* y" + string(rune('0'+i%3)) + ") - (" + e + ")/2"
		}
		typed, err := pipeline.Parse("sum("+e+")", pipeline.Options{})
		if err != nil {
			t.Fatal(err)
		}
		r, err := derive.Derive(typed.Expr, typed.Info, derive.Request{Wrt: "x", Order: 1})
		if err != nil {
			t.Fatal(err)
		}
		return distinct(r.Expr)
	}
	if a, b := raw(10), raw(11); 2*b > 3*a {
		t.Errorf("raw gradients of %d and %d distinct nodes 10 and 11 deep: the copies were derived one by one", a, b)
	}
}

func replaceAll(tmpl, sub string) string {
	out := ""
	for _, c := range tmpl {
		if c == 'S' || c == 'V' {
			out += sub
			continue
		}
		out += string(c)
	}
	return out
}

// distinct counts the nodes of e, a shared subtree once.
func distinct(e ast.Expr) int {
	seen := map[ast.Expr]bool{}
	var walk func(e ast.Expr)
	walk = func(e ast.Expr) {
		if !seen[e] {
			seen[e] = true
			for i := range ast.NumChildren(e) {
				walk(ast.Child(e, i))
			}
		}
	}
	walk(e)
	return len(seen)
}
