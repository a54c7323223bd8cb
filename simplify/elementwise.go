package simplify

import (
	"math/big"
	"slices"
	"sort"

	"github.com/matdiff/matdiff/ast"
)

// elementwiseRules cancel and merge equal factors of elementwise products
// and quotients, and of scalar products.
var elementwiseRules = []Rule{
	{Name: "elementwise-cancel", Doc: "u .* v ./ u -> v; v ./ (3 u) -> (v ./ u)/3; sqrt(u) .* sqrt(u) -> u; sign(u) .* u -> abs(u); sign(u) ./ abs(u) -> 1 ./ u", Apply: elementwiseCancel, On: OnElementwise},
	{Name: "ones-term", Doc: "x ./ x + log(x) -> 1 + log(x): a term that cancels to ones is a broadcast scalar", Apply: onesTermRule, On: OnSum},
	{Name: "ones-product", Doc: "2 (u ./ (2 u)) -> 1: a product that cancels to ones; 2/3 (u ./ (2 u)) -> (u ./ u)/3 and alpha (u ./ (2 u)) -> alpha (u ./ u)/2 with another coefficient or scalars", Apply: onesProduct, On: OnProduct, Needs: OnElementwise},
	{Name: "ones-factor", Doc: "A^T (u ./ u) -> A^T 1: a vector of a longer chain that cancels to ones, after a matrix or a row (a row before a matrix or a column)", Apply: onesFactor, On: OnProduct, Needs: OnElementwise},
	{Name: "quotient-inner", Doc: "(a ./ b)^T b -> a^T 1; b^T (a ./ b) -> 1^T a", Apply: quotientInner, On: OnProduct, Needs: OnElemDiv},
	{Name: "ones-sum", Doc: "1^T u -> sum(u); u^T 1 -> sum(u)", Apply: onesSum, On: OnProduct, Needs: OnOnes},
	{Name: "sign-times-self", Doc: "sign(a) a -> abs(a); sign(a)/abs(a) -> 1/a; sign(a) abs(a) -> a for scalar factors", Apply: signTimesSelf, On: OnProduct, Needs: OnCall},
	{Name: "sqrt-square", Doc: "sqrt(s)^2 -> s; sqrt(u).^2 -> u", Apply: sqrtSquare, On: OnPower | OnElemPower},
	{Name: "factor-elementwise", Doc: "u .* z + 2 v .* z -> (u + 2 v) .* z: an operand that elementwise products among the terms share", Apply: factorElementwise, On: OnSum, AnyOrder: true},
}

// factorElementwise takes out of the terms that are elementwise products
// the operands they share, the one most of them share first (the largest
// of those, when several are shared by as many): for each, the terms'
// other operands, with their coefficients and scalar factors, become one
// sum.
func factorElementwise(c *Context, e ast.Expr) ast.Expr {
	s, ok := e.(*ast.Sum)
	if !ok || len(s.Terms) < 2 || c.scalar(s) {
		return nil
	}
	products := 0 // terms that are elementwise products: two are needed
	for _, x := range s.Terms {
		if t := c.split(x); len(t.chain) == 1 {
			if _, ok := t.chain[0].(*ast.Hadamard); ok {
				products++
			}
		}
	}
	if products < 2 {
		return nil
	}
	type part struct {
		t    term
		ops  []ast.Expr
		keys []string
	}
	parts := make([]part, len(s.Terms))
	count := map[string]int{}
	shared := false
	for i, x := range s.Terms {
		t := c.split(x)
		if len(t.chain) != 1 {
			continue
		}
		h, ok := t.chain[0].(*ast.Hadamard)
		if !ok {
			continue
		}
		p := part{t: t, ops: hadamardOperands(h, nil)}
		for j, o := range p.ops {
			k := c.key(o)
			p.keys = append(p.keys, k)
			if !slices.Contains(p.keys[:j], k) {
				count[k]++
				shared = shared || count[k] > 1
			}
		}
		parts[i] = p
	}
	if !shared {
		return nil
	}
	// The shared operands, most shared first (then the largest, then the
	// first met), each take the terms that hold it and no earlier one:
	// every group is formed in one pass, so that a long sum of products
	// that share operands pairwise (x1 .* x2 + x2 .* x3 + …) is not
	// rewritten once per pair.
	type cand struct {
		key       string
		n, size   int
		op        ast.Expr
		termsWith []int
	}
	byKey := map[string]*cand{}
	var cands []*cand
	for i, p := range parts {
		for j, k := range p.keys {
			if count[k] < 2 || slices.Contains(p.keys[:j], k) {
				continue
			}
			cd := byKey[k]
			if cd == nil {
				cd = &cand{key: k, n: count[k], size: c.size(p.ops[j]), op: p.ops[j]}
				byKey[k] = cd
				cands = append(cands, cd)
			}
			cd.termsWith = append(cd.termsWith, i)
		}
	}
	sort.SliceStable(cands, func(a, b int) bool {
		if cands[a].n != cands[b].n {
			return cands[a].n > cands[b].n
		}
		return cands[a].size > cands[b].size
	})
	group := make([]int, len(s.Terms)) // 1 + the index of the term's group in cands, 0: none
	var chosen []*cand
	for _, cd := range cands {
		free := 0
		for _, i := range cd.termsWith {
			if group[i] == 0 {
				free++
			}
		}
		if free < 2 {
			continue
		}
		chosen = append(chosen, cd)
		for _, i := range cd.termsWith {
			if group[i] == 0 {
				group[i] = len(chosen)
			}
		}
	}
	if len(chosen) == 0 {
		return nil
	}
	inner := make([][]ast.Expr, len(chosen))
	at := make([]int, len(chosen))
	var out []ast.Expr
	for i, x := range s.Terms {
		g := group[i]
		if g == 0 {
			out = append(out, x)
			continue
		}
		cd, p := chosen[g-1], parts[i]
		if inner[g-1] == nil {
			at[g-1] = len(out)
			out = append(out, nil)
		}
		j := slices.Index(p.keys, cd.key)
		rest := append(append([]ast.Expr(nil), p.ops[:j]...), p.ops[j+1:]...)
		t := p.t
		t.chain = []ast.Expr{hadamardOf(rest)}
		inner[g-1] = append(inner[g-1], t.build())
	}
	for g, cd := range chosen {
		out[at[g]] = &ast.Hadamard{X: sum(inner[g]...), Y: cd.op}
	}
	return sum(out...)
}

// hadamardOperands appends the operands of a chain of elementwise
// products, a .* (b .* c) -> a, b, c.
func hadamardOperands(e ast.Expr, out []ast.Expr) []ast.Expr {
	if h, ok := e.(*ast.Hadamard); ok {
		return hadamardOperands(h.Y, hadamardOperands(h.X, out))
	}
	return append(out, e)
}

// hadamardOf is the elementwise product of the operands, in order.
func hadamardOf(ops []ast.Expr) ast.Expr {
	e := ops[0]
	for _, o := range ops[1:] {
		e = &ast.Hadamard{X: e, Y: o}
	}
	return e
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
	// visited counts the nodes gather looked at; past maxMonomial the
	// monomial is left alone (overflow), so that a chain of n quotients
	// nested n deep costs linear time, not cubic.
	visited  int
	overflow bool
	// denScalars is set when a denominator had scalar factors, which
	// leave it when a numerator stays: u ./ (3 v) -> (u ./ v)/3, but
	// 1 ./ (2 sqrt(x)) stays.
	denScalars bool
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

// maxMonomial bounds the nodes of an elementwise monomial that
// elementwise-cancel takes apart.
const maxMonomial = 64

// gather adds e^k (k = ±1, or a rational for a power) to the monomial.
func (c *Context) gather(m *monomial, e ast.Expr, k *big.Rat) {
	if m.visited++; m.visited > maxMonomial {
		m.overflow = true
		return
	}
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
			if k.Sign() < 0 {
				m.denScalars = true
			}
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

// signAbs turns sign(u) .* u^k (k a positive integer) into abs(u) .*
// u^(k-1), sign(u) .* abs(u) into u and sign(u) ./ abs(u) into 1 ./ u.
func (c *Context) signAbs(m *monomial) {
	for i := range m.factors {
		s, ok := call(m.factors[i].base, "sign")
		if !ok || !ratIs(m.factors[i].exp, 1) {
			continue
		}
		absKey := c.key(&ast.Call{Func: "abs", Args: []ast.Expr{s.Args[0]}})
		done := false
		for j := range m.factors {
			f := &m.factors[j]
			if f.key != absKey || (!ratIs(f.exp, 1) && !ratIs(f.exp, -1)) {
				continue
			}
			u := s.Args[0]
			m.factors[i] = factor{u, new(big.Rat).Set(f.exp), c.key(u)}
			f.exp = new(big.Rat)
			m.merged, done = true, true
			break
		}
		if done {
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
	out = m.withScalars(out)
	if !m.merged && c.size(out) > c.size(e) {
		return nil // only scalars moved out, and the form grew: y ./ (beta x).^2 stays
	}
	return out
}

// cancelled is the monomial of an elementwise product or quotient e,
// reporting whether any factors merged or cancelled. It is kept in e's
// record: the sum and product rules ask it of the same operands every
// time they are offered a node (callers only read the monomial).
func (c *Context) cancelled(e ast.Expr) (*monomial, bool) {
	switch e.(type) {
	case *ast.Hadamard, *ast.ElemDiv:
	default:
		return nil, false
	}
	if c.scalar(e) {
		return nil, false
	}
	r := c.node(e)
	if !r.hasMono {
		r.mono, r.monoOK = c.monomialOf(e)
		r.hasMono = true
	}
	return r.mono, r.monoOK
}

// monomialOf computes cancelled's answer.
func (c *Context) monomialOf(e ast.Expr) (*monomial, bool) {
	m := &monomial{coef: big.NewRat(1, 1)}
	c.gather(m, e, big.NewRat(1, 1))
	if m.overflow {
		return nil, false
	}
	c.signAbs(m)
	if m.denScalars && !m.merged {
		for _, f := range m.factors {
			if f.exp.Sign() > 0 {
				return m, true
			}
		}
	}
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
	terms := s.Terms // copied on the first change
	changed, wide := false, false
	set := func(i int, x ast.Expr) {
		if !changed {
			terms = append([]ast.Expr(nil), s.Terms...)
			changed = true
		}
		terms[i] = x
	}
	for i, x := range s.Terms {
		if t, ok := c.allOnes(x); ok {
			set(i, t.build())
		} else if t, ok := c.onesTerm(x); ok && !c.scalar(x) {
			t.chain = nil
			set(i, t.build())
		} else if !c.scalar(x) {
			wide = true
		}
	}
	if !changed {
		return nil
	}
	if wide {
		return sum(terms...)
	}
	// Every term is ones times a number: the sum is 0 or ones when the
	// numbers add up to 0 or 1 (2 (x ./ x) - x ./ x -> 1).
	total := new(big.Rat)
	for _, x := range terms {
		n, ok := x.(*ast.Number)
		if !ok {
			return nil
		}
		total.Add(total, n.Value)
	}
	switch {
	case total.Sign() == 0:
		return c.zeroOf(s)
	case ratIs(total, 1) && c.shape(s).IsVector():
		return c.onesOf(s)
	}
	// Otherwise the quotients of ones stay, for the shape, and the ones
	// themselves are their numbers, as they print and read back: u ./ u
	// plus the ones vector is 1 + u ./ u.
	kept := append([]ast.Expr(nil), s.Terms...)
	anchored, converted := false, false
	for i, x := range s.Terms {
		if _, ok := c.allOnes(x); ok {
			anchored = true
		} else if t, ok := c.onesTerm(x); ok && !c.scalar(x) {
			t.chain = nil
			kept[i], converted = t.build(), true
		}
	}
	if !anchored || !converted {
		return nil
	}
	return sum(kept...)
}

// onesProduct writes a product whose one chain factor is an elementwise
// product or quotient that cancels, with its scalars, to ones:
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
	if len(t.scalars) > 0 || !ratIs(t.coef, 1) {
		// A multiple of the ones would print as its number or scalar (and
		// 2 (u ./ (2 u))/3, read back, is a third of the ones): it keeps
		// the smallest quotient of ones, u ./ u, with the whole
		// coefficient and the scalars, so that it prints and reads back as
		// itself.
		m, _ := c.cancelled(c.split(e).chain[0])
		if len(m.factors) == 0 {
			return nil
		}
		u := m.factors[0].base
		t.chain = []ast.Expr{&ast.ElemDiv{X: u, Y: u}}
		if out := t.build(); !ast.Equal(out, e) {
			return out
		}
		return nil
	}
	t.chain = []ast.Expr{c.onesOf(e)}
	return t.build()
}

func onesFactor(c *Context, e ast.Expr) ast.Expr {
	if _, ok := e.(*ast.Product); !ok {
		return nil
	}
	t := c.split(e)
	if len(t.chain) < 2 {
		return nil // ones-product's
	}
	for i, f := range t.chain {
		switch f.(type) {
		case *ast.Hadamard, *ast.ElemDiv:
		default:
			continue
		}
		// A column after a matrix or a row, or a row before a matrix or a
		// column, which stays next to it as it prints (A 1, x^T 1, 1^T A):
		// the ones matrix, or ones that would be left alone with scalars
		// ((u ./ u) y^T z), would read back as a number.
		s := c.shape(f)
		switch {
		case s.Cols.IsOne() && !s.Rows.IsOne() && i > 0 && !c.shape(t.chain[i-1]).Cols.IsOne():
		case s.Rows.IsOne() && !s.Cols.IsOne() && i+1 < len(t.chain) && !c.shape(t.chain[i+1]).Rows.IsOne():
		default:
			continue
		}
		m, ok := c.cancelled(f)
		if !ok || m.elementwise() != nil || len(m.scalars) > 0 {
			continue
		}
		chain := append([]ast.Expr(nil), t.chain...)
		chain[i] = c.onesOf(f)
		t.chain = chain
		t.coef = new(big.Rat).Mul(t.coef, m.coef)
		t.decimal = t.decimal || m.decimal
		return t.build()
	}
	return nil
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
		absKey := c.key(&ast.Call{Func: "abs", Args: []ast.Expr{s.Args[0]}})
		for j, g := range p.Factors {
			b, x := base(g)
			if j == i || c.key(b) != absKey || (!ratIs(x, 1) && !ratIs(x, -1)) {
				continue
			}
			fs := append([]ast.Expr(nil), p.Factors...)
			fs[i] = powerOf(s.Args[0], x) // sign(a) abs(a)^±1 -> a^±1
			fs = append(fs[:j], fs[j+1:]...)
			return product(fs...)
		}
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
// (where the root is defined). The power of a matrix is a matrix product:
// sqrt(M)^2 = sqrt(M) sqrt(M) is not M, whose root is taken entry by entry.
func sqrtSquare(c *Context, e ast.Expr) ast.Expr {
	var x ast.Expr
	var k *big.Rat
	switch p := e.(type) {
	case *ast.Power:
		if !c.scalar(p.X) {
			return nil
		}
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

// quotientInner cancels a quotient's denominator against the vector it
// is multiplied by: (a ./ b)^T b -> a^T 1, b^T (a ./ b) -> 1^T a (the sum
// of a's entries, where b has none zero).
func quotientInner(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok {
		return nil
	}
	t := c.split(p)
	for i := 0; i+1 < len(t.chain); i++ {
		l, r := t.chain[i], t.chain[i+1]
		if !c.shape(l).Rows.IsOne() || !c.shape(r).Cols.IsOne() {
			continue
		}
		var pair []ast.Expr
		// A numerator that broadcasts (a scalar) is not a^T: (s ./ b^T) b
		// is s rows(b), which this rule does not write.
		if q, ok := l.(*ast.ElemDiv); ok && c.key(c.pushTranspose(q.Y)) == c.key(r) && c.shape(q.X).Equal(c.shape(l)) {
			pair = []ast.Expr{q.X, &ast.Ones{N: c.shape(r).Rows}}
		} else if q, ok := r.(*ast.ElemDiv); ok && c.key(c.pushTranspose(q.Y)) == c.key(l) && c.shape(q.X).Equal(c.shape(r)) {
			pair = []ast.Expr{transpose(&ast.Ones{N: c.shape(l).Cols}), q.X}
		} else {
			continue
		}
		t.chain = append(append(append([]ast.Expr(nil), t.chain[:i]...), pair...), t.chain[i+2:]...)
		return t.build()
	}
	return nil
}

// onesSum writes a 1×1 product 1^T u as sum(u).
func onesSum(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok || !c.scalar(p) {
		return nil
	}
	t := c.split(p)
	if len(t.chain) < 2 {
		return nil
	}
	var u ast.Expr
	switch {
	case isOnes(transposed(t.chain[0])):
		u = product(t.chain[1:]...)
	case isOnes(t.chain[len(t.chain)-1]):
		u = c.pushTranspose(product(t.chain[:len(t.chain)-1]...))
	default:
		return nil
	}
	if o, ok := u.(*ast.Ones); ok {
		// 1^T 1 is the size of the ones, rows(V) for a variable V that
		// has it; sum(1) would read back as the number 1.
		d := c.dimensionOf(o.N)
		if d == nil {
			return nil
		}
		t.chain = nil
		t.scalars = append(append([]ast.Expr(nil), t.scalars...), d)
		return t.build()
	}
	t.chain = []ast.Expr{&ast.Call{Func: "sum", Args: []ast.Expr{u}}}
	return t.build()
}
