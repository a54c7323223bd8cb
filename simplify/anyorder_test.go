package simplify_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/render"
	"github.com/matdiff/matdiff/simplify"
)

// TestAnyOrderRules checks the claims the driver relies on to skip rules
// after a sorting rule (see simplify.Rule): on every sum met while random
// expressions are simplified, an AnyOrder rule applies to the sum exactly
// when it applies to the sum with its terms in other orders, and a Sorts
// rule returns the same terms in an order on which it declines.
func TestAnyOrderRules(t *testing.T) {
	var anyOrder, sorts []simplify.Rule
	for _, r := range simplify.Default() {
		if r.AnyOrder {
			anyOrder = append(anyOrder, r)
		}
		if r.Sorts {
			sorts = append(sorts, r)
		}
	}
	if len(anyOrder) == 0 || len(sorts) == 0 {
		t.Fatal("no rule claims AnyOrder or Sorts")
	}
	rng := rand.New(rand.NewPCG(*randomSeed, 7))
	checked, applied := 0, map[string]int{}
	for _, src := range randomExprs(*randomN/3, *randomSeed+11) {
		typed, err := parseErr(src)
		if err != nil {
			continue
		}
		var sums []*ast.Sum
		collect := func(e ast.Expr) {
			ast.Inspect(e, func(x ast.Expr) bool {
				if s, ok := x.(*ast.Sum); ok && len(s.Terms) > 1 {
					sums = append(sums, s)
				}
				return true
			})
		}
		collect(typed.Expr)
		c := &simplify.Context{Info: typed.Info, Trace: func(s simplify.Step) { collect(s.Before); collect(s.After) }}
		c.Simplify(typed.Expr)
		for _, s := range sums {
			orders := [][]ast.Expr{slices.Clone(s.Terms), slices.Clone(s.Terms)}
			slices.Reverse(orders[0])
			rng.Shuffle(len(orders[1]), func(i, j int) { orders[1][i], orders[1][j] = orders[1][j], orders[1][i] })
			for _, r := range anyOrder {
				applies := r.Apply(&simplify.Context{Info: typed.Info}, s) != nil
				if applies {
					applied[r.Name]++
				}
				for _, terms := range orders {
					other := &ast.Sum{Terms: terms}
					if got := r.Apply(&simplify.Context{Info: typed.Info}, other) != nil; got != applies {
						t.Errorf("%s applies to %s: %v, to %s: %v", r.Name, render.Text(s), applies, render.Text(other), got)
					}
				}
			}
			for _, r := range sorts {
				out := r.Apply(&simplify.Context{Info: typed.Info}, s)
				if out == nil {
					continue
				}
				sorted, ok := out.(*ast.Sum)
				if !ok || !samePointers(sorted.Terms, s.Terms) {
					t.Errorf("%s on %s gave %s, not the same terms in another order", r.Name, render.Text(s), render.Text(out))
					continue
				}
				if again := r.Apply(&simplify.Context{Info: typed.Info}, sorted); again != nil {
					t.Errorf("%s applies to its own result %s", r.Name, render.Text(sorted))
				}
			}
			checked++
		}
	}
	if checked < 100 {
		t.Fatalf("only %d sums checked", checked)
	}
	t.Logf("%d sums checked; rules that applied: %v", checked, applied)
}

// samePointers reports whether a and b hold the same nodes, in any order.
func samePointers(a, b []ast.Expr) bool {
	if len(a) != len(b) {
		return false
	}
	count := map[ast.Expr]int{}
	for _, x := range a {
		count[x]++
	}
	for _, x := range b {
		if count[x] == 0 {
			return false
		}
		count[x]--
	}
	return true
}
