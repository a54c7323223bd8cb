package ast

import (
	"strings"
	"testing"
)

// TestNormTwo: ||e||_2 is the Euclidean norm of a vector or scalar, and
// of a matrix the spectral norm, which inference rejects, suggesting _F.
func TestNormTwo(t *testing.T) {
	x := &Name{At: 3, Name: "x"}
	X := &Name{At: 3, Name: "X"}
	A := &Name{At: 3, Name: "A"}
	for _, tt := range []struct {
		arg     Expr
		wantErr string // "" when the norm is Euclidean
	}{
		{x, ""},
		{&Name{At: 3, Name: "alpha"}, ""},
		{&Product{At: 3, Factors: []Expr{A, x}}, ""},
		{&Transpose{At: 3, X: x}, ""},
		{X, "shape error at column 1: X is a matrix (m×n), and ||X||_2 of a matrix is the spectral norm, which has no closed-form derivative here; write ||X||_F for the Frobenius norm"},
		{&Product{At: 3, Factors: []Expr{A, X}}, "||A X||_F"},
	} {
		out, _, err := Infer(&Norm{At: 1, Kind: NormTwo, X: tt.arg}, nil)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("||%T||_2: %v", tt.arg, err)
				continue
			}
			if n, ok := out.(*Norm); !ok || n.Kind != NormEuclid {
				t.Errorf("||%T||_2 infers as %#v, want a Euclidean norm", tt.arg, out)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("||%T||_2: error %v, want %q", tt.arg, err, tt.wantErr)
		}
	}
}
