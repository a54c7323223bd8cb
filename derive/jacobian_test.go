package derive_test

import "testing"

// TestJacobiansGolden: Jacobians and Hessians through matrices that depend
// on the variable, --vec with the commutation matrix, and gradients through
// Kronecker products and vec, each checked numerically.
func TestJacobiansGolden(t *testing.T) {
	goldenCases(t, "jacobians.txt", "jacobians.golden")
}
