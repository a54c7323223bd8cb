package pipeline

import (
	"fmt"

	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/simplify"
)

// Explain works d out step by step (derive.Explain over the steps the
// engine recorded). Its last line is d.Result, annotated with the
// simplifier's rules that produced it from d.Raw.
func (t *Typed) Explain(d *Derivative) *derive.Derivation {
	req := d.Request
	if req.Simplify == nil {
		req.Simplify = t.Simplify
	}
	x := derive.Explain(t.Expr, t.Info, req, &derive.Result{Expr: d.Raw, Steps: d.Steps})
	last := &x.Lines[len(x.Lines)-1]
	last.Expr = d.Result
	var order []string
	count := map[string]int{}
	ctx := &simplify.Context{Info: t.Info, Trace: func(s simplify.Step) {
		if count[s.Rule] == 0 {
			order = append(order, s.Rule)
		}
		count[s.Rule]++
	}}
	_, _ = ctx.Simplify(d.Raw)
	for _, r := range order {
		if n := count[r]; n > 1 {
			r = fmt.Sprintf("%s ×%d", r, n)
		}
		last.Simplified = append(last.Simplified, r)
	}
	return x
}
