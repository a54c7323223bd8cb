package codegen

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/matdiff/matdiff/ast"
)

// op is an operation of the code to write. Vectors are one-dimensional:
// a row and a column vector are the same data, and the operations that
// would transpose or multiply them by a matrix say which side they are on
// (opVecMat is v^T M, opDot is x^T y, opOuter is x y^T).
type op int

const (
	opVar      op = iota // a parameter (name)
	opNum                // a number (num)
	opPi                 // π
	opDim                // the size of a dimension, as a scalar (dim)
	opOnes               // the all-ones vector of length dim
	opZeros              // the zero of shape
	opEye                // the identity of size dim
	opAdd                // a + b, a scalar broadcast
	opSub                // a - b, a scalar broadcast
	opNeg                // -a
	opMul                // a ∘ b, or a scalar times anything
	opDiv                // a ./ b, or a divided by a scalar, or a scalar by anything
	opPow                // a.^num (a scalar or entrywise)
	opMatPow             // the matrix power a^k, integer k ≥ 2 (num)
	opMatMul             // matrix times matrix or vector: M N, M v
	opVecMat             // v^T M, a vector
	opDot                // x^T y, a scalar
	opOuter              // x y^T, a matrix
	opT                  // the transpose of a matrix
	opSum                // the sum of the entries
	opRowSum             // M 1
	opColSum             // 1^T M, a vector
	opDiagMat            // diag(v), formed
	opDiagVec            // diag(M), the diagonal of a square matrix
	opRowScale           // diag(v) M: row i of M times v_i (args v, M)
	opColScale           // M diag(v): column j of M times v_j (args M, v)
	opVec                // vec(M), column-major
	opKron               // A ⊗ B, formed; name says which operands are rows ("r") or columns ("c")
	opKronVec            // (A ⊗ B) v = vec(B V A^T) with vec(V) = v (args A, B, v)
	opInv                // M^-1
	opSolve              // M^-1 R (args M, R)
	opDet                // det(M)
	opLogDet             // log|det(M)|
	opTrace              // tr(M)
	opSumProd            // sum(a ∘ b), the trace of a b^T
	opNorm               // Euclidean or Frobenius norm
	opSqNorm             // its square
	opNorm1              // the sum of absolute values
	opCall               // an elementwise function (name)
	opMultiDot           // a chain of three or more matrices, ordered by their sizes at run time
)

var opNames = [...]string{"var", "num", "pi", "dim", "ones", "zeros", "eye", "add", "sub", "neg", "mul", "div", "pow",
	"matpow", "matmul", "vecmat", "dot", "outer", "T", "sum", "rowsum", "colsum", "diagmat", "diagvec", "rowscale",
	"colscale", "vec", "kron", "kronvec", "inv", "solve", "det", "logdet", "trace", "sumprod", "norm", "sqnorm",
	"norm1", "call", "multidot"}

func (o op) String() string { return opNames[o] }

// node is one value of the code: an operation on other nodes. Nodes are
// hash-consed by a builder, so that equal computations are one node and
// a node used twice is computed once.
type node struct {
	op    op
	args  []*node
	shape ast.Shape // a vector is n×1, whatever side it was on
	name  string    // opVar, opCall; opKron: the operands' sides
	num   *big.Rat  // opNum, opPow, opMatPow
	dim   ast.Dim   // opDim, opOnes, opEye
	id    int
}

func (n *node) scalar() bool { return n.shape.IsScalar() }
func (n *node) vector() bool { return !n.shape.IsScalar() && n.shape.Cols.IsOne() }
func (n *node) matrix() bool { return !n.shape.Rows.IsOne() && !n.shape.Cols.IsOne() }

// dataShape is the shape a node of shape s has: vectors are columns.
func dataShape(s ast.Shape) ast.Shape {
	if s.Rows.IsOne() {
		return ast.Shape{Rows: s.Cols, Cols: ast.One}
	}
	return s
}

// builder makes nodes, one per distinct computation.
type builder struct {
	nodes []*node
	byKey map[string]*node
	sym   func(name string) bool // symmetric variables, whose transpose is themselves
}

func newBuilder(sym func(string) bool) *builder {
	return &builder{byKey: map[string]*node{}, sym: sym}
}

func (b *builder) make(n node) *node {
	n.shape = dataShape(n.shape)
	var k strings.Builder
	k.WriteString(strconv.Itoa(int(n.op)))
	for _, part := range [...]string{n.name, n.shape.String(), n.dim.String()} {
		k.WriteByte('|')
		k.WriteString(part)
	}
	k.WriteByte('|')
	if n.num != nil {
		k.WriteString(n.num.RatString())
	}
	for _, a := range n.args {
		k.WriteByte('|')
		k.WriteString(strconv.Itoa(a.id))
	}
	key := k.String()
	if old, ok := b.byKey[key]; ok {
		return old
	}
	n.id = len(b.nodes)
	p := &n
	b.nodes = append(b.nodes, p)
	b.byKey[key] = p
	return p
}

func (b *builder) leaf(o op, s ast.Shape) *node { return b.make(node{op: o, shape: s}) }

func (b *builder) variable(name string, s ast.Shape) *node {
	return b.make(node{op: opVar, name: name, shape: s})
}

func (b *builder) number(v *big.Rat) *node {
	return b.make(node{op: opNum, num: new(big.Rat).Set(v)})
}

func (b *builder) int(v int64) *node { return b.number(big.NewRat(v, 1)) }

func isNum(n *node, v int64) bool {
	return n.op == opNum && ast.RatIs(n.num, v)
}

func (b *builder) dimension(d ast.Dim) *node {
	return b.make(node{op: opDim, dim: d})
}

func (b *builder) ones(d ast.Dim) *node {
	return b.make(node{op: opOnes, dim: d, shape: ast.Shape{Rows: d, Cols: ast.One}})
}

func (b *builder) eye(d ast.Dim) *node {
	return b.make(node{op: opEye, dim: d, shape: ast.Shape{Rows: d, Cols: d}})
}

func (b *builder) zeros(s ast.Shape) *node {
	if s.IsScalar() {
		return b.int(0)
	}
	return b.make(node{op: opZeros, shape: s})
}

// op2 makes a node of two operands.
func (b *builder) op2(o op, s ast.Shape, x, y *node) *node {
	return b.make(node{op: o, shape: s, args: []*node{x, y}})
}

func (b *builder) op1(o op, s ast.Shape, x *node) *node {
	return b.make(node{op: o, shape: s, args: []*node{x}})
}

// broadcast is the shape of an entrywise operation of x and y.
func broadcast(x, y *node) ast.Shape {
	if x.scalar() {
		return y.shape
	}
	return x.shape
}

func (b *builder) add(x, y *node) *node {
	switch {
	case x.op == opZeros || isNum(x, 0):
		if y.scalar() && !x.scalar() {
			break
		}
		return y
	case y.op == opZeros || isNum(y, 0):
		if x.scalar() && !y.scalar() {
			break
		}
		return x
	}
	if y.op == opNeg {
		return b.op2(opSub, broadcast(x, y), x, y.args[0])
	}
	if y.op == opNum && y.num.Sign() < 0 {
		return b.op2(opSub, broadcast(x, y), x, b.number(new(big.Rat).Neg(y.num)))
	}
	if y.op == opMul && y.args[0].op == opNum && y.args[0].num.Sign() < 0 {
		// x + -2 * z -> x - 2 * z
		return b.op2(opSub, broadcast(x, y), x, b.mul(b.number(new(big.Rat).Neg(y.args[0].num)), y.args[1]))
	}
	return b.op2(opAdd, broadcast(x, y), x, y)
}

func (b *builder) sub(x, y *node) *node {
	if y.op == opNeg {
		return b.add(x, y.args[0])
	}
	return b.op2(opSub, broadcast(x, y), x, y)
}

func (b *builder) neg(x *node) *node {
	switch {
	case x.op == opNeg:
		return x.args[0]
	case x.op == opNum:
		return b.number(new(big.Rat).Neg(x.num))
	}
	return b.op1(opNeg, x.shape, x)
}

// mul is the entrywise product, or a product with a scalar; numbers come
// first.
func (b *builder) mul(x, y *node) *node {
	switch {
	case isNum(x, 1):
		return y
	case isNum(y, 1):
		return x
	case isNum(x, -1):
		return b.neg(y)
	case isNum(y, -1):
		return b.neg(x)
	case x.op == opNum && y.op == opNum:
		return b.number(new(big.Rat).Mul(x.num, y.num))
	case y.op == opNum && x.op != opNum:
		x, y = y, x
	}
	if x.op == opNeg {
		return b.neg(b.mul(x.args[0], y))
	}
	if y.op == opNeg {
		return b.neg(b.mul(x, y.args[0]))
	}
	return b.op2(opMul, broadcast(x, y), x, y)
}

func (b *builder) div(x, y *node) *node {
	if isNum(y, 1) {
		return x
	}
	return b.op2(opDiv, broadcast(x, y), x, y)
}

// transpose is the transpose of a matrix; a scalar, a vector and a
// symmetric variable are their own.
func (b *builder) transpose(x *node) *node {
	switch {
	case !x.matrix():
		return x
	case x.op == opT:
		return x.args[0]
	case x.op == opVar && b.sym(x.name):
		return x
	case x.op == opEye, x.op == opDiagMat:
		return x
	case x.op == opZeros:
		return b.zeros(x.shape.T())
	}
	return b.op1(opT, x.shape.T(), x)
}
