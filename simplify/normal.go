package simplify

import (
	"math/big"
	"slices"
	"strings"

	"github.com/matdiff/matdiff/ast"
)

// normalRules bring the tree into the shape the other rules expect.
var normalRules = []Rule{
	{Name: "div-to-power", Doc: "X / s -> X s^-1", Apply: divToPower, On: OnDiv},
	{Name: "neg-to-coefficient", Doc: "-X -> (-1) X", Apply: negToCoefficient, On: OnNeg},
	{Name: "flatten-sum", Doc: "(a + b) + c -> a + b + c", Apply: flattenSum, On: OnSum, AnyOrder: true},
	{Name: "flatten-product", Doc: "(A B) C -> A B C; a lone scalar run joins a scalar product", Apply: flattenProduct, On: OnProduct},
	{Name: "hadamard-scalar", Doc: "s .* X -> s X", Apply: hadamardScalar, On: OnHadamard},
	{Name: "elemdiv-scalar", Doc: "X ./ s -> X s^-1", Apply: elemDivScalar, On: OnElemDiv},
	{Name: "hadamard-ones", Doc: "(alpha 1) .* X -> alpha X; 1 1^T .* X -> X: ones are the scalar 1 elementwise", Apply: hadamardOnes, On: OnElementwise},
	{Name: "hadamard-order", Doc: "(A x) .* y -> y .* (A x); (1 - s) .* s -> s .* (1 - s); y .* x -> x .* y: names first, sums last, then by key", Apply: hadamardOrder, On: OnHadamard},
	{Name: "hadamard-scalars-out", Doc: "(2 alpha a) .* b -> 2 alpha (a .* b), when not larger", Apply: hadamardScalarsOut, On: OnElementwise},
	{Name: "quotient-sign", Doc: "(-2) ./ u -> -(2 ./ u): the sign of a numeric numerator leaves an elementwise quotient", Apply: quotientSign, On: OnElemDiv},
	{Name: "hadamard-reciprocal", Doc: "(1 ./ u) .* v -> v ./ u; (-2 ./ u) .* v -> -2 (v ./ u); (alpha ./ u) .* v -> alpha (v ./ u)", Apply: hadamardReciprocal, On: OnHadamard},
	{Name: "elementwise-power-one", Doc: "x.^1 -> x; s.^p -> s^p for a scalar", Apply: elementwisePowerOne, On: OnElemPower},
	{Name: "hadamard-zero", Doc: "0 .* X -> 0; 0 ./ X -> 0", Apply: hadamardZero, On: OnElementwise},
}

func divToPower(c *Context, e ast.Expr) ast.Expr {
	d, ok := e.(*ast.Div)
	if !ok {
		return nil
	}
	if n, ok := d.Y.(*ast.Number); ok && n.Value.Sign() != 0 {
		inv := new(big.Rat).Inv(n.Value)
		return product(&ast.Number{Value: inv, Decimal: n.Decimal}, d.X)
	}
	return product(d.X, &ast.Power{X: d.Y, Exp: big.NewRat(-1, 1)})
}

func negToCoefficient(c *Context, e ast.Expr) ast.Expr {
	n, ok := e.(*ast.Neg)
	if !ok {
		return nil
	}
	return product(ast.Int(-1), n.X)
}

func flattenSum(c *Context, e ast.Expr) ast.Expr {
	s, ok := e.(*ast.Sum)
	if !ok {
		return nil
	}
	if len(s.Terms) == 1 {
		return s.Terms[0]
	}
	nested := false
	for _, t := range s.Terms {
		if _, ok := t.(*ast.Sum); ok {
			nested = true
		}
	}
	if !nested {
		return nil
	}
	var terms []ast.Expr
	for _, t := range s.Terms {
		if inner, ok := t.(*ast.Sum); ok {
			terms = append(terms, inner.Terms...)
		} else {
			terms = append(terms, t)
		}
	}
	return sum(terms...)
}

// flattenProduct splices nested products that are not 1×1 runs kept as
// scalars. A nested 1×1 product is spliced only when the outer product has
// no matrix chain and no other nested run, so `2 (x^T y)` is `2 x^T y`
// while `(x^T y) y` and `(x^T y) (a^T b)` keep their parentheses.
func flattenProduct(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok {
		return nil
	}
	if len(p.Factors) == 1 {
		return p.Factors[0]
	}
	if !hasProductFactor(p) {
		return nil
	}
	hasChain, runs := false, 0
	for _, f := range p.Factors {
		if _, ok := f.(*ast.Product); ok && c.scalar(f) {
			runs++
		} else if !c.scalar(f) {
			hasChain = true
		}
	}
	changed := false
	var fs []ast.Expr
	for _, f := range p.Factors {
		inner, ok := f.(*ast.Product)
		if !ok {
			fs = append(fs, f)
			continue
		}
		if !c.scalar(inner) || (!hasChain && runs == 1) || c.pureScalars(inner) {
			fs = append(fs, inner.Factors...)
			changed = true
			continue
		}
		// A nested run keeps its parentheses, but its own scalars and
		// coefficient move out.
		t := c.split(inner)
		if len(t.scalars) > 0 || !ratIs(t.coef, 1) {
			if !ratIs(t.coef, 1) {
				fs = append(fs, &ast.Number{Value: t.coef, Decimal: t.decimal})
			}
			fs = append(fs, t.scalars...)
			fs = append(fs, product(t.chain...))
			changed = true
			continue
		}
		fs = append(fs, f)
	}
	if !changed {
		return nil
	}
	return product(fs...)
}

// hasProductFactor reports whether a factor of p is itself a product.
func hasProductFactor(p *ast.Product) bool {
	for _, f := range p.Factors {
		if _, ok := f.(*ast.Product); ok {
			return true
		}
	}
	return false
}

// pureScalars reports whether every factor of p is 1×1 (so splicing it
// cannot break a chain).
func (c *Context) pureScalars(p *ast.Product) bool {
	for _, f := range p.Factors {
		if !c.scalar(f) {
			return false
		}
	}
	return true
}

func hadamardScalar(c *Context, e ast.Expr) ast.Expr {
	h, ok := e.(*ast.Hadamard)
	if !ok {
		return nil
	}
	if c.scalar(h.X) || c.scalar(h.Y) {
		return product(h.X, h.Y)
	}
	return nil
}

func elemDivScalar(c *Context, e ast.Expr) ast.Expr {
	d, ok := e.(*ast.ElemDiv)
	if !ok || !c.scalar(d.Y) {
		return nil
	}
	return divToPower(c, &ast.Div{X: d.X, Y: d.Y})
}

func hadamardOnes(c *Context, e ast.Expr) ast.Expr {
	// The other operand must have the shape of the whole: a scalar
	// broadcast against the ones (alpha ./ 1) is a multiple of them.
	switch h := e.(type) {
	case *ast.Hadamard:
		if t, ok := c.onesTerm(h.X); ok && !c.scalar(h.Y) {
			t.chain = []ast.Expr{h.Y}
			return t.build()
		}
		if t, ok := c.onesTerm(h.Y); ok && !c.scalar(h.X) {
			t.chain = []ast.Expr{h.X}
			return t.build()
		}
	case *ast.ElemDiv:
		if t, ok := c.onesTerm(h.X); ok && !c.scalar(h.Y) {
			t.chain = nil // (alpha 1 1^T) ./ X -> alpha ./ X
			return &ast.ElemDiv{X: t.build(), Y: h.Y}
		}
		if _, ok := h.Y.(*ast.Ones); ok && !c.scalar(h.X) {
			return h.X
		}
	}
	return nil
}

// onesTerm reports whether e is all ones up to scalar factors: the ones
// vector 1, its transpose, or the ones matrix 1 1^T, times scalars.
func (c *Context) onesTerm(e ast.Expr) (term, bool) {
	t := c.split(e)
	switch len(t.chain) {
	case 1:
		if isOnes(t.chain[0]) || isOnes(transposed(t.chain[0])) {
			return t, true
		}
	case 2:
		if isOnes(t.chain[0]) && isOnes(transposed(t.chain[1])) {
			return t, true
		}
	}
	return t, false
}

func isOnes(e ast.Expr) bool {
	_, ok := e.(*ast.Ones)
	return ok
}

// transposed returns X for X^T, nil otherwise.
func transposed(e ast.Expr) ast.Expr {
	if t, ok := e.(*ast.Transpose); ok {
		return t.X
	}
	return nil
}

func hadamardOrder(c *Context, e ast.Expr) ast.Expr {
	h, ok := e.(*ast.Hadamard)
	if !ok {
		return nil
	}
	// The operands of a chain of elementwise products, in order and
	// grouped to the left: y .* (s .* (1 - s)) -> y .* s .* (1 - s).
	// Chains of more than maxMonomial operands or maxSortedChain nodes
	// keep their grouping; so do those of a rule's nested
	// simplification, which the outer one sorts after.
	if ops, ok := c.sortableChain(h); ok {
		sorted := slices.Clone(ops)
		slices.SortStableFunc(sorted, func(a, b ast.Expr) int {
			if ra, rb := operandRank(a), operandRank(b); ra != rb {
				return ra - rb
			}
			return strings.Compare(c.key(a), c.key(b))
		})
		if slices.Equal(sorted, ops) && leftGrouped(h) {
			return nil // (operands compared as nodes: a deep operand is not walked)
		}
		return hadamardAll(sorted)
	}
	rx, ry := operandRank(h.X), operandRank(h.Y)
	if rx < ry || (rx == ry && c.key(h.X) <= c.key(h.Y)) {
		return nil
	}
	return &ast.Hadamard{X: h.Y, Y: h.X}
}

// sortableChain returns the operands of the chain of elementwise products
// h when hadamard-order sorts them as a whole.
func (c *Context) sortableChain(h *ast.Hadamard) ([]ast.Expr, bool) {
	_, chainX := h.X.(*ast.Hadamard)
	_, chainY := h.Y.(*ast.Hadamard)
	if !chainX && !chainY || c.nested > 0 || c.size(h) > maxSortedChain {
		return nil, false
	}
	return boundedOperands(h, maxMonomial)
}

// maxSortedChain bounds the size of the elementwise products whose
// operands hadamard-order sorts as a whole.
const maxSortedChain = 256

// leftGrouped reports whether the chain of elementwise products h is
// grouped to the left: ((a .* b) .* c), no operand of it a product.
func leftGrouped(h *ast.Hadamard) bool {
	for {
		if _, ok := h.Y.(*ast.Hadamard); ok {
			return false
		}
		x, ok := h.X.(*ast.Hadamard)
		if !ok {
			return true
		}
		h = x
	}
}

// boundedOperands is hadamardOperands of h when it has at most n operands.
func boundedOperands(h *ast.Hadamard, n int) ([]ast.Expr, bool) {
	var ops []ast.Expr
	var walk func(e ast.Expr) bool
	walk = func(e ast.Expr) bool {
		if x, ok := e.(*ast.Hadamard); ok {
			return walk(x.X) && walk(x.Y)
		}
		ops = append(ops, e)
		return len(ops) <= n
	}
	return ops, walk(h)
}

// operandRank puts names (and their transposes) before other operands of
// an elementwise product, and sums last: s .* (1 - s).
func operandRank(e ast.Expr) int {
	if t, ok := e.(*ast.Transpose); ok {
		e = t.X
	}
	switch e.(type) {
	case *ast.Name:
		return 0
	case *ast.Sum:
		return 2
	}
	return 1
}

// scaled splits an operand into its scalar part (coefficient and scalar
// factors) and the rest, or reports false when it has no scalar part.
func (c *Context) scaled(e ast.Expr) (scalars term, rest ast.Expr, ok bool) {
	p, isProduct := e.(*ast.Product)
	if !isProduct || c.scalar(p) {
		return term{}, nil, false
	}
	t := c.split(p)
	if len(t.scalars) == 0 && ratIs(t.coef, 1) {
		return term{}, nil, false
	}
	rest = product(t.chain...)
	t.chain = nil
	return t, rest, true
}

func hadamardScalarsOut(c *Context, e ast.Expr) ast.Expr {
	var out ast.Expr
	switch h := e.(type) {
	case *ast.Hadamard:
		if s, rest, ok := c.scaled(h.X); ok {
			s.chain = []ast.Expr{&ast.Hadamard{X: rest, Y: h.Y}}
			out = s.build()
		} else if s, rest, ok := c.scaled(h.Y); ok {
			s.chain = []ast.Expr{&ast.Hadamard{X: h.X, Y: rest}}
			out = s.build()
		}
	case *ast.ElemDiv:
		if s, rest, ok := c.scaled(h.X); ok {
			s.chain = []ast.Expr{&ast.ElemDiv{X: rest, Y: h.Y}}
			out = s.build()
		}
	}
	if out == nil || c.size(out) > c.size(e) {
		return nil
	}
	return out
}

func hadamardReciprocal(c *Context, e ast.Expr) ast.Expr {
	h, ok := e.(*ast.Hadamard)
	if !ok {
		return nil
	}
	if d, ok := h.X.(*ast.ElemDiv); ok && c.scalar(d.X) {
		return reciprocalTimes(d, h.Y)
	}
	if d, ok := h.Y.(*ast.ElemDiv); ok && c.scalar(d.X) {
		return reciprocalTimes(d, h.X)
	}
	return nil
}

func quotientSign(c *Context, e ast.Expr) ast.Expr {
	d, ok := e.(*ast.ElemDiv)
	if !ok {
		return nil
	}
	n, ok := d.X.(*ast.Number)
	if !ok || n.Value.Sign() >= 0 {
		return nil
	}
	pos := &ast.Number{Value: new(big.Rat).Neg(n.Value), Decimal: n.Decimal}
	return &ast.Product{Factors: []ast.Expr{ast.Int(-1), &ast.ElemDiv{X: pos, Y: d.Y}}}
}

// reciprocalTimes is x times the quotient d of a scalar: x ./ y for
// 1 ./ y, c (x ./ y) for c ./ y.
func reciprocalTimes(d *ast.ElemDiv, x ast.Expr) ast.Expr {
	q := &ast.ElemDiv{X: x, Y: d.Y}
	if isValue(d.X, 1) {
		return q
	}
	return &ast.Product{Factors: []ast.Expr{d.X, q}}
}

func elementwisePowerOne(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.ElemPower)
	if !ok {
		return nil
	}
	switch {
	case ratIs(p.Exp, 1):
		return p.X
	case c.scalar(p.X):
		return &ast.Power{X: p.X, Exp: p.Exp}
	}
	return nil
}

func hadamardZero(c *Context, e ast.Expr) ast.Expr {
	switch h := e.(type) {
	case *ast.Hadamard:
		if isZero(h.X) || isZero(h.Y) {
			return c.zeroOf(h)
		}
	case *ast.ElemDiv:
		if isZero(h.X) && !isZero(h.Y) {
			return c.zeroOf(h)
		}
	}
	return nil
}
