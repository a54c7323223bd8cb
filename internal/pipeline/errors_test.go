package pipeline_test

import (
	"errors"
	"fmt"
	goldenfile "github.com/matdiff/matdiff/internal/golden"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/internal/pipeline"
)

type badInput struct {
	src   string
	decls ast.Decls
	kind  string // the expected ast.Error kind
}

// badInputs are inputs that must fail with a positioned message: syntax,
// shapes, unknown names and functions, split words, and limits.
var badInputs = []badInput{
	// Syntax.
	{src: "||Ax)||^2", kind: "syntax"},
	{src: "", kind: "syntax"},
	{src: "   ", kind: "syntax"},
	{src: "x +", kind: "syntax"},
	{src: "+ x", kind: "syntax"},
	{src: "(x + y", kind: "syntax"},
	{src: "x + y)", kind: "syntax"},
	{src: "A * * B", kind: "syntax"},
	{src: "x^", kind: "syntax"},
	{src: "x^y", kind: "syntax"},
	{src: "A^(x)", kind: "syntax"},
	{src: "||x", kind: "syntax"},
	{src: "||x||_3", kind: "syntax"},
	{src: "x + @", kind: "syntax"},
	{src: "tr()", kind: "syntax"},
	{src: "tr(A, B)", kind: "syntax"},
	{src: "kron(A)", kind: "syntax"},
	{src: "f(x, )", kind: "syntax"},
	{src: "x $ y", kind: "syntax"},
	{src: "x\ty + @", kind: "syntax"},
	{src: "1.2.3 x", kind: "syntax"},
	{src: "x .^ y", kind: "syntax"},
	{src: "e^x", kind: "syntax"},
	{src: "x_", kind: "syntax"},
	{src: "A \u0007 B", kind: "syntax"},
	{src: "(A x) y)", kind: "syntax"},
	{src: "eye(3)", kind: "syntax"},
	// Shapes.
	{src: "x A", kind: "shape"},
	{src: "x + A", kind: "shape"},
	{src: "A .* x", kind: "shape"},
	{src: "A ./ x^T", kind: "shape"},
	{src: "x^2", kind: "shape"},
	{src: "x^T^2", kind: "shape"},
	{src: "(A x)^2", kind: "shape"},
	{src: "A^(1/2)", kind: "shape"},
	{src: "tr(x)", kind: "shape"},
	{src: "det(x)", kind: "shape"},
	{src: "logdet(x^T)", kind: "shape"},
	{src: "tr(A x)", kind: "shape"},
	{src: "x / y", kind: "shape"},
	{src: "A / B", kind: "shape"},
	{src: "inv(x)", kind: "shape"},
	{src: "x^-1", kind: "shape"},
	{src: "tr(vec(A) vec(B)^T x)", kind: "shape"},
	{src: "x^(1/2)", kind: "shape"},
	{src: "x^T^-1", kind: "shape"},
	{src: "A x + b^T", kind: "shape"},
	{src: "x^T x x^T + A", kind: "shape"},
	{src: "A x y", kind: "shape"},
	{src: "x^T A + x", kind: "shape"},
	{src: "x y", kind: "shape"},
	{src: "x^T y^T", kind: "shape"},
	{src: "A x .* B y", kind: "shape"},
	{src: "A^2 x^T", kind: "shape"},
	{src: "eye(cols(x)) + A", kind: "shape"},
	{src: "(A x)^T (B y)^T", kind: "shape"},
	{src: "S + x", decls: ast.Decls{"S": ast.KindSymmetric}, kind: "shape"},
	{src: "P x^T", decls: ast.Decls{"P": ast.KindSquare}, kind: "shape"},
	{src: "A (x + y^T)", kind: "shape"},
	{src: "sigmoid(W x + b^T)", kind: "shape"},
	// Names and functions.
	{src: "tnah(x)", kind: "name"},
	{src: "sigmod(W x)", kind: "name"},
	{src: "expp(x)", kind: "name"},
	{src: "eps(x)", kind: "name"}, // an unknown function, never split
	{src: "alphax", kind: "name"},
	{src: "detA", kind: "name"},
	{src: "trAB", kind: "name"},
	{src: "lambdaw", kind: "name"},
	// Limits.
	{src: strings.Repeat("(", 30000) + "x" + strings.Repeat(")", 30000), kind: "limit"},
	{src: strings.Repeat("-", 30000) + "x", kind: "limit"},
	{src: strings.Repeat("||", 25000) + "x" + strings.Repeat("||", 25000), kind: "limit"},
	{src: strings.Repeat("x + ", 140000) + "x", kind: "limit"},
}

func declString(d ast.Decls) string {
	var parts []string
	for n, k := range d {
		s := k.String()
		if s == "symmetric" {
			s = "sym"
		}
		parts = append(parts, n+":"+s)
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// shorten keeps a long input readable in the golden file.
func shorten(s string) string {
	r := []rune(s)
	if len(r) <= 80 {
		return s
	}
	return fmt.Sprintf("%s … %s (%d characters)", string(r[:30]), string(r[len(r)-30:]), len(r))
}

// TestErrorsGolden records, for every bad input, the message the user sees
// and the caret block under it, in testdata/errors.golden. Run go test
// ./internal/pipeline -update to rewrite it, and read every message as a
// user: it names the problem, the column, and a fix where one is likely.
func TestErrorsGolden(t *testing.T) {
	var b strings.Builder
	for _, in := range badInputs {
		fmt.Fprintf(&b, "# %s\n", shorten(in.src))
		if len(in.decls) > 0 {
			fmt.Fprintf(&b, "let:   %s\n", declString(in.decls))
		}
		_, err := pipeline.Parse(in.src, pipeline.Options{Decls: in.decls})
		if err == nil {
			t.Errorf("%q: no error", shorten(in.src))
			b.WriteString("(no error)\n\n")
			continue
		}
		var e *ast.Error
		if !errors.As(err, &e) {
			t.Errorf("%q: %T is not an *ast.Error: %v", shorten(in.src), err, err)
			fmt.Fprintf(&b, "error: %v\n\n", err)
			continue
		}
		if e.Kind != in.kind {
			t.Errorf("%q: %s error, want %s: %v", shorten(in.src), e.Kind, in.kind, err)
		}
		if strings.TrimSpace(in.src) != "" && len(in.src) < 512<<10 && !e.Pos.IsValid() {
			t.Errorf("%q: error without a column: %v", shorten(in.src), err)
		}
		if n := len([]rune(in.src)); int(e.Pos) > n+1 {
			t.Errorf("%q: column %d is beyond the input (%d characters)", shorten(in.src), e.Pos, n)
		}
		fmt.Fprintf(&b, "matdiff: %s\n", err)
		if c := e.Caret(in.src); c != "" {
			for _, line := range strings.Split(c, "\n") {
				if len([]rune(line)) > 130 {
					t.Errorf("%q: caret line of %d characters", shorten(in.src), len([]rune(line)))
				}
			}
			b.WriteString(c + "\n")
		}
		b.WriteString("\n")
	}
	if len(badInputs) < 30 {
		t.Fatalf("only %d bad inputs", len(badInputs))
	}
	golden(t, "errors.golden", b.String())
}

// TestREADMEErrors checks the two messages of the README ("Input
// language") exactly.
func TestREADMEErrors(t *testing.T) {
	tests := []struct{ src, msg, caret string }{
		{"||Ax)||^2", "syntax error at column 5: unexpected ')'", "  ||Ax)||^2\n      ^"},
		{"x A", "shape error at column 3: x is a column vector (m×1) and cannot left-multiply the matrix A (n×p); did you mean x^T A?", "  x A\n    ^"},
	}
	for _, tt := range tests {
		_, err := pipeline.Parse(tt.src, pipeline.Options{})
		var e *ast.Error
		if !errors.As(err, &e) {
			t.Fatalf("%q: %v", tt.src, err)
		}
		if err.Error() != tt.msg {
			t.Errorf("%q:\n got  %s\n want %s", tt.src, err, tt.msg)
		}
		if c := e.Caret(tt.src); c != tt.caret {
			t.Errorf("%q caret:\n%s\nwant\n%s", tt.src, c, tt.caret)
		}
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}
