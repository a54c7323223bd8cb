package pipeline_test

import (
	"math/rand/v2"
	"testing"

	"github.com/matdiff/matdiff/eval"
	"github.com/matdiff/matdiff/internal/pipeline"
)

// TestVecKronIdentity: (B^T ⊗ A) vec(X) infers the shapes that make it
// vec(A X B), and evaluates to it.
func TestVecKronIdentity(t *testing.T) {
	ty, err := pipeline.Parse("||vec(A X B) - (B^T ⊗ A) vec(X)||", pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := eval.NewInstance(ty.Info, rand.New(rand.NewPCG(1, 2)))
	v, err := eval.Eval(ty.Expr, ty.Info, in)
	if err != nil {
		t.Fatal(err)
	}
	if v.At(0, 0) > 1e-9 {
		t.Fatalf("vec(A X B) - (B^T ⊗ A) vec(X) has norm %g", v.At(0, 0))
	}
}
