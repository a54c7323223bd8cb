package pipeline_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/eval"
	"github.com/matdiff/matdiff/internal/pipeline"
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
	l1, r1, texts, bad, ok := lineSides(t, d, x, in, E, stepH)
	if !ok || len(bad) > 0 {
		return bad, ok
	}
	l2, r2, _, bad, ok := lineSides(t, d, x, in, E, stepH/2)
	if !ok || len(bad) > 0 {
		return bad, ok
	}
	for i := range l1 {
		if l1[i] == nil {
			continue
		}
		lhs, rhs := richardson(l1[i], l2[i]), richardson(r1[i], r2[i])
		if !close(l1[i], l2[i], 1e-3) || huge(lhs) || huge(rhs) {
			return nil, false // too stiff here, or too large for a relative test in float64
		}
		if !close(lhs, rhs, stepTol) {
			bad = append(bad, fmt.Sprintf("line %d: %s: %v vs %v", i+1, texts[i], mat.Formatted(lhs, mat.Squeeze()), mat.Formatted(rhs, mat.Squeeze())))
		}
	}
	return bad, true
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

// close compares two values of one shape with a relative tolerance.
func close(a, b *mat.Dense, tol float64) bool {
	ar, ac := a.Dims()
	br, bc := b.Dims()
	if ar*ac == 1 && br*bc == 1 {
		return math.Abs(a.At(0, 0)-b.At(0, 0)) <= tol*math.Max(1, math.Abs(a.At(0, 0)))
	}
	if ar != br || ac != bc {
		return false
	}
	var diff mat.Dense
	diff.Sub(a, b)
	return mat.Norm(&diff, math.Inf(1)) <= tol*math.Max(1, mat.Norm(a, math.Inf(1)))
}
