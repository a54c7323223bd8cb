package simplify

import (
	"math/big"

	"github.com/matdiff/matdiff/ast"
)

// elementwiseRules cancel and merge equal factors of elementwise products
// and quotients, and of scalar products.
var elementwiseRules = []Rule{
	{Name: "elementwise-cancel", Doc: "u .* v ./ u -> v; (2 u) ./ (3 u) -> 2/3; sqrt(u) .* sqrt(u) -> u; sign(u) .* u -> abs(u)", Apply: elementwiseCancel, On: OnElementwise},
	{Name: "ones-term", Doc: "x ./ x + log(x) -> 1 + log(x): a term that cancels to ones is a broadcast scalar", Apply: onesTermRule, On: OnSum},
	{Name: "ones-product", Doc: "2 (u ./ (2 u)) -> 1: a product that cancels to ones", Apply: onesProduct, On: OnProduct},
	{Name: "sign-times-self", Doc: "sign(a) a -> abs(a) for scalar factors", Apply: signTimesSelf, On: OnProduct},
	{Name: "sqrt-square", Doc: "sqrt(s)^2 -> s; sqrt(u).^2 -> u", Apply: sqrtSquare, On: OnPower | OnElemPower},
}

// factor is one factor u^k of an elementwise monomial.
type factor struct {
	base ast.Expr
	exp  *big.Rat
	key  string
}

// monomial is an elementwise product taken apart: a scalar part (a
// coefficient and scalar factors with their powers) and elementwise
// factors with rational exponents, in order of first appearance.
type monomial struct {
	coef    *big.Rat
	decimal bool
	scalars []ast.Expr
	factors []factor
	merged  bool // two factors had one base
}

func (c *Context) addFactor(m *monomial, base ast.Expr, k *big.Rat) {
	key := c.key(base)
	for i := range m.factors {
		if m.factors[i].key == key {
			m.factors[i].exp = new(big.Rat).Add(m.factors[i].exp, k)
			m.merged = true
			return
		}
	}
	m.factors = append(m.factors, factor{base, new(big.Rat).Set(k), key})
}

// gather adds e^k (k = ±1, or a rational for a power) to the monomial.
func (c *Context) gather(m *monomial, e ast.Expr, k *big.Rat) {
	switch x := e.(type) {
	case *ast.Hadamard:
		if !c.scalar(x.X) && !c.scalar(x.Y) {
			c.gather(m, x.X, k)
			c.gather(m, x.Y, k)
			return
		}
	case *ast.ElemDiv:
		if !c.scalar(x.X) && !c.scalar(x.Y) {
			c.gather(m, x.X, k)
			c.gather(m, x.Y, new(big.Rat).Neg(k))
			return
		}
		if n, ok := x.X.(*ast.Number); ok && !c.scalar(x.Y) {
			if v, ok := ratPow(n.Value, k); ok {
				m.coef = new(big.Rat).Mul(m.coef, v)
				c.gather(m, x.Y, new(big.Rat).Neg(k))
				return
			}
		}
	case *ast.ElemPower:
		if x.Exp.IsInt() && !c.scalar(x.X) {
			c.gather(m, x.X, new(big.Rat).Mul(k, x.Exp))
			return
		}
	case *ast.Call:
		if x.Func == "sqrt" && !c.scalar(x.Args[0]) {
			c.addFactor(m, x.Args[0], new(big.Rat).Mul(k, big.NewRat(1, 2)))
			return
		}
	case *ast.Product:
		t := c.split(x)
		if v, ok := ratPow(t.coef, k); ok && len(t.chain) == 1 && t.coef.Sign() != 0 {
			m.coef = new(big.Rat).Mul(m.coef, v)
			m.decimal = m.decimal || t.decimal
			for _, s := range t.scalars {
				m.scalars = append(m.scalars, powerOf(s, k))
			}
			c.gather(m, t.chain[0], k)
			return
		}
	}
	c.addFactor(m, e, k)
}

// powerOf is s^k, s itself for k = 1.
func powerOf(s ast.Expr, k *big.Rat) ast.Expr {
	if ratIs(k, 1) {
		return s
	}
	return &ast.Power{X: s, Exp: new(big.Rat).Set(k)}
}

// signAbs turns sign(u) .* u^k (k a positive integer) into abs(u) .* u^(k-1).
func (c *Context) signAbs(m *monomial) {
	for i := range m.factors {
		s, ok := call(m.factors[i].base, "sign")
		if !ok || !ratIs(m.factors[i].exp, 1) {
			continue
		}
		k := c.key(s.Args[0])
		for j := range m.factors {
			f := &m.factors[j]
			if f.key != k || !f.exp.IsInt() || f.exp.Sign() <= 0 {
				continue
			}
			abs := &ast.Call{Func: "abs", Args: []ast.Expr{s.Args[0]}}
			m.factors[i] = factor{abs, big.NewRat(1, 1), c.key(abs)}
			f.exp = new(big.Rat).Sub(f.exp, big.NewRat(1, 1))
			m.merged = true
			// abs(u) may meet an abs(u) in the denominator.
			for n := range m.factors {
				if n != i && m.factors[n].key == m.factors[i].key {
					m.factors[n].exp = new(big.Rat).Add(m.factors[n].exp, big.NewRat(1, 1))
					m.factors[i].exp = new(big.Rat)
				}
			}
			break
		}
	}
}

// elementwiseCancel takes an elementwise product or quotient apart into
// its factors and their exponents, and puts it back together when two
// factors share a base: equal factors cancel or merge into a power. When
// every factor cancels, the value is all ones, which this rule leaves to
// the sum and product rules (ones-term, ones-product): as a factor of a
// matrix chain, 1 would not read back as the ones vector.
func elementwiseCancel(c *Context, e ast.Expr) ast.Expr {
	m, ok := c.cancelled(e)
	if !ok {
		return nil
	}
	out := m.elementwise()
	if out == nil {
		return nil
	}
	return m.withScalars(out)
}

// cancelled is the monomial of an elementwise product or quotient e,
// reporting whether any factors merged or cancelled.
func (c *Context) cancelled(e ast.Expr) (*monomial, bool) {
	switch e.(type) {
	case *ast.Hadamard, *ast.ElemDiv:
	default:
		return nil, false
	}
	if c.scalar(e) {
		return nil, false
	}
	m := &monomial{coef: big.NewRat(1, 1)}
	c.gather(m, e, big.NewRat(1, 1))
	c.signAbs(m)
	return m, m.merged
}

// elementwise is the monomial's elementwise part, nil when it is all
// ones.
func (m *monomial) elementwise() ast.Expr {
	var num, den []ast.Expr
	for _, f := range m.factors {
		switch f.exp.Sign() {
		case 1:
			num = append(num, elementPower(f.base, f.exp))
		case -1:
			den = append(den, elementPower(f.base, new(big.Rat).Neg(f.exp)))
		}
	}
	switch {
	case len(num) == 0 && len(den) == 0:
		return nil
	case len(num) == 0:
		return &ast.ElemDiv{X: ast.Int(1), Y: hadamardAll(den)}
	case len(den) == 0:
		return hadamardAll(num)
	}
	return &ast.ElemDiv{X: hadamardAll(num), Y: hadamardAll(den)}
}

// withScalars multiplies x by the monomial's scalar part.
func (m *monomial) withScalars(x ast.Expr) ast.Expr {
	fs := []ast.Expr{}
	if !ratIs(m.coef, 1) {
		fs = append(fs, &ast.Number{Value: m.coef, Decimal: m.decimal})
	}
	fs = append(fs, m.scalars...)
	return product(append(fs, x)...)
}

// allOnes reports whether e is, up to a scalar part, an elementwise
// product or quotient whose factors all cancel, and returns that scalar
// part (with the chain empty).
func (c *Context) allOnes(e ast.Expr) (term, bool) {
	t := c.split(e)
	if len(t.chain) != 1 {
		return t, false
	}
	m, ok := c.cancelled(t.chain[0])
	if !ok || m.elementwise() != nil {
		return t, false
	}
	out := t
	out.coef = new(big.Rat).Mul(t.coef, m.coef)
	out.decimal = t.decimal || m.decimal
	out.scalars = append(append([]ast.Expr(nil), t.scalars...), m.scalars...)
	out.chain = nil
	return out, true
}

// onesTermRule writes a term of a sum whose elementwise factors all
// cancel, or that is a multiple of ones, as the scalar it is, broadcast:
// x ./ x + log(x) -> 1 + log(x); (x^T y) 1 + 3 x -> x^T y + 3 x.
func onesTermRule(c *Context, e ast.Expr) ast.Expr {
	s, ok := e.(*ast.Sum)
	if !ok || c.scalar(s) {
		return nil
	}
	terms := append([]ast.Expr(nil), s.Terms...)
	changed, wide := false, false
	for i, x := range terms {
		if t, ok := c.allOnes(x); ok {
			terms[i] = t.build()
			changed = true
		} else if t, ok := c.onesTerm(x); ok && !c.scalar(x) {
			t.chain = nil
			terms[i] = t.build()
			changed = true
		} else if !c.scalar(x) {
			wide = true
		}
	}
	if !changed || !wide {
		return nil
	}
	return sum(terms...)
}

// onesProduct writes a product whose one chain factor is an elementwise
// product or quotient that cancels as its scalars times ones:
// 2 (sqrt(x) ./ (2 sqrt(x))) -> 1. (Such a product is never itself a
// factor of a chain: it would have been spliced into it.)
func onesProduct(c *Context, e ast.Expr) ast.Expr {
	if _, ok := e.(*ast.Product); !ok || !c.shape(e).IsVector() {
		return nil // the ones matrix 1 1^T would not read back
	}
	t, ok := c.allOnes(e)
	if !ok {
		return nil
	}
	t.chain = []ast.Expr{c.onesOf(e)}
	return t.build()
}

// elementPower is u.^k, with sqrt(u) for k = 1/2.
func elementPower(u ast.Expr, k *big.Rat) ast.Expr {
	switch {
	case ratIs(k, 1):
		return u
	case k.Cmp(big.NewRat(1, 2)) == 0:
		return &ast.Call{Func: "sqrt", Args: []ast.Expr{u}}
	}
	return &ast.ElemPower{X: u, Exp: k}
}

func hadamardAll(fs []ast.Expr) ast.Expr {
	out := fs[0]
	for _, f := range fs[1:] {
		out = &ast.Hadamard{X: out, Y: f}
	}
	return out
}

// onesOf is the all-ones value of e's shape: 1, 1^T or 1 1^T.
func (c *Context) onesOf(e ast.Expr) ast.Expr {
	s := c.shape(e)
	switch {
	case s.Cols.IsOne():
		return &ast.Ones{N: s.Rows}
	case s.Rows.IsOne():
		return transpose(&ast.Ones{N: s.Cols})
	}
	return product(&ast.Ones{N: s.Rows}, transpose(&ast.Ones{N: s.Cols}))
}

// signTimesSelf merges sign(a) with a scalar factor a of the same product
// into abs(a).
func signTimesSelf(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok {
		return nil
	}
	for i, f := range p.Factors {
		s, ok := call(f, "sign")
		if !ok || !c.scalar(f) {
			continue
		}
		k := c.key(s.Args[0])
		for j, g := range p.Factors {
			if j == i || c.key(g) != k {
				continue
			}
			fs := append([]ast.Expr(nil), p.Factors...)
			fs[i] = &ast.Call{Func: "abs", Args: []ast.Expr{s.Args[0]}}
			fs = append(fs[:j], fs[j+1:]...)
			return product(fs...)
		}
	}
	return nil
}

// sqrtSquare drops a square root squared: sqrt(s)^2 is s, sqrt(u).^2 is u
// (where the root is defined).
func sqrtSquare(c *Context, e ast.Expr) ast.Expr {
	var x ast.Expr
	var k *big.Rat
	switch p := e.(type) {
	case *ast.Power:
		x, k = p.X, p.Exp
	case *ast.ElemPower:
		x, k = p.X, p.Exp
	default:
		return nil
	}
	s, ok := call(x, "sqrt")
	if !ok || !k.IsInt() || k.Num().Int64()%2 != 0 || k.Sign() == 0 {
		return nil
	}
	half := new(big.Rat).Quo(k, big.NewRat(2, 1))
	if ratIs(half, 1) {
		return s.Args[0]
	}
	if _, ok := e.(*ast.Power); ok {
		return &ast.Power{X: s.Args[0], Exp: half}
	}
	return &ast.ElemPower{X: s.Args[0], Exp: half}
}
