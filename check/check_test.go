package check_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/check"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/parser"
	"github.com/matdiff/matdiff/render"
)

// TestCheckCatchesWrongAnswers feeds deliberately wrong derivatives and
// expects a mismatch: the check must be able to fail.
func TestCheckCatchesWrongAnswers(t *testing.T) {
	tests := []struct {
		token, expr, wrong string
		transposed         bool
	}{
		{"x", "x^T x", "x", false},
		{"x", "x^T A x", "2 A x", false},
		{"A", "||A x||^2", "2 x x^T A^T", false},
		{"X", "logdet(X)", "X^-1", false},
		{"x", "A x", "A", false},  // denominator layout wants A^T
		{"x", "A x", "A^T", true}, // numerator layout wants A
		{"alpha", "alpha^3", "3 alpha", false},
	}
	for _, tt := range tests {
		typed, err := pipeline.Parse(tt.expr+" + 0 "+tt.wrong+"^T "+tt.wrong, pipeline.Options{})
		if err != nil {
			// Fall back to the plain expression when the guard term does not fit.
			typed, err = pipeline.Parse(tt.expr, pipeline.Options{})
			if err != nil {
				t.Fatal(err)
			}
		}
		wrong, err := parser.ParseExpr(tt.wrong)
		if err != nil {
			t.Fatal(err)
		}
		req := derive.Request{Wrt: tt.token, Order: 1, Transposed: tt.transposed}
		rep, err := check.Derivative(typed.Expr, typed.Info, req, wrong, check.Options{})
		if err == nil && rep.OK {
			t.Errorf("d/d%s %s: the wrong answer %s passed (%s)", tt.token, tt.expr, tt.wrong, rep)
		}
	}
}

func TestCheckAcceptsRightAnswers(t *testing.T) {
	typed, d, err := pipeline.Differentiate("||B A x||^2", derive.Request{Wrt: "A"}, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := check.Derivative(typed.Expr, typed.Info, d.Request, d.Result, check.Options{})
	if err != nil || !rep.OK {
		t.Fatalf("%v %v", rep, err)
	}
	if rep.Draws != 3 {
		t.Errorf("draws = %d, want 3", rep.Draws)
	}
}

// TestCheckPositiveMatrices: the functions of a matrix that only its
// positive entries give values (log, sqrt, fractional powers) are checked
// on matrices drawn positive, once the usual draws, with entries of both
// signs, found none inside the domain; and a wrong answer still fails
// there.
func TestCheckPositiveMatrices(t *testing.T) {
	for _, tt := range []struct{ expr, wrt, wrong string }{
		{"sum(log(X))", "X", "X"},
		{"sum(sqrt(X .* Y))", "X", "Y ./ X"},
		{"1^T X.^(1/3) 1", "X", "X.^(-2/3)"},
		{"tr(log(A) B)", "A", "B^T"},
	} {
		typed, d, err := pipeline.Differentiate(tt.expr, derive.Request{Wrt: tt.wrt}, pipeline.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := check.Derivative(typed.Expr, typed.Info, d.Request, d.Result, check.Options{})
		if err != nil || !rep.OK || rep.Draws != 3 {
			t.Errorf("d/d%s %s = %s: %v %v", tt.wrt, tt.expr, render.Text(d.Result), rep, err)
		}
		wrong, err := parser.ParseExpr(tt.wrong)
		if err != nil {
			t.Fatal(err)
		}
		if rep, err := check.Derivative(typed.Expr, typed.Info, d.Request, wrong, check.Options{}); err != nil || rep.OK {
			t.Errorf("d/d%s %s: the wrong answer %s: %v %v", tt.wrt, tt.expr, tt.wrong, rep, err)
		}
	}
}

// TestCheckLimits: a check past its deadline, one whose variables an
// instance cannot hold and one whose values are too large to compute end
// at once with their limit errors instead of searching for instances; one
// whose values overflow at every instance says so.
func TestCheckLimits(t *testing.T) {
	typed, d, err := pipeline.Differentiate("||B A x||^2", derive.Request{Wrt: "A"}, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = check.Derivative(typed.Expr, typed.Info, d.Request, d.Result, check.Options{Deadline: time.Now().Add(-time.Second)})
	if !errors.Is(err, check.ErrDeadline) {
		t.Errorf("past the deadline: err = %v, want ErrDeadline", err)
	}
	kron := func(n int) string {
		var fs []string
		for i := range n {
			fs = append(fs, fmt.Sprintf("A%d", i))
		}
		return "x^T (" + strings.Join(fs, " ⊗ ") + ") y"
	}
	tests := []struct {
		name, expr string
		want       error
		says       string
	}{
		// x has the product of 14 sizes as rows: more than an instance holds.
		{"too many entries", kron(14), check.ErrTooLarge, "x has no value"},
		// x has 8 sizes, the Kronecker product 8 of rows and of columns.
		{"too large a value", kron(8), check.ErrTooLarge, "size limit"},
		// (A^T)^2000 y overflows: every matrix has (n+1) I on its diagonal.
		{"overflow", "y^T " + strings.Repeat("A (", 2000) + "x" + strings.Repeat(")", 2000), check.ErrNoInstance, "the product result is not finite (infinite)"},
		// log of a negative number wherever x is drawn.
		{"outside the domain", "log(x^T x - 100)", check.ErrNoInstance, "log(…) is not finite (NaN)"},
	}
	for _, tt := range tests {
		typed, d, err := pipeline.Differentiate(tt.expr, derive.Request{Wrt: "x"}, pipeline.Options{Budget: -1})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		_, err = check.Derivative(typed.Expr, typed.Info, d.Request, d.Result, check.Options{})
		if !errors.Is(err, tt.want) || !strings.Contains(fmt.Sprint(err), tt.says) {
			t.Errorf("%s: err = %v, want %v saying %q", tt.name, err, tt.want, tt.says)
		}
	}
}

// TestCheckLargeSums: a sum of thousands of products, each with sizes of
// its own, is checked (an instance holds all their sizes), and a wrong
// answer to it still fails.
func TestCheckLargeSums(t *testing.T) {
	var terms []string
	for i := range 2100 {
		terms = append(terms, fmt.Sprintf("c%d^T A%d B%d x", i, i, i))
	}
	typed, d, err := pipeline.Differentiate(strings.Join(terms, " + "), derive.Request{Wrt: "x"}, pipeline.Options{Budget: -1})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := check.Derivative(typed.Expr, typed.Info, d.Request, d.Result, check.Options{})
	if err != nil || !rep.OK {
		t.Errorf("right answer: %v %v", rep, err)
	}
	wrong, err := parser.ParseExpr("B7^T A7^T c7")
	if err != nil {
		t.Fatal(err)
	}
	rep, err = check.Derivative(typed.Expr, typed.Info, d.Request, &ast.Sum{Terms: []ast.Expr{d.Result, wrong}}, check.Options{})
	if err == nil && rep.OK {
		t.Errorf("wrong answer passed: %v", rep)
	}
}

// rightAndWrong is a derivative to check: the right answer, which
// matdiff derives, must pass and the wrong one must fail.
type rightAndWrong struct{ wrt, expr, wrong string }

func checkRightAndWrong(t *testing.T, cases []rightAndWrong, opts check.Options) {
	t.Helper()
	for _, tt := range cases {
		typed, d, err := pipeline.Differentiate(tt.expr, derive.Request{Wrt: tt.wrt}, pipeline.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := check.Derivative(typed.Expr, typed.Info, d.Request, d.Result, opts)
		if err != nil || !rep.OK {
			t.Errorf("d/d%s %s = %s: %v %v", tt.wrt, tt.expr, render.Text(d.Result), rep, err)
		}
		wrong, err := parser.ParseExpr(tt.wrong)
		if err != nil {
			t.Fatal(err)
		}
		if rep, err := check.Derivative(typed.Expr, typed.Info, d.Request, wrong, opts); err == nil && rep.OK {
			t.Errorf("d/d%s %s: the wrong answer %s passed (%s)", tt.wrt, tt.expr, tt.wrong, rep)
		}
	}
}

// TestCheckFastVarying: functions that vary fast need smaller steps than
// the first one; a right derivative passes, and a wrong one (off by a
// little or by a lot) still fails.
func TestCheckFastVarying(t *testing.T) {
	checkRightAndWrong(t, []rightAndWrong{
		{"x", "sin(1000 x^T x)", "2000.01 cos(1000 x^T x) x"},
		{"x", "sin(100 (x^T x)^3)", "600 cos(100 (x^T x)^3) (x^T x) x"},
		{"x", "cos((x^T A x)^3)", "-3 sin((x^T A x)^3) (x^T A x)^2 A x"},
		{"x", "sin((x^T x)^4)", "8.001 cos((x^T x)^4) (x^T x)^3 x"},
	}, check.Options{Draws: 10})
}

// TestCheckLargeConstants: terms that do not depend on the variable do not
// take the finite differences' digits, however large (a loss plus a
// constant, or plus terms in other variables): the right answer passes,
// and a wrong one still fails.
func TestCheckLargeConstants(t *testing.T) {
	checkRightAndWrong(t, []rightAndWrong{
		{"x", "1e14 + x^T x", "3 x"},
		{"x", "x^T x - 1e12 y^T y", "3 x"},
		{"x", "exp(||A||_F^2 + 30) + x^T A x", "A x"},
		{"x", "2 (1e12 + x^T x)", "2 x"},
		{"x", "tr(1e12 A + x x^T)", "x"},
		{"x", "x - 1e12", "2 I"},           // a vector minus a broadcast constant
		{"x", "x^T x + 1e12 y", "3 x 1^T"}, // a scalar broadcast over a constant vector
		{"A", "1e12 x^T x + tr(A^T A)", "A"},
		{"A", "sum((1e12 x + A y) ./ (1 + y^T y))", "1 y^T"},
		{"x", "exp(60) - sum(tanh(exp(sum(x)/4) (x^T A^T A x)/4))", "x"},
	}, check.Options{})
}

// TestCheckRounding: where rounding alone could make the differences
// mismatch at every instance (a large constant inside a square), the check
// neither passes nor fails a derivative, right or wrong: it says why.
func TestCheckRounding(t *testing.T) {
	typed, d, err := pipeline.Differentiate("(1e14 + x^T x)^2", derive.Request{Wrt: "x"}, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wrong, err := parser.ParseExpr("3 x")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []ast.Expr{d.Result, wrong} {
		rep, err := check.Derivative(typed.Expr, typed.Info, d.Request, r, check.Options{})
		if !errors.Is(err, check.ErrRounding) {
			t.Errorf("%s: %v, %v; want ErrRounding", render.Text(r), rep, err)
		}
	}
}
