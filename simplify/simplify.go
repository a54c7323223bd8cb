// Package simplify owns matdiff's canonical forms: a rewriting system of
// small named rules (one file per family), applied bottom-up to a fixpoint
// with an iteration cap, that turns any well-shaped tree into the form a
// person would write and that the printer prints.
//
// Canonical trees keep these invariants: no Div or Neg nodes (a division is
// a negative power of a scalar, a negation a coefficient -1); transposes sit
// on leaves; sums and products are flat, a product's numeric coefficient
// comes first and is never 1; a 1×1 run inside a matrix chain is a nested
// Product (a parenthesised scalar); terms of a sum are in canonical order.
// The factors of a matrix chain are never reordered.
//
// The driver offers a node only the rules of its node type, skips a rule
// whose Needs its children lack, and after a sorting rule skips the rules
// before it that do not depend on the order of the terms (Rule says how);
// a new rule that claims AnyOrder, Sorts or Needs is held to the claim by
// TestRuleClaims.
package simplify

import (
	"fmt"
	"sync"
	"time"

	"github.com/matdiff/matdiff/ast"
)

// Rule is one rewrite: Apply returns the rewritten node, or nil when the
// rule does not apply. Doc says what it does, in one line. On lists the
// node types Apply can rewrite (0: every type): the driver offers a node
// only the rules of its type, in the order of the rule list.
//
// AnyOrder and Sorts let the driver skip work it knows the answer to.
// AnyOrder says that whether the rule applies does not depend on the
// order of the node's children (a sum's terms); Sorts, that Apply only
// puts the children in an order on which it declines. When a sorting rule
// rewrites a node and every rule before it is AnyOrder, those rules
// declined on the node and would decline on the sorted one: the driver
// goes on with the rule after the sorting one.
//
// Needs, when not 0, are node types of which the rule needs a child of the
// node (or the operand of a transposed child, X of X^T): the driver does
// not offer the rule a node without one.
//
// TestRuleClaims checks all three claims of every rule on the nodes met
// while a corpus is simplified.
type Rule struct {
	Name     string
	Doc      string
	Apply    func(c *Context, e ast.Expr) ast.Expr
	On       Op
	AnyOrder bool
	Sorts    bool
	Needs    Op
}

// Step records one rule application, for --trace.
type Step struct {
	Rule          string
	Before, After ast.Expr
}

// Context carries what rules need: the shapes of the variables.
type Context struct {
	Info *ast.Info
	// Trace, when set, receives every rule application.
	Trace func(Step)
	// MaxSteps caps rule applications per node (0: DefaultMaxSteps).
	MaxSteps int
	// Rules to apply, in order (nil: Default).
	Rules []Rule
	// Deadline, when set, stops the rewriting once it has passed: Simplify
	// then returns the form reached with ErrDeadline.
	Deadline time.Time

	table      *table                  // Rules by node type, built once
	owner      *ast.Owner              // whose notes on the nodes are this Context's
	transposed map[string]ast.Expr     // pushTranspose's results by key
	pushed     map[ast.Expr]ast.Expr   // pushTranspose's results by node
	nested     int                     // a simplification inside a rule's (distribute-elementwise)
	metas      ast.Block[meta]         // records for node
	ticks      int                     // calls of expired since the clock was read
	overdue    bool                    // the deadline has passed
	symVars    int8                    // 0: not known; 1: no symmetric variable; 2: some
	settledAs  map[uint64][]remembered // the canonical forms of large subtrees, by fingerprint
}

// meta is what the simplifier has learnt about one node (trees are
// immutable, so it never goes stale); it is kept on the node itself
// (ast.SetNoteIn), so that one load finds all of it.
type meta struct {
	slot       ast.NoteSlot // how the node finds this record (ast.SetNoteIn)
	at         ast.Expr     // the node, whose note release drops
	key        string
	split      term
	one        [1]ast.Expr // the one factor of a lone expression's split
	restKey    string      // the key of the term without its coefficient (collect-like-terms)
	firstRow   int32       // the index in split's chain of its first factor with one row, -1: none
	marks      int32       // the transposes in the subtree (transposes)
	nodes      int32       // NodeCount of the subtree (size)
	mono       *monomial   // cancelled's monomial of an elementwise product or quotient
	flat       ast.Expr    // flatten's result, when it is another node
	span       int16       // span's count (0: not known yet)
	print      uint64      // span's fingerprint
	hasKey     bool
	hasMarks   bool
	hasSize    bool
	hasSplit   bool
	hasRestKey bool
	hasMono    bool
	monoOK     bool // cancelled's report: factors merged or cancelled
	done       bool // canonical: the rules have settled on it
}

// node returns the record of e, making it on first use.
func (c *Context) node(e ast.Expr) *meta {
	if c.owner == nil {
		c.owner = new(ast.Owner)
	}
	if m, ok := ast.Note(e, c.owner).(*meta); ok {
		return m
	}
	m := c.metas.Take()
	m.at = e
	ast.SetNoteIn(e, c.owner, &m.slot, m)
	return m
}

// release takes the records off the nodes and forgets them. A record
// refers to the nodes and keys of the trees the rules built and dropped,
// and the records are allocated in blocks: one record left on a node of
// the result (or of the input, which a derivative shares) would keep its
// whole block alive, and with it most of what the simplification ever
// built (grad's seven gradients of an 86 KB input kept 215 MB).
func (c *Context) release() {
	c.metas.Each(func(m *meta) { ast.DropNoteIn(m.at, &m.slot) })
	c.metas = ast.Block[meta]{}
	c.settledAs, c.transposed, c.pushed = nil, nil, nil
}

// known returns the record of e if there is one.
func (c *Context) known(e ast.Expr) *meta {
	if c.owner == nil {
		return nil
	}
	m, _ := ast.Note(e, c.owner).(*meta)
	return m
}

// DefaultMaxSteps is the default cap on rule applications at one node.
const DefaultMaxSteps = 200

// ErrCycle is reported when the rules did not settle within the cap.
var ErrCycle = fmt.Errorf("simplification did not settle within the iteration cap")

// Simplify returns the canonical form of e.
func Simplify(e ast.Expr, info *ast.Info) ast.Expr {
	c := &Context{Info: info}
	out, _ := c.Simplify(e)
	return out
}

// Simplify returns the canonical form of e; it reports ErrCycle (with the
// best form reached) when a node did not settle within the cap. It takes
// its records off the nodes as it returns (release).
func (c *Context) Simplify(e ast.Expr) (ast.Expr, error) {
	defer c.release()
	if c.table == nil {
		if c.Rules == nil {
			c.table = defaultTable()
		} else {
			c.table = newTable(c.Rules)
		}
	}
	if c.MaxSteps == 0 {
		c.MaxSteps = DefaultMaxSteps
	}
	if flat := c.flatten(e); flat != e {
		if c.Trace != nil {
			c.Trace(Step{Rule: "flatten", Before: e, After: flat})
		}
		e = flat
	}
	var err error
	for round := 0; round < 8; round++ {
		out, settled := c.bottomUp(e)
		if c.expiredNow() {
			return out, ErrDeadline
		}
		if !settled {
			err = ErrCycle
		}
		if ast.Equal(out, e) {
			return c.anchorIdentities(out), err
		}
		e = out
	}
	return c.anchorIdentities(e), err
}

// bottomUp simplifies the children of e, then applies the rules to e until
// none applies (exhaust), at most MaxSteps times. A node that settled is
// remembered (trees are never modified in place), so that a subtree that
// a rule moves is not simplified again: the work is linear in the size of
// the tree for rules that do not rebuild much.
func (c *Context) bottomUp(e ast.Expr) (ast.Expr, bool) {
	if len(c.table.rules[opOf(e)]) == 0 && ast.NumChildren(e) == 0 {
		return e, true // a leaf no rule rewrites: nothing to remember
	}
	if m := c.known(e); m != nil && m.done {
		return e, true
	}
	orig, remember := e, false // remember: e is large enough to remember
	n, fp := c.span(e)
	if n > minSettledBySize && n <= maxSettledBySize {
		remember = true
		for _, s := range c.settledAs[fp] {
			if c.shape(s.out).Equal(c.shape(e)) && ast.Identical(s.orig, e) {
				return s.out, true
			}
		}
	}
	e, settled := c.bottomUpKids(e)
	from := 0 // the first rule to offer e
	for i := 0; ; i++ {
		if c.expired() {
			return e, settled
		}
		if i >= c.MaxSteps {
			return e, false
		}
		next, rule, resume := c.once(e, from)
		if next == nil {
			break
		}
		from = resume
		c.Info.ShapeLike(next, e) // a rewrite keeps the shape
		if c.Trace != nil {
			c.Trace(Step{Rule: rule, Before: e, After: next})
		}
		// A rewritten node may have new children to simplify; with new
		// children it is offered every rule.
		kids, ok := c.bottomUpKids(next)
		if kids != next {
			from = 0
		}
		settled = settled && ok
		e = kids
	}
	if settled {
		c.node(e).done = true
		if remember && len(c.settledAs[fp]) < maxSettledAlike {
			if c.settledAs == nil {
				c.settledAs = map[uint64][]remembered{}
			}
			c.settledAs[fp] = append(c.settledAs[fp], remembered{orig, e})
		}
	}
	return e, settled
}

// Subtrees of more than minSettledBySize nodes, and of at most
// maxSettledBySize, have their canonical forms remembered (bottomUp): an
// equal copy elsewhere in the tree, a subexpression written twice or an
// adjoint used by two operands, is not simplified again. They are found
// by a fingerprint of the tree (span) and told apart by ast.Equal and
// their shapes; at most maxSettledAlike trees are kept per fingerprint,
// so that trees that collide cost a bounded number of comparisons.
// Smaller subtrees are quicker to simplify again than to look up, and a
// larger one would be compared whole.
const (
	minSettledBySize = 24
	maxSettledBySize = 4096
	maxSettledAlike  = 4
)

// remembered is a subtree as it was and its canonical form.
type remembered struct{ orig, out ast.Expr }

// span is the number of nodes of the tree e (a shared subtree counted
// each time it occurs), or maxSettledBySize+1 when there are more, and a
// fingerprint of the tree: equal trees have equal fingerprints (of a tree
// past the bound, only its first nodes count). It stops counting past
// the bound, and a subtree's answer is kept in its record, so that the
// spans of all the nodes of a tree, however deep or shared, take time
// linear in its distinct nodes and the bound.
func (c *Context) span(e ast.Expr) (int, uint64) {
	n := ast.NumChildren(e)
	if n == 0 {
		return 1, ast.NodePrint(e)
	}
	flat := true // a node of leaves needs no record
	for i := 0; i < n && flat; i++ {
		flat = ast.NumChildren(ast.Child(e, i)) == 0
	}
	if flat {
		h := ast.NodePrint(e)
		for i := range n {
			h = ast.MixPrint(h, ast.NodePrint(ast.Child(e, i)))
		}
		return 1 + n, h
	}
	m := c.node(e)
	if m.span == 0 {
		total, h := 1, ast.NodePrint(e)
		for i := 0; i < n && total <= maxSettledBySize; i++ {
			k, kh := c.span(ast.Child(e, i))
			total += k
			h = ast.MixPrint(h, kh)
		}
		m.span, m.print = int16(min(total, maxSettledBySize+1)), h
	}
	return int(m.span), m.print
}

// bottomUpKids simplifies the children of e that have not settled yet.
func (c *Context) bottomUpKids(e ast.Expr) (ast.Expr, bool) {
	n := ast.NumChildren(e)
	ok := true
	var nk []ast.Expr
	for i := 0; i < n; i++ {
		k := ast.Child(e, i)
		r, s := c.bottomUp(k)
		ok = ok && s
		if r != k && nk == nil {
			nk = make([]ast.Expr, n)
			for j := 0; j < i; j++ {
				nk[j] = ast.Child(e, j)
			}
		}
		if nk != nil {
			nk[i] = r
		}
	}
	if nk == nil {
		return e, ok
	}
	return ast.WithChildren(e, nk), ok
}

// flatten does in one pass, top-down, what flatten-sum, flatten-product,
// div-to-power and transpose-transpose would do bottom-up: it splices
// nested sums, matrix chains and divisions and drops double transposes. Bottom-up, a chain nested n deep would
// be rebuilt at every level, in time quadratic in n.
//
// A subtree that occurs more than once (the adjoint a derivative passes to
// both copies of a subexpression) is flattened once and stays shared:
// copies would be simplified one by one.
func (c *Context) flatten(e ast.Expr) ast.Expr {
	if ast.NumChildren(e) == 0 {
		return e
	}
	if m := c.known(e); m != nil && m.flat != nil {
		return m.flat
	}
	out := c.flattenNode(e)
	if out != e {
		c.node(e).flat = out
	}
	return out
}

// flattenNode is flatten of e, not remembered.
func (c *Context) flattenNode(e ast.Expr) ast.Expr {
	switch x := e.(type) {
	case *ast.Transpose:
		if inner, ok := x.X.(*ast.Transpose); ok {
			return c.flatten(inner.X)
		}
		// (A + B)^T is A^T + B^T (transpose-sum) for a matrix sum, here,
		// so that sums and transposes nested n deep, ((X^T + A)^T + B)^T,
		// become one sum in this pass.
		if s, ok := x.X.(*ast.Sum); ok && !c.scalar(s) && !c.shape(s).IsVector() {
			terms := make([]ast.Expr, len(s.Terms))
			for i, t := range s.Terms {
				terms[i] = &ast.Transpose{X: t}
			}
			out := &ast.Sum{At: s.At, Terms: terms}
			c.Info.ShapeLike(out, x)
			return c.flatten(out)
		}
	case *ast.Sum:
		terms := make([]ast.Expr, 0, len(x.Terms))
		changed := c.spliceTerms(x, &terms)
		if changed {
			return &ast.Sum{At: x.At, Terms: terms}
		}
		return e
	case *ast.Product:
		fs := make([]ast.Expr, 0, len(x.Factors))
		changed := c.spliceFactors(x, &fs)
		if changed {
			return c.foldSpliced(&ast.Product{At: x.At, Factors: fs})
		}
		return e
	case *ast.Div:
		// x/s is x s^-1 (div-to-power), here, so that divisions nested n
		// deep, ((1/a)/b)/c, become one product in this pass instead of
		// n products rebuilt and sorted bottom-up.
		if p := divToPower(c, x); p != nil {
			c.Info.ShapeLike(p, x)
			return c.flatten(p)
		}
	}
	n := ast.NumChildren(e)
	var nk []ast.Expr
	for i := 0; i < n; i++ {
		k := ast.Child(e, i)
		r := c.flatten(k)
		if r != k && nk == nil {
			nk = make([]ast.Expr, n)
			for j := 0; j < i; j++ {
				nk[j] = ast.Child(e, j)
			}
		}
		if nk != nil {
			nk[i] = r
		}
	}
	if nk == nil {
		return e
	}
	return ast.WithChildren(e, nk)
}

// foldSpliced applies fold-coefficient to a product flatten built, whose
// coefficient often came from a spliced factor (A^T (2 x) -> A^T 2 x ->
// 2 A^T x): the product is not rebuilt and offered every rule again later.
func (c *Context) foldSpliced(p *ast.Product) ast.Expr {
	folded := foldCoefficient(c, p)
	if folded == nil {
		return p
	}
	if c.Trace != nil {
		c.Trace(Step{Rule: "fold-coefficient", Before: p, After: folded})
	}
	c.Info.ShapeLike(folded, p)
	return folded
}

// peel drops double transposes: (X^T)^T is X.
func peel(e ast.Expr) ast.Expr {
	for {
		t, ok := e.(*ast.Transpose)
		if !ok {
			return e
		}
		inner, ok := t.X.(*ast.Transpose)
		if !ok {
			return e
		}
		e = inner.X
	}
}

// spliceTerms appends the flattened terms of s to out and reports whether
// they differ from s's own. Nested sums are spliced where they stand, so
// that a sum nested n deep is flattened in linear time.
func (c *Context) spliceTerms(s *ast.Sum, out *[]ast.Expr) bool {
	changed := false
	for _, t := range s.Terms {
		if inner, ok := peel(t).(*ast.Sum); ok {
			c.spliceTerms(inner, out)
			changed = true
			continue
		}
		f := c.flatten(t)
		if inner, ok := f.(*ast.Sum); ok {
			*out = append(*out, inner.Terms...)
			changed = true
			continue
		}
		changed = changed || f != t
		*out = append(*out, f)
	}
	return changed
}

// spliceFactors appends the flattened factors of p to out, splicing nested
// products that are matrix chains or made of scalars only (a 1×1 run of
// a chain keeps its parentheses), and reports whether they differ.
func (c *Context) spliceFactors(p *ast.Product, out *[]ast.Expr) bool {
	changed := false
	for _, x := range p.Factors {
		if inner, ok := peel(x).(*ast.Product); ok && c.splices(inner, x) {
			c.spliceFactors(inner, out)
			changed = true
			continue
		}
		f := c.flatten(x)
		if inner, ok := f.(*ast.Product); ok && c.splices(inner, x) {
			*out = append(*out, inner.Factors...)
			changed = true
			continue
		}
		changed = changed || f != x
		*out = append(*out, f)
	}
	return changed
}

// splices reports whether a product nested in another one dissolves into
// it: a matrix chain, or a product of scalars only. orig is the node p was
// flattened from, whose shape is known (p's may not be, yet).
func (c *Context) splices(p *ast.Product, orig ast.Expr) bool {
	return !c.scalar(orig) || c.pureScalars(p)
}

// once applies the first rule of e's type, from the one at index from,
// that applies to e; resume is the index of the first rule to offer the
// result (0 but after a sorting rule, see Rule).
func (c *Context) once(e ast.Expr, from int) (out ast.Expr, rule string, resume int) {
	op := opOf(e)
	rules := c.table.rules[op]
	var kids Op // childKinds(e), once a rule needs it
	for i := from; i < len(rules); i++ {
		r := &rules[i]
		if r.Needs != 0 {
			if kids == 0 {
				kids = childKinds(e) | 1<<numOps
			}
			if kids&r.Needs == 0 {
				continue
			}
		}
		if out := r.Apply(c, e); out != nil {
			return out, r.Name, c.table.resume[op][i]
		}
	}
	return nil, "", 0
}

// childKinds returns the node types of e's children and of the operands
// of its transposed children, for Rule.Needs.
func childKinds(e ast.Expr) Op {
	var k Op
	for i := range ast.NumChildren(e) {
		x := ast.Child(e, i)
		k |= OpOf(x)
		if t, ok := x.(*ast.Transpose); ok {
			k |= OpOf(t.X)
		}
	}
	return k
}

// Op is a set of node types, for Rule.On.
type Op uint32

// The node types rules are dispatched by.
const (
	OnNumber Op = 1 << iota
	OnName
	OnPi
	OnIdentity
	OnOnes
	OnZero
	OnDimension
	OnSum
	OnProduct
	OnHadamard
	OnElemDiv
	OnDiv
	OnKron
	OnNeg
	OnTranspose
	OnInverse
	OnPower
	OnElemPower
	OnNorm
	OnCall
	OnComm
	numOps = iota
)

// The node types of the Ops are ast's, in ast.TypeIndex's order.
const _ = uint(numOps-ast.NumTypes) + uint(ast.NumTypes-numOps)

// OnElementwise is the two elementwise binary nodes.
const OnElementwise = OnHadamard | OnElemDiv

// opOf returns the index of e's type (the bit of its Op).
func opOf(e ast.Expr) int { return ast.TypeIndex(e) }

// OpOf returns the Op of e's node type.
func OpOf(e ast.Expr) Op { return 1 << opOf(e) }

// table holds the rules for each node type, in rule-list order, and for
// each rule the index of the first rule to offer its result.
type table struct {
	rules  [numOps][]Rule
	resume [numOps][]int
}

// newTable sorts rules by the node types they rewrite.
func newTable(rules []Rule) *table {
	// The lists share two arrays, sized by a first count (the table of
	// the default rules is built at every start of the command line).
	t := new(table)
	total := 0
	for _, r := range rules {
		for op := range numOps {
			if r.On == 0 || r.On&(1<<op) != 0 {
				total++
			}
		}
	}
	all, resume := make([]Rule, 0, total), make([]int, total)
	for op := range numOps {
		start := len(all)
		for _, r := range rules {
			if r.On == 0 || r.On&(1<<op) != 0 {
				all = append(all, r)
			}
		}
		t.rules[op] = all[start:len(all):len(all)]
		t.resume[op] = resume[start:len(all):len(all)]
	}
	for op, rs := range t.rules {
		anyOrder := true // every rule before i
		for i, r := range rs {
			if r.Sorts && anyOrder {
				t.resume[op][i] = i + 1
			}
			anyOrder = anyOrder && r.AnyOrder
		}
	}
	return t
}

// families is the rule list, family by family, in the order rules are
// tried at a node.
func families() [][]Rule {
	return [][]Rule{
		normalRules, transposeRules, numberRules, powerRules,
		productRules, sumRules, funcRules, softmaxRules, elementwiseRules, distributeRules, kronRules, rowSumRules, logisticRules,
	}
}

// defaultRules and defaultTable are built once, on first use.
var (
	defaultRules = sync.OnceValue(func() []Rule {
		var rules []Rule
		for _, family := range families() {
			rules = append(rules, family...)
		}
		return rules
	})
	defaultTable = sync.OnceValue(func() *table { return newTable(defaultRules()) })
)

// Default returns the rule list, in the order rules are tried at a node.
func Default() []Rule {
	return append([]Rule(nil), defaultRules()...)
}

// shape returns the shape of e.
func (c *Context) shape(e ast.Expr) ast.Shape {
	switch e.(type) {
	case *ast.Number, *ast.Pi, *ast.Dimension:
		return ast.Scalar
	}
	return c.Info.MustShape(e) // kept on the node by the Info
}

// scalar reports whether e is 1×1.
func (c *Context) scalar(e ast.Expr) bool {
	r, k := c.Info.Orientation(e)
	return r && k
}
