package simplify_test

import (
	"strings"
	"testing"

	"github.com/matdiff/matdiff/render"
	"github.com/matdiff/matdiff/simplify"
)

// TestCommonDenominatorDeclines holds sums of fractions that
// common-denominator leaves as they are: one over the common denominator
// would not be smaller, the bases differ, or the numerators would need a
// power that is not an integer or too many terms.
func TestCommonDenominatorDeclines(t *testing.T) {
	for _, src := range []string{
		"I/||x|| - x x^T/||x||^3",
		"2 I/(1 + x^T x) - 4 x x^T/(1 + x^T x)^2",
		"-1/(1 + alpha)^2 - 1/alpha^2",
		"x/(1 + alpha)^(1/2) + y/(1 + alpha)",
		"x/(1 + alpha + beta + gamma) - y/(1 + alpha + beta + gamma)^5",
	} {
		typed := parse(t, src)
		fired := false
		c := &simplify.Context{Info: typed.Info, Trace: func(s simplify.Step) { fired = fired || s.Rule == "common-denominator" }}
		out, err := c.Simplify(typed.Expr)
		if err != nil {
			t.Errorf("%s: %v", src, err)
		}
		if fired {
			t.Errorf("%s: common-denominator applied, giving %s", src, render.Text(out))
		}
	}
}

// TestCommonDenominatorLongSum: a sum with more fractions than the rule
// looks at is left to the other rules, so that the pairs it tries stay
// few.
func TestCommonDenominatorLongSum(t *testing.T) {
	var terms []string
	for i := range 9 {
		terms = append(terms, "x_"+string(rune('a'+i))+"/(1 + alpha)")
	}
	src := strings.Join(terms, " + ") + " - alpha y/(1 + alpha)^2"
	typed := parse(t, src)
	fired := false
	c := &simplify.Context{Info: typed.Info, Trace: func(s simplify.Step) { fired = fired || s.Rule == "common-denominator" }}
	if _, err := c.Simplify(typed.Expr); err != nil {
		t.Fatal(err)
	}
	if fired {
		t.Errorf("common-denominator applied to a sum of ten fractions")
	}
}
