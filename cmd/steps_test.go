package cmd

import (
	"fmt"
	goldenfile "github.com/matdiff/matdiff/internal/golden"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/internal/latexcheck"
)

// stepCases are the derivations of the golden file steps.golden: the seed
// identities (derive/testdata/cases.txt), then traces, determinants, a symmetric variable,
// Jacobians and Hessians.
var stepCases = [][]string{
	{"d/dx", "x^T x"},
	{"d/dx", "x^T y"},
	{"d/dx", "(x^T y)^2"},
	{"d/dx^T", "A x"},
	{"d/dx", "(A x)^T"},
	{"d/dx", "||Ax||^2"},
	{"d/dA", "||Ax||^2"},
	{"d/dB", "||BAx||^2"},
	{"d/dx", "||BAx||^2"},
	{"d/dA", "||BAx||^2"},
	{"d/dX", "tr(A X B)"},
	{"d/dX", "tr(X^T A X)"},
	{"d/dX", "tr(X^-1 A)"},
	{"d/dX", "det(X)"},
	{"d/dX", "logdet(X)"},
	{"d/dS", "logdet(S)", "--sym", "S"},
	{"d/dw", "||X w - y||^2 + lambda ||w||^2"},
	{"d/dx", "sigmoid(w^T x)"},
	{"d/dx^T", "tanh(W x)"},
	{"d2/dx2", "x^T A x"},
	{"d2/dw2", "||X w - y||^2"},
}

// stepOutputs runs every case with --steps in text and LaTeX.
func stepOutputs(t *testing.T) (golden string, latex []string) {
	var b strings.Builder
	for _, c := range stepCases {
		for _, format := range []string{"text", "latex"} {
			args := append(append([]string(nil), c...), "--steps", "--format", format)
			out, errs, code := run("", args...)
			if code != 0 || errs != "" {
				t.Errorf("matdiff %s: exit %d: %s", shellQuote(args), code, errs)
			}
			fmt.Fprintf(&b, "$ matdiff %s\n%s\n", shellQuote(args), out)
			if format == "latex" {
				latex = append(latex, strings.TrimSuffix(out, "\n"))
			}
		}
	}
	return b.String(), latex
}

func TestStepsGolden(t *testing.T) {
	got, _ := stepOutputs(t)
	goldenfile.Check(t, filepath.Join("..", "testdata", "cmd", "steps.golden"), got)
}

// TestStepsEndWithResult: the last line of every derivation is the plain
// result, in text, Unicode and LaTeX.
func TestStepsEndWithResult(t *testing.T) {
	for _, c := range stepCases {
		for _, format := range []string{"text", "unicode", "latex"} {
			args := append(append([]string(nil), c...), "--format", format)
			plain, _, _ := run("", args...)
			steps, _, _ := run("", append(args, "--steps")...)
			lines := strings.Split(strings.TrimSuffix(steps, "\n"), "\n")
			last := lines[len(lines)-1]
			if format == "latex" {
				if last != `\end{align*}` || lines[0] != `\begin{align*}` {
					t.Errorf("%s: not an align* environment:\n%s", shellQuote(args), steps)
					continue
				}
				last, _, _ = strings.Cut(lines[len(lines)-2], ` && \text{`)
				_, last, _ = strings.Cut(last, ` &= `)
			} else {
				last, _, _ = strings.Cut(last, "  [")
				_, last, _ = strings.Cut(last, " = ")
				last = strings.TrimRight(last, " ")
			}
			if last != strings.TrimSuffix(plain, "\n") {
				t.Errorf("%s --steps ends with\n%s\nnot the result\n%s", shellQuote(args), last, plain)
			}
		}
	}
}

// latexOutputs is every LaTeX string the command prints in the tests of
// this file: derivations, equations, results with temporaries, JSON.
func latexOutputs(t *testing.T) []string {
	_, all := stepOutputs(t)
	for _, c := range stepCases {
		args := append(append([]string(nil), c...), "--equation")
		out, _, _ := run("", args...)
		all = append(all, strings.TrimSuffix(out, "\n"))
		out, _, _ = run("", append(args, "--style", "plain")...)
		all = append(all, strings.TrimSuffix(out, "\n"))
	}
	for _, c := range cseCases {
		out, _, _ := run("", append(append([]string(nil), c.args...), "--cse", "--format", "latex")...)
		all = append(all, strings.Split(strings.TrimSuffix(out, "\n"), "\n")...)
		m := decode(t, mustRun(t, append(append([]string(nil), c.args...), "--cse", "--steps", "--format", "json")...))
		all = append(all, m["latex"].(string))
		for _, tmp := range m["temporaries"].([]any) {
			all = append(all, tmp.(map[string]any)["latex"].(string))
		}
		for _, s := range m["steps"].([]any) {
			all = append(all, s.(map[string]any)["latex"].(string))
		}
	}
	return all
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errs, code := run("", args...)
	if code != 0 {
		t.Fatalf("matdiff %s: exit %d: %s", shellQuote(args), code, errs)
	}
	return out
}

// TestKaTeX compiles every LaTeX output of the command with KaTeX (skipped
// without it, except under CI).
func TestKaTeX(t *testing.T) {
	latexcheck.KaTeX(t, latexOutputs(t))
}

// TestPdfLaTeX compiles them with pdflatex when it is installed.
func TestPdfLaTeX(t *testing.T) {
	latexcheck.PdfLaTeX(t, latexOutputs(t))
}

var cseCases = []struct {
	args []string
	out  string
}{
	{[]string{"d/dx", "sigmoid(w^T x)"}, "t0 (1 - t0) w\n  where t0 = sigmoid(w^T x)\n"},
	{[]string{"d/dx", "||A x - b||^2 + ||A x - b||"}, "(A^T/||t0|| + 2 A^T) t0\n  where t0 = A x - b\n"},
	{[]string{"d/dx", "sum(tanh(tanh(W x)))"}, "W^T ((1 - t0.^2) .* (1 - tanh(t0).^2))\n  where t0 = tanh(W x)\n"},
	// Nothing repeats: the plain result.
	{[]string{"d/dA", "||BAx||^2"}, "2 B^T B A x x^T\n"},
}

func TestCSE(t *testing.T) {
	for _, c := range cseCases {
		args := append(append([]string(nil), c.args...), "--cse")
		if out := mustRun(t, args...); out != c.out {
			t.Errorf("matdiff %s:\n got %q\nwant %q", shellQuote(args), out, c.out)
		}
	}
	// A temporary's name avoids the variables' names.
	if out := mustRun(t, "d/dx", "sigmoid(t0^T x)", "--cse"); out != "t1 (1 - t1) t0\n  where t1 = sigmoid(t0^T x)\n" {
		t.Errorf("clash: %q", out)
	}
	// LaTeX.
	if out := mustRun(t, "d/dx", "sigmoid(w^T x)", "--cse", "--equation"); !strings.HasSuffix(out, "= t_{0} \\left( 1 - t_{0} \\right) \\mathbf{w}\n\\text{where } t_{0} = \\operatorname{sigmoid}\\left( \\mathbf{w}^\\top \\mathbf{x} \\right)\n") {
		t.Errorf("latex: %q", out)
	}
	// grad and simplify name temporaries too.
	if out := mustRun(t, "simplify", "--cse", "exp(A x) .* exp(A x) + A x"); out != "t0 + exp(t0).^2\n  where t0 = A x\n" {
		t.Errorf("simplify: %q", out)
	}
	if out := mustRun(t, "grad", "--cse", "sigmoid(w^T x)"); !strings.Contains(out, "d/dw = t0 (1 - t0) x\n  where t0 = sigmoid(w^T x)\n") {
		t.Errorf("grad: %q", out)
	}
}
