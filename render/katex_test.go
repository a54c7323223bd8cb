package render

import (
	"testing"

	"github.com/matdiff/matdiff/internal/latexcheck"
	"github.com/matdiff/matdiff/parser"
)

// TestKaTeX checks that every LaTeX string of the tests compiles in KaTeX
// (internal/latexcheck: skipped without node and katex, except under CI).
func TestKaTeX(t *testing.T) {
	latexcheck.KaTeX(t, latexStrings())
}

// latexStrings returns the LaTeX of every hand-built case (bold and plain)
// and of every parsed input.
func latexStrings() []string {
	var all []string
	for _, c := range cases {
		all = append(all, LaTeX(c.e, nil), Config{Format: FormatLaTeX, Plain: true}.Expr(c.e))
	}
	for _, src := range inputs {
		if e, err := parser.ParseExpr(src); err == nil {
			all = append(all, LaTeX(e, nil))
		}
	}
	return all
}
