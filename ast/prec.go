package ast

// Precedence levels, lowest first. The parser reads the binary operators
// from Operators, and the printers use Prec to decide where parentheses go.
const (
	PrecSum     = 1 // a + b, a - b
	PrecProduct = 2 // a b, a * b, a .* b, a ./ b, a / s, a ⊗ b
	PrecUnary   = 3 // -a
	PrecPostfix = 4 // a^T, a^-1, a^k, a.^p
	PrecAtom    = 5 // literals, names, groups, norms, calls
)

// Operator is a binary operator of the input language.
type Operator struct {
	Token string // as written
	Prec  int
	Name  string // what it denotes, for messages
}

// Operators lists the binary operators; all are left-associative.
// Juxtaposition is a product too, without a token.
var Operators = []Operator{
	{"+", PrecSum, "sum"},
	{"-", PrecSum, "difference"},
	{"*", PrecProduct, "product"},
	{".*", PrecProduct, "Hadamard product"},
	{"∘", PrecProduct, "Hadamard product"},
	{"⊙", PrecProduct, "Hadamard product"},
	{"./", PrecProduct, "elementwise division"},
	{"/", PrecProduct, "division"},
	{"⊗", PrecProduct, "Kronecker product"},
}

// Prec returns the precedence level of the node's outermost operator.
func Prec(e Expr) int {
	switch e := e.(type) {
	case *Sum:
		return PrecSum
	case *Product, *Hadamard, *ElemDiv, *Div, *Kron:
		return PrecProduct
	case *Neg:
		return PrecUnary
	case *Transpose, *Inverse, *Power, *ElemPower:
		return PrecPostfix
	case *Number:
		if e.Value.Sign() < 0 {
			return PrecUnary
		}
		if !e.Value.IsInt() && !e.Decimal {
			return PrecProduct // printed p/q
		}
	}
	return PrecAtom
}
