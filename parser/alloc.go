package parser

import (
	"math/big"

	"github.com/matdiff/matdiff/ast"
)

// nodes are the blocks of the nodes the parser makes most.
type nodes struct {
	names      ast.Block[ast.Name]
	numbers    ast.Block[ast.Number]
	rats       ast.Block[big.Rat]
	negs       ast.Block[ast.Neg]
	sums       ast.Block[ast.Sum]
	products   ast.Block[ast.Product]
	powers     ast.Block[ast.Power]
	norms      ast.Block[ast.Norm]
	transposes ast.Block[ast.Transpose]
	calls      ast.Block[ast.Call]
	exprs      []ast.Expr // room for the operands of sums and products
	exprsSize  int
	words      []big.Word // room for the digits of small integers
}

// integer returns the rational n ≥ 0. Its one digit lives in a block of
// words, so that it needs no allocation of its own (big.Rat.SetInt64
// makes two, the numerator's and the denominator's).
func (n *nodes) integer(v int64) *big.Rat {
	r := n.rats.Take()
	switch {
	case v == 0:
		return r
	case uint64(v) > uint64(^big.Word(0)):
		return r.SetInt64(v)
	}
	if len(n.words) == 0 {
		n.words = make([]big.Word, 256)
	}
	w := n.words[:1:1]
	n.words = n.words[1:]
	w[0] = big.Word(v)
	r.Num().SetBits(w) // a zero Rat's denominator is 1
	return r
}

// list returns a copy of xs in room of its own (its capacity is its
// length, so that appending to it copies).
func (n *nodes) list(xs []ast.Expr) []ast.Expr {
	if len(n.exprs) < len(xs) {
		n.exprsSize = min(max(16, 2*n.exprsSize), 4096)
		n.exprs = make([]ast.Expr, max(n.exprsSize, len(xs)))
	}
	out := n.exprs[:len(xs):len(xs)]
	n.exprs = n.exprs[len(xs):]
	copy(out, xs)
	return out
}

func (n *nodes) name(at ast.Pos, name string) *ast.Name {
	x := n.names.Take()
	*x = ast.Name{At: at, Name: name}
	return x
}

func (n *nodes) neg(at ast.Pos, e ast.Expr) *ast.Neg {
	x := n.negs.Take()
	*x = ast.Neg{At: at, X: e}
	return x
}

func (n *nodes) transpose(at ast.Pos, e ast.Expr) *ast.Transpose {
	x := n.transposes.Take()
	*x = ast.Transpose{At: at, X: e}
	return x
}
