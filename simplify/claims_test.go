package simplify_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
	"github.com/matdiff/matdiff/simplify"
)

// met is a node the driver offered rules while a corpus was simplified,
// with the Info of its expression.
type met struct {
	e    ast.Expr
	info *ast.Info
}

// metNodes simplifies random expressions, the examples of the rule
// families, and the raw first derivatives of derive's golden files, and
// returns every node of every tree a rule saw or made.
func metNodes(t *testing.T) []met {
	t.Helper()
	var out []met
	gather := func(typed *pipeline.Typed, e ast.Expr) {
		seen := map[ast.Expr]bool{}
		collect := func(x ast.Expr) {
			ast.Inspect(x, func(n ast.Expr) bool {
				if n == nil || seen[n] {
					return false
				}
				seen[n] = true
				out = append(out, met{n, typed.Info})
				return true
			})
		}
		collect(e)
		c := &simplify.Context{Info: typed.Info, Trace: func(s simplify.Step) { collect(s.Before); collect(s.After) }}
		c.Simplify(e)
	}
	for _, src := range randomExprs(*randomN/3, *randomSeed+11) {
		if typed, err := parseErr(src); err == nil {
			gather(typed, typed.Expr)
		}
	}
	for _, ex := range slices.Concat(ruleExamples, softmaxExamples) {
		if typed, err := parseErr(ex.in); err == nil {
			gather(typed, typed.Expr)
		}
	}
	for _, g := range goldenEntries(t) {
		wrt, ok := strings.CutPrefix(g.wrt, "d/d")
		if !ok || g.vec {
			continue
		}
		typed, err := pipeline.Parse(g.expr, pipeline.Options{Decls: g.decls})
		if err != nil {
			continue
		}
		r, err := derive.Derive(typed.Expr, typed.Info, derive.Request{Wrt: wrt})
		if err != nil {
			continue
		}
		gather(typed, r.Expr)
	}
	return out
}

// TestRuleClaims checks what the driver relies on to skip rules (see
// simplify.Rule) on every node met while a corpus is simplified:
//   - an AnyOrder rule applies to a sum exactly when it applies to the
//     sum with its terms in other orders;
//   - a Sorts rule returns the same terms in an order on which it
//     declines;
//   - a rule with Needs declines on a node that has no child (nor
//     transposed child's operand) of those types.
func TestRuleClaims(t *testing.T) {
	var anyOrder, sorts, needs []simplify.Rule
	for _, r := range simplify.Default() {
		if r.AnyOrder {
			anyOrder = append(anyOrder, r)
		}
		if r.Sorts {
			sorts = append(sorts, r)
		}
		if r.Needs != 0 {
			needs = append(needs, r)
		}
	}
	if len(anyOrder) == 0 || len(sorts) == 0 || len(needs) == 0 {
		t.Fatal("no rule claims AnyOrder, Sorts or Needs")
	}
	rng := rand.New(rand.NewPCG(*randomSeed, 7))
	sums, applied, guarded := 0, map[string]int{}, map[string]int{}
	for _, m := range metNodes(t) {
		fresh := func() *simplify.Context { return &simplify.Context{Info: m.info} }
		for _, r := range needs {
			if r.On&simplify.OpOf(m.e) == 0 || childKinds(m.e)&r.Needs != 0 {
				continue
			}
			guarded[r.Name]++
			if out := r.Apply(fresh(), m.e); out != nil {
				t.Errorf("%s needs a child of another type but applies to %s, giving %s", r.Name, render.Text(m.e), render.Text(out))
			}
		}
		s, ok := m.e.(*ast.Sum)
		if !ok || len(s.Terms) < 2 {
			continue
		}
		sums++
		orders := [][]ast.Expr{slices.Clone(s.Terms), slices.Clone(s.Terms)}
		slices.Reverse(orders[0])
		rng.Shuffle(len(orders[1]), func(i, j int) { orders[1][i], orders[1][j] = orders[1][j], orders[1][i] })
		for _, r := range anyOrder {
			applies := r.Apply(fresh(), s) != nil
			if applies {
				applied[r.Name]++
			}
			for _, terms := range orders {
				other := &ast.Sum{Terms: terms}
				if got := r.Apply(fresh(), other) != nil; got != applies {
					t.Errorf("%s applies to %s: %v, to %s: %v", r.Name, render.Text(s), applies, render.Text(other), got)
				}
			}
		}
		for _, r := range sorts {
			out := r.Apply(fresh(), s)
			if out == nil {
				continue
			}
			sorted, ok := out.(*ast.Sum)
			if !ok || !samePointers(sorted.Terms, s.Terms) {
				t.Errorf("%s on %s gave %s, not the same terms in another order", r.Name, render.Text(s), render.Text(out))
				continue
			}
			if again := r.Apply(fresh(), sorted); again != nil {
				t.Errorf("%s applies to its own result %s", r.Name, render.Text(sorted))
			}
		}
	}
	if sums < 100 {
		t.Fatalf("only %d sums met", sums)
	}
	t.Logf("%d sums; AnyOrder rules that applied: %v; nodes a guard skips, by rule: %v", sums, applied, guarded)
}

// childKinds is the node types of e's children and of the operands of
// its transposed children, as Rule.Needs reads them.
func childKinds(e ast.Expr) simplify.Op {
	var k simplify.Op
	for _, x := range ast.Children(e) {
		k |= simplify.OpOf(x)
		if tr, ok := x.(*ast.Transpose); ok {
			k |= simplify.OpOf(tr.X)
		}
	}
	return k
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
