// Package codegen writes the code that computes an expression and its
// derivatives: a NumPy or PyTorch function, or a C++ function over Eigen.
//
// It exists because a closed form is not yet code. Users who found the
// gradient of a loss must still translate it by hand, and the
// translation is where the all-ones vector, eye(rows(X)), diag of a
// vector and the order of a product chain go wrong or go slow. The
// package lowers the value, every gradient and the Hessian into one graph
// of operations (package-internal nodes), so that what they share is
// computed once; orders every chain matrix-vector first; never forms a
// diagonal matrix, a Kronecker product or an inverse where it can apply
// it instead; checks the sizes of the inputs against the shapes that
// inference found; and prints the graph in the target language. The
// numbers are those of the closed forms that `matdiff d/dX` prints.
package codegen

import (
	"fmt"
	"sort"
	"strings"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/eval"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
)

// Langs are the target languages.
var Langs = []string{"numpy", "torch", "eigen"}

// Options say what to write.
type Options struct {
	Lang    string    // numpy (default), torch or eigen
	Decls   ast.Decls // declarations
	Wrt     []string  // the gradients to compute; nil: every variable
	Hessian string    // the variable of the Hessian, or ""
	Name    string    // the function's name (default f)
	Check   bool      // append a self-test
	Version string    // matdiff's version, for the header
	// Command is the command line to show in the header (optional).
	Command string
}

// Generate returns the source file for the expression src.
func Generate(src string, opts Options) (string, error) {
	p, err := plan(src, opts)
	if err != nil {
		return "", err
	}
	switch opts.Lang {
	case "", "numpy":
		return printPython(p, numpyDialect)
	case "torch":
		return printPython(p, torchDialect)
	case "eigen":
		return printEigen(p)
	}
	return "", fmt.Errorf("codegen: unknown language %q (want %s)", opts.Lang, strings.Join(Langs, ", "))
}

// param is a parameter of the function: a variable of the expression.
type param struct {
	name  string // as in the expression
	kind  ast.Kind
	shape ast.Shape
}

func (p param) scalar() bool { return p.shape.IsScalar() }
func (p param) vector() bool {
	return !p.shape.IsScalar() && (p.shape.Cols.IsOne() || p.shape.Rows.IsOne())
}

// output is a computed result: the value, a gradient or the Hessian.
type output struct {
	wrt   string // the variable ("" for the value)
	node  *node
	text  string // the closed form, as text
	shape ast.Shape
	label string // d/dx, d2/dx2
}

// program is what to print, in no particular language.
type program struct {
	src     string
	opts    Options
	typed   *pipeline.Typed
	params  []param
	value   output
	grads   []output
	hessian *output
	// parts are, for the self-test, the parts of the value that vary with
	// a variable, where they are not the value (eval.Varying).
	parts map[string]*output
	jac   bool // the value is a vector and the gradients Jacobians
	b     *builder
	// the parameter each base dimension is read from, and the checks.
	dims   []dimRead
	checks []sizeCheck
}

func errorf(e ast.Expr, format string, args ...any) error {
	var pos ast.Pos
	if e != nil {
		pos = e.Pos()
	}
	return ast.Errorf(pos, "codegen", format, args...)
}

// plan parses and differentiates src and lowers the results.
func plan(src string, opts Options) (*program, error) {
	if opts.Name == "" {
		opts.Name = "f"
	}
	if !ValidName(opts.Name) {
		return nil, fmt.Errorf("codegen: the function name %q is not an identifier", opts.Name)
	}
	t, err := pipeline.Parse(src, pipeline.Options{Decls: opts.Decls})
	if err != nil {
		return nil, err
	}
	p := &program{src: src, opts: opts, typed: t, b: newBuilder(t.Info.Symmetric)}
	vs, err := t.Info.Shape(t.Expr)
	if err != nil {
		return nil, err
	}
	switch {
	case vs.IsScalar():
	case vs.IsVector() || vs.IsRow():
		p.jac = true
	default:
		return nil, errorf(t.Expr, "the expression is a matrix (%v); codegen writes functions of a scalar or a vector", vs)
	}
	for _, n := range t.Info.Order {
		v := t.Info.Vars[n]
		p.params = append(p.params, param{name: n, kind: v.Kind, shape: v.Shape})
	}
	wrt := opts.Wrt
	if wrt == nil {
		// Every variable; for a vector, those whose Jacobian is a matrix.
		// As with matdiff grad, an expression too large to differentiate
		// by each of its variables is a limit error at once.
		if err := t.CheckEvery(); err != nil {
			return nil, err
		}
		for _, n := range t.Info.Order {
			if !p.jac || !t.Info.Vars[n].Shape.IsMatrix() {
				wrt = append(wrt, n)
			}
		}
	}
	seen := map[string]bool{}
	for _, w := range wrt {
		v := t.Info.Vars[w]
		switch {
		case v == nil:
			return nil, errorf(nil, "%s does not occur in the expression, so it is not a parameter of the function", w)
		case seen[w]:
			return nil, errorf(nil, "%s is listed twice in --wrt", w)
		case p.jac && v.Shape.IsMatrix():
			return nil, errorf(nil, "the Jacobian of a vector by the matrix %s is not a matrix; codegen writes derivatives by matrices for scalar expressions only", w)
		}
		seen[w] = true
	}
	if h := opts.Hessian; h != "" {
		v := t.Info.Vars[h]
		switch {
		case v == nil:
			return nil, errorf(nil, "%s does not occur in the expression, so it has no Hessian", h)
		case p.jac:
			return nil, errorf(nil, "the Hessian needs a scalar expression, and this one is %v", vs)
		case v.Shape.IsMatrix():
			return nil, errorf(nil, "the Hessian by the matrix %s needs --vec, which codegen does not write", h)
		}
	}
	l := &lowerer{b: p.b, info: t.Info}
	p.value = output{node: l.lower(t.Expr), text: render.Text(t.Expr), shape: vs}
	for _, w := range wrt {
		req := derive.Request{Wrt: w, Order: 1}
		label := "d/d" + w
		if p.jac && !t.Info.Vars[w].Shape.IsScalar() {
			req.Transposed = true
			label += "^T"
		}
		d, err := t.Derive(req)
		if err != nil {
			return nil, err
		}
		s, err := t.Info.Shape(d.Result)
		if err != nil {
			return nil, err
		}
		p.grads = append(p.grads, output{wrt: w, node: l.lower(d.Result), text: render.Text(d.Result), shape: s, label: label})
	}
	if h := opts.Hessian; h != "" {
		d, err := t.Derive(derive.Request{Wrt: h, Order: 2})
		if err != nil {
			return nil, err
		}
		s, err := t.Info.Shape(d.Result)
		if err != nil {
			return nil, err
		}
		p.hessian = &output{wrt: h, node: l.lower(d.Result), text: render.Text(d.Result), shape: s, label: "d2/d" + h + "2"}
	}
	if opts.Check {
		// The self-test differences the part of the value that varies
		// with each variable: a large constant would take its digits.
		p.parts = map[string]*output{}
		for _, o := range p.outputs()[1:] {
			if v := eval.Varying(t.Expr, t.Info, o.wrt); v != t.Expr && p.parts[o.wrt] == nil {
				p.parts[o.wrt] = &output{wrt: o.wrt, node: l.lower(v), text: render.Text(v), shape: vs}
			}
		}
	}
	if l.err != nil {
		return nil, l.err
	}
	if err := p.planSizes(); err != nil {
		return nil, err
	}
	return p, nil
}

// partFunctions prints, with print, the self-test's functions of the parts
// of the value that vary with one variable (parts), in the order of the
// parameters: each has the same parameters and size checks as the
// function, no derivatives, and the name name(the parameter's identifier).
func (p *program) partFunctions(ident map[string]string, name func(string) string, print func(*program) (string, error)) ([]string, error) {
	var out []string
	for _, v := range p.params {
		part := p.parts[v.name]
		if part == nil {
			continue
		}
		sub := *p
		sub.value = *part
		sub.grads, sub.hessian, sub.parts = nil, nil, nil
		sub.opts.Name, sub.opts.Check = name(ident[v.name]), false
		f, err := print(&sub)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// outputs lists the value, the gradients and the Hessian.
func (p *program) outputs() []*output {
	out := []*output{&p.value}
	for i := range p.grads {
		out = append(out, &p.grads[i])
	}
	if p.hessian != nil {
		out = append(out, p.hessian)
	}
	return out
}

// schedule orders the nodes that the outputs need so that every node
// comes after its operands, and says which are computed once into a
// local: those used more than once, other than names and numbers.
func (p *program) schedule() (order []*node, local map[*node]bool) {
	uses := map[*node]int{}
	var visit func(n *node)
	seen := map[*node]bool{}
	visit = func(n *node) {
		if seen[n] {
			return
		}
		seen[n] = true
		for _, a := range n.args {
			uses[a]++
			if n.op == opSqNorm {
				uses[a]++ // printed as a a or a.ravel() @ a.ravel()
			}
			visit(a)
		}
		order = append(order, n)
	}
	for _, o := range p.outputs() {
		uses[o.node]++
		visit(o.node)
	}
	local = map[*node]bool{}
	for _, n := range order {
		if uses[n] >= 2 && !trivial(n) {
			local[n] = true
		}
	}
	return order, local
}

// trivial nodes are printed where they are used.
func trivial(n *node) bool {
	switch n.op {
	case opVar, opNum, opPi, opDim:
		return true
	case opT, opNeg:
		return trivial(n.args[0])
	}
	return false
}

// declarations describes the variables for the header: "X: matrix m×n".
func (p *program) declarations() string {
	var parts []string
	for _, v := range p.params {
		kind := v.kind.String()
		if v.kind == ast.KindMatrix && v.shape.IsSquare() {
			kind = "square"
		}
		switch {
		case v.scalar():
			parts = append(parts, v.name+": scalar")
		case v.vector():
			parts = append(parts, fmt.Sprintf("%s: vector of %v entries", v.name, dataShape(v.shape).Rows))
		default:
			parts = append(parts, fmt.Sprintf("%s: %s %v", v.name, kind, v.shape))
		}
	}
	return strings.Join(parts, ", ")
}

// headerLines are the lines of the header comment.
func (p *program) headerLines() []string {
	version := p.opts.Version
	if version == "" {
		version = "dev"
	}
	lines := []string{
		"Generated by matdiff " + version + ". Do not edit; regenerate instead.",
	}
	if p.opts.Command != "" {
		lines = append(lines, "  "+p.opts.Command)
	}
	lines = append(lines, "", "EXPR: "+p.value.text)
	if d := p.declarations(); d != "" {
		lines = append(lines, "Variables: "+d)
	}
	for _, g := range p.grads {
		lines = append(lines, g.label+" = "+g.text)
	}
	if p.hessian != nil {
		lines = append(lines, p.hessian.label+" = "+p.hessian.text)
	}
	return lines
}

// names hands out identifiers that are not keywords and not taken.
type names struct {
	taken    map[string]bool
	reserved func(string) bool
}

func (n *names) get(want string) string {
	s := want
	for n.taken[s] || n.reserved(s) {
		s += "_"
	}
	n.taken[s] = true
	return s
}

// ValidName reports whether s can name the generated function: an ASCII
// identifier that is no keyword of the target languages.
func ValidName(s string) bool {
	for _, r := range s {
		if r > 127 {
			return false
		}
	}
	return isIdent(s) && !pythonReserved()[s] && !cppReserved()[s]
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r > 127:
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// sortedKeys is for deterministic output.
func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
