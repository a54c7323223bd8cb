package render

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPdfLaTeX compiles every LaTeX string of the tests, each as a display
// equation, with pdflatex and amsmath. Without pdflatex it is skipped.
func TestPdfLaTeX(t *testing.T) {
	pdflatex, err := exec.LookPath("pdflatex")
	if err != nil {
		t.Skip("pdflatex is not installed")
	}
	var doc strings.Builder
	doc.WriteString("\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n")
	for _, s := range latexStrings() {
		doc.WriteString("\\[ " + s + " \\]\n")
	}
	doc.WriteString("\\end{document}\n")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "all.tex"), []byte(doc.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(pdflatex, "-interaction=nonstopmode", "-halt-on-error", "all.tex")
	cmd.Dir = dir
	done := make(chan error, 1)
	var out []byte
	go func() { var err error; out, err = cmd.CombinedOutput(); done <- err }()
	select {
	case err = <-done:
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("pdflatex took over 60 s")
	}
	if err != nil {
		var errs []string
		for _, l := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(l, "!") || strings.HasPrefix(l, "l.") {
				errs = append(errs, l)
			}
		}
		t.Fatalf("pdflatex fails: %v\n%s", err, strings.Join(errs, "\n"))
	}
}
