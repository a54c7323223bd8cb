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
	stepTol = 1e-5
	stepH   = 1e-5
)

// falseLines evaluates both sides of every line of the derivation of d at
// a random point along a random direction and returns the lines whose
// sides differ, as "LHS = RHS: lhs value vs rhs value". A derivation
// whose expression cannot be evaluated at the point (a domain error)
// returns ok false.
func falseLines(t *pipeline.Typed, d *pipeline.Derivative, seed uint64) (bad []string, ok bool) {
	rng := rand.New(rand.NewPCG(seed, 7))
	in := eval.NewInstance(t.Info, rng)
	wrt := d.Request.Wrt
	if in == nil {
		return nil, false
	}
	E := eval.RandomDirection(t.Info, in, wrt, rng)
	if E == nil {
		return nil, false
	}
	if _, err := eval.Eval(t.Expr, t.Info, in); err != nil {
		return nil, false
	}
	x := t.Explain(d)
	diffOf := func(e ast.Expr) (*mat.Dense, error) {
		if n, ok := e.(*ast.Name); ok && n.Name == x.Name {
			e = t.Expr
		}
		return eval.Directional(e, t.Info, in, wrt, E, stepH)
	}
	// gradient is the first derivative of E, for a second derivative.
	var lhs *mat.Dense
	var lhsText string
	for i, l := range x.Lines {
		rhs, err := eval.EvalDifferential(l.Expr, t.Info, in, wrt, E, stepH)
		if errors.Is(err, eval.ErrDomain) {
			return nil, false // a formula without a value here: another point
		}
		if err != nil {
			bad = append(bad, fmt.Sprintf("line %d: %s: %v", i+1, render.Text(l.Expr), err))
			continue
		}
		switch l.Side {
		case derive.SideExpr:
			lhsText = x.Name
			lhs, err = eval.Eval(t.Expr, t.Info, in)
		case derive.SideDiff:
			lhsText = "d(" + render.Text(l.Of) + ")"
			lhs, err = diffOf(l.Of)
		case derive.SideSame:
		case derive.SideGradient:
			// The gradient of E: ⟨G, E⟩ is dE.
			lhsText = "dE/dx"
			lhs, err = diffOf(t.Expr)
			rhs = scalarOf(eval.Inner(rhs, E))
		case derive.SideDerivative:
			lhsText = "the derivative"
			lhs, rhs, err = derivativeSides(t, d, in, E, rhs)
		}
		if errors.Is(err, eval.ErrDomain) {
			return nil, false
		}
		if err != nil {
			bad = append(bad, fmt.Sprintf("line %d: %s: %v", i+1, lhsText, err))
			lhs = nil
			continue
		}
		if lhs == nil {
			continue
		}
		if !close(lhs, rhs) {
			bad = append(bad, fmt.Sprintf("line %d: %s = %s: %v vs %v", i+1, lhsText, render.Text(l.Expr), mat.Formatted(lhs, mat.Squeeze()), mat.Formatted(rhs, mat.Squeeze())))
		}
	}
	return bad, true
}

func scalarOf(v float64) *mat.Dense { return mat.NewDense(1, 1, []float64{v}) }

// derivativeSides turns the derivative's value R into the differential
// it predicts along E, and returns it with the finite difference of the
// expression (or of the gradient, for a second derivative).
func derivativeSides(t *pipeline.Typed, d *pipeline.Derivative, in *eval.Instance, E, R *mat.Dense) (lhs, rhs *mat.Dense, err error) {
	req := d.Request
	f := t.Expr
	if req.Order == 2 {
		f = d.Gradient
	}
	fd, err := eval.Directional(f, t.Info, in, req.Wrt, E, stepH)
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

// close compares two values of one shape with the relative tolerance.
func close(a, b *mat.Dense) bool {
	ar, ac := a.Dims()
	br, bc := b.Dims()
	if ar*ac == 1 && br*bc == 1 {
		return math.Abs(a.At(0, 0)-b.At(0, 0)) <= stepTol*math.Max(1, math.Abs(a.At(0, 0)))
	}
	if ar != br || ac != bc {
		return false
	}
	var diff mat.Dense
	diff.Sub(a, b)
	return mat.Norm(&diff, math.Inf(1)) <= stepTol*math.Max(1, mat.Norm(a, math.Inf(1)))
}
