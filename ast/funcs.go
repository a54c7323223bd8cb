package ast

import (
	"math/big"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// The function registry. Every function a Call may name is one Func entry
// (functions.go) that holds everything the phases need: the parser asks it
// for names and arities, shape inference for the shape rule, derive for
// the derivative in every mode, eval for the numbers, check for the kinks,
// render for the printed names, and code generation for the NumPy, PyTorch
// and Eigen spellings. It lives in package ast because shape inference
// needs it and every phase imports ast. Adding a function means adding one
// entry; TestRegistry fails when an entry lacks a field.

// FuncKind is a function's shape rule: how the shape of its result follows
// from the shape of its argument.
type FuncKind int

const (
	// Elementwise functions apply to every entry: the result has the
	// argument's shape.
	Elementwise FuncKind = iota
	// ScalarOfSquare functions map a square matrix to a scalar (tr, det, logdet).
	ScalarOfSquare
	// Reduction functions map any argument to a scalar (sum, logsumexp).
	Reduction
	// VectorMap functions map a vector (a column, a row or a scalar) to a
	// vector of the same shape (softmax); of a matrix they are a shape
	// error that Func.Needs explains.
	VectorMap
	// Vectorize is vec: an m×n matrix to its mn×1 column of stacked columns.
	Vectorize
	// Diagonal is diag: a vector to the diagonal matrix, a square matrix to
	// the vector of its diagonal.
	Diagonal
)

// Func is one entry of the function registry.
type Func struct {
	Name    string   // the canonical name, as printed
	Aliases []string // other names the parser reads as this one
	// Others are names other tools give the function, which the parser
	// does not read but suggests this one for (logistic(x): did you mean
	// sigmoid?).
	Others []string
	// Undoes names the function g with f(g(u)) = u wherever g(u) is
	// defined: exp undoes log, log undoes exp, sin undoes arcsin.
	Undoes string
	Arity  int      // the number of arguments
	Kind   FuncKind // the shape rule
	// Needs says what a VectorMap function needs, for the shape error of a
	// matrix argument ("a vector: ...").
	Needs string

	// Derivative. An elementwise function gives Elem; any other gives
	// Tangent and Adjoint (NoDeriv, when set, is the reason a function has
	// no derivative at all).
	Deriv Deriv
	// Rule names the derivative rule in derivation steps (the function's
	// name when empty).
	Rule string

	// Numeric evaluation: Entry, applied to every entry, for an elementwise
	// function; Eval for any other.
	Entry func(float64) float64
	Eval  func(c Calc, x *mat.Dense) (*mat.Dense, error)

	// Exact is the value at a rational number when it is rational and
	// known (exp(0) = 1, sqrt(1/4) = 1/2), else nil; for a function that
	// is not elementwise, the value at a 1×1 argument.
	Exact func(v *big.Rat) *big.Rat
	// Linear functions map a zero argument to a zero (tr, diag, sum, vec).
	Linear bool

	// Kinks are the argument values where the function (or its
	// derivative) jumps, so that finite differences straddling them are
	// meaningless. Empty, not nil, for a function without kinks.
	Kinks []float64

	// Printed names: plain text (the input language), LaTeX and Unicode.
	Text, LaTeX, Unicode Spelling
	// Code spellings for the code generators. Vectors are 2-D columns
	// (n×1 arrays, Eigen::MatrixXd with one column); a function whose
	// result is 1×1 gives a scalar. EigenScalar spells an elementwise
	// function of a double (std::tanh).
	NumPy, Torch, Eigen, EigenScalar Code
}

// Deriv is a function's derivative, written once for every mode of the
// differentiator (gradient, Jacobian, Hessian, --vec): each builder makes
// ast trees through a Builder, which supplies what differs between modes.
type Deriv struct {
	// Elem, for an elementwise f, is g ∘ f'(u) written as a person would
	// (g ./ u for log), for g of u's shape: with g = the adjoint it is
	// reverse mode, with g = du forward mode, with g = ones the factor of
	// diag(f'(u)) in a Jacobian. nil when f' is zero almost everywhere.
	Elem func(b Builder, g, u Expr) Expr
	// Tangent is the differential of the call e when its argument moves
	// by du: linear in du, and written through b.Scale, b.Inner and left
	// products, so that du may also be a Jacobian whose columns are
	// directions. nil result: zero.
	Tangent func(b Builder, e *Call, du Expr) (Expr, error)
	// Adjoint is the adjoint of the argument of the call e, given the
	// adjoint bar of e (reverse mode). nil result: zero.
	Adjoint func(b Builder, e *Call, bar Expr) (Expr, error)
	// NoDeriv, when set, says why the function has no derivative.
	NoDeriv string
}

// Builder is what a derivative rule needs from the differentiator: shapes,
// and products written as a person would write them.
type Builder interface {
	Shape(e Expr) Shape
	Hadamard(a, b Expr) Expr // a ∘ b, or a b when either is 1×1
	ElemDiv(a, b Expr) Expr  // a ./ b, or a b^-1 when b is 1×1
	Square(u Expr) Expr      // u.^2, or u^2 for a 1×1 u
	Inner(a, b Expr) Expr    // tr(a^T b), as a person writes it: a^T b for vectors
	// Scale is f ∘ d for a change d of a value of f's shape: a Hadamard
	// product when d is one direction, diag(f) D when D is a Jacobian.
	Scale(f, d Expr) Expr
}

// Calc is what numeric evaluation gives a function's Eval: errors of the
// evaluator's kinds and values within its limits.
type Calc interface {
	Domain(format string, args ...any) error // a point outside the domain
	Shape(format string, args ...any) error  // an argument of the wrong size
	New(r, c int) (*mat.Dense, error)        // a zero r×c value within the limits
	Work(r, k, c int) error                  // whether r·k·c operations are within the limits
}

// Spelling is how a call prints: Open, the arguments separated by ", ",
// then Close: "tanh(" and ")", `\sqrt{` and `}`.
type Spelling struct{ Open, Close string }

// Code is how generated code spells a call: Open, the argument, Close
// ("np.tanh(" and ")", "(" and ").array().tanh().matrix()"). Helper, when
// set, defines a function that the spelling calls, which a code printer
// emits once before the code that uses it.
type Code struct{ Open, Close, Helper string }

// IsZero reports whether the spelling is missing.
func (c Code) IsZero() bool { return c.Open == "" && c.Close == "" }

// IsZero reports whether the spelling is missing.
func (s Spelling) IsZero() bool { return s.Open == "" && s.Close == "" }

// KeepsShape reports whether f(u) has the shape of u (elementwise and
// vector-to-vector functions); then also f(u)^T = f(u^T). It is false for
// nil, an unknown function.
func (f *Func) KeepsShape() bool {
	return f != nil && (f.Kind == Elementwise || f.Kind == VectorMap)
}

// IsScalar reports whether f(u) is a scalar whatever u's shape (tr, det,
// logdet, sum, logsumexp). It is false for nil, an unknown function.
func (f *Func) IsScalar() bool {
	return f != nil && (f.Kind == ScalarOfSquare || f.Kind == Reduction)
}

// RuleName is the name of the function's rule in derivation steps.
func (f *Func) RuleName() string {
	if f.Rule != "" {
		return f.Rule
	}
	return f.Name
}

// Funcs maps the canonical name of every function a Call may name to its
// entry. The parser also knows the Builtins, which lower to dedicated nodes.
var Funcs = func() map[string]*Func {
	m := map[string]*Func{}
	for _, f := range functions {
		m[f.Name] = f
	}
	return m
}()

// aliases maps every alias to its entry.
var aliases = func() map[string]*Func {
	m := map[string]*Func{}
	for _, f := range functions {
		for _, a := range f.Aliases {
			m[a] = f
		}
	}
	return m
}()

// LookupFunc returns the entry of a function by its name or an alias.
func LookupFunc(name string) (*Func, bool) {
	if f, ok := Funcs[name]; ok {
		return f, true
	}
	f, ok := aliases[name]
	return f, ok
}

// Builtins are the function names that the parser lowers to dedicated
// nodes, with their arities: inv to Inverse, norm and norm2 to the
// Euclidean (Frobenius) Norm, norm1 to the 1-norm, kron to Kron, eye to
// Identity (eye alone is I), rows and cols to Dimension, comm to Comm (the
// commutation matrix comm(rows(X), cols(X))).
var Builtins = map[string]int{
	"comm":  2,
	"inv":   1,
	"norm":  1,
	"norm2": 1,
	"norm1": 1,
	"kron":  2,
	"eye":   1,
	"rows":  1,
	"cols":  1,
}

// IsFunc reports whether name is a function of the language.
func IsFunc(name string) bool {
	_, ok := LookupFunc(name)
	_, ok2 := Builtins[name]
	return ok || ok2
}

// FuncNamedOther returns the function that other tools name w (Func.Others).
func FuncNamedOther(w string) (string, bool) {
	for name, f := range Funcs {
		if slices.Contains(f.Others, w) {
			return name, true
		}
	}
	return "", false
}

// FuncNames returns every function name (canonical names and builtins,
// without aliases), sorted.
func FuncNames() []string {
	var names []string
	for n := range Funcs {
		names = append(names, n)
	}
	for n := range Builtins {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Greek lists the 24 lowercase Greek letter names, which are scalars, with
// their Unicode letters. Capitalised names (Sigma) and capital letters (Σ)
// are matrices.
var Greek = map[string]string{
	"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε",
	"zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ",
	"lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "omicron": "ο",
	"pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ",
	"phi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
}

// CapitalGreek lists the capitalised Greek names with their letters.
var CapitalGreek = map[string]string{
	"Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
	"Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}
