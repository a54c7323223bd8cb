package ast

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Checker infers shapes. Describe prints an operand for error messages;
// when nil, a plain fallback printer is used.
type Checker struct {
	Decls    Decls
	Describe func(Expr) string
	// Broadcast, when set, is called after a successful inference with
	// each sum, .* and ./ of the typed tree that has a 1×1 operand and
	// one that is not, in the order Inspect visits them.
	Broadcast func(Expr)
}

// Infer is Checker{Decls: decls}.Infer(e).
func Infer(e Expr, decls Decls) (Expr, *Info, error) {
	return Checker{Decls: decls}.Infer(e)
}

// Infer checks the shapes of e, unifying symbolic dimensions through the
// whole expression. It regroups products so that every Product holds scalar
// factors and one conformable chain (a contiguous run of factors whose
// product is 1×1 becomes a nested Product), turns the literal 1 into the
// ones vector where a vector is expected, sizes the Identity, Ones and Zero
// nodes, and returns the typed tree with what it learnt about the variables.
// The typed tree shares with e the subtrees that inference leaves as they
// are (trees are immutable); the sized nodes are always its own.
func (c Checker) Infer(e Expr) (out Expr, info *Info, err error) {
	in := &inferer{c: c}
	in.presize(countNames(e))
	if c.Describe == nil {
		in.c.Describe = fallbackDescribe
	}
	out, _, err = in.expr(e)
	if err != nil {
		return nil, nil, err
	}
	in.reportBroadcasts()
	return out, in.finish(), nil
}

// broadcast is a typed sum or elementwise operation that broadcasts a
// scalar, with the place of its operator among the sums and elementwise
// operations in the order of the tree.
type broadcast struct {
	seq  int
	node Expr
}

// operator returns the place in the order of the tree of the sum or
// elementwise operation whose operands inference is about to visit.
func (in *inferer) operator() int {
	in.operators++
	return in.operators - 1
}

// noteBroadcast records that the typed node at place seq broadcasts a
// scalar, when someone asked (Checker.Broadcast).
func (in *inferer) noteBroadcast(seq int, node Expr) {
	if in.c.Broadcast != nil {
		in.broadcasts = append(in.broadcasts, broadcast{seq, node})
	}
}

// reportBroadcasts calls Checker.Broadcast with the broadcasting nodes in
// the order of the tree: they were met after their operands.
func (in *inferer) reportBroadcasts() {
	if in.c.Broadcast == nil {
		return
	}
	slices.SortFunc(in.broadcasts, func(a, b broadcast) int { return a.seq - b.seq })
	for _, b := range in.broadcasts {
		in.c.Broadcast(b.node)
	}
}

// inferNodes are the blocks of the nodes inference makes most.
type inferNodes struct {
	negs       Block[Neg]
	transposes Block[Transpose]
	norms      Block[Norm]
	sums       Block[Sum]
	powers     Block[Power]
	calls      Block[Call]
	products   Block[Product]
	exprs      []Expr // room for operand lists
	exprsSize  int
}

// list returns an empty list with room for n operands of its own (its
// capacity is n, so that appending more copies).
func (b *inferNodes) list(n int) []Expr {
	if len(b.exprs) < n {
		b.exprsSize = min(max(16, 2*b.exprsSize), 4096)
		b.exprs = make([]Expr, max(b.exprsSize, n))
	}
	out := b.exprs[:0:n]
	b.exprs = b.exprs[n:]
	return out
}

// mono is a symbolic dimension during inference: a product of solver
// variables; empty is the literal 1.
type mono []int

type ishape struct{ rows, cols mono }

func (s ishape) t() ishape { return ishape{s.cols, s.rows} }

// solverShape is the shape of a variable during inference: until finish,
// its Var holds the solver's monomials as its shape.
func solverShape(v *Var) ishape { return ishape{mono(v.Shape.Rows), mono(v.Shape.Cols)} }

type pending struct {
	node  Expr
	shape ishape
}

// pendingComm is a commutation matrix whose sizes are set at the end.
type pendingComm struct {
	node *Comm
	m, n mono
}

type inferer struct {
	c     Checker
	block int             // the size of the slabs' blocks (blockSize)
	vars  map[string]*Var // Info.Vars, the shapes in the solver's terms until finish
	order []string
	// solver: binding[v] is the monomial variable v stands for, or nil when
	// v is unbound.
	binding  []mono
	bound    []bool
	pend     []pending
	comms    []pendingComm
	trial    bool  // a unification that may be undone is under way
	slab     []int // room for the monomials of bindings
	units    []int // units[v] is v: the monomials of one variable (unit)
	dimSlab  []int // room for the dimensions of the result
	singles  []int // singles[i] is i: the dimensions of one base dimension
	varBlock Block[Var]
	nodes    inferNodes
	// byOrder holds the variables in the order of their names in order.
	byOrder []*Var
	// operators counts the sums and elementwise operations met, whose
	// broadcasts are the ones that broadcast a scalar (Checker.Broadcast).
	operators  int
	broadcasts []broadcast
}

// presize makes room for the variables of an expression of names
// occurrences of names, so that the tables do not grow one doubling at a
// time.
func (in *inferer) presize(names int) {
	in.block = min(max(2*names+8, 16), 256)
	in.vars = make(map[string]*Var, names)
	in.order = make([]string, 0, names)
	in.byOrder = make([]*Var, 0, names)
	in.binding = make([]mono, 0, 2*names+8)
	in.bound = make([]bool, 0, 2*names+8)
}

// blockSize is the size of the blocks of the slabs: from the number of
// names of the expression (presize), so that a short one allocates little.
func (in *inferer) blockSize() int {
	if in.block == 0 {
		return 256
	}
	return in.block
}

// countNames returns how many Name nodes e has.
func countNames(e Expr) int {
	if _, ok := e.(*Name); ok {
		return 1
	}
	n := 0
	for i, k := 0, NumChildren(e); i < k; i++ {
		n += countNames(Child(e, i))
	}
	return n
}

func (in *inferer) fresh() mono {
	v := len(in.binding)
	in.binding = append(in.binding, nil)
	in.bound = append(in.bound, false)
	return in.unit(v)
}

// unit returns the monomial of the one variable v, shared by all who
// need it (a mono is never changed in place; its capacity is its length,
// so that appending to it copies).
func (in *inferer) unit(v int) mono {
	if len(in.units) <= v {
		in.units = make([]int, max(v+1, cap(in.binding), 2*len(in.units)))
		for i := range in.units {
			in.units[i] = i
		}
	}
	return mono(in.units[v : v+1 : v+1])
}

// keep returns a copy of m in the slab (its capacity is its length).
func (in *inferer) keep(m mono) mono {
	if len(in.slab) < len(m) {
		in.slab = make([]int, max(in.blockSize(), len(m)))
	}
	out := mono(in.slab[:len(m):len(m)])
	in.slab = in.slab[len(m):]
	copy(out, m)
	return out
}

func (in *inferer) resolve(m mono) mono {
	out := in.ordered(m)
	sort.Ints(out)
	return out
}

// resolveTo is resolve appending to dst.
func (in *inferer) resolveTo(dst, m mono) mono {
	n := len(dst)
	dst = in.orderedTo(dst, m)
	if len(dst)-n > 1 {
		sort.Ints(dst[n:])
	}
	return dst
}

// expand returns the unbound variables that the bound variable v stands
// for, in the order they were written, and shortens v's binding to them
// (except during a trial unification, which must be undone exactly), so
// that a long chain of bindings is followed once, not at every lookup.
func (in *inferer) expand(v int) mono {
	if in.allUnbound(in.binding[v]) {
		return in.binding[v]
	}
	var out mono
	for _, w := range in.binding[v] {
		if in.bound[w] {
			out = append(out, in.expand(w)...)
		} else {
			out = append(out, w)
		}
	}
	if !in.trial {
		in.binding[v] = out
	}
	return out
}

// one returns the unbound variable that m stands for when m is one
// variable, unbound or bound to one unbound variable (the common cases,
// which need no resolving); ok is false otherwise.
func (in *inferer) one(m mono) (v int, ok bool) {
	if len(m) != 1 {
		return 0, false
	}
	if v = m[0]; !in.bound[v] {
		return v, true
	}
	if b := in.binding[v]; len(b) == 1 && !in.bound[b[0]] {
		return b[0], true
	}
	return 0, false
}

// isOne reports whether m is the literal 1. A variable is never bound to
// the literal 1 (unify), so only the empty product is.
// allUnbound reports whether m lists unbound variables only.
func (in *inferer) allUnbound(m mono) bool {
	for _, v := range m {
		if in.bound[v] {
			return false
		}
	}
	return true
}

func (in *inferer) isOne(m mono) bool { return len(m) == 0 }

func (in *inferer) isScalar(s ishape) bool { return in.isOne(s.rows) && in.isOne(s.cols) }

// unify makes a and b the same dimension, or reports false without
// changing anything. A variable never unifies with the literal 1.
func (in *inferer) unify(a, b mono) bool {
	var bufs [4][4]int
	ra, rb := in.resolveTo(bufs[0][:0], a), in.resolveTo(bufs[1][:0], b)
	// Cancel common factors.
	xa, xb := mono(bufs[2][:0]), mono(bufs[3][:0])
	i, j := 0, 0
	for i < len(ra) || j < len(rb) {
		switch {
		case j == len(rb) || (i < len(ra) && ra[i] < rb[j]):
			xa = append(xa, ra[i])
			i++
		case i == len(ra) || rb[j] < ra[i]:
			xb = append(xb, rb[j])
			j++
		default:
			i++
			j++
		}
	}
	switch {
	case len(xa) == 0 && len(xb) == 0:
		return true
	case len(xa) == 1 && len(xb) > 0:
		in.bound[xa[0]], in.binding[xa[0]] = true, in.keep(xb)
		return true
	case len(xb) == 1 && len(xa) > 0:
		in.bound[xb[0]], in.binding[xb[0]] = true, in.keep(xa)
		return true
	case len(xa) == len(xb):
		return in.unifyInOrder(a, b, len(xa))
	}
	return false
}

// unifyInOrder unifies two products of k unbound dimensions factor by
// factor, in the order they were written, the fastest-varying first: the
// columns of P ⊗ Q are Q's then P's, the rows of vec(X) are X's rows then
// its columns, so that (B^T ⊗ A) vec(X) pairs A's columns with X's rows.
func (in *inferer) unifyInOrder(a, b mono, k int) bool {
	oa, ob := in.ordered(a), in.ordered(b)
	// Drop the factors the two have in common, keeping the order.
	xa, xb := without(oa, ob), without(ob, oa)
	if len(xa) != k || len(xb) != k {
		return false
	}
	// Pair factor by factor; a repeated dimension (x ⊗ x against a ⊗ b)
	// binds once and its pair then unifies with what it stands for.
	var bound []int
	trial := in.trial
	in.trial = true // the bindings below may be undone
	defer func() { in.trial = trial }()
	for i := range xa {
		ra, rb := in.resolve(mono{xa[i]}), in.resolve(mono{xb[i]})
		switch {
		case len(ra) == 1 && len(rb) == 1 && ra[0] == rb[0]:
		case len(ra) == 1 && !in.bound[ra[0]] && len(rb) > 0:
			in.bound[ra[0]], in.binding[ra[0]] = true, rb
			bound = append(bound, ra[0])
		case len(rb) == 1 && !in.bound[rb[0]] && len(ra) > 0:
			in.bound[rb[0]], in.binding[rb[0]] = true, ra
			bound = append(bound, rb[0])
		default:
			for _, v := range bound {
				in.bound[v], in.binding[v] = false, nil
			}
			return false
		}
	}
	return true
}

// without returns the factors of a that b does not have (as a multiset),
// in a's order.
func without(a, b mono) mono {
	count := map[int]int{}
	for _, v := range b {
		count[v]++
	}
	var out mono
	for _, v := range a {
		if count[v] > 0 {
			count[v]--
			continue
		}
		out = append(out, v)
	}
	return out
}

// ordered is resolve without sorting: the unbound variables of m in the
// order they were written.
func (in *inferer) ordered(m mono) mono {
	return in.orderedTo(make(mono, 0, len(m)), m)
}

// orderedTo is ordered appending to dst.
func (in *inferer) orderedTo(dst, m mono) mono {
	for _, v := range m {
		if in.bound[v] {
			dst = append(dst, in.expand(v)...)
		} else {
			dst = append(dst, v)
		}
	}
	return dst
}

func (in *inferer) unifyShape(a, b ishape) bool {
	// Unify rows, and undo if cols fail. A unify that fails changes
	// nothing, and one that succeeds binds one of the variables that the
	// rows resolve to, all unbound before: unbinding them undoes it.
	var buf [8]int
	free := in.resolveTo(in.resolveTo(buf[:0], a.rows), b.rows)
	if !in.unify(a.rows, b.rows) {
		return false
	}
	trial := in.trial
	in.trial = true
	ok := in.unify(a.cols, b.cols)
	in.trial = trial
	if ok {
		return true
	}
	for _, v := range free {
		in.bound[v], in.binding[v] = false, nil
	}
	return false
}

// names assigns printed names to the unbound solver variables in order of
// first appearance: the variables' shapes first (rows before columns), then
// everything else.
// The names are numbered from 1 to n; ids[v] is the name of the solver
// variable v, 0 for a bound one.
func (in *inferer) names() (ids []int, n int) {
	ids = make([]int, len(in.binding))
	var buf [8]int
	add := func(m mono) {
		if v, ok := in.one(m); ok { // the common case, without resolving
			if ids[v] == 0 {
				n++
				ids[v] = n
			}
			return
		}
		for _, v := range in.resolveTo(buf[:0], m) {
			if ids[v] == 0 {
				n++
				ids[v] = n
			}
		}
	}
	for _, v := range in.byOrder {
		s := solverShape(v)
		add(s.rows)
		add(s.cols)
	}
	for v := range in.binding {
		if in.bound[v] {
			add(mono{v})
		} else if ids[v] == 0 { // add(mono{v}), without resolving
			n++
			ids[v] = n
		}
	}
	return ids, n
}

func (in *inferer) dim(m mono, ids []int) Dim {
	if len(m) == 0 {
		return One
	}
	if v, ok := in.one(m); ok { // the common case, without resolving
		return in.single(ids[v])
	}
	var buf [8]int
	r := in.resolveTo(buf[:0], m)
	if len(r) == 1 {
		return in.single(ids[r[0]])
	}
	if len(in.dimSlab) < len(r) {
		in.dimSlab = make([]int, max(in.blockSize(), len(r)))
	}
	d := Dim(in.dimSlab[:len(r):len(r)])
	in.dimSlab = in.dimSlab[len(r):]
	for i, v := range r {
		d[i] = ids[v]
	}
	if len(d) > 1 {
		sort.Ints(d)
	}
	return d
}

// single returns the dimension of the one base dimension id, shared by
// all the shapes that have it (a Dim is never changed in place; its
// capacity is its length, so that appending to it copies).
func (in *inferer) single(id int) Dim {
	if len(in.singles) <= id {
		in.singles = make([]int, max(id+1, 2*len(in.singles)))
		for i := range in.singles {
			in.singles[i] = i
		}
	}
	return Dim(in.singles[id : id+1 : id+1])
}

func (in *inferer) shapeOf(s ishape, ids []int) Shape {
	return Shape{in.dim(s.rows, ids), in.dim(s.cols, ids)}
}

// show prints a shape for a message, naming dimensions as they stand.
func (in *inferer) show(s ishape) string {
	ids, _ := in.names()
	return in.shapeOf(s, ids).String()
}

func (in *inferer) finish() *Info {
	ids, n := in.names()
	in.single(n) // the table of the base dimensions, in one piece
	for _, v := range in.byOrder {
		v.Shape = in.shapeOf(solverShape(v), ids)
	}
	info := &Info{Vars: in.vars, Order: in.order, NDims: n}
	for _, p := range in.comms {
		p.node.DM, p.node.DN = in.dim(p.m, ids), in.dim(p.n, ids)
	}
	for _, p := range in.pend {
		s := in.shapeOf(p.shape, ids)
		switch n := p.node.(type) {
		case *Identity:
			n.N = s.Rows
		case *Ones:
			n.N = s.Rows
		case *Zero:
			n.Shape = s
		}
	}
	return info
}

// variable returns the shape of the variable name in the solver's terms,
// making the variable at its first occurrence.
func (in *inferer) variable(name string) ishape {
	if v, ok := in.vars[name]; ok {
		return solverShape(v)
	}
	kind, ok := in.c.Decls[name]
	if !ok {
		kind = defaultKind(name)
	}
	v := in.varBlock.Take()
	v.Name, v.Kind = name, kind
	var s ishape
	switch kind {
	case KindScalar:
	case KindVector:
		s = ishape{in.fresh(), nil}
	case KindMatrix:
		s = ishape{in.fresh(), in.fresh()}
	case KindSquare, KindSymmetric:
		n := in.fresh()
		s = ishape{n, n}
		if kind == KindSquare {
			v.Kind = KindMatrix
		}
	}
	v.Shape = Shape{Rows: Dim(s.rows), Cols: Dim(s.cols)}
	in.vars[name] = v
	in.order = append(in.order, name)
	in.byOrder = append(in.byOrder, v)
	return s
}

// defaultKind is DefaultKind, without its lookups for the names of one
// ASCII letter and digits or a subscript (x, A1, b_k), as long as no
// Greek name is one letter.
func defaultKind(name string) Kind {
	if len(name) > 0 && !oneLetterGreek {
		c := name[0]
		if ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') && (len(name) == 1 || name[1] == '_' || '0' <= name[1] && name[1] <= '9') {
			if c <= 'Z' {
				return KindMatrix
			}
			return KindVector
		}
	}
	return DefaultKind(name)
}

// oneLetterGreek reports whether a Greek name is one letter.
var oneLetterGreek = func() bool {
	for name := range Greek {
		if len(name) == 1 {
			return true
		}
	}
	return false
}()

func (in *inferer) errorf(at Expr, format string, args ...any) error {
	return Errorf(at.Pos(), "shape", format, args...)
}

// describe names an operand and its shape for a message: "x is a column
// vector (m×1)".
func (in *inferer) what(e Expr, s ishape) string {
	text := in.c.Describe(e)
	switch {
	case in.isScalar(s):
		return text + " is a scalar"
	case in.isOne(s.cols):
		return fmt.Sprintf("%s is a column vector (%s)", text, in.show(s))
	case in.isOne(s.rows):
		return fmt.Sprintf("%s is a row vector (%s)", text, in.show(s))
	}
	return fmt.Sprintf("%s is a matrix (%s)", text, in.show(s))
}

func isLiteral(e Expr, v int64) bool {
	n, ok := e.(*Number)
	return ok && !n.Decimal && n.Value.IsInt() && n.Value.Num().IsInt64() && n.Value.Num().Int64() == v
}

func (in *inferer) ones(at Pos, n mono) (Expr, ishape) {
	o := &Ones{At: at}
	s := ishape{n, nil}
	in.pend = append(in.pend, pending{o, s})
	return o, s
}

func (in *inferer) expr(e Expr) (Expr, ishape, error) {
	switch e := e.(type) {
	case *Number, *Pi:
		return e, ishape{}, nil
	case *Name:
		return e, in.variable(e.Name), nil
	case *Dimension:
		in.variable(e.X.Name)
		return e, ishape{}, nil
	case *Identity:
		id := &Identity{At: e.At, Of: e.Of}
		var n mono
		if e.Of != nil {
			v := in.variable(e.Of.X.Name)
			if e.Of.Cols {
				n = v.cols
			} else {
				n = v.rows
			}
			if in.isOne(n) {
				return nil, ishape{}, in.errorf(e, "%s has one %s, so eye(%s(%s)) would be 1×1; write 1",
					e.Of.X.Name, map[bool]string{false: "row", true: "column"}[e.Of.Cols],
					map[bool]string{false: "rows", true: "cols"}[e.Of.Cols], e.Of.X.Name)
			}
		} else {
			n = in.fresh()
		}
		s := ishape{n, n}
		in.pend = append(in.pend, pending{id, s})
		return id, s, nil
	case *Comm:
		return in.comm(e)
	case *Ones:
		o, s := in.ones(e.At, in.fresh())
		return o, s, nil
	case *Zero:
		z := &Zero{At: e.At}
		s := ishape{in.fresh(), in.fresh()}
		in.pend = append(in.pend, pending{z, s})
		return z, s, nil
	case *Sum:
		return in.sum(e)
	case *Product:
		return in.product(e)
	case *Hadamard, *ElemDiv:
		return in.elementwise(e)
	case *Div:
		x, xs, err := in.expr(e.X)
		if err != nil {
			return nil, xs, err
		}
		y, ys, err := in.expr(e.Y)
		if err != nil {
			return nil, ys, err
		}
		if !in.isScalar(ys) {
			return nil, ys, in.errorf(e.Y, "%s and "+DivisionByNonScalar+"; did you mean %s, or a product with an inverse?",
				in.what(e.Y, ys), in.c.Describe(&ElemDiv{X: e.X, Y: e.Y}))
		}
		if x == e.X && y == e.Y {
			return e, xs, nil
		}
		return &Div{At: e.At, X: x, Y: y}, xs, nil
	case *Kron:
		x, xs, err := in.expr(e.X)
		if err != nil {
			return nil, xs, err
		}
		y, ys, err := in.expr(e.Y)
		if err != nil {
			return nil, ys, err
		}
		// The inner factor's dimensions vary fastest, so they come first.
		s := ishape{append(append(mono{}, ys.rows...), xs.rows...), append(append(mono{}, ys.cols...), xs.cols...)}
		if x == e.X && y == e.Y {
			return e, s, nil
		}
		return &Kron{At: e.At, X: x, Y: y}, s, nil
	case *Neg:
		x, s, err := in.expr(e.X)
		if err != nil {
			return nil, s, err
		}
		if x == e.X {
			return e, s, nil
		}
		n := in.nodes.negs.Take()
		*n = Neg{At: e.At, X: x}
		return n, s, nil
	case *Transpose:
		if isLiteral(e.X, 1) {
			o, s := in.ones(e.X.Pos(), in.fresh())
			return &Transpose{At: e.At, X: o}, s.t(), nil
		}
		x, s, err := in.expr(e.X)
		if err != nil {
			return nil, s, err
		}
		if x == e.X {
			return e, s.t(), nil
		}
		t := in.nodes.transposes.Take()
		*t = Transpose{At: e.At, X: x}
		return t, s.t(), nil
	case *Inverse:
		x, s, err := in.expr(e.X)
		if err != nil {
			return nil, s, err
		}
		if !in.unify(s.rows, s.cols) {
			return nil, s, in.errorf(e, "%s, and only a square matrix has an inverse", in.what(e.X, s))
		}
		if x == e.X {
			return e, s, nil
		}
		return &Inverse{At: e.At, X: x}, s, nil
	case *Power:
		return in.power(e)
	case *ElemPower:
		x, s, err := in.expr(e.X)
		if err != nil {
			return nil, s, err
		}
		if x == e.X {
			return e, s, nil
		}
		return &ElemPower{At: e.At, X: x, Exp: e.Exp}, s, nil
	case *Norm:
		x, s, err := in.expr(e.X)
		if err != nil {
			return nil, s, err
		}
		kind := e.Kind
		if kind == NormTwo {
			if !in.isOne(s.rows) && !in.isOne(s.cols) {
				return nil, s, in.errorf(e, "%s, and ||%s||_2 of a matrix is the spectral norm, which has no closed-form derivative here; write ||%[2]s||_F for the Frobenius norm",
					in.what(e.X, s), in.c.Describe(e.X))
			}
			kind = NormEuclid
		}
		if x == e.X && kind == e.Kind {
			return e, ishape{}, nil
		}
		n := in.nodes.norms.Take()
		*n = Norm{At: e.At, Kind: kind, X: x}
		return n, ishape{}, nil
	case *Call:
		return in.call(e)
	}
	panic(fmt.Sprintf("ast.Infer: unexpected node type %T", e))
}

func (in *inferer) sum(e *Sum) (Expr, ishape, error) {
	seq := in.operator()
	var terms []Expr // the typed terms, once one differs from its term
	var acc ishape
	var accTerm Expr
	scalar := false // a term is 1×1
	for i, t := range e.Terms {
		x, s, err := in.expr(t)
		if err != nil {
			return nil, s, err
		}
		if x != t && terms == nil {
			terms = append(in.nodes.list(len(e.Terms)), e.Terms[:i]...)
		}
		if terms != nil {
			terms = append(terms, x)
		}
		if in.isScalar(s) {
			scalar = true
			continue
		}
		if accTerm == nil {
			acc, accTerm = s, t
			continue
		}
		if !in.unifyShape(acc, s) {
			return nil, s, in.errorf(t, "%s and %s; the terms of a sum must have the same shape",
				in.what(accTerm, acc), in.what(t, s))
		}
	}
	var out Expr = e
	if terms != nil {
		n := in.nodes.sums.Take()
		*n = Sum{At: e.At, Terms: terms}
		out = n
	}
	if scalar && accTerm != nil {
		in.noteBroadcast(seq, out)
	}
	return out, acc, nil
}

func (in *inferer) elementwise(e Expr) (Expr, ishape, error) {
	seq := in.operator()
	kids := [2]Expr{Child(e, 0), Child(e, 1)}
	x, xs, err := in.expr(kids[0])
	if err != nil {
		return nil, xs, err
	}
	y, ys, err := in.expr(kids[1])
	if err != nil {
		return nil, ys, err
	}
	out := e
	if x != kids[0] || y != kids[1] {
		out = WithChildren(e, []Expr{x, y})
	}
	if in.isScalar(xs) != in.isScalar(ys) {
		in.noteBroadcast(seq, out)
	}
	switch {
	case in.isScalar(xs):
		return out, ys, nil
	case in.isScalar(ys):
		return out, xs, nil
	}
	if !in.unifyShape(xs, ys) {
		return nil, ys, in.errorf(kids[1], "%s and %s; elementwise operands must have the same shape",
			in.what(kids[0], xs), in.what(kids[1], ys))
	}
	return out, xs, nil
}

func (in *inferer) power(e *Power) (Expr, ishape, error) {
	x, s, err := in.expr(e.X)
	if err != nil {
		return nil, s, err
	}
	var out Expr = e
	if x != e.X {
		n := in.nodes.powers.Take()
		*n = Power{At: e.At, X: x, Exp: e.Exp}
		out = n
	}
	if in.isScalar(s) {
		return out, s, nil
	}
	square := !in.isOne(s.cols) && !in.isOne(s.rows)
	if square && e.Exp.IsInt() && in.unify(s.rows, s.cols) {
		return out, s, nil
	}
	// The operand is written out for the hint only on an error: writing
	// it at every power would make powers nested n deep take n² time.
	k := e.Exp.RatString()
	if !e.Exp.IsInt() || e.Exp.Sign() < 0 {
		k = "(" + k + ")"
	}
	text := in.c.Describe(e.X)
	if !square {
		hint := fmt.Sprintf("%s %s", transposed(text), paren(text))
		if in.isOne(s.rows) {
			hint = fmt.Sprintf("%s %s", paren(text), transposed(text))
		}
		return nil, s, in.errorf(e, "%s, and only a square matrix has a power; did you mean %s or %s.^%s?",
			in.what(e.X, s), hint, paren(text), k)
	}
	if !e.Exp.IsInt() {
		return nil, s, in.errorf(e, "%s, and a matrix has only integer powers; did you mean %s.^%s?", in.what(e.X, s), paren(text), k)
	}
	return nil, s, in.errorf(e, "%s, and only a square matrix has a power; did you mean %s.^%s?", in.what(e.X, s), paren(text), k)
}

// transposed writes the transpose of an operand for a hint: x^T for x,
// (A x)^T for A x, and x for x^T (never x^T^T).
func transposed(text string) string {
	if base, ok := strings.CutSuffix(text, "^T"); ok && (!strings.ContainsAny(base, " +-") || isGroup(base)) {
		if isGroup(base) && operand(base[1:len(base)-1]) {
			return base[1 : len(base)-1] // (x^T)^T: x^T
		}
		return base
	}
	return paren(text) + "^T"
}

// operand reports whether text needs no parentheses as a factor: no
// space or sign outside its own parentheses ((A x)^T, x^T; not A x).
func operand(text string) bool {
	depth := 0
	for _, r := range text {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ' ', '+', '-':
			if depth == 0 {
				return false
			}
		}
	}
	return true
}

// isGroup reports whether text is one parenthesised group, as (A x) is
// and (a) (b) is not.
func isGroup(text string) bool {
	if !strings.HasPrefix(text, "(") || !strings.HasSuffix(text, ")") {
		return false
	}
	depth := 0
	for i, r := range text {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 && i < len(text)-1 {
				return false
			}
		}
	}
	return true
}

// paren parenthesises an operand of several tokens for a hint; (A x) and
// (A x)^T need no more.
func paren(text string) string {
	if isGroup(text) || isGroup(strings.TrimSuffix(text, "^T")) {
		return text
	}
	if strings.ContainsAny(text, " +-") {
		return "(" + text + ")"
	}
	return text
}

func (in *inferer) call(e *Call) (Expr, ishape, error) {
	f, ok := Funcs[e.Func]
	if !ok {
		return nil, ishape{}, Errorf(e.At, "name", "unknown function %s", e.Func)
	}
	if len(e.Args) != f.Arity {
		return nil, ishape{}, Errorf(e.At, "syntax", "%s takes %d argument(s), not %d", e.Func, f.Arity, len(e.Args))
	}
	x, s, err := in.expr(e.Args[0])
	if err != nil {
		return nil, s, err
	}
	var out Expr = e
	if x != e.Args[0] {
		n := in.nodes.calls.Take()
		*n = Call{At: e.At, Func: e.Func, Args: append(in.nodes.list(1), x)}
		out = n
	}
	switch f.Kind {
	case Elementwise:
		return out, s, nil
	case ScalarOfSquare:
		if !in.unify(s.rows, s.cols) {
			return nil, s, in.errorf(e.Args[0], "%s, and %s needs a square matrix", in.what(e.Args[0], s), e.Func)
		}
		return out, ishape{}, nil
	case Reduction:
		return out, ishape{}, nil
	case VectorMap:
		if !in.isOne(s.rows) && !in.isOne(s.cols) {
			return nil, s, in.errorf(e.Args[0], "%s, and %s takes %s", in.what(e.Args[0], s), e.Func, f.Needs)
		}
		return out, s, nil
	case Vectorize:
		return out, ishape{append(append(mono{}, s.rows...), s.cols...), nil}, nil
	case Diagonal:
		switch {
		case in.isScalar(s):
			return out, s, nil
		case in.isOne(s.cols):
			return out, ishape{s.rows, s.rows}, nil
		case in.isOne(s.rows):
			return out, ishape{s.cols, s.cols}, nil
		}
		if !in.unify(s.rows, s.cols) {
			return nil, s, in.errorf(e.Args[0], "%s, and diag of a matrix needs a square one", in.what(e.Args[0], s))
		}
		return out, ishape{s.rows, nil}, nil
	}
	panic("ast.Infer: no shape rule for " + e.Func)
}

// segment is a run of product factors that multiply conformably.
type segment struct {
	factors []Expr // including scalars met while the run was open
	shape   ishape
	first   Expr // first non-scalar factor, for messages
	open    bool // has a non-scalar factor
}

// product checks a product as a whole chain. Factors are taken left to
// right; a factor that does not conform to the open run starts a new run.
// Runs whose product is 1×1 are scalar factors; the others must conform in
// order.
func (in *inferer) product(e *Product) (Expr, ishape, error) {
	flat := e.Factors
	if slices.ContainsFunc(flat, isProduct) {
		flat = nil
		var flatten func(x Expr)
		flatten = func(x Expr) {
			if p, ok := x.(*Product); ok {
				for _, f := range p.Factors {
					flatten(f)
				}
				return
			}
			flat = append(flat, x)
		}
		for _, f := range e.Factors {
			flatten(f)
		}
	}

	// The typed factors in order: the scalars before any run (xs[:lead]),
	// then the runs, each a span of xs. Until a typed factor differs from
	// its factor, xs is nil and they are flat's.
	var xs []Expr
	lead := 0
	var spanBuf [2]span
	spans := spanBuf[:0]
	leadingOne := -1 // a literal 1 after scalars and 1×1 runs only
	for i, f := range flat {
		var cur *span
		if len(spans) > 0 {
			cur = &spans[len(spans)-1]
		}
		if isLiteral(f, 1) && cur != nil && !in.isOne(cur.shape.cols) {
			o, s := in.ones(f.Pos(), cur.shape.cols)
			xs = append(in.factors(xs, flat, i), o)
			cur.end = i + 1
			cur.shape.cols = s.cols
			continue
		}
		x, s, err := in.expr(f)
		if err != nil {
			return nil, s, err
		}
		if one := i - 1; one >= 0 && one == leadingOne && in.isOne(s.rows) && !in.isOne(s.cols) {
			// 1 y^T is the ones vector times the row y^T, as x^T 1 is
			// the row x^T times it: a 1 just before a row, after scalars
			// only, begins a run.
			o, os := in.ones(flat[one].Pos(), in.fresh())
			if xs == nil {
				xs = append(in.factors(nil, flat, one), o)
			} else {
				xs[one] = o
			}
			xs = append(xs, x)
			if cur == nil {
				lead = one
			} else {
				cur.end = one // a 1×1 run, (x^T y) 1 y^T
			}
			spans = append(spans, span{start: one, end: i + 1, shape: ishape{os.rows, s.cols}, first: flat[one]})
			leadingOne = -1
			continue
		}
		if x != f || xs != nil {
			xs = append(in.factors(xs, flat, i), x)
		}
		n := i + 1
		switch {
		case in.isScalar(s):
			if isLiteral(f, 1) && (cur == nil || in.isScalar(cur.shape)) {
				leadingOne = i
			}
			if cur == nil {
				lead = n
			} else {
				cur.end = n
			}
		case cur != nil && in.unify(cur.shape.cols, s.rows):
			cur.end = n
			cur.shape.cols = s.cols
		default:
			spans = append(spans, span{start: n - 1, end: n, shape: s, first: f})
		}
	}
	if xs == nil {
		xs = flat
	}

	nested := false // a 1×1 run among others becomes a Product of its own
	var chain ishape
	open := false
	for i, sg := range spans {
		if in.isScalar(sg.shape) {
			nested = nested || (len(spans) > 1 && sg.end-sg.start > 1)
			continue
		}
		if open && !in.unify(chain.cols, sg.shape.rows) {
			var left []Expr
			for _, p := range spans[:i] {
				if !in.isScalar(p.shape) {
					left = append(left, xs[p.start:p.end]...)
				}
			}
			right := &segment{factors: xs[sg.start:sg.end], shape: sg.shape, first: sg.first, open: true}
			return nil, sg.shape, in.conformError(left, chain, right)
		}
		if !open {
			chain, open = sg.shape, true
		}
		chain.cols = sg.shape.cols
	}
	out := xs
	if nested {
		out = append(make([]Expr, 0, len(xs)), xs[:lead]...)
		for _, sg := range spans {
			if in.isScalar(sg.shape) && sg.end-sg.start > 1 {
				out = append(out, &Product{At: xs[sg.start].Pos(), Factors: slices.Clone(xs[sg.start:sg.end])})
			} else {
				out = append(out, xs[sg.start:sg.end]...)
			}
		}
	}
	if len(out) == 1 {
		return out[0], chain, nil
	}
	if slices.Equal(out, e.Factors) {
		return e, chain, nil
	}
	p := in.nodes.products.Take()
	*p = Product{At: e.At, Factors: out}
	return p, chain, nil
}

// factors returns xs, or when it is nil a list of room for the typed
// factors of flat that holds the first i, which are flat's own.
func (in *inferer) factors(xs, flat []Expr, i int) []Expr {
	if xs != nil {
		return xs
	}
	return append(in.nodes.list(len(flat)), flat[:i]...)
}

func isProduct(e Expr) bool {
	_, ok := e.(*Product)
	return ok
}

// span is a run of product factors that multiply conformably: the typed
// factors from start to end (scalars met while the run was open included).
type span struct {
	start, end int
	shape      ishape
	first      Expr // first non-scalar factor, for messages
}

func (in *inferer) conformError(left []Expr, ls ishape, right *segment) error {
	var l Expr = &Product{Factors: left}
	if len(left) == 1 {
		l = left[0]
	}
	var r Expr = &Product{Factors: right.factors}
	if len(right.factors) == 1 {
		r = right.factors[0]
	}
	lt, rt := in.c.Describe(l), in.c.Describe(r)
	rs := right.shape
	var hint string
	switch {
	case in.isOne(ls.cols) && !in.isOne(ls.rows) && !in.isOne(rs.rows):
		hint = fmt.Sprintf("; did you mean %s %s?", transposed(lt), rt)
	case in.isOne(rs.rows) && !in.isOne(rs.cols) && !in.isOne(ls.cols):
		hint = fmt.Sprintf("; did you mean %s %s?", lt, transposed(rt))
	}
	return in.errorf(right.first, "%s and cannot left-multiply %s%s", in.what(l, ls), verbObject(in, r, rs), hint)
}

// verbObject phrases the right operand of a failed product: "the matrix A (n×p)".
func verbObject(in *inferer, e Expr, s ishape) string {
	text := in.c.Describe(e)
	switch {
	case in.isOne(s.cols):
		return fmt.Sprintf("the column vector %s (%s)", text, in.show(s))
	case in.isOne(s.rows):
		return fmt.Sprintf("the row vector %s (%s)", text, in.show(s))
	}
	return fmt.Sprintf("the matrix %s (%s)", text, in.show(s))
}

// fallbackDescribe prints an operand for messages when no printer is given.
func fallbackDescribe(e Expr) string {
	switch e := e.(type) {
	case *Name:
		return e.Name
	case *Number:
		return e.Value.RatString()
	case *Transpose:
		return paren(fallbackDescribe(e.X)) + "^T"
	case *Product:
		parts := make([]string, len(e.Factors))
		for i, f := range e.Factors {
			parts[i] = fallbackDescribe(f)
		}
		return strings.Join(parts, " ")
	}
	return "the operand"
}

// comm sizes comm(rows(V), cols(W)), K_{m,n}: it maps vec of an m×n
// matrix (m fastest) to vec of its n×m transpose (n fastest).
func (in *inferer) comm(e *Comm) (Expr, ishape, error) {
	dim := func(d *Dimension) mono {
		v := in.variable(d.X.Name)
		if d.Cols {
			return v.cols
		}
		return v.rows
	}
	m, n := dim(e.M), dim(e.N)
	if in.isOne(m) || in.isOne(n) {
		return nil, ishape{}, in.errorf(e, "comm(m, n) with a size 1 is the identity; write I")
	}
	k := &Comm{At: e.At, M: e.M, N: e.N}
	s := ishape{append(append(mono{}, n...), m...), append(append(mono{}, m...), n...)}
	in.comms = append(in.comms, pendingComm{k, m, n})
	return k, s, nil
}
