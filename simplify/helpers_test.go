package simplify_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/eval"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
	"github.com/matdiff/matdiff/simplify"
	"gonum.org/v1/gonum/mat"
)

// decls are the declarations every test expression is read with: S is
// symmetric, A and C square, mu and b vectors.
var decls = ast.Decls{
	"S":  ast.KindSymmetric,
	"A":  ast.KindSquare,
	"C":  ast.KindSquare,
	"X":  ast.KindSquare,
	"mu": ast.KindVector,
}

// parse reads src with decls.
func parse(t testing.TB, src string) *pipeline.Typed {
	t.Helper()
	typed, err := pipeline.Parse(src, pipeline.Options{Decls: decls})
	if err != nil {
		msg := err.Error()
		if len(src) > 200 || len(msg) > 400 {
			src, msg = src[:min(len(src), 200)]+"…", msg[:min(len(msg), 400)]+"…"
		}
		t.Fatalf("parse %q: %s", src, msg)
	}
	return typed
}

// parseErr reads src with decls.
func parseErr(src string) (*pipeline.Typed, error) {
	return pipeline.Parse(src, pipeline.Options{Decls: decls})
}

// canon is the canonical text of src.
func canon(t testing.TB, src string) string {
	t.Helper()
	typed := parse(t, src)
	return render.Text(typed.Simplify(typed.Expr))
}

// errUndefined marks an instance where an expression is not defined.
var errUndefined = errors.New("undefined at this instance")

// agree evaluates a and b (both over info) at in and reports whether they
// agree to a relative error of 1e-8. It returns errUndefined when either
// has a domain error there.
func agree(a, b ast.Expr, info *ast.Info, in *eval.Instance) error {
	va, err := eval.Eval(a, info, in)
	if errors.Is(err, eval.ErrDomain) {
		return errUndefined
	}
	if err != nil {
		return fmt.Errorf("eval %s: %v", render.Text(a), err)
	}
	vb, err := eval.Eval(b, info, in)
	if errors.Is(err, eval.ErrDomain) {
		return errUndefined
	}
	if err != nil {
		return fmt.Errorf("eval %s: %v", render.Text(b), err)
	}
	if huge(va) || huge(vb) {
		return errUndefined // near a pole (x^T (A - A^T) x in a denominator)
	}
	ra, ca := va.Dims()
	rb, cb := vb.Dims()
	if ra != rb || ca != cb {
		// A broadcast scalar (x - x: 0) may stand for a whole matrix.
		if !(rb == 1 && cb == 1) && !(ra == 1 && ca == 1) {
			return fmt.Errorf("sizes %d×%d and %d×%d", ra, ca, rb, cb)
		}
		va, vb = broadcastTo(va, ra, ca, rb, cb), broadcastTo(vb, rb, cb, ra, ca)
	}
	scale := math.Max(1, math.Max(mat.Norm(va, math.Inf(1)), mat.Norm(vb, math.Inf(1))))
	var d mat.Dense
	d.Sub(va, vb)
	if diff := mat.Norm(&d, math.Inf(1)); diff > 1e-8*scale {
		if illConditioned(a, info, in) || illConditioned(b, info, in) {
			// Rounding: an inverse of a matrix that is nearly singular at
			// this instance (sin(u u^T) for u near 1) is computed with an
			// error of its condition number times 1e-16, and the two forms
			// compute different inverses (M^-T v and M^-1 against u^T).
			return errUndefined
		}
		if diff <= 100*math.Max(sensitivity(a, va, info, in), sensitivity(b, vb, info, in)) {
			// Rounding too: a change of the variables by 1e-13, a thousand
			// times rounding's, moves the value by a hundredth of the
			// difference or more (sin(exp(6 y^T B^T B)), where exp is
			// beyond 1e15).
			return errUndefined
		}
		return fmt.Errorf("values differ by %.3g (scale %.3g)", diff, scale)
	}
	return nil
}

// sensitivity returns how much e's value v at in moves when every entry
// of every variable changes by a relative 1e-13, with random signs (the
// same for the two entries of a symmetric pair).
func sensitivity(e ast.Expr, v *mat.Dense, info *ast.Info, in *eval.Instance) float64 {
	rng := rand.New(rand.NewPCG(uint64(len(in.Values)), 7))
	moved := in
	names := make([]string, 0, len(in.Values))
	for name := range in.Values {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		x := in.Values[name]
		r, c := x.Dims()
		y := mat.NewDense(r, c, nil)
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				if info.Symmetric(name) && j < i {
					y.Set(i, j, y.At(j, i))
					continue
				}
				f := 1 + 1e-13
				if rng.IntN(2) == 0 {
					f = 1 - 1e-13
				}
				y.Set(i, j, f*x.At(i, j))
			}
		}
		moved = moved.With(name, y)
	}
	w, err := eval.Eval(e, info, moved)
	if err != nil {
		return 0
	}
	if r, c := w.Dims(); r != v.RawMatrix().Rows || c != v.RawMatrix().Cols {
		return 0
	}
	var d mat.Dense
	d.Sub(v, w)
	return mat.Norm(&d, math.Inf(1))
}

// illConditioned reports whether e inverts (or takes the determinant of),
// at in, a matrix whose condition number exceeds 1e6, beyond which an
// inverse computed in floating point may be wrong in the tenth digit; or
// takes a root of an entry that rounding made nonzero (below 1e-10 in
// magnitude), where it grows rounding's 1e-16 to 1e-8: ((S^-1 S).^(1/2))^2
// off the diagonal.
func illConditioned(e ast.Expr, info *ast.Info, in *eval.Instance) bool {
	if eval.Conditioning(e, info, in) > 1e6 {
		return true
	}
	bad := false
	ast.Inspect(e, func(n ast.Expr) bool {
		var root ast.Expr
		switch n := n.(type) {
		case *ast.ElemPower:
			if !n.Exp.IsInt() {
				root = n.X
			}
		case *ast.Call:
			if n.Func == "sqrt" {
				root = n.Args[0]
			}
		}
		if root != nil && !bad {
			if v, err := eval.Eval(root, info, in); err == nil {
				for _, a := range v.RawMatrix().Data {
					bad = bad || a != 0 && math.Abs(a) < 1e-10
				}
			}
		}
		return !bad
	})
	return bad
}

// broadcastTo repeats a 1×1 value v to the larger of the two sizes.
func broadcastTo(v *mat.Dense, r, c, r2, c2 int) *mat.Dense {
	if r != 1 || c != 1 || (r2 == 1 && c2 == 1) {
		return v
	}
	out := mat.NewDense(r2, c2, nil)
	for i := 0; i < r2; i++ {
		for j := 0; j < c2; j++ {
			out.Set(i, j, v.At(0, 0))
		}
	}
	return out
}

// agreeAt checks a and b at n random instances; it reports how many were
// defined.
func agreeAt(a, b ast.Expr, info *ast.Info, rng *rand.Rand, n int) (int, error) {
	defined := 0
	for i := 0; i < n; i++ {
		in := eval.NewInstance(info, rng)
		err := agree(a, b, info, in)
		if errors.Is(err, errUndefined) {
			continue
		}
		if err != nil {
			return defined, err
		}
		defined++
	}
	return defined, nil
}

// simplifyAll returns the canonical form of e, with the error of the
// rewriting loop.
func simplifyAll(e ast.Expr, info *ast.Info) (ast.Expr, error) {
	c := &simplify.Context{Info: info}
	return c.Simplify(e)
}

// huge reports whether v has an entry beyond 1e10, a sign that the
// expression is evaluated near a pole, where rounding decides the value.
func huge(v *mat.Dense) bool {
	return mat.Norm(v, math.Inf(1)) > 1e10
}

// TestAgree: agree finds twice an expression different from it, also
// when the expression inverts a matrix (an instance where that matrix is
// badly conditioned is left out, not passed); its canonical form agrees
// with it.
func TestAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, src := range []string{"x", "sin(u u^T)^-1 u", "x^T A x", "tanh((y^T x) (y x^T))^-T", "sin(exp(6 y^T B^T B))", "det((B^T B B^T B)^-3)"} {
		typed := parse(t, src)
		twice := &ast.Product{Factors: []ast.Expr{ast.Int(2), typed.Expr}}
		if n, err := agreeAt(typed.Expr, twice, typed.Info, rng, 4); err == nil {
			t.Errorf("%s and twice it agree at %d instances", src, n)
		}
		canonical, err := simplifyAll(typed.Expr, typed.Info)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := agreeAt(typed.Expr, canonical, typed.Info, rng, 4); err != nil {
			t.Errorf("%s and %s: %v", src, render.Text(canonical), err)
		}
	}
}
