package simplify

import (
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/matdiff/matdiff/ast"
)

// funcRules simplify traces, determinants and functions of constants.
var funcRules = []Rule{
	{Name: "trace-scalar", Doc: "tr(s) -> s for a 1×1 s", Apply: traceScalar, On: OnCall},
	{Name: "trace-identity", Doc: "tr(I) -> rows(V), the size of the identity", Apply: traceIdentity, On: OnCall},
	{Name: "trace-to-scalar", Doc: "tr(x y^T) -> y^T x: a rotation of the chain that is 1×1", Apply: traceToScalar, On: OnCall},
	{Name: "trace-factor", Doc: "tr(2 alpha A) -> 2 alpha tr(A) for a chain of one factor; tr(-A B) -> -tr(A B)", Apply: traceFactor, On: OnCall},
	{Name: "trace-rotate", Doc: "tr(B A) -> tr(A B); tr(A^T) -> tr(A): the smallest cyclic form, with the fewest transposes", Apply: traceRotate, On: OnCall},
	{Name: "det-transpose", Doc: "det(A^T) -> det(A); logdet(A^T) -> logdet(A)", Apply: detTranspose, On: OnCall},
	{Name: "det-inverse", Doc: "det(A^-1) -> det(A)^-1; logdet(A^-1) -> -logdet(A)", Apply: detInverse, On: OnCall},
	{Name: "diag-ones", Doc: "diag(alpha 1) -> alpha I; diag(u ./ u) -> I", Apply: diagOnes, On: OnCall},
	{Name: "diag-outer", Doc: "diag(u v^T) -> u .* v: the diagonal of an outer product, diag(A^T x 1^T) -> A^T x .* 1", Apply: diagOuter, On: OnCall},
	{Name: "diag-identity", Doc: "diag(I) -> 1: the diagonal of the identity", Apply: diagIdentity, On: OnCall, Needs: OnIdentity},
	{Name: "diag-of-diagonal", Doc: "diag(diag(v)) -> v, diag(diag(v)^-1) -> 1 ./ v, diag(diag(v)^k) -> v.^k: the diagonal of a diagonal matrix", Apply: diagOfDiagonal, On: OnCall, Needs: OnCall | OnInverse | OnPower},
	{Name: "call-of-inverse", Doc: "log(exp(u)) -> u, exp(log(u)) -> u, tan(arctan(u)) -> u: a function of its inverse (Func.Undoes)", Apply: callOfInverse, On: OnCall, Needs: OnCall},
	{Name: "diag-factor", Doc: "diag(2 alpha v) -> 2 alpha diag(v) for a chain of one factor", Apply: diagFactor, On: OnCall, Needs: OnProduct},
	{Name: "sum-of-ones-product", Doc: "sum(A 1) -> sum(A); sum(1^T A B) -> sum(A B): a row or column of sums has the sum of the whole", Apply: sumOfOnesProduct, On: OnCall, Needs: OnProduct},
	{Name: "sum-transpose", Doc: "sum(A^T) -> sum(A): a transpose has the same entries", Apply: sumTranspose, On: OnCall, Needs: OnTranspose},
	{Name: "sum-factor", Doc: "sum(2 alpha v) -> 2 alpha sum(v) for a chain of one factor", Apply: sumFactor, On: OnCall, Needs: OnProduct},
	{Name: "diag-sum", Doc: "2 diag(u) - diag(v) -> diag(2 u - v): the diagonal matrices of a sum add as one", Apply: diagSum, On: OnSum, AnyOrder: true},
	{Name: "sum-merge", Doc: "alpha sum(u) - sum(v) -> sum(alpha u - v): the sums of entries of a sum, of one shape, add as one", Apply: sumMerge, On: OnSum, AnyOrder: true},
	{Name: "sigmoid-quotient", Doc: "(y ./ (1 + exp(u))) .* exp(u) -> y .* (1 - sigmoid(u)) .* exp(u): a logistic quotient beside its exp, for exp-sigmoid", Apply: sigmoidQuotient, On: OnHadamard, Needs: OnElemDiv},
	{Name: "sigmoid-form", Doc: "1/(1 + exp(u))^2 -> (1 - sigmoid(u))^2; (y .* exp(u)) ./ (1 + exp(u)) -> y .* exp(u) .* (1 - sigmoid(u))", Apply: sigmoidForm, On: OnElemDiv | OnPower, Needs: OnSum | OnElemPower},
	{Name: "elementwise-of-zero", Doc: "exp(0) -> 1, log(1) -> 0, sqrt(1/4) -> 1/2, sum(0) -> 0, ...: exact values from the function registry; log(1) -> 0, sqrt(1) -> 1 and sqrt(9/4 1) -> 3/2 1 of the ones too", Apply: elementwiseConstant, On: OnCall},
}

func call(e ast.Expr, names ...string) (*ast.Call, bool) {
	c, ok := e.(*ast.Call)
	if !ok {
		return nil, false
	}
	for _, n := range names {
		if c.Func == n {
			return c, true
		}
	}
	return nil, false
}

func traceScalar(c *Context, e ast.Expr) ast.Expr {
	t, ok := call(e, "tr")
	if !ok || !c.scalar(t.Args[0]) {
		return nil
	}
	return t.Args[0]
}

func traceFactor(c *Context, e ast.Expr) ast.Expr { return c.factorOut(e, "tr") }

// sumOfOnesProduct drops the ones that end or begin the chain of a
// sum's argument: the entries of A 1 (of 1^T A) are the sums of A's rows
// (columns), whose sum is A's. A bare ones left is kept, since sum(1)
// reads back as the number 1.
func sumOfOnesProduct(c *Context, e ast.Expr) ast.Expr {
	s, ok := call(e, "sum")
	if !ok {
		return nil
	}
	p, ok := s.Args[0].(*ast.Product)
	if !ok {
		return nil
	}
	t := c.split(p)
	n := len(t.chain)
	if n < 2 {
		return nil
	}
	chain := t.chain
	switch {
	case isOnes(chain[n-1]):
		chain = chain[:n-1]
	case isOnes(transposed(chain[0])):
		chain = chain[1:]
	default:
		return nil
	}
	if len(chain) == 1 && (isOnes(chain[0]) || isOnesRow(chain[0])) {
		return nil
	}
	t.chain = chain
	return &ast.Call{Func: "sum", Args: []ast.Expr{t.build()}}
}

// sumTranspose drops the transpose of a sum's argument.
func sumTranspose(c *Context, e ast.Expr) ast.Expr {
	s, ok := call(e, "sum")
	if !ok {
		return nil
	}
	x := transposed(s.Args[0])
	if x == nil || isOnes(x) {
		return nil
	}
	return &ast.Call{Func: "sum", Args: []ast.Expr{x}}
}

func sumFactor(c *Context, e ast.Expr) ast.Expr { return c.factorOut(e, "sum") }

// factorOut takes the coefficient and the scalar factors out of a call of
// the linear function name whose argument is a product: tr(2 alpha A) ->
// 2 alpha tr(A), diag(2 x) -> 2 diag(x), sum(2 x) -> 2 sum(x). Of a
// longer chain only a minus sign leaves (tr(-A B) -> -tr(A B)), which
// costs no node; tr(2 alpha A B) is smaller than 2 alpha tr(A B).
func (c *Context) factorOut(e ast.Expr, name string) ast.Expr {
	f, ok := call(e, name)
	if !ok {
		return nil
	}
	p, ok := f.Args[0].(*ast.Product)
	if !ok {
		return nil
	}
	t := c.split(p)
	if len(t.chain) != 1 {
		if !ratIs(t.coef, -1) || len(t.chain) == 0 {
			return nil
		}
		inner := t
		inner.coef = ratOne
		return product(ast.Int(-1), &ast.Call{At: f.At, Func: name, Args: []ast.Expr{inner.build()}})
	}
	if len(t.scalars) == 0 && ratIs(t.coef, 1) {
		return nil // nothing to take out
	}
	t.chain = []ast.Expr{&ast.Call{At: f.At, Func: name, Args: []ast.Expr{t.chain[0]}}}
	return t.build()
}

// traceParts takes the argument of a trace apart: its coefficient and
// scalars, and the matrix chain.
func (c *Context) traceParts(t *ast.Call) term {
	if p, ok := t.Args[0].(*ast.Product); ok {
		return c.split(p)
	}
	return term{coef: big.NewRat(1, 1), chain: []ast.Expr{t.Args[0]}}
}

func traceToScalar(c *Context, e ast.Expr) ast.Expr {
	t, ok := call(e, "tr")
	if !ok {
		return nil
	}
	parts := c.traceParts(t)
	chain := parts.chain
	if !c.wraps(chain) {
		return nil
	}
	for r := 1; r < len(chain); r++ {
		if c.shape(chain[r]).Rows.IsOne() {
			parts.chain = append(append([]ast.Expr(nil), chain[r:]...), chain[:r]...)
			return parts.build()
		}
	}
	return nil
}

// wraps reports whether the last factor of a conformable chain multiplies
// the first, so that every rotation of it is conformable too.
func (c *Context) wraps(chain []ast.Expr) bool {
	return len(chain) > 0 && c.shape(chain[len(chain)-1]).Cols.Equal(c.shape(chain[0]).Rows)
}

// maxRotations bounds the chains whose every rotation trace-rotate
// weighs, building the key of each: a longer chain is weighed against its
// flip only, so that the trace of n factors costs time linear in n.
const maxRotations = 32

func traceRotate(c *Context, e ast.Expr) ast.Expr {
	t, ok := call(e, "tr")
	if !ok {
		return nil
	}
	parts := c.traceParts(t)
	chain := parts.chain
	flipped := make([]ast.Expr, len(chain))
	for i, f := range chain {
		flipped[len(chain)-1-i] = c.pushTranspose(f)
	}
	best := product(chain...)
	bestKey, bestSize, bestMarks := c.key(best), c.size(best), c.transposes(best)
	orig := bestKey
	var bestChain []ast.Expr
	for _, cand := range [][]ast.Expr{chain, flipped} {
		// The rotations of a chain have its size and its transposes; the
		// chain and its flip are conformable, their rotations when they
		// wrap.
		p := product(cand...)
		n, m := c.size(p), c.transposes(p)
		rots := 1
		if len(cand) <= maxRotations && c.wraps(cand) {
			rots = len(cand)
		}
		for r := range rots {
			rot := cand
			if r > 0 {
				rot = append(append([]ast.Expr(nil), cand[r:]...), cand[:r]...)
				p = product(rot...)
			}
			// the smallest form, then the fewest transposes (tr(A ⊗ B),
			// not tr(A^T ⊗ B^T)), then the smallest key
			if k := c.key(p); n < bestSize || n == bestSize && (m < bestMarks || m == bestMarks && k < bestKey) {
				bestChain, bestKey, bestSize, bestMarks = rot, k, n, m
			}
		}
	}
	if bestChain == nil || bestKey == orig {
		return nil
	}
	parts.chain = bestChain
	return &ast.Call{Func: "tr", Args: []ast.Expr{parts.build()}}
}

func detTranspose(c *Context, e ast.Expr) ast.Expr {
	d, ok := call(e, "det", "logdet")
	if !ok {
		return nil
	}
	if t, ok := d.Args[0].(*ast.Transpose); ok {
		if inv, ok := t.X.(*ast.Inverse); ok {
			return &ast.Call{Func: d.Func, Args: []ast.Expr{inv}}
		}
		return &ast.Call{Func: d.Func, Args: []ast.Expr{t.X}}
	}
	return nil
}

func detInverse(c *Context, e ast.Expr) ast.Expr {
	d, ok := call(e, "det", "logdet")
	if !ok {
		return nil
	}
	inv, ok := d.Args[0].(*ast.Inverse)
	if !ok {
		return nil
	}
	inner := &ast.Call{Func: d.Func, Args: []ast.Expr{inv.X}}
	if d.Func == "det" {
		return &ast.Power{X: inner, Exp: big.NewRat(-1, 1)}
	}
	return product(ast.Int(-1), inner)
}

// elementwiseConstant evaluates a function of a number whose value is
// rational, and a zero through a linear function or an elementwise one
// that maps 0 to 0, by the function's registry entry.
// allOnesValue reports whether e is the ones of its shape: 1, 1^T or
// 1 1^T.
func allOnesValue(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ones:
		return true
	case *ast.Transpose:
		return isOnes(x.X)
	case *ast.Product:
		return len(x.Factors) == 2 && isOnes(x.Factors[0]) && isOnesRow(x.Factors[1])
	}
	return false
}

func elementwiseConstant(c *Context, e ast.Expr) ast.Expr {
	call, ok := e.(*ast.Call)
	if !ok || len(call.Args) != 1 {
		return nil
	}
	f, ok := ast.Funcs[call.Func]
	if !ok {
		return nil
	}
	if _, ok := call.Args[0].(*ast.Zero); ok {
		if z := f.Exact(new(big.Rat)); f.Linear || f.Kind == ast.Elementwise && z != nil && z.Sign() == 0 {
			return c.zeroOf(call)
		}
		return nil
	}
	if allOnesValue(call.Args[0]) && f.Kind == ast.Elementwise {
		// log(1) of the ones is 0, sqrt(1) is the ones; exp(1) stays.
		switch r := f.Exact(big.NewRat(1, 1)); {
		case r == nil:
		case r.Sign() == 0:
			return c.zeroOf(call)
		case ratIs(r, 1):
			return call.Args[0]
		}
		return nil
	}
	// sqrt(9/4 1) -> 3/2 1: of a numeric multiple of the ones, a multiple
	// of the ones (which prints as the number and reads back as it).
	if t, ok := c.onesTerm(call.Args[0]); ok && f.Kind == ast.Elementwise && len(t.scalars) == 0 && !ratIs(t.coef, 1) {
		r := f.Exact(new(big.Rat).Set(t.coef))
		switch {
		case r == nil:
			return nil
		case r.Sign() == 0:
			return c.zeroOf(call)
		}
		t.decimal = t.decimal && !(r.IsInt() && r.Num().BitLen() <= 1)
		t.coef = r
		return t.build()
	}
	n, ok := call.Args[0].(*ast.Number)
	if !ok {
		return nil
	}
	r := f.Exact(new(big.Rat).Set(n.Value))
	if r == nil {
		return nil
	}
	// A result that is the number or its negative keeps its decimal point.
	abs := new(big.Rat).Abs(r)
	keep := n.Decimal && abs.Cmp(new(big.Rat).Abs(n.Value)) == 0 && !(abs.IsInt() && abs.Num().BitLen() <= 1)
	return &ast.Number{Value: r, Decimal: keep}
}

func traceIdentity(c *Context, e ast.Expr) ast.Expr {
	t, ok := call(e, "tr")
	if !ok {
		return nil
	}
	id, ok := t.Args[0].(*ast.Identity)
	if !ok {
		return nil
	}
	if d := c.dimensionOf(id.N); d != nil {
		return d
	}
	return nil
}

// dimensionOf names a dimension by the first variable that has it: rows(V)
// or cols(V).
func (c *Context) dimensionOf(n ast.Dim) *ast.Dimension {
	for _, name := range c.Info.Order {
		v := c.Info.Vars[name]
		if v.Shape.Rows.Equal(n) {
			return &ast.Dimension{X: &ast.Name{Name: name}}
		}
		if v.Shape.Cols.Equal(n) {
			return &ast.Dimension{Cols: true, X: &ast.Name{Name: name}}
		}
	}
	return nil
}

func diagOfDiagonal(c *Context, e ast.Expr) ast.Expr {
	d, ok := call(e, "diag")
	if !ok {
		return nil
	}
	v, k, ok := c.diagPower(d.Args[0])
	if !ok {
		return nil
	}
	switch {
	case ratIs(k, 1):
		return v
	case ratIs(k, -1):
		return &ast.ElemDiv{X: ast.Int(1), Y: v}
	case k.Sign() < 0:
		return &ast.ElemDiv{X: ast.Int(1), Y: &ast.ElemPower{X: v, Exp: new(big.Rat).Neg(k)}}
	}
	return &ast.ElemPower{X: v, Exp: k}
}

func diagOnes(c *Context, e ast.Expr) ast.Expr {
	d, ok := call(e, "diag")
	if !ok {
		return nil
	}
	t := c.split(d.Args[0])
	if len(t.chain) == 1 && isOnes(t.chain[0]) {
		t.chain = []ast.Expr{&ast.Identity{N: t.chain[0].(*ast.Ones).N}}
		return t.build()
	}
	// diag(u ./ u) -> I: of a quotient or product that cancels to ones.
	if s := c.shape(d.Args[0]); s.IsVector() {
		if t, ok := c.allOnes(d.Args[0]); ok {
			t.chain = []ast.Expr{&ast.Identity{N: s.Rows}}
			return t.build()
		}
	}
	return nil
}

func diagOuter(c *Context, e ast.Expr) ast.Expr {
	d, ok := call(e, "diag")
	if !ok || !c.shape(d.Args[0]).IsMatrix() {
		return nil
	}
	t := c.split(d.Args[0])
	// The chain is a column times a row where a factor has one column:
	// diag(A^T x 1^T) -> A^T x .* 1.
	for k := 1; k < len(t.chain); k++ {
		if !c.shape(t.chain[k-1]).Cols.IsOne() {
			continue
		}
		u := product(t.chain[:k]...)
		v := c.pushTranspose(product(t.chain[k:]...))
		t.chain = []ast.Expr{&ast.Hadamard{X: u, Y: v}}
		return t.build()
	}
	return nil
}

func diagIdentity(c *Context, e ast.Expr) ast.Expr {
	d, ok := call(e, "diag")
	if !ok {
		return nil
	}
	id, ok := d.Args[0].(*ast.Identity)
	if !ok {
		return nil
	}
	return &ast.Ones{N: id.N}
}

// diagonal returns v when e is diag(v) of a vector or a row, a diagonal
// matrix, and nil otherwise.
func (c *Context) diagonal(e ast.Expr) ast.Expr {
	d, ok := call(e, "diag")
	if !ok {
		return nil
	}
	if s := c.shape(d.Args[0]); s.IsScalar() || s.IsMatrix() {
		return nil
	}
	return d.Args[0]
}

func callOfInverse(c *Context, e ast.Expr) ast.Expr {
	f, ok := e.(*ast.Call)
	if !ok || len(f.Args) != 1 {
		return nil
	}
	g, ok := f.Args[0].(*ast.Call)
	if !ok || len(g.Args) != 1 {
		return nil
	}
	if def, ok := ast.Funcs[f.Func]; !ok || def.Undoes == "" || def.Undoes != g.Func {
		return nil
	}
	return g.Args[0]
}

func diagFactor(c *Context, e ast.Expr) ast.Expr { return c.factorOut(e, "diag") }

func diagSum(c *Context, e ast.Expr) ast.Expr {
	s, ok := e.(*ast.Sum)
	if !ok || c.scalar(s) || !c.shape(s).IsSquare() {
		return nil
	}
	// The terms that are a multiple of diag(v), v of the first one's
	// shape, become one diag where the first of them stood.
	first, n := -1, 0
	var shape ast.Shape
	for i, x := range s.Terms {
		if v := c.diagonalTerm(x); v != nil {
			if first < 0 {
				first, shape = i, c.shape(v)
			}
			if c.shape(v).Equal(shape) {
				n++
			}
		}
	}
	if n < 2 {
		return nil
	}
	var args, terms []ast.Expr
	at := 0 // where the merged diag stands
	for i, x := range s.Terms {
		v := c.diagonalTerm(x)
		if v == nil || !c.shape(v).Equal(shape) {
			terms = append(terms, x)
			continue
		}
		t := c.split(x)
		t.chain = []ast.Expr{v}
		args = append(args, t.build())
		if i == first {
			at = len(terms)
			terms = append(terms, nil)
		}
	}
	terms[at] = &ast.Call{Func: "diag", Args: []ast.Expr{sum(args...)}}
	return sum(terms...)
}

// sumMerge adds the sums of entries in a sum as one, as diag-sum adds the
// diagonal matrices: the terms that are a product of scalars with one
// sum(v) among them, v of the first one's shape, become one sum of the
// products where the first of them stood.
func sumMerge(c *Context, e ast.Expr) ast.Expr {
	s, ok := e.(*ast.Sum)
	if !ok {
		return nil
	}
	// The first shape of an argument that two terms have, so that
	// whether the rule applies does not depend on the order of the terms.
	count := map[string]int{}
	for _, x := range s.Terms {
		if v, _ := c.sumTerm(x); v != nil {
			count[shapeKey(c.shape(v))]++
		}
	}
	var shape ast.Shape
	found := false
	for _, x := range s.Terms {
		if v, _ := c.sumTerm(x); v != nil && count[shapeKey(c.shape(v))] > 1 {
			shape, found = c.shape(v), true
			break
		}
	}
	if !found {
		return nil
	}
	var args, terms []ast.Expr
	at := -1 // where the merged sum stands
	for _, x := range s.Terms {
		v, t := c.sumTerm(x)
		if v == nil || !c.shape(v).Equal(shape) {
			terms = append(terms, x)
			continue
		}
		t.chain = []ast.Expr{v}
		args = append(args, t.build())
		if at < 0 {
			at = len(terms)
			terms = append(terms, nil)
		}
	}
	terms[at] = &ast.Call{Func: "sum", Args: []ast.Expr{sum(args...)}}
	return sum(terms...)
}

// shapeKey is a string that two shapes share exactly when they are equal.
func shapeKey(s ast.Shape) string {
	var b strings.Builder
	for _, d := range []ast.Dim{s.Rows, s.Cols} {
		for _, id := range d {
			b.WriteString(strconv.Itoa(id))
			b.WriteByte('*')
		}
		b.WriteByte('x')
	}
	return b.String()
}

// sumTerm returns v and the other factors when the term x is a product
// of scalars with exactly one factor sum(v), and nil otherwise.
func (c *Context) sumTerm(x ast.Expr) (ast.Expr, term) {
	t := c.split(x)
	if len(t.chain) != 0 {
		return nil, t
	}
	at := -1
	for i, f := range t.scalars {
		if _, ok := call(f, "sum"); ok {
			if at >= 0 {
				return nil, t
			}
			at = i
		}
	}
	if at < 0 {
		return nil, t
	}
	v := t.scalars[at].(*ast.Call).Args[0]
	t.scalars = append(append([]ast.Expr(nil), t.scalars[:at]...), t.scalars[at+1:]...)
	return v, t
}

// diagonalTerm returns v when the term x is a multiple of a diagonal
// matrix diag(v), and nil otherwise.
func (c *Context) diagonalTerm(x ast.Expr) ast.Expr {
	if _, ok := x.(*ast.Call); !ok {
		if _, ok := x.(*ast.Product); !ok {
			return nil
		}
	}
	t := c.split(x)
	if len(t.chain) != 1 {
		return nil
	}
	return c.diagonal(t.chain[0])
}

// sigmoidForm writes a power of 1/(1 + exp(u)) with the logistic
// function: (1 + exp(u))^-b is (1 - sigmoid(u))^b as a scalar power, and
// as an elementwise quotient when the numerator is a number or has a
// factor exp(u), which exp-sigmoid then takes in (exp(u) ./ (1 + exp(u))
// -> exp(u) .* (1 - sigmoid(u)) -> sigmoid(u)).
func sigmoidForm(c *Context, e ast.Expr) ast.Expr {
	switch x := e.(type) {
	case *ast.Power:
		if u, b, ok := logisticDenominator(x.X, new(big.Rat).Neg(x.Exp)); ok {
			return logisticPower(u, b, false)
		}
	case *ast.ElemDiv:
		den, exp := x.Y, ratOne
		if p, ok := den.(*ast.ElemPower); ok {
			den, exp = p.X, p.Exp
		}
		u, b, ok := logisticDenominator(den, exp)
		if !ok {
			return nil
		}
		if isNumber(x.X) {
			return product(x.X, logisticPower(u, b, true))
		}
		// A numerator without exp(u) stays: y ./ (1 + exp(u)).
		for _, f := range hadamardOperands(x.X, nil) {
			if v, _, ok := expOf(f, true); ok && ast.Equal(v, u) {
				return &ast.Hadamard{X: x.X, Y: logisticPower(u, b, true)}
			}
		}
	}
	return nil
}

// sigmoidQuotient writes an operand y ./ (1 + exp(u))^b of an elementwise
// product that has exp(u) as another operand as y .* (1 - sigmoid(u)).^b,
// which exp-sigmoid then takes with exp(u) (y ./ (1 + exp(u)) alone stays).
func sigmoidQuotient(c *Context, e ast.Expr) ast.Expr {
	h, ok := e.(*ast.Hadamard)
	if !ok {
		return nil
	}
	ops := hadamardOperands(h, nil)
	if len(ops) > maxMonomial {
		return nil
	}
	for i, op := range ops {
		q, ok := op.(*ast.ElemDiv)
		if !ok {
			continue
		}
		den, exp := q.Y, ratOne
		if p, ok := den.(*ast.ElemPower); ok {
			den, exp = p.X, p.Exp
		}
		u, b, ok := logisticDenominator(den, exp)
		if !ok {
			continue
		}
		for j, f := range ops {
			if v, _, ok := expOf(f, true); ok && j != i && ast.Equal(v, u) {
				out := slices.Clone(ops)
				out[i] = &ast.Hadamard{X: q.X, Y: logisticPower(u, b, true)}
				return hadamardAll(out)
			}
		}
	}
	return nil
}

// logisticDenominator reports whether d^exp is (1 + exp(u))^b for a
// positive integer b.
func logisticDenominator(d ast.Expr, exp *big.Rat) (ast.Expr, int, bool) {
	s, ok := d.(*ast.Sum)
	if !ok || len(s.Terms) != 2 {
		return nil, 0, false
	}
	b, ok := smallPower(exp)
	if !ok {
		return nil, 0, false
	}
	for k, t := range s.Terms {
		if isValue(t, 1) {
			if ex, ok := call(s.Terms[1-k], "exp"); ok {
				return ex.Args[0], b, true
			}
		}
	}
	return nil, 0, false
}

// maxLogisticPower bounds the powers the logistic rules write out.
const maxLogisticPower = 16

// smallPower is exp as an int when it is an integer from 1 to
// maxLogisticPower.
func smallPower(exp *big.Rat) (int, bool) { return smallInt(exp, maxLogisticPower) }

// logisticPower is (1 - sigmoid(u))^b, elementwise (.^) or not.
func logisticPower(u ast.Expr, b int, elementwise bool) ast.Expr {
	x := sum(ast.Int(1), product(ast.Int(-1), &ast.Call{Func: "sigmoid", Args: []ast.Expr{u}}))
	return intPower(x, b, elementwise)
}

// intPower is x^k (x.^k elementwise), x itself for k = 1.
func intPower(x ast.Expr, k int, elementwise bool) ast.Expr {
	switch {
	case k == 1:
		return x
	case elementwise:
		return &ast.ElemPower{X: x, Exp: big.NewRat(int64(k), 1)}
	}
	return &ast.Power{X: x, Exp: big.NewRat(int64(k), 1)}
}

// entries is the number of entries of a shape, written with the sizes of
// variables (rows(x), rows(X) cols(X)), or nil when a size has no name.
func (c *Context) entries(s ast.Shape) ast.Expr {
	var fs []ast.Expr
	for _, d := range []ast.Dim{s.Rows, s.Cols} {
		if d.IsOne() {
			continue
		}
		n := c.dimensionOf(d)
		if n == nil {
			return nil
		}
		fs = append(fs, n)
	}
	return product(fs...)
}
