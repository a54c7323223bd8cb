// Package derive owns differentiation: a rule-based differentiator over
// the ast tree. Gradients of scalar expressions come from reverse mode
// (each node hands an adjoint to its children, grad.go); derivatives by a
// scalar from forward mode (forward.go); Jacobians of vector expressions
// from forward mode on differentials (jacobian.go), and Hessians as the
// Jacobian of the gradient. Every rule is a small function for one
// operator; the rules applied are recorded as steps.
//
// The Jacobian core follows Magnus and Neudecker: the differential of every
// node is identified as vec(dF) = J vec(dX). Two layers share that design.
//
// vec.go writes J for any node with Kronecker products, the complete rule
// set of --vec: vec(A dX B) = (B^T ⊗ A) vec(dX), vec(dX^T) = K vec(dX)
// with the commutation matrix comm(m, n), vec(f(U)) = diag(vec(f'(U)))
// vec(dU) for elementwise functions and quotients, diag(du) and diag(dM)
// through diag(vec(I)), vec(dA ⊗ B) through I ⊗ K ⊗ I, inverses and
// powers. It is always available, and exact.
//
// applied.go finds the matrix form of the Jacobian of a column vector
// whenever one exists, which is what a Hessian or a d/dx^T prints. A
// varying matrix G is seen in its frame, the column (M ∘ (L G R)) r with a
// fixed mask M, factors L, R and column r, each optional. The frame moves
// down the tree (products extend L and R, inverses and powers too,
// elementwise nodes add to the mask) until dG reaches x through a vector,
// where the Kronecker forms reduce to matrices: a column du gives
// diag(M (c ∘ r)) L du, a row dw^T gives diag(c) M diag(r) R^T dw, and
// diag(du) gives (L ∘ (M diag(r) R^T)) du. A mask over a product over
// another mask, M ∘ (L (E ∘ dU) R), is a frame inside a frame (nested.go):
// the inner value is a leaf of the outer frame, since E ∘ (u v^T) =
// diag(u) E diag(v). Only diag(dv) between two matrix factors under a
// mask, M ∘ (L diag(dv) R), whose entries need a Khatri-Rao product, falls
// back to the Kronecker form (r^T ⊗ I) diag(vec(M)) (R^T ⊗ L) vec(dG).
//
// Gradients through Kronecker products and vec (kron.go) run the same
// identities backwards: an adjoint that is a sum of Kronecker products
// s (P ⊗ Q) hands X ⊗ Y the adjoints s ⟨Q, Y⟩ P and s ⟨P, X⟩ Q, and
// vec(X) receives unvec of its adjoint, (B ⊗ A) vec(N) -> A N B^T.
//
// Results are raw trees: the caller simplifies them (package simplify).
package derive

import (
	"fmt"
	"math"
	"math/big"

	"github.com/matdiff/matdiff/ast"
)

// Layout is the convention for derivatives of scalars by vectors and
// matrices, and of vectors by vectors.
type Layout int

const (
	// Denominator layout (the default): a gradient has the shape of the
	// variable; d/dx of a vector f is ∂f^T/∂x.
	Denominator Layout = iota
	// Numerator layout: gradients are transposed; d/dx of f is ∂f/∂x^T.
	Numerator
)

// Request says what to differentiate by.
type Request struct {
	Wrt        string // the variable
	Order      int    // 1, or 2 for d2/dx2
	Transposed bool   // d/dx^T
	Layout     Layout
	Vec        bool // --vec: ∂vec(F)/∂vec(X)^T with Kronecker products
	// Wrt2 is the second variable y of a mixed second derivative d2/dxdy
	// (Order 2): ∂/∂y^T (∂E/∂x), of shape rows(x)×rows(y).
	Wrt2 string
	// Simplify, when set, is applied to intermediate results (the
	// gradient before a second derivative) to keep them small.
	Simplify func(ast.Expr) ast.Expr
	// Steps asks for the rule applications in Result.Steps (what Explain
	// needs); without it none is recorded.
	Steps bool
}

// Step is one rule application: the rule's name, the node it applied to,
// and what it handed on (an adjoint in reverse mode, a differential in
// forward mode).
//
// In reverse mode, Arg is the operand of Node that Out is handed to (nil
// when the rule hands nothing on: a derivative that is zero), and From is
// the index in Result.Steps of the step that handed Node its adjoint, so
// that the steps form the tree a derivation walks. A gradient begins with
// a "seed" step (Node the scalar, Out 1) and ends with a "gradient" step
// (Out the sum of the variable's contributions, before simplification).
// From is -1 for a seed and for the steps of the other modes.
type Step struct {
	Rule string
	Node ast.Expr
	Out  ast.Expr
	Arg  ast.Expr
	From int
}

// Result is a derivative with the steps that produced it.
type Result struct {
	Expr  ast.Expr
	Steps []Step
}

// Derive differentiates e (a tree from ast.Infer, with its info) as the
// request says. The variable must be one of info.Vars.
func Derive(e ast.Expr, info *ast.Info, req Request) (*Result, error) {
	v := info.Vars[req.Wrt]
	if v == nil {
		return nil, fmt.Errorf("%s does not occur in the expression", req.Wrt)
	}
	d := newDeriver(info, req.Wrt, req, nil)
	if req.Wrt2 != "" && req.Order == 2 {
		return d.mixed(e, v)
	}
	out, err := d.derive(e, v)
	if err != nil {
		return nil, err
	}
	return &Result{Expr: out, Steps: d.steps}, nil
}

type deriver struct {
	info  *ast.Info
	wrt   string
	req   Request
	deps  *ast.Owner // whose notes on the nodes say whether they depend on wrt
	steps []Step
	from  int // in reverse mode, the step that handed the current node its adjoint
	// In reverse mode: the node whose rule is handing adjoints on, the
	// variable's contributions so far, and pass (the method value, made
	// once) that hands an adjoint to a child of cur.
	cur   ast.Expr
	acc   []ast.Expr
	pass  func(rule string, child, childBar ast.Expr) error
	nodes nodes
	// In reverse mode without steps: the classes of the subtrees that
	// occur more than once, and those with adjoints to hand down.
	classes map[ast.Expr]*class
	pending []*class
}

// nodes hands out the nodes and lists that reverse mode makes most (a
// few per node of the expression) from blocks, as ast.Block does: a long
// expression's derivative is one allocation per block instead of one per
// node.
type nodes struct {
	products   ast.Block[ast.Product]
	transposes ast.Block[ast.Transpose]
	numbers    ast.Block[ast.Number]
	exprs      []ast.Expr // what is left of the block that lists are cut from
	size       int        // the size of that block
}

// list returns a list of n expressions of its own (capped, so that an
// append copies it).
func (d *deriver) list(n int) []ast.Expr {
	b := &d.nodes
	if n > 64 {
		return make([]ast.Expr, n)
	}
	if len(b.exprs) < n {
		b.size = min(max(32, 2*b.size), 1024)
		b.exprs = make([]ast.Expr, b.size)
	}
	l := b.exprs[:n:n]
	b.exprs = b.exprs[n:]
	return l
}

// mul is mul (below) with the deriver's blocks.
func (d *deriver) mul(fs ...ast.Expr) ast.Expr {
	n, last := kept(fs)
	if n < 2 {
		return last
	}
	p := d.nodes.products.Take()
	p.Factors = appendKept(d.list(n)[:0], fs)
	return p
}

// tr is tr (below) with the deriver's blocks.
func (d *deriver) tr(e ast.Expr) ast.Expr {
	t := d.nodes.transposes.Take()
	t.X = e
	return t
}

// number is the Number v, from the deriver's blocks.
func (d *deriver) number(v *big.Rat) *ast.Number {
	n := d.nodes.numbers.Take()
	n.Value = v
	return n
}

// newDeriver is a deriver by the variable wrt, with the steps so far.
func newDeriver(info *ast.Info, wrt string, req Request, steps []Step) *deriver {
	d := &deriver{info: info, wrt: wrt, req: req, deps: new(ast.Owner), from: -1, steps: steps}
	d.pass = d.passOn
	return d
}

func (d *deriver) step(rule string, node, out ast.Expr) {
	if d.req.Steps {
		d.steps = append(d.steps, Step{Rule: rule, Node: node, Out: out, From: d.from})
	}
}

func (d *deriver) simplify(e ast.Expr) ast.Expr {
	if d.req.Simplify != nil {
		return d.req.Simplify(e)
	}
	return e
}

func (d *deriver) shape(e ast.Expr) ast.Shape { return d.info.MustShape(e) }

func (d *deriver) scalar(e ast.Expr) bool {
	oneRow, oneCol := d.info.Orientation(e)
	return oneRow && oneCol
}

// notClosed is the error for a derivative that has no closed form here.
func notClosed(at ast.Expr, format string, args ...any) error {
	return ast.Errorf(at.Pos(), "derivative", format, args...)
}

func (d *deriver) derive(e ast.Expr, v *ast.Var) (ast.Expr, error) {
	es, vs := d.shape(e), v.Shape
	numerator := d.req.Layout == Numerator || d.req.Transposed
	if d.req.Vec && !vs.IsScalar() {
		if d.req.Order == 2 {
			if !es.IsScalar() {
				return nil, notClosed(e, "d2/d%s2 needs a scalar expression; this one is %v", d.wrt, es)
			}
			g, err := d.gradient(e)
			if err != nil {
				return nil, err
			}
			return d.vecJacobian(d.simplify(g))
		}
		return d.vecJacobian(e)
	}
	switch {
	case es.IsScalar() && d.req.Order == 2:
		switch {
		case vs.IsScalar():
			g, err := d.gradient(e)
			if err != nil {
				return nil, err
			}
			return d.gradient(d.simplify(g))
		case vs.IsVector():
			g, err := d.gradient(e)
			if err != nil {
				return nil, err
			}
			return d.jacobian(d.simplify(g))
		}
		return nil, notClosed(e, "the second derivative by the matrix %s is a 4-way tensor; use --vec for ∂vec/∂vec(%s)^T", d.wrt, d.wrt)
	case d.req.Order == 2:
		return nil, notClosed(e, "d2/d%s2 needs a scalar expression; this one is %v", d.wrt, es)
	case es.IsScalar():
		g, err := d.gradient(e)
		if err != nil {
			return nil, err
		}
		if numerator && !vs.IsScalar() {
			return &ast.Transpose{X: g}, nil
		}
		return g, nil
	case vs.IsScalar():
		return d.forward(e)
	case (es.IsVector() || es.IsRow()) && vs.IsVector():
		j, err := d.jacobian(e)
		if err != nil {
			return nil, err
		}
		if numerator {
			return j, nil
		}
		return &ast.Transpose{X: j}, nil
	}
	what := "a matrix"
	if es.IsVector() || es.IsRow() {
		what = "a vector"
	}
	by := "the vector"
	if vs.IsMatrix() {
		by = "the matrix"
	}
	return nil, notClosed(e, "the derivative of %s (%v) by %s %s is a tensor; use --vec for ∂vec(F)/∂vec(%s)^T", what, es, by, d.wrt, d.wrt)
}

// depends reports whether e contains the variable. The answer is kept
// as a note on the node (a load where a map would hash the node).
func (d *deriver) depends(e ast.Expr) bool {
	if v, ok := ast.Note(e, d.deps).(bool); ok {
		return v
	}
	dep := false
	switch n := e.(type) {
	case *ast.Name:
		return n.Name == d.wrt // no record needed
	case *ast.Number, *ast.Pi, *ast.Identity, *ast.Ones, *ast.Zero, *ast.Comm, *ast.Dimension:
		return false
	default:
		for i, m := 0, ast.NumChildren(e); i < m && !dep; i++ {
			dep = d.depends(ast.Child(e, i))
		}
	}
	ast.SetNote(e, d.deps, dep)
	return dep
}

// Helpers that build trees.

func num(v int64) *ast.Number { return ast.Int(v) }

func neg(e ast.Expr) ast.Expr { return &ast.Neg{X: e} }

func tr(e ast.Expr) ast.Expr { return &ast.Transpose{X: e} }

func pow(e ast.Expr, k int64) ast.Expr { return &ast.Power{X: e, Exp: ast.SmallRat(k)} }

// minus is r - k as a new value (shared when it is a small integer),
// without big.Rat's temporaries for an integer r.
func minus(r *big.Rat, k int64) *big.Rat {
	if r.IsInt() && r.Num().IsInt64() {
		if v := r.Num().Int64(); v >= math.MinInt64+k {
			return ast.SmallRat(v - k)
		}
	}
	return new(big.Rat).Sub(r, big.NewRat(k, 1))
}

func powRat(e ast.Expr, k *big.Rat) ast.Expr { return &ast.Power{X: e, Exp: k} }

func fn(name string, arg ast.Expr) ast.Expr { return &ast.Call{Func: name, Args: []ast.Expr{arg}} }

// mul makes a product of the non-nil factors; a factor 1 (the seed's
// adjoint, say) is left out. It copies fs, which the caller may reuse.
func mul(fs ...ast.Expr) ast.Expr {
	n, last := kept(fs)
	if n < 2 {
		return last
	}
	return &ast.Product{Factors: appendKept(make([]ast.Expr, 0, n), fs)}
}

// kept counts the factors a product keeps (neither nil nor 1) and returns
// the last of them, or the number 1 when there is none.
func kept(fs []ast.Expr) (n int, last ast.Expr) {
	for _, f := range fs {
		if f != nil && !isOne(f) {
			n, last = n+1, f
		}
	}
	if n == 0 {
		last = num(1)
	}
	return n, last
}

// appendKept appends to out the factors a product keeps.
func appendKept(out, fs []ast.Expr) []ast.Expr {
	for _, f := range fs {
		if f != nil && !isOne(f) {
			out = append(out, f)
		}
	}
	return out
}

// isOne reports whether e is the number 1.
func isOne(e ast.Expr) bool {
	n, ok := e.(*ast.Number)
	return ok && ast.RatIs(n.Value, 1) && !n.Decimal
}

// add makes a sum of the non-nil terms, or nil when there are none. It
// copies ts, which the caller may reuse.
func add(ts ...ast.Expr) ast.Expr {
	n, last := 0, ast.Expr(nil)
	for _, t := range ts {
		if t != nil {
			n, last = n+1, t
		}
	}
	switch n {
	case 0:
		return nil
	case 1:
		return last
	}
	out := make([]ast.Expr, 0, n)
	for _, t := range ts {
		if t != nil {
			out = append(out, t)
		}
	}
	return &ast.Sum{Terms: out}
}

// hadamard is a ∘ b, or a product when either is 1×1.
func (d *deriver) hadamard(a, b ast.Expr) ast.Expr {
	if d.scalar(a) || d.scalar(b) {
		return mul(a, b)
	}
	return &ast.Hadamard{X: a, Y: b}
}

// inner is the inner product tr(a^T b) of two expressions of one shape,
// written as a person would: a b for scalars, a^T b for vectors.
func (d *deriver) inner(a, b ast.Expr) ast.Expr {
	s := d.shape(a)
	switch {
	case s.IsScalar():
		return mul(a, b)
	case s.IsVector():
		return mul(tr(a), b)
	case s.IsRow():
		return mul(a, tr(b))
	}
	return fn("tr", mul(tr(a), b))
}

// prodWithout returns the product of the factors other than index i.
func prodWithout(fs []ast.Expr, i int) ast.Expr {
	var rest []ast.Expr
	rest = append(rest, fs[:i]...)
	rest = append(rest, fs[i+1:]...)
	if len(rest) == 0 {
		return num(1)
	}
	return mul(rest...)
}

// mixed is d2/dxdy = ∂/∂y^T (∂E/∂x): the gradient by x, then its Jacobian
// by y (its derivative when y is a scalar, its gradient as a row when x
// is).
func (d *deriver) mixed(e ast.Expr, x *ast.Var) (*Result, error) {
	y := d.info.Vars[d.req.Wrt2]
	if y == nil {
		return nil, fmt.Errorf("%s does not occur in the expression", d.req.Wrt2)
	}
	if !d.scalar(e) {
		return nil, notClosed(e, "d2/d%sd%s needs a scalar expression; this one is %v", x.Name, y.Name, d.shape(e))
	}
	for _, v := range []*ast.Var{x, y} {
		if v.Shape.IsMatrix() || v.Shape.IsRow() {
			return nil, notClosed(e, "d2/d%sd%s needs vectors or scalars; %s is %v", x.Name, y.Name, v.Name, v.Shape)
		}
	}
	g, err := d.gradient(e)
	if err != nil {
		return nil, err
	}
	g = d.simplify(g)
	d2 := newDeriver(d.info, y.Name, d.req, d.steps)
	var out ast.Expr
	switch {
	case y.Shape.IsScalar():
		out, err = d2.forward(g)
	case x.Shape.IsScalar():
		out, err = d2.gradient(g)
		out = tr(out)
	default:
		out, err = d2.jacobian(g)
	}
	if err != nil {
		return nil, err
	}
	return &Result{Expr: out, Steps: d2.steps}, nil
}
