package simplify_test

import (
	"strings"
	"testing"

	"github.com/matdiff/matdiff/render"
	"github.com/matdiff/matdiff/simplify"
)

// softmaxExamples are, for each softmax and logsumexp rule and for the
// exact values the function registry gives, an input that the rule
// rewrites and the canonical form it leads to.
var softmaxExamples = []ruleExample{
	{"softmax-sum", "sum(softmax(z))", "1"},
	{"softmax-sum", "2 sum(softmax(A x)) x", "2 x"},
	{"softmax-ones", "1^T softmax(z) x", "x"},
	{"softmax-ones", "softmax(z)^T 1", "1"},
	{"log-softmax", "log(softmax(z))", "z - logsumexp(z)"},
	{"elementwise-of-zero", "sqrt(9/4) x", "3 x/2"},
	{"elementwise-of-zero", "arccos(1) x + y", "y"},
	{"elementwise-of-zero", "log(1^T) y", "0"},       // log of the ones is the zero row
	{"elementwise-of-zero", "sqrt(1^T) x", "sum(x)"}, // sqrt of the ones is the ones
	{"elementwise-of-zero", "abs(1 1^T) A", "1 1^T A"},
	{"zero-power", "(1^T).^3 y", "sum(y)"},
	{"zero-power", "(2 1^T).^3 y", "8 sum(y)"},               // a power of a multiple of the ones is one
	{"zero-power", "(-(1^T)).^2 y", "sum(y)"},                // (-1).^2 of the ones is the ones
	{"elementwise-of-zero", "sqrt(9/4 1^T) y", "3 sum(y)/2"}, // of a multiple of the ones too
	{"elementwise-of-zero", "sigmoid(0) x", "x/2"},
	{"elementwise-of-zero", "logsumexp(2.5) x", "2.5 x"},
	{"elementwise-of-zero", "softmax(3) x", "x"},
	{"elementwise-of-zero", "abs(-0.5) x", "0.5 x"},
	{"logsumexp-form", "log(sum(exp(A x)))", "logsumexp(A x)"},
	{"logsumexp-form", "log(sum(exp(X)))", "logsumexp(X)"},
	{"softmax-form", "exp(z)/sum(exp(z))", "softmax(z)"},
	{"softmax-form", "exp(z) exp(z)^T/sum(exp(z))^2", "softmax(z) softmax(z)^T"},
	{"softmax-form", "diag(exp(z))/sum(exp(z)) - exp(z) exp(z)^T/sum(exp(z))^2", "diag(softmax(z)) - softmax(z) softmax(z)^T"},
	{"softmax-form", "(y .* exp(z))/sum(exp(z))", "y .* softmax(z)"},
	{"softmax-form", "(y^T exp(z)) exp(z)/sum(exp(z))^2", "(softmax(z)^T y) softmax(z)"},
}

func TestSoftmaxRules(t *testing.T) { checkRuleExamples(t, softmaxExamples) }

// The softmax of a matrix is not defined, and an exp(z) left over would
// no longer cancel against the others: these stay without softmax.
func TestSoftmaxRulesKeepMatrices(t *testing.T) {
	for _, in := range []string{"exp(X)/sum(exp(X))", "exp(X) exp(X)^T/sum(exp(X))^2", "(exp(z)^T y) exp(z)/sum(exp(z))"} {
		typed := parse(t, in)
		c := &simplify.Context{Info: typed.Info}
		out, err := c.Simplify(typed.Expr)
		if err != nil {
			t.Fatal(err)
		}
		if got := render.Text(out); strings.Contains(got, "softmax") {
			t.Errorf("%s: %s", in, got)
		}
	}
}
