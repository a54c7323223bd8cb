package pipeline_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/cases"
	"github.com/matdiff/matdiff/internal/pipeline"
)

func TestWarnings(t *testing.T) {
	for _, c := range []struct {
		src   string
		decls ast.Decls
		want  []string
	}{
		// A broadcast that a declaration would change.
		{"||x - mu||^2", nil, []string{"mu is a scalar by default and is broadcast to every entry of x; declare --vector mu if mu is a vector"}},
		{"w^T x + b", nil, []string{"b is a vector by default and the scalar w^T x is broadcast to every entry of b; declare --scalar b if b is a scalar"}},
		{"x .* sigma", nil, []string{"sigma is a scalar by default and is broadcast to every entry of x; declare --vector sigma if sigma is a vector"}},
		{"sum(A - alpha)", nil, []string{"alpha is a scalar by default and is broadcast to every entry of A; declare --matrix alpha if alpha is a matrix"}},
		{"||x - mu||^2", ast.Decls{"mu": ast.KindVector}, nil},
		{"w^T x + b", ast.Decls{"b": ast.KindScalar}, nil},
		{"x - mu", ast.Decls{"mu": ast.KindScalar}, nil}, // declared: meant
		{"1 - tanh(u).^2", nil, nil},                     // a literal
		{"sum(log(x + 1))", nil, nil},
		{"x - x^T y", nil, nil},     // x is a vector where it is written twice
		{"alpha x + y", nil, nil},   // no broadcast
		{"x^T y + alpha", nil, nil}, // scalars only
		{"A x - alpha", nil, []string{"alpha is a scalar by default and is broadcast to every entry of A x; declare --vector alpha if alpha is a vector"}},
		// The first three, in the order of the text, outer before inner.
		{"(x - (y - mu)) .* (z - nu) - rho + ||z - tau||^2", nil, []string{
			"rho is a scalar by default and is broadcast to every entry of (x - (y - mu)) .* (z - nu); declare --vector rho if rho is a vector",
			"mu is a scalar by default and is broadcast to every entry of y; declare --vector mu if mu is a vector",
			"nu is a scalar by default and is broadcast to every entry of z; declare --vector nu if nu is a vector",
		}},
		// An elementwise operator before a juxtaposed product, when the
		// product first is well-shaped too.
		{"tr(A .* X B)", nil, []string{".* binds as tightly as a product: A .* X B is (A .* X) B; write A .* (X B) for the product first"}},
		{"sum(A ./ X B C)", nil, []string{"./ binds as tightly as a product: A ./ X B C is (A ./ X) B C; write A ./ (X B C) for the product first"}},
		{"tr(A ∘ X B)", nil, []string{".* binds as tightly as a product: A .* X B is (A .* X) B; write A .* (X B) for the product first"}},
		{"tr(A .* X * B)", nil, nil},    // an explicit *: meant
		{"tr((A .* X) B)", nil, nil},    // parenthesised
		{"tr(A .* (X B))", nil, nil},    // parenthesised
		{"sum(x .* y alpha)", nil, nil}, // a scalar after: the same either way
		{"sum((s .* u) v^T)", nil, nil}, // parenthesised
		{"sum(s .* u v^T)", nil, nil},   // s .* (u v^T) is not well-shaped
		{"sum(W x .* m)", nil, nil},     // the product before: (W x) .* m as written
		// / before a juxtaposed product.
		{"exp(-||x-y||^2/2 sigma^2)", nil, []string{"/ divides by 2 only and then multiplies by sigma^2; write /(2 sigma^2) to divide by both"}},
		{"x^T x / 2 n^T n", nil, []string{"/ divides by 2 only and then multiplies by n^T n; write /(2 n^T n) to divide by both"}},
		{"x^T x/(2 sigma^2)", nil, nil},
		{"(x^T x/2) sigma^2", nil, nil},
		{"x^T x/2 * sigma^2", nil, nil}, // an explicit *
		{"1/2 x^T A x", nil, nil},       // a coefficient
		{"lambda/2 ||w||^2", nil, nil},
		{"x^T x/2", nil, nil},
		// sigma( against its parenthesis, where ML texts mean the logistic function.
		{"sum(log(sigma(X w)))", nil, []string{"sigma(…) is the scalar sigma times what follows; write sigmoid(…) for the logistic function"}},
		{"-y^T log(σ(X w))", nil, []string{"σ(…) is the scalar sigma times what follows; write sigmoid(…) for the logistic function"}},
		{"sigma (x^T x)", nil, nil},
		{"sigma(x^T x)", ast.Decls{"sigma": ast.KindScalar}, nil}, // declared: meant
		{"sum(sigmoid(X w))", nil, nil},
		// A scalar by default right of a matrix or a row, where a vector
		// makes the product a matrix-vector one: X theta scales X.
		{"sum(sigmoid(X theta))", nil, []string{"theta is a scalar by default, so X theta scales X by theta; declare --vector theta if theta is a vector"}},
		{"y^T log(sigmoid(X*beta))", nil, []string{"beta is a scalar by default, so X beta scales X by beta; declare --vector beta if beta is a vector"}},
		{"exp(x^T mu)", nil, []string{"mu is a scalar by default, so x^T mu scales x^T by mu; declare --vector mu if mu is a vector"}},
		{"||W^T A theta||^2", nil, []string{"theta is a scalar by default, so W^T A theta scales W^T A by theta; declare --vector theta if theta is a vector"}},
		{"sum(sigmoid(X theta))", ast.Decls{"theta": ast.KindScalar}, nil}, // declared: meant
		{"sum(sigmoid(X theta))", ast.Decls{"theta": ast.KindVector}, nil},
		{"sum(theta X)", nil, nil},   // a coefficient, written first
		{"x^T A x alpha", nil, nil},  // right of a scalar
		{"A x alpha", nil, nil},      // right of a column
		{"tr(X lambda Y)", nil, nil}, // a vector would not fit
		{"sum(X theta^2)", nil, nil}, // not a lone name
		// Elementwise functions of a square matrix under tr, det, logdet.
		{"tr(exp(X))", nil, []string{"exp is elementwise; matdiff has no matrix exponential: exp(X) applies exp to every entry"}},
		{"logdet(log(X) + I)", nil, []string{"log is elementwise; matdiff has no matrix logarithm: log(X) applies log to every entry"}},
		{"det(A sqrt(S))", ast.Decls{"S": ast.KindSymmetric}, []string{"sqrt is elementwise; matdiff has no matrix square root: sqrt(S) applies sqrt to every entry"}},
		{"tr(exp(x) x^T)", nil, nil}, // a vector
		{"sum(exp(X))", nil, nil},    // not under tr
		{"tr(X) exp(alpha)", nil, nil},
	} {
		typed, err := pipeline.Parse(c.src, pipeline.Options{Decls: c.decls})
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if !slices.Equal(typed.Warnings, c.want) {
			t.Errorf("%s: warnings %q, want %q", c.src, typed.Warnings, c.want)
		}
	}
}

// TestNoWarningsOnGoldens: the seed identities and every derivative of the
// tables (derive/testdata) run without a warning. The README examples are
// run with their standard error by cmd's TestREADMEExamples.
func TestNoWarningsOnGoldens(t *testing.T) {
	n := 0
	for _, name := range []string{"cases.txt", "ml_cases.txt"} {
		cs, err := cases.Read(filepath.Join("..", "..", "derive", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			typed, err := pipeline.Parse(c.Expr, c.PipelineOptions())
			if err != nil {
				t.Errorf("%s:%d: %v", c.File, c.Line, err)
				continue
			}
			n++
			if len(typed.Warnings) > 0 {
				t.Errorf("%s:%d: %s: warnings %q", c.File, c.Line, c, typed.Warnings)
			}
		}
	}
	if n < 150 {
		t.Fatalf("only %d cases", n)
	}
}

// A derivative that is a tensor, or a Hessian of a vector, because a name
// is a vector by default: the error says which declaration makes the
// expression a scalar.
func TestDerivativeErrorSuggestion(t *testing.T) {
	for _, c := range []struct {
		src  string
		req  derive.Request
		want string
	}{
		{"n logdet(S) + tr(S^-1 C)", derive.Request{Wrt: "S"}, "derivative error at column 1: the derivative of a vector (m×1) by the matrix S is a tensor; use --vec for ∂vec(F)/∂vec(S)^T; n is a vector by default: declare --scalar n if n is a scalar"},
		{"k x^T x", derive.Request{Wrt: "x", Order: 2}, "derivative error at column 1: d2/dx2 needs a scalar expression; this one is m×1; k is a vector by default: declare --scalar k if k is a scalar"},
		{"A x", derive.Request{Wrt: "A"}, "derivative error at column 1: the derivative of a vector (m×1) by the matrix A is a tensor; use --vec for ∂vec(F)/∂vec(A)^T"},
		// A capital name, a matrix by default, that scales a scalar.
		{"||w||^2/2 + C sum(relu(1 - y .* (X w)))", derive.Request{Wrt: "w"}, "derivative error at column 1: the derivative of a matrix (n×p) by the vector w is a tensor; use --vec for ∂vec(F)/∂vec(w)^T; C is a matrix by default: declare --scalar C if C is a scalar"},
		// The variable, when a matrix, is not offered as a scalar.
		{"X", derive.Request{Wrt: "X"}, "derivative error at column 1: the derivative of a matrix (m×n) by the matrix X is a tensor; use --vec for ∂vec(F)/∂vec(X)^T"},
		{"n tr(X) + m tr(X)", derive.Request{Wrt: "X"}, "derivative error at column 1: the derivative of a vector (m×1) by the matrix X is a tensor; use --vec for ∂vec(F)/∂vec(X)^T; m and n are vectors by default: declare --scalar m,n if they are scalars"},
	} {
		_, _, err := pipeline.Differentiate(c.src, c.req, pipeline.Options{})
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: %v\nwant %s", c.src, err, c.want)
		}
	}
}

// A word of several letters is read as a product of one-letter names;
// when the shape error lies in such a word and declaring the word makes
// the expression well-shaped, the error says so.
func TestSplitWordSuggestion(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"sqrt(x^T x + eps)", "shape error at column 15: e is a column vector (n×1) and cannot left-multiply the column vector p (p×1); did you mean e^T p?; eps is read as the product e p s: declare --scalar eps if eps is one name"},
		{"x^T W x + bias", "shape error at column 12: b is a column vector (n×1) and cannot left-multiply the column vector i (p×1); did you mean b^T i?; bias is read as the product b i a s: declare --scalar bias if bias is one name"},
		{"reg x^T x", "shape error at column 2: r is a column vector (m×1) and cannot left-multiply the column vector e (n×1); did you mean r^T e?; reg is read as the product r e g: declare --scalar reg if reg is one name"},
		// A capitalised word is tried as a matrix first.
		{"h^T Wout h", "shape error at column 8: u is a column vector (p×1) and cannot left-multiply the column vector t (q×1); did you mean u^T t?; Wout is read as the product W o u t: declare --matrix Wout if Wout is one name"},
		// A lowercase word is tried as a scalar first.
		{"A ab", "shape error at column 4: A a is a column vector (m×1) and cannot left-multiply the column vector b (p×1); did you mean (A a)^T b?; ab is read as the product a b: declare --scalar ab if ab is one name"},
		// The error is not in the word: no hint (AB is meant as A B).
		{"AB + x", "shape error at column 6: A B is a matrix (m×p) and x is a column vector (q×1); the terms of a sum must have the same shape"},
		// The error is after the word, though declaring it would help
		// (x^T xy A with a vector xy): no hint, since y A is the error.
		{"x^T xy A", "shape error at column 8: y is a column vector (n×1) and cannot left-multiply the matrix A (p×q); did you mean y^T A?"},
		// The word's declaration would not help: no hint.
		{"ab C d e", "shape error at column 2: a is a column vector (m×1) and cannot left-multiply the column vector b (n×1); did you mean a^T b?"},
	} {
		_, err := pipeline.Parse(c.src, pipeline.Options{})
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: %v\nwant %s", c.src, err, c.want)
		}
	}
}

func TestShapeErrorSuggestion(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"||y - X*beta||^2", "shape error at column 5: y is a column vector (m×1) and -X beta is a matrix (n×p); the terms of a sum must have the same shape; beta is a scalar by default: declare --vector beta if beta is a vector"},
		{"x + A", "shape error at column 5: x is a column vector (m×1) and A is a matrix (n×p); the terms of a sum must have the same shape"},
		{"x A", "shape error at column 3: x is a column vector (m×1) and cannot left-multiply the matrix A (n×p); did you mean x^T A?"},
		// A vector by default that divides is most often a count or a scale.
		{"sum(x)/(n - 1)", "shape error at column 9: n - 1 is a column vector (n×1) and / divides only by a scalar; did you mean sum(x) ./ (n - 1), or a product with an inverse?; n is a vector by default: declare --scalar n if n is a scalar"},
		{"(x^T x)/m", "shape error at column 9: m is a column vector (n×1) and / divides only by a scalar; did you mean (x^T x) ./ m, or a product with an inverse?; m is a vector by default: declare --scalar m if m is a scalar"},
		{"x/y^T", "shape error at column 4: y^T is a row vector (1×n) and / divides only by a scalar; did you mean x ./ y^T, or a product with an inverse?"},
		{"A/B", "shape error at column 3: B is a matrix (p×q) and / divides only by a scalar; did you mean A ./ B, or a product with an inverse?"},
		// Names of a sum that is squared, and a name times the identity,
		// are scalars more often than not.
		{"(w^T x + b - t)^2", "shape error at column 16: w^T x + b - t is a column vector (n×1), and only a square matrix has a power; did you mean (w^T x + b - t)^T (w^T x + b - t) or (w^T x + b - t).^2?; b and t are vectors by default: declare --scalar b,t if they are scalars"},
		{"logdet(K + s I)", "shape error at column 14: s is a column vector (p×1) and cannot left-multiply the matrix I (q×q); did you mean s^T I?; s is a vector by default: declare --scalar s if s is a scalar"},
		{"(x - mu)^2", "shape error at column 9: x - mu is a column vector (m×1), and only a square matrix has a power; did you mean (x - mu)^T (x - mu) or (x - mu).^2?"},
		// Several counts.
		{"1/a + 1/b", "shape error at column 3: a is a column vector (m×1) and / divides only by a scalar; did you mean 1 ./ a, or a product with an inverse?; a and b are vectors by default: declare --scalar a,b if they are scalars"},
		// A capital name that divides a scalar is a count too.
		{"||X w - y||^2/N", "shape error at column 15: N is a matrix (p×q) and / divides only by a scalar; did you mean ||X w - y||^2 ./ N, or a product with an inverse?; N is a matrix by default: declare --scalar N if N is a scalar"},
		// An elementwise operator binds as tightly as a product.
		{"A x .* B x", "shape error at column 8: A x is a column vector (m×1) and B is a matrix (p×q); elementwise operands must have the same shape; .* binds as tightly as a product: did you mean (A x) .* (B x)?"},
		{"m .* W x", "shape error at column 6: m is a column vector (m×1) and W is a matrix (n×p); elementwise operands must have the same shape; .* binds as tightly as a product: did you mean m .* (W x)?"},
		{"x ./ A y + z", "shape error at column 6: x is a column vector (m×1) and A is a matrix (n×p); elementwise operands must have the same shape; ./ binds as tightly as a product: did you mean x ./ (A y)?"},
		{"A .* B x y", "shape error at column 10: (A .* B) x is a column vector (m×1) and cannot left-multiply the column vector y (p×1); did you mean ((A .* B) x)^T y?"},
		{"A/(N - 1)", "shape error at column 4: N - 1 is a matrix (p×q) and / divides only by a scalar; did you mean A ./ (N - 1), or a product with an inverse?"},
	} {
		_, err := pipeline.Parse(c.src, pipeline.Options{})
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: %v\nwant %s", c.src, err, c.want)
		}
	}
}
