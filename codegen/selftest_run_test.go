package codegen_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/codegen"
)

// TestSelfTestRuns runs the self-test that --check appends, in every
// language: it passes on the generated derivatives, also where the value
// has a large constant part that would take a finite difference's digits
// (terms that do not depend on the variable moved), where it varies fast
// and where only matrices of positive entries are inside the domain, and
// it fails, with exit status 3, on a derivative made wrong.
func TestSelfTestRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the toolchains")
	}
	cases := []struct {
		expr   string
		opts   codegen.Options
		broken func(string) string // makes a derivative wrong, or nil
	}{
		// sum(log(X)) is defined only where X's entries are positive.
		{expr: "||A x - b||^2 + lambda ||x||^2 + sum(log(X))"},
		{expr: "1e14 + x^T x + y^T A y"},
		{expr: "exp(||A||_F^2) + x^T A x", opts: codegen.Options{Wrt: []string{"x"}, Hessian: "x"}},
		{expr: "sum(log(1 + exp(x))) - 1e13 alpha", opts: codegen.Options{Hessian: "x"}},
		{expr: "1e12 y + A x", opts: codegen.Options{Wrt: []string{"x"}}}, // a Jacobian
		{expr: "x^T x + 3", broken: func(s string) string { return strings.Replace(s, "grad_x = ", "grad_x = 1.25 * ", 1) }},
		// Fast-varying: the differences converge only at smaller steps.
		{expr: "sin(100 (x^T x)^3)", opts: codegen.Options{Hessian: "x"}},
		{expr: "sin(1000 x^T x)", broken: func(s string) string { return strings.Replace(s, "grad_x = ", "grad_x = 1.00001 * ", 1) }},
	}
	for _, lang := range codegen.Langs {
		for i, c := range cases {
			t.Run(fmt.Sprintf("%s/%d", lang, i), func(t *testing.T) {
				t.Parallel() // a compiler or an interpreter per case
				needLang(t, lang)
				opts := c.opts
				opts.Lang, opts.Check = lang, true
				src, err := codegen.Generate(c.expr, opts)
				if err != nil {
					t.Fatalf("%s: %v", c.expr, err)
				}
				want := 0
				if c.broken != nil {
					b := c.broken(src)
					if b == src {
						t.Fatalf("%s: nothing to break in\n%s", c.expr, src)
					}
					src, want = b, 3
				}
				out, code := runSelfTest(t, t.TempDir(), lang, i, src)
				if code != want || (want == 0) != strings.Contains(out, ": ok") {
					t.Errorf("%s (%s): exit %d, want %d: %s", c.expr, lang, code, want, out)
				}
			})
		}
	}
}

// runSelfTest runs the self-test of one generated file and returns its
// output and exit status.
func runSelfTest(t *testing.T, dir, lang string, i int, src string) (string, int) {
	t.Helper()
	var cmd *exec.Cmd
	if lang == "eigen" {
		h := filepath.Join(dir, "f"+string(rune('a'+i))+".h")
		if err := os.WriteFile(h, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		// As the README says to: the header compiled as the main file,
		// without a warning.
		bin := h + ".bin"
		args := []string{"-std=c++17", "-O1", "-DMATDIFF_CHECK_MAIN", "-I", eigenInclude(), "-x", "c++", h, "-o", bin}
		cached, ok := cachedBinary(cxx() + " " + strings.Join(args[:5], " ") + "\n" + src)
		if ok {
			bin = cached // compiled without a warning before
		} else {
			out, err := exec.Command(cxx(), args...).CombinedOutput()
			if err != nil {
				t.Fatalf("compile: %v\n%s\n%s", err, out, src)
			}
			if len(out) > 0 {
				t.Errorf("the compiler warns:\n%s", out)
			} else {
				keepBinary(bin, cached)
			}
		}
		cmd = exec.Command(bin)
	} else {
		py := filepath.Join(dir, "f"+string(rune('a'+i))+".py")
		if err := os.WriteFile(py, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd = exec.Command(python(), py)
	}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	}
	t.Fatalf("run: %v", err)
	return "", -1
}
