// Package eval evaluates matdiff expressions numerically.
//
// matdiff differentiates symbolically, and a symbolic rule that is wrong
// prints a plausible but wrong formula. So every derivative is checked
// against numbers: the expression's variables get concrete sizes and
// random values (an Instance), the expression and its derivative are
// evaluated there, and the derivative along a random direction E,
// tr(G^T E), is compared with a central finite difference of the
// expression along E. This package provides those pieces: NewInstance,
// Eval, Directional, RandomDirection and Inner.
//
// Eval works on values, not on symbolic shapes: a value of size 1×1 is a
// scalar. That agrees with the symbolic rules because NewInstance never
// gives a base dimension the size 1. Eval never panics: malformed trees,
// shape mismatches, domain errors (NaN or infinite results, singular
// matrices) and sizes beyond the limits are errors.
package eval

import (
	"errors"
	"fmt"
	"math"

	"github.com/matdiff/matdiff/ast"
	"gonum.org/v1/gonum/mat"
)

var (
	// ErrDomain is wrapped by errors for a point outside an expression's
	// domain: a NaN or infinite result, a singular matrix, logdet of a
	// matrix whose determinant is not positive.
	ErrDomain = errors.New("domain error")
	// ErrShape is wrapped by errors for operands whose sizes do not fit
	// together.
	ErrShape = errors.New("shape error")
	// ErrLimit is wrapped by errors for a value or a computation larger
	// than the limits (MaxEntries, MaxWork).
	ErrLimit = errors.New("size limit exceeded")
	// ErrNotFinite is wrapped, with ErrDomain, by the errors for a value
	// that is NaN or infinite (one that overflows, mostly).
	ErrNotFinite = errors.New("not finite")
)

const (
	// MaxEntries bounds the number of entries of any value.
	MaxEntries = 1 << 22
	// MaxWork bounds the floating-point operations of one matrix product,
	// inverse or determinant.
	MaxWork = 1 << 31
)

// Eval evaluates e at the instance. info may be nil; when given, the value
// of every variable is checked against the variable's shape at the
// instance's sizes. The result is a new matrix that the caller owns.
func Eval(e ast.Expr, info *ast.Info, in *Instance) (v *mat.Dense, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("eval: internal error: %v", r)
		}
	}()
	if in == nil {
		return nil, errors.New("eval: nil instance")
	}
	ev := &evaluator{info: info, in: in}
	return ev.owned(e)
}

// An evaluator computes values of subexpressions at an instance. Values
// are never modified once computed: a node's value may be a variable's
// value or a child's, shared, so only the whole result is copied for the
// caller (owned).
type evaluator struct {
	info *ast.Info
	in   *Instance
	dir  *direction // set by EvalDifferential: what d(u) means
	// at, when set, is the value of the variable wrt instead of its value
	// in the instance (a point moved along a direction).
	wrt string
	at  *mat.Dense
	// root is the plan of the expression evaluated at moved points, and
	// cur that of the node being evaluated (see newMoving); fixedRoot the
	// expression's value when it does not depend on wrt.
	root, cur *plan
	fixedRoot *mat.Dense
}

// owned evaluates e and returns a copy of its value that the caller owns.
func (ev *evaluator) owned(e ast.Expr) (*mat.Dense, error) {
	v, err := ev.eval(e)
	if err != nil {
		return nil, err
	}
	return mat.DenseCopyOf(v), nil
}

// eval evaluates e and checks that the result is finite.
func (ev *evaluator) eval(e ast.Expr) (*mat.Dense, error) {
	if e == nil {
		return nil, errors.New("eval: nil expression")
	}
	if ev.cur != nil {
		return ev.child(ev.cur, e)
	}
	return ev.checked(e)
}

// checked evaluates the node e and checks that the result is finite.
func (ev *evaluator) checked(e ast.Expr) (*mat.Dense, error) {
	v, err := ev.node(e)
	if err != nil {
		return nil, err
	}
	if !finite(v) {
		what := "infinite"
		if hasNaN(v) {
			what = "NaN"
		}
		return nil, failf(e, "%w: %s is %w (%s)", ErrDomain, describe(e), ErrNotFinite, what)
	}
	return v, nil
}

func (ev *evaluator) node(e ast.Expr) (*mat.Dense, error) {
	switch e := e.(type) {
	case *ast.Number:
		if e.Value == nil {
			return nil, failf(e, "number without a value")
		}
		f, _ := e.Value.Float64()
		return scalar(f), nil
	case *ast.Pi:
		return scalar(math.Pi), nil
	case *ast.Name:
		return ev.name(e)
	case *ast.Identity:
		return ev.identity(e)
	case *ast.Ones:
		return ev.ones(e)
	case *ast.Zero:
		return ev.zero(e)
	case *ast.Dimension:
		return ev.dimension(e)
	case *ast.Comm:
		return ev.comm(e)
	case *ast.Sum:
		return ev.sum(e)
	case *ast.Product:
		return ev.product(e)
	case *ast.Hadamard:
		return ev.binary(e, e.X, e.Y, func(x, y float64) float64 { return x * y })
	case *ast.ElemDiv:
		return ev.binary(e, e.X, e.Y, func(x, y float64) float64 { return x / y })
	case *ast.Div:
		return ev.div(e)
	case *ast.Kron:
		return ev.kron(e)
	case *ast.Neg:
		return ev.unary(e.X, func(a *mat.Dense) (*mat.Dense, error) {
			return mapEntries(a, func(x float64) float64 { return -x }), nil
		})
	case *ast.Transpose:
		return ev.unary(e.X, func(a *mat.Dense) (*mat.Dense, error) { return transpose(a), nil })
	case *ast.Inverse:
		return ev.unary(e.X, func(a *mat.Dense) (*mat.Dense, error) { return inverse(e, a) })
	case *ast.Power:
		return ev.power(e)
	case *ast.ElemPower:
		return ev.elemPower(e)
	case *ast.Norm:
		return ev.unary(e.X, func(a *mat.Dense) (*mat.Dense, error) { return norm(e, a) })
	case *ast.Call:
		if e.Func == DifferentialFunc && ev.dir != nil {
			return ev.differential(e)
		}
		return ev.call(e)
	}
	return nil, fmt.Errorf("eval: unexpected node %T", e)
}

// unary evaluates x and applies f to its value.
func (ev *evaluator) unary(x ast.Expr, f func(*mat.Dense) (*mat.Dense, error)) (*mat.Dense, error) {
	a, err := ev.eval(x)
	if err != nil {
		return nil, err
	}
	return f(a)
}

func (ev *evaluator) name(e *ast.Name) (*mat.Dense, error) {
	if ev.at != nil && e.Name == ev.wrt {
		return ev.at, nil // checked by Directionals
	}
	v := ev.in.Values[e.Name]
	if v == nil {
		return nil, failf(e, "no value for variable %s", e.Name)
	}
	r, c := v.Dims()
	if ev.info != nil && ev.info != ev.in.fits {
		if vr := ev.info.Vars[e.Name]; vr != nil {
			wr, wc := ev.in.Size(vr.Shape.Rows), ev.in.Size(vr.Shape.Cols)
			if r != wr || c != wc {
				return nil, failf(e, "%w: value of %s is %d×%d, its shape %v is %d×%d here", ErrShape, e.Name, r, c, vr.Shape, wr, wc)
			}
		}
	}
	return v, nil
}

func (ev *evaluator) identity(e *ast.Identity) (*mat.Dense, error) {
	n := 1
	switch {
	case !e.N.IsOne():
		var err error
		if n, err = ev.in.dimSize(e.N); err != nil {
			return nil, wrapAt(e, err)
		}
	case e.Of != nil:
		d, err := ev.eval(e.Of)
		if err != nil {
			return nil, err
		}
		n = int(d.At(0, 0))
	}
	return identity(e, n)
}

// comm is K_{m,n}: the entry (i n + j, j m + i) is 1, so that K vec(A) =
// vec(A^T) for an m×n A.
func (ev *evaluator) comm(e *ast.Comm) (*mat.Dense, error) {
	size := func(d ast.Dim, of *ast.Dimension) (int, error) {
		if !d.IsOne() || of == nil {
			n, err := ev.in.dimSize(d)
			if err != nil {
				return 0, wrapAt(e, err)
			}
			return n, nil
		}
		v, err := ev.eval(of)
		if err != nil {
			return 0, err
		}
		return int(v.At(0, 0)), nil
	}
	m, err := size(e.DM, e.M)
	if err != nil {
		return nil, err
	}
	n, err := size(e.DN, e.N)
	if err != nil {
		return nil, err
	}
	k, err := newDense(e, m*n, m*n)
	if err != nil {
		return nil, err
	}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			k.Set(i*n+j, j*m+i, 1)
		}
	}
	return k, nil
}

func (ev *evaluator) ones(e *ast.Ones) (*mat.Dense, error) {
	n, err := ev.in.dimSize(e.N)
	if err != nil {
		return nil, wrapAt(e, err)
	}
	v, err := newDense(e, n, 1)
	if err != nil {
		return nil, err
	}
	return mapEntries(v, func(float64) float64 { return 1 }), nil
}

func (ev *evaluator) zero(e *ast.Zero) (*mat.Dense, error) {
	r, err := ev.in.dimSize(e.Shape.Rows)
	if err != nil {
		return nil, wrapAt(e, err)
	}
	c, err := ev.in.dimSize(e.Shape.Cols)
	if err != nil {
		return nil, wrapAt(e, err)
	}
	return newDense(e, r, c)
}

func (ev *evaluator) dimension(e *ast.Dimension) (*mat.Dense, error) {
	if e.X == nil {
		return nil, failf(e, "dimension of a nil variable")
	}
	v := ev.in.Values[e.X.Name]
	if v == nil {
		return nil, failf(e, "no value for variable %s", e.X.Name)
	}
	r, c := v.Dims()
	if e.Cols {
		return scalar(float64(c)), nil
	}
	return scalar(float64(r)), nil
}

func (ev *evaluator) sum(e *ast.Sum) (*mat.Dense, error) {
	if len(e.Terms) == 0 {
		return nil, failf(e, "empty sum")
	}
	vals := make([]*mat.Dense, len(e.Terms))
	var shape *mat.Dense // the first term that is not 1×1
	for i, t := range e.Terms {
		v, err := ev.eval(t)
		if err != nil {
			return nil, err
		}
		vals[i] = v
		if isScalar(v) {
			continue
		}
		if shape == nil {
			shape = v
		} else if !sameDims(shape, v) {
			return nil, shapef(e, "terms of a sum are %s and %s", dims(shape), dims(v))
		}
	}
	if len(vals) == 1 {
		return vals[0], nil
	}
	// Added term by term, left to right, a 1×1 term to every entry.
	r, c := 1, 1
	if shape != nil {
		r, c = shape.Dims()
	}
	out := mat.NewDense(r, c, nil)
	acc := out.RawMatrix()
	for i, v := range vals {
		m := v.RawMatrix()
		for row := 0; row < r; row++ {
			dst := acc.Data[row*acc.Stride : row*acc.Stride+c]
			for col := range dst {
				x := m.Data[0]
				if m.Rows != 1 || m.Cols != 1 {
					x = m.Data[row*m.Stride+col]
				}
				if i == 0 {
					dst[col] = x
				} else {
					dst[col] += x
				}
			}
		}
	}
	return out, nil
}

// product multiplies the factors: those of size 1×1 are scalars, the
// others a chain. A run of the chain whose product is 1×1 becomes a
// scalar too, as §7 of the spec allows.
func (ev *evaluator) product(e *ast.Product) (*mat.Dense, error) {
	if len(e.Factors) == 0 {
		return nil, failf(e, "empty product")
	}
	p := prefix{s: 1}
	if c := ev.cur; c != nil && c.node == e && c.pre != nil {
		p = *c.pre
	}
	p, err := ev.multiply(e, p, e.Factors[p.n:])
	if err != nil {
		return nil, err
	}
	switch {
	case p.acc == nil:
		return scalar(p.s), nil
	case p.s == 1:
		return p.acc, nil
	}
	var out mat.Dense
	out.Scale(p.s, p.acc)
	return &out, nil
}

// A prefix is the product of the first n factors of a product: the
// scalar s of its 1×1 factors and runs, and the product acc of the others
// (nil when there are none).
type prefix struct {
	n   int
	s   float64
	acc *mat.Dense
}

// multiply extends the prefix p of the product e by the factors fs.
func (ev *evaluator) multiply(e *ast.Product, p prefix, fs []ast.Expr) (prefix, error) {
	for _, f := range fs {
		v, err := ev.eval(f)
		if err != nil {
			return p, err
		}
		p.n++
		switch {
		case isScalar(v):
			p.s *= v.At(0, 0)
			continue
		case p.acc == nil:
			p.acc = v
			continue
		}
		if r, k := p.acc.Dims(); r == 1 && k > 1 && k <= serialMax && isColumn(v, k) {
			// A row times a column: the 1×1 product as a number.
			p.s *= dotSerial(p.acc, v)
			p.acc = nil
			continue
		}
		if p.acc, err = matMul(e, p.acc, v); err != nil {
			return p, err
		}
		if isScalar(p.acc) {
			p.s *= p.acc.At(0, 0)
			p.acc = nil
		}
	}
	return p, nil
}

// binary evaluates an elementwise operation with broadcasting of 1×1
// operands.
func (ev *evaluator) binary(e, x, y ast.Expr, op func(x, y float64) float64) (*mat.Dense, error) {
	a, err := ev.eval(x)
	if err != nil {
		return nil, err
	}
	b, err := ev.eval(y)
	if err != nil {
		return nil, err
	}
	return broadcast(e, a, b, op)
}

func (ev *evaluator) div(e *ast.Div) (*mat.Dense, error) {
	a, err := ev.eval(e.X)
	if err != nil {
		return nil, err
	}
	b, err := ev.eval(e.Y)
	if err != nil {
		return nil, err
	}
	if !isScalar(b) {
		return nil, shapef(e, "division by a non-scalar (%s)", dims(b))
	}
	return broadcast(e, a, b, func(x, y float64) float64 { return x / y })
}

func (ev *evaluator) kron(e *ast.Kron) (*mat.Dense, error) {
	a, err := ev.eval(e.X)
	if err != nil {
		return nil, err
	}
	b, err := ev.eval(e.Y)
	if err != nil {
		return nil, err
	}
	ar, ac := a.Dims()
	br, bc := b.Dims()
	if err := checkEntries(e, ar*br, ac*bc); err != nil {
		return nil, err
	}
	var k mat.Dense
	k.Kronecker(a, b)
	return &k, nil
}

func (ev *evaluator) power(e *ast.Power) (*mat.Dense, error) {
	if e.Exp == nil {
		return nil, failf(e, "power without an exponent")
	}
	a, err := ev.eval(e.X)
	if err != nil {
		return nil, err
	}
	if isScalar(a) {
		p, _ := e.Exp.Float64()
		return scalar(math.Pow(a.At(0, 0), p)), nil
	}
	if r, c := a.Dims(); r != c {
		return nil, shapef(e, "power of a non-square matrix (%s)", dims(a))
	}
	if !e.Exp.IsInt() || !e.Exp.Num().IsInt64() {
		return nil, failf(e, "power %s of a matrix; only integer powers of square matrices are defined", e.Exp.RatString())
	}
	return matPow(e, a, e.Exp.Num().Int64())
}

func (ev *evaluator) elemPower(e *ast.ElemPower) (*mat.Dense, error) {
	if e.Exp == nil {
		return nil, failf(e, "elementwise power without an exponent")
	}
	a, err := ev.eval(e.X)
	if err != nil {
		return nil, err
	}
	p, _ := e.Exp.Float64()
	return mapEntries(a, func(x float64) float64 { return math.Pow(x, p) }), nil
}
