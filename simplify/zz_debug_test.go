package simplify_test

import (
	"os"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
	"github.com/matdiff/matdiff/simplify"
)

func TestDebug(t *testing.T) {
	src := os.Getenv("EXPR")
	if src == "" {
		t.Skip()
	}
	typed := parse(t, src)
	n := 0
	c := &simplify.Context{Info: typed.Info, Trace: func(s simplify.Step) {
		n++
		if n < 60 {
			t.Logf("%-22s %s  ->  %s", s.Rule, render.Text(s.Before), render.Text(s.After))
		}
	}}
	out, err := c.Simplify(typed.Expr)
	t.Logf("%s -> %s (%v)", src, render.Text(out), err)
}

func TestDebugDerive(t *testing.T) {
	src := os.Getenv("DEXPR")
	if src == "" {
		t.Skip()
	}
	typed, err := pipeline.Parse(src, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range typed.Info.Order {
		for _, req := range []derive.Request{{Wrt: name, Order: 1}, {Wrt: name, Order: 1, Layout: derive.Numerator}, {Wrt: name, Order: 1, Transposed: true}, {Wrt: name, Order: 2}} {
			req.Simplify = func(e ast.Expr) ast.Expr { return e }
			r, err := derive.Derive(typed.Expr, typed.Info, req)
			if err != nil {
				continue
			}
			t.Logf("raw %v: %s", req, render.Text(r.Expr))
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Logf("PANIC %v", p)
					}
				}()
				c := &simplify.Context{Info: typed.Info, Trace: func(s simplify.Step) {
					t.Logf("  %-22s %s  ->  %s", s.Rule, render.Text(s.Before), render.Text(s.After))
				}}
				c.Simplify(r.Expr)
			}()
		}
	}
}
