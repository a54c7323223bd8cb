package cmd

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/internal/cases"
)

// caseArgs are the command-line flags of a case of the derivative tables:
// its declarations as --let, --vec, and --layout numerator.
func caseArgs(c cases.Case) []string {
	var args, lets []string
	for _, item := range strings.Split(c.Options, ",") {
		switch item = strings.TrimSpace(item); item {
		case "":
		case "--vec":
			args = append(args, "--vec")
		case "--numerator":
			args = append(args, "--layout", "numerator")
		default:
			lets = append(lets, item)
		}
	}
	if len(lets) > 0 {
		args = append(args, "--let", strings.Join(lets, ", "))
	}
	return args
}

// TestRoundTripGoldens: every derivative of the tables (derive/testdata),
// as matdiff prints it, reads back unchanged through `matdiff simplify`
// with the same declarations, the result given as the argument as it is
// (one that begins with - included).
func TestRoundTripGoldens(t *testing.T) {
	n, negative := 0, 0
	for _, name := range []string{"cases.txt", "ml_cases.txt"} {
		cs, err := cases.Read(filepath.Join("..", "derive", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			flags := caseArgs(c)
			args := append([]string{c.Token, c.Expr}, flags...)
			out, errs, code := run("", args...)
			if code != 0 {
				t.Errorf("%s:%d: matdiff %s: exit %d: %s", c.File, c.Line, shellQuote(args), code, errs)
				continue
			}
			r := strings.TrimSuffix(out, "\n")
			if strings.HasPrefix(r, "-") {
				negative++
			}
			back := append([]string{"simplify", r}, flags...)
			got, errs, code := run("", back...)
			if code != 0 || got != out {
				t.Errorf("%s:%d: matdiff %s prints %q (stderr %q, exit %d), want it unchanged", c.File, c.Line, shellQuote(back), got, errs, code)
			}
			n++
		}
	}
	if n < 150 || negative == 0 {
		t.Fatalf("%d cases, %d negative; the tables were not read", n, negative)
	}
	t.Logf("%d derivatives read back unchanged, %d of them negative", n, negative)
}
