package eval

import (
	"errors"
	"fmt"
	"math"

	"github.com/matdiff/matdiff/ast"
	"gonum.org/v1/gonum/mat"
)

// Directional returns the central finite difference
// (F(X+hE) - F(X-hE)) / 2h of e along the direction E for the variable
// wrt, where F evaluates e at the instance with wrt set; the result has
// the shape of e. Its error against the directional derivative is O(h²).
func Directional(e ast.Expr, info *ast.Info, in *Instance, wrt string, E *mat.Dense, h float64) (*mat.Dense, error) {
	ds, err := Directionals(e, info, in, wrt, E, h)
	if err != nil {
		return nil, err
	}
	return ds[0], nil
}

// Directionals returns the central finite differences of e along E for
// wrt (as Directional) at each of the steps hs, in order. The values of
// the subexpressions that do not depend on wrt are computed once for all
// the points.
func Directionals(e ast.Expr, info *ast.Info, in *Instance, wrt string, E *mat.Dense, hs ...float64) (ds []*mat.Dense, err error) {
	defer func() {
		if r := recover(); r != nil {
			ds, err = nil, fmt.Errorf("eval: internal error: %v", r)
		}
	}()
	if in == nil || E == nil {
		return nil, errors.New("eval: Directional needs an instance and a direction")
	}
	for _, h := range hs {
		if !(h > 0) || math.IsInf(h, 0) {
			return nil, fmt.Errorf("eval: step h = %v must be positive and finite", h)
		}
	}
	x := in.Values[wrt]
	if x == nil {
		return nil, fmt.Errorf("eval: no value for variable %s", wrt)
	}
	if !sameDims(x, E) {
		return nil, fmt.Errorf("eval: %w: direction is %s and %s is %s", ErrShape, dims(E), wrt, dims(x))
	}
	if e == nil {
		return nil, errors.New("eval: nil expression")
	}
	ev, err := newMoving(e, info, in, wrt)
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		var xp, xm mat.Dense
		xp.Apply(func(i, j int, v float64) float64 { return v + h*E.At(i, j) }, x)
		xm.Apply(func(i, j int, v float64) float64 { return v - h*E.At(i, j) }, x)
		fp, err := ev.evalAt(e, &xp)
		if err != nil {
			return nil, err
		}
		fm, err := ev.evalAt(e, &xm)
		if err != nil {
			return nil, err
		}
		if !sameDims(fp, fm) {
			return nil, fmt.Errorf("eval: %w: value changes size along the direction", ErrShape)
		}
		var d mat.Dense
		d.Sub(fp, fm)
		d.Scale(1/(2*h), &d)
		ds = append(ds, &d)
	}
	return ds, nil
}

// newMoving returns an evaluator of e at points that differ from the
// instance in the value of wrt alone (evalAt): it computes at once the
// values of the largest subexpressions of e that do not depend on wrt,
// and of the leading such factors of the products that do. A
// subexpression whose value is an error is left to be evaluated (and to
// fail) in its turn. The error is that of a value of wrt that does not fit
// its shape, when e depends on wrt.
func newMoving(e ast.Expr, info *ast.Info, in *Instance, wrt string) (*evaluator, error) {
	ev := &evaluator{info: info, in: in, wrt: wrt, fixed: map[ast.Expr]*mat.Dense{}, prefixes: map[*ast.Product]prefix{}}
	if !ev.fix(e) {
		ev.keep(e)
		return ev, nil
	}
	_, err := ev.name(&ast.Name{Name: wrt}) // evalAt gives wrt values of the same size
	return ev, err
}

// evalAt evaluates e with the value x for the variable wrt.
func (ev *evaluator) evalAt(e ast.Expr, x *mat.Dense) (*mat.Dense, error) {
	ev.at = x
	defer func() { ev.at = nil }()
	return ev.eval(e)
}

// fix reports whether e depends on the variable wrt; when it does, it
// keeps the values of its children that do not (and the prefix of a
// product's leading such factors).
func (ev *evaluator) fix(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Name:
		return e.Name == ev.wrt
	case *ast.Dimension, *ast.Comm, *ast.Identity:
		return false // sizes, not values
	}
	kids := ast.Children(e)
	deps := make([]bool, len(kids))
	dep := false
	for i, k := range kids {
		if k != nil && ev.fix(k) {
			deps[i], dep = true, true
		}
	}
	if !dep {
		return false
	}
	for i, k := range kids {
		if k != nil && !deps[i] {
			ev.keep(k)
		}
	}
	if p, ok := e.(*ast.Product); ok {
		n := 0
		for n < len(deps) && !deps[n] {
			n++
		}
		if n > 1 {
			if q, err := ev.multiply(p, prefix{s: 1}, p.Factors[:n]); err == nil {
				ev.prefixes[p] = q
			}
		}
	}
	return true
}

// keep stores the value of e, which does not depend on wrt, unless it is
// an error.
func (ev *evaluator) keep(e ast.Expr) {
	if v, err := ev.eval(e); err == nil {
		ev.fixed[e] = v
	}
}

// Inner returns the trace inner product tr(G^T E), the sum of the entries
// of G∘E: the directional derivative along E of a scalar function whose
// gradient is G. It returns NaN when the shapes differ or either is nil.
func Inner(g, e *mat.Dense) float64 {
	if g == nil || e == nil || !sameDims(g, e) {
		return math.NaN()
	}
	var s float64
	r, c := g.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			s += g.At(i, j) * e.At(i, j)
		}
	}
	return s
}

// DifferentialFunc is the function that stands for the differential d(u)
// in the lines of a derivation.
const DifferentialFunc = "d"

// direction is what EvalDifferential gives d(u): the finite difference of
// u along E for the variable wrt.
type direction struct {
	wrt string
	E   *mat.Dense
	h   float64
}

// EvalDifferential evaluates e, in which d(u) is the differential of the
// subexpression u along the direction E of the variable wrt: the central
// finite difference (u(X+hE) - u(X-hE)) / 2h (so d(wrt) is E). This is
// how a line of a derivation, dE = x^T A^T dx + x^T A dx, is checked with
// numbers: both sides are evaluated with the same E.
func EvalDifferential(e ast.Expr, info *ast.Info, in *Instance, wrt string, E *mat.Dense, h float64) (v *mat.Dense, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("eval: internal error: %v", r)
		}
	}()
	if in == nil || E == nil {
		return nil, errors.New("eval: EvalDifferential needs an instance and a direction")
	}
	ev := &evaluator{info: info, in: in, dir: &direction{wrt: wrt, E: E, h: h}}
	return ev.eval(e)
}

// differential evaluates d(u) by a finite difference along the direction.
func (ev *evaluator) differential(e *ast.Call) (*mat.Dense, error) {
	if len(e.Args) != 1 {
		return nil, failf(e, "d takes 1 argument, got %d", len(e.Args))
	}
	return Directional(e.Args[0], ev.info, ev.in, ev.dir.wrt, ev.dir.E, ev.dir.h)
}
