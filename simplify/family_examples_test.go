package simplify_test

import (
	"math/rand/v2"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/render"
	"github.com/matdiff/matdiff/simplify"
)

// ruleExamples are, for the rules of the elementwise, distribution and
// Kronecker families and for some of the others, an input that the rule
// rewrites and the canonical form it leads to.
var ruleExamples = []ruleExample{
	{"elementwise-cancel", "x .* y ./ x", "y"},
	{"elementwise-cancel", "(2 x .* y) ./ (3 x)", "2 y/3"},
	{"elementwise-cancel", "sqrt(x) .* sqrt(x) .* y", "x .* y"},
	{"elementwise-cancel", "sign(x) .* x .* y", "y .* abs(x)"},
	{"elementwise-cancel", "exp(x) .* exp(x)", "exp(x).^2"},
	{"ones-term", "x ./ x + log(x)", "1 + log(x)"},
	{"distribute-elementwise", "(1 - sigmoid(x)).^2 + sigmoid(x) - 1", "-(sigmoid(x) .* (1 - sigmoid(x)))"},
	{"distribute-elementwise", "(a + b).^2 - a.^2 - b.^2", "2 (a .* b)"},
	{"distribute-elementwise", "(x - y).^3 + 3 x.^2 .* y - x.^3", "3 (x .* y.^2) - y.^3"},
	{"sum-factor-coefficient", "A (2 x + 2 y)", "2 A (x + y)"},
	{"sum-factor-coefficient", "-(2 x - 2 y)", "-2 (x - y)"},
	{"factor-elementwise", "u .* z + 2 v .* z", "z .* (u + 2 v)"},
	{"hadamard-reciprocal", "(2 ./ x) .* y", "2 (y ./ x)"},
	{"quotient-sign", "-diag((-1) ./ x.^2)", "diag(1 ./ x.^2)"},
	{"quotient-sign", "(-2) ./ x + y", "y - 2 ./ x"},
	{"diag-product", "diag(exp(x)) diag(1 - sigmoid(x))", "diag(sigmoid(x))"},
	{"diag-product", "diag(exp(-x)) diag(sigmoid(x)) A", "diag(1 - sigmoid(x)) A"},
	{"diag-product", "diag(x)^2 diag(x)^-1 A", "diag(x) A"},
	{"diag-product", "B diag(y^T) diag(1 ./ y) A", "B A"},
	{"diag-product", "diag(exp(x)) diag(1 - sigmoid(x)) A diag(exp(-y)) diag(sigmoid(y)) z", "diag(sigmoid(x)) A (z .* (1 - sigmoid(y)))"},
	{"diag-times-vector", "A diag(x) y", "A (x .* y)"},
	{"diag-times-vector", "diag(x)^-1 x", "x ./ x"},
	{"diag-ones", "diag(x ./ x) A", "A"},
	{"fold-number-power", "4^(1/2) x", "2 x"},
	{"fold-number-power", "(9/4)^(-1/2) x + 8^(2/3) y", "2 x/3 + 4 y"},
	{"diag-ones", "diag(3 (x ./ (2 x))) A", "3 A/2"},
	{"diag-times-vector", "y^T diag(x) A", "(x^T .* y^T) A"},
	{"diag-times-vector", "diag(x)^2 y", "y .* x.^2"},
	{"hadamard-reciprocal", "((-1) ./ (1 + x)) .* y", "-(y ./ (1 + x))"},
	{"hadamard-reciprocal", "(alpha ./ (1 + exp(x))) .* exp(x)", "alpha sigmoid(x)"},
	{"hadamard-reciprocal", "((1/beta) ./ x) .* y", "(y ./ x)/beta"},
	{"exp-sigmoid", "((-1) ./ (1 + exp(u))) .* exp(u)", "-sigmoid(u)"},
	{"exp-sigmoid", "exp(u) .* (sigmoid(u) - 1).^3 .* y", "-(y .* (sigmoid(u) - 1).^2 .* sigmoid(u))"},
	{"exp-sigmoid", "exp(-alpha)^3 sigmoid(alpha)^2 x", "exp(-alpha) (1 - sigmoid(alpha))^2 x"},
	{"exp-sigmoid", "exp(-x) .* sigmoid(x)", "1 - sigmoid(x)"},
	{"factor-elementwise", "exp(x) .* (A exp(x)) + exp(x) .* (A^T exp(x))", "((A + A^T) exp(x)) .* exp(x)"},
	{"factor-elementwise", "alpha (u .* v .* z) - v .* z + w", "v .* (alpha (u .* z) - z) + w"},
	{"ones-product", "2 (sqrt(x) ./ (2 sqrt(x)))", "1"},
	{"ones-product", "2/3 (x ./ (2 x))", "(x ./ x)/3"},
	{"ones-factor", "A^T (x ./ x)", "A^T 1"},
	{"ones-factor", "x^T (exp(y) ./ (2 exp(y)))", "sum(x)/2"},
	{"ones-product", "(y ./ (2 y)) (-2)", "-(y ./ y)"},
	{"sign-times-self", "sign(alpha) alpha x", "abs(alpha) x"},
	{"sign-times-self", "det(X) sign(det(X)) X^-T/abs(det(X))", "X^-T"},
	{"sqrt-square", "sqrt(alpha)^2 x", "alpha x"},
	{"sqrt-square", "sqrt(x).^2", "x"},
	{"call-of-inverse", "log(exp(x)) + exp(log(y))", "x + y"},
	{"call-of-inverse", "tan(arctan(alpha)) x", "alpha x"},
	{"call-of-inverse", "sum(sin(arcsin(x)))", "sum(x)"},
	{"distribute-elementwise", "(y - 1) .* x + y .* (1 - x)", "y - x"},
	{"distribute-elementwise", "2 (x - y) - 2 x", "-2 y"},
	{"sigmoid-derivative", "sigmoid(beta) - sigmoid(beta)^2", "sigmoid(beta) (1 - sigmoid(beta))"},
	{"sigmoid-quotient", "(y ./ (1 + exp(x))) .* exp(x)", "y .* sigmoid(x)"},
	{"sigmoid-quotient", "exp(x) .* (y ./ (1 + exp(x)).^2)", "y .* sigmoid(x) .* (1 - sigmoid(x))"},
	{"sigmoid-derivative", "sigmoid(a^T x) a - sigmoid(a^T x)^2 a", "sigmoid(a^T x) (1 - sigmoid(a^T x)) a"},
	{"sigmoid-derivative", "sigmoid(x) - sigmoid(x).^2", "sigmoid(x) .* (1 - sigmoid(x))"},
	{"sigmoid-derivative", "2 y .* sigmoid(x) - 2 y .* sigmoid(x).^2 + z", "2 (y .* sigmoid(x) .* (1 - sigmoid(x))) + z"},
	{"factor-shared-scalar", "alpha A + alpha B + beta C", "alpha (A + B) + beta C"},
	{"factor-shared-scalar", "alpha A - alpha B + C", "alpha (A - B) + C"},
	{"factor-shared-scalar", "(x^T A x) B + (x^T A x) B^T + (x^T B x) A + (x^T B x) A^T", "(x^T A x) (B + B^T) + (x^T B x) (A + A^T)"},
	{"distribute-elementwise", "(beta - 1) y + beta (1 - y)", "beta - y"},
	{"distribute-scalars", "sigmoid(w^T x) (1 - beta) x + beta (sigmoid(w^T x) - 1) x", "(sigmoid(w^T x) - beta) x"},
	{"distribute-scalars", "(1 - beta) alpha + beta (alpha - 1)", "alpha - beta"},
	{"distribute-scalars", "(1 - alpha) beta + alpha (beta - 1) + y^T x", "x^T y + beta - alpha"},
	{"distribute-scalars", "(alpha + beta)^2 - alpha^2 - beta^2", "2 alpha beta"},
	{"negate-sum-factor", "-A^T (y - sigmoid(A x))", "A^T (sigmoid(A x) - y)"},
	{"diag-of-diagonal", "diag(diag(x)) + y", "x + y"},
	{"diag-of-diagonal", "diag(diag(x^T))^T y", "x^T y"},
	{"diag-of-diagonal", "diag(diag(x)^-1)", "1 ./ x"},
	{"diag-of-diagonal", "diag(diag(x)^3) + y", "x.^3 + y"},
	{"diag-of-diagonal", "diag(diag(x)^-2) + y", "1 ./ x.^2 + y"},
	{"negate-sum-factor", "-(1 - sigmoid(w^T x)) w", "(sigmoid(w^T x) - 1) w"},
	{"negate-sum-factor", "-(y - sigmoid(X w)) w^T", "(sigmoid(X w) - y) w^T"},
	{"sum-sign-out", "A (-x - y)", "-A (x + y)"},
	{"sum-sign-out", "(-4 x x^T A - 2 (x^T A x) I)/(x^T x)^2", "-(4 x x^T A + 2 (x^T A x) I)/(x^T x)^2"},
	{"negate-sum-factor", "-sigmoid(alpha) (sigmoid(alpha) - 1) x", "sigmoid(alpha) (1 - sigmoid(alpha)) x"},
	{"negate-sum-factor", "-2 alpha (beta - sigmoid(alpha)) x^T", "2 alpha (sigmoid(alpha) - beta) x^T"},
	{"kron-mixed-product", "(A ⊗ B) (C ⊗ D)", "(A C) ⊗ (B D)"},
	{"kron-mixed-product", "(x ⊗ eye(rows(B))) (x^T ⊗ eye(rows(B)))", "(x x^T) ⊗ eye(rows(B))"},
	{"kron-identity-factor", "vec(B)^T (eye(cols(B)) ⊗ eye(rows(B)))", "vec(B)^T"},
	{"kron-scalars-out", "(2 A) ⊗ (alpha B)", "2 alpha (A ⊗ B)"},
	{"kron-scalar-identity", "alpha ⊗ A", "alpha A"},
	{"kron-inverse", "(S ⊗ T)^-1 (S ⊗ T)", "eye(rows(S)) ⊗ eye(rows(T))"},
	{"row-sum-transpose", "x^T + y^T", "(x + y)^T"},
	{"transpose-symmetric", "sign(S)^T - sign(S)", "0"},
	{"transpose-symmetric", "tanh(C^T S C + I)^T", "tanh(C^T S C + I)"},
	{"sigmoid-negative", "sigmoid(-x) - 1", "-sigmoid(x)"},
	{"sigmoid-negative", "sigmoid(-2 alpha)", "1 - sigmoid(2 alpha)"},
	{"quotient-inner", "(y ./ x)^T x", "sum(y)"},
	{"quotient-inner", "x^T (y ./ x) x", "sum(y) x"},
	{"ones-sum", "1^T (A x)", "sum(A x)"},
	{"ones-sum", "(x^T ./ x^T) (x ./ x) y", "rows(x) y"},
	{"ones-term", "2 (x ./ x) - x.^2 ./ x.^2", "1"},
	{"sign-times-self", "sign(alpha) x/abs(alpha)", "x/alpha"},
	{"elementwise-cancel", "sign(x) ./ abs(x)", "1 ./ x"},
	{"inverse-pair", "(X^T X)^-1 X^T X y", "y"},
	{"inverse-pair", "X (X^T X)^-1 X^T X", "X"},
	{"inverse-pair", "A B (2 alpha A B)^-1 x", "x/(2 alpha)"},
	{"diag-sum", "diag(x) - diag(y)", "diag(x - y)"},
	{"diag-outer", "diag(A^T x 1^T)", "A^T x"},
	{"diag-outer", "diag(A x y^T B)", "(A x) .* (B^T y)"},
	{"sum-of-ones-product", "1^T A 1", "sum(A)"},
	{"sum-of-ones-product", "sum(1^T A B) + sum(x)", "sum(A B) + sum(x)"},
	{"sum-of-ones-product", "sum(alpha A 1)", "alpha sum(A)"},
	{"sum-transpose", "sum(A^T) - sum(x^T)", "sum(A) - sum(x)"},
	{"diag-identity", "diag(diag(eye(rows(X)))) X", "X"},
	{"hadamard-ones", "(1 1^T) ./ X", "1 ./ X"},
	{"diag-sum", "A + 2 alpha diag(x) - diag(x .* y)", "A + diag(2 alpha x - x .* y)"},
	{"diag-sum", "diag(1 - s) - diag(s)", "diag(1 - 2 s)"},
	{"diag-factor", "diag(2 alpha x)", "2 alpha diag(x)"},
	{"sum-factor", "sum(-2 alpha (x - y))", "-2 alpha sum(x - y)"},
	{"sum-factor", "sum(-A x)", "-sum(A x)"},
	{"sum-merge", "sum(x .* (y - 1)) - sum(y .* (x - 1))", "sum(y - x)"},
	{"merge-powers", "||y|| x/(||x|| ||y||)^2", "x/(||x||^2 ||y||)"},
	{"merge-powers", "alpha^3 (alpha beta)^-2 x", "alpha x/beta^2"},
	{"sum-merge", "alpha sum(A) + sum(A .* B) + sum(x)", "sum(alpha A + A .* B) + sum(x)"},
	{"trace-factor", "tr(-alpha A B)", "-tr(alpha A B)"},
	{"sum-expand", "sum(x - sum(x)/rows(x))", "0"},
	{"sum-expand", "sum(2 (x - sum(x)/rows(x))/rows(x)) + alpha", "alpha"},
	{"sum-expand", "sum(A x - sum(A x)/rows(A)) y", "0"},
	{"sum-expand", "sum(B - sum(B)/(rows(B) cols(B)))", "0"},
	{"diag-factor", "W^T diag(-2 tanh(u)) W", "-2 W^T diag(tanh(u)) W"},
	{"elementwise-cancel", "y ./ (3 x)", "(y ./ x)/3"},
	{"row-sum-transpose", "x^T A + y^T A", "(x + y)^T A"},
	{"row-sum-transpose", "x (beta - y^T)", "x (beta - y)^T"},
	{"sigmoid-form", "exp(alpha)/(1 + exp(alpha))^2", "sigmoid(alpha) (1 - sigmoid(alpha))"},
	{"sigmoid-form", "1/(1 + exp(-alpha))", "sigmoid(alpha)"},
	{"sigmoid-form", "1/(1 + exp(alpha))", "1 - sigmoid(alpha)"},
	{"sigmoid-form", "2 exp(-alpha) x/(1 + exp(-alpha))^2", "2 sigmoid(alpha) (1 - sigmoid(alpha)) x"},
	{"sigmoid-form", "exp(2 alpha)^2/(1 + exp(2 alpha))^3 + beta", "sigmoid(2 alpha)^2 (1 - sigmoid(2 alpha)) + beta"},
	{"sigmoid-form", "exp(-x) ./ (1 + exp(-x)).^2", "sigmoid(x) .* (1 - sigmoid(x))"},
	{"sigmoid-form", "1 ./ (1 + exp(-x))", "sigmoid(x)"},
	{"sigmoid-form", "y .* exp(x) ./ (1 + exp(x))", "y .* sigmoid(x)"},
	{"sigmoid-form", "3 ./ (1 + exp(x))", "3 (1 - sigmoid(x))"},
	{"common-elementwise-denominator", "1 ./ (1 + x) - x ./ (1 + x).^2", "1 ./ (1 + x).^2"},
	{"common-elementwise-denominator", "1 ./ (1 + abs(x)) - abs(x) ./ (1 + abs(x)).^2", "1 ./ (1 + abs(x)).^2"},
	{"common-elementwise-denominator", "1 ./ sqrt(1 + x.^2) - x.^2 ./ (1 + x.^2).^(3/2)", "1 ./ (1 + x.^2).^(3/2)"},
	{"common-elementwise-denominator", "2 y ./ (1 + x) - 2 (x .* y) ./ (1 + x).^2 + z", "2 (y ./ (1 + x).^2) + z"},
	{"common-denominator", "1/(1 + alpha) - alpha/(1 + alpha)^2", "1/(1 + alpha)^2"},
	{"common-denominator", "(2 x)/(1 + x^T x) - 2 (x^T x) x/(1 + x^T x)^2", "2 x/(1 + x^T x)^2"},
	{"common-denominator", "2 alpha^2/(1 + alpha)^3 + 2/(1 + alpha) - 4 alpha/(1 + alpha)^2", "2/(1 + alpha)^3"},
	{"common-denominator", "(2 I)/(1 + x^T x) + 8 ((x^T x) x/(1 + x^T x)^3 - x/(1 + x^T x)^2) x^T - 2 (x^T x) I/(1 + x^T x)^2", "2 I/(1 + x^T x)^2 - 8 x x^T/(1 + x^T x)^3"},
	{"common-denominator", "x/(alpha beta) - x/(alpha (alpha + beta)) + y", "x/(beta (alpha + beta)) + y"},
	{"common-denominator", "y/(1 + x^T x)^(1/2) - (x^T x) y/(1 + x^T x)^(3/2)", "y/(1 + x^T x)^(3/2)"},
	{"common-denominator", "1/(1 + alpha^2) - 2 alpha^2/(1 + alpha^2)^2", "(1 - alpha^2)/(1 + alpha^2)^2"},
}

func TestRuleExamples(t *testing.T) { checkRuleExamples(t, ruleExamples) }

// ruleExample is a rule, an input it applies to, and the canonical result.
type ruleExample struct{ rule, in, want string }

// checkRuleExamples simplifies each input and requires the result, that
// the named rule applied, and that input and result are numerically equal.
func checkRuleExamples(t *testing.T, examples []ruleExample) {
	t.Helper()
	for _, ex := range examples {
		typed := parse(t, ex.in)
		fired := false
		c := &simplify.Context{Info: typed.Info, Trace: func(s simplify.Step) { fired = fired || s.Rule == ex.rule }}
		out, err := c.Simplify(typed.Expr)
		if err != nil {
			t.Errorf("%s: %v", ex.in, err)
		}
		if got := render.Text(out); got != ex.want {
			t.Errorf("%s: %s, want %s", ex.in, got, ex.want)
		}
		if !fired {
			t.Errorf("%s: %s did not apply", ex.in, ex.rule)
		}
		checkEqual(t, ex.in, ex.want)
	}
}

// The ones of length one are made by derivatives (the one column of a
// vector), never read: ones-of-one is shown on a built tree, x (1^T y) 1
// with the last ones of length one.
func TestOnesOfOne(t *testing.T) {
	typed := parse(t, "x (1^T y)")
	e := &ast.Product{Factors: []ast.Expr{typed.Expr, &ast.Ones{}}}
	fired := false
	c := &simplify.Context{Info: typed.Info, Trace: func(s simplify.Step) { fired = fired || s.Rule == "ones-of-one" }}
	out, err := c.Simplify(e)
	if err != nil {
		t.Fatal(err)
	}
	if got := render.Text(out); got != "sum(y) x" || !fired {
		t.Errorf("got %s (ones-of-one applied: %v), want sum(y) x", got, fired)
	}
	if n, err := agreeAt(e, out, typed.Info, rand.New(rand.NewPCG(1, 2)), 3); n == 0 || err != nil {
		t.Errorf("%d instances: %v", n, err)
	}
}
