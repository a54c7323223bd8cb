// Package randexpr writes random well-shaped expressions for property
// tests: the derivative property test checks their derivatives
// numerically, and the code generator's test runs the code it writes for
// them. It is imported by tests only.
package randexpr

import (
	"math/rand/v2"

	"github.com/matdiff/matdiff/ast"
)

// Decls declare the variables so that every written expression infers
// the intended shapes: A square, S symmetric.
var Decls = ast.Decls{"S": ast.KindSymmetric, "A": ast.KindSquare}

// Anchor is a term with value 0 to add to an expression of kind k so
// that its sizes are anchored: x, y are n×1 with A and S n×n; u is m×1
// with B m×n.
func Anchor(k Kind) string {
	if k == Vec {
		return " + 0 (x^T A S y + u^T B x) x"
	}
	return " + 0 x^T A S y + 0 u^T B x"
}

// Vars are the variables written.
var Vars = []string{"x", "y", "u", "alpha", "beta", "A", "S", "B"}

// Gen writes random well-shaped expressions over a fixed set of variables:
// scalars alpha, beta; vectors x, y (n×1) and u (m×1); matrices A, S
// (n×n, S symmetric), B (m×n).
type Gen struct {
	R *rand.Rand
}

// Kind is the shape of an expression to write.
type Kind int

const (
	Scalar Kind = iota
	Vec         // n×1
	VecM        // m×1
	Square      // n×n
	Rect        // m×n
)

func (g *Gen) pick(options ...string) string { return options[g.R.IntN(len(options))] }

func (g *Gen) pickKind(options ...Kind) Kind { return options[g.R.IntN(len(options))] }

func (g *Gen) expr(k Kind, depth int) string {
	if depth <= 0 {
		return g.Leaf(k)
	}
	return "(" + g.Composite(k, depth) + ")"
}

// Composite writes an expression of kind k whose outermost operation is
// not a leaf, nested up to depth.
func (g *Gen) Composite(k Kind, depth int) string {
	d := depth - 1
	switch k {
	case Scalar:
		switch g.R.IntN(22) {
		case 19:
			return "logsumexp(" + g.expr(g.pickKind(Vec, Rect), d) + ")"
		case 20:
			return g.expr(Vec, d) + "^T softmax(" + g.expr(Vec, d) + ")"
		case 21:
			return g.pick("norm1", "norm2") + "(" + g.expr(Vec, d) + ")"
		case 14:
			return "sum(log(1 + " + g.expr(Vec, d) + ".^2))"
		case 15:
			if g.R.IntN(2) == 0 {
				return "1^T " + g.pick("abs", "relu") + "(" + g.pick("x", "y") + " - 1)"
			}
			return "1^T " + g.pick("exp", "sqrt", "log") + "(" + g.pick("x", "y") + " + 1)"
		case 16:
			return "sum(diag(" + g.expr(Square, d) + "))"
		case 17:
			return "||" + g.expr(Vec, d) + "||_1"
		case 18:
			return "vec(" + g.expr(Vec, d) + ")^T " + g.expr(Vec, d)
		case 0:
			return g.expr(Vec, d) + "^T " + g.expr(Vec, d)
		case 1:
			return "tr(" + g.expr(Square, d) + ")"
		case 2:
			return "||" + g.expr(Vec, d) + "||^2"
		case 3:
			return g.expr(Scalar, d) + " " + g.expr(Scalar, d)
		case 4:
			return g.expr(Scalar, d) + " + " + g.expr(Scalar, d)
		case 5:
			return "(" + g.expr(Scalar, d) + ")^2"
		case 6:
			return g.expr(Scalar, d) + " / (1 + " + g.Leaf(Scalar) + "^2)"
		case 7:
			return g.pick("sin", "cos", "tanh", "sigmoid", "softplus", "arctan") + "(" + g.expr(Scalar, d) + ")"
		case 8:
			return "sum(" + g.pick("tanh", "sigmoid", "sin", "softplus") + "(" + g.expr(Vec, d) + "))"
		case 9:
			return g.expr(VecM, d) + "^T " + g.Leaf(Rect) + " " + g.expr(Vec, d)
		case 10:
			return "||" + g.expr(Rect, d) + "||_F^2"
		case 11:
			return "logdet(" + g.pick("A", "S", "A^T A + I", "S + I") + ")"
		case 12:
			return "sqrt(1 + (" + g.expr(Vec, d) + "^T " + g.expr(Vec, d) + ")^2)"
		default:
			return "||" + g.expr(Vec, d) + "||"
		}
	case Vec:
		switch g.R.IntN(15) {
		case 14:
			return "softmax(" + g.expr(Vec, d) + ")"
		case 10:
			return "diag(" + g.expr(Vec, d) + ") " + g.expr(Vec, d)
		case 11:
			return g.expr(Vec, d) + " ./ (1 + " + g.expr(Vec, d) + ".^2)"
		case 12:
			return "diag(" + g.expr(Square, d) + ")"
		case 13:
			return g.pick("arctan", "exp") + "(" + g.expr(Vec, d) + "/4)"
		case 0:
			return g.expr(Square, d) + " " + g.expr(Vec, d)
		case 1:
			return g.Leaf(Rect) + "^T " + g.expr(VecM, d)
		case 2:
			return g.expr(Scalar, d) + " " + g.expr(Vec, d)
		case 3:
			return g.expr(Vec, d) + " + " + g.expr(Vec, d)
		case 4:
			return g.expr(Vec, d) + " - " + g.expr(Vec, d)
		case 5:
			return g.pick("tanh", "sigmoid", "sin", "softplus", "cos") + "(" + g.expr(Vec, d) + ")"
		case 6:
			return g.expr(Vec, d) + " .* " + g.expr(Vec, d)
		case 7:
			return "(" + g.expr(Vec, d) + ")" + ".^2"
		case 8:
			return g.expr(Vec, d) + " (" + g.expr(Vec, d) + "^T " + g.Leaf(Vec) + ")"
		default:
			return g.expr(Vec, d) + " / (1 + " + g.Leaf(Scalar) + "^2)"
		}
	case VecM:
		switch g.R.IntN(3) {
		case 0:
			return g.expr(Rect, d) + " " + g.expr(Vec, d)
		case 1:
			return "tanh(" + g.expr(VecM, d) + ")"
		default:
			return g.expr(VecM, d) + " + " + g.expr(VecM, d)
		}
	case Square:
		switch g.R.IntN(8) {
		case 0:
			return g.expr(Square, d) + " " + g.expr(Square, d)
		case 1:
			return "(" + g.expr(Square, d) + ")^T"
		case 2:
			return g.expr(Square, d) + " + " + g.expr(Square, d)
		case 3:
			return g.expr(Vec, d) + " " + g.expr(Vec, d) + "^T"
		case 4:
			return g.Leaf(Rect) + "^T " + g.expr(Rect, d)
		case 5:
			return "(" + g.pick("A", "S") + " + " + g.pick("2", "3") + " I)^-1"
		case 6:
			return g.expr(Scalar, d) + " " + g.expr(Square, d)
		default:
			return "(" + g.expr(Square, d) + ")^2"
		}
	case Rect:
		switch g.R.IntN(4) {
		case 0:
			return g.expr(Rect, d) + " " + g.expr(Square, d)
		case 1:
			return g.expr(VecM, d) + " " + g.expr(Vec, d) + "^T"
		case 2:
			return g.expr(Rect, d) + " + " + g.expr(Rect, d)
		default:
			return g.pick("tanh", "sigmoid") + "(" + g.expr(Rect, d) + ")"
		}
	}
	panic("unreachable")
}

// Leaf writes a variable or constant of kind k.
func (g *Gen) Leaf(k Kind) string {
	switch k {
	case Scalar:
		return g.pick("alpha", "beta", "2", "0.5")
	case Vec:
		return g.pick("x", "y")
	case VecM:
		return "u"
	case Square:
		return g.pick("A", "S", "A^T", "I")
	}
	return "B"
}
