package eval

import (
	"fmt"
	"math"
	"strings"

	"github.com/matdiff/matdiff/ast"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// failf returns an error about node e, with its column when it has one.
func failf(e ast.Expr, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return wrapAt(e, err)
}

// wrapAt prefixes err with the column of e, when e has one.
func wrapAt(e ast.Expr, err error) error {
	if p := e.Pos(); p.IsValid() {
		return fmt.Errorf("eval: column %d: %w", p, err)
	}
	return fmt.Errorf("eval: %w", err)
}

func domainf(e ast.Expr, format string, args ...any) error {
	return failf(e, "%w: "+format, append([]any{ErrDomain}, args...)...)
}

func shapef(e ast.Expr, format string, args ...any) error {
	return failf(e, "%w: "+format, append([]any{ErrShape}, args...)...)
}

// describe names a node for messages.
func describe(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Name:
		return e.Name
	case *ast.Call:
		return e.Func + "(…)"
	}
	return "the " + strings.ToLower(strings.TrimPrefix(fmt.Sprintf("%T", e), "*ast.")) + " result"
}

// scalar returns the 1×1 value v, in one allocation.
func scalar(v float64) *mat.Dense {
	b := &struct {
		d mat.Dense
		v [1]float64
	}{v: [1]float64{v}}
	b.d.SetRawMatrix(blas64.General{Rows: 1, Cols: 1, Stride: 1, Data: b.v[:]})
	return &b.d
}

// transpose returns a^T; a vector and a row share their entries with a
// (values are never modified).
func transpose(a *mat.Dense) *mat.Dense {
	m := a.RawMatrix()
	switch {
	case m.Rows == 1:
		return mat.NewDense(m.Cols, 1, m.Data[:m.Cols])
	case m.Cols == 1 && m.Stride == 1:
		return mat.NewDense(1, m.Rows, m.Data[:m.Rows])
	}
	return mat.DenseCopyOf(a.T())
}

// isColumn reports whether v is a k×1 column.
func isColumn(v *mat.Dense, k int) bool {
	r, c := v.Dims()
	return r == k && c == 1
}

// dotSerial returns the entry of the 1×1 product of the 1×k row a and the
// k×1 column b as mulSerial computes it.
func dotSerial(a, b *mat.Dense) float64 {
	am, bm := a.RawMatrix(), b.RawMatrix()
	c := 0.0
	for l, v := range am.Data[:am.Cols] {
		if v != 0 {
			c += float64(v * bm.Data[l*bm.Stride])
		}
	}
	return c
}

func isScalar(a *mat.Dense) bool {
	r, c := a.Dims()
	return r == 1 && c == 1
}

func sameDims(a, b *mat.Dense) bool {
	ar, ac := a.Dims()
	br, bc := b.Dims()
	return ar == br && ac == bc
}

func dims(a *mat.Dense) string {
	r, c := a.Dims()
	return fmt.Sprintf("%d×%d", r, c)
}

// checkEntries reports an error unless an r×c value is within MaxEntries.
// It takes the sizes as products that may have overflowed, so it also
// rejects non-positive sizes.
func checkEntries(e ast.Expr, r, c int) error {
	if r < 1 || c < 1 {
		return failf(e, "%w: value of size %d×%d", ErrLimit, r, c)
	}
	if r > MaxEntries || c > MaxEntries || r*c > MaxEntries {
		return failf(e, "%w: value of size %d×%d has more than %d entries", ErrLimit, r, c, MaxEntries)
	}
	return nil
}

// checkWork reports an error unless r·k·c operations are within MaxWork.
func checkWork(e ast.Expr, r, k, c int) error {
	if float64(r)*float64(k)*float64(c) > MaxWork {
		return failf(e, "%w: operation on sizes %d, %d, %d is too costly", ErrLimit, r, k, c)
	}
	return nil
}

// newDense returns a zero r×c matrix within the limits.
func newDense(e ast.Expr, r, c int) (*mat.Dense, error) {
	if err := checkEntries(e, r, c); err != nil {
		return nil, err
	}
	return mat.NewDense(r, c, nil), nil
}

func identity(e ast.Expr, n int) (*mat.Dense, error) {
	v, err := newDense(e, n, n)
	if err != nil {
		return nil, err
	}
	for i := 0; i < n; i++ {
		v.Set(i, i, 1)
	}
	return v, nil
}

func finite(a *mat.Dense) bool {
	m := a.RawMatrix()
	for i := 0; i < m.Rows; i++ {
		for _, x := range m.Data[i*m.Stride : i*m.Stride+m.Cols] {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return false
			}
		}
	}
	return true
}

// hasNaN reports whether an entry of a is NaN.
func hasNaN(a *mat.Dense) bool {
	m := a.RawMatrix()
	for i := 0; i < m.Rows; i++ {
		for _, x := range m.Data[i*m.Stride : i*m.Stride+m.Cols] {
			if math.IsNaN(x) {
				return true
			}
		}
	}
	return false
}

// forEach calls f with every entry of a.
func forEach(a *mat.Dense, f func(float64)) {
	r, c := a.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			f(a.At(i, j))
		}
	}
}

// mapEntries returns the matrix of f applied to every entry of a.
func mapEntries(a *mat.Dense, f func(float64) float64) *mat.Dense {
	var out mat.Dense
	out.Apply(func(_, _ int, x float64) float64 { return f(x) }, a)
	return &out
}

// broadcast applies op entrywise to a and b, a 1×1 operand standing for
// every entry.
func broadcast(e ast.Expr, a, b *mat.Dense, op func(x, y float64) float64) (*mat.Dense, error) {
	switch {
	case isScalar(a):
		s := a.At(0, 0)
		return mapEntries(b, func(y float64) float64 { return op(s, y) }), nil
	case isScalar(b):
		s := b.At(0, 0)
		return mapEntries(a, func(x float64) float64 { return op(x, s) }), nil
	case !sameDims(a, b):
		return nil, shapef(e, "elementwise operands are %s and %s", dims(a), dims(b))
	}
	var out mat.Dense
	out.Apply(func(i, j int, x float64) float64 { return op(x, b.At(i, j)) }, a)
	return &out, nil
}

// matMul returns the product a b of conformable matrices.
func matMul(e ast.Expr, a, b *mat.Dense) (*mat.Dense, error) {
	ar, ac := a.Dims()
	br, bc := b.Dims()
	if ac != br {
		return nil, shapef(e, "factors of a product are %d×%d and %d×%d", ar, ac, br, bc)
	}
	if err := checkEntries(e, ar, bc); err != nil {
		return nil, err
	}
	if err := checkWork(e, ar, ac, bc); err != nil {
		return nil, err
	}
	if ar <= serialMax && bc <= serialMax {
		return mulSerial(a, b), nil
	}
	var out mat.Dense
	out.Mul(a, b)
	return &out, nil
}

// serialMax is the largest number of rows or columns of a product that
// gonum computes with its serial kernel (one block of 64).
const serialMax = 64

// mulSerial returns a b as gonum's serial kernel computes it, to the bit,
// without its dispatch: row i of the product accumulates a_il times row l
// of b, for l in order, skipping the a_il that are zero.
func mulSerial(a, b *mat.Dense) *mat.Dense {
	am, bm := a.RawMatrix(), b.RawMatrix()
	m, k, n := am.Rows, am.Cols, bm.Cols
	c := make([]float64, m*n)
	for i := 0; i < m; i++ {
		ci := c[i*n : i*n+n]
		for l, v := range am.Data[i*am.Stride : i*am.Stride+k] {
			if v == 0 {
				continue
			}
			for j, x := range bm.Data[l*bm.Stride : l*bm.Stride+n] {
				ci[j] += float64(v * x) // no fused multiply-add
			}
		}
	}
	return mat.NewDense(m, n, c)
}

// inverse returns a^-1; a 1×1 value is inverted as a scalar.
func inverse(e ast.Expr, a *mat.Dense) (*mat.Dense, error) {
	if isScalar(a) {
		return scalar(1 / a.At(0, 0)), nil
	}
	n, c := a.Dims()
	if n != c {
		return nil, shapef(e, "inverse of a non-square matrix (%s)", dims(a))
	}
	if err := checkWork(e, n, n, n); err != nil {
		return nil, err
	}
	var out mat.Dense
	if err := out.Inverse(a); err != nil {
		return nil, domainf(e, "matrix is singular or nearly so (%v)", err)
	}
	return &out, nil
}

// matPow returns a^k for a square matrix a by repeated squaring; a
// negative k is a power of the inverse and 0 gives the identity.
func matPow(e ast.Expr, a *mat.Dense, k int64) (*mat.Dense, error) {
	n, _ := a.Dims()
	if k < 0 {
		inv, err := inverse(e, a)
		if err != nil {
			return nil, err
		}
		a, k = inv, -k
	}
	out, err := identity(e, n)
	if err != nil {
		return nil, err
	}
	for base := a; k > 0; k >>= 1 {
		if k&1 == 1 {
			if out, err = matMul(e, out, base); err != nil {
				return nil, err
			}
		}
		if k > 1 {
			if base, err = matMul(e, base, base); err != nil {
				return nil, err
			}
			if !finite(base) {
				return nil, failf(e, "%w: matrix power overflows (%w)", ErrDomain, ErrNotFinite)
			}
		}
	}
	return out, nil
}

// norm returns ||a|| (Euclidean or Frobenius) or ||a||_1 as a 1×1 value.
func norm(e *ast.Norm, a *mat.Dense) (*mat.Dense, error) {
	var s float64
	switch e.Kind {
	case ast.NormEuclid, ast.NormFrobenius:
		forEach(a, func(x float64) { s += x * x })
		s = math.Sqrt(s)
	case ast.NormOne:
		forEach(a, func(x float64) { s += math.Abs(x) })
	case ast.NormTwo:
		if r, c := a.Dims(); r != 1 && c != 1 {
			return nil, failf(e, "the spectral norm ||·||_2 of a matrix is not supported")
		}
		forEach(a, func(x float64) { s += x * x })
		s = math.Sqrt(s)
	default:
		return nil, failf(e, "unknown norm kind %d", e.Kind)
	}
	return scalar(s), nil
}
