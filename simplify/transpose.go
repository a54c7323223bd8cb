package simplify

import (
	"github.com/matdiff/matdiff/ast"
)

// transposeRules push transposes down to the leaves.
var transposeRules = []Rule{
	{Name: "transpose-transpose", Doc: "(X^T)^T -> X", Apply: transposeTranspose, On: OnTranspose},
	{Name: "transpose-scalar", Doc: "s^T -> s for a 1×1 s that is not a product", Apply: transposeScalar, On: OnTranspose},
	{Name: "transpose-symmetric", Doc: "S^T -> S for a symmetric S, I, diag(v), f(S) for an elementwise f", Apply: transposeSymmetric, On: OnTranspose},
	{Name: "transpose-sum", Doc: "(A + B)^T -> A^T + B^T; a column sum keeps its transpose when that has fewer marks, or as many and a broadcast scalar term: (x - mu)^T, (s - y)^T", Apply: transposeSum, On: OnTranspose},
	{Name: "transpose-product", Doc: "(A B)^T -> B^T A^T; a product of more than 256 nodes keeps its transpose outside", Apply: transposeProduct, On: OnTranspose},
	{Name: "transpose-elementwise", Doc: "(A .* B)^T -> A^T .* B^T; f(u)^T stays: tanh(W x + b)^T", Apply: transposeElementwise, On: OnTranspose},
	{Name: "transpose-inverse", Doc: "(A^-1)^T -> (A^T)^-1 inside, A^-T on a leaf; an inverse of more than 256 nodes keeps its transpose outside", Apply: transposeInverse, On: OnTranspose},
	{Name: "inverse-transpose", Doc: "(A^T)^-1 -> A^-T", Apply: inverseTranspose, On: OnInverse},
	{Name: "transpose-power", Doc: "(A^k)^T -> (A^T)^k", Apply: transposePower, On: OnTranspose},
	{Name: "scalar-orientation", Doc: "y^T x -> x^T y: a 1×1 product takes its smaller orientation", Apply: scalarOrientation, On: OnProduct | OnTranspose},
}

func transposeTranspose(c *Context, e ast.Expr) ast.Expr {
	t, ok := e.(*ast.Transpose)
	if !ok {
		return nil
	}
	if inner, ok := t.X.(*ast.Transpose); ok {
		return inner.X
	}
	return nil
}

func transposeScalar(c *Context, e ast.Expr) ast.Expr {
	t, ok := e.(*ast.Transpose)
	if !ok || !c.scalar(t.X) {
		return nil
	}
	switch t.X.(type) {
	case *ast.Product, *ast.Sum:
		return nil // handled by the product and sum rules
	}
	return t.X
}

func transposeSymmetric(c *Context, e ast.Expr) ast.Expr {
	t, ok := e.(*ast.Transpose)
	if !ok {
		return nil
	}
	switch x := t.X.(type) {
	case *ast.Name:
		if c.symmetric(x.Name) {
			return x
		}
	case *ast.Inverse:
		if n, ok := x.X.(*ast.Name); ok && c.symmetric(n.Name) {
			return x
		}
	case *ast.Identity:
		return x
	case *ast.Zero:
		return &ast.Zero{Shape: x.Shape.T()}
	case *ast.Call:
		if x.Func == "diag" && !c.shape(x.Args[0]).IsSquare() {
			return x // diag(v) of a vector is a diagonal matrix
		}
		// An elementwise function of a symmetric matrix is symmetric:
		// sign(S)^T -> sign(S).
		budget := maxSymmetricNodes
		if f, ok := ast.LookupFunc(x.Func); ok && f.Kind == ast.Elementwise && c.symmetricExpr(x.Args[0], &budget) {
			return x
		}
	}
	return nil
}

// maxSymmetricNodes bounds the nodes symmetricExpr looks at.
const maxSymmetricNodes = 256

// symmetricExpr reports whether e is a symmetric matrix by its form,
// looking at no more nodes than the budget allows: a symmetric variable,
// I, diag(v), and inverses, powers, sums and elementwise operations and
// functions of symmetric matrices, a scalar multiple of one, and a chain
// that reads the same transposed (A^T S A).
func (c *Context) symmetricExpr(e ast.Expr, budget *int) bool {
	if *budget == 0 {
		return false
	}
	*budget--
	if c.scalar(e) {
		return true
	}
	switch x := e.(type) {
	case *ast.Name:
		return c.symmetric(x.Name)
	case *ast.Identity:
		return true
	case *ast.Transpose:
		return c.symmetricExpr(x.X, budget)
	case *ast.Inverse:
		return c.symmetricExpr(x.X, budget)
	case *ast.Power:
		return c.symmetricExpr(x.X, budget)
	case *ast.ElemPower:
		return c.symmetricExpr(x.X, budget)
	case *ast.Hadamard:
		return c.symmetricExpr(x.X, budget) && c.symmetricExpr(x.Y, budget)
	case *ast.ElemDiv:
		return c.symmetricExpr(x.X, budget) && c.symmetricExpr(x.Y, budget)
	case *ast.Sum:
		for _, t := range x.Terms {
			if !c.symmetricExpr(t, budget) {
				return false
			}
		}
		return true
	case *ast.Call:
		if x.Func == "diag" {
			return !c.shape(x.Args[0]).IsSquare()
		}
		f, ok := ast.LookupFunc(x.Func)
		return ok && f.Kind == ast.Elementwise && c.symmetricExpr(x.Args[0], budget)
	case *ast.Product:
		chain := c.split(x).chain
		n := len(chain)
		for i := range n / 2 {
			if c.key(chain[i]) != c.key(transposeOf(chain[n-1-i])) {
				return false
			}
		}
		return n%2 == 0 || c.symmetricExpr(chain[n/2], budget)
	}
	return false
}

// transposeOf is e^T, without a double transpose.
func transposeOf(e ast.Expr) ast.Expr {
	if t, ok := e.(*ast.Transpose); ok {
		return t.X
	}
	return &ast.Transpose{X: e}
}

func transposeSum(c *Context, e ast.Expr) ast.Expr {
	t, ok := e.(*ast.Transpose)
	if !ok {
		return nil
	}
	s, ok := t.X.(*ast.Sum)
	if !ok {
		return nil
	}
	if c.scalar(s) {
		return s
	}
	terms := make([]ast.Expr, len(s.Terms))
	for i, x := range s.Terms {
		terms[i] = c.pushTranspose(x)
	}
	if c.shape(s).IsVector() {
		// (x - mu)^T stays, rather than x^T - mu^T; so does (s - y)^T, for
		// s - y^T (row-sum-transpose breaks the tie the same way).
		if pushed, marks := c.transposes(terms...), c.transposes(e); pushed > marks || pushed == marks && c.hasScalarTerm(s) {
			return nil
		}
	}
	return sum(terms...)
}

// transposes counts the transpose marks in the trees (X^-T counts once).
func (c *Context) transposes(es ...ast.Expr) int {
	n := 0
	for _, e := range es {
		n += c.marks(e)
	}
	return n
}

// marks is the number of transposes in e, kept in the records of e and
// its subtrees, so that a sum nested n deep, whose every level
// transpose-sum weighs, is counted once (z^T (x + A (y + A (…)))).
func (c *Context) marks(e ast.Expr) int {
	if isLeaf(e) {
		return 0
	}
	m := c.node(e)
	if m.hasMarks {
		return int(m.marks)
	}
	n := 0
	if _, ok := e.(*ast.Transpose); ok {
		n = 1
	}
	for i := range ast.NumChildren(e) {
		n += c.marks(ast.Child(e, i))
	}
	m.marks, m.hasMarks = int32(n), true
	return n
}

func transposeProduct(c *Context, e ast.Expr) ast.Expr {
	t, ok := e.(*ast.Transpose)
	if !ok {
		return nil
	}
	p, ok := t.X.(*ast.Product)
	if !ok || c.size(p) > maxTransposeProductNodes {
		return nil
	}
	var fs []ast.Expr
	var chain []ast.Expr
	for _, f := range p.Factors {
		if c.scalar(f) {
			fs = append(fs, f)
		} else {
			chain = append(chain, f)
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		fs = append(fs, transpose(chain[i]))
	}
	return product(fs...)
}

func transposeElementwise(c *Context, e ast.Expr) ast.Expr {
	t, ok := e.(*ast.Transpose)
	if !ok {
		return nil
	}
	switch x := t.X.(type) {
	case *ast.Hadamard:
		return &ast.Hadamard{X: transpose(x.X), Y: transpose(x.Y)}
	case *ast.ElemDiv:
		return &ast.ElemDiv{X: transpose(x.X), Y: transpose(x.Y)}
	case *ast.Kron:
		return &ast.Kron{X: transpose(x.X), Y: transpose(x.Y)}
	case *ast.ElemPower:
		return &ast.ElemPower{X: transpose(x.X), Exp: x.Exp}
	}
	if f, ok := t.X.(*ast.Call); ok && ast.Funcs[f.Func].KeepsShape() {
		if inner, ok := f.Args[0].(*ast.Transpose); ok {
			return &ast.Call{Func: f.Func, Args: []ast.Expr{inner.X}} // f(u^T)^T -> f(u)
		}
	}
	return nil // f(u)^T stays: tanh(W x + b)^T, not tanh((W x + b)^T)
}

func isLeaf(e ast.Expr) bool {
	switch e.(type) {
	case *ast.Name, *ast.Identity, *ast.Ones, *ast.Zero:
		return true
	}
	return false
}

func transposeInverse(c *Context, e ast.Expr) ast.Expr {
	t, ok := e.(*ast.Transpose)
	if !ok {
		return nil
	}
	inv, ok := t.X.(*ast.Inverse)
	if !ok || isLeaf(inv.X) || c.size(inv.X) > maxTransposeInverseNodes {
		return nil
	}
	return &ast.Inverse{X: transpose(inv.X)}
}

// maxTransposeProductNodes bounds the products whose transpose
// transpose-product takes inside: a larger one keeps it outside,
// (A B …)^T, so that a chain transposed at every level of a nesting
// ((… (A0 X)^T …)^T by X) is not reversed at every level, n² rewrites.
const maxTransposeProductNodes = 256

// maxTransposeInverseNodes bounds the inverses that transpose-inverse
// transposes inside: a larger one keeps its transpose outside, P^-T, so
// that inverse transposes nested n deep ((… (X^-T A)^-T …)^-T A) are not
// transposed through every level at every level, n² rewrites.
const maxTransposeInverseNodes = 256

func inverseTranspose(c *Context, e ast.Expr) ast.Expr {
	inv, ok := e.(*ast.Inverse)
	if !ok {
		return nil
	}
	t, ok := inv.X.(*ast.Transpose)
	if !ok || !isLeaf(t.X) {
		return nil
	}
	return transpose(&ast.Inverse{X: t.X})
}

func transposePower(c *Context, e ast.Expr) ast.Expr {
	t, ok := e.(*ast.Transpose)
	if !ok {
		return nil
	}
	p, ok := t.X.(*ast.Power)
	if !ok {
		return nil
	}
	return &ast.Power{X: transpose(p.X), Exp: p.Exp}
}

// scalarOrientation flips a 1×1 product (or its transpose) to whichever of
// its two orientations has the smaller key, so that x^T y and y^T x agree.
func scalarOrientation(c *Context, e ast.Expr) ast.Expr {
	var p *ast.Product
	switch x := e.(type) {
	case *ast.Product:
		p = x
	case *ast.Transpose:
		if q, ok := x.X.(*ast.Product); ok && c.scalar(q) {
			return transposeProduct(c, x)
		}
		return nil
	default:
		return nil
	}
	if !c.scalar(p) {
		return nil
	}
	t := c.split(p)
	if len(t.chain) < 2 {
		return nil
	}
	flipped := make([]ast.Expr, len(t.chain))
	for i, f := range t.chain {
		flipped[len(t.chain)-1-i] = c.pushTranspose(f)
	}
	// The orientation with fewer nodes (transposes of composites cost
	// one), then the smaller key.
	nf, nc := c.size(product(flipped...)), c.size(product(t.chain...))
	if nf > nc || (nf == nc && c.key(product(flipped...)) >= c.key(product(t.chain...))) {
		return nil
	}
	t.chain = flipped
	return t.build()
}

// pushTranspose returns the canonical form of f^T (A -> A^T, A^T -> A,
// A^-1 -> A^-T, (A + B) -> A^T + B^T in order), so that comparing the two
// orientations of a chain compares canonical forms and cannot cycle. The
// results are memoised by key, and the steps are not traced.
func (c *Context) pushTranspose(f ast.Expr) ast.Expr {
	if out, ok := c.pushed[f]; ok {
		return out
	}
	if c.pushed == nil {
		c.pushed = map[ast.Expr]ast.Expr{}
	}
	k := c.key(f) + "\x00" + c.shape(f).String() // keys of 0, I, 1 omit sizes
	if out, ok := c.transposed[k]; ok {
		c.pushed[f] = out
		return out
	}
	trace := c.Trace
	c.Trace = nil
	out, _ := c.bottomUp(transpose(f))
	c.Trace = trace
	if c.transposed == nil {
		c.transposed = map[string]ast.Expr{}
	}
	c.transposed[k] = out
	c.pushed[f] = out
	return out
}

// symmetric reports whether the variable name is declared symmetric. Most
// expressions have no symmetric variable: the variables are looked over
// once, instead of each name being looked up.
func (c *Context) symmetric(name string) bool {
	if c.symVars == 0 {
		c.symVars = 1
		for _, v := range c.Info.Vars {
			if v.Kind == ast.KindSymmetric {
				c.symVars = 2
				break
			}
		}
	}
	return c.symVars == 2 && c.Info.Symmetric(name)
}
