package eval

import (
	"testing"

	"github.com/matdiff/matdiff/ast"
	"gonum.org/v1/gonum/mat"
)

// TestComm: comm(rows(B), cols(B)) vec(B) = vec(B^T), for the sizes set by
// shape inference and for those read from the dimensions alone.
func TestComm(t *testing.T) {
	info, in := fixture()
	rows := &ast.Dimension{X: name("B")}
	cols := &ast.Dimension{Cols: true, X: name("B")}
	for _, k := range []*ast.Comm{
		{M: rows, N: cols, DM: dimM, DN: dimN},
		{M: rows, N: cols},
	} {
		got, err := Eval(prod(k, call("vec", name("B"))), info, in)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Eval(call("vec", tr(name("B"))), info, in)
		if err != nil {
			t.Fatal(err)
		}
		if !mat.Equal(got, want) {
			t.Errorf("K vec(B) = %v, want vec(B^T) = %v", mat.Formatted(got.T()), mat.Formatted(want.T()))
		}
	}
}
