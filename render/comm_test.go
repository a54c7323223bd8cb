package render

import (
	"testing"

	"github.com/matdiff/matdiff/ast"
)

// TestComm: the commutation matrix prints as comm(rows(X), cols(X)) in
// text and Unicode, which reads back, and as K with its sizes in LaTeX.
func TestComm(t *testing.T) {
	k := &ast.Comm{M: &ast.Dimension{X: v("X")}, N: &ast.Dimension{Cols: true, X: v("X")}}
	e := prod(k, kron(tr(v("B")), v("A")))
	if got, want := Text(e), "comm(rows(X), cols(X)) (B^T ⊗ A)"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
	if got, want := Unicode(e, nil), "comm(rows(X), cols(X)) (Bᵀ ⊗ A)"; got != want {
		t.Errorf("Unicode = %q, want %q", got, want)
	}
	if got, want := LaTeX(k, nil), `\mathbf{K}_{\operatorname{rows}\left( \mathbf{X} \right),\operatorname{cols}\left( \mathbf{X} \right)}`; got != want {
		t.Errorf("LaTeX = %q, want %q", got, want)
	}
}
