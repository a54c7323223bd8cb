package ast

import "sort"

// FuncKind says how a function maps shapes.
type FuncKind int

const (
	// Elementwise functions apply to every entry: the result has the
	// argument's shape.
	Elementwise FuncKind = iota
	// ScalarOfSquare functions map a square matrix to a scalar (tr, det, logdet).
	ScalarOfSquare
	// Special functions have their own shape rule (diag, sum, vec, rows, cols).
	Special
)

// Func describes a function of the input language.
type Func struct {
	Name  string
	Arity int
	Kind  FuncKind
}

// Funcs lists the functions that a Call may name. The parser also knows
// inv, norm, kron and eye, which it lowers to Inverse, Norm, Kron and
// Identity; they are listed in Builtins.
var Funcs = map[string]Func{
	"tr":       {"tr", 1, ScalarOfSquare},
	"det":      {"det", 1, ScalarOfSquare},
	"logdet":   {"logdet", 1, ScalarOfSquare},
	"diag":     {"diag", 1, Special},
	"sum":      {"sum", 1, Special},
	"vec":      {"vec", 1, Special},
	"rows":     {"rows", 1, Special},
	"cols":     {"cols", 1, Special},
	"exp":      {"exp", 1, Elementwise},
	"log":      {"log", 1, Elementwise},
	"sin":      {"sin", 1, Elementwise},
	"cos":      {"cos", 1, Elementwise},
	"tan":      {"tan", 1, Elementwise},
	"arcsin":   {"arcsin", 1, Elementwise},
	"arccos":   {"arccos", 1, Elementwise},
	"arctan":   {"arctan", 1, Elementwise},
	"tanh":     {"tanh", 1, Elementwise},
	"sqrt":     {"sqrt", 1, Elementwise},
	"abs":      {"abs", 1, Elementwise},
	"sigmoid":  {"sigmoid", 1, Elementwise},
	"softplus": {"softplus", 1, Elementwise},
	"relu":     {"relu", 1, Elementwise},
	"step":     {"step", 1, Elementwise},
	"sign":     {"sign", 1, Elementwise},
}

// Builtins are the function names that lower to dedicated nodes, with
// their arities.
var Builtins = map[string]int{
	"inv":  1, // Inverse
	"norm": 1, // Norm
	"kron": 2, // Kron
	"eye":  1, // Identity (eye alone is I)
	"comm": 2, // Comm, the commutation matrix comm(rows(X), cols(X))
}

// IsFunc reports whether name is a function of the language.
func IsFunc(name string) bool {
	_, ok := Funcs[name]
	_, ok2 := Builtins[name]
	return ok || ok2
}

// FuncNames returns every function name, sorted.
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
