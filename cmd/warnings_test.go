package cmd

import (
	"strings"
	"testing"
)

// TestWarnings runs the traps through the root command: each warning goes
// to standard error as "matdiff: warning: …", --quiet silences it, and
// neither changes the result or the exit code.
func TestWarnings(t *testing.T) {
	for _, c := range []struct {
		args []string
		warn string
	}{
		{[]string{"d/dmu", "||x - mu||^2"}, "declare --vector mu if mu is a vector"},
		{[]string{"d/dx", "w^T x + b"}, "declare --scalar b if b is a scalar"},
		{[]string{"d/dx", "exp(-||x-y||^2/2 sigma^2)"}, "/ divides by 2 only and then multiplies by sigma^2; write /(2 sigma^2) to divide by both"},
		{[]string{"d/dX", "tr(exp(X))"}, "exp is elementwise; matdiff has no matrix exponential"},
		{[]string{"grad", "||x - mu||^2"}, "declare --vector mu if mu is a vector"},
		{[]string{"parse", "w^T x + b"}, "declare --scalar b if b is a scalar"},
		{[]string{"simplify", "tr(exp(X))"}, "exp is elementwise"},
		{[]string{"check", "d/dx", "x^T x/2 sigma^2"}, "write /(2 sigma^2)"},
	} {
		out, errs, code := run("", c.args...)
		if code != 0 || !strings.HasPrefix(errs, "matdiff: warning: ") || !strings.Contains(errs, c.warn) {
			t.Errorf("matdiff %s: stderr %q, exit %d; want a warning with %q", shellQuote(c.args), errs, code, c.warn)
		}
		quiet, qerrs, qcode := run("", append(c.args, "--quiet")...)
		if qerrs != "" || qcode != code || maskErrors(quiet) != maskErrors(out) {
			t.Errorf("matdiff %s --quiet: %q, stderr %q, exit %d; want %q, nothing on stderr, exit %d", shellQuote(c.args), quiet, qerrs, qcode, out, code)
		}
		// The same input, declared as meant, has no warning.
	}
	// The declaration the warning names silences it.
	for _, args := range [][]string{
		{"d/dmu", "||x - mu||^2", "--vector", "mu"},
		{"d/dx", "w^T x + b", "--scalar", "b"},
		{"d/dx", "exp(-||x-y||^2/(2 sigma^2))"},
	} {
		if _, errs, code := run("", args...); errs != "" || code != 0 {
			t.Errorf("matdiff %s: stderr %q, exit %d", shellQuote(args), errs, code)
		}
	}
}

// TestWarningsJSON: JSON lists the warnings (also with --quiet).
func TestWarningsJSON(t *testing.T) {
	out, errs, code := run("", "d/dmu", "||x - mu||^2", "--format", "json", "--quiet")
	m := decode(t, out)
	w, _ := m["warnings"].([]any)
	if code != 0 || errs != "" || len(w) != 1 || !strings.Contains(w[0].(string), "declare --vector mu") {
		t.Errorf("got %s, stderr %q, exit %d", out, errs, code)
	}
	out, _, _ = run("", "d/dx", "x^T x", "--format", "json")
	if strings.Contains(out, "warnings") {
		t.Errorf("warnings listed without a warning: %s", out)
	}
}

// TestWarningsBatch: a batch line's warnings carry its line number, and
// its JSON object lists them.
func TestWarningsBatch(t *testing.T) {
	out, errs, code := run("d/dx x^T x\nd/dmu ||x - mu||^2\n", "batch")
	if code != 0 || strings.Count(out, "\n") != 2 || !strings.HasPrefix(errs, "matdiff: line 2: warning: mu is a scalar by default") {
		t.Errorf("got %q, stderr %q, exit %d", out, errs, code)
	}
	if _, errs, _ := run("d/dmu ||x - mu||^2\n", "batch", "--quiet"); errs != "" {
		t.Errorf("--quiet: stderr %q", errs)
	}
	out, _, _ = run("d/dmu ||x - mu||^2\n", "batch", "--format", "json")
	if m := decode(t, out); m["warnings"] == nil || m["line"] != 1.0 {
		t.Errorf("JSON: %s", out)
	}
}

// TestShapeErrorSuggestsDeclaration: a shape error whose cause is a
// default kind names the declaration.
func TestShapeErrorSuggestsDeclaration(t *testing.T) {
	_, errs, code := run("", "d/dbeta", "||y - X*beta||^2")
	if code != int(ExitInvalid) || !strings.Contains(errs, "declare --vector beta if beta is a vector") {
		t.Errorf("stderr %q, exit %d", errs, code)
	}
	// Declared, it is well-shaped.
	if _, errs, code := run("", "d/dbeta", "||y - X*beta||^2", "--vector", "beta", "--check"); code != 0 || errs != "" {
		t.Errorf("declared: stderr %q, exit %d", errs, code)
	}
}
