package simplify

import (
	"math/big"
	"slices"
	"sort"
	"strings"

	"github.com/matdiff/matdiff/ast"
)

// sumRules collect, order and factor the terms of sums.
var sumRules = []Rule{
	{Name: "negate-sum", Doc: "-(a - b) -> b - a: a minus sign goes into the sum", Apply: negateSum, On: OnProduct, Needs: OnSum},
	{Name: "drop-zero-terms", Doc: "A + 0 -> A; x - x - 1 -> -1 (the ones vector, when not larger)", Apply: dropZeroTerms, On: OnSum, AnyOrder: true},
	{Name: "collect-like-terms", Doc: "A x + 2 A x -> 3 A x", Apply: collectLikeTerms, On: OnSum, AnyOrder: true},
	{Name: "factor-right", Doc: "A x + B x -> (A + B) x", Apply: factorRight, On: OnSum, AnyOrder: true},
	{Name: "factor-left", Doc: "x^T A + x^T B -> x^T (A + B)", Apply: factorLeft, On: OnSum, AnyOrder: true},
	{Name: "factor-scalars", Doc: "d A x + d B x -> d (A x + B x): a scalar factor every term has", Apply: factorScalars, On: OnSum, AnyOrder: true},
	{Name: "factor-shared-scalar", Doc: "a A + a B + b C -> a (A + B) + b C: the scalar factor most terms share, out of those terms", Apply: factorSharedScalar, On: OnSum, AnyOrder: true},
	{Name: "common-fraction", Doc: "A/2 + B/2 -> (A + B)/2: a common coefficient that is not an integer, when not larger", Apply: commonFraction, On: OnSum, AnyOrder: true},
	{Name: "order-terms", Doc: "b + A x -> A x + b: positive first, constants, longer terms, then by name", Apply: orderTerms, On: OnSum, Sorts: true},
}

func dropZeroTerms(c *Context, e ast.Expr) ast.Expr {
	s, ok := e.(*ast.Sum)
	if !ok {
		return nil
	}
	if !slices.ContainsFunc(s.Terms, isZero) {
		return nil
	}
	var terms []ast.Expr
	for _, t := range s.Terms {
		if !isZero(t) {
			terms = append(terms, t)
		}
	}
	if len(terms) == 0 {
		return c.zeroOf(s)
	}
	// A sum that was a matrix keeps its shape when only broadcast scalars
	// are left: x - x - 1 is -1 times the ones vector, which reads back as
	// such before a row (-1 y^T), where 0 - 1 would not, and B - B + 4 is
	// 4 1 1^T, even where that is larger: 4 + 0 would read back as 4.
	if !c.scalar(s) && c.allScalar(terms) {
		out := c.onesOf(s) // 1 + 0 is the ones: 1 1^T for a matrix
		if len(terms) > 1 || !isValue(terms[0], 1) {
			out = product(sum(terms...), out)
		}
		return out
	}
	return sum(terms...)
}

// restKey is c.key(t.rest()) for a term with factors, without building
// the product.
// restKeyOf is restKey of x's split t, kept in x's record.
func (c *Context) restKeyOf(x ast.Expr, t term) string {
	m := c.node(x)
	if !m.hasRestKey {
		m.restKey, m.hasRestKey = c.restKey(t), true
	}
	return m.restKey
}

func (c *Context) restKey(t term) string {
	fs := make([]ast.Expr, 0, len(t.scalars)+len(t.chain))
	fs = append(append(fs, t.scalars...), t.chain...)
	if len(fs) == 1 {
		return c.key(fs[0])
	}
	var b strings.Builder
	for i, f := range fs {
		if i > 0 {
			b.WriteString("\x00")
		}
		switch f.(type) {
		case *ast.Product, *ast.Neg:
			b.WriteString("[" + c.key(f) + "]")
		default:
			b.WriteString(c.key(f))
		}
	}
	return b.String()
}

func (c *Context) allScalar(es []ast.Expr) bool {
	for _, e := range es {
		if !c.scalar(e) {
			return false
		}
	}
	return true
}

func collectLikeTerms(c *Context, e ast.Expr) ast.Expr {
	s, ok := e.(*ast.Sum)
	if !ok {
		return nil
	}
	if !c.hasLikeTerms(s) {
		return nil
	}
	type like struct {
		t term
	}
	var order []*like
	byKey := map[string]*like{}
	merged := false
	wide := !c.scalar(s)
	for _, x := range s.Terms {
		t := c.split(x)
		if len(t.scalars)+len(t.chain) == 0 || wide && c.onesMultiple(t) {
			// plain numbers are folded by fold-sum-numbers, and multiples
			// of the ones become them (ones-term)
			order = append(order, &like{t: t})
			continue
		}
		k := c.restKeyOf(x, t)
		if l, ok := byKey[k]; ok {
			l.t.coef = new(big.Rat).Add(l.t.coef, t.coef)
			l.t.decimal = l.t.decimal || t.decimal
			merged = true
			continue
		}
		l := &like{t: t}
		byKey[k] = l
		order = append(order, l)
	}
	if !merged {
		return nil
	}
	var terms []ast.Expr
	for _, l := range order {
		if l.t.coef.Sign() == 0 {
			continue
		}
		terms = append(terms, l.t.build())
	}
	if len(terms) == 0 {
		return c.zeroOf(s)
	}
	if !c.scalar(s) && c.allScalar(terms) {
		terms = append(terms, c.zeroOf(s))
	}
	return sum(terms...)
}

// hasLikeTerms reports whether two terms of s (not plain numbers) have
// the same key without their coefficients. A short sum is checked pair by
// pair, factor by factor, without building those keys; a long one with a
// set of them, before collect-like-terms makes its groups.
func (c *Context) hasLikeTerms(s *ast.Sum) bool {
	// Plain numbers and multiples of the ones are left to other rules.
	wide := !c.scalar(s)
	skip := func(t term) bool { return len(t.scalars)+len(t.chain) == 0 || wide && c.onesMultiple(t) }
	const short = 8
	if len(s.Terms) > short {
		seen := make(map[string]struct{}, len(s.Terms))
		for _, x := range s.Terms {
			t := c.split(x)
			if skip(t) {
				continue
			}
			k := c.restKeyOf(x, t)
			if _, ok := seen[k]; ok {
				return true
			}
			seen[k] = struct{}{}
		}
		return false
	}
	var parts [short]term
	n := 0
	for _, x := range s.Terms {
		t := c.split(x)
		if skip(t) {
			continue
		}
		for _, u := range parts[:n] {
			if c.like(t, u) {
				return true
			}
		}
		parts[n] = t
		n++
	}
	return false
}

// onesMultiple reports whether the term t is a number times an
// elementwise quotient or product whose factors all cancel (2 (u ./ u)),
// which ones-term writes as the number, broadcast.
func (c *Context) onesMultiple(t term) bool {
	if len(t.scalars) > 0 || len(t.chain) != 1 {
		return false
	}
	switch t.chain[0].(type) {
	case *ast.Hadamard, *ast.ElemDiv:
		m, ok := c.cancelled(t.chain[0])
		return ok && m.elementwise() == nil && len(m.scalars) == 0
	}
	return false
}

// like reports whether two terms have the same factors after their
// coefficients (equal restKeys), comparing the factors' keys.
func (c *Context) like(a, b term) bool {
	if len(a.scalars) != len(b.scalars) || len(a.chain) != len(b.chain) {
		return false
	}
	for i := range len(a.scalars) + len(a.chain) {
		fa, fb := a.factor(i), b.factor(i)
		if fa != fb && (isGroup(fa) != isGroup(fb) || c.key(fa) != c.key(fb)) {
			return false
		}
	}
	return true
}

// isGroup reports whether restKey brackets e's key.
func isGroup(e ast.Expr) bool {
	switch e.(type) {
	case *ast.Product, *ast.Neg:
		return true
	}
	return false
}

// factorSide groups the terms that share their first (left) or last
// (right) chain factor and takes it out, when at least two terms share it.
func (c *Context) factorSide(e ast.Expr, right bool) ast.Expr {
	s, ok := e.(*ast.Sum)
	if !ok {
		return nil
	}
	broadcast := !c.scalar(s)
	if !c.mayShareSide(s, broadcast) {
		return nil
	}
	keys := make([]string, len(s.Terms))
	count := make(map[string]int, len(s.Terms))
	shared := false
	for i, x := range s.Terms {
		if broadcast && c.scalar(x) {
			continue // a broadcast scalar does not factor with a matrix
		}
		if t := c.split(x); len(t.chain) >= 2 {
			f := t.chain[0]
			if right {
				f = t.chain[len(t.chain)-1]
			}
			keys[i] = c.key(f)
			count[keys[i]]++
			shared = shared || count[keys[i]] > 1
		}
	}
	if !shared {
		return nil
	}
	// The terms by shared factor, in order (linear time in long sums).
	groups := map[string][]int{}
	for j, k := range keys {
		if k != "" && count[k] > 1 {
			groups[k] = append(groups[k], j)
		}
	}
	parts := func(j int) term { return c.split(s.Terms[j]) }
	// Every group of two or more is factored at once; the factored term
	// stands where the group's first term stood.
	var terms []ast.Expr
	changed := false
	for i, x := range s.Terms {
		group := groups[keys[i]]
		if keys[i] == "" || len(group) < 2 {
			terms = append(terms, x)
			continue
		}
		changed = true
		if group[0] != i {
			continue
		}
		var common ast.Expr
		var inner []term
		for _, j := range group {
			t := parts(j)
			if right {
				common = t.chain[len(t.chain)-1]
				t.chain = t.chain[:len(t.chain)-1]
			} else {
				common = t.chain[0]
				t.chain = t.chain[1:]
			}
			inner = append(inner, t)
		}
		outer, rest := c.pullCommon(inner)
		if right {
			outer.chain = []ast.Expr{sum(rest...), common}
		} else {
			outer.chain = []ast.Expr{common, sum(rest...)}
		}
		terms = append(terms, outer.build())
	}
	if !changed {
		return nil
	}
	return sum(terms...)
}

// mayShareSide reports whether two terms of s could share a side factor:
// at least two of them have a chain of two or more factors (a check that
// allocates nothing, before factorSide's tables).
func (c *Context) mayShareSide(s *ast.Sum, broadcast bool) bool {
	n := 0
	for _, x := range s.Terms {
		if broadcast && c.scalar(x) {
			continue
		}
		if len(c.split(x).chain) >= 2 {
			n++
		}
	}
	return n >= 2
}

// pullCommon takes out what the terms share: a common coefficient (or a
// common sign) and common scalar factors. It returns them as a term and
// the terms that are left, rebuilt.
func (c *Context) pullCommon(ts []term) (term, []ast.Expr) {
	outer := term{coef: big.NewRat(1, 1)}
	same, negative := true, true
	for _, t := range ts {
		same = same && ast.RatEqual(t.coef, ts[0].coef)
		negative = negative && t.coef.Sign() < 0
	}
	switch {
	case same:
		outer.coef = new(big.Rat).Set(ts[0].coef)
		outer.decimal = ts[0].decimal
	case negative:
		outer.coef = big.NewRat(-1, 1)
	}
	// Scalars every term has (by key).
	counts := map[string]int{}
	for i, t := range ts {
		seen := map[string]int{}
		for _, f := range t.scalars {
			seen[c.key(f)]++
		}
		for k, n := range seen {
			if i == 0 {
				counts[k] = n
			} else if n < counts[k] {
				counts[k] = n
			}
		}
		for k := range counts {
			if _, ok := seen[k]; !ok {
				delete(counts, k)
			}
		}
		if len(counts) == 0 {
			break // no scalar is common to all
		}
	}
	for _, f := range ts[0].scalars {
		if counts[c.key(f)] > 0 {
			outer.scalars = append(outer.scalars, f)
			counts[c.key(f)]--
		}
	}
	var rest []ast.Expr
	for _, t := range ts {
		u := t
		if !ratIs(outer.coef, 1) {
			u.coef = new(big.Rat).Quo(t.coef, outer.coef)
		}
		if len(outer.scalars) == 0 {
			rest = append(rest, u.build())
			continue
		}
		u.scalars = nil
		taken := map[string]int{}
		for _, f := range outer.scalars {
			taken[c.key(f)]++
		}
		for _, f := range t.scalars {
			if k := c.key(f); taken[k] > 0 {
				taken[k]--
				continue
			}
			u.scalars = append(u.scalars, f)
		}
		rest = append(rest, u.build())
	}
	return outer, rest
}

func factorScalars(c *Context, e ast.Expr) ast.Expr {
	s, ok := e.(*ast.Sum)
	if !ok {
		return nil
	}
	// A first term without scalar factors shares none: most sums stop
	// here, before any table is made.
	if len(s.Terms) == 0 || isNumber(s.Terms[0]) || len(c.split(s.Terms[0]).scalars) == 0 {
		return nil
	}
	parts := make([]term, len(s.Terms))
	var common map[string]int
	for i, x := range s.Terms {
		if isNumber(x) {
			return nil
		}
		parts[i] = c.split(x)
		seen := map[string]int{}
		for _, f := range parts[i].scalars {
			seen[c.key(f)]++
		}
		if i == 0 {
			if len(seen) == 0 {
				return nil
			}
			common = seen
			continue
		}
		for k, n := range common {
			if seen[k] < n {
				common[k] = seen[k]
			}
			if common[k] == 0 {
				delete(common, k)
			}
		}
		if len(common) == 0 {
			return nil // nothing shared: stop early in long sums
		}
	}
	if len(common) == 0 {
		return nil
	}
	var outer []ast.Expr
	taken := map[string]int{}
	for _, f := range parts[0].scalars {
		if k := c.key(f); taken[k] < common[k] {
			taken[k]++
			outer = append(outer, f)
		}
	}
	rest := make([]ast.Expr, len(parts))
	for i, t := range parts {
		left := map[string]int{}
		for k, n := range common {
			left[k] = n
		}
		u := t
		u.scalars = nil
		for _, f := range t.scalars {
			if k := c.key(f); left[k] > 0 {
				left[k]--
				continue
			}
			u.scalars = append(u.scalars, f)
		}
		rest[i] = u.build()
	}
	out := product(append(outer, sum(rest...))...)
	if c.size(out) > c.size(e) {
		return nil // s x + s -> s (x + 1) would grow
	}
	return out
}

// factorSharedScalar takes the scalar factor that the most terms of a
// sum share, two or more but not all (factor-scalars takes that), out of
// those terms, with what else they all share: a A + a B + b C -> a (A +
// B) + b C, when the group's other scalar factors stand in no other term.
// Among factors shared by as many terms the one with the least
// key goes, so that the order of the terms does not choose. The factored
// term stands where the first of its terms stood; the sum is kept when
// smaller.
func factorSharedScalar(c *Context, e ast.Expr) ast.Expr {
	s, ok := e.(*ast.Sum)
	if !ok || !c.mayShareScalar(s) {
		return nil
	}
	count := map[string]int{}
	for _, x := range s.Terms {
		seen := map[string]bool{}
		for _, f := range c.split(x).scalars {
			if k := c.key(f); !seen[k] {
				seen[k] = true
				count[k]++
			}
		}
	}
	best := ""
	for k, n := range count {
		if n >= 2 && n < len(s.Terms) && (best == "" || n > count[best] || n == count[best] && k < best) {
			best = k
		}
	}
	if best == "" {
		return nil
	}
	var group []int
	in := make([]bool, len(s.Terms))
	for i, x := range s.Terms {
		for _, f := range c.split(x).scalars {
			if c.key(f) == best {
				group = append(group, i)
				in[i] = true
				break
			}
		}
	}
	inner := make([]term, len(group))
	for j, i := range group {
		inner[j] = c.split(s.Terms[i])
	}
	// The group's other scalar factors must not stand in the other terms
	// too (a polynomial in alpha and beta is left as it is).
	others := map[string]bool{}
	for _, t := range inner {
		for _, f := range t.scalars {
			if k := c.key(f); k != best {
				others[k] = true
			}
		}
	}
	for i, x := range s.Terms {
		if in[i] {
			continue
		}
		for _, f := range c.split(x).scalars {
			if others[c.key(f)] {
				return nil
			}
		}
	}
	outer, rest := c.pullCommon(inner)
	outer.chain = []ast.Expr{sum(rest...)}
	terms := make([]ast.Expr, 0, len(s.Terms)-len(group)+1)
	for i, x := range s.Terms {
		switch {
		case i == group[0]:
			terms = append(terms, outer.build())
		case !in[i]:
			terms = append(terms, x)
		}
	}
	out := sum(terms...)
	if c.size(out) >= c.size(e) {
		return nil
	}
	return out
}

// mayShareScalar reports whether at least two terms of s have a scalar
// factor (a check that allocates nothing, before factorSharedScalar's
// tables).
func (c *Context) mayShareScalar(s *ast.Sum) bool {
	n := 0
	for _, x := range s.Terms {
		if len(c.split(x).scalars) > 0 {
			n++
		}
	}
	return n >= 2
}

func factorRight(c *Context, e ast.Expr) ast.Expr { return c.factorSide(e, true) }
func factorLeft(c *Context, e ast.Expr) ast.Expr  { return c.factorSide(e, false) }

// termLess orders the terms of a sum: positive before negative, numeric
// constants first, then terms with more factors, then factor by factor by
// key.
func (c *Context) termLess(a, b ast.Expr) bool {
	ta, tb := c.split(a), c.split(b)
	na, nb := ta.coef.Sign() < 0, tb.coef.Sign() < 0
	if na != nb {
		return nb
	}
	ca, cb := isNumber(a), isNumber(b)
	if ca != cb {
		return ca
	}
	la, lb := len(ta.scalars)+len(ta.chain), len(tb.scalars)+len(tb.chain)
	if la != lb {
		return la > lb
	}
	for i := 0; i < la; i++ {
		ka, kb := c.key(ta.factor(i)), c.key(tb.factor(i))
		if ka != kb {
			return ka < kb
		}
	}
	return c.key(a) < c.key(b)
}

// factor is the i-th factor of t after its coefficient: its scalars, then
// its chain.
func (t term) factor(i int) ast.Expr {
	if i < len(t.scalars) {
		return t.scalars[i]
	}
	return t.chain[i-len(t.scalars)]
}

func orderTerms(c *Context, e ast.Expr) ast.Expr {
	s, ok := e.(*ast.Sum)
	if !ok {
		return nil
	}
	// A short sum in order is found so without allocating. Otherwise each
	// term's rank is looked up once, not at every comparison; a sum
	// already in order (the usual case after the first time) is left as it
	// is without sorting.
	if len(s.Terms) <= 8 {
		inOrder := true
		for i := 1; i < len(s.Terms) && inOrder; i++ {
			inOrder = !c.termLess(s.Terms[i], s.Terms[i-1])
		}
		if inOrder {
			return nil
		}
	}
	ranks := make([]termRank, len(s.Terms))
	for i, t := range s.Terms {
		ranks[i] = c.rankOf(t)
	}
	inOrder := true
	for i := 1; i < len(ranks) && inOrder; i++ {
		inOrder = !c.rankLess(&ranks[i], &ranks[i-1])
	}
	if inOrder {
		return nil
	}
	sort.SliceStable(ranks, func(i, j int) bool { return c.rankLess(&ranks[i], &ranks[j]) })
	sorted := make([]ast.Expr, len(ranks))
	changed := false
	for i := range ranks {
		sorted[i] = ranks[i].e
		changed = changed || sorted[i] != s.Terms[i]
	}
	if !changed {
		return nil
	}
	return sum(sorted...)
}

// termRank is what termLess compares of a term, gathered once.
type termRank struct {
	e        ast.Expr
	neg, num bool
	keys     []string // the keys of its factors after the coefficient
}

func (c *Context) rankOf(e ast.Expr) termRank {
	t := c.split(e)
	r := termRank{e: e, neg: t.coef.Sign() < 0, num: isNumber(e)}
	n := len(t.scalars) + len(t.chain)
	r.keys = make([]string, n)
	for i := range n {
		r.keys[i] = c.key(t.factor(i))
	}
	return r
}

// rankLess is termLess on ranks.
func (c *Context) rankLess(a, b *termRank) bool {
	if a.neg != b.neg {
		return b.neg
	}
	if a.num != b.num {
		return a.num
	}
	if len(a.keys) != len(b.keys) {
		return len(a.keys) > len(b.keys)
	}
	for i := range a.keys {
		if a.keys[i] != b.keys[i] {
			return a.keys[i] < b.keys[i]
		}
	}
	return c.key(a.e) < c.key(b.e)
}

func negateSum(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok || len(p.Factors) != 2 || !isValue(p.Factors[0], -1) {
		return nil
	}
	s, ok := p.Factors[1].(*ast.Sum)
	if !ok {
		return nil
	}
	terms := make([]ast.Expr, len(s.Terms))
	for i, t := range s.Terms {
		terms[i] = c.negate(t)
	}
	return sum(terms...)
}

// negate returns -t with the sign folded into its coefficient.
func (c *Context) negate(t ast.Expr) ast.Expr {
	if n, ok := t.(*ast.Number); ok {
		return &ast.Number{Value: new(big.Rat).Neg(n.Value), Decimal: n.Decimal}
	}
	parts := c.split(t)
	parts.coef = new(big.Rat).Neg(parts.coef)
	return parts.build()
}

// commonCoefficient returns the coefficient every term of s has and the
// terms without it, or nil when the terms' coefficients differ.
func (c *Context) commonCoefficient(s *ast.Sum) (*ast.Number, []ast.Expr) {
	coef, decimal := c.sharedCoefficient(s)
	if coef == nil {
		return nil, nil
	}
	return &ast.Number{Value: new(big.Rat).Abs(coef), Decimal: decimal}, c.withoutCoefficients(s)
}

// sharedCoefficient returns a coefficient whose magnitude every term of s
// has (the first term's, with its sign), and whether one of them was
// written as a decimal; nil when the magnitudes differ or are 0 or 1. It
// builds nothing, so that the rules that ask can cheaply learn no.
func (c *Context) sharedCoefficient(s *ast.Sum) (*big.Rat, bool) {
	var coef *big.Rat
	decimal := false
	for _, x := range s.Terms {
		var t term
		if n, ok := x.(*ast.Number); ok {
			t = term{coef: n.Value, decimal: n.Decimal}
		} else {
			t = c.split(x)
		}
		if coef == nil {
			coef = t.coef
		} else if !sameMagnitude(coef, t.coef) {
			return nil, false
		}
		decimal = decimal || t.decimal
	}
	if coef == nil || coef.Sign() == 0 || ratIs(coef, 1) || ratIs(coef, -1) {
		return nil, false
	}
	return coef, decimal
}

// sameMagnitude reports whether |a| = |b|.
func sameMagnitude(a, b *big.Rat) bool {
	if a.IsInt() != b.IsInt() || a.Num().CmpAbs(b.Num()) != 0 {
		return false
	}
	return a.IsInt() || a.Denom().Cmp(b.Denom()) == 0
}

// withoutCoefficients returns the terms of s with their coefficients
// replaced by their signs.
func (c *Context) withoutCoefficients(s *ast.Sum) []ast.Expr {
	terms := make([]ast.Expr, len(s.Terms))
	for i, x := range s.Terms {
		var t term
		if n, ok := x.(*ast.Number); ok {
			t = term{coef: n.Value}
		} else {
			t = c.split(x)
		}
		t.coef = signOf(t.coef)
		t.decimal = false
		terms[i] = t.build()
	}
	return terms
}

// signOf is the sign of r as a Rat (never modified).
func signOf(r *big.Rat) *big.Rat {
	if r.Sign() < 0 {
		return ratMinusOne
	}
	return ratOne
}

// ratMinusOne is the coefficient -1; never modified.
var ratMinusOne = big.NewRat(-1, 1)

// commonFraction takes out a fractional coefficient that every term of a
// sum has. (An integer one stays: 2 X^T (X w - y) + 2 lambda w.)
func commonFraction(c *Context, e ast.Expr) ast.Expr {
	s, ok := e.(*ast.Sum)
	if !ok {
		return nil
	}
	coef, _ := c.sharedCoefficient(s)
	if coef == nil || coef.IsInt() {
		return nil
	}
	n, terms := c.commonCoefficient(s)
	out := product(n, sum(terms...))
	if c.size(out) > c.size(e) {
		return nil // 1.5 + 1.5 alpha y stays: 1.5 (1 + alpha y) is larger
	}
	return out
}

// sumFactorCoefficient takes a coefficient that every term of a sum has
// out of the sum when the sum is a factor of a product.
func sumFactorCoefficient(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok {
		return nil
	}
	for i, f := range p.Factors {
		s, ok := f.(*ast.Sum)
		if !ok {
			continue
		}
		coef, terms := c.commonCoefficient(s)
		if coef == nil {
			continue
		}
		fs := append([]ast.Expr{coef}, p.Factors...)
		fs[i+1] = sum(terms...)
		out := product(fs...)
		if c.size(out) > c.size(e) {
			// A 1×1 run that was a factor of a term becomes a term of its
			// own, which counts its product: -(2 u^T B y - 2) stays for
			// negate-sum (2 - 2 u^T B y), not -2 (u^T B y - 1).
			continue
		}
		return out
	}
	return nil
}
