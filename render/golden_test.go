package render

import (
	"fmt"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/parser"
)

// inputs cover the input language of the README ("Input language"): every operator and its
// Unicode spellings, postfix forms, norms, functions, names and numbers.
var inputs = []string{
	// Seed identities and their results.
	"x^T x",
	"(x^T y)^2",
	"2 (x^T y) y",
	"(A x)^T",
	"||Ax||^2",
	"||BAx||^2",
	"2 B^T B A x x^T",
	"2 A^T B^T B A x",
	"x^T A x",
	"(A + A^T) x",
	// Product level.
	"A * B",
	"x .* y",
	"x ∘ y",
	"x ⊙ y",
	"x ./ y",
	"x / alpha",
	"A ⊗ B",
	"kron(A, B)",
	"(A x) .* y",
	"A (x .* y)",
	"x .* y ./ b",
	"x^T x / 2 sigma^2",
	"(x^T x)/(2 sigma^2)",
	"3 A x/2",
	"(A + A^T)/2",
	"x/||x||",
	// Unary minus and sums.
	"-x",
	"-x^T x",
	"-alpha^2 + beta",
	"A - B",
	"A -B",
	"-(x + y)",
	"A (-x)",
	"A x - b",
	"x - mu_0",
	"1 - tanh(u).^2",
	"diag(p) - p p^T",
	"x - x^T y",
	// Postfix.
	"x'",
	"xᵀ A x",
	"x^TAx",
	"A^-1",
	"A⁻¹ b",
	"inv(X) b",
	"X^-T",
	"A^2",
	"A²",
	"x.^2",
	"alpha^(1/2)",
	"2^-1 x",
	"det(X) X^-T",
	// Norms.
	"||x||",
	"‖A‖",
	"||A||_F",
	"||x||_1",
	"norm(x - y)",
	"||x - y/||y||||",
	"||Ax|| ||y||",
	"abs(x)",
	// Functions.
	"tr(A B)",
	"det(X)",
	"logdet(X)",
	"sum(x) + sum(A)",
	"vec(A)",
	"diag(A)",
	"exp(A x) + log(x)",
	"sin(x) .* cos(x) + tan(x)",
	"arcsin(x) + arccos(x) + arctan(x)",
	"sqrt(x) + sigmoid(x) + softplus(x)",
	"relu(x) + step(x) + sign(x)",
	"rows(X)/alpha",
	// Names and constants.
	"eye(rows(X))",
	"A + I",
	"A + eye",
	"1^T x",
	"x + 0",
	"W1x",
	"2Ax",
	"BAx",
	"x_k + W_out h",
	"alpha x + beta y",
	"λ w",
	"Sigma^-1 (x - mu)",
	"Σ x",
	"pi alpha",
	"0.6 x",
	"2e3 x",
	"0.125 x + 1.5 y",
}

// TestExprsGolden parses each input, infers its shapes, and records the
// text, LaTeX and Unicode forms of the inferred tree (products regrouped,
// 1 as the ones vector: what the command line prints). It checks that text
// reads back, for the parsed and for the inferred tree: printing, parsing
// and printing again gives the same text, and when the input is already
// canonical the parsed trees are equal.
func TestExprsGolden(t *testing.T) {
	if len(inputs) < 45 {
		t.Fatalf("only %d inputs", len(inputs))
	}
	var b strings.Builder
	for _, src := range inputs {
		fmt.Fprintf(&b, "# %s\n", src)
		e, err := parser.ParseExpr(src)
		if err != nil {
			fmt.Fprintf(&b, "error:   %v\n\n", err)
			continue
		}
		roundTrip(t, src, e, false)
		out, info, err := ast.Infer(e, nil)
		if err != nil {
			fmt.Fprintf(&b, "shape:   %v\n", err)
			out, info = e, nil
		} else {
			roundTrip(t, src, out, true)
		}
		fmt.Fprintf(&b, "text:    %s\nlatex:   %s\nunicode: %s\n\n",
			Text(out), LaTeX(out, info), Unicode(out, info))
	}
	golden(t, "exprs.golden", b.String())
}

// roundTrip checks that the text of e reads back to the same text (after
// shape inference, if infer is set), and to an equal tree when src is that
// text already.
func roundTrip(t *testing.T, src string, e ast.Expr, infer bool) {
	t.Helper()
	text := Text(e)
	e2, err := parser.ParseExpr(text)
	if err != nil {
		t.Errorf("%q prints as %q, which does not parse: %v", src, text, err)
		return
	}
	if infer {
		if e2, _, err = ast.Infer(e2, nil); err != nil {
			t.Errorf("%q prints as %q, which does not infer: %v", src, text, err)
			return
		}
	}
	if text2 := Text(e2); text2 != text {
		t.Errorf("%q prints as %q, which prints as %q", src, text, text2)
	}
	if src == text && !ast.Equal(e, e2) {
		t.Errorf("%q prints as itself but reads back to a different tree", src)
	}
}
