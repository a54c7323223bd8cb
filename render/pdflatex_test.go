package render

import (
	"testing"

	"github.com/matdiff/matdiff/internal/latexcheck"
)

// TestPdfLaTeX compiles every LaTeX string of the tests, each as a display
// equation, with pdflatex and amsmath (skipped without pdflatex).
func TestPdfLaTeX(t *testing.T) {
	latexcheck.PdfLaTeX(t, latexStrings())
}
