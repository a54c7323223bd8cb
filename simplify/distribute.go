package simplify

import (
	"math/big"
	"strings"

	"github.com/matdiff/matdiff/ast"
)

// distributeRules expand elementwise products of sums, sums of the
// entries of sums and fractions over a common denominator, when that
// makes the result smaller, neighbouring diagonal matrices as one when
// that simplifies, and move a minus sign into a sum that reads better
// negated. (Set in init: distribute-elementwise, sum-expand and
// diag-product simplify with the rule list that holds them.)
var distributeRules []Rule

func init() {
	distributeRules = []Rule{
		{Name: "distribute-elementwise", Doc: "(y - 1) .* s + y .* (1 - s) -> y - s, (s - 1) y + s (1 - y) -> s - y, (a + b).^2 - a.^2 - b.^2 -> 2 (a .* b): expand elementwise products, small powers and multiples of sums, simplify, keep it when smaller", Apply: distributeElementwise, On: OnSum},
		{Name: "sum-expand", Doc: "sum(x - sum(x)/rows(x)) -> 0: the sums of the terms, a scalar once per entry, kept when that simplifies to less", Apply: sumExpand, On: OnCall, Needs: OnSum | OnProduct},
		{Name: "distribute-scalars", Doc: "s (1 - y) x + y (s - 1) x -> (s - y) x: expand the scalar sums, simplify, keep it when smaller", Apply: distributeScalars, On: OnSum},
		{Name: "common-denominator", Doc: "1/(1 + a) - a/(1 + a)^2 -> 1/(1 + a)^2: two fractions over their common denominator, the numerator expanded and simplified, kept when smaller", Apply: commonDenominator, On: OnSum, AnyOrder: true},
		{Name: "diag-product", Doc: "diag(exp(u)) diag(1 - sigmoid(u)) -> diag(sigmoid(u)): neighbouring diagonal matrices as one, kept when that simplifies to less", Apply: diagProduct, On: OnProduct, Needs: OnCall | OnInverse | OnPower},
		{Name: "common-elementwise-denominator", Doc: "1 ./ (1 + x) - x ./ (1 + x).^2 -> 1 ./ (1 + x).^2: two elementwise quotients over powers of one base as one, the numerator expanded and simplified, kept when smaller", Apply: commonElementwiseDenominator, On: OnSum, AnyOrder: true},
		{Name: "sum-sign-out", Doc: "A (-x - y) -> -A (x + y): a sum factor whose terms are all negative gives its sign to the product", Apply: sumSignOut, On: OnProduct, Needs: OnSum},
		{Name: "negate-sum-factor", Doc: "-X^T (y - s) -> X^T (s - y), -(1 - s) w -> (s - 1) w: the sign goes into a sum whose negative terms are as many and larger", Apply: negateSumFactor, On: OnProduct, Needs: OnSum},
	}
}

// maxDiagPairs bounds the pairs of neighbouring diagonals a chain may
// have for diag-product to try them, each by a nested simplification; a
// longer run of diagonals is left as it is, all of it.
const maxDiagPairs = 16

// diagProduct writes neighbouring diagonal matrices of a chain,
// diag(u)^j diag(v)^k, as the one diagonal diag(u.^j .* v.^k) when their
// product cancels: a factor of one divides the other (diag(x)^2
// diag(x)^-1 -> diag(x)), or the simplification is smaller than the
// product with its powers merged (diag(exp(u)) diag(1 - sigmoid(u)) ->
// diag(sigmoid(u))). Diagonals whose product only merges powers stay
// apart: diag(1 - s) diag(s .* (1 - s)) is the chain rule's form, and
// diag((1 - s).^2 .* s) would keep a sum of such terms from factoring.
// Every pair is tried in one pass.
func diagProduct(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok || c.nested > 0 {
		return nil
	}
	t := c.split(p)
	pairs := 0
	for i := 0; i+1 < len(t.chain); i++ {
		if _, _, ok := c.diagPower(t.chain[i]); ok {
			if _, _, ok := c.diagPower(t.chain[i+1]); ok {
				if pairs++; pairs > maxDiagPairs {
					return nil
				}
			}
		}
	}
	if pairs == 0 {
		return nil
	}
	var chain []ast.Expr
	changed := false
	for i := 0; i < len(t.chain); i++ {
		if i+1 < len(t.chain) {
			if merged := c.diagPair(t.chain[i], t.chain[i+1]); merged != nil {
				chain = append(chain, merged)
				changed = true
				i++
				continue
			}
		}
		chain = append(chain, t.chain[i])
	}
	if !changed {
		return nil
	}
	t.chain = chain
	return t.build()
}

// diagPair is diag-product's one diagonal for the neighbours a b, or nil.
func (c *Context) diagPair(a, b ast.Expr) ast.Expr {
	u, j, ok := c.diagPower(a)
	if !ok {
		return nil
	}
	v, k, ok := c.diagPower(b)
	if !ok {
		return nil
	}
	if j.Sign() < 0 {
		u, j, v, k = v, k, u, j // diagonal matrices commute
	}
	pair := c.size(a) + c.size(b)
	if j.Sign() < 0 || pair > maxExpandNodes {
		return nil
	}
	m := &monomial{coef: big.NewRat(1, 1)}
	c.gather(m, u, j)
	before := make([]*big.Rat, len(m.factors))
	for f := range before {
		before[f] = m.factors[f].exp
	}
	c.gather(m, v, k)
	if m.overflow {
		return nil
	}
	divides := false // a base of u^j that v^k has with the other sign
	for f, exp := range before {
		after := m.factors[f].exp
		divides = divides || after.Sign() != exp.Sign() || new(big.Rat).Abs(after).Cmp(new(big.Rat).Abs(exp)) < 0
	}
	first := u
	if !ratIs(j, 1) {
		first = &ast.ElemPower{X: u, Exp: j}
	}
	merged, ok := c.simplifyNested(&ast.Call{Func: "diag", Args: []ast.Expr{scaledBy(first, v, k)}})
	if !ok || c.size(merged) >= pair {
		return nil
	}
	if w := m.elementwise(); !divides && w != nil && c.size(merged) >= 1+c.size(m.withScalars(w)) {
		return nil // only powers merged
	}
	return merged
}

// maxExpanded bounds the terms an expansion may produce.
const maxExpanded = 32

// expand writes e as a list of terms, distributing elementwise products
// and quotients over sums (a .* (b + c) -> a .* b + a .* c, (a + b) ./ c
// -> a ./ c + b ./ c), elementwise powers of sums by an integer of at
// most maxLift ((a + b).^2 -> a .* a + a .* b + b .* a + b .* b), and
// scalar multiples over them, and the scalar
// factors that are sums of a term with one matrix factor over their terms
// ((s - 1) y -> s y - y). It returns nil when
// there would be more than maxExpanded terms, or when it would look at
// more than maxExpandNodes nodes (a sum nested deep in elementwise
// products, which every level would otherwise expand to its bottom).
func (c *Context) expand(e ast.Expr) []ast.Expr {
	budget := maxExpandNodes
	return c.expandWithin(e, &budget)
}

func (c *Context) expandWithin(e ast.Expr, budget *int) []ast.Expr {
	if *budget <= 0 {
		return nil
	}
	*budget--
	switch x := e.(type) {
	case *ast.Sum:
		var out []ast.Expr
		for _, t := range x.Terms {
			ts := c.expandWithin(t, budget)
			if ts == nil || len(out)+len(ts) > maxExpanded {
				return nil
			}
			out = append(out, ts...)
		}
		return out
	case *ast.Hadamard:
		if c.scalar(x.X) || c.scalar(x.Y) {
			break
		}
		a, b := c.expandWithin(x.X, budget), c.expandWithin(x.Y, budget)
		if a == nil || b == nil || len(a)*len(b) > maxExpanded {
			return nil
		}
		var out []ast.Expr
		for _, u := range a {
			for _, v := range b {
				out = append(out, c.hadamardOf(u, v))
			}
		}
		return out
	case *ast.ElemDiv:
		if c.scalar(x.X) || c.scalar(x.Y) {
			break
		}
		a := c.expandWithin(x.X, budget)
		if a == nil {
			return nil
		}
		var out []ast.Expr
		for _, u := range a {
			out = append(out, &ast.ElemDiv{X: u, Y: x.Y})
		}
		return out
	case *ast.ElemPower:
		// (a + b).^2 -> a .* a + a .* b + b .* a + b .* b, for a small
		// positive integer power of a sum.
		k, ok := smallInt(x.Exp, maxLift)
		if !ok || k < 2 || !isSum(x.X) {
			break
		}
		a := c.expandWithin(x.X, budget)
		if a == nil {
			return nil
		}
		out := a
		for range k - 1 {
			if len(out)*len(a) > maxExpanded {
				return nil
			}
			var next []ast.Expr
			for _, u := range out {
				for _, v := range a {
					next = append(next, c.hadamardOf(u, v))
				}
			}
			out = next
		}
		return out
	case *ast.Product:
		t := c.split(x)
		if len(t.chain) != 1 {
			break
		}
		inner := c.expandWithin(t.chain[0], budget)
		if inner == nil {
			return nil
		}
		sums := c.scalarSumFactor(x)
		out := make([]ast.Expr, 0, len(inner))
		for _, u := range inner {
			v := t
			v.chain = []ast.Expr{u}
			if !sums {
				out = append(out, v.build())
				continue
			}
			// (s - 1) y -> s y - y: the scalar sums distributed too.
			ts := c.expandFactors(v, nil)
			if ts == nil || len(out)+len(ts) > maxExpanded {
				return nil
			}
			out = append(out, ts...)
		}
		return out
	}
	return []ast.Expr{e}
}

// hadamardOf is u .* v, with the scalars of either operand in front.
func (c *Context) hadamardOf(u, v ast.Expr) ast.Expr {
	tu, tv := c.split(u), c.split(v)
	if len(tu.chain) != 1 || len(tv.chain) != 1 {
		return &ast.Hadamard{X: u, Y: v}
	}
	out := term{coef: ratMul(tu.coef, tv.coef), decimal: tu.decimal || tv.decimal}
	out.scalars = append(append([]ast.Expr(nil), tu.scalars...), tv.scalars...)
	out.chain = []ast.Expr{&ast.Hadamard{X: tu.chain[0], Y: tv.chain[0]}}
	return out.build()
}

// hasDistributable reports whether a term of s is an elementwise product
// or quotient with a sum inside, or a multiple of a sum, which expand
// would distribute.
func (c *Context) hasDistributable(s *ast.Sum) bool {
	for _, t := range s.Terms {
		tt := c.split(t)
		if len(tt.chain) != 1 {
			continue
		}
		switch x := tt.chain[0].(type) {
		case *ast.Sum:
			return true
		case *ast.Hadamard:
			if isSum(x.X) || isSum(x.Y) {
				return true
			}
		case *ast.ElemDiv:
			if isSum(x.X) {
				return true
			}
		case *ast.ElemPower:
			if k, ok := smallInt(x.Exp, maxLift); ok && k >= 2 && isSum(x.X) {
				return true
			}
		}
	}
	return false
}

func isSum(e ast.Expr) bool {
	_, ok := e.(*ast.Sum)
	return ok
}

// distributeElementwise expands the elementwise products and the multiples
// of sums in a sum and
// simplifies the expansion on its own; the result replaces the sum only
// when it is smaller, so that the expansion, which grows the tree, is
// one step judged on what it leads to.
func distributeElementwise(c *Context, e ast.Expr) ast.Expr {
	s, ok := e.(*ast.Sum)
	if !ok || c.nested > 0 || c.scalar(s) || c.sizeOver(s, maxExpandNodes) || !c.hasDistributable(s) {
		return nil // a large sum is not simplified again whole at every level it is nested in
	}
	// The multiples of sums alone first, so that 2 u - u, for a sum u,
	// becomes u as it was simplified, its own elementwise products kept;
	// they are simplified on their own only when like terms come out
	// (most multiples of sums have none, and the nested simplification
	// costs as much as the sum).
	multiples := c.expandMultiples(s)
	if multiples != nil && !c.hasLikeTerms(&ast.Sum{Terms: multiples}) {
		multiples = nil
	}
	for _, terms := range [][]ast.Expr{multiples, c.expand(s)} {
		if terms == nil || len(terms) <= len(s.Terms) {
			continue
		}
		if out, ok := c.simplifyNested(sum(terms...)); ok && c.size(out) < c.size(e) {
			return out
		}
	}
	return nil
}

// expandMultiples writes s as a list of terms, distributing only its
// terms that are multiples of one sum, or have scalar factors that are
// sums, over those sums, one level deep (2 (x - y) -> 2 x - 2 y). It
// returns nil when no term is such a multiple or when there would be more
// than maxExpanded terms.
func (c *Context) expandMultiples(s *ast.Sum) []ast.Expr {
	var out []ast.Expr
	expanded := false
	for _, x := range s.Terms {
		t := c.split(x)
		if len(t.chain) != 1 || !isSum(t.chain[0]) && !c.scalarSumFactor(x) {
			out = append(out, x)
			continue
		}
		ts := c.expandFactors(t, nil)
		if ts == nil || len(out)+len(ts) > maxExpanded {
			return nil
		}
		out = append(out, ts...)
		expanded = true
	}
	if !expanded {
		return nil
	}
	return out
}

// distributeScalars collects the terms of a sum that have the same
// matrix chain, when one of them has a scalar factor that is a sum: their
// scalar parts, expanded and simplified on their own, become one scalar
// factor of the chain, kept when that is smaller than the terms:
// s (1 - y) x + y (s - 1) x -> (s - s y + y s - y) x -> (s - y) x.
func distributeScalars(c *Context, e ast.Expr) ast.Expr {
	s, ok := e.(*ast.Sum)
	if !ok || c.nested > 0 || !c.hasScalarSum(s) {
		return nil
	}
	// The terms by the key of their chain, in order of first appearance.
	groups := map[string][]int{}
	var order []string
	for i, x := range s.Terms {
		var b strings.Builder
		for _, f := range c.split(x).chain {
			b.WriteString(c.key(f))
			b.WriteString("\x00")
		}
		k := b.String()
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	replaced := map[int]ast.Expr{} // by the group's first term; nil: dropped
	for _, k := range order {
		g := groups[k]
		if len(g) < 2 || len(g) > maxExpanded || !c.anyScalarSum(s, g) {
			continue
		}
		size := 0
		for _, i := range g {
			size += c.size(s.Terms[i])
		}
		if size > maxExpandNodes {
			continue // the chain is simplified again on its own: keep that small
		}
		var scalars []ast.Expr
		for _, i := range g {
			u := c.split(s.Terms[i])
			u.chain = nil
			ts := c.expandFactors(u, nil)
			if ts == nil || len(scalars)+len(ts) > maxExpanded {
				scalars = nil
				break
			}
			scalars = append(scalars, ts...)
		}
		if scalars == nil {
			continue
		}
		chain := c.split(s.Terms[g[0]]).chain
		out, ok := c.simplifyNested(product(append([]ast.Expr{sum(scalars...)}, chain...)...))
		if !ok || c.size(out) >= size {
			continue
		}
		for _, i := range g {
			replaced[i] = nil
		}
		replaced[g[0]] = out
	}
	if len(replaced) == 0 {
		return nil
	}
	var terms []ast.Expr
	for i, x := range s.Terms {
		r, ok := replaced[i]
		switch {
		case !ok:
			terms = append(terms, x)
		case r != nil:
			terms = append(terms, r)
		}
	}
	if len(terms) == 0 {
		return c.zeroOf(s)
	}
	return sum(terms...)
}

// anyScalarSum reports whether one of the terms of s at the indices g
// has a scalar factor that is a sum, or a power of one.
func (c *Context) anyScalarSum(s *ast.Sum, g []int) bool {
	for _, i := range g {
		if c.scalarSumFactor(s.Terms[i]) {
			return true
		}
	}
	return false
}

// scalarSumFactor reports whether x has a scalar factor that is a sum, or
// a power of one, which expandFactors would distribute.
func (c *Context) scalarSumFactor(x ast.Expr) bool {
	for _, f := range c.split(x).scalars {
		if _, _, ok := sumPower(f); ok {
			return true
		}
	}
	return false
}

// hasScalarSum reports whether a term of s has a scalar sum factor.
func (c *Context) hasScalarSum(s *ast.Sum) bool {
	for _, x := range s.Terms {
		if c.scalarSumFactor(x) {
			return true
		}
	}
	return false
}

// expandFactors is t times the scalar factors fs, as a list of terms:
// the scalar factors that are sums (fs's and t's own), small positive
// powers of such sums, and a matrix chain that is one sum are
// distributed (2 (1 + a) x times 1 + a -> 2 x + 4 a x + 2 a a x, before
// simplification). It returns nil beyond maxExpanded terms.
func (c *Context) expandFactors(t term, fs []ast.Expr) []ast.Expr {
	// Each factor is a list of alternatives; the terms are their products.
	var scalars [][]ast.Expr
	alternatives := func(f ast.Expr) {
		s, k, ok := sumPower(f)
		if !ok {
			scalars = append(scalars, []ast.Expr{f})
			return
		}
		for range k {
			scalars = append(scalars, s.Terms)
		}
	}
	for _, f := range t.scalars {
		alternatives(f)
	}
	for _, f := range fs {
		alternatives(f)
	}
	chains := [][]ast.Expr{t.chain}
	if len(t.chain) == 1 {
		if s, ok := t.chain[0].(*ast.Sum); ok {
			if len(s.Terms) > maxExpanded {
				return nil
			}
			chains = chains[:0]
			for _, u := range s.Terms {
				chains = append(chains, []ast.Expr{u})
			}
		}
	}
	n := len(chains)
	for _, alts := range scalars {
		n *= len(alts)
		if n > maxExpanded {
			return nil
		}
	}
	coef := &ast.Number{Value: t.coef, Decimal: t.decimal}
	out := make([]ast.Expr, 0, n)
	pick := make([]ast.Expr, len(scalars))
	var walk func(i int)
	walk = func(i int) {
		if i == len(scalars) {
			for _, ch := range chains {
				fs := append(append([]ast.Expr{coef}, pick...), ch...)
				out = append(out, product(fs...))
			}
			return
		}
		for _, a := range scalars[i] {
			pick[i] = a
			walk(i + 1)
		}
	}
	walk(0)
	return out
}

// simplifyNested simplifies e as one step of a rule: in a Context of its
// own, in which the rules that expand (this family) do not run again.
func (c *Context) simplifyNested(e ast.Expr) (ast.Expr, bool) {
	sub := &Context{Info: c.Info, Deadline: c.Deadline, MaxSteps: c.MaxSteps, nested: c.nested + 1}
	out, err := sub.Simplify(e)
	return out, err == nil
}

// sumPower reports whether f is a scalar sum or a power of one by a
// positive integer k <= maxLift, which expandFactors distributes.
func sumPower(f ast.Expr) (*ast.Sum, int, bool) {
	k := 1
	if p, ok := f.(*ast.Power); ok {
		n, ok := smallInt(p.Exp, maxLift)
		if !ok {
			return nil, 0, false
		}
		f, k = p.X, n
	}
	s, ok := f.(*ast.Sum)
	return s, k, ok
}

// negateSumFactor moves the sign of a negative term into a sum factor
// that has at least as many negative terms as positive ones, and larger
// ones: the larger side of a difference leads (sigmoid(X w) - y).
func negateSumFactor(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok {
		return nil
	}
	t := c.split(p)
	if t.coef.Sign() >= 0 {
		return nil
	}
	// The last factor of the chain, else its first, else a scalar
	// factor: -(y - s) w^T -> (s - y) w^T, -(1 - s) w -> (s - 1) w.
	if n := len(t.chain); n > 0 {
		for _, i := range []int{n - 1, 0} {
			if s, ok := t.chain[i].(*ast.Sum); ok && c.negatesWell(s) {
				t.coef = ratNeg(t.coef)
				t.chain = append([]ast.Expr(nil), t.chain...)
				t.chain[i] = c.negateTerms(s)
				return t.build()
			}
		}
	}
	for i, x := range t.scalars {
		if s, ok := x.(*ast.Sum); ok && c.negatesWell(s) {
			t.coef = ratNeg(t.coef)
			t.scalars = append([]ast.Expr(nil), t.scalars...)
			t.scalars[i] = c.negateTerms(s)
			return t.build()
		}
	}
	return nil
}

// sumSignOut takes the sign out of a factor of a product that is a
// matrix or vector sum of negative terms only (A (-x - y) -> -A (x + y),
// (-4 A - 2 I)/s -> -(4 A + 2 I)/s). A sum times -1 alone is
// negate-sum's.
func sumSignOut(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok || len(p.Factors) == 2 && isValue(p.Factors[0], -1) {
		return nil
	}
	for i, f := range p.Factors {
		// A scalar sum may stand in a denominator, which the printer
		// groups with others: -1/(alpha + beta) is power-sum-coefficient's.
		s, ok := f.(*ast.Sum)
		if !ok || c.scalar(s) || !c.allNegative(s) {
			continue
		}
		fs := append([]ast.Expr{ast.Int(-1)}, p.Factors...)
		fs[i+1] = c.negateTerms(s)
		return product(fs...)
	}
	return nil
}

// allNegative reports whether every term of s has a negative coefficient.
func (c *Context) allNegative(s *ast.Sum) bool {
	for _, x := range s.Terms {
		if c.split(x).coef.Sign() >= 0 {
			return false
		}
	}
	return true
}

// negatesWell reports whether the sum reads better negated: at least half
// of its terms are negative, and they are larger than the positive ones
// (-2 (A x - b) and -2 (x - mu) stay); or it is sigmoid(u) - 1, whose
// negative is the logistic complement 1 - sigmoid(u)
// (-sigmoid(u) (sigmoid(u) - 1) -> sigmoid(u) (1 - sigmoid(u))).
func (c *Context) negatesWell(s *ast.Sum) bool {
	if len(s.Terms) == 2 && isValue(s.Terms[1], -1) {
		if _, ok := call(s.Terms[0], "sigmoid"); ok {
			return true
		}
	}
	neg, negSize, posSize := 0, 0, 0
	for _, x := range s.Terms {
		if c.split(x).coef.Sign() < 0 {
			neg++
			negSize += c.size(x)
		} else {
			posSize += c.size(x)
		}
	}
	return 2*neg >= len(s.Terms) && negSize > posSize
}

// negateTerms returns the sum with every term negated.
func (c *Context) negateTerms(s *ast.Sum) ast.Expr {
	terms := make([]ast.Expr, len(s.Terms))
	for i, x := range s.Terms {
		terms[i] = c.negate(x)
	}
	return sum(terms...)
}

// sumExpand writes the sum of the entries of a linear combination as the
// combination of the sums, where a broadcast scalar counts once per entry
// (sum(2 (x - mu)/n) -> 2 (sum(x) - rows(x) mu)/n), simplifies that, and
// keeps it when it is smaller: the sum of a centred vector is 0,
// sum(x - sum(x)/rows(x)) -> 0. Like distribute-elementwise it does not
// run inside another rule's simplification.
func sumExpand(c *Context, e ast.Expr) ast.Expr {
	s, ok := call(e, "sum")
	if !ok || c.nested > 0 {
		return nil
	}
	t := c.split(s.Args[0])
	if len(t.chain) != 1 {
		return nil
	}
	inner, ok := t.chain[0].(*ast.Sum)
	if !ok {
		return nil
	}
	shape := c.shape(inner)
	var count ast.Expr // the number of entries, once a scalar term needs it
	terms := make([]ast.Expr, len(inner.Terms))
	for i, x := range inner.Terms {
		if !c.scalar(x) {
			terms[i] = &ast.Call{Func: "sum", Args: []ast.Expr{x}}
			continue
		}
		if count == nil {
			if count = c.entries(shape); count == nil {
				return nil
			}
		}
		terms[i] = product(count, x)
	}
	t.chain = []ast.Expr{sum(terms...)}
	out, ok := c.simplifyNested(t.build())
	if !ok || c.size(out) >= c.size(e) {
		return nil
	}
	return out
}

func ratMul(a, b *big.Rat) *big.Rat { return new(big.Rat).Mul(a, b) }

func ratNeg(a *big.Rat) *big.Rat { return new(big.Rat).Neg(a) }
