// Package latexcheck compiles LaTeX strings with KaTeX and pdflatex, for
// the tests of every package that prints LaTeX. A string is math: an
// equation, or an environment such as align* that stands on its own.
//
// KaTeX needs node and the katex package, found in this order: the folder
// KATEX names; $KATEX_PREFIX/node_modules/katex, where KATEX_PREFIX is by
// default $HOME/.cache/matdiff-katex (where .ci/run installs it); or
// wherever node resolves katex itself.
// Without them the check is skipped, except under CI (CI set), where it
// fails: a CI run must not pass without compiling the LaTeX.
package latexcheck

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// katexScript renders every string of a JSON list read from standard input
// with KaTeX, in display mode and strict, and prints the ones it rejects
// with the reason, one per line.
const katexScript = `
const katex = require(process.env.KATEX || 'katex');
const all = JSON.parse(require('fs').readFileSync(0, 'utf8'));
for (const s of all) {
  try { katex.renderToString(s, {throwOnError: true, strict: 'error', displayMode: true}); }
  catch (e) { console.log(JSON.stringify(s) + ': ' + e.message); }
}
`

// missing skips the test, or fails it under CI.
func missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s; CI must check LaTeX with KaTeX (.ci/run installs it)", why)
	}
	t.Skip(why)
}

// KaTeX fails t for every string that KaTeX rejects.
func KaTeX(t testing.TB, all []string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		missing(t, "node is not installed")
		return
	}
	dir := katexDir()
	if dir == "" && exec.Command(node, "-e", "require.resolve('katex')").Run() != nil {
		missing(t, "katex is not installed; set KATEX to its folder, or install it as .ci/run does")
		return
	}
	in, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "-e", katexScript)
	if dir != "" {
		cmd.Env = append(os.Environ(), "KATEX="+dir)
	}
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	if s := strings.TrimSpace(string(out)); s != "" {
		t.Errorf("KaTeX rejects:\n%s", s)
	}
	t.Logf("%d LaTeX strings compile in KaTeX", len(all))
}

// katexDir is the folder of the katex package: $KATEX, else
// $KATEX_PREFIX/node_modules/katex (KATEX_PREFIX by default
// $HOME/.cache/matdiff-katex, where .ci/run installs it) when it holds
// the package; "" when neither does.
func katexDir() string {
	if d := os.Getenv("KATEX"); d != "" {
		return d
	}
	prefix := os.Getenv("KATEX_PREFIX")
	if prefix == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		prefix = filepath.Join(home, ".cache", "matdiff-katex")
	}
	d := filepath.Join(prefix, "node_modules", "katex")
	if _, err := os.Stat(filepath.Join(d, "package.json")); err != nil {
		return ""
	}
	return d
}

// PdfLaTeX compiles all strings in one document with pdflatex and amsmath,
// each as a display equation (an environment as it is). Without pdflatex
// the test is skipped.
func PdfLaTeX(t testing.TB, all []string) {
	t.Helper()
	pdflatex, err := exec.LookPath("pdflatex")
	if err != nil {
		t.Skip("pdflatex is not installed")
	}
	var doc strings.Builder
	doc.WriteString("\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n")
	for _, s := range all {
		if strings.HasPrefix(s, `\begin{`) {
			doc.WriteString(s + "\n")
		} else {
			doc.WriteString("\\[ " + s + " \\]\n")
		}
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
