package simplify

import (
	"math/big"

	"github.com/matdiff/matdiff/ast"
)

// Bounds of common-denominator and distribute-scalars: the terms with a
// denominator looked at (pairs of them are tried), the size of the terms
// a rule simplifies on its own, and the power by which a numerator may
// be multiplied.
const (
	maxFractions   = 8
	maxExpandNodes = 512
	maxLift        = 3
)

// denominator is a scalar factor base^exp of a term, with exp < 0 and
// base not a number.
type denominator struct {
	base ast.Expr
	key  string
	exp  *big.Rat
}

// denominators lists the scalar factors of t that are negative powers.
func (c *Context) denominators(t term) []denominator {
	var out []denominator
	for _, f := range t.scalars {
		if p, ok := f.(*ast.Power); ok && p.Exp.Sign() < 0 && !isNumber(p.X) {
			out = append(out, denominator{base: p.X, key: c.key(p.X), exp: p.Exp})
		}
	}
	return out
}

// commonDenominator writes two terms of a sum that share a denominator as
// one fraction over their least common denominator, with the numerator
// expanded and simplified on its own, and keeps the one that shrinks the
// pair most: 1/(1 + a) - a/(1 + a)^2 -> ((1 + a) - a)/(1 + a)^2 ->
// 1/(1 + a)^2. Like distribute-elementwise it does not run inside
// another rule's simplification.
func commonDenominator(c *Context, e ast.Expr) ast.Expr {
	s, ok := e.(*ast.Sum)
	if !ok || c.nested > 0 {
		return nil
	}
	var at []int
	var ds [][]denominator
	for i, x := range s.Terms {
		d := c.denominators(c.split(x))
		if len(d) == 0 {
			continue
		}
		if len(at) == maxFractions {
			return nil
		}
		at = append(at, i)
		ds = append(ds, d)
	}
	return c.mergeBestPair(s, at, func(a, b int) ast.Expr {
		if !shareBase(ds[a], ds[b]) {
			return nil
		}
		return c.overCommonDenominator(s.Terms[at[a]], s.Terms[at[b]], ds[a], ds[b])
	})
}

// mergeBestPair tries every pair of the terms of s at the indices at, of
// maxExpandNodes nodes at most together; merge(a, b) is the one term for
// the terms at at[a] and at[b], or nil. It returns s with the pair that
// shrinks most replaced by its term, or nil when no pair shrinks.
func (c *Context) mergeBestPair(s *ast.Sum, at []int, merge func(a, b int) ast.Expr) ast.Expr {
	var best ast.Expr
	bi, bj, gain := -1, -1, 0
	for a := range at {
		for b := a + 1; b < len(at); b++ {
			size := c.size(s.Terms[at[a]]) + c.size(s.Terms[at[b]])
			if size > maxExpandNodes {
				continue
			}
			if out := merge(a, b); out != nil && size-c.size(out) > gain {
				best, bi, bj, gain = out, at[a], at[b], size-c.size(out)
			}
		}
	}
	if best == nil {
		return nil
	}
	terms := make([]ast.Expr, 0, len(s.Terms))
	for i, x := range s.Terms {
		switch i {
		case bi:
			terms = append(terms, best)
		case bj:
		default:
			terms = append(terms, x)
		}
	}
	return sum(terms...)
}

// shareBase reports whether two lists of denominators have a base in
// common.
func shareBase(a, b []denominator) bool {
	for _, u := range a {
		for _, v := range b {
			if u.key == v.key {
				return true
			}
		}
	}
	return false
}

// overCommonDenominator is x + y as one fraction, simplified: the least
// common denominator takes each base at the lower of its two exponents,
// and each numerator is multiplied by the powers it lacks, distributed
// over the terms of those bases (x/(1 + a) -> x + a x over (1 + a)^2).
// It returns nil when a numerator would need an integer power above
// maxLift or would expand to too many terms.
func (c *Context) overCommonDenominator(x, y ast.Expr, dx, dy []denominator) ast.Expr {
	type base struct {
		expr   ast.Expr
		key    string
		ex, ey *big.Rat // exponents in x and y, 0 when absent
	}
	var bases []*base
	find := func(d denominator) *base {
		for _, b := range bases {
			if b.key == d.key {
				return b
			}
		}
		b := &base{expr: d.base, key: d.key, ex: new(big.Rat), ey: new(big.Rat)}
		bases = append(bases, b)
		return b
	}
	for _, d := range dx {
		b := find(d)
		b.ex.Add(b.ex, d.exp)
	}
	for _, d := range dy {
		b := find(d)
		b.ey.Add(b.ey, d.exp)
	}
	var lcd, liftX, liftY []ast.Expr
	for _, b := range bases {
		low := b.ex
		if b.ey.Cmp(low) < 0 {
			low = b.ey
		}
		lcd = append(lcd, &ast.Power{X: b.expr, Exp: low})
		for _, side := range []struct {
			exp  *big.Rat
			lift *[]ast.Expr
		}{{b.ex, &liftX}, {b.ey, &liftY}} {
			// An integer power is so many factors, which expandFactors
			// distributes when the base is a sum; another is one factor.
			k := new(big.Rat).Sub(side.exp, low)
			n, small := smallInt(k, maxLift)
			switch {
			case !k.IsInt():
				*side.lift = append(*side.lift, &ast.Power{X: b.expr, Exp: k})
			case k.Sign() > 0 && !small:
				return nil
			default:
				for range n {
					*side.lift = append(*side.lift, b.expr)
				}
			}
		}
	}
	nx := c.expandFactors(c.withoutDenominators(c.split(x)), liftX)
	ny := c.expandFactors(c.withoutDenominators(c.split(y)), liftY)
	if nx == nil || ny == nil || len(nx)+len(ny) > maxExpanded {
		return nil
	}
	out, ok := c.simplifyNested(product(append(lcd, sum(append(nx, ny...)...))...))
	if !ok {
		return nil
	}
	return out
}

// withoutDenominators is t without the scalar factors that denominators
// lists.
func (c *Context) withoutDenominators(t term) term {
	var kept []ast.Expr
	for _, f := range t.scalars {
		if p, ok := f.(*ast.Power); ok && p.Exp.Sign() < 0 && !isNumber(p.X) {
			continue
		}
		kept = append(kept, f)
	}
	t.scalars = kept
	return t
}

// quotient is a term of a sum that is an elementwise quotient by a power
// of a base, num ./ base.^exp, with the term's scalars in num.
type quotient struct {
	num, base ast.Expr
	key       string
	exp       *big.Rat
}

// quotientOf takes a term apart as a quotient: 2 y ./ (1 + x).^2, y ./
// sqrt(u) (u to the 1/2), y ./ u.
func (c *Context) quotientOf(x ast.Expr) (quotient, bool) {
	t := c.split(x)
	if len(t.chain) != 1 {
		return quotient{}, false
	}
	q, ok := t.chain[0].(*ast.ElemDiv)
	if !ok || c.scalar(q.Y) || c.scalar(q.X) && !isNumber(q.X) {
		return quotient{}, false
	}
	base, exp := q.Y, ratOne
	switch d := q.Y.(type) {
	case *ast.ElemPower:
		if d.Exp.Sign() > 0 {
			base, exp = d.X, d.Exp
		}
	case *ast.Call:
		if d.Func == "sqrt" {
			base, exp = d.Args[0], big.NewRat(1, 2)
		}
	}
	t.chain = []ast.Expr{q.X}
	return quotient{num: t.build(), base: base, key: c.key(base), exp: exp}, true
}

// commonElementwiseDenominator writes two elementwise quotients of a sum
// by powers of one base, whose exponents differ by an integer of at most
// maxLift, as one quotient by the higher power, the lower's numerator
// multiplied by the base the difference times, expanded and simplified;
// it keeps the pair that shrinks most: 1 ./ (1 + x) - x ./ (1 + x).^2 ->
// ((1 + x) - x) ./ (1 + x).^2 -> 1 ./ (1 + x).^2. Like common-denominator
// it does not run inside another rule's simplification.
func commonElementwiseDenominator(c *Context, e ast.Expr) ast.Expr {
	s, ok := e.(*ast.Sum)
	if !ok || c.nested > 0 || c.scalar(s) {
		return nil
	}
	var at []int
	var qs []quotient
	for i, x := range s.Terms {
		q, ok := c.quotientOf(x)
		if !ok {
			continue
		}
		if len(at) == maxFractions {
			return nil
		}
		at, qs = append(at, i), append(qs, q)
	}
	return c.mergeBestPair(s, at, func(a, b int) ast.Expr {
		if qs[a].key != qs[b].key {
			return nil
		}
		return c.overCommonBase(qs[a], qs[b])
	})
}

// overCommonBase is x + y as one quotient by the higher power of their
// base, simplified, or nil.
func (c *Context) overCommonBase(x, y quotient) ast.Expr {
	if x.exp.Cmp(y.exp) > 0 {
		x, y = y, x
	}
	n, ok := smallInt(new(big.Rat).Sub(y.exp, x.exp), maxLift)
	if !ok {
		return nil
	}
	lifted := x.num
	for range n {
		if c.scalar(lifted) {
			lifted = product(lifted, x.base)
		} else {
			lifted = &ast.Hadamard{X: lifted, Y: x.base}
		}
	}
	nx, ny := c.expand(lifted), c.expand(y.num)
	if nx == nil || ny == nil || len(nx)+len(ny) > maxExpanded {
		return nil
	}
	var den ast.Expr = &ast.ElemPower{X: x.base, Exp: y.exp}
	if ratIs(y.exp, 1) {
		den = x.base
	}
	out, ok := c.simplifyNested(&ast.ElemDiv{X: sum(append(nx, ny...)...), Y: den})
	if !ok {
		return nil
	}
	return out
}
