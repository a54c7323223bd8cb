package eval

import (
	"math"

	"github.com/matdiff/matdiff/ast"
	"gonum.org/v1/gonum/mat"
)

// elementwise holds the functions that apply to every entry.
var elementwise = map[string]func(float64) float64{
	"exp":      math.Exp,
	"log":      math.Log,
	"sin":      math.Sin,
	"cos":      math.Cos,
	"tan":      math.Tan,
	"arcsin":   math.Asin,
	"arccos":   math.Acos,
	"arctan":   math.Atan,
	"tanh":     math.Tanh,
	"sqrt":     math.Sqrt,
	"abs":      math.Abs,
	"sigmoid":  sigmoid,
	"softplus": softplus,
	"relu":     func(x float64) float64 { return math.Max(x, 0) },
	"step":     step,
	"sign":     sign,
}

// sigmoid is 1/(1+e^-x), computed without overflow.
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	t := math.Exp(x)
	return t / (1 + t)
}

// softplus is log(1+e^x), computed without overflow.
func softplus(x float64) float64 {
	return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
}

func step(x float64) float64 {
	if x > 0 {
		return 1
	}
	return 0
}

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return x // 0 (or NaN)
}

func (ev *evaluator) call(e *ast.Call) (*mat.Dense, error) {
	f, ok := ast.Funcs[e.Func]
	if !ok {
		return nil, failf(e, "unknown function %s", e.Func)
	}
	if len(e.Args) != f.Arity {
		return nil, failf(e, "%s takes %d argument(s), got %d", e.Func, f.Arity, len(e.Args))
	}
	a, err := ev.eval(e.Args[0])
	if err != nil {
		return nil, err
	}
	if g, ok := elementwise[e.Func]; ok {
		return mapEntries(a, g), nil
	}
	r, c := a.Dims()
	switch e.Func {
	case "tr", "det", "logdet":
		if r != c {
			return nil, shapef(e, "%s needs a square matrix, and its argument is %s", e.Func, dims(a))
		}
		return squareScalar(e, a)
	case "diag":
		return diag(e, a)
	case "sum":
		var s float64
		forEach(a, func(x float64) { s += x })
		return scalar(s), nil
	case "vec":
		return vec(e, a)
	case "rows":
		return scalar(float64(r)), nil
	case "cols":
		return scalar(float64(c)), nil
	}
	return nil, failf(e, "no numeric rule for %s", e.Func)
}

// squareScalar evaluates tr, det or logdet of the square matrix a.
func squareScalar(e *ast.Call, a *mat.Dense) (*mat.Dense, error) {
	n, _ := a.Dims()
	if e.Func == "tr" {
		return scalar(mat.Trace(a)), nil
	}
	if err := checkWork(e, n, n, n); err != nil {
		return nil, err
	}
	var lu mat.LU
	lu.Factorize(a)
	if e.Func == "det" {
		return scalar(lu.Det()), nil
	}
	logdet, sign := lu.LogDet()
	if sign <= 0 || math.IsInf(logdet, 0) || math.IsNaN(logdet) {
		return nil, domainf(e, "logdet of a matrix whose determinant is not positive")
	}
	return scalar(logdet), nil
}

// diag maps a vector (column or row) to the diagonal matrix, a square
// matrix to the vector of its diagonal, and a 1×1 value to itself.
func diag(e *ast.Call, a *mat.Dense) (*mat.Dense, error) {
	r, c := a.Dims()
	switch {
	case r == 1 && c == 1:
		return a, nil
	case r == 1 || c == 1:
		n := max(r, c)
		out, err := newDense(e, n, n)
		if err != nil {
			return nil, err
		}
		for i := 0; i < n; i++ {
			out.Set(i, i, a.At(min(i, r-1), min(i, c-1)))
		}
		return out, nil
	case r == c:
		out := mat.NewDense(r, 1, nil)
		for i := 0; i < r; i++ {
			out.Set(i, 0, a.At(i, i))
		}
		return out, nil
	}
	return nil, shapef(e, "diag of a non-square matrix (%s); diag takes a vector or a square matrix", dims(a))
}

// vec stacks the columns of a.
func vec(e *ast.Call, a *mat.Dense) (*mat.Dense, error) {
	r, c := a.Dims()
	out, err := newDense(e, r*c, 1)
	if err != nil {
		return nil, err
	}
	for j := 0; j < c; j++ {
		for i := 0; i < r; i++ {
			out.Set(j*r+i, 0, a.At(i, j))
		}
	}
	return out, nil
}
