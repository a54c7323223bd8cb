package pipeline

import (
	"sort"

	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/simplify"
)

// Explain works d out step by step (derive.Explain over the steps the
// engine recorded). Its last line is d.Result, annotated with the
// simplifier's rules that produced it from d.Raw (each rule once, sorted).
func (t *Typed) Explain(d *Derivative) *derive.Derivation {
	req := d.Request
	if req.Simplify == nil {
		req.Simplify = t.Simplify
	}
	x := derive.Explain(t.Expr, t.Info, req, &derive.Result{Expr: d.Raw, Steps: d.Steps})
	last := &x.Lines[len(x.Lines)-1]
	last.Expr = d.Result
	seen := map[string]bool{}
	ctx := &simplify.Context{Info: t.Info, Trace: func(s simplify.Step) {
		if !seen[s.Rule] {
			seen[s.Rule] = true
			last.Simplified = append(last.Simplified, s.Rule)
		}
	}}
	_, _ = ctx.Simplify(d.Raw)
	sort.Strings(last.Simplified)
	return x
}
