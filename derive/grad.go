package derive

import (
	"slices"

	"github.com/matdiff/matdiff/ast"
)

// gradient returns ∂e/∂X for a scalar e, with the shape of X (the unique
// symmetric gradient when X is symmetric).
func (d *deriver) gradient(e ast.Expr) (ast.Expr, error) {
	saved, savedAcc, savedClasses, savedPending := d.from, d.acc, d.classes, d.pending
	d.from, d.acc, d.classes, d.pending = -1, nil, nil, nil
	d.step("seed", e, num(1))
	root := e
	if d.req.Steps {
		d.from = len(d.steps) - 1
	} else {
		root, d.classes = d.share(e)
	}
	err := d.back(root, num(1))
	if err == nil {
		err = d.handShared()
	}
	contributions := d.acc
	if err == nil && d.req.Steps {
		// The steps went occurrence by occurrence; the gradient is the
		// one reverse mode makes without them.
		if root, classes := d.share(e); classes != nil {
			contributions, err = d.summed(root, classes)
		}
	}
	d.from, d.acc, d.classes, d.pending = saved, savedAcc, savedClasses, savedPending
	if err != nil {
		return nil, err
	}
	v := d.info.Vars[d.wrt]
	g := add(contributions...)
	d.step("gradient", e, g)
	if g == nil {
		if v.Shape.IsScalar() {
			return num(0), nil
		}
		return &ast.Zero{Shape: v.Shape}, nil
	}
	if v.Kind == ast.KindSymmetric {
		sym := mul(ast.Rat(1, 2), &ast.Sum{Terms: []ast.Expr{g, tr(g)}})
		d.step("symmetric-gradient", g, sym)
		return sym, nil
	}
	return g, nil
}

// summed is the variable's contributions to the gradient of e made
// without steps, the classes' adjoints summed.
func (d *deriver) summed(e ast.Expr, classes map[ast.Expr]*class) ([]ast.Expr, error) {
	d.req.Steps = false
	defer func() { d.req.Steps = true }()
	d.acc, d.classes, d.pending = nil, classes, nil
	err := d.back(e, num(1))
	if err == nil {
		err = d.handShared()
	}
	return d.acc, err
}

// back hands the adjoint bar (∂E/∂e, shaped like e) to the children of e
// that depend on the variable, collecting the variable's contributions.
func (d *deriver) back(e, bar ast.Expr) error {
	if !d.depends(e) || d.collect(e, bar) {
		return nil
	}
	saved := d.cur
	d.cur = e
	err := d.backNode(e, bar)
	d.cur = saved
	return err
}

// passOn hands the adjoint childBar to child, an operand of d.cur, by
// the rule named (d.pass is this method).
func (d *deriver) passOn(rule string, child, childBar ast.Expr) error {
	if !d.req.Steps {
		return d.back(child, childBar)
	}
	d.step(rule, d.cur, childBar)
	d.steps[len(d.steps)-1].Arg = child
	saved := d.from
	d.from = len(d.steps) - 1
	err := d.back(child, childBar)
	d.from = saved
	return err
}

// backNode is back for a node that depends on the variable.
func (d *deriver) backNode(e, bar ast.Expr) error {
	pass := d.pass
	switch e := e.(type) {
	case *ast.Name:
		d.acc = append(d.acc, bar)
		return nil
	case *ast.Sum:
		broadcast := !d.scalar(e) // a scalar term of it is broadcast
		for _, t := range e.Terms {
			tb := bar
			if broadcast && d.scalar(t) {
				tb = fn("sum", bar) // a broadcast scalar collects every entry
			}
			if err := pass("sum", t, tb); err != nil {
				return err
			}
		}
		return nil
	case *ast.Neg:
		return pass("negation", e.X, neg(bar))
	case *ast.Product:
		return d.backProduct(e, bar, pass)
	case *ast.Hadamard:
		if err := pass("hadamard", e.X, d.reduce(e.X, e, d.hadamard(bar, e.Y), bar, e.Y)); err != nil {
			return err
		}
		return pass("hadamard", e.Y, d.reduce(e.Y, e, d.hadamard(bar, e.X), bar, e.X))
	case *ast.ElemDiv:
		// ∂(x/y) = dx/y - x dy/y²
		inv := &ast.ElemDiv{X: num(1), Y: e.Y}
		var xb ast.Expr = &ast.ElemDiv{X: bar, Y: e.Y}
		if d.scalar(e.X) && !d.scalar(e) {
			xb = d.inner(bar, inv)
		}
		if err := pass("elementwise-division", e.X, xb); err != nil {
			return err
		}
		q := &ast.ElemDiv{X: e.X, Y: &ast.ElemPower{X: e.Y, Exp: ast.SmallRat(2)}}
		return pass("elementwise-division", e.Y, neg(d.reduce(e.Y, e, d.hadamard(bar, q), bar, q)))
	case *ast.Div:
		if err := pass("division", e.X, &ast.Div{X: bar, Y: e.Y}); err != nil {
			return err
		}
		return pass("division", e.Y, mul(num(-1), d.inner(bar, e.X), pow(e.Y, -2)))
	case *ast.Kron:
		return d.backKron(e, bar, pass)
	case *ast.Transpose:
		return pass("transpose", e.X, tr(bar))
	case *ast.Inverse:
		xinvT := tr(&ast.Inverse{X: e.X})
		return pass("inverse", e.X, mul(num(-1), xinvT, bar, xinvT))
	case *ast.Power:
		return d.backPower(e, bar, pass)
	case *ast.ElemPower:
		p := minus(e.Exp, 1)
		f := mul(&ast.Number{Value: e.Exp}, &ast.ElemPower{X: e.X, Exp: p})
		if d.scalar(e.X) {
			f = mul(&ast.Number{Value: e.Exp}, powRat(e.X, p))
		}
		return pass("elementwise-power", e.X, d.hadamard(bar, f))
	case *ast.Norm:
		if e.Kind == ast.NormOne {
			return pass("norm-1", e.X, d.hadamard(bar, fn("sign", e.X)))
		}
		return pass("norm", e.X, mul(bar, e.X, pow(e, -1)))
	case *ast.Call:
		return d.backCall(e, bar, pass)
	case *ast.Identity:
		return nil
	}
	return notClosed(e, "the derivative of this expression is not supported")
}

// reduce returns the adjoint of an operand x of an elementwise node p:
// full is the adjoint when x has p's shape; when x is a broadcast scalar,
// its adjoint collects every entry, ⟨bar, other⟩.
func (d *deriver) reduce(x, p, full, bar, other ast.Expr) ast.Expr {
	if d.scalar(x) && !d.scalar(p) {
		if d.scalar(other) {
			return mul(fn("sum", bar), other)
		}
		return d.inner(bar, other)
	}
	return full
}

// backProduct: for P = s L X R (s the scalar factors), X̄ = s L^T P̄ R^T;
// for a scalar factor a, ā = ⟨P̄, P/a⟩.
//
// When many factors depend on the variable, the products of the others
// are not copied for each one (Θ(n²) nodes for n factors): the prefixes
// L and suffixes R are nested products shared by all the adjoints
// (partials), so that the derivative takes linear space as a tree with
// shared subtrees; its size as printed is checked by the caller.
func (d *deriver) backProduct(p *ast.Product, bar ast.Expr, pass func(string, ast.Expr, ast.Expr) error) error {
	// The lists are on the stack for short products: mul and add copy
	// what they keep, and the partials get a copy of their own.
	var scalarBuf, chainBuf, fsBuf [8]ast.Expr
	scalars, chain := scalarBuf[:0], chainBuf[:0]
	var long []ast.Expr // chain's array when it is not on the stack
	if len(p.Factors) > len(chainBuf) {
		long = make([]ast.Expr, 0, len(p.Factors))
		chain = long
	}
	deps := 0
	for _, f := range p.Factors {
		if d.depends(f) {
			deps++
		}
		if d.scalar(f) {
			scalars = append(scalars, f)
		} else {
			chain = append(chain, f)
		}
	}
	var all, sub partials
	if deps*len(p.Factors) > maxCopied {
		var own []ast.Expr // the partials' own copy of chain
		if long != nil {
			own = long[:len(chain)] // chain never outgrew it
		} else {
			own = slices.Clone(chain)
		}
		all, sub = newPartials(p.Factors, deps), newPartials(own, deps)
		if len(scalars) > 1 {
			scalars = []ast.Expr{mul(scalars...)} // shared too
		}
	}
	k := 0 // index in chain of the next chain factor
	for i, f := range p.Factors {
		isChain := k < len(chain) && chain[k] == f // the next chain factor (a scalar is never one)
		if isChain {
			k++
		}
		if !d.depends(f) {
			continue
		}
		if !isChain {
			var others ast.Expr
			if all != nil {
				others = all.without(i)
			} else {
				others = prodWithout(p.Factors, i)
			}
			if err := pass("product-scalar", f, d.inner(bar, others)); err != nil {
				return err
			}
			continue
		}
		var left, right ast.Expr // L and R, nil when empty
		switch {
		case sub != nil:
			left, right = sub.prefix(k-1), sub.suffix(k)
		default:
			if k > 1 {
				left = mul(chain[:k-1]...)
			}
			if k < len(chain) {
				right = mul(chain[k:]...)
			}
		}
		fs := append(fsBuf[:0], scalars...)
		if left != nil {
			fs = append(fs, d.tr(left))
		}
		fs = append(fs, bar)
		if right != nil {
			fs = append(fs, d.tr(right))
		}
		if err := pass("product", f, d.mul(fs...)); err != nil {
			return err
		}
	}
	return nil
}

// maxCopied is the number of factors backProduct copies, at most, before
// it shares partial products instead.
const maxCopied = 1024

// partials are the products of the prefixes and suffixes of a list of
// factors, shared between the adjoints of a product so that they take
// space linear in its length however many factors depend on the variable.
type partials interface {
	prefix(i int) ast.Expr  // the product of the first i factors, nil when i is 0
	suffix(i int) ast.Expr  // the product of the factors from i on, nil when none is left
	without(i int) ast.Expr // the product of every factor but the i-th
}

// newPartials chooses how to share: slices of the list when few factors
// depend on the variable (each partial product is one node over a slice,
// which costs no copy), nested products otherwise (each partial product is
// the one before it times one more factor, so that n of them take O(n)
// nodes and edges, where n slices would take O(n²) edges).
func newPartials(fs []ast.Expr, deps int) partials {
	if deps <= maxSliced {
		return sliced(fs)
	}
	return newNested(fs)
}

// maxSliced is the number of dependent factors up to which newPartials
// shares slices.
const maxSliced = 4

// sliced shares slices of the list (capped, so that no append can write
// into it); trees may share them since they are never modified.
type sliced []ast.Expr

// run is the product of fs, nil when fs is empty.
func run(fs []ast.Expr) ast.Expr {
	switch len(fs) {
	case 0:
		return nil
	case 1:
		return fs[0]
	}
	return &ast.Product{Factors: fs[:len(fs):len(fs)]}
}

func (p sliced) prefix(i int) ast.Expr  { return run(p[:i]) }
func (p sliced) suffix(i int) ast.Expr  { return run(p[i:]) }
func (p sliced) without(i int) ast.Expr { return join(p.prefix(i), p.suffix(i+1)) }

// nested shares nested products, each made of the one before it and one
// more factor.
type nested struct {
	pre, suf []ast.Expr // pre[i] = f[0] … f[i-1], suf[i] = f[i] … f[n-1]; nil when empty
}

func newNested(fs []ast.Expr) *nested {
	n := len(fs)
	p := &nested{pre: make([]ast.Expr, n+1), suf: make([]ast.Expr, n+1)}
	for i, f := range fs {
		p.pre[i+1] = mul(p.pre[i], f)
	}
	for i := n - 1; i >= 0; i-- {
		p.suf[i] = mul(fs[i], p.suf[i+1])
	}
	return p
}

func (p *nested) prefix(i int) ast.Expr  { return p.pre[i] }
func (p *nested) suffix(i int) ast.Expr  { return p.suf[i] }
func (p *nested) without(i int) ast.Expr { return join(p.pre[i], p.suf[i+1]) }

// join is l r, either of which may be nil (empty); 1 when both are.
func join(l, r ast.Expr) ast.Expr {
	switch {
	case l == nil && r == nil:
		return num(1)
	case l == nil:
		return r
	case r == nil:
		return l
	default:
		return mul(l, r)
	}
}

func (d *deriver) backPower(e *ast.Power, bar ast.Expr, pass func(string, ast.Expr, ast.Expr) error) error {
	if d.scalar(e.X) {
		if n, ok := e.X.(*ast.Norm); ok && n.Kind != ast.NormOne {
			// d||X||^k = k ||X||^(k-2) ⟨X, dX⟩
			k2 := minus(e.Exp, 2)
			var f ast.Expr
			if k2.Sign() != 0 {
				f = powRat(n, k2)
			}
			return pass("norm-power", n.X, d.mul(d.number(e.Exp), f, bar, n.X))
		}
		k1 := minus(e.Exp, 1)
		return pass("power", e.X, d.mul(d.number(e.Exp), powRat(e.X, k1), bar))
	}
	if !e.Exp.IsInt() || !e.Exp.Num().IsInt64() {
		return notClosed(e, "only integer powers of a matrix can be differentiated")
	}
	k := e.Exp.Num().Int64()
	x := e.X
	if k < 0 {
		x, k = &ast.Inverse{X: e.X}, -k
	}
	if k > 64 {
		return notClosed(e, "the derivative of a matrix power above 64 is too long to write out")
	}
	if k == 0 {
		return nil
	}
	// d(X^k) = Σ X^i dX X^(k-1-i), so X̄ = Σ (X^T)^i P̄ (X^T)^(k-1-i).
	var terms []ast.Expr
	for i := int64(0); i < k; i++ {
		var fs []ast.Expr
		if i > 0 {
			fs = append(fs, pow(tr(x), i))
		}
		fs = append(fs, bar)
		if k-1-i > 0 {
			fs = append(fs, pow(tr(x), k-1-i))
		}
		terms = append(terms, mul(fs...))
	}
	return pass("matrix-power", x, add(terms...))
}
