// Package pipeline chains matdiff's phases in the one direction data flows:
// text → parser → ast (shapes) → derive → simplify. The command line and
// the test suites both go through it, so that what is tested is what runs.
package pipeline

import (
	"errors"
	"fmt"
	"time"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/parser"
	"github.com/matdiff/matdiff/render"
	"github.com/matdiff/matdiff/simplify"
)

// Options are the declarations and conventions of one run, and its
// limits.
type Options struct {
	Decls  ast.Decls
	Layout derive.Layout
	// MaxNodes bounds the size of a derivative, as the rules produce it
	// and once simplified (0: DefaultMaxNodes; negative: no bound).
	MaxNodes int
	// MaxSteps caps the simplifier's rule applications at one node (0:
	// simplify.DefaultMaxSteps); a derivative whose simplification
	// reaches it carries CappedWarning.
	MaxSteps int
	// Budget is the time one expression may take from parsing to its
	// simplified derivatives (0: DefaultBudget; negative: no bound).
	Budget time.Duration
}

const (
	// DefaultMaxNodes is the default bound on the nodes of a derivative.
	DefaultMaxNodes = 1 << 20
	// DefaultBudget is the default time budget of one expression.
	DefaultBudget = 5 * time.Second
)

// Typed is a parsed, shape-checked expression.
type Typed struct {
	Source string
	Expr   ast.Expr
	Info   *ast.Info
	// Warnings name what in the input is valid but most likely not what
	// was meant (a broadcast that a declaration would change, / before a
	// juxtaposed product, exp of a matrix under tr). They never change a
	// result.
	Warnings []string

	decls    ast.Decls // the declarations it was read with
	maxNodes int       // 0: no bound
	deadline time.Time // zero: none
	maxSteps int       // the simplifier's cap per node (0: its default)
	capped   bool      // a simplification stopped at its cap
}

// Parse reads and shape-checks src.
func Parse(src string, opts Options) (*Typed, error) {
	start := time.Now()
	var words []splitWord
	cfg := parser.Config{Declared: func(name string) bool {
		_, ok := opts.Decls[name]
		return ok
	}, Split: func(w, names string, at ast.Pos) { words = append(words, splitWord{w, names, at}) }}
	e, err := cfg.Parse(src)
	if err != nil {
		return nil, err
	}
	var broadcasts []ast.Expr // what the warnings look at
	checker := ast.Checker{Decls: opts.Decls, Describe: render.Text, Broadcast: func(e ast.Expr) { broadcasts = append(broadcasts, e) }}
	typed, info, err := checker.Infer(e)
	if err != nil {
		if hinted := suggestWord(err, src, words, opts.Decls); hinted != nil {
			return nil, hinted
		}
		if hinted := suggestGrouping(err, src, e, opts.Decls); hinted != nil {
			return nil, hinted
		}
		return nil, suggestDeclaration(err, e, opts.Decls)
	}
	t := &Typed{Source: src, Expr: typed, Info: info, decls: opts.Decls, maxNodes: opts.MaxNodes, maxSteps: opts.MaxSteps}
	t.Warnings = warnings(src, e, typed, info, opts.Decls, broadcasts)
	switch {
	case t.maxNodes == 0:
		t.maxNodes = DefaultMaxNodes
	case t.maxNodes < 0:
		t.maxNodes = 0
	}
	switch {
	case opts.Budget == 0:
		t.deadline = start.Add(DefaultBudget)
	case opts.Budget > 0:
		t.deadline = start.Add(opts.Budget)
	}
	return t, nil
}

// Simplify returns the canonical form of e under t's shapes. When the
// time budget runs out it returns the form reached (see Derive for the
// error).
func (t *Typed) Simplify(e ast.Expr) ast.Expr {
	out, _ := t.simplify(e)
	return out
}

// simplify returns the canonical form of e, or a limit error when the
// time budget ran out or the result is larger than MaxNodes.
func (t *Typed) simplify(e ast.Expr) (ast.Expr, error) {
	out, err := t.canonical(e, nil, "derivative")
	if errors.Is(err, simplify.ErrCycle) {
		t.capped = true // the form reached is correct; Derive warns
		err = nil
	}
	return out, err
}

// Canonical returns the canonical form of t's own expression (what
// matdiff simplify prints) under t's limits: a limit error when the time
// budget ran out or the result is larger than MaxNodes, and
// simplify.ErrCycle with the form reached when the rules did not settle.
// trace, when set, receives every rule applied.
func (t *Typed) Canonical(trace func(simplify.Step)) (ast.Expr, error) {
	return t.canonical(t.Expr, trace, "expression")
}

func (t *Typed) canonical(e ast.Expr, trace func(simplify.Step), what string) (ast.Expr, error) {
	// A tree with shared subtrees may be far larger than the memory it
	// takes: its size is checked before the rules unfold it (with room
	// for what simplification removes).
	if t.maxNodes > 0 && !ast.SizeAtMost(e, 4*t.maxNodes) {
		return e, &ast.Error{Kind: "limit", Msg: fmt.Sprintf("the %s has more than %d nodes", what, 4*t.maxNodes)}
	}
	c := &simplify.Context{Info: t.Info, Deadline: t.deadline, Trace: trace, MaxSteps: t.maxSteps}
	out, err := c.Simplify(e)
	if errors.Is(err, simplify.ErrDeadline) {
		return out, t.overBudget("simplifying the " + what)
	}
	if err := t.checkSize(out, "simplified "+what); err != nil {
		return out, err
	}
	return out, err
}

// checkTime is the limit error when the time budget has run out.
func (t *Typed) checkTime(doing string) error {
	if !t.deadline.IsZero() && time.Now().After(t.deadline) {
		return t.overBudget(doing)
	}
	return nil
}

// Deadline is the end of t's time budget (zero: none); work that follows
// the pipeline (a numeric check) ends there too.
func (t *Typed) Deadline() time.Time { return t.deadline }

// OverBudget is the limit error of running out of time while doing.
func (t *Typed) OverBudget(doing string) error { return t.overBudget(doing) }

func (t *Typed) overBudget(doing string) error {
	return &ast.Error{Kind: "limit", Msg: fmt.Sprintf("out of time while %s: the expression took longer than its budget", doing)}
}

// CheckEvery is the limit error when differentiating t by each of its
// variables in turn (matdiff grad) would take more than the limits allow:
// every derivative walks the whole expression, so the work grows as the
// number of variables times the size of the expression.
func (t *Typed) CheckEvery() error {
	v := len(t.Info.Order)
	if t.maxNodes <= 0 || v < 2 {
		return nil
	}
	if !ast.SizeAtMost(t.Expr, everyWork*t.maxNodes/v) {
		return &ast.Error{Kind: "limit", Msg: fmt.Sprintf("the expression is too large to differentiate by each of its %d variables within the limits; differentiate by the ones needed with d/dX", v)}
	}
	return nil
}

// everyWork bounds the nodes that derivatives by every variable visit in
// all, as a multiple of MaxNodes.
const everyWork = 8

// checkSize is the limit error when e has more than MaxNodes nodes.
func (t *Typed) checkSize(e ast.Expr, what string) error {
	if t.maxNodes > 0 && !ast.SizeAtMost(e, t.maxNodes) {
		return &ast.Error{Kind: "limit", Msg: fmt.Sprintf("the %s has more than %d nodes", what, t.maxNodes)}
	}
	return nil
}

// Derivative is a derivative with what produced it.
type Derivative struct {
	Request derive.Request
	Raw     ast.Expr // as the rules produced it
	Result  ast.Expr // canonical
	Steps   []derive.Step
	// Absent is set when the variable does not occur in the expression
	// (the result is then 0).
	Absent bool
	// Gradient is the first derivative, for a second-order request.
	Gradient ast.Expr
	// Warnings say what the caller should know of the result: that the
	// simplifier stopped at its iteration cap (CappedWarning).
	Warnings []string

	explained    *derive.Derivation // Explain's answer, once asked
	explainErr   error
	wasExplained bool
}

// CappedWarning is the warning of a derivative whose simplification
// stopped at the iteration cap: the result is correct, perhaps not in its
// simplest form.
const CappedWarning = "the simplifier stopped at its iteration cap; the result is correct but may not be in its simplest form"

// Derive differentiates t as req says and simplifies the result.
func (t *Typed) Derive(req derive.Request) (*Derivative, error) {
	if req.Order == 0 {
		req.Order = 1
	}
	t.capped = false
	// Intermediate results (a gradient before a Hessian) are simplified
	// under the same limits.
	var inner error
	req.Simplify = func(e ast.Expr) ast.Expr {
		out, err := t.simplify(e)
		if inner == nil {
			inner = err
		}
		return out
	}
	_, ok2 := t.Info.Vars[req.Wrt2]
	if _, ok := t.Info.Vars[req.Wrt]; !ok || req.Wrt2 != "" && !ok2 {
		return &Derivative{Request: req, Raw: ast.Int(0), Result: ast.Int(0), Absent: true}, nil
	}
	// run applies the rules and simplifies the result within the limits.
	run := func(req derive.Request) (raw, result ast.Expr, steps []derive.Step, err error) {
		if err := t.checkTime("differentiating"); err != nil {
			return nil, nil, nil, err
		}
		r, err := derive.Derive(t.Expr, t.Info, req)
		if err != nil {
			err = t.suggestScalar(err, req)
		}
		if err == nil {
			err = inner
		}
		if err == nil {
			err = t.checkSize(r.Expr, "derivative")
		}
		if err == nil {
			err = t.checkTime("differentiating")
		}
		if err != nil {
			return nil, nil, nil, err
		}
		result, err = t.simplify(r.Expr)
		if err != nil {
			return nil, nil, nil, err
		}
		return r.Expr, result, r.Steps, nil
	}
	raw, result, steps, err := run(req)
	if err != nil {
		return nil, err
	}
	d := &Derivative{Request: req, Raw: raw, Result: result, Steps: steps}
	defer func() {
		if t.capped {
			d.Warnings = append(d.Warnings, CappedWarning)
		}
	}()
	if req.Order == 2 {
		first := req
		first.Order = 1
		first.Wrt2 = ""
		first.Transposed = false
		first.Layout = derive.Denominator
		_, d.Gradient, _, err = run(first)
		if err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Differentiate parses src and differentiates it by wrt.
func Differentiate(src string, req derive.Request, opts Options) (*Typed, *Derivative, error) {
	t, err := Parse(src, opts)
	if err != nil {
		return nil, nil, err
	}
	if req.Layout == derive.Denominator {
		req.Layout = opts.Layout
	}
	d, err := t.Derive(req)
	if err != nil {
		return t, nil, err
	}
	return t, d, nil
}

// String is for debugging.
func (d *Derivative) String() string {
	return fmt.Sprintf("%s", render.Text(d.Result))
}
