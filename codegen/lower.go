package codegen

import (
	"fmt"
	"math"
	"math/big"

	"github.com/matdiff/matdiff/ast"
)

// lowerer turns expression trees into nodes of one builder, so that the
// value and the derivatives share what they compute alike.
type lowerer struct {
	b    *builder
	info *ast.Info
	err  error
	// lowered holds the node of each subtree with children lowered so
	// far: a simplified derivative shares subtrees (the adjoint of an
	// operand used twice), and as a tree it can be many times larger than
	// its distinct nodes.
	lowered map[ast.Expr]*node
}

func (l *lowerer) fail(format string, args ...any) {
	if l.err == nil {
		l.err = fmt.Errorf(format, args...)
	}
}

func (l *lowerer) shape(e ast.Expr) ast.Shape {
	s, err := l.info.Shape(e)
	if err != nil {
		l.fail("codegen: %v", err)
	}
	return s
}

// lower returns the node that computes e.
func (l *lowerer) lower(e ast.Expr) *node {
	if ast.NumChildren(e) == 0 {
		return l.lowerNode(e)
	}
	if n, ok := l.lowered[e]; ok {
		return n
	}
	n := l.lowerNode(e)
	if l.lowered == nil {
		l.lowered = map[ast.Expr]*node{}
	}
	l.lowered[e] = n
	return n
}

// lowerNode is lower of e, not remembered.
func (l *lowerer) lowerNode(e ast.Expr) *node {
	b := l.b
	switch e := e.(type) {
	case *ast.Number:
		return b.number(e.Value)
	case *ast.Pi:
		return b.leaf(opPi, ast.Scalar)
	case *ast.Name:
		return b.variable(e.Name, l.shape(e))
	case *ast.Dimension:
		v := l.info.Vars[e.X.Name]
		if v == nil {
			l.fail("codegen: unknown variable %s", e.X.Name)
			return b.int(1)
		}
		if e.Cols {
			return b.dimension(v.Shape.Cols)
		}
		return b.dimension(v.Shape.Rows)
	case *ast.Identity:
		return b.eye(e.N)
	case *ast.Ones:
		return b.ones(e.N)
	case *ast.Zero:
		return b.zeros(e.Shape)
	case *ast.Sum:
		return l.sum(e)
	case *ast.Product:
		return l.product(e.Factors, false)
	case *ast.Hadamard:
		return b.mul(l.lower(e.X), l.lower(e.Y))
	case *ast.ElemDiv:
		return b.div(l.lower(e.X), l.lower(e.Y))
	case *ast.Div:
		return b.div(l.lower(e.X), l.lower(e.Y))
	case *ast.Kron:
		return l.product([]ast.Expr{e}, false)
	case *ast.Neg:
		return b.neg(l.lower(e.X))
	case *ast.Transpose:
		if !l.shape(e).IsMatrix() {
			return l.lower(e.X)
		}
		return l.product([]ast.Expr{e}, false)
	case *ast.Inverse:
		return b.op1(opInv, l.shape(e), l.lower(e.X))
	case *ast.Power:
		return l.power(e)
	case *ast.ElemPower:
		return l.pow(l.lower(e.X), e.Exp)
	case *ast.Norm:
		x := l.lower(e.X)
		if e.Kind == ast.NormOne {
			return b.op1(opNorm1, ast.Scalar, x)
		}
		return b.op1(opNorm, ast.Scalar, x)
	case *ast.Call:
		return l.call(e)
	case *ast.Comm:
		l.fail("codegen cannot write the commutation matrix comm(…) yet; write the transpose it stands for")
		return b.int(0)
	}
	l.fail("codegen: unexpected node %T", e)
	return b.int(0)
}

func (l *lowerer) sum(e *ast.Sum) *node {
	var acc *node
	for _, t := range e.Terms {
		neg := false
		if n, ok := t.(*ast.Neg); ok {
			neg, t = true, n.X
		}
		x := l.lower(t)
		switch {
		case acc == nil && neg:
			acc = l.b.neg(x)
		case acc == nil:
			acc = x
		case neg:
			acc = l.b.sub(acc, x)
		default:
			acc = l.b.add(acc, x)
		}
	}
	return acc
}

// pow is x.^k; a power 1 is x.
func (l *lowerer) pow(x *node, k *big.Rat) *node {
	if k.Cmp(big.NewRat(1, 1)) == 0 {
		return x
	}
	return l.b.make(node{op: opPow, shape: x.shape, args: []*node{x}, num: new(big.Rat).Set(k)})
}

func (l *lowerer) power(e *ast.Power) *node {
	if l.shape(e.X).IsScalar() {
		if n, ok := e.X.(*ast.Norm); ok && n.Kind != ast.NormOne && e.Exp.Cmp(big.NewRat(2, 1)) == 0 {
			return l.b.op1(opSqNorm, ast.Scalar, l.lower(n.X))
		}
		return l.pow(l.lower(e.X), e.Exp)
	}
	return l.product([]ast.Expr{e}, false)
}

func (l *lowerer) call(e *ast.Call) *node {
	b := l.b
	arg := e.Args[0]
	as := l.shape(arg)
	switch e.Func {
	case "tr":
		if p, ok := arg.(*ast.Product); ok {
			return l.product(p.Factors, true)
		}
		return b.op1(opTrace, ast.Scalar, l.lower(arg))
	case "det":
		return b.op1(opDet, ast.Scalar, l.lower(arg))
	case "logdet":
		return b.op1(opLogDet, ast.Scalar, l.lower(arg))
	case "sum":
		if as.IsScalar() {
			return l.lower(arg)
		}
		return b.op1(opSum, ast.Scalar, l.lower(arg))
	case "vec":
		if !as.IsMatrix() {
			return l.lower(arg)
		}
		return b.op1(opVec, ast.Shape{Rows: as.Rows.Times(as.Cols), Cols: ast.One}, l.lower(arg))
	case "diag":
		switch {
		case as.IsScalar():
			return l.lower(arg)
		case as.IsMatrix():
			return b.op1(opDiagVec, ast.Shape{Rows: as.Rows, Cols: ast.One}, l.lower(arg))
		}
		return l.product([]ast.Expr{e}, false)
	case "rows":
		return b.dimension(as.Rows)
	case "cols":
		return b.dimension(as.Cols)
	}
	if _, ok := ast.LookupFunc(e.Func); !ok {
		l.fail("codegen: no code for the function %s", e.Func)
		return b.int(0)
	}
	// Elementwise functions, softmax, logsumexp: spelled by the registry.
	x := l.lower(arg)
	return b.make(node{op: opCall, name: e.Func, shape: l.shape(e), args: []*node{x}})
}

// operand kinds of a matrix chain.
type operandKind int

const (
	plain  operandKind = iota
	onesOp             // the all-ones vector (x: nil)
	diagOp             // diag(x), x a vector
	invOp              // x^-1
	kronOp             // x ⊗ y
)

// operand is a factor of a matrix chain, with its oriented shape.
type operand struct {
	kind  operandKind
	x, y  *node
	shape ast.Shape
	// top is the operation that made a plain operand from two others, so
	// that scalar factors can go into the smaller operand of an outer
	// product.
	top *node
}

// chain is a product being lowered: a coefficient, scalar factors, and
// the matrix chain.
type chain struct {
	coef    *big.Rat
	scalars []*node
	ops     []operand
	zero    bool
	eye     ast.Dim // the size of an identity factor, dropped from ops
	hasEye  bool
}

// product lowers a product of factors (trace: the trace of it).
func (l *lowerer) product(factors []ast.Expr, trace bool) *node {
	if d := l.distribute(factors, trace); d != nil {
		return d
	}
	c := &chain{coef: big.NewRat(1, 1)}
	for _, f := range factors {
		l.factor(c, f, false)
	}
	b := l.b
	if len(c.ops) == 0 && c.hasEye {
		c.ops = append(c.ops, operand{kind: plain, x: b.eye(c.eye), shape: ast.Shape{Rows: c.eye, Cols: c.eye}})
	}
	var out *node
	switch {
	case c.zero:
		if trace {
			return b.int(0)
		}
		var s ast.Shape
		if len(c.ops) > 0 {
			s = ast.Shape{Rows: c.ops[0].shape.Rows, Cols: c.ops[len(c.ops)-1].shape.Cols}
		}
		return b.zeros(s)
	case trace:
		out = l.traceOf(c.ops)
	case len(c.ops) > 0:
		res := l.order(c.ops, true)
		out = l.plainOf(res)
		if s := l.scalarPart(c); s != nil {
			if res.top != nil && res.top.op == opOuter {
				x, y := res.top.args[0], res.top.args[1]
				return b.op2(opOuter, res.top.shape, b.mul(s, x), y)
			}
			return b.mul(s, out)
		}
		return out
	}
	s := l.scalarPart(c)
	switch {
	case s == nil && out == nil:
		return b.int(1)
	case s == nil:
		return out
	case out == nil:
		return s
	}
	return b.mul(s, out)
}

// distribute writes a product whose result is a vector or a scalar and
// that has a sum of matrices among its factors as the sum of the
// products of its terms, (A + A^T) x -> A x + A^T x, so that no matrix is
// formed and each term's product can be shared; nil when it does not
// apply.
func (l *lowerer) distribute(factors []ast.Expr, trace bool) *node {
	if trace || len(factors) < 2 {
		return nil
	}
	s := l.shape(&ast.Product{Factors: factors})
	if s.IsMatrix() {
		return nil
	}
	for i, f := range factors {
		sum, ok := f.(*ast.Sum)
		if !ok || len(sum.Terms) > 4 || !l.shape(f).IsMatrix() {
			continue
		}
		terms := make([]ast.Expr, len(sum.Terms))
		for k, t := range sum.Terms {
			neg := false
			if n, ok := t.(*ast.Neg); ok {
				neg, t = true, n.X
			}
			fs := append(append(append([]ast.Expr{}, factors[:i]...), t), factors[i+1:]...)
			var p ast.Expr = &ast.Product{Factors: fs}
			if neg {
				p = &ast.Neg{X: p}
			}
			terms[k] = p
		}
		return l.sum(&ast.Sum{Terms: terms})
	}
	return nil
}

// scalarPart is the product of the coefficient and the scalar factors, or
// nil when it is 1.
func (l *lowerer) scalarPart(c *chain) *node {
	var s *node
	if c.coef.Cmp(big.NewRat(1, 1)) != 0 {
		s = l.b.number(c.coef)
	}
	for _, x := range c.scalars {
		if s == nil {
			s = x
		} else {
			s = l.b.mul(s, x)
		}
	}
	return s
}

// factor adds the factor f (transposed when t) to the chain.
func (l *lowerer) factor(c *chain, f ast.Expr, t bool) {
	b := l.b
	s := l.shape(f)
	if s.IsScalar() {
		switch f := f.(type) {
		case *ast.Number:
			c.coef.Mul(c.coef, f.Value)
			return
		case *ast.Neg:
			c.coef.Neg(c.coef)
			l.factor(c, f.X, t)
			return
		}
		x := l.lower(f)
		if x.op == opNum {
			c.coef.Mul(c.coef, x.num)
			return
		}
		c.scalars = append(c.scalars, x)
		return
	}
	if t {
		s = s.T()
	}
	switch f := f.(type) {
	case *ast.Product:
		if t {
			for i := len(f.Factors) - 1; i >= 0; i-- {
				l.factor(c, f.Factors[i], true)
			}
			return
		}
		for _, g := range f.Factors {
			l.factor(c, g, false)
		}
		return
	case *ast.Neg:
		c.coef.Neg(c.coef)
		l.factor(c, f.X, t)
		return
	case *ast.Transpose:
		l.factor(c, f.X, !t)
		return
	case *ast.Identity:
		c.eye, c.hasEye = f.N, true
		return
	case *ast.Zero:
		c.zero = true
		return
	case *ast.Ones:
		c.ops = append(c.ops, operand{kind: onesOp, shape: s})
		return
	case *ast.Call:
		if f.Func == "diag" && !l.shape(f.Args[0]).IsMatrix() {
			c.ops = append(c.ops, operand{kind: diagOp, x: l.lower(f.Args[0]), shape: s})
			return
		}
	case *ast.Kron:
		x, y := l.lower(f.X), l.lower(f.Y)
		if t {
			x, y = b.transpose(x), b.transpose(y)
		}
		if l.shape(f.X).IsMatrix() && l.shape(f.Y).IsMatrix() {
			c.ops = append(c.ops, operand{kind: kronOp, x: x, y: y, shape: s})
			return
		}
		c.ops = append(c.ops, operand{kind: plain, x: l.kron(f, t), shape: s})
		return
	case *ast.Inverse:
		x := l.lower(f.X)
		if t {
			x = b.transpose(x)
		}
		c.ops = append(c.ops, operand{kind: invOp, x: x, shape: s})
		return
	case *ast.Power:
		if f.Exp.IsInt() && f.Exp.Num().IsInt64() {
			k := f.Exp.Num().Int64()
			if k >= -4 && k <= 4 && k != 0 {
				x := l.lower(f.X)
				if t {
					x = b.transpose(x)
				}
				kind := plain
				if k < 0 {
					kind, k = invOp, -k
				}
				for i := int64(0); i < k; i++ {
					c.ops = append(c.ops, operand{kind: kind, x: x, shape: s})
				}
				return
			}
			if k != 0 {
				x := l.lower(f.X)
				if t {
					x = b.transpose(x)
				}
				if k < 0 {
					x, k = b.op1(opInv, x.shape, x), -k
				}
				p := b.make(node{op: opMatPow, shape: x.shape, args: []*node{x}, num: big.NewRat(k, 1)})
				c.ops = append(c.ops, operand{kind: plain, x: p, shape: s})
				return
			}
			c.ops = append(c.ops, operand{kind: plain, x: b.eye(s.Rows), shape: s})
			return
		}
	}
	x := l.lower(f)
	if t {
		x = b.transpose(x)
	}
	c.ops = append(c.ops, operand{kind: plain, x: x, shape: s})
}

// kron forms the Kronecker product f (transposed when t), one of whose
// operands is a vector.
func (l *lowerer) kron(f *ast.Kron, t bool) *node {
	side := func(e ast.Expr) string {
		s := l.shape(e)
		if t {
			s = s.T()
		}
		switch {
		case s.IsScalar():
			return "s"
		case s.IsRow():
			return "r"
		case s.IsVector():
			return "c"
		}
		return "m"
	}
	x, y := l.lower(f.X), l.lower(f.Y)
	if t {
		x, y = l.b.transpose(x), l.b.transpose(y)
	}
	s := l.shape(f)
	if t {
		s = s.T()
	}
	return l.b.make(node{op: opKron, name: side(f.X) + side(f.Y), shape: s, args: []*node{x, y}})
}

// weight is the size a dimension stands for when ordering a chain: 1 for
// the literal 1, a large size for each base dimension.
func weight(d ast.Dim) float64 { return math.Pow(1000, float64(len(d))) }

// cost of multiplying two operands.
func cost(a, b operand) float64 {
	r, k, c := weight(a.shape.Rows), weight(a.shape.Cols), weight(b.shape.Cols)
	switch {
	case a.kind == diagOp && b.kind == diagOp:
		return r
	case a.kind == diagOp || b.kind == diagOp || a.kind == onesOp || b.kind == onesOp:
		return r * c
	}
	return r * k * c
}

// order multiplies the operands of a chain in the order that costs the
// fewest operations when every dimension is large: matrix-vector first.
// A run of three or more matrices with no vector among them is a
// multi-dot, ordered at run time by the actual sizes. top says whether
// the caller wants the whole chain as one operand (it always gets it).
func (l *lowerer) order(ops []operand, top bool) operand {
	n := len(ops)
	if n == 1 {
		return ops[0]
	}
	if p := l.matPower(ops); p != nil {
		return *p
	}
	if n > maxOrderDP {
		return l.greedyOrder(ops)
	}
	// Dynamic programming over intervals, on the shapes alone.
	type cell struct {
		cost  float64
		split int
		res   operand // only its shape and kind matter here
	}
	best := make([][]cell, n)
	for i := range best {
		best[i] = make([]cell, n)
		best[i][i] = cell{res: ops[i]}
	}
	for span := 1; span < n; span++ {
		for i := 0; i+span < n; i++ {
			j := i + span
			cur := cell{cost: math.Inf(1)}
			for k := i; k < j; k++ {
				a, c := best[i][k], best[k+1][j]
				v := a.cost + c.cost + cost(a.res, c.res)
				// Ties go to the leftmost split: x^T (A x).
				if v < cur.cost {
					kind := plain
					if a.res.kind == diagOp && c.res.kind == diagOp {
						kind = diagOp
					}
					cur = cell{cost: v, split: k, res: operand{kind: kind, shape: ast.Shape{Rows: a.res.shape.Rows, Cols: c.res.shape.Cols}}}
				}
			}
			best[i][j] = cur
		}
	}
	var build func(i, j int) operand
	build = func(i, j int) operand {
		if i == j {
			return ops[i]
		}
		if j-i >= 2 && allMatrices(ops[i:j+1]) {
			args := make([]*node, 0, j-i+1)
			for _, o := range ops[i : j+1] {
				args = append(args, o.x)
			}
			s := ast.Shape{Rows: ops[i].shape.Rows, Cols: ops[j].shape.Cols}
			return operand{kind: plain, x: l.b.make(node{op: opMultiDot, shape: s, args: args}), shape: s}
		}
		k := best[i][j].split
		return l.combine(build(i, k), build(k+1, j))
	}
	return build(0, n-1)
}

// matPower is the chain M M … M (or M^-1 … M^-1) as a matrix power, or
// nil.
func (l *lowerer) matPower(ops []operand) *operand {
	for _, o := range ops {
		if (o.kind != plain && o.kind != invOp) || o.kind != ops[0].kind || o.x != ops[0].x || !o.shape.IsMatrix() {
			return nil
		}
	}
	x := ops[0].x
	if ops[0].kind == invOp {
		x = l.b.op1(opInv, x.shape, x)
	}
	p := l.b.make(node{op: opMatPow, shape: x.shape, args: []*node{x}, num: big.NewRat(int64(len(ops)), 1)})
	return &operand{kind: plain, x: p, shape: ops[0].shape}
}

// allMatrices reports whether the operands are plain matrices.
func allMatrices(ops []operand) bool {
	for _, o := range ops {
		if o.kind != plain || !o.shape.IsMatrix() {
			return false
		}
	}
	return true
}

// plainOf is the node of an operand, forming a diagonal, Kronecker
// product or inverse only if it must.
func (l *lowerer) plainOf(o operand) *node {
	b := l.b
	switch o.kind {
	case onesOp:
		return b.ones(dataShape(o.shape).Rows)
	case diagOp:
		return b.op1(opDiagMat, o.shape, o.x)
	case invOp:
		return b.op1(opInv, o.shape, o.x)
	case kronOp:
		return b.make(node{op: opKron, name: "mm", shape: o.shape, args: []*node{o.x, o.y}})
	}
	return o.x
}

// combine multiplies two operands of a chain.
func (l *lowerer) combine(a, c operand) operand {
	b := l.b
	s := ast.Shape{Rows: a.shape.Rows, Cols: c.shape.Cols}
	mk := func(x *node) operand { return operand{kind: plain, x: x, shape: s, top: x} }
	rowA, colC := a.shape.Rows.IsOne(), c.shape.Cols.IsOne()
	if a.shape.IsScalar() || c.shape.IsScalar() {
		// A run of the chain that multiplies to 1×1 is a scalar factor.
		return mk(b.mul(l.plainOf(a), l.plainOf(c)))
	}
	switch {
	case a.kind == onesOp && c.kind == onesOp:
		return mk(b.dimension(a.shape.Cols))
	case a.kind == diagOp && c.kind == onesOp && colC: // diag(v) 1
		return mk(a.x)
	case a.kind == onesOp && rowA && c.kind == diagOp: // 1^T diag(v)
		return mk(c.x)
	case a.kind == onesOp && rowA: // 1^T M
		y := l.plainOf(c)
		if colC {
			return mk(b.op1(opSum, s, y))
		}
		return mk(b.op1(opColSum, s, y))
	case c.kind == onesOp && colC: // M 1
		x := l.plainOf(a)
		if rowA {
			return mk(b.op1(opSum, s, x))
		}
		return mk(b.op1(opRowSum, s, x))
	case a.kind == diagOp && c.kind == diagOp:
		return operand{kind: diagOp, x: b.mul(a.x, c.x), shape: s}
	case a.kind == diagOp && c.kind != onesOp:
		y := l.plainOf(c)
		if colC {
			return mk(b.mul(a.x, y))
		}
		return mk(b.op2(opRowScale, s, a.x, y))
	case c.kind == diagOp && a.kind != onesOp:
		x := l.plainOf(a)
		if rowA {
			return mk(b.mul(x, c.x))
		}
		return mk(b.op2(opColScale, s, x, c.x))
	case a.kind == invOp && c.kind != onesOp && c.kind != invOp:
		return mk(b.op2(opSolve, s, a.x, l.plainOf(c)))
	case c.kind == invOp && a.kind != onesOp && a.kind != invOp:
		x := l.plainOf(a)
		mt := b.transpose(c.x)
		if rowA {
			return mk(b.op2(opSolve, s, mt, x))
		}
		return mk(b.transpose(b.op2(opSolve, s.T(), mt, b.transpose(x))))
	case a.kind == kronOp && colC && c.kind != kronOp:
		return mk(b.make(node{op: opKronVec, shape: s, args: []*node{a.x, a.y, l.plainOf(c)}}))
	case c.kind == kronOp && rowA && a.kind != kronOp:
		return mk(b.make(node{op: opKronVec, shape: s, args: []*node{b.transpose(c.x), b.transpose(c.y), l.plainOf(a)}}))
	}
	x, y := l.plainOf(a), l.plainOf(c)
	switch {
	case rowA && colC:
		return mk(b.op2(opDot, s, x, y))
	case a.shape.Cols.IsOne():
		return mk(b.op2(opOuter, s, x, y))
	case rowA && y.op == opT: // v^T M^T = M v
		return mk(b.op2(opMatMul, s, y.args[0], x))
	case rowA:
		return mk(b.op2(opVecMat, s, x, y))
	}
	return mk(b.op2(opMatMul, s, x, y))
}

// traceOf is the trace of a chain: sum(L ∘ R^T) for the cheapest split
// L R of a rotation of the chain.
func (l *lowerer) traceOf(ops []operand) *node {
	b := l.b
	if len(ops) == 0 {
		l.fail("codegen: trace of a scalar")
		return b.int(0)
	}
	if len(ops) == 1 {
		o := ops[0]
		switch o.kind {
		case diagOp:
			return b.op1(opSum, ast.Scalar, o.x)
		case onesOp:
			return b.dimension(o.shape.Rows)
		}
		return b.op1(opTrace, ast.Scalar, l.plainOf(o))
	}
	n := len(ops)
	bestCost, bestRot, bestSplit := math.Inf(1), 0, 0
	rotations := n
	if n > 12 {
		rotations = 1
	}
	if n > maxOrderDP {
		rotations, bestSplit = 0, 1 // tr(A B …) as the sum of A .* (B …)^T
	}
	for r := 0; r < rotations; r++ {
		rot := append(append([]operand{}, ops[r:]...), ops[:r]...)
		for k := 1; k < n; k++ {
			c := chainCost(rot[:k]) + chainCost(rot[k:]) + weight(rot[0].shape.Rows)*weight(rot[k].shape.Rows)
			if c < bestCost {
				bestCost, bestRot, bestSplit = c, r, k
			}
		}
	}
	rot := append(append([]operand{}, ops[bestRot:]...), ops[:bestRot]...)
	x := l.plainOf(l.order(rot[:bestSplit], true))
	y := l.plainOf(l.order(rot[bestSplit:], true))
	if x.vector() && y.vector() {
		return b.op2(opDot, ast.Scalar, x, y)
	}
	return b.op2(opSumProd, ast.Scalar, x, b.transpose(y))
}

// chainCost is the cost of the best order of a chain.
func chainCost(ops []operand) float64 {
	n := len(ops)
	if n == 1 {
		return 0
	}
	best := make([][]float64, n)
	for i := range best {
		best[i] = make([]float64, n)
	}
	for span := 1; span < n; span++ {
		for i := 0; i+span < n; i++ {
			j := i + span
			best[i][j] = math.Inf(1)
			for k := i; k < j; k++ {
				a := operand{shape: ast.Shape{Rows: ops[i].shape.Rows, Cols: ops[k].shape.Cols}}
				c := operand{shape: ast.Shape{Rows: ops[k+1].shape.Rows, Cols: ops[j].shape.Cols}}
				if i == k {
					a = ops[i]
				}
				if k+1 == j {
					c = ops[j]
				}
				best[i][j] = math.Min(best[i][j], best[i][k]+best[k+1][j]+cost(a, c))
			}
		}
	}
	return best[0][n-1]
}
