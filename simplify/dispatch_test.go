package simplify_test

import (
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/simplify"
)

// TestRulesDeclareTheirNodeTypes: every default rule is offered every
// node (as if it declared no types) over the golden derivatives and random
// expressions, and never rewrites a node of a type outside its On, so
// that dispatching by node type offers each rule all the nodes it rewrites.
func TestRulesDeclareTheirNodeTypes(t *testing.T) {
	var rules []simplify.Rule
	bad := map[string]bool{}
	for _, r := range simplify.Default() {
		if r.On == 0 {
			t.Errorf("rule %s declares no node types", r.Name)
			continue
		}
		apply, on, name := r.Apply, r.On, r.Name
		r.Apply = func(c *simplify.Context, e ast.Expr) ast.Expr {
			out := apply(c, e)
			if out != nil && simplify.OpOf(e)&on == 0 && !bad[name] {
				bad[name] = true
				t.Errorf("rule %s rewrites a %T, not among its node types", name, e)
			}
			return out
		}
		r.On = 0
		rules = append(rules, r)
	}
	run := func(e ast.Expr, info *ast.Info) {
		c := &simplify.Context{Info: info, Rules: rules}
		if _, err := c.Simplify(e); err != nil {
			t.Errorf("%v", err)
		}
	}
	for _, g := range goldenEntries(t) {
		typed, err := pipeline.Parse(g.expr, pipeline.Options{Decls: g.decls})
		if err != nil {
			continue
		}
		run(typed.Expr, typed.Info)
		for _, v := range typed.Info.Order {
			r, err := derive.Derive(typed.Expr, typed.Info, derive.Request{Wrt: v, Vec: g.vec})
			if err == nil {
				run(r.Expr, typed.Info)
			}
		}
	}
	for _, src := range randomExprs(300, 7) {
		typed, err := parseErr(src)
		if err != nil {
			continue
		}
		run(typed.Expr, typed.Info)
	}
}
