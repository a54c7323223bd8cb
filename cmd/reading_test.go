package cmd

import (
	"path/filepath"
	"testing"
)

// TestReadingGolden runs the spellings the language borrows from NumPy
// and MATLAB, the norm subscripts and unknown functions, and compares the
// transcript (stdout, stderr with its caret lines, exit status) with
// testdata/cmd/reading.golden. Every derivative is checked numerically.
func TestReadingGolden(t *testing.T) {
	path := filepath.Join("..", "testdata", "cmd", "reading.golden")
	cmds := [][]string{
		{"parse", "x.T @ A @ x"},
		{"d/dx", "x.T @ A @ x", "--check"},
		{"d/dx", "x.' A x", "--check"},
		{"d/dX", "tr(X.T @ A @ X)", "--check"},
		{"d/dx", "sum(x ** 2)", "--check"},
		{"d/dx", "sum(y .* -x**2)", "--check"},
		{"parse", "x**2**3"},
		{"parse", "AB(x + y)"},
		{"d/dx", "||x||_2", "--check"},
		{"d/dx", "||A x - b||_2^2", "--check"},
		{"d/dX", "||X||_2"},
		{"d/dX", "||X||_F", "--check"},
		{"d/dX", "||X||_*"},
		{"d/dx", "||x||_inf"},
		{"d/dx", "softmx(x)"},
		{"d/dx", "tnah(x)"},
		{"d/dx", "huber(x)"},
		{"d/dx", "xy(z)"},
	}
	checkTranscript(t, path, cmds)
}
