package derive

import (
	"math/big"

	"github.com/matdiff/matdiff/ast"
)

// Derivation is a derivative worked out line by line, as lecture notes
// write it, from the steps the engine recorded (never from a second
// engine): the expression, rewritten in product or trace form; its
// differential; one line per rule applied, with the adjoint it handed on;
// the differential rearranged as tr(G^T dX) or g^T dx; and the derivative
// read off.
type Derivation struct {
	// Name is the letter that stands for the expression on the left of
	// the lines: E for a scalar, f for a vector, F for a matrix (another
	// letter when the expression has a variable of that name). Info knows
	// it, with the expression's kind and shape.
	Name  string
	Info  *ast.Info
	Lines []Line
}

// Side says what the left-hand side of a line is.
type Side int

const (
	SideSame       Side = iota // the left side of the line before: "= …"
	SideExpr                   // the expression's name: E = …
	SideDiff                   // the differential d(Of)
	SideGradient               // the first derivative, ∂E/∂x, before a second one
	SideDerivative             // the derivative asked for: the last line
)

// Line is one line of a derivation, LHS = Expr.
type Line struct {
	Side Side
	Of   ast.Expr // SideDiff: the expression whose differential it is
	Expr ast.Expr // the right-hand side; differentials are calls of "d"
	// Rule is the engine's rule that gives the line ("rewrite" for the
	// product or trace form, "read off" for the result); empty on the
	// first line.
	Rule string
	// Node, Arg and Out are the engine step's: the rule applied at Node
	// handed Out to its operand Arg (reverse mode), or gave the
	// differential of Node (forward mode: Out is its Jacobian).
	Node, Arg, Out ast.Expr
	// Hands are all that the rule at Node handed on, one per operand
	// (Arg and Out are set when there is one).
	Hands []Hand
	// Simplified lists, on the last line, the simplifier's rules that
	// turned the raw derivative into Expr (set by the caller that
	// simplifies).
	Simplified []string
}

// Hand is an adjoint Out handed to the operand Arg.
type Hand struct{ Arg, Out ast.Expr }

// Differential is the name of the function that stands for d(·) in a
// derivation's lines (render prints it as dX).
const Differential = "d"

func diff(e ast.Expr) ast.Expr { return &ast.Call{Func: Differential, Args: []ast.Expr{e}} }

// Explain works r, the derivative of e as req asked for it, into a
// derivation. Intermediate adjoints are shown through req.Simplify (so they
// read as a person would write them); the last line is
// req.Simplify(r.Expr).
func Explain(e ast.Expr, info *ast.Info, req Request, r *Result) *Derivation {
	x, _ := ExplainWithin(e, info, req, r, nil)
	return x
}

// ExplainWithin is Explain under limits: check, when set, sees each line
// as it is made (and nil between pieces of work, for a clock), and the
// first error it returns ends the derivation (nil and that error), so
// that a derivation too long or too slow to write out is never built
// whole.
func ExplainWithin(e ast.Expr, info *ast.Info, req Request, r *Result, check func(*Line) error) (*Derivation, error) {
	simp := req.Simplify
	if simp == nil {
		simp = func(e ast.Expr) ast.Expr { return e }
	}
	x := &explainer{e: e, info: info, req: req, simp: simp, steps: r.Steps, check: check}
	x.name()
	x.add(Line{Side: SideExpr, Expr: e})
	if pf := productForm(e, info); pf != e {
		x.add(Line{Side: SideSame, Expr: pf, Rule: "rewrite"})
	}
	if x.err == nil {
		x.walk()
	}
	if x.err == nil {
		x.add(Line{Side: SideDerivative, Expr: simp(r.Expr), Rule: "read off"})
	}
	if x.err != nil {
		return nil, x.err
	}
	return &Derivation{Name: x.lhs, Info: x.info, Lines: x.lines}, nil
}

// depends reports whether e contains the variable.
func (x *explainer) depends(e ast.Expr) bool {
	if v, ok := x.deps[e]; ok {
		return v
	}
	dep := false
	if n, ok := e.(*ast.Name); ok {
		dep = n.Name == x.req.Wrt
	} else if _, ok := e.(*ast.Dimension); !ok {
		for _, k := range ast.Children(e) {
			if x.depends(k) {
				dep = true
				break
			}
		}
	}
	if x.deps == nil {
		x.deps = map[ast.Expr]bool{}
	}
	x.deps[e] = dep
	return dep
}

type explainer struct {
	deps  map[ast.Expr]bool
	e     ast.Expr
	info  *ast.Info // with the expression's name
	req   Request
	simp  func(ast.Expr) ast.Expr
	steps []Step
	lhs   string
	lines []Line
	check func(*Line) error // nil: no limits
	err   error             // the first error of check: the lines stop
}

// add appends l, unless check refuses it (or refused a line before).
func (x *explainer) add(l Line) {
	if x.err != nil {
		return
	}
	if x.check != nil {
		if x.err = x.check(&l); x.err != nil {
			return
		}
	}
	x.lines = append(x.lines, l)
}

// stopped reports whether check has ended the derivation, asking it
// again (with no line) when it has not.
func (x *explainer) stopped() bool {
	if x.err == nil && x.check != nil {
		x.err = x.check(nil)
	}
	return x.err != nil
}

// name picks the letter for the expression and registers it in a copy of
// the info.
func (x *explainer) name() {
	s := x.info.MustShape(x.e)
	kind, letters := ast.KindMatrix, []string{"F", "G", "H", "F_0"}
	switch {
	case s.IsScalar():
		kind, letters = ast.KindScalar, []string{"E", "L", "J", "E_0"}
	case s.IsVector() || s.IsRow():
		kind, letters = ast.KindVector, []string{"f", "g", "h", "f_0"}
	}
	x.lhs = letters[len(letters)-1]
	for _, l := range letters {
		if x.info.Vars[l] == nil {
			x.lhs = l
			break
		}
	}
	in := &ast.Info{Vars: map[string]*ast.Var{}, Order: append([]string(nil), x.info.Order...), NDims: x.info.NDims}
	for k, v := range x.info.Vars {
		in.Vars[k] = v
	}
	in.Vars[x.lhs] = &ast.Var{Name: x.lhs, Kind: kind, Shape: s}
	x.info = in
}

// walk turns the steps into lines: each reverse pass (seed … gradient)
// as a chain of differentials, each forward step as the differential of
// its node.
func (x *explainer) walk() {
	v := x.info.Vars[x.req.Wrt]
	for i := 0; i < len(x.steps) && !x.stopped(); i++ {
		s := x.steps[i]
		switch s.Rule {
		case "seed":
			end := x.reverse(i)
			if end+1 < len(x.steps) && x.steps[end+1].Rule == "symmetric-gradient" {
				end++
				sym := x.steps[end]
				l := Line{Side: SideSame, Expr: x.innerPlain(x.simp(sym.Out), &ast.Name{Name: x.req.Wrt}, v.Shape), Rule: sym.Rule, Node: sym.Node, Out: x.simp(sym.Out)}
				// A gradient that is symmetric already is not restated.
				if n := len(x.lines); n == 0 || !ast.Equal(x.lines[n-1].Expr, l.Expr) {
					x.add(l)
				}
			}
			if end+1 < len(x.steps) && s.Node == x.e {
				// A second derivative follows: state the first. (The
				// gradient of an inner scalar is not E's: its lines
				// stand under d(inner), and the forward line that
				// follows states it.)
				x.add(Line{Side: SideGradient, Expr: x.simp(x.steps[end].Out), Rule: "read off"})
			}
			i = end
		case "jacobian", "jacobian-of-scalar", "forward", "vec-jacobian":
			if _, leaf := s.Node.(*ast.Name); leaf {
				continue
			}
			x.add(x.forwardLine(s))
		}
	}
}

// reverse writes the lines of the reverse pass that begins with the seed
// at index i, and returns the index of its closing gradient step. The
// differential is kept as a list of terms ⟨adjoint, d(operand)⟩, in the
// order of the tree. Each line replaces one term, the first one in that
// order whose node hands adjoints on, by the terms of all its operands at
// once (both terms of a product rule on one line), so that every line is
// the whole differential.
func (x *explainer) reverse(i int) int {
	type term struct{ step int }
	root := x.steps[i].Node
	end := i + 1
	for end < len(x.steps) && x.steps[end].Rule != "gradient" {
		end++
	}
	// hands[k] are the steps that the node of step k handed adjoints with.
	hands := map[int][]int{}
	for j := i + 1; j < end; j++ {
		hands[x.steps[j].From] = append(hands[x.steps[j].From], j)
	}
	front := []term{{step: i}}
	first := true
	side := func() Line {
		if !first {
			return Line{Side: SideSame}
		}
		first = false
		if root == x.e {
			return Line{Side: SideDiff, Of: &ast.Name{Name: x.lhs}}
		}
		return Line{Side: SideDiff, Of: root}
	}
	for x.err == nil {
		at := -1
		for k, t := range front {
			if len(hands[t.step]) > 0 {
				at = k
				break
			}
		}
		if at < 0 {
			break
		}
		t := front[at]
		var kids []term
		var hs []Hand
		rule := ""
		for _, j := range hands[t.step] {
			s := x.steps[j]
			rule = s.Rule
			if s.Arg == nil || !x.depends(s.Arg) {
				continue // d(Arg) = 0: the term vanishes
			}
			hs = append(hs, Hand{Arg: s.Arg, Out: x.simpOrNil(s.Out)})
			kids = append(kids, term{j})
		}
		front = append(front[:at], append(kids, front[at+1:]...)...)
		var ts []ast.Expr
		for _, t := range front {
			if x.stopped() {
				return end - 1
			}
			st := x.steps[t.step]
			ts = append(ts, x.inner(x.simp(st.Out), st.Arg, x.info.MustShape(st.Arg)))
		}
		l := side()
		l.Expr, l.Rule, l.Node, l.Hands = sum(ts), rule, x.steps[hands[t.step][0]].Node, hs
		if len(hs) == 1 {
			l.Arg, l.Out = hs[0].Arg, hs[0].Out
		}
		x.add(l)
	}
	if end >= len(x.steps) || x.err != nil {
		return end - 1
	}
	g := x.steps[end].Out
	l := side()
	l.Rule, l.Node, l.Out = "gradient", x.steps[end].Node, x.simpOrNil(g)
	v := x.info.Vars[x.req.Wrt]
	if g == nil {
		l.Expr = ast.Int(0)
	} else {
		l.Expr = x.innerPlain(x.simp(g), &ast.Name{Name: x.req.Wrt}, v.Shape)
	}
	// A differential that is in gradient form already (g dt for a
	// scalar t) is not restated.
	if n := len(x.lines); n > 0 && x.lines[n-1].Side == l.Side && ast.Equal(x.lines[n-1].Expr, l.Expr) {
		return end
	}
	x.add(l)
	return end
}

func (x *explainer) simpOrNil(e ast.Expr) ast.Expr {
	if e == nil {
		return nil
	}
	return x.simp(e)
}

func sum(ts []ast.Expr) ast.Expr {
	switch len(ts) {
	case 0:
		return ast.Int(0)
	case 1:
		return ts[0]
	}
	return &ast.Sum{Terms: ts}
}

// inner is ⟨g, d(of)⟩ written as a person would: g dt for a scalar,
// g^T dx for a vector, dx g^T... for a row, tr(G^T dX) for a matrix, with
// g^T simplified and a numeric coefficient in front.
func (x *explainer) inner(g, of ast.Expr, s ast.Shape) ast.Expr {
	d := diff(of)
	switch {
	case s.IsScalar():
		c, rest := coefficient(g)
		if x.chained(rest) {
			rest = &ast.Product{Factors: []ast.Expr{rest}}
		}
		return withCoefficient(c, chain(rest, d))
	case s.IsRow():
		c, rest := coefficient(x.simp(tr(g)))
		return withCoefficient(c, chain(d, rest))
	case s.IsVector():
		return chain(x.simp(tr(g)), d)
	}
	c, rest := coefficient(x.simp(tr(g)))
	return withCoefficient(c, fn("tr", chain(rest, d)))
}

// chained reports whether e is a product with a matrix chain (x^T y),
// which needs parentheses as a scalar factor.
func (x *explainer) chained(e ast.Expr) bool {
	p, ok := e.(*ast.Product)
	if !ok {
		return false
	}
	for _, f := range p.Factors {
		if s, err := x.info.Shape(f); err != nil || !s.IsScalar() {
			return true
		}
	}
	return false
}

func withCoefficient(c, e ast.Expr) ast.Expr {
	if c == nil {
		return e
	}
	return chain(c, e)
}

// innerPlain is ⟨g, d(of)⟩ with g as it is: (g)^T dx, tr(G^T dX); the
// form from which the derivative is read off.
func (x *explainer) innerPlain(g, of ast.Expr, s ast.Shape) ast.Expr {
	d := diff(of)
	switch {
	case s.IsScalar():
		if x.chained(g) {
			g = &ast.Product{Factors: []ast.Expr{g}}
		}
		return chain(g, d)
	case s.IsVector():
		return chain(tr(g), d)
	}
	return fn("tr", chain(tr(g), d))
}

// chain multiplies a and b, flattening a product a (and dropping a
// coefficient 1).
func chain(a, b ast.Expr) ast.Expr {
	if n, ok := a.(*ast.Number); ok && n.Value.Cmp(big.NewRat(1, 1)) == 0 {
		return b
	}
	var fs []ast.Expr
	if p, ok := a.(*ast.Product); ok {
		fs = append(fs, p.Factors...)
	} else {
		fs = append(fs, a)
	}
	if p, ok := b.(*ast.Product); ok {
		fs = append(fs, p.Factors...)
	} else {
		fs = append(fs, b)
	}
	// An identity next to a differential is left out: tr(d(A X B)).
	out := fs[:0]
	for _, f := range fs {
		if _, ok := f.(*ast.Identity); !ok {
			out = append(out, f)
		}
	}
	if len(out) == 1 {
		return out[0]
	}
	return &ast.Product{Factors: out}
}

// coefficient splits a leading numeric factor off a product.
func coefficient(e ast.Expr) (ast.Expr, ast.Expr) {
	p, ok := e.(*ast.Product)
	if !ok || len(p.Factors) < 2 {
		return nil, e
	}
	c, ok := p.Factors[0].(*ast.Number)
	if !ok {
		return nil, e
	}
	if len(p.Factors) == 2 {
		return c, p.Factors[1]
	}
	return c, &ast.Product{Factors: p.Factors[1:]}
}

// forwardLine is the differential of a forward step's node: d(N) = J dx
// (d(N) = N' dt by a scalar, d vec(N) = J d vec(X) with --vec).
func (x *explainer) forwardLine(s Step) Line {
	wrt := ast.Expr(&ast.Name{Name: x.req.Wrt})
	of, out := s.Node, x.simp(s.Out)
	if s.Rule == "vec-jacobian" {
		if !x.info.MustShape(of).Cols.IsOne() {
			of = fn("vec", of)
		}
		if !x.info.Vars[x.req.Wrt].Shape.Cols.IsOne() {
			wrt = fn("vec", wrt)
		}
	}
	return Line{Side: SideDiff, Of: of, Expr: chain(out, diff(wrt)), Rule: s.Rule + " " + nodeRule(s.Node), Node: s.Node, Out: out}
}

// nodeRule names the operation at the top of e, for the forward rules,
// which the engine records under one name.
func nodeRule(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Sum:
		return "(sum)"
	case *ast.Product:
		return "(product)"
	case *ast.Hadamard:
		return "(hadamard)"
	case *ast.ElemDiv:
		return "(elementwise-division)"
	case *ast.Div:
		return "(division)"
	case *ast.Kron:
		return "(kronecker)"
	case *ast.Neg:
		return "(negation)"
	case *ast.Transpose:
		return "(transpose)"
	case *ast.Inverse:
		return "(inverse)"
	case *ast.Power:
		return "(power)"
	case *ast.ElemPower:
		return "(elementwise-power)"
	case *ast.Norm:
		return "(norm)"
	case *ast.Call:
		return "(" + e.Func + ")"
	}
	return ""
}

// productForm writes squared norms as products and traces, as derivations
// begin: ||v||^2 = v^T v, ||M||^2 = tr(M^T M), ||v|| = (v^T v)^(1/2). It
// returns e itself when there is nothing to rewrite.
func productForm(e ast.Expr, info *ast.Info) ast.Expr {
	switch n := e.(type) {
	case *ast.Power:
		if nm, ok := n.X.(*ast.Norm); ok && nm.Kind != ast.NormOne && n.Exp.Cmp(big.NewRat(2, 1)) == 0 {
			return selfInner(nm.X, info)
		}
	case *ast.Norm:
		if n.Kind != ast.NormOne {
			return powRat(selfInner(n.X, info), big.NewRat(1, 2))
		}
		return e
	case *ast.Name, *ast.Number, *ast.Pi, *ast.Identity, *ast.Ones, *ast.Zero, *ast.Dimension:
		return e
	}
	kids := ast.Children(e)
	changed := false
	out := make([]ast.Expr, len(kids))
	for i, k := range kids {
		out[i] = productForm(k, info)
		changed = changed || out[i] != k
	}
	if !changed {
		return e
	}
	return ast.WithChildren(e, out)
}

// selfInner is ⟨v, v⟩: v v, v^T v, v v^T or tr(V^T V).
func selfInner(v ast.Expr, info *ast.Info) ast.Expr {
	s := info.MustShape(v)
	switch {
	case s.IsScalar():
		return pow(v, 2)
	case s.IsVector():
		return &ast.Product{Factors: []ast.Expr{tr(v), v}}
	case s.IsRow():
		return &ast.Product{Factors: []ast.Expr{v, tr(v)}}
	}
	return fn("tr", &ast.Product{Factors: []ast.Expr{tr(v), v}})
}
