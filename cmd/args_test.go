package cmd

import (
	"strings"
	"testing"
)

// TestCommandLine runs the root command on command lines a new user
// writes: expressions that begin with a minus sign, flags after the
// expression (also after --), mistyped commands and declarations that
// cannot hold.
func TestCommandLine(t *testing.T) {
	cases := []cliCase{
		{name: "leading minus", args: []string{"d/dx", "-x^T x"}, same: []string{"d/dx", "--", "-x^T x"}},
		{name: "negative log-likelihood", args: []string{"d/dp", "-y^T log(p)"}, same: []string{"d/dp", "--", "-y^T log(p)"}},
		{name: "leading minus, flag after", args: []string{"d/dx", "-x^T A x", "--sym", "A"}, same: []string{"--sym", "A", "d/dx", "--", "-x^T A x"}},
		{name: "leading minus, flag before", args: []string{"--sym", "A", "d/dx", "-x^T A x"}, same: []string{"--sym", "A", "d/dx", "--", "-x^T A x"}},
		{name: "flags after --", args: []string{"d/dx", "--", "x^T A x", "--sym", "A"}, same: []string{"--sym", "A", "d/dx", "x^T A x"}},
		{name: "minus after --, flags after", args: []string{"d/dx", "--", "-x^T A x", "--sym", "A", "--format", "unicode"},
			same: []string{"--sym", "A", "--format", "unicode", "d/dx", "--", "-x^T A x"}},
		{name: "flag with =", args: []string{"d/dx", "-x^T A x", "--sym=A"}, same: []string{"--sym", "A", "d/dx", "--", "-x^T A x"}},
		{name: "subcommand flag after the expression", args: []string{"parse", "-x^T x", "--shape"}, same: []string{"parse", "--shape", "--", "-x^T x"}},
		{name: "check, minus", args: []string{"check", "d/dx", "-x^T x"}, out: "max relative error <E> over 3 draws: ok\n"},
		{name: "simplify, minus", args: []string{"simplify", "-x^T x", "--sym", "S"}, same: []string{"simplify", "--sym", "S", "--", "-x^T x"}},
		{name: "grad, minus", args: []string{"grad", "-x^T y"}, same: []string{"grad", "--", "-x^T y"}},
		{name: "unknown flag after the expression", args: []string{"d/dx", "x^T x", "--bogus"}, code: ExitUsage, err: "matdiff: unknown flag: --bogus\n"},
		{name: "unknown flag after --", args: []string{"d/dx", "--", "-x^T x", "--bogus"}, code: ExitUsage, err: "matdiff: unknown flag: --bogus\n"},
		{name: "bad flag value after the expression", args: []string{"d/dx", "-x^T x", "--format", "xml"}, code: ExitUsage, errHas: "text, latex, unicode, json"},
		{name: "mistyped command, then arguments", args: []string{"chek", "d/dx", "x^T x"}, code: ExitUsage,
			err: "matdiff: unknown command \"chek\"; did you mean check?\n"},
		{name: "mistyped command, then more", args: []string{"simplfy", "x", "y", "z", "--sym", "S"}, code: ExitUsage,
			err: "matdiff: unknown command \"simplfy\"; did you mean simplify?\n"},
		{name: "mistyped command alone", args: []string{"gard"}, code: ExitUsage, errHas: "did you mean grad?"},
		{name: "sym of a vector", args: []string{"d/dx", "x^T x", "--sym", "x"}, code: ExitUsage,
			err: "matdiff: --sym x: x is a column vector (a lowercase Latin name), and only a square matrix can be symmetric; give the matrix a capitalised name (X)\n"},
		{name: "sym of a scalar", args: []string{"--let", "alpha:sym", "d/dalpha", "alpha^2"}, code: ExitUsage,
			errHas: "alpha is a scalar (a Greek name), and only a square matrix can be symmetric"},
		{name: "help still works", args: []string{"help", "version"}, same: []string{"version", "--help"}},
		{name: "help flag after the expression", args: []string{"d/dx", "-x^T x", "-h"}, same: []string{"--help"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.check(t) })
	}
}

// TestRoundTripShell is `matdiff simplify "$(matdiff d/dS 'tr(S^-1 A)' --sym S)"`:
// a result that begins with a minus sign reads back as it is.
func TestRoundTripShell(t *testing.T) {
	r, errs, code := run("", "d/dS", "tr(S^-1 A)", "--sym", "S")
	if code != 0 || errs != "" || !strings.HasPrefix(r, "-") {
		t.Fatalf("d/dS: %q, stderr %q, exit %d; want a result that begins with -", r, errs, code)
	}
	r = strings.TrimSuffix(r, "\n")
	for _, args := range [][]string{{"simplify", r}, {"simplify", r, "--sym", "S"}, {"simplify", "--sym", "S", "--", r}} {
		out, errs, code := run("", args...)
		if code != 0 || errs != "" || out != r+"\n" {
			t.Errorf("matdiff %q: %q, stderr %q, exit %d; want %q", args, out, errs, code, r)
		}
	}
}
