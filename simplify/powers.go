package simplify

import (
	"math/big"
	"slices"
	"sort"

	"github.com/matdiff/matdiff/ast"
)

// powerRules handle powers and inverses.
var powerRules = []Rule{
	{Name: "power-one", Doc: "x^1 -> x; x^0 -> 1 (I for a matrix)", Apply: powerOne, On: OnPower},
	{Name: "power-power", Doc: "(x^a)^k -> x^(a k) for a scalar and an integer k", Apply: powerPower, On: OnPower},
	{Name: "power-product", Doc: "(2 a)^k -> 2^k a^k for scalar factors and an integer k, when not larger", Apply: powerProduct, On: OnPower},
	{Name: "power-sum-coefficient", Doc: "(2 a + 2 b)^k -> 2^k (a + b)^k; 1/(-a - b) -> -1/(a + b)", Apply: powerSumCoefficient, On: OnPower},
	{Name: "merge-powers", Doc: "s s^-1 -> 1; s s -> s^2 for scalar factors", Apply: mergePowers, On: OnProduct},
	{Name: "inverse-scalar", Doc: "s^-1 (inverse) -> s^-1 (power) for a scalar", Apply: inverseScalar, On: OnInverse},
	{Name: "inverse-inverse", Doc: "(X^-1)^-1 -> X", Apply: inverseInverse, On: OnInverse},
	{Name: "inverse-identity", Doc: "I^-1 -> I", Apply: inverseIdentity, On: OnInverse},
	{Name: "inverse-power", Doc: "(X^-1)^k -> X^-k; X^-1 as a power -> the inverse", Apply: inversePower, On: OnPower},
	{Name: "inverse-scaled", Doc: "(2 alpha X)^-1 -> X^-1/(2 alpha), when not larger", Apply: inverseScaled, On: OnInverse},
}

func powerOne(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Power)
	if !ok {
		return nil
	}
	switch {
	case ratIs(p.Exp, 1):
		return p.X
	case p.Exp.Sign() == 0:
		s := c.shape(p.X)
		if s.IsScalar() {
			return ast.Int(1)
		}
		return &ast.Identity{N: s.Rows}
	}
	return nil
}

func powerPower(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Power)
	if !ok || !p.Exp.IsInt() || !c.scalar(p.X) {
		return nil
	}
	inner, ok := p.X.(*ast.Power)
	if !ok {
		return nil
	}
	return &ast.Power{X: inner.X, Exp: new(big.Rat).Mul(inner.Exp, p.Exp)}
}

func powerProduct(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Power)
	if !ok || !p.Exp.IsInt() || !c.scalar(p.X) {
		return nil
	}
	q, ok := p.X.(*ast.Product)
	if !ok {
		return nil
	}
	t := c.split(q)
	if len(t.scalars) == 0 && ratIs(t.coef, 1) {
		return nil // a single 1×1 chain: (x^T y)^2 stays
	}
	var fs []ast.Expr
	if !ratIs(t.coef, 1) {
		var k ast.Expr = &ast.Power{X: &ast.Number{Value: t.coef, Decimal: t.decimal}, Exp: p.Exp}
		if v, ok := ratPow(t.coef, p.Exp); ok {
			k = &ast.Number{Value: v, Decimal: t.decimal}
		}
		fs = append(fs, k)
	}
	for _, s := range t.scalars {
		fs = append(fs, raise(s, p.Exp))
	}
	if len(t.chain) > 0 {
		fs = append(fs, &ast.Power{X: product(t.chain...), Exp: p.Exp})
	}
	out := product(fs...)
	if c.size(out) > c.size(e) {
		return nil // (alpha x^T x)^2 stays: alpha^2 (x^T x)^2 is larger
	}
	return out
}

// raise returns the scalar s to the integer power k, merging a power of
// s's own as power-power would ((b^a)^k is b^(a k)), so that the size
// power-product compares is that of what the rules lead to: 1/(alpha/(x^T
// x)) is (x^T x)/alpha.
func raise(s ast.Expr, k *big.Rat) ast.Expr {
	b, a := base(s)
	if a == ratOne {
		return &ast.Power{X: s, Exp: k}
	}
	ak := new(big.Rat).Mul(a, k)
	if ratIs(ak, 1) {
		return b
	}
	return &ast.Power{X: b, Exp: ak}
}

// base splits a scalar factor into base and exponent.
func base(f ast.Expr) (ast.Expr, *big.Rat) {
	if p, ok := f.(*ast.Power); ok {
		return p.X, p.Exp
	}
	return f, ratOne
}

func mergePowers(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok {
		return nil
	}
	// The scalar factors other than numbers, in order, are split's: two
	// are needed, and a long chain is not looked over again.
	scalars := c.split(p).scalars
	if len(scalars) < 2 {
		return nil
	}
	scalars = c.splitSharedPowers(scalars)
	type group struct {
		base ast.Expr
		exp  *big.Rat
		n    int
	}
	var groups []*group
	byKey := map[string]*group{}
	merged := false
	var fs []ast.Expr
	for _, f := range scalars {
		b, x := base(f)
		k := c.key(b)
		if g, ok := byKey[k]; ok {
			g.exp = new(big.Rat).Add(g.exp, x)
			g.n++
			merged = true
			continue
		}
		g := &group{base: b, exp: x, n: 1}
		byKey[k] = g
		groups = append(groups, g)
	}
	if !merged {
		return nil
	}
	// Rebuild: numbers, merged scalars in first-seen order, then the chain.
	for _, f := range p.Factors {
		if isNumber(f) {
			fs = append(fs, f)
		}
	}
	for _, g := range groups {
		switch {
		case g.exp.Sign() == 0:
		case ratIs(g.exp, 1):
			fs = append(fs, g.base)
		default:
			fs = append(fs, &ast.Power{X: g.base, Exp: g.exp})
		}
	}
	for _, f := range p.Factors {
		if !isNumber(f) && !c.scalar(f) {
			fs = append(fs, f)
		}
	}
	return product(fs...)
}

// splitSharedPowers takes apart an integer power of a product of scalar
// names and functions when another of the scalar factors has the base of
// one of its factors, so that merge-powers can merge them:
// ||y|| (||x|| ||y||)^-2 -> ||y|| ||x||^-2 ||y||^-2.
func (c *Context) splitSharedPowers(scalars []ast.Expr) []ast.Expr {
	var out []ast.Expr
	for i, f := range scalars {
		pw, ok := f.(*ast.Power)
		var q *ast.Product
		if ok {
			q, ok = pw.X.(*ast.Product)
		}
		if !ok || !pw.Exp.IsInt() || !c.pureScalars(q) || slices.ContainsFunc(q.Factors, isNumber) || !c.sharesBase(q, scalars, i) {
			if out != nil {
				out = append(out, f)
			}
			continue
		}
		if out == nil {
			out = append([]ast.Expr(nil), scalars[:i]...)
		}
		for _, g := range q.Factors {
			b, k := base(g)
			out = append(out, &ast.Power{X: b, Exp: new(big.Rat).Mul(k, pw.Exp)})
		}
	}
	if out == nil {
		return scalars
	}
	return out
}

// sharesBase reports whether a factor of q has the base of one of the
// scalars other than the one at skip.
func (c *Context) sharesBase(q *ast.Product, scalars []ast.Expr, skip int) bool {
	for _, g := range q.Factors {
		bg, _ := base(g)
		k := c.key(bg)
		for j, f := range scalars {
			if bf, _ := base(f); j != skip && c.key(bf) == k {
				return true
			}
		}
	}
	return false
}

func inverseScalar(c *Context, e ast.Expr) ast.Expr {
	inv, ok := e.(*ast.Inverse)
	if !ok || !c.scalar(inv.X) {
		return nil
	}
	return &ast.Power{X: inv.X, Exp: big.NewRat(-1, 1)}
}

func inverseInverse(c *Context, e ast.Expr) ast.Expr {
	inv, ok := e.(*ast.Inverse)
	if !ok {
		return nil
	}
	if inner, ok := inv.X.(*ast.Inverse); ok {
		return inner.X
	}
	return nil
}

func inverseIdentity(c *Context, e ast.Expr) ast.Expr {
	inv, ok := e.(*ast.Inverse)
	if !ok {
		return nil
	}
	if _, ok := inv.X.(*ast.Identity); ok {
		return inv.X
	}
	return nil
}

// sortStable sorts xs by less, keeping equal elements in order.
func sortStable(xs []ast.Expr, less func(a, b ast.Expr) bool) {
	sort.SliceStable(xs, func(i, j int) bool { return less(xs[i], xs[j]) })
}

func inversePower(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Power)
	if !ok || c.scalar(p.X) {
		return nil
	}
	if ratIs(p.Exp, -1) {
		return &ast.Inverse{X: p.X}
	}
	if inv, ok := p.X.(*ast.Inverse); ok {
		return &ast.Power{X: inv.X, Exp: new(big.Rat).Neg(p.Exp)}
	}
	return nil
}

func inverseScaled(c *Context, e ast.Expr) ast.Expr {
	inv, ok := e.(*ast.Inverse)
	if !ok || c.scalar(inv.X) {
		return nil
	}
	p, ok := inv.X.(*ast.Product)
	if !ok {
		return nil
	}
	t := c.split(p)
	if len(t.scalars) == 0 && ratIs(t.coef, 1) {
		return nil
	}
	out := term{coef: new(big.Rat).Inv(t.coef), decimal: t.decimal}
	for _, s := range t.scalars {
		out.scalars = append(out.scalars, &ast.Power{X: s, Exp: big.NewRat(-1, 1)})
	}
	out.chain = []ast.Expr{&ast.Inverse{X: product(t.chain...)}}
	if r := out.build(); c.size(r) <= c.size(e) {
		return r
	}
	return nil // (2 A B)^-1 is smaller than (A B)^-1/2
}

func powerSumCoefficient(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Power)
	if !ok || !p.Exp.IsInt() || !c.scalar(p.X) {
		return nil
	}
	s, ok := p.X.(*ast.Sum)
	if !ok {
		return nil
	}
	coef, terms := c.commonCoefficient(s)
	if coef == nil {
		return nil
	}
	k, ok := ratPow(coef.Value, p.Exp)
	if !ok {
		return nil
	}
	return product(&ast.Number{Value: k, Decimal: coef.Decimal}, &ast.Power{X: sum(terms...), Exp: p.Exp})
}
