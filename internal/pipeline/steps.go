package pipeline

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/simplify"
)

// Explain works d out step by step (derive.Explain over the steps the
// engine recorded). Its last line is d.Result, annotated with the
// simplifier's rules that produced it from d.Raw (each rule once, sorted).
// It works under t's limits: a limit error when the time budget runs out
// or when the lines together have more than MaxNodes nodes (counted as
// they are made, so a derivation too large is never built whole).
// The answer is kept in d: asking again costs nothing.
func (t *Typed) Explain(d *Derivative) (*derive.Derivation, error) {
	if !d.wasExplained {
		d.explained, d.explainErr = t.explain(d)
		d.wasExplained = true
	}
	return d.explained, d.explainErr
}

func (t *Typed) explain(d *Derivative) (*derive.Derivation, error) {
	req := d.Request
	if req.Simplify == nil {
		req.Simplify = t.Simplify
	}
	left := t.maxNodes // the nodes the lines may still have
	check := func(l *derive.Line) error {
		if !t.deadline.IsZero() && time.Now().After(t.deadline) {
			return stepsOverBudget
		}
		if l == nil || t.maxNodes <= 0 {
			return nil
		}
		for _, e := range []ast.Expr{l.Of, l.Expr, l.Node, l.Arg, l.Out} {
			left -= nodesUpTo(e, left)
		}
		for _, h := range l.Hands {
			left -= nodesUpTo(h.Arg, left) + nodesUpTo(h.Out, left)
		}
		if left < 0 {
			return &ast.Error{Kind: "limit", Msg: fmt.Sprintf("the derivation step by step has more than %d nodes: ask without --steps (with --cse for a long result), or for a smaller expression", t.maxNodes)}
		}
		return nil
	}
	rec := &derive.Result{Expr: d.Raw, Steps: d.Steps}
	if rec.Steps == nil {
		// The derivation records its steps only when asked: derive again,
		// recording them (the same raw tree, made the same way).
		withSteps := req
		withSteps.Steps = true
		r, err := derive.Derive(t.Expr, t.Info, withSteps)
		if err != nil {
			return nil, err
		}
		rec = r
	}
	x, err := derive.ExplainWithin(t.Expr, t.Info, req, rec, check)
	if err != nil {
		return nil, err
	}
	last := &x.Lines[len(x.Lines)-1]
	last.Expr = d.Result
	seen := map[string]bool{}
	ctx := &simplify.Context{Info: t.Info, Deadline: t.deadline, MaxSteps: t.maxSteps, Trace: func(s simplify.Step) {
		if !seen[s.Rule] {
			seen[s.Rule] = true
			last.Simplified = append(last.Simplified, s.Rule)
		}
	}}
	if _, err := ctx.Simplify(d.Raw); errors.Is(err, simplify.ErrDeadline) {
		return nil, stepsOverBudget
	}
	sort.Strings(last.Simplified)
	return x, nil
}

// stepsOverBudget is the limit error of a derivation that ran out of time.
var stepsOverBudget = &ast.Error{Kind: "limit", Msg: "out of time while writing out the steps: the derivation took longer than the budget of the expression; ask without --steps, or for a smaller expression"}

// nodesUpTo is the number of nodes of e (shared subtrees counted each
// time they occur, as they are printed), counting no further than
// max+1.
func nodesUpTo(e ast.Expr, max int) int {
	n := 0
	var count func(e ast.Expr)
	count = func(e ast.Expr) {
		if n > max {
			return
		}
		n++
		for _, k := range ast.Children(e) {
			count(k)
		}
	}
	if e != nil {
		count(e)
	}
	return n
}
