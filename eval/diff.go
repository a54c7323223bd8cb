package eval

import (
	"errors"
	"fmt"
	"math"
	"slices"

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
func Directionals(e ast.Expr, info *ast.Info, in *Instance, wrt string, E *mat.Dense, hs ...float64) ([]*mat.Dense, error) {
	ds, _, err := DirectionalsScaled(e, info, in, wrt, E, hs...)
	return ds, err
}

// DirectionalsScaled is Directionals, and also returns the largest
// magnitude of the values it differenced: rounding moves a difference
// quotient at step h by about 1e-16 times it over h.
func DirectionalsScaled(e ast.Expr, info *ast.Info, in *Instance, wrt string, E *mat.Dense, hs ...float64) (ds []*mat.Dense, scale float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			ds, scale, err = nil, 0, fmt.Errorf("eval: internal error: %v", r)
		}
	}()
	if in == nil || E == nil {
		return nil, 0, errors.New("eval: Directional needs an instance and a direction")
	}
	for _, h := range hs {
		if !(h > 0) || math.IsInf(h, 0) {
			return nil, 0, fmt.Errorf("eval: step h = %v must be positive and finite", h)
		}
	}
	x := in.Values[wrt]
	if x == nil {
		return nil, 0, fmt.Errorf("eval: no value for variable %s", wrt)
	}
	if !sameDims(x, E) {
		return nil, 0, fmt.Errorf("eval: %w: direction is %s and %s is %s", ErrShape, dims(E), wrt, dims(x))
	}
	if e == nil {
		return nil, 0, errors.New("eval: nil expression")
	}
	ev, err := newMoving(e, info, in, wrt)
	if err != nil {
		return nil, 0, err
	}
	for _, h := range hs {
		var xp, xm mat.Dense
		xp.Apply(func(i, j int, v float64) float64 { return v + h*E.At(i, j) }, x)
		xm.Apply(func(i, j int, v float64) float64 { return v - h*E.At(i, j) }, x)
		fp, err := ev.evalAt(e, &xp)
		if err != nil {
			return nil, 0, err
		}
		fm, err := ev.evalAt(e, &xm)
		if err != nil {
			return nil, 0, err
		}
		if !sameDims(fp, fm) {
			return nil, 0, fmt.Errorf("eval: %w: value changes size along the direction", ErrShape)
		}
		scale = max(scale, MaxAbs(fp), MaxAbs(fm))
		var d mat.Dense
		d.Sub(fp, fm)
		d.Scale(1/(2*h), &d)
		ds = append(ds, &d)
	}
	return ds, scale, nil
}

// MaxAbs is the largest magnitude of an entry of m.
func MaxAbs(m *mat.Dense) float64 {
	r, c := m.Dims()
	out := 0.0
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			out = max(out, math.Abs(m.At(i, j)))
		}
	}
	return out
}

// newMoving returns an evaluator of e at points that differ from the
// instance in the value of wrt alone (evalAt): it computes at once the
// values of the largest subexpressions of e that do not depend on wrt,
// and of the leading such factors of the products that do, and keeps
// them in a plan of the nodes that do. A subexpression whose value is an
// error is left to be evaluated (and to fail) in its turn. The error is
// that of a value of wrt that does not fit its shape, when e depends on
// wrt.
func newMoving(e ast.Expr, info *ast.Info, in *Instance, wrt string) (*evaluator, error) {
	ev := &evaluator{info: info, in: in, wrt: wrt}
	ev.root = ev.plan(e)
	if ev.root == nil {
		if v, err := ev.eval(e); err == nil {
			ev.fixedRoot = v
		}
		return ev, nil
	}
	_, err := ev.name(&ast.Name{Name: wrt}) // evalAt gives wrt values of the same size
	return ev, err
}

// A plan is what evaluation at a moved point needs of a node that depends
// on wrt: for each child, its plan when it depends on wrt too, or else its
// value (nil when it is an error, evaluated in its turn); and for a
// product, the product of its leading factors that do not depend on wrt.
type plan struct {
	node  ast.Expr
	kids  []ast.Expr
	plans []*plan
	vals  []*mat.Dense
	pre   *prefix
	next  int // the child whose evaluation is expected next
}

// evalAt evaluates the evaluator's expression e with the value x for the
// variable wrt.
func (ev *evaluator) evalAt(e ast.Expr, x *mat.Dense) (*mat.Dense, error) {
	ev.at = x
	defer func() { ev.at, ev.cur = nil, nil }()
	if ev.root == nil {
		if ev.fixedRoot != nil {
			return ev.fixedRoot, nil
		}
		return ev.eval(e)
	}
	ev.root.next = 0
	ev.cur = ev.root
	return ev.checked(e)
}

// child evaluates e, a child of the node of the plan p.
func (ev *evaluator) child(p *plan, e ast.Expr) (*mat.Dense, error) {
	i := p.next
	if i >= len(p.kids) || p.kids[i] != e {
		i = -1
		for j, k := range p.kids {
			if k == e {
				i = j
				break
			}
		}
	}
	var sub *plan
	if i >= 0 {
		p.next = i + 1
		if v := p.vals[i]; v != nil {
			return v, nil
		}
		if sub = p.plans[i]; sub != nil {
			sub.next = 0
		}
	}
	ev.cur = sub // nil: evaluated plainly
	defer func() { ev.cur = p }()
	return ev.checked(e)
}

// plan returns the plan of e, or nil when e does not depend on wrt.
func (ev *evaluator) plan(e ast.Expr) *plan {
	switch e := e.(type) {
	case *ast.Name:
		if e.Name == ev.wrt {
			return &plan{node: e}
		}
		return nil
	case *ast.Dimension, *ast.Comm, *ast.Identity:
		return nil // sizes, not values
	}
	kids := ast.Children(e)
	plans := make([]*plan, len(kids))
	dep := false
	for i, k := range kids {
		if k != nil {
			plans[i] = ev.plan(k)
			dep = dep || plans[i] != nil
		}
	}
	if !dep {
		return nil
	}
	p := &plan{node: e, kids: kids, plans: plans, vals: make([]*mat.Dense, len(kids))}
	for i, k := range kids {
		if k != nil && plans[i] == nil {
			if v, err := ev.eval(k); err == nil {
				p.vals[i] = v
			}
		}
	}
	if pr, ok := e.(*ast.Product); ok {
		n := 0
		for n < len(plans) && plans[n] == nil {
			n++
		}
		if n > 1 {
			ev.cur = p
			if q, err := ev.multiply(pr, prefix{s: 1}, pr.Factors[:n]); err == nil {
				p.pre = &q
			}
			ev.cur = nil
		}
	}
	return p
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

// Varying returns the part of e that varies with wrt, for finite
// differences: e without the terms that do not depend on wrt where e is
// linear in them (K + g -> g), also under negation, transposes, products
// and elementwise operations whose other operands are constant, divisions
// by a constant and the linear functions (tr, sum, diag, vec). Its
// differences are e's; in e's, a large constant (1e14 + x^T x) would take
// their digits. It may have a value where e has none (a constant term
// log(-1)): a caller that needs e defined evaluates e. A sum keeps its
// shape: when the terms left are broadcast scalars, a zero of the sum's
// shape stands for the others. e itself when nothing is left out.
func Varying(e ast.Expr, info *ast.Info, wrt string) ast.Expr {
	dep := map[ast.Expr]bool{}
	var mark func(ast.Expr) bool
	mark = func(e ast.Expr) bool {
		if d, ok := dep[e]; ok {
			return d
		}
		d := false
		switch x := e.(type) {
		case *ast.Name:
			d = x.Name == wrt
		case *ast.Dimension:
			// a size, not a value
		default:
			for i := range ast.NumChildren(e) {
				if mark(ast.Child(e, i)) {
					d = true
				}
			}
		}
		dep[e] = d
		return d
	}
	if !mark(e) {
		return e
	}
	var cut func(ast.Expr) ast.Expr
	// only cuts the operand at i when it is the only one that depends on
	// wrt, rebuilding e around it.
	only := func(e ast.Expr, operands ...int) ast.Expr {
		n, at := 0, -1
		for i := range ast.NumChildren(e) {
			if dep[ast.Child(e, i)] {
				n, at = n+1, i
			}
		}
		if n != 1 || len(operands) > 0 && !slices.Contains(operands, at) {
			return e
		}
		k := ast.Child(e, at)
		c := cut(k)
		if c == k {
			return e
		}
		kids := slices.Clone(ast.Children(e)) // a product's own factors, else
		kids[at] = c
		return ast.WithChildren(e, kids)
	}
	cut = func(e ast.Expr) ast.Expr {
		switch x := e.(type) {
		case *ast.Sum:
			return cutSum(x, info, dep, cut)
		case *ast.Neg, *ast.Transpose, *ast.Product, *ast.Hadamard, *ast.Kron:
			return only(e)
		case *ast.ElemDiv, *ast.Div:
			return only(e, 0) // the numerator
		case *ast.Call:
			if f, ok := ast.LookupFunc(x.Func); ok && f.Linear && len(x.Args) == 1 {
				return only(e)
			}
		}
		return e
	}
	return cut(e)
}

// cutSum is Varying's cut of a sum: the terms that depend on wrt, each
// cut, and a zero of the sum's shape when they are broadcast scalars.
func cutSum(s *ast.Sum, info *ast.Info, dep map[ast.Expr]bool, cut func(ast.Expr) ast.Expr) ast.Expr {
	var kept []ast.Expr
	changed := false
	for _, t := range s.Terms {
		if !dep[t] {
			changed = true
			continue
		}
		c := cut(t)
		changed = changed || c != t
		kept = append(kept, c)
	}
	if !changed {
		return s
	}
	shape, err := info.Shape(s)
	if err != nil {
		return s
	}
	full := false
	for _, t := range kept {
		if ts, err := info.Shape(t); err == nil && ts.Equal(shape) {
			full = true
		}
	}
	if !full {
		kept = append(kept, &ast.Zero{Shape: shape})
	}
	if len(kept) == 1 {
		return kept[0]
	}
	return &ast.Sum{At: s.At, Terms: kept}
}

// Conditioning is the largest condition number, at in, of the matrices
// that e inverts or takes the determinant of (1 when there are none):
// the factor by which rounding's error grows where e is computed.
func Conditioning(e ast.Expr, info *ast.Info, in *Instance) float64 {
	k := 1.0
	ast.Inspect(e, func(n ast.Expr) bool {
		var x ast.Expr
		switch n := n.(type) {
		case *ast.Inverse:
			x = n.X
		case *ast.Power:
			if n.Exp.Sign() < 0 {
				x = n.X
			}
		case *ast.Call:
			if n.Func == "det" || n.Func == "logdet" {
				x = n.Args[0]
			}
		}
		if x != nil {
			if v, err := Eval(x, info, in); err == nil {
				if r, c := v.Dims(); r == c && r > 1 {
					k = math.Max(k, mat.Cond(v, 2))
				}
			}
		}
		return true
	})
	return k
}
