package derive_test

import (
	"testing"

	"github.com/matdiff/matdiff/internal/cases"
)

// TestJacobiansGolden: Jacobians and Hessians through matrices that depend
// on the variable, --vec with the commutation matrix, and gradients through
// Kronecker products and vec, each checked numerically.
func TestJacobiansGolden(t *testing.T) {
	goldenCases(t, "jacobians.txt", "jacobians.golden")
}

// TestAnsweredOnly: derivatives whose canonical text does not read back
// alone (1 1^T needs the shapes), checked numerically only.
func TestAnsweredOnly(t *testing.T) {
	for _, c := range []cases.Case{
		{Token: "d/dA", Expr: "sum(A ⊗ B)"},
		{Token: "d/dB", Expr: "1^T (A ⊗ B) 1"},
		{Token: "d/dX", Expr: "sum(vec(X))"},
		// diag(dv) between two factors under a mask: the Kronecker form
		{Token: "d/dx^T", Expr: "(M .* (A sin(B diag(x) D) C)) y"},
	} {
		if _, err := run(t, c); err != nil {
			t.Errorf("%s: %v", c, err)
		}
	}
}
