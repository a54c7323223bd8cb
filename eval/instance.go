package eval

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"

	"github.com/matdiff/matdiff/ast"
	"gonum.org/v1/gonum/mat"
)

// Instance is a point at which expressions are evaluated: a concrete size
// for every base dimension and a value for every variable. The package
// never modifies an Instance; callers should not either once it is shared
// (nor ever one that NewInstance or a Drawer made: evaluation trusts that
// its values fit their shapes).
type Instance struct {
	Sizes  []int                 // Sizes[id] for base dimension id (index 0 unused)
	Values map[string]*mat.Dense // every variable's value (1×1 for scalars)
	// fits, when set, is the Info whose variables' shapes the values were
	// drawn to (by a Drawer): evaluation need not check them again.
	fits *ast.Info
}

const (
	minSize = 2 // the smallest size drawn; never 1, so that 1×1 means scalar
	maxSize = 5 // the largest size drawn
	// maxDims bounds the base dimensions NewInstance gives sizes to.
	maxDims = 1 << 20
)

// Size returns the size of d at the instance: the product of its base
// dimensions' sizes, 1 for the literal 1. It returns -1 when d names a
// base dimension the instance has no size for, or when the product
// exceeds MaxEntries.
func (in *Instance) Size(d ast.Dim) int {
	n, err := in.dimSize(d)
	if err != nil {
		return -1
	}
	return n
}

func (in *Instance) dimSize(d ast.Dim) (int, error) {
	n := 1
	for _, id := range d {
		if id < 1 || id >= len(in.Sizes) || in.Sizes[id] < 1 {
			return 0, fmt.Errorf("no size for base dimension %d", id)
		}
		n *= in.Sizes[id]
		if n > MaxEntries {
			return 0, fmt.Errorf("%w: dimension %v is larger than %d", ErrLimit, d, MaxEntries)
		}
	}
	return n, nil
}

// With returns a copy of the instance with the variable name set to v.
// The other values and the sizes are shared, not copied.
func (in *Instance) With(name string, v *mat.Dense) *Instance {
	vals := make(map[string]*mat.Dense, len(in.Values)+1)
	for k, x := range in.Values {
		vals[k] = x
	}
	vals[name] = v
	return &Instance{Sizes: in.Sizes, Values: vals}
}

// NewInstance draws an instance for the variables of info; a nil rng uses
// a fixed seed.
//
// Sizes are drawn from 2..5, distinct for up to four base dimensions (a
// random permutation of 2, 3, 4, 5, repeated for more), so that shapes
// that are symbolically rectangular are rectangular and a transposition
// mistake shows as a size mismatch. No size is 1.
//
// Values, chosen so that the usual functions are defined at them:
//   - scalars and vectors (also 1×n rows): entries uniform in [0.5, 1.5],
//     positive so that log, sqrt and fractional powers of them are defined;
//   - matrices: entries of magnitude uniform in [0.1, 1] with a random
//     sign (positive with Drawer.Positive), away from the kinks of abs,
//     relu, step and sign at 0;
//   - square matrices: the same plus (n+1)·I, strictly diagonally dominant
//     with a positive diagonal, so that they are well-conditioned and have
//     a positive determinant (logdet is defined); not symmetric;
//   - symmetric matrices: a symmetric matrix of such entries plus (n+1)·I,
//     symmetric positive definite.
//
// A variable whose shape cannot be sized (an unknown base dimension, more
// than MaxEntries entries, or more entries than the values drawn before
// it leave of MaxEntries in all) gets no value, and evaluating it is an
// error.
func NewInstance(info *ast.Info, rng *rand.Rand) *Instance {
	return NewDrawer(info).Draw(rng)
}

// A Drawer draws instances for the variables of one Info: what
// NewInstance does, with the order of the variables and the number of
// base dimensions worked out once for all the draws.
type Drawer struct {
	// Positive draws the entries of the matrices positive too (magnitudes
	// in [0.1, 1]), for an expression whose values need them: log(X),
	// sqrt(X).
	Positive bool
	info     *ast.Info
	dims     int
	names    []string
}

// NewDrawer returns a Drawer for info (which may be nil).
func NewDrawer(info *ast.Info) *Drawer {
	d := &Drawer{info: info}
	if info != nil {
		d.dims, d.names = numDims(info), varNames(info)
	}
	return d
}

// Draw returns the instance that NewInstance(info, rng) returns.
func (d *Drawer) Draw(rng *rand.Rand) *Instance {
	if rng == nil {
		rng = rand.New(rand.NewPCG(1, 2))
	}
	in := &Instance{Values: make(map[string]*mat.Dense, len(d.names)), fits: d.info}
	if d.info == nil {
		in.Sizes = []int{0}
		return in
	}
	in.Sizes = drawSizes(d.dims, rng)
	left := MaxEntries
	for _, name := range d.names {
		v := d.info.Vars[name]
		if x, err := in.draw(v, left, d.Positive, rng); err == nil {
			in.Values[name] = x
			r, c := x.Dims()
			left -= r * c
		}
	}
	return in
}

// numDims is the number of base dimensions of info: NDims, or more if a
// variable's shape names a larger id; at most maxDims.
func numDims(info *ast.Info) int {
	n := info.NDims
	for _, v := range info.Vars {
		if v == nil {
			continue
		}
		for _, id := range append(append(ast.Dim{}, v.Shape.Rows...), v.Shape.Cols...) {
			n = max(n, id)
		}
	}
	return min(max(n, 0), maxDims)
}

func drawSizes(n int, rng *rand.Rand) []int {
	sizes := make([]int, 1, n+1)
	for len(sizes) <= n {
		for _, p := range rng.Perm(maxSize - minSize + 1) {
			sizes = append(sizes, minSize+p)
		}
	}
	return sizes[:n+1]
}

// varNames lists the variables of info in a deterministic order: Order,
// then the others by name.
func varNames(info *ast.Info) []string {
	seen := map[string]bool{}
	var names []string
	for _, n := range info.Order {
		if info.Vars[n] != nil && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	var rest []string
	for n, v := range info.Vars {
		if v != nil && !seen[n] {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	return append(names, rest...)
}

// draw returns a random value for v of at most max entries; see
// NewInstance.
func (in *Instance) draw(v *ast.Var, max int, positive bool, rng *rand.Rand) (*mat.Dense, error) {
	r, err := in.dimSize(v.Shape.Rows)
	if err != nil {
		return nil, err
	}
	c, err := in.dimSize(v.Shape.Cols)
	if err != nil {
		return nil, err
	}
	if r < 1 || c < 1 || r*c > max {
		return nil, errors.New("value too large")
	}
	x := mat.NewDense(r, c, nil)
	signed := signed
	if positive {
		signed = magnitude
	}
	switch {
	case v.Shape.Rows.IsOne() || v.Shape.Cols.IsOne():
		fill(x, func() float64 { return 0.5 + rng.Float64() })
	case v.Kind == ast.KindSymmetric && r == c:
		fill(x, func() float64 { return signed(rng) })
		symmetrize(x)
		addDiag(x, float64(r+1))
	case v.Shape.IsSquare():
		fill(x, func() float64 { return signed(rng) })
		addDiag(x, float64(r+1))
	default:
		fill(x, func() float64 { return signed(rng) })
	}
	return x, nil
}

// signed draws a magnitude uniform in [0.1, 1] with a random sign.
func signed(rng *rand.Rand) float64 {
	m := magnitude(rng)
	if rng.IntN(2) == 0 {
		return -m
	}
	return m
}

// magnitude draws a number uniform in [0.1, 1].
func magnitude(rng *rand.Rand) float64 { return 0.1 + 0.9*rng.Float64() }

func fill(x *mat.Dense, f func() float64) {
	r, c := x.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			x.Set(i, j, f())
		}
	}
}

// symmetrize copies the upper triangle of the square x to its lower one.
func symmetrize(x *mat.Dense) {
	n, _ := x.Dims()
	for i := 0; i < n; i++ {
		for j := 0; j < i; j++ {
			x.Set(i, j, x.At(j, i))
		}
	}
}

func addDiag(x *mat.Dense, d float64) {
	n, _ := x.Dims()
	for i := 0; i < n; i++ {
		x.Set(i, i, x.At(i, i)+d)
	}
}

// RandomDirection draws a direction for the variable wrt: a matrix of its
// shape with entries uniform in [-1, 1], symmetric for a symmetric
// variable. It returns nil when the variable has no value in the instance
// (or no sizable shape in info). A nil rng uses a fixed seed.
func RandomDirection(info *ast.Info, in *Instance, wrt string, rng *rand.Rand) *mat.Dense {
	if rng == nil {
		rng = rand.New(rand.NewPCG(3, 4))
	}
	r, c := -1, -1
	if in != nil && in.Values[wrt] != nil {
		r, c = in.Values[wrt].Dims()
	} else if in != nil && info != nil && info.Vars[wrt] != nil {
		s := info.Vars[wrt].Shape
		r, c = in.Size(s.Rows), in.Size(s.Cols)
	}
	if r < 1 || c < 1 || r*c > MaxEntries {
		return nil
	}
	E := mat.NewDense(r, c, nil)
	fill(E, func() float64 { return 2*rng.Float64() - 1 })
	if info != nil && info.Symmetric(wrt) && r == c {
		var t mat.Dense
		t.Add(E, E.T())
		E.Scale(0.5, &t)
	}
	return E
}
