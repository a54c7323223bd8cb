package simplify_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/render"
	"github.com/matdiff/matdiff/simplify"
)

// swap rewrites a + b to b + a when before says so.
func swap(before func(a, b string) bool) func(*simplify.Context, ast.Expr) ast.Expr {
	return func(c *simplify.Context, e ast.Expr) ast.Expr {
		s, ok := e.(*ast.Sum)
		if !ok || len(s.Terms) != 2 || !before(simplify.Key(s.Terms[0]), simplify.Key(s.Terms[1])) {
			return nil
		}
		return &ast.Sum{Terms: []ast.Expr{s.Terms[1], s.Terms[0]}}
	}
}

// TestCycleStops: rules that undo each other stop at the cap with ErrCycle.
func TestCycleStops(t *testing.T) {
	typed := parse(t, "A + B")
	c := &simplify.Context{Info: typed.Info, MaxSteps: 50, Rules: []simplify.Rule{
		{Name: "swap-up", Doc: "A + B -> B + A", Apply: swap(func(a, b string) bool { return a < b })},
		{Name: "swap-down", Doc: "B + A -> A + B", Apply: swap(func(a, b string) bool { return a > b })},
	}}
	steps := 0
	c.Trace = func(simplify.Step) { steps++ }
	done := make(chan struct{})
	var out ast.Expr
	var err error
	go func() {
		out, err = c.Simplify(typed.Expr)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Simplify did not return")
	}
	if !errors.Is(err, simplify.ErrCycle) {
		t.Errorf("err = %v, want ErrCycle", err)
	}
	if out == nil {
		t.Fatal("no expression returned")
	}
	if got := render.Text(out); got != "A + B" && got != "B + A" {
		t.Errorf("returned %s", got)
	}
	if steps < 50 {
		t.Errorf("%d steps traced, want at least the cap (50)", steps)
	}
}

// TestDefaultRulesSettle: the default rules report no error on a normal
// expression.
func TestDefaultRulesSettle(t *testing.T) {
	typed := parse(t, "(A + A^T) x - b + 2 (x^T y) y")
	if _, err := simplifyAll(typed.Expr, typed.Info); err != nil {
		t.Fatal(err)
	}
}

// TestTrace: tracing records each rule by name with the node before and
// after, in order, so that a derivation can be explained step by step.
func TestTrace(t *testing.T) {
	typed := parse(t, "(A B)^T x + x^T y y")
	names := map[string]bool{"flatten": true}
	for _, r := range simplify.Default() {
		if r.Name == "" || r.Doc == "" || strings.Contains(r.Doc, "\n") {
			t.Errorf("rule %q needs a name and a one-line doc", r.Name)
		}
		if names[r.Name] {
			t.Errorf("rule name %q used twice", r.Name)
		}
		names[r.Name] = true
	}
	var steps []simplify.Step
	c := &simplify.Context{Info: typed.Info, Trace: func(s simplify.Step) { steps = append(steps, s) }}
	out, err := c.Simplify(typed.Expr)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := render.Text(out), "B^T A^T x + (x^T y) y"; got != want {
		t.Errorf("simplifies to %s, want %s", got, want)
	}
	var lines []string
	found := false
	for _, s := range steps {
		if !names[s.Rule] {
			t.Errorf("step by unknown rule %q", s.Rule)
		}
		if s.Before == nil || s.After == nil || ast.Equal(s.Before, s.After) {
			t.Errorf("step %s: %v -> %v changes nothing", s.Rule, s.Before, s.After)
			continue
		}
		line := s.Rule + ": " + render.Text(s.Before) + " -> " + render.Text(s.After)
		lines = append(lines, line)
		if line == "transpose-product: (A B)^T -> B^T A^T" {
			found = true
		}
	}
	if !found {
		t.Errorf("no step transpose-product: (A B)^T -> B^T A^T in\n%s", strings.Join(lines, "\n"))
	}
	// Without a trace the result is the same.
	if plain := typed.Simplify(typed.Expr); !ast.Equal(plain, out) {
		t.Errorf("untraced: %s, traced: %s", render.Text(plain), render.Text(out))
	}
}

// TestNodeCount pins the size measure of the README ("Choices and fine
// points": simplification never makes an expression larger).
func TestNodeCount(t *testing.T) {
	for _, c := range []struct {
		src  string
		want int
	}{
		{"A", 1},
		{"A^T", 1},
		{"A^-1", 1},
		{"A^-T", 1},
		{"(A B)^T", 4},
		{"A x", 3},
		{"-x", 1},
		{"x - y", 3},
		{"x/alpha", 3},
		{"3 A x/2", 6},
		{"2 (x^T y) y", 5},
		{"tr(A B)", 4},
		{"||x||^2", 3},
		{"sigmoid(-alpha)", 2},
		{"1 - sigmoid(alpha)", 2},
		{"beta + sigmoid(alpha) - 1", 4}, // beta - sigmoid(-alpha)
		{"beta - sigmoid(-alpha)", 4},
		{"beta + 1 - sigmoid(alpha) - sigmoid(gamma)", 6},
		{"1 ./ x", 1},               // as x^-1 counts as x
		{"(1 ./ x.^2)/alpha^3", 5},  // which x ./ (alpha x).^3 (6) simplifies to
		{"sigmoid(-S)^T", 2},        // counts as sigmoid(-S^T)
		{"1 - sigmoid(S)^T", 2},     // sigmoid(-S)^T, as read
		{"B - 1 + sigmoid(S)^T", 4}, // B - sigmoid(-S)^T
	} {
		typed := parse(t, c.src)
		if got := simplify.NodeCount(typed.Expr); got != c.want {
			t.Errorf("NodeCount(%s) = %d, want %d", c.src, got, c.want)
		}
	}
}
