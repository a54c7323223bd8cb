// Package pipeline chains matdiff's phases in the one direction data flows:
// text → parser → ast (shapes) → derive → simplify. The command line and
// the test suites both go through it, so that what is tested is what runs.
package pipeline

import (
	"fmt"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/parser"
	"github.com/matdiff/matdiff/render"
	"github.com/matdiff/matdiff/simplify"
)

// Options are the declarations and conventions of one run.
type Options struct {
	Decls  ast.Decls
	Layout derive.Layout
}

// Typed is a parsed, shape-checked expression.
type Typed struct {
	Source string
	Expr   ast.Expr
	Info   *ast.Info
}

// Parse reads and shape-checks src.
func Parse(src string, opts Options) (*Typed, error) {
	cfg := parser.Config{Declared: func(name string) bool {
		_, ok := opts.Decls[name]
		return ok
	}}
	e, err := cfg.Parse(src)
	if err != nil {
		return nil, err
	}
	checker := ast.Checker{Decls: opts.Decls, Describe: render.Text}
	e, info, err := checker.Infer(e)
	if err != nil {
		return nil, err
	}
	return &Typed{Source: src, Expr: e, Info: info}, nil
}

// Simplify returns the canonical form of e under t's shapes.
func (t *Typed) Simplify(e ast.Expr) ast.Expr { return simplify.Simplify(e, t.Info) }

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
}

// Derive differentiates t as req says and simplifies the result.
func (t *Typed) Derive(req derive.Request) (*Derivative, error) {
	if req.Order == 0 {
		req.Order = 1
	}
	req.Simplify = t.Simplify
	if _, ok := t.Info.Vars[req.Wrt]; !ok {
		return &Derivative{Request: req, Raw: ast.Int(0), Result: ast.Int(0), Absent: true}, nil
	}
	r, err := derive.Derive(t.Expr, t.Info, req)
	if err != nil {
		return nil, err
	}
	d := &Derivative{Request: req, Raw: r.Expr, Result: t.Simplify(r.Expr), Steps: r.Steps}
	if req.Order == 2 {
		first := req
		first.Order = 1
		first.Transposed = false
		first.Layout = derive.Denominator
		g, err := derive.Derive(t.Expr, t.Info, first)
		if err != nil {
			return nil, err
		}
		d.Gradient = t.Simplify(g.Expr)
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
