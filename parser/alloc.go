package parser

import (
	"math/big"

	"github.com/matdiff/matdiff/ast"
)

// slab hands out values of T from blocks it allocates, of 8 values at
// first and twice as many each time up to 256: a long input is one
// allocation per block instead of one per node, and a short one wastes
// little.
type slab[T any] struct {
	free []T
	size int
}

// take returns a zero value of its own.
func (s *slab[T]) take() *T {
	if len(s.free) == 0 {
		s.size = min(max(8, 2*s.size), 256)
		s.free = make([]T, s.size)
	}
	v := &s.free[0]
	s.free = s.free[1:]
	return v
}

// nodes are the blocks of the nodes the parser makes most.
type nodes struct {
	names      slab[ast.Name]
	numbers    slab[ast.Number]
	rats       slab[big.Rat]
	negs       slab[ast.Neg]
	sums       slab[ast.Sum]
	products   slab[ast.Product]
	powers     slab[ast.Power]
	norms      slab[ast.Norm]
	transposes slab[ast.Transpose]
	calls      slab[ast.Call]
	exprs      []ast.Expr // room for the operands of sums and products
	exprsSize  int
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
	x := n.names.take()
	*x = ast.Name{At: at, Name: name}
	return x
}

func (n *nodes) neg(at ast.Pos, e ast.Expr) *ast.Neg {
	x := n.negs.take()
	*x = ast.Neg{At: at, X: e}
	return x
}

func (n *nodes) transpose(at ast.Pos, e ast.Expr) *ast.Transpose {
	x := n.transposes.take()
	*x = ast.Transpose{At: at, X: e}
	return x
}
