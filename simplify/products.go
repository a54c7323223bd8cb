package simplify

import (
	"math/big"

	"github.com/matdiff/matdiff/ast"
)

// productRules shape matrix chains and the scalars beside them.
var productRules = []Rule{
	{Name: "scalar-run", Doc: "y x^T z -> (x^T z) y: a 1×1 run inside a chain is a scalar", Apply: scalarRun, On: OnProduct},
	{Name: "inverse-pair", Doc: "A A^-1 -> I; A^-1 A -> I; (X^T X)^-1 X^T X -> I: an inverse next to its own chain", Apply: inversePair, On: OnProduct, Needs: OnInverse},
	{Name: "drop-identity", Doc: "A I -> A", Apply: dropIdentity, On: OnProduct, Needs: OnIdentity},
	{Name: "diag-times-ones", Doc: "diag(v) 1 -> v; 1^T diag(v) -> v^T", Apply: diagTimesOnes, On: OnProduct, Needs: OnCall},
	{Name: "diag-times-vector", Doc: "diag(v) u -> v .* u, diag(v)^-1 u -> u ./ v, u^T diag(v) -> (v .* u)^T: a diagonal matrix scales a vector entrywise, in a vector", Apply: diagTimesVector, On: OnProduct, Needs: OnCall | OnInverse | OnPower},
	{Name: "merge-chain-powers", Doc: "X X -> X^2; X^2 X -> X^3 for equal neighbours in a chain", Apply: mergeChainPowers, On: OnProduct},
	{Name: "sum-factor-coefficient", Doc: "(2 A + 2 B) x -> 2 (A + B) x; (-a - b) x -> -(a + b) x", Apply: sumFactorCoefficient, On: OnProduct, Needs: OnSum},
	{Name: "order-scalars", Doc: "A alpha x 2 -> 2 alpha A x: coefficient, names, calls, runs, then the chain", Apply: orderScalars, On: OnProduct},
}

// scalarRun makes every minimal 1×1 run that is a proper part of the
// matrix chain a nested product, in one pass: y x^T z w^T v -> (x^T z)
// (w^T v) y. A run starts at a factor with one row and ends at the first
// factor after it with one column.
func scalarRun(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok {
		return nil
	}
	t := c.split(p)
	n := len(t.chain)
	// The runs' bounds first: most chains have none, and then nothing is
	// built. A run begins at a factor with one row; split noted the first.
	start := int(c.node(p).firstRow)
	if start < 0 {
		return nil
	}
	var bounds [][2]int
	for i := start; i < n; i++ {
		if oneRow, _ := c.Info.Orientation(t.chain[i]); !oneRow {
			continue
		}
		j := i + 1
		for j < n {
			if _, oneCol := c.Info.Orientation(t.chain[j]); oneCol {
				break
			}
			j++
		}
		if j == n {
			break // no run starts here, nor at any factor after this one
		}
		if i == 0 && j == n-1 && !hasRun(t.scalars) {
			// The whole chain is the run: it stays bare (2 x^T y),
			// unless another run stands beside it, when both are
			// parenthesised ((x^T y) (y^T x)).
			return nil
		}
		bounds = append(bounds, [2]int{i, j})
		i = j
	}
	if len(bounds) == 0 {
		return nil
	}
	var runs, rest []ast.Expr
	next := 0
	for _, b := range bounds {
		rest = append(rest, t.chain[next:b[0]]...)
		runs = append(runs, &ast.Product{Factors: append([]ast.Expr(nil), t.chain[b[0]:b[1]+1]...)})
		next = b[1] + 1
	}
	rest = append(rest, t.chain[next:]...)
	t.scalars = append(append([]ast.Expr(nil), t.scalars...), runs...)
	t.chain = rest
	return t.build()
}

// hasRun reports whether one of the factors is a parenthesised 1×1 product.
func hasRun(fs []ast.Expr) bool {
	for _, f := range fs {
		if _, ok := f.(*ast.Product); ok {
			return true
		}
	}
	return false
}

func isInverseOf(a, b ast.Expr) bool {
	if inv, ok := b.(*ast.Inverse); ok && ast.Equal(inv.X, a) {
		return true
	}
	// A^T A^-T
	if ta, ok := a.(*ast.Transpose); ok {
		if tb, ok := b.(*ast.Transpose); ok {
			if inv, ok := tb.X.(*ast.Inverse); ok && ast.Equal(inv.X, ta.X) {
				return true
			}
		}
	}
	return false
}

func inversePair(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok {
		return nil
	}
	t := c.split(p)
	for i := 0; i+1 < len(t.chain); i++ {
		a, b := t.chain[i], t.chain[i+1]
		if isInverseOf(a, b) || isInverseOf(b, a) {
			return t.withIdentity(i, i+2, c.shape(a).Rows)
		}
	}
	// The inverse of a product next to the product's own chain:
	// (X^T X)^-1 X^T X -> I, A B (2 A B)^-1 -> I/2.
	for i, f := range t.chain {
		inv, ok := f.(*ast.Inverse)
		if !ok {
			continue
		}
		q, ok := inv.X.(*ast.Product)
		if !ok {
			continue
		}
		qt := c.split(q)
		n := len(qt.chain)
		if n < 2 || qt.coef.Sign() == 0 {
			continue
		}
		from, to := -1, -1
		switch {
		case i+1+n <= len(t.chain) && sameChain(t.chain[i+1:i+1+n], qt.chain):
			from, to = i, i+1+n
		case i-n >= 0 && sameChain(t.chain[i-n:i], qt.chain):
			from, to = i-n, i+1
		default:
			continue
		}
		// What the inverse holds besides the chain comes out inverted.
		t.coef = new(big.Rat).Quo(t.coef, qt.coef)
		t.decimal = t.decimal || qt.decimal
		scalars := append([]ast.Expr(nil), t.scalars...)
		for _, s := range qt.scalars {
			scalars = append(scalars, &ast.Power{X: s, Exp: big.NewRat(-1, 1)})
		}
		t.scalars = scalars
		return t.withIdentity(from, to, c.shape(q).Rows)
	}
	return nil
}

// sameChain reports whether two chains are the same factors in order.
func sameChain(a, b []ast.Expr) bool {
	for i := range a {
		if !ast.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// withIdentity is the term with the factors from up to to of its chain
// replaced by the identity of size n.
func (t term) withIdentity(from, to int, n ast.Dim) ast.Expr {
	chain := append(append(append([]ast.Expr(nil), t.chain[:from]...), &ast.Identity{N: n}), t.chain[to:]...)
	t.chain = chain
	return t.build()
}

func dropIdentity(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok {
		return nil
	}
	t := c.split(p)
	if len(t.chain) < 2 {
		return nil
	}
	for i, f := range t.chain {
		if _, ok := f.(*ast.Identity); ok {
			t.chain = append(append([]ast.Expr(nil), t.chain[:i]...), t.chain[i+1:]...)
			return t.build()
		}
	}
	return nil
}

// scalarClass orders the scalar factors of a product: names, then calls
// and norms, then parenthesised 1×1 products and other groups.
func scalarClass(e ast.Expr) int {
	b, _ := base(e)
	switch b.(type) {
	case *ast.Name, *ast.Pi, *ast.Dimension:
		return 1
	case *ast.Call, *ast.Norm:
		return 2
	}
	return 3
}

func orderScalars(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok {
		return nil
	}
	t := c.split(p)
	sorted := append([]ast.Expr(nil), t.scalars...)
	less := func(a, b ast.Expr) bool {
		ca, cb := scalarClass(a), scalarClass(b)
		if ca != cb {
			return ca < cb
		}
		// Negative powers print as a trailing division: keep them after.
		_, xa := base(a)
		_, xb := base(b)
		if (xa.Sign() < 0) != (xb.Sign() < 0) {
			return xb.Sign() < 0
		}
		return c.key(a) < c.key(b)
	}
	if inCanonicalOrder(p, t, less) {
		return nil
	}
	sortStable(sorted, less)
	out := t
	out.scalars = sorted
	rebuilt := out.build()
	if ast.Equal(rebuilt, p) && samePointers(rebuilt, p) {
		return nil
	}
	if q, ok := rebuilt.(*ast.Product); ok && sameOrder(q.Factors, p.Factors) {
		return nil
	}
	return rebuilt
}

func samePointers(a, b ast.Expr) bool { return a == b }

// inCanonicalOrder reports whether p's factors are already what t builds
// with its scalars sorted by less: the coefficient (unless 1), the
// scalars in order, the chain. Checking costs no allocation, where
// rebuilding to compare would.
func inCanonicalOrder(p *ast.Product, t term, less func(a, b ast.Expr) bool) bool {
	fs := p.Factors
	if !ratIs(t.coef, 1) || len(t.scalars)+len(t.chain) == 0 {
		if len(fs) == 0 || !isNumber(fs[0]) {
			return false
		}
		fs = fs[1:]
	}
	if len(fs) != len(t.scalars)+len(t.chain) {
		return false
	}
	for i, f := range fs {
		if f != t.factor(i) {
			return false
		}
	}
	for i := 1; i < len(t.scalars); i++ {
		if less(t.scalars[i], t.scalars[i-1]) {
			return false
		}
	}
	return true
}

func sameOrder(a, b []ast.Expr) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !ast.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// mergeChainPowers merges every run of equal neighbours with integer
// powers in the chain, in one pass.
func mergeChainPowers(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok {
		return nil
	}
	t := c.split(p)
	if !c.hasMergingNeighbours(t.chain) {
		return nil
	}
	var out []ast.Expr
	merged := false
	for i := 0; i < len(t.chain); {
		a, x := base(t.chain[i])
		j := i + 1
		exp := x
		if x.IsInt() {
			for j < len(t.chain) {
				b, y := base(t.chain[j])
				if !y.IsInt() || !c.same(a, b) {
					break
				}
				exp = new(big.Rat).Add(exp, y)
				j++
			}
		}
		if j == i+1 {
			out = append(out, t.chain[i])
		} else {
			out = append(out, &ast.Power{X: a, Exp: exp})
			merged = true
		}
		i = j
	}
	if !merged {
		return nil
	}
	t.chain = out
	return t.build()
}

// hasMergingNeighbours reports whether two neighbours of the chain are
// integer powers of one base, which merge-chain-powers merges.
func (c *Context) hasMergingNeighbours(chain []ast.Expr) bool {
	for i := 0; i+1 < len(chain); i++ {
		a, x := base(chain[i])
		b, y := base(chain[i+1])
		if x.IsInt() && y.IsInt() && c.same(a, b) {
			return true
		}
	}
	return false
}

func diagTimesVector(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok {
		return nil
	}
	if s := c.shape(p); s.IsMatrix() || s.IsScalar() {
		// In a matrix (diag(s) - s s^T) diag(d), the diagonal stays: it
		// may be a factor that terms share; and so it does in a quadratic
		// form x^T diag(w) x.
		return nil
	}
	t := c.split(p)
	// A lone diagonal: a run of them (diag(a) diag(b) x) stays, since
	// taking it in would nest elementwise products as deep as the run.
	lone := func(i int) bool {
		_, _, before := c.diagPower(at(t.chain, i-1))
		_, _, after := c.diagPower(at(t.chain, i+1))
		return !before && !after
	}
	for i := 0; i+1 < len(t.chain); i++ {
		a, b := t.chain[i], t.chain[i+1]
		var r ast.Expr
		if v, k, ok := c.diagPower(a); ok && c.shape(b).IsVector() && lone(i) {
			r = scaledBy(b, v, k)
		} else if v, k, ok := c.diagPower(b); ok && c.shape(a).IsRow() && lone(i+1) {
			r = transpose(scaledBy(transpose(a), v, k))
		} else {
			continue
		}
		t.chain = append(append(append([]ast.Expr(nil), t.chain[:i]...), r), t.chain[i+2:]...)
		return t.build()
	}
	return nil
}

// at returns es[i], or nil outside es.
func at(es []ast.Expr, i int) ast.Expr {
	if i < 0 || i >= len(es) {
		return nil
	}
	return es[i]
}

// diagPower returns the column v and k for diag(v)^k (diag(v),
// diag(v)^-1, an integer power) of a vector, or of a row r (v is r^T).
func (c *Context) diagPower(e ast.Expr) (v ast.Expr, k *big.Rat, ok bool) {
	k = ratOne
	switch a := e.(type) {
	case *ast.Inverse:
		e, k = a.X, big.NewRat(-1, 1)
	case *ast.Power:
		if !a.Exp.IsInt() {
			return nil, nil, false
		}
		e, k = a.X, a.Exp
	}
	d, ok := call(e, "diag")
	if !ok {
		return nil, nil, false
	}
	switch s := c.shape(d.Args[0]); {
	case s.IsVector():
		return d.Args[0], k, true
	case s.IsRow():
		return &ast.Transpose{X: d.Args[0]}, k, true
	}
	return nil, nil, false
}

// scaledBy is u scaled entrywise by v^k: v .* u, u ./ v, v.^2 .* u,
// u ./ v.^2.
func scaledBy(u, v ast.Expr, k *big.Rat) ast.Expr {
	switch {
	case ratIs(k, 1):
		return &ast.Hadamard{X: v, Y: u}
	case ratIs(k, -1):
		return &ast.ElemDiv{X: u, Y: v}
	case k.Sign() < 0:
		return &ast.ElemDiv{X: u, Y: &ast.ElemPower{X: v, Exp: new(big.Rat).Neg(k)}}
	}
	return &ast.Hadamard{X: &ast.ElemPower{X: v, Exp: k}, Y: u}
}

func diagTimesOnes(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok {
		return nil
	}
	t := c.split(p)
	for i := 0; i+1 < len(t.chain); i++ {
		a, b := t.chain[i], t.chain[i+1]
		var v ast.Expr
		if d, ok := call(a, "diag"); ok && isOnes(b) && c.shape(d.Args[0]).IsVector() {
			v = d.Args[0]
		} else if d, ok := call(b, "diag"); ok && isOnes(transposed(a)) && c.shape(d.Args[0]).IsVector() {
			v = transpose(d.Args[0])
		} else {
			continue
		}
		t.chain = append(append(append([]ast.Expr(nil), t.chain[:i]...), v), t.chain[i+2:]...)
		return t.build()
	}
	return nil
}
