package ast_test

import (
	"strings"
	"testing"

	"github.com/matdiff/matdiff/ast"
)

func TestErrorText(t *testing.T) {
	e := ast.Errorf(3, "shape", "x is a %s", "column vector")
	if got, want := e.Error(), "shape error at column 3: x is a column vector"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	e = &ast.Error{Kind: "limit", Msg: "input is longer than 512 KiB"}
	if got, want := e.Error(), "limit error: input is longer than 512 KiB"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if c := e.Caret("x"); c != "" {
		t.Errorf("an error without a column has caret %q", c)
	}
}

func TestCaret(t *testing.T) {
	long := strings.Repeat("x + ", 100) + "@" + strings.Repeat(" + y", 100)
	tests := []struct {
		src  string
		pos  ast.Pos
		want string
	}{
		{"x A", 3, "  x A\n    ^"},
		{"||Ax)||^2", 5, "  ||Ax)||^2\n      ^"},
		// Columns count code points, not bytes.
		{"λ ∘ x", 5, "  λ ∘ x\n      ^"},
		// Just past the end: a missing operand.
		{"x +", 4, "  x +\n     ^"},
		// Tabs are kept in the padding, so that the caret lines up.
		{"x\ty + @", 7, "  x\ty + @\n   \t    ^"},
		// Several lines: the line that holds the column.
		{"x +\nA y", 7, "  A y\n    ^"},
		// A long line shows a window of 120 code points around the caret.
		{long, 401, "  " + long[340:460] + "\n  " + strings.Repeat(" ", 60) + "^"},
	}
	for _, tt := range tests {
		e := ast.Errorf(tt.pos, "syntax", "test")
		if got := e.Caret(tt.src); got != tt.want {
			t.Errorf("Caret(%.40q) at %d:\n%s\nwant\n%s", tt.src, tt.pos, got, tt.want)
		}
	}
}
