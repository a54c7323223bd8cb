package simplify

import (
	"math"

	"github.com/matdiff/matdiff/ast"
)

// NodeCount is the size of e as a person reads it (the README, "Choices and fine points"): every node
// counts one, except that
//   - a name (or I) together with its ^T, ^-1 or ^-T counts as one node,
//     and an elementwise function's ^T is no node either (f(u)^T counts
//     as f(u^T), which it equals), nor a sum's ((x - mu)^T counts as
//     x^T - mu^T);
//   - 1 - sigmoid(u) counts as sigmoid(-u), its other form, and so do
//     the terms 1 and -sigmoid(u) (or -1 and sigmoid(u)) of a longer sum;
//   - a minus sign is no node: it is the operator between terms in a sum,
//     or part of a coefficient (-x, -1 x and x count the same);
//   - a reciprocal s^-1 counts as s, as x/s counts as x s^-1 (the division
//     is the product's, as the inverse is the name's), and an elementwise
//     one, 1 ./ u, as u;
//   - a product inside a product, or in the denominator of one, is a
//     regrouping of its factors, which count, not a node of its own
//     ((x^T y) y counts as y x^T y, A (B x) as A B x, x/(alpha (x^T y)) as
//     x/(alpha x^T y)).
func NodeCount(e ast.Expr) int { return count(e, NodeCount) }

// size is NodeCount(e), kept in the records of e and its subtrees: the
// rules that weigh a rewrite against the node it rewrites would otherwise
// walk the whole subtree at every level of a deep expression.
func (c *Context) size(e ast.Expr) int {
	if isLeaf(e) {
		return count(e, c.size)
	}
	m := c.node(e)
	if !m.hasSize {
		m.nodes, m.hasSize = int32(min(count(e, c.size), math.MaxInt32)), true
	}
	return int(m.nodes)
}

// sizeOver reports whether size(e) > limit. A sum's terms are counted
// only until they pass the limit: distribute-elementwise, which declines
// sums of more than 512 nodes, need not count the 10 000 terms of one.
func (c *Context) sizeOver(e ast.Expr, limit int) bool {
	if s, ok := e.(*ast.Sum); ok {
		if m := c.known(e); m == nil || !m.hasSize {
			return sumCount(s, c.size, limit) > limit
		}
	}
	return c.size(e) > limit
}

// sumCount is count of the sum x, or a number past limit once the terms
// counted so far pass it.
func sumCount(x *ast.Sum, sub func(ast.Expr) int, limit int) int {
	if f, ok := isLogisticComplement(x); ok {
		return sub(f) // 1 - sigmoid(u) counts as sigmoid(-u)
	}
	pairs := logisticPairs(x)
	if len(x.Terms) == 2 && pairs == 1 {
		// 1 - sigmoid(u) as read: the sigmoid(-u) it is.
		_, a := signOfTerm(x.Terms[0])
		_, b := signOfTerm(x.Terms[1])
		if isNumber(a) {
			return sub(b)
		}
		return sub(a)
	}
	// Inside a longer sum too, ±1 with ∓sigmoid(u) counts as the one
	// term ±sigmoid(-u) they are.
	n := 1 - pairs
	for _, t := range x.Terms {
		if n += sub(t); n > limit {
			break
		}
	}
	return n
}

// count is NodeCount of e, with sub giving the counts of its subtrees.
func count(e ast.Expr, sub func(ast.Expr) int) int {
	switch x := e.(type) {
	case *ast.Transpose:
		if isLeaf(x.X) {
			return 1
		}
		if inv, ok := x.X.(*ast.Inverse); ok && isLeaf(inv.X) {
			return 1
		}
		if f, ok := x.X.(*ast.Call); ok && ast.Funcs[f.Func].KeepsShape() {
			return sub(f) // f(u)^T counts as f(u^T) does
		}
		if _, ok := x.X.(*ast.Sum); ok {
			return sub(x.X) // (x - mu)^T counts as x^T - mu^T does
		}
	case *ast.Inverse:
		if isLeaf(x.X) {
			return 1
		}
	case *ast.Identity, *ast.Comm:
		return 1 // eye(rows(V)) is I with its size spelled out
	case *ast.Neg:
		return sub(x.X)
	case *ast.Power:
		if ratIs(x.Exp, -1) {
			return sub(x.X)
		}
	case *ast.ElemDiv:
		if isValue(x.X, 1) {
			return sub(x.Y) // 1 ./ u counts as u^-1 does
		}
	case *ast.Sum:
		return sumCount(x, sub, math.MaxInt)
	case *ast.Product:
		if len(x.Factors) == 2 && isValue(x.Factors[0], -1) {
			return sub(x.Factors[1])
		}
		return 1 + factorsCount(x, sub)
	}
	n := 1
	for _, k := range ast.Children(e) {
		n += sub(k)
	}
	return n
}

// factorsCount is the size of the factors of p, without p's own node.
func factorsCount(p *ast.Product, sub func(ast.Expr) int) int {
	fs := p.Factors
	if len(fs) > 1 && isValue(fs[0], -1) {
		fs = fs[1:]
	}
	n := 0
	for _, f := range fs {
		if q, ok := f.(*ast.Product); ok {
			n += factorsCount(q, sub)
			continue
		}
		if p, ok := f.(*ast.Power); ok && ratIs(p.Exp, -1) {
			if q, ok := p.X.(*ast.Product); ok {
				n += factorsCount(q, sub) // x/(a b) is x/a/b
				continue
			}
		}
		n += sub(f)
	}
	return n
}
