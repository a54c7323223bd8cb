// Package check verifies a symbolic derivative numerically: it draws
// random instances (package eval), differentiates the expression by
// central finite differences along random directions, and compares the
// result with what the symbolic derivative predicts in its layout. It is
// what `matdiff check` and `--check` run, and what the test suites use to
// judge every derivative.
package check

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/eval"
)

// Options for a check.
type Options struct {
	Draws int     // random instances (default 3)
	Seed  uint64  // fixed seed (default 1)
	Tol   float64 // largest relative error accepted (default 1e-6)
	// Gradient is the first derivative, needed to check a second one by
	// finite differences of the gradient.
	Gradient ast.Expr
	// Deadline, when set, ends the search for instances and the finite
	// differences: past it the check returns ErrDeadline.
	Deadline time.Time
}

// Report is the outcome of a check.
type Report struct {
	MaxRelErr float64
	Draws     int
	OK        bool
}

func (r Report) String() string {
	verdict := "ok"
	if !r.OK {
		verdict = "MISMATCH"
	}
	return fmt.Sprintf("max relative error %.1e over %d draws: %s", r.MaxRelErr, r.Draws, verdict)
}

// ErrNoInstance is returned when no valid instance could be drawn (every
// draw fell outside a function's domain or on a kink).
var ErrNoInstance = errors.New("no random instance inside the domain of the expression was found")

// ErrDeadline is returned when Options.Deadline passed before the check
// was done.
var ErrDeadline = errors.New("the numeric check ran out of time")

// ErrTooLarge is returned when a random instance cannot give a value to a
// variable of the expression (more base dimensions or entries than an
// instance holds): every draw would fail the same way.
var ErrTooLarge = errors.New("the expression is too large to evaluate at a random instance")

// step is the first step of the differences; refinements, how many
// times a draw that would mismatch is differenced again at a step 8 times
// smaller. A function that varies fast (sin(1000 x^T x)) has differences
// that converge only at a smaller step, and a wrong derivative stays
// wrong at every step.
const (
	step        = 1e-4
	refinements = 3
)

// giveUp is the number of draws, all with values that are not finite,
// after which the search for an instance stops: the expression overflows
// wherever the instances put it. giveUpLimit is the same for draws that
// all meet a size limit of evaluation (which depends on the sizes alone).
// giveUpNoisy is the same for draws where rounding alone could make the
// differences mismatch (ErrRounding).
const (
	giveUp      = 20
	giveUpLimit = 3
	giveUpNoisy = 10
)

// richardson combines central differences at h and h/2 into an estimate
// whose error is of order h⁴: (4 D(h/2) - D(h))/3. noise is the error
// that rounding may add to it: the values differenced, up to scale in
// magnitude, carry a relative error of a few times 1e-15 (some dozen
// roundings), which the combination triples and divides by the step.
func richardson(f ast.Expr, info *ast.Info, in *eval.Instance, wrt string, E *mat.Dense, h float64) (fd *mat.Dense, noise float64, err error) {
	ds, scale, err := eval.DirectionalsScaled(f, info, in, wrt, E, h, h/2)
	if err != nil {
		return nil, 0, err
	}
	d1, d2 := ds[0], ds[1]
	var out mat.Dense
	out.Scale(4, d2)
	out.Sub(&out, d1)
	out.Scale(1.0/3, &out)
	return &out, roundoff * scale / h, nil
}

// defaultTol is the tolerance of Options.Tol 0.
const defaultTol = 1e-6

// roundoff is the relative error of an evaluated value that richardson
// allows for, with the combination's amplification (3 at the steps h and
// h/2).
const roundoff = 1e-14

// ErrRounding is returned when at every instance drawn the finite
// differences would be wrong beyond the tolerance by rounding alone: the
// values are too large against the derivative for a check to that
// tolerance, which is then neither passed nor failed.
var ErrRounding = errors.New("finite differences cannot check the derivative to the tolerance")

// Derivative checks result, the derivative of e that req asked for.
func Derivative(e ast.Expr, info *ast.Info, req derive.Request, result ast.Expr, opts Options) (Report, error) {
	if opts.Draws <= 0 {
		opts.Draws = 3
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Tol <= 0 {
		opts.Tol = defaultTol
	}
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	rep := Report{OK: true}
	f := e
	if req.Order == 2 {
		if opts.Gradient == nil {
			return rep, fmt.Errorf("checking a second derivative needs the gradient")
		}
		f = opts.Gradient
	}
	wrt := req.Wrt
	if req.Wrt2 != "" {
		wrt = req.Wrt2 // d2/dxdy: the gradient by x moves along y
	}
	// The differences are those of the part of f that varies with wrt,
	// so that a large constant term does not take their digits.
	fv := eval.Varying(f, info, wrt)
	late := func() bool { return !opts.Deadline.IsZero() && time.Now().After(opts.Deadline) }
	drawer := eval.NewDrawer(info)
	// tries counts the draws; infinite and limited those where a value was
	// not finite or met a size limit; why is the last draw's failure.
	tries, infinite, limited, noisy := 0, 0, 0, 0
	var why error
	for rep.Draws < opts.Draws {
		switch {
		case rep.Draws > 0:
		case tries >= giveUp && infinite == tries:
			return rep, fmt.Errorf("%w: a value is infinite or NaN at each of the %d instances drawn (the last %d with matrices of positive entries); at the last one, %v", ErrNoInstance, tries, tries-giveUp/2, why)
		case tries >= giveUpLimit && limited == tries:
			return rep, fmt.Errorf("%w: at each of the %d instances drawn, %v", ErrTooLarge, tries, why)
		case tries >= giveUpNoisy && noisy == tries:
			return rep, fmt.Errorf("%w: at each of the %d instances drawn, %v", ErrRounding, tries, why)
		}
		if !drawer.Positive && rep.Draws == 0 && tries >= giveUp/2 && infinite == tries {
			// Entries of both signs put every draw outside the domain
			// (log(X), sqrt(X)): the matrices are drawn positive from now.
			drawer.Positive = true
		}
		tries++
		if tries > 50*opts.Draws {
			if rep.Draws > 0 {
				break
			}
			return rep, fmt.Errorf("%w: %d instances drawn; at the last one, %v", ErrNoInstance, tries-1, why)
		}
		if late() {
			return rep, ErrDeadline
		}
		in := drawer.Draw(rng)
		if tries == 1 {
			if name, ok := unvalued(in, f, result); !ok {
				return rep, fmt.Errorf("%w: %s has no value", ErrTooLarge, name)
			}
		}
		E := eval.RandomDirection(info, in, wrt, rng)
		if E == nil {
			return rep, fmt.Errorf("unknown variable %s", wrt)
		}
		if onKink(e, info, in, wrt, E) || onKink(result, info, in, wrt, E) {
			why = errors.New("a function's argument was near a kink")
			continue
		}
		fd, noise, err := richardson(fv, info, in, wrt, E, step)
		if err == nil && fv != f {
			_, err = eval.Eval(f, info, in) // f itself has a value here
		}
		if late() {
			return rep, ErrDeadline
		}
		var g *mat.Dense
		if err == nil {
			g, err = eval.Eval(result, info, in)
		}
		if err != nil {
			switch {
			case errors.Is(err, eval.ErrNotFinite):
				infinite++
			case errors.Is(err, eval.ErrLimit):
				limited++
			}
			why = err
			continue
		}
		fs := shapeOf(f, info)
		if req.Vec && !info.Vars[wrt].Shape.IsScalar() {
			fd = vec(fd)
		}
		pred, err := predict(g, E, fs, info.Vars[wrt].Shape, req)
		if err != nil {
			// A result of the wrong shape is a mismatch.
			rep.Draws++
			rep.MaxRelErr = math.Inf(1)
			continue
		}
		rel := relErr(pred, fd)
		if math.IsNaN(rel) {
			continue
		}
		for k, h := 0, step/8; rel > opts.Tol && k < refinements; k, h = k+1, h/8 {
			fd2, noise2, err := richardson(fv, info, in, wrt, E, h)
			if err != nil {
				break
			}
			if req.Vec && !info.Vars[wrt].Shape.IsScalar() {
				fd2 = vec(fd2)
			}
			if rel2 := relErr(pred, fd2); rel2 < rel {
				fd, noise, rel = fd2, noise2, rel2
			}
		}
		if rel > opts.Tol {
			// An inverse or a determinant of a nearly singular matrix is
			// computed with its condition number times rounding's error.
			noise *= eval.Conditioning(fv, info, in)
		}
		if bound := noise / math.Max(1, eval.MaxAbs(fd)); rel > opts.Tol && bound > math.Max(opts.Tol, defaultTol)/4 {
			// Rounding alone could make this mismatch: no verdict here. (A
			// tolerance below the default's is compared as asked: the error
			// printed says how far the numbers are apart.)
			noisy++
			why = fmt.Errorf("rounding may move the differences by %.1e times the size of the derivative, beyond the tolerance %g", bound, opts.Tol)
			continue
		}
		rep.Draws++
		if rel > rep.MaxRelErr {
			rep.MaxRelErr = rel
		}
	}
	rep.OK = rep.MaxRelErr <= opts.Tol
	return rep, nil
}

// unvalued returns the first variable of the expressions that the
// instance has no value for, and false; or true when every one has a value.
func unvalued(in *eval.Instance, es ...ast.Expr) (string, bool) {
	missing := ""
	for _, e := range es {
		ast.Inspect(e, func(n ast.Expr) bool {
			if v, ok := n.(*ast.Name); ok && missing == "" && in.Values[v.Name] == nil {
				missing = v.Name
			}
			return missing == ""
		})
	}
	return missing, missing == ""
}

func shapeOf(e ast.Expr, info *ast.Info) ast.Shape {
	s, err := info.Shape(e)
	if err != nil {
		return ast.Shape{}
	}
	return s
}

// predict returns the directional derivative that the symbolic result g
// gives along E, in the shape of the differentiated expression.
func predict(g, E *mat.Dense, fs, vs ast.Shape, req derive.Request) (*mat.Dense, error) {
	numerator := req.Layout == derive.Numerator || req.Transposed
	var out mat.Dense
	mul := func(a, b *mat.Dense) error {
		_, ac := a.Dims()
		br, _ := b.Dims()
		if ac != br {
			return fmt.Errorf("the derivative has the wrong shape")
		}
		out.Mul(a, b)
		return nil
	}
	switch {
	case req.Vec && !vs.IsScalar():
		// ∂vec(F)/∂vec(X)^T vec(E)
		if err := mul(g, vec(E)); err != nil {
			return nil, err
		}
	case vs.IsScalar():
		if r, c := E.Dims(); r != 1 || c != 1 {
			return nil, fmt.Errorf("the direction is not a scalar")
		}
		// Same shape as the expression, times the scalar direction.
		out.Scale(E.At(0, 0), g)
	case fs.IsScalar():
		G := g
		if numerator && req.Order == 1 {
			G = transpose(g)
		}
		if req.Order == 2 {
			// H E: the directional derivative of the gradient.
			if err := mul(G, E); err != nil {
				return nil, err
			}
			return &out, nil
		}
		r, c := G.Dims()
		er, ec := E.Dims()
		if r != er || c != ec {
			return nil, fmt.Errorf("the derivative has shape %d×%d, the variable %d×%d", r, c, er, ec)
		}
		return mat.NewDense(1, 1, []float64{eval.Inner(G, E)}), nil
	default:
		// A Jacobian of a vector (or row) by a vector.
		J := g
		if !numerator && req.Order != 2 {
			J = transpose(g)
		}
		if err := mul(J, E); err != nil {
			return nil, err
		}
		if fs.IsRow() {
			return transpose(&out), nil
		}
	}
	return &out, nil
}

// vec stacks the columns of m.
func vec(m *mat.Dense) *mat.Dense {
	r, c := m.Dims()
	out := mat.NewDense(r*c, 1, nil)
	for j := 0; j < c; j++ {
		for i := 0; i < r; i++ {
			out.Set(j*r+i, 0, m.At(i, j))
		}
	}
	return out
}

func transpose(m *mat.Dense) *mat.Dense {
	var t mat.Dense
	t.CloneFrom(m.T())
	return &t
}

// relErr is max|a-b| / max(1, max|b|).
func relErr(a, b *mat.Dense) float64 {
	ar, ac := a.Dims()
	br, bc := b.Dims()
	if ar != br || ac != bc {
		return math.Inf(1)
	}
	diff, scale := 0.0, 1.0
	for i := 0; i < ar; i++ {
		for j := 0; j < ac; j++ {
			diff = math.Max(diff, math.Abs(a.At(i, j)-b.At(i, j)))
			scale = math.Max(scale, math.Abs(b.At(i, j)))
		}
	}
	return diff / scale
}

// onKink reports whether an argument of a function with kinks (abs, sign,
// step, relu: their registry entries list them) or of a 1-norm comes near
// a kink between X - hE and X + hE, where finite differences straddle it.
func onKink(e ast.Expr, info *ast.Info, in *eval.Instance, wrt string, E *mat.Dense) bool {
	kink := false
	ast.Inspect(e, func(n ast.Expr) bool {
		if kink || n == nil {
			return !kink
		}
		var arg ast.Expr
		kinks := []float64{0}
		switch n := n.(type) {
		case *ast.Call:
			if f := ast.Funcs[n.Func]; f != nil && len(f.Kinks) > 0 {
				arg, kinks = n.Args[0], f.Kinks
			}
		case *ast.Norm:
			if n.Kind == ast.NormOne {
				arg = n.X
			}
		}
		if arg == nil {
			return true
		}
		var first *mat.Dense
		for _, h := range []float64{-2 * step, 0, 2 * step} {
			x := in.Values[wrt]
			var moved mat.Dense
			moved.Scale(h, E)
			moved.Add(&moved, x)
			v, err := eval.Eval(arg, info, in.With(wrt, &moved))
			if err != nil {
				continue
			}
			if first == nil {
				first = v
			}
			r, c := v.Dims()
			for i := 0; i < r; i++ {
				for j := 0; j < c; j++ {
					for _, k := range kinks {
						a, b := v.At(i, j)-k, first.At(i, j)-k
						if math.Abs(a) < 1e-3 || (a > 0) != (b > 0) {
							kink = true
						}
					}
				}
			}
		}
		return !kink
	})
	return kink
}
