package simplify_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/eval"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
	"github.com/matdiff/matdiff/simplify"
)

// FuzzSimplify simplifies any expression that parses and checks that the
// rules never panic and are numerically sound: wherever both the input and
// its canonical form evaluate at a random instance, they agree. The seeds
// are in testdata/fuzz/FuzzSimplify (mirrored in the repository's
// testdata/fuzz/FuzzSimplify).
func FuzzSimplify(f *testing.F) {
	f.Add("||B A x||^2")
	f.Add("(A B)^T x + x")
	f.Fuzz(func(t *testing.T, src string) {
		typed, err := pipeline.Parse(src, pipeline.Options{})
		if err != nil {
			return
		}
		c := &simplify.Context{Info: typed.Info}
		out, _ := c.Simplify(typed.Expr)
		if out == nil {
			t.Fatalf("Simplify(%q) = nil", src)
		}
		assertSameValue(t, src, typed.Info, typed.Expr, out)
	})
}

// assertSameValue evaluates a and b at a few random instances and fails
// when both evaluate but differ by more than 1e-6 relative to their size.
// An instance where either value is huge is skipped, as the property tests
// skip it (huge): there rounding decides the value (det(A A^70) and
// det(A^71) agree to 4 digits at 1e184).
func assertSameValue(t *testing.T, src string, info *ast.Info, a, b ast.Expr) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	for draw := 0; draw < 3; draw++ {
		in := eval.NewInstance(info, rng)
		va, err := eval.Eval(a, info, in)
		if err != nil {
			continue
		}
		vb, err := eval.Eval(b, info, in)
		if err != nil {
			continue
		}
		ar, ac := va.Dims()
		br, bc := vb.Dims()
		if ar != br || ac != bc {
			t.Fatalf("%q: %s is %d×%d but simplifies to %s, %d×%d", src, render.Text(a), ar, ac, render.Text(b), br, bc)
		}
		if huge(va) || huge(vb) || singularDeterminant(a, info, in) {
			continue
		}
		if d, scale := maxDiff(va, vb); d > 1e-6*scale {
			t.Fatalf("%q: %s and its simplification %s differ by %.3g (scale %.3g)", src, render.Text(a), render.Text(b), d, scale)
		}
	}
}

// singularDeterminant reports whether e takes the determinant of a
// matrix that is singular but for rounding at the instance (det(B^T D D A)
// of a wide B): rounding decides that value, of any size.
func singularDeterminant(e ast.Expr, info *ast.Info, in *eval.Instance) bool {
	found := false
	ast.Inspect(e, func(x ast.Expr) bool {
		c, ok := x.(*ast.Call)
		if found || !ok || (c.Func != "det" && c.Func != "logdet") || len(c.Args) != 1 {
			return !found
		}
		if v, err := eval.Eval(c.Args[0], info, in); err == nil {
			if r, k := v.Dims(); r == k && r > 1 && mat.Cond(v, 1) > 1e12 {
				found = true
			}
		}
		return !found
	})
	return found
}

// maxDiff is the largest entrywise difference and the scale it is
// measured against: max(1, largest entry).
func maxDiff(a, b *mat.Dense) (diff, scale float64) {
	r, c := a.Dims()
	scale = 1
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			x, y := a.At(i, j), b.At(i, j)
			diff = math.Max(diff, math.Abs(x-y))
			scale = math.Max(scale, math.Max(math.Abs(x), math.Abs(y)))
		}
	}
	return diff, scale
}
