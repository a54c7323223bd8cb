package pipeline_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
)

// nest is sum(tanh(tanh(…(x)))) with n calls: its gradient holds every
// inner composition, so its size grows as n².
func nest(n int) string {
	return "sum(" + strings.Repeat("tanh(", n) + "x" + strings.Repeat(")", n) + ")"
}

func wantLimit(t *testing.T, err error, msg string) {
	t.Helper()
	var ae *ast.Error
	if !errors.As(err, &ae) || ae.Kind != "limit" {
		t.Fatalf("got %v, want a limit error", err)
	}
	if !strings.Contains(ae.Msg, msg) {
		t.Fatalf("got %q, want it to say %q", ae.Msg, msg)
	}
}

func TestMaxNodesOfTheRawDerivative(t *testing.T) {
	_, _, err := pipeline.Differentiate(nest(40), derive.Request{Wrt: "x"}, pipeline.Options{MaxNodes: 200})
	wantLimit(t, err, "the derivative has more than 200 nodes")
	// The same expression within the default bound.
	if _, _, err := pipeline.Differentiate(nest(40), derive.Request{Wrt: "x"}, pipeline.Options{}); err != nil {
		t.Fatal(err)
	}
	// A negative bound is no bound.
	if _, _, err := pipeline.Differentiate(nest(40), derive.Request{Wrt: "x"}, pipeline.Options{MaxNodes: -1}); err != nil {
		t.Fatal(err)
	}
}

func TestMaxNodesOfTheSimplifiedDerivative(t *testing.T) {
	// The raw Hessian is built from the simplified gradient, which is
	// already too large.
	_, _, err := pipeline.Differentiate(nest(12), derive.Request{Wrt: "x", Order: 2}, pipeline.Options{MaxNodes: 60})
	wantLimit(t, err, "the simplified derivative has more than 60 nodes")
}

func TestBudgetBeforeDifferentiating(t *testing.T) {
	ty, err := pipeline.Parse("||B A x||^2", pipeline.Options{Budget: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Millisecond)
	_, err = ty.Derive(derive.Request{Wrt: "A"})
	wantLimit(t, err, "out of time while differentiating")
}

func TestBudgetWhileSimplifying(t *testing.T) {
	// The raw derivative of nest(1000) is built without a deadline; the
	// budget has run out when its simplification begins, and the
	// simplifier, reading the clock every few rounds, stops.
	ty, err := pipeline.Parse(nest(1000), pipeline.Options{Budget: -1})
	if err != nil {
		t.Fatal(err)
	}
	r, err := derive.Derive(ty.Expr, ty.Info, derive.Request{Wrt: "x", Order: 1})
	if err != nil {
		t.Fatal(err)
	}
	pipeline.SetDeadline(ty, time.Now())
	_, err = pipeline.SimplifyDerivative(ty, r.Expr)
	wantLimit(t, err, "out of time while simplifying the derivative")

	// A whole differentiation under a budget far shorter than it needs
	// (nest(4000), larger than the default node limit, takes about 8 times 50 ms) stops in one phase or the
	// other, soon after the deadline.
	start := time.Now()
	_, _, err = pipeline.Differentiate(nest(4000), derive.Request{Wrt: "x"}, pipeline.Options{Budget: 50 * time.Millisecond, MaxNodes: -1})
	wantLimit(t, err, "out of time")
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the limit took %v to notice", took)
	}
}

func TestMaxNodesOfTheDerivation(t *testing.T) {
	// The lines of nest(n) hold adjoints of every depth: their size grows
	// as n³ while the derivative's grows as n².
	ty, d, err := pipeline.Differentiate(nest(60), derive.Request{Wrt: "x"}, pipeline.Options{MaxNodes: 20000})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ty.Explain(d)
	wantLimit(t, err, "the derivation step by step has more than 20000 nodes")
	wantLimit(t, err, "without --steps")
	// The same derivation without a bound.
	ty, d, err = pipeline.Differentiate(nest(60), derive.Request{Wrt: "x"}, pipeline.Options{MaxNodes: -1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ty.Explain(d); err != nil {
		t.Fatal(err)
	}
}

func TestBudgetWhileExplaining(t *testing.T) {
	// Without a bound on its size, the derivation of nest(300) takes
	// minutes and gigabytes; it stops at the deadline.
	ty, d, err := pipeline.Differentiate(nest(300), derive.Request{Wrt: "x"}, pipeline.Options{MaxNodes: -1, Budget: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	pipeline.SetDeadline(ty, start.Add(50*time.Millisecond))
	_, err = ty.Explain(d)
	wantLimit(t, err, "out of time while writing out the steps")
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the limit took %v to notice", took)
	}
}

func TestMaxNodesOfTheDerivationByDefault(t *testing.T) {
	// Within the default node limit, nest(300) differentiates and its
	// derivation is a limit error, found early. (The time budget is a
	// minute, not the default 5 s of wall time, so that a loaded machine
	// meets the node limit first, as an idle one does.)
	start := time.Now()
	ty, d, err := pipeline.Differentiate(nest(300), derive.Request{Wrt: "x"}, pipeline.Options{Budget: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ty.Explain(d)
	wantLimit(t, err, "the derivation step by step has more than")
	if took := time.Since(start); took > 2*pipeline.DefaultBudget {
		t.Errorf("the limit took %v to notice", took)
	}
}
