package parser

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/render"
)

// fuzzSeeds cover every construct of the language and a few broken ones;
// the same inputs are in testdata/fuzz/FuzzParse.
var fuzzSeeds = []string{
	"x^T A x",
	"||BAx||^2",
	"x^TAx",
	"A -B",
	"-x^T x / 2 sigma^2",
	"(A + A^T)/2",
	"3 A x/2",
	"2^-1 t^(1/2) x^(-1/2)",
	"X^-T inv(X) X⁻¹ Xᵀ x'",
	"x.^2 ./ y .* z ∘ w ⊙ v ⊗ u",
	"kron(A, B) ⊗ C",
	"||x||_F ||y||_1 ‖z‖²",
	"|| ||x|| y ||",
	"norm(norm(x) y)",
	"eye(rows(V)) + eye(cols(V)) + I + eye",
	"rows(X)/alpha",
	"1 - tanh(u).^2",
	"sigmoid(W1x + b) softplus(relu(x)) step(x) sign(x)",
	"tr(A) det(X) logdet(X) diag(x) sum(A) vec(X)",
	"exp(x) log(x) sin(x) cos(x) tan(x) arcsin(x) arccos(x) arctan(x) sqrt(x) abs(x)",
	"pi π λ Σ Sigma_0 alpha_1 mu x_k W_out",
	"2e3 0.5 1.5e-2 2 e3",
	"alphax",
	"detA",
	"tnah(x)",
	"||Ax)||^2",
	"((((x",
	"x^y",
	"x^(1/0)",
	"x.T @ A @ x",
	"x.' A x .T",
	"-x**2 ** 3 + y**(2**-1)",
	"2.T 2.5.T x.^2.T",
	"||X||_2 ||X||_* ||x||_inf",
	"softmx(x) xy(z) Ax(y + z)",
	"[x + y] z − w",
	"A^T^-1 x'^2 x⁻²",
	"",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := ParseExpr(src)
		if err != nil {
			var pe *ast.Error
			if !errors.As(err, &pe) {
				t.Fatalf("ParseExpr(%q): error %v is not an *ast.Error", src, err)
			}
			switch pe.Kind {
			case "syntax", "name", "limit":
			default:
				t.Fatalf("ParseExpr(%q): error kind %q", src, pe.Kind)
			}
			if int(pe.Pos) > utf8.RuneCountInString(src)+1 || pe.Pos < 0 {
				t.Fatalf("ParseExpr(%q): error position %d beyond the input", src, pe.Pos)
			}
			return
		}
		if e == nil {
			t.Fatalf("ParseExpr(%q): nil expression without an error", src)
		}
		if bad := check(e); bad != "" {
			t.Fatalf("ParseExpr(%q): %s", src, bad)
		}
		// Parsing is deterministic.
		e2, err := ParseExpr(src)
		if err != nil || sexp(e2) != sexp(e) {
			t.Fatalf("ParseExpr(%q) differs on a second run", src)
		}
		// The printed form reads back and prints the same, and shape
		// inference answers (a shape or an *ast.Error) without panicking.
		text := render.Text(e)
		back, err := ParseExpr(text)
		if err != nil {
			t.Fatalf("ParseExpr(%q) prints as %q, which does not parse: %v", src, text, err)
		}
		if again := render.Text(back); again != text {
			t.Fatalf("ParseExpr(%q) prints as %q, which prints as %q", src, text, again)
		}
		if out, info, err := ast.Infer(e, nil); err == nil {
			if _, err := info.Shape(out); err != nil {
				t.Fatalf("ParseExpr(%q): the inferred tree has no shape: %v", src, err)
			}
			render.Text(out)
		} else if _, ok := err.(*ast.Error); !ok {
			t.Fatalf("ParseExpr(%q): inference error %v is not an *ast.Error", src, err)
		}
	})
}
