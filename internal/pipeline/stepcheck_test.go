package pipeline_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/eval"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/parser"
	"github.com/matdiff/matdiff/render"
	"gonum.org/v1/gonum/mat"
)

// stepTol is the relative error allowed between the two sides of a line,
// both evaluated with finite differences of step stepH.
const (
	stepTol = 1e-6
	stepH   = 1e-4
)

// falseLines evaluates both sides of every line of the derivation of d at
// a random point along a random direction and returns the lines whose
// sides differ, as "LHS = RHS: lhs value vs rhs value". The lines are
// linear in their differentials, so each side is evaluated with steps h
// and h/2 and the two combined (Richardson extrapolation). A point where
// the expression cannot be evaluated, or where the finite differences
// are too stiff to trust, returns ok false.
func falseLines(t *pipeline.Typed, d *pipeline.Derivative, seed uint64) (bad []string, ok bool) {
	rng := rand.New(rand.NewPCG(seed, 7))
	in := eval.NewInstance(t.Info, rng)
	if in == nil {
		return nil, false
	}
	E := eval.RandomDirection(t.Info, in, d.Request.Wrt, rng)
	if E == nil {
		return nil, false
	}
	if _, err := eval.Eval(t.Expr, t.Info, in); err != nil {
		return nil, false
	}
	x, err := t.Explain(d)
	if err != nil {
		return nil, false
	}
	return compareLines(t, d, x, in, E)
}

// compareLines is falseLines for the derivation x at the point in along E.
func compareLines(t *pipeline.Typed, d *pipeline.Derivative, x *derive.Derivation, in *eval.Instance, E *mat.Dense) (bad []string, ok bool) {
	// A line that misses the tolerance is compared again at steps 8 and
	// 64 times smaller: the differences of a function that varies fast
	// converge only there, and a false line stays false at every step.
	var pending map[int]bool // the lines still to compare; nil: every one
	for k, h := 0, stepH; k < 3; k, h = k+1, h/8 {
		l1, r1, texts, lbad, ok := lineSides(t, d, x, in, E, h)
		if !ok || len(lbad) > 0 {
			if k > 0 {
				return bad, true // the previous step's verdict
			}
			return lbad, ok
		}
		l2, r2, _, lbad, ok := lineSides(t, d, x, in, E, h/2)
		if !ok || len(lbad) > 0 {
			if k > 0 {
				return bad, true
			}
			return lbad, ok
		}
		next, nextBad := map[int]bool{}, []string(nil)
		for i := range l1 {
			if l1[i] == nil || pending != nil && !pending[i] {
				continue
			}
			lhs, rhs := richardson(l1[i], l2[i]), richardson(r1[i], r2[i])
			if !close(l1[i], l2[i], 1e-3, 1) || huge(lhs) || huge(rhs) {
				if k == 0 {
					return nil, false // too stiff here, or too large for a relative test in float64
				}
				return bad, true // too stiff at the smaller step: the previous verdict
			}
			if !close(lhs, rhs, stepTol, termsSize(t, x.Lines[i].Expr, in, d.Request.Wrt, E, h)) {
				next[i] = true
				nextBad = append(nextBad, fmt.Sprintf("line %d: %s: %v vs %v", i+1, texts[i], mat.Formatted(lhs, mat.Squeeze()), mat.Formatted(rhs, mat.Squeeze())))
			}
		}
		if len(next) == 0 {
			return nil, true
		}
		pending, bad = next, nextBad
	}
	return bad, true
}

// termsSize is the largest magnitude of the terms of a line that is a
// sum (1 otherwise): terms that cancel leave their rounding in the sum, so
// that is the size a relative test compares with.
func termsSize(t *pipeline.Typed, e ast.Expr, in *eval.Instance, wrt string, E *mat.Dense, h float64) float64 {
	size := 1.0
	s, ok := e.(*ast.Sum)
	if !ok {
		return size
	}
	for _, term := range s.Terms {
		if v, err := eval.EvalDifferential(term, t.Info, in, wrt, E, h); err == nil {
			size = math.Max(size, mat.Norm(v, math.Inf(1)))
		}
	}
	return size
}

// huge reports whether an entry of m is beyond 1e12 in magnitude (or not
// finite), where finite differences of step 1e-4 lose their digits.
func huge(m *mat.Dense) bool {
	r, c := m.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if v := m.At(i, j); math.IsNaN(v) || math.Abs(v) > 1e12 {
				return true
			}
		}
	}
	return false
}

// richardson is (4 b - a)/3, for values a at step h and b at h/2.
func richardson(a, b *mat.Dense) *mat.Dense {
	var out mat.Dense
	out.Scale(4, b)
	out.Sub(&out, a)
	out.Scale(1.0/3, &out)
	return &out
}

// lineSides evaluates the two sides of every line with step h. lhs[i] is
// nil for a line that has nothing to compare.
func lineSides(t *pipeline.Typed, d *pipeline.Derivative, x *derive.Derivation, in *eval.Instance, E *mat.Dense, h float64) (lhs, rhs []*mat.Dense, texts, bad []string, ok bool) {
	wrt := d.Request.Wrt
	diffOf := func(e ast.Expr) (*mat.Dense, error) {
		if n, ok := e.(*ast.Name); ok && n.Name == x.Name {
			e = t.Expr
		}
		// The part that varies: a large constant term would take the
		// differences' digits.
		return eval.Directional(eval.Varying(e, t.Info, wrt), t.Info, in, wrt, E, h)
	}
	var left *mat.Dense
	var leftText string
	for i, l := range x.Lines {
		r, err := eval.EvalDifferential(l.Expr, t.Info, in, wrt, E, h)
		if errors.Is(err, eval.ErrDomain) {
			return nil, nil, nil, nil, false // a formula without a value here
		}
		if err != nil {
			bad = append(bad, fmt.Sprintf("line %d: %s: %v", i+1, render.Text(l.Expr), err))
			continue
		}
		switch l.Side {
		case derive.SideExpr:
			leftText = x.Name
			left, err = eval.Eval(t.Expr, t.Info, in)
		case derive.SideDiff:
			leftText = "d(" + render.Text(l.Of) + ")"
			left, err = diffOf(l.Of)
		case derive.SideSame:
		case derive.SideGradient:
			// The gradient of E: ⟨G, E⟩ is dE.
			leftText = "dE/dx"
			left, err = diffOf(t.Expr)
			r = scalarOf(eval.Inner(r, E))
		case derive.SideDerivative:
			leftText = "the derivative"
			left, r, err = derivativeSides(t, d, in, E, r, h)
		}
		if errors.Is(err, eval.ErrDomain) {
			return nil, nil, nil, nil, false
		}
		if err != nil {
			bad = append(bad, fmt.Sprintf("line %d: %s: %v", i+1, leftText, err))
			left = nil
		}
		if left != nil && err == nil {
			lhs, rhs = append(lhs, left), append(rhs, r)
		} else {
			lhs, rhs = append(lhs, nil), append(rhs, nil)
		}
		texts = append(texts, leftText+" = "+render.Text(l.Expr))
	}
	return lhs, rhs, texts, bad, true
}

func scalarOf(v float64) *mat.Dense { return mat.NewDense(1, 1, []float64{v}) }

// derivativeSides turns the derivative's value R into the differential
// it predicts along E, and returns it with the finite difference of the
// expression (or of the gradient, for a second derivative).
func derivativeSides(t *pipeline.Typed, d *pipeline.Derivative, in *eval.Instance, E, R *mat.Dense, h float64) (lhs, rhs *mat.Dense, err error) {
	req := d.Request
	f := t.Expr
	if req.Order == 2 {
		f = d.Gradient
	}
	fd, err := eval.Directional(eval.Varying(f, t.Info, req.Wrt), t.Info, in, req.Wrt, E, h)
	if err != nil {
		return nil, nil, err
	}
	fr, fc := fd.Dims()
	er, ec := E.Dims()
	// J is the Jacobian ∂vec(f)/∂vec(x)^T that R stands for.
	var J *mat.Dense
	numerator := req.Transposed || req.Layout == derive.Numerator
	switch {
	case req.Vec:
		J = R
	case req.Order == 2:
		J = R // a Hessian is symmetric in its layouts
	case er*ec == 1:
		J = vecOf(R)
	case fr*fc == 1 && numerator:
		J = mat.DenseCopyOf(vecOf(mat.DenseCopyOf(R.T())).T())
	case fr*fc == 1:
		J = mat.DenseCopyOf(vecOf(R).T())
	case numerator:
		J = R
	default:
		J = mat.DenseCopyOf(R.T())
	}
	if r, c := J.Dims(); r != fr*fc || c != er*ec {
		return nil, nil, fmt.Errorf("the derivative is %d×%d, want %d×%d", r, c, fr*fc, er*ec)
	}
	var p mat.Dense
	p.Mul(J, vecOf(E))
	return vecOf(fd), &p, nil
}

// vecOf stacks the columns of a.
func vecOf(a *mat.Dense) *mat.Dense {
	r, c := a.Dims()
	v := mat.NewDense(r*c, 1, nil)
	for j := 0; j < c; j++ {
		for i := 0; i < r; i++ {
			v.Set(j*r+i, 0, a.At(i, j))
		}
	}
	return v
}

// close compares two values of one shape with a relative tolerance, of
// the larger of a and size.
func close(a, b *mat.Dense, tol, size float64) bool {
	ar, ac := a.Dims()
	br, bc := b.Dims()
	if ar*ac == 1 && br*bc == 1 {
		return math.Abs(a.At(0, 0)-b.At(0, 0)) <= tol*math.Max(size, math.Abs(a.At(0, 0)))
	}
	if ar != br || ac != bc {
		return false
	}
	var diff mat.Dense
	diff.Sub(a, b)
	return mat.Norm(&diff, math.Inf(1)) <= tol*math.Max(size, mat.Norm(a, math.Inf(1)))
}

// TestFalseLinesFound: a line of a derivation made false, by a little or
// by a lot, is reported, at the first step and after the smaller ones.
func TestFalseLinesFound(t *testing.T) {
	for _, c := range []struct{ wrt, src string }{
		{"x", "||A x - b||^2"},
		{"x", "sin(1000 x^T x)"},
		{"W", "sum(tanh(W x))"},
	} {
		typed, d, err := pipeline.Differentiate(c.src, derive.Request{Wrt: c.wrt, Steps: true}, pipeline.Options{})
		if err != nil {
			t.Fatal(err)
		}
		x, err := typed.Explain(d)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 7))
		in := eval.NewInstance(typed.Info, rng)
		E := eval.RandomDirection(typed.Info, in, c.wrt, rng)
		if bad, ok := compareLines(typed, d, x, in, E); !ok || len(bad) > 0 {
			t.Fatalf("%s: the derivation itself: %v %v", c.src, ok, bad)
		}
		for _, scale := range []string{"1.00001", "2"} {
			last := len(x.Lines) - 1
			saved := x.Lines[last].Expr
			x.Lines[last].Expr = &ast.Product{Factors: []ast.Expr{parseNumber(t, scale), saved}}
			typed.Info.ShapeLike(x.Lines[last].Expr, saved)
			if bad, ok := compareLines(typed, d, x, in, E); !ok || len(bad) == 0 {
				t.Errorf("%s: the last line times %s is not reported (ok %v)", c.src, scale, ok)
			}
			x.Lines[last].Expr = saved
		}
	}
}

func parseNumber(t *testing.T, s string) ast.Expr {
	e, err := parser.ParseExpr(s)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
