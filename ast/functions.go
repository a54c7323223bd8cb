package ast

import (
	"math"
	"math/big"
	"strconv"

	"gonum.org/v1/gonum/mat"
)

// functions is the registry: one entry per function (see funcs.go).
var functions = []*Func{
	{
		Name: "tr", Others: []string{"trace"}, Arity: 1, Kind: ScalarOfSquare, Rule: "trace", Linear: true,
		Deriv: Deriv{Tangent: linear("tr"), Adjoint: traceAdjoint},
		Eval:  evalTrace, Exact: same, Kinks: none,
		Text: text("tr"), LaTeX: latexOp("tr"), Unicode: text("tr"),
		NumPy: code("np.trace"), Torch: code("torch.trace"), Eigen: method("trace"),
	},
	{
		Name: "det", Arity: 1, Kind: ScalarOfSquare, Rule: "determinant",
		// d det(X) = det(X) tr(X^-1 dX), so X̄ = bar det(X) X^-T.
		Deriv: Deriv{
			Tangent: func(b Builder, e *Call, du Expr) (Expr, error) {
				return mulOf(e, callOf("tr", mulOf(inverseOf(e.Args[0]), du))), nil
			},
			Adjoint: func(b Builder, e *Call, bar Expr) (Expr, error) {
				return mulOf(bar, e, transposeOf(inverseOf(e.Args[0]))), nil
			},
		},
		Eval: evalDet, Exact: same, Kinks: none,
		Text: text("det"), LaTeX: latexCmd("det"), Unicode: text("det"),
		NumPy: code("np.linalg.det"), Torch: code("torch.det"), Eigen: method("determinant"),
	},
	{
		Name: "logdet", Arity: 1, Kind: ScalarOfSquare, Rule: "log-determinant",
		// d logdet(X) = tr(X^-1 dX), so X̄ = bar X^-T.
		Deriv: Deriv{
			Tangent: func(b Builder, e *Call, du Expr) (Expr, error) {
				return callOf("tr", mulOf(inverseOf(e.Args[0]), du)), nil
			},
			Adjoint: func(b Builder, e *Call, bar Expr) (Expr, error) {
				return mulOf(bar, transposeOf(inverseOf(e.Args[0]))), nil
			},
		},
		Eval: evalLogdet, Exact: at(1, 0), Kinks: none,
		Text: text("logdet"), LaTeX: latexOp("logdet"), Unicode: text("logdet"),
		NumPy: Code{"np.linalg.slogdet(", ")[1]", ""}, Torch: code("torch.logdet"),
		Eigen: Code{"std::log((", ").determinant())", ""},
	},
	{
		Name: "diag", Arity: 1, Kind: Diagonal, Linear: true,
		Deriv: Deriv{Tangent: linear("diag"), Adjoint: diagAdjoint},
		Eval:  evalDiag, Exact: same, Kinks: none,
		Text: text("diag"), LaTeX: latexOp("diag"), Unicode: text("diag"),
		NumPy: Code{"diag(", ")", numpyDiag}, Torch: Code{"diag(", ")", torchDiag},
		Eigen: Code{"diag(", ")", eigenDiag},
	},
	{
		Name: "sum", Arity: 1, Kind: Reduction, Linear: true,
		Deriv: Deriv{Tangent: linear("sum"), Adjoint: sumAdjoint},
		Eval:  evalSum, Exact: same, Kinks: none,
		Text: text("sum"), LaTeX: latexOp("sum"), Unicode: text("sum"),
		NumPy: code("np.sum"), Torch: code("torch.sum"), Eigen: method("sum"),
	},
	{
		Name: "vec", Arity: 1, Kind: Vectorize, Linear: true,
		Deriv: Deriv{Tangent: linear("vec"), Adjoint: vecAdjoint},
		Eval:  evalVec, Exact: same, Kinks: none,
		Text: text("vec"), LaTeX: latexOp("vec"), Unicode: text("vec"),
		NumPy: Code{"(", ").reshape(-1, 1, order='F')", ""},
		Torch: Code{"(", ").t().reshape(-1, 1)", ""},
		Eigen: Code{"(", ").reshaped()", ""},
	},
	{
		Name: "softmax", Arity: 1, Kind: VectorMap,
		Needs: "a vector: of a matrix, the axis it normalises over would be a guess",
		Deriv: Deriv{Tangent: softmaxTangent, Adjoint: softmaxAdjoint},
		Eval:  evalSoftmax, Exact: func(*big.Rat) *big.Rat { return big.NewRat(1, 1) }, Kinks: none,
		Text: text("softmax"), LaTeX: latexOp("softmax"), Unicode: text("softmax"),
		NumPy: Code{"softmax(", ")", numpySoftmax}, Torch: Code{"softmax(", ")", torchSoftmax},
		Eigen: Code{"softmax(", ")", eigenSoftmax},
	},
	{
		Name: "logsumexp", Arity: 1, Kind: Reduction,
		Deriv: Deriv{Tangent: logsumexpTangent, Adjoint: logsumexpAdjoint},
		Eval:  evalLogsumexp, Exact: same, Kinks: none,
		Text: text("logsumexp"), LaTeX: latexOp("logsumexp"), Unicode: text("logsumexp"),
		NumPy: Code{"logsumexp(", ")", numpyLogsumexp},
		Torch: Code{"torch.logsumexp((", ").flatten(), 0)", ""},
		Eigen: Code{"logsumexp(", ")", eigenLogsumexp},
	},
	{
		Name: "exp", Undoes: "log", Arity: 1, Kind: Elementwise,
		Deriv: Deriv{Elem: func(b Builder, g, u Expr) Expr { return b.Hadamard(g, callOf("exp", u)) }},
		Entry: math.Exp, Exact: at(0, 1), Kinks: none,
		Text: text("exp"), LaTeX: latexCmd("exp"), Unicode: text("exp"),
		NumPy: code("np.exp"), Torch: code("torch.exp"), Eigen: array("exp"), EigenScalar: code("std::exp"),
	},
	{
		Name: "log", Others: []string{"ln"}, Undoes: "exp", Arity: 1, Kind: Elementwise,
		Deriv: Deriv{Elem: func(b Builder, g, u Expr) Expr { return b.ElemDiv(g, u) }},
		Entry: math.Log, Exact: at(1, 0), Kinks: none,
		Text: text("log"), LaTeX: latexCmd("log"), Unicode: text("log"),
		NumPy: code("np.log"), Torch: code("torch.log"), Eigen: array("log"), EigenScalar: code("std::log"),
	},
	{
		Name: "sin", Undoes: "arcsin", Arity: 1, Kind: Elementwise,
		Deriv: Deriv{Elem: func(b Builder, g, u Expr) Expr { return b.Hadamard(g, callOf("cos", u)) }},
		Entry: math.Sin, Exact: at(0, 0), Kinks: none,
		Text: text("sin"), LaTeX: latexCmd("sin"), Unicode: text("sin"),
		NumPy: code("np.sin"), Torch: code("torch.sin"), Eigen: array("sin"), EigenScalar: code("std::sin"),
	},
	{
		Name: "cos", Undoes: "arccos", Arity: 1, Kind: Elementwise,
		Deriv: Deriv{Elem: func(b Builder, g, u Expr) Expr { return negOf(b.Hadamard(g, callOf("sin", u))) }},
		Entry: math.Cos, Exact: at(0, 1), Kinks: none,
		Text: text("cos"), LaTeX: latexCmd("cos"), Unicode: text("cos"),
		NumPy: code("np.cos"), Torch: code("torch.cos"), Eigen: array("cos"), EigenScalar: code("std::cos"),
	},
	{
		Name: "tan", Undoes: "arctan", Arity: 1, Kind: Elementwise,
		Deriv: Deriv{Elem: func(b Builder, g, u Expr) Expr {
			return b.Hadamard(g, addOf(Int(1), b.Square(callOf("tan", u))))
		}},
		Entry: math.Tan, Exact: at(0, 0), Kinks: none,
		Text: text("tan"), LaTeX: latexCmd("tan"), Unicode: text("tan"),
		NumPy: code("np.tan"), Torch: code("torch.tan"), Eigen: array("tan"), EigenScalar: code("std::tan"),
	},
	{
		Name: "arcsin", Aliases: []string{"asin"}, Arity: 1, Kind: Elementwise,
		Deriv: Deriv{Elem: func(b Builder, g, u Expr) Expr {
			return b.ElemDiv(g, callOf("sqrt", addOf(Int(1), negOf(b.Square(u)))))
		}},
		Entry: math.Asin, Exact: at(0, 0), Kinks: none,
		Text: text("arcsin"), LaTeX: latexCmd("arcsin"), Unicode: text("arcsin"),
		NumPy: code("np.arcsin"), Torch: code("torch.asin"), Eigen: array("asin"), EigenScalar: code("std::asin"),
	},
	{
		Name: "arccos", Aliases: []string{"acos"}, Arity: 1, Kind: Elementwise,
		Deriv: Deriv{Elem: func(b Builder, g, u Expr) Expr {
			return negOf(b.ElemDiv(g, callOf("sqrt", addOf(Int(1), negOf(b.Square(u))))))
		}},
		Entry: math.Acos, Exact: at(1, 0), Kinks: none,
		Text: text("arccos"), LaTeX: latexCmd("arccos"), Unicode: text("arccos"),
		NumPy: code("np.arccos"), Torch: code("torch.acos"), Eigen: array("acos"), EigenScalar: code("std::acos"),
	},
	{
		Name: "arctan", Aliases: []string{"atan"}, Arity: 1, Kind: Elementwise,
		Deriv: Deriv{Elem: func(b Builder, g, u Expr) Expr {
			return b.ElemDiv(g, addOf(Int(1), b.Square(u)))
		}},
		Entry: math.Atan, Exact: at(0, 0), Kinks: none,
		Text: text("arctan"), LaTeX: latexCmd("arctan"), Unicode: text("arctan"),
		NumPy: code("np.arctan"), Torch: code("torch.atan"), Eigen: array("atan"), EigenScalar: code("std::atan"),
	},
	{
		Name: "tanh", Arity: 1, Kind: Elementwise,
		Deriv: Deriv{Elem: func(b Builder, g, u Expr) Expr {
			return b.Hadamard(g, addOf(Int(1), negOf(b.Square(callOf("tanh", u)))))
		}},
		Entry: math.Tanh, Exact: at(0, 0), Kinks: none,
		Text: text("tanh"), LaTeX: latexCmd("tanh"), Unicode: text("tanh"),
		NumPy: code("np.tanh"), Torch: code("torch.tanh"), Eigen: array("tanh"), EigenScalar: code("std::tanh"),
	},
	{
		Name: "sqrt", Arity: 1, Kind: Elementwise,
		Deriv: Deriv{Elem: func(b Builder, g, u Expr) Expr {
			return b.ElemDiv(g, mulOf(Int(2), callOf("sqrt", u)))
		}},
		Entry: math.Sqrt, Exact: exactSqrt, Kinks: none,
		Text: text("sqrt"), LaTeX: Spelling{`\sqrt{`, `}`}, Unicode: text("sqrt"),
		NumPy: code("np.sqrt"), Torch: code("torch.sqrt"), Eigen: array("sqrt"), EigenScalar: code("std::sqrt"),
	},
	{
		Name: "abs", Arity: 1, Kind: Elementwise,
		Deriv: Deriv{Elem: func(b Builder, g, u Expr) Expr { return b.Hadamard(g, callOf("sign", u)) }},
		Entry: math.Abs, Exact: func(v *big.Rat) *big.Rat { return new(big.Rat).Abs(v) }, Kinks: []float64{0},
		Text: text("abs"), LaTeX: Spelling{`\left| `, ` \right|`}, Unicode: text("abs"),
		NumPy: code("np.abs"), Torch: code("torch.abs"), Eigen: array("abs"), EigenScalar: code("std::abs"),
	},
	{
		Name: "sigmoid", Others: []string{"logistic", "expit"}, Arity: 1, Kind: Elementwise,
		Deriv: Deriv{Elem: func(b Builder, g, u Expr) Expr {
			s := callOf("sigmoid", u)
			return b.Hadamard(b.Hadamard(g, s), addOf(Int(1), negOf(s)))
		}},
		Entry: sigmoid, Exact: atRat(0, big.NewRat(1, 2)), Kinks: none,
		Text: text("sigmoid"), LaTeX: latexOp("sigmoid"), Unicode: text("sigmoid"),
		NumPy: Code{"sigmoid(", ")", numpySigmoid}, Torch: code("torch.sigmoid"),
		Eigen: Code{"sigmoid(", ")", eigenSigmoid}, EigenScalar: Code{"sigmoid(", ")", eigenSigmoid},
	},
	{
		Name: "softplus", Arity: 1, Kind: Elementwise,
		Deriv: Deriv{Elem: func(b Builder, g, u Expr) Expr { return b.Hadamard(g, callOf("sigmoid", u)) }},
		Entry: softplus, Exact: never, Kinks: none,
		Text: text("softplus"), LaTeX: latexOp("softplus"), Unicode: text("softplus"),
		NumPy: Code{"np.logaddexp(0, ", ")", ""}, Torch: code("torch.nn.functional.softplus"),
		Eigen: Code{"softplus(", ")", eigenSoftplus}, EigenScalar: Code{"softplus(", ")", eigenSoftplus},
	},
	{
		Name: "relu", Arity: 1, Kind: Elementwise,
		Deriv: Deriv{Elem: func(b Builder, g, u Expr) Expr { return b.Hadamard(g, callOf("step", u)) }},
		Entry: func(x float64) float64 { return math.Max(x, 0) }, Exact: exactRelu, Kinks: []float64{0},
		Text: text("relu"), LaTeX: latexOp("relu"), Unicode: text("relu"),
		NumPy: Code{"np.maximum(", ", 0.0)", ""}, Torch: code("torch.relu"),
		Eigen: Code{"(", ").array().max(0.0).matrix()", ""}, EigenScalar: Code{"std::max(", ", 0.0)", ""},
	},
	{
		Name: "step", Others: []string{"heaviside"}, Arity: 1, Kind: Elementwise,
		Deriv: Deriv{Elem: func(b Builder, g, u Expr) Expr { return nil }},
		Entry: step, Exact: exactStep, Kinks: []float64{0},
		Text: text("step"), LaTeX: latexOp("step"), Unicode: text("step"),
		NumPy: Code{"np.heaviside(", ", 0.0)", ""}, Torch: Code{"step(", ")", torchStep},
		Eigen:       Code{"((", ").array() > 0.0).cast<double>().matrix()", ""},
		EigenScalar: Code{"((", ") > 0.0 ? 1.0 : 0.0)", ""},
	},
	{
		Name: "sign", Others: []string{"sgn"}, Arity: 1, Kind: Elementwise,
		Deriv: Deriv{Elem: func(b Builder, g, u Expr) Expr { return nil }},
		Entry: sign, Exact: func(v *big.Rat) *big.Rat { return big.NewRat(int64(v.Sign()), 1) }, Kinks: []float64{0},
		Text: text("sign"), LaTeX: latexOp("sign"), Unicode: text("sign"),
		NumPy: code("np.sign"), Torch: code("torch.sign"), Eigen: array("sign"),
		EigenScalar: Code{"sign(", ")", eigenSign},
	},
}

// Exact values at rational points.

// same is f(v) = v: a function of a 1×1 argument that returns it.
func same(v *big.Rat) *big.Rat { return v }

// never knows no rational value.
func never(*big.Rat) *big.Rat { return nil }

// at knows f(x) = y at one integer point.
func at(x, y int64) func(*big.Rat) *big.Rat { return atRat(x, big.NewRat(y, 1)) }

// atRat knows f(x) = y at one integer point.
func atRat(x int64, y *big.Rat) func(*big.Rat) *big.Rat {
	return func(v *big.Rat) *big.Rat {
		if v.Cmp(big.NewRat(x, 1)) == 0 {
			return new(big.Rat).Set(y)
		}
		return nil
	}
}

// exactSqrt is the square root of a rational whose numerator and
// denominator are perfect squares.
func exactSqrt(v *big.Rat) *big.Rat {
	if v.Sign() < 0 {
		return nil
	}
	n, d := new(big.Int).Sqrt(v.Num()), new(big.Int).Sqrt(v.Denom())
	r := new(big.Rat).SetFrac(n, d)
	if new(big.Rat).Mul(r, r).Cmp(v) != 0 {
		return nil
	}
	return r
}

func exactRelu(v *big.Rat) *big.Rat {
	if v.Sign() < 0 {
		return new(big.Rat)
	}
	return v
}

func exactStep(v *big.Rat) *big.Rat {
	if v.Sign() > 0 {
		return big.NewRat(1, 1)
	}
	return new(big.Rat)
}

// none declares that a function has no kinks.
var none = []float64{}

// Spellings.

func text(name string) Spelling { return Spelling{name + "(", ")"} }

// latexCmd is a function LaTeX has a command for: \tanh\left( … \right).
func latexCmd(name string) Spelling { return Spelling{`\` + name + `\left( `, ` \right)`} }

// latexOp is \operatorname{name}\left( … \right).
func latexOp(name string) Spelling {
	return Spelling{`\operatorname{` + name + `}\left( `, ` \right)`}
}

// code is a call: name(…).
func code(name string) Code { return Code{Open: name + "(", Close: ")"} }

// method is an Eigen method: (…).name().
func method(name string) Code { return Code{Open: "(", Close: ")." + name + "()"} }

// array is an Eigen coefficient-wise method: (…).array().name().matrix().
func array(name string) Code { return Code{Open: "(", Close: ").array()." + name + "().matrix()"} }

// Tree helpers for the derivative rules: they drop nil operands (a zero).

func mulOf(fs ...Expr) Expr {
	var out []Expr
	for _, f := range fs {
		if f != nil {
			out = append(out, f)
		}
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return &Product{Factors: out}
}

func addOf(ts ...Expr) Expr {
	var out []Expr
	for _, t := range ts {
		if t != nil {
			out = append(out, t)
		}
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return &Sum{Terms: out}
}

func negOf(e Expr) Expr {
	if e == nil {
		return nil
	}
	return &Neg{X: e}
}

func transposeOf(e Expr) Expr { return &Transpose{X: e} }

func inverseOf(e Expr) Expr { return &Inverse{X: e} }

func callOf(name string, arg Expr) Expr { return &Call{Func: name, Args: []Expr{arg}} }

// Derivative rules of the functions that are not elementwise.

// linear is the tangent of a linear function f: f(du).
func linear(name string) func(Builder, *Call, Expr) (Expr, error) {
	return func(b Builder, e *Call, du Expr) (Expr, error) { return callOf(name, du), nil }
}

// traceAdjoint: tr(X) hands bar I to X.
func traceAdjoint(b Builder, e *Call, bar Expr) (Expr, error) {
	xs := b.Shape(e.Args[0])
	if xs.IsScalar() {
		return bar, nil
	}
	return mulOf(bar, &Identity{N: xs.Rows}), nil
}

// sumAdjoint: sum(X) hands bar 1 1^T to X (bar 1 to a column).
func sumAdjoint(b Builder, e *Call, bar Expr) (Expr, error) {
	xs := b.Shape(e.Args[0])
	switch {
	case xs.IsScalar():
		return bar, nil
	case xs.IsVector():
		return mulOf(bar, &Ones{N: xs.Rows}), nil
	case xs.IsRow():
		return mulOf(bar, transposeOf(&Ones{N: xs.Cols})), nil
	}
	return mulOf(bar, &Ones{N: xs.Rows}, transposeOf(&Ones{N: xs.Cols})), nil
}

// diagAdjoint: diag is linear and self-adjoint (diag(bar), transposed for
// a row argument).
func diagAdjoint(b Builder, e *Call, bar Expr) (Expr, error) {
	switch xs := b.Shape(e.Args[0]); {
	case xs.IsScalar():
		return bar, nil
	case xs.IsRow():
		return transposeOf(callOf("diag", bar)), nil
	}
	return callOf("diag", bar), nil
}

// vecAdjoint: vec of a column is the column itself.
func vecAdjoint(b Builder, e *Call, bar Expr) (Expr, error) {
	switch xs := b.Shape(e.Args[0]); {
	case xs.IsVector() || xs.IsScalar():
		return bar, nil
	case xs.IsRow():
		return transposeOf(bar), nil
	}
	return nil, Errorf(e.Pos(), "derivative", "the gradient through vec of a matrix needs unvec, which matdiff cannot write yet")
}

// softmaxTangent: with s = softmax(u), ds = s ∘ du - s (s^T du), the
// Jacobian diag(s) - s s^T applied to du.
func softmaxTangent(b Builder, e *Call, du Expr) (Expr, error) {
	return addOf(b.Scale(e, du), negOf(mulOf(e, b.Inner(e, du)))), nil
}

// softmaxAdjoint: the Jacobian of softmax is symmetric, so ū = s ∘ bar -
// s (s^T bar).
func softmaxAdjoint(b Builder, e *Call, bar Expr) (Expr, error) {
	return addOf(b.Hadamard(e, bar), negOf(mulOf(b.Inner(e, bar), e))), nil
}

// lseGradient is the gradient of logsumexp(u): softmax(u) for a vector,
// exp(U)/sum(exp(U)) for a matrix, 1 for a scalar.
func lseGradient(b Builder, u Expr) Expr {
	switch us := b.Shape(u); {
	case us.IsScalar():
		return nil
	case us.IsMatrix():
		ex := callOf("exp", u)
		return &Div{X: ex, Y: callOf("sum", ex)}
	}
	return callOf("softmax", u)
}

// logsumexpTangent: d logsumexp(u) = ⟨softmax(u), du⟩.
func logsumexpTangent(b Builder, e *Call, du Expr) (Expr, error) {
	g := lseGradient(b, e.Args[0])
	if g == nil {
		return du, nil
	}
	return b.Inner(g, du), nil
}

// logsumexpAdjoint: ū = bar softmax(u).
func logsumexpAdjoint(b Builder, e *Call, bar Expr) (Expr, error) {
	return mulOf(bar, lseGradient(b, e.Args[0])), nil
}

// Numeric evaluation.

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

func scalarValue(v float64) *mat.Dense { return mat.NewDense(1, 1, []float64{v}) }

func dimsOf(a *mat.Dense) string {
	r, c := a.Dims()
	return strconv.Itoa(r) + "×" + strconv.Itoa(c)
}

func evalTrace(c Calc, a *mat.Dense) (*mat.Dense, error) {
	if r, k := a.Dims(); r != k {
		return nil, c.Shape("tr needs a square matrix, and its argument is %s", dimsOf(a))
	}
	return scalarValue(mat.Trace(a)), nil
}

// lu factorizes the square matrix a for det and logdet.
func lu(c Calc, name string, a *mat.Dense) (*mat.LU, error) {
	n, k := a.Dims()
	if n != k {
		return nil, c.Shape("%s needs a square matrix, and its argument is %s", name, dimsOf(a))
	}
	if err := c.Work(n, n, n); err != nil {
		return nil, err
	}
	var f mat.LU
	f.Factorize(a)
	return &f, nil
}

func evalDet(c Calc, a *mat.Dense) (*mat.Dense, error) {
	f, err := lu(c, "det", a)
	if err != nil {
		return nil, err
	}
	return scalarValue(f.Det()), nil
}

func evalLogdet(c Calc, a *mat.Dense) (*mat.Dense, error) {
	f, err := lu(c, "logdet", a)
	if err != nil {
		return nil, err
	}
	logdet, sign := f.LogDet()
	if sign <= 0 || math.IsInf(logdet, 0) || math.IsNaN(logdet) {
		return nil, c.Domain("logdet of a matrix whose determinant is not positive")
	}
	// A matrix singular but for rounding has a determinant that rounding
	// decides (B^T B for a wide B): outside the domain, as for an inverse.
	if f.Cond() > mat.ConditionTolerance {
		return nil, c.Domain("logdet of a matrix that is singular or nearly so")
	}
	return scalarValue(logdet), nil
}

// evalDiag maps a vector (column or row) to the diagonal matrix, a square
// matrix to the vector of its diagonal, and a 1×1 value to itself.
func evalDiag(c Calc, a *mat.Dense) (*mat.Dense, error) {
	r, k := a.Dims()
	switch {
	case r == 1 && k == 1:
		return mat.DenseCopyOf(a), nil
	case r == 1 || k == 1:
		n := max(r, k)
		out, err := c.New(n, n)
		if err != nil {
			return nil, err
		}
		for i := 0; i < n; i++ {
			out.Set(i, i, a.At(min(i, r-1), min(i, k-1)))
		}
		return out, nil
	case r == k:
		out := mat.NewDense(r, 1, nil)
		for i := 0; i < r; i++ {
			out.Set(i, 0, a.At(i, i))
		}
		return out, nil
	}
	return nil, c.Shape("diag of a non-square matrix (%s); diag takes a vector or a square matrix", dimsOf(a))
}

func evalSum(c Calc, a *mat.Dense) (*mat.Dense, error) {
	return scalarValue(mat.Sum(a)), nil
}

// evalVec stacks the columns of a.
func evalVec(c Calc, a *mat.Dense) (*mat.Dense, error) {
	r, k := a.Dims()
	out, err := c.New(r*k, 1)
	if err != nil {
		return nil, err
	}
	for j := 0; j < k; j++ {
		for i := 0; i < r; i++ {
			out.Set(j*r+i, 0, a.At(i, j))
		}
	}
	return out, nil
}

// maxEntry is the largest entry of a, the shift that keeps exp from
// overflowing.
func maxEntry(a *mat.Dense) float64 {
	return mat.Max(a)
}

// evalSoftmax is exp(v - max v) / sum(exp(v - max v)), which equals
// softmax(v) and cannot overflow.
func evalSoftmax(c Calc, a *mat.Dense) (*mat.Dense, error) {
	r, k := a.Dims()
	if r != 1 && k != 1 {
		return nil, c.Shape("softmax takes a vector, and its argument is %s", dimsOf(a))
	}
	m := maxEntry(a)
	out := mat.NewDense(r, k, nil)
	out.Apply(func(i, j int, v float64) float64 { return math.Exp(v - m) }, a)
	out.Scale(1/mat.Sum(out), out)
	return out, nil
}

// evalLogsumexp is max + log(sum(exp(x - max))), which cannot overflow.
func evalLogsumexp(c Calc, a *mat.Dense) (*mat.Dense, error) {
	m := maxEntry(a)
	if math.IsInf(m, 0) || math.IsNaN(m) {
		return scalarValue(m), nil
	}
	var s float64
	r, k := a.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < k; j++ {
			s += math.Exp(a.At(i, j) - m)
		}
	}
	return scalarValue(m + math.Log(s)), nil
}

// Helpers of the code spellings: functions the target language lacks.

const numpyDiag = `def diag(a):
    if a.shape[0] == 1 or a.shape[1] == 1:
        return np.diag(a.ravel())
    return np.diag(a).reshape(-1, 1)
`

const torchDiag = `def diag(a):
    if a.shape[0] == 1 or a.shape[1] == 1:
        return torch.diag(a.flatten())
    return torch.diag(a).reshape(-1, 1)
`

const eigenDiag = `Eigen::MatrixXd diag(const Eigen::MatrixXd& a) {
  if (a.cols() == 1) return a.col(0).asDiagonal();
  if (a.rows() == 1) return a.row(0).transpose().asDiagonal();
  return a.diagonal();
}
`

const numpySoftmax = `def softmax(v):
    e = np.exp(v - np.max(v))
    return e / np.sum(e)
`

const torchSoftmax = `def softmax(v):
    return torch.softmax(v.flatten(), 0).reshape(v.shape)
`

const eigenSoftmax = `Eigen::MatrixXd softmax(const Eigen::MatrixXd& v) {
  Eigen::MatrixXd e = (v.array() - v.maxCoeff()).exp().matrix();
  return e / e.sum();
}
`

const numpyLogsumexp = `def logsumexp(a):
    m = np.max(a)
    return m + np.log(np.sum(np.exp(a - m)))
`

const eigenLogsumexp = `double logsumexp(const Eigen::MatrixXd& a) {
  double m = a.maxCoeff();
  return m + std::log((a.array() - m).exp().sum());
}
`

const numpySigmoid = `def sigmoid(x):
    return np.exp(-np.logaddexp(0, -x))
`

const eigenSigmoid = `double sigmoid(double x) {
  return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x));
}
Eigen::MatrixXd sigmoid(const Eigen::MatrixXd& x) {
  return x.unaryExpr([](double v) { return sigmoid(v); });
}
`

const eigenSoftplus = `double softplus(double x) {
  return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x)));
}
Eigen::MatrixXd softplus(const Eigen::MatrixXd& x) {
  return x.unaryExpr([](double v) { return softplus(v); });
}
`

const torchStep = `def step(x):
    return (x > 0).to(x.dtype)
`

const eigenSign = `double sign(double x) { return (x > 0) - (x < 0); }
`
