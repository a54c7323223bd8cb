package derive_test

import (
	"errors"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/check"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/internal/randexpr"
	"github.com/matdiff/matdiff/render"
)

// numpy respells an expression of randexpr.Gen with NumPy's and MATLAB's spellings:
// x^T y as x.T @ y, a trailing ^T as .' and .^ as **. (Gen never chains
// powers, where NumPy's right-associative ** would differ from .^.)
func numpy(s string) string {
	s = juxtaposedTranspose.ReplaceAllString(s, ".T @ $1")
	return strings.NewReplacer("^T", ".'", ".^", "**").Replace(s)
}

// juxtaposedTranspose is a ^T followed by an operand it multiplies (not by
// an operator: A^T + I stays a sum).
var juxtaposedTranspose = regexp.MustCompile(`\^T ([A-Za-z0-9(|])`)

// TestPropertySpellings draws random expressions, writes them with the
// NumPy and MATLAB spellings, and checks that they read as the same tree
// and that their derivatives pass the numeric check.
func TestPropertySpellings(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 17))
	g := &randexpr.Gen{R: r}
	decls := randexpr.Decls
	n := *props / 5
	checked, skipped := 0, 0
	for i := 0; i < n; i++ {
		canon := g.Composite(randexpr.Scalar, 1+r.IntN(3)) + randexpr.Anchor(randexpr.Scalar)
		src := numpy(canon)
		if src == canon {
			continue
		}
		want, err := pipeline.Parse(canon, pipeline.Options{Decls: decls})
		if err != nil {
			t.Fatalf("%s: %v", canon, err)
		}
		typed, err := pipeline.Parse(src, pipeline.Options{Decls: decls})
		if err != nil {
			t.Errorf("%s (respelled from %s): %v", src, canon, err)
			continue
		}
		if a, b := render.Text(typed.Expr), render.Text(want.Expr); a != b {
			t.Errorf("%s reads as %s, but %s as %s", src, a, canon, b)
			continue
		}
		nc, ns := checkByEach(t, typed, src, "x", "alpha", "A")
		checked, skipped = checked+nc, skipped+ns
	}
	t.Logf("%d derivatives of respelled expressions checked numerically, %d without a valid instance", checked, skipped)
	if checked < n {
		t.Errorf("only %d derivatives checked", checked)
	}
}

// checkByEach differentiates typed (read from src) by each of vars that it
// has and checks every derivative numerically, reporting failures; it
// returns how many were checked and how many had no valid instance.
func checkByEach(t *testing.T, typed *pipeline.Typed, src string, vars ...string) (checked, skipped int) {
	t.Helper()
	for _, v := range vars {
		if typed.Info.Vars[v] == nil {
			continue
		}
		d, err := typed.Derive(derive.Request{Wrt: v, Order: 1})
		if err != nil {
			t.Errorf("d/d%s %s: %v", v, src, err)
			continue
		}
		rep, err := check.Derivative(typed.Expr, typed.Info, d.Request, d.Result, check.Options{})
		if errors.Is(err, check.ErrNoInstance) {
			skipped++
			continue
		}
		if err != nil || !rep.OK {
			t.Errorf("d/d%s %s = %s: %v %v", v, src, render.Text(d.Result), rep, err)
			continue
		}
		checked++
	}
	return checked, skipped
}
