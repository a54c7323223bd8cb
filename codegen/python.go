package codegen

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"sync"

	"github.com/matdiff/matdiff/ast"
)

// Precedence levels of printed code, lowest first (Python and C++ agree
// on these).
const (
	precAdd   = 1 // a + b
	precMul   = 2 // a * b, a / b, a @ b
	precUnary = 3 // -a
	precPow   = 4 // a ** b
	precAtom  = 5 // names, calls, a.T, a[i]
)

// code is printed code with the precedence of its outermost operator.
type code struct {
	s    string
	prec int
}

func atom(format string, args ...any) code { return code{fmt.Sprintf(format, args...), precAtom} }

// at returns c's text, parenthesised unless it binds at least as tight as
// prec.
func (c code) at(prec int) string {
	if c.prec < prec {
		return "(" + c.s + ")"
	}
	return c.s
}

// dialect is what NumPy and PyTorch spell differently.
type dialect struct {
	lang     string // numpy or torch
	module   string // import line
	ns       string // np or torch
	linalg   string
	axis     string                                // axis= or dim=
	kw       string                                // extra arguments of constructors (torch: dtype and device)
	vec      func(m string) string                 // vec(M)
	unvec    func(v, rows, cols string) string     // the rows×cols matrix whose vec is v
	ones     func(n string) string                 // the all-ones vector
	eye      func(n string) string                 // the identity
	zeros    func(rows, cols string) string        // zeros; cols "" for a vector
	ndimOf   func(x string) string                 // the number of dimensions of x
	sizeOf   func(x string, axis int) string       // a size of x
	checkArg func(x, orig string, nd int) []string // lines converting and checking a parameter
	pi       string
}

var numpyDialect = &dialect{
	lang: "numpy", module: "import numpy as np", ns: "np", linalg: "np.linalg", axis: "axis",
	vec:   func(m string) string { return m + `.reshape(-1, order="F")` },
	unvec: func(v, r, c string) string { return fmt.Sprintf(`%s.reshape((%s, %s), order="F")`, v, r, c) },
	ones:  func(n string) string { return "np.ones(" + n + ")" },
	eye:   func(n string) string { return "np.eye(" + n + ")" },
	zeros: func(r, c string) string {
		if c == "" {
			return "np.zeros(" + r + ")"
		}
		return "np.zeros((" + r + ", " + c + "))"
	},
	ndimOf: func(x string) string { return x + ".ndim" },
	sizeOf: func(x string, axis int) string { return fmt.Sprintf("%s.shape[%d]", x, axis) },
	checkArg: func(x, orig string, nd int) []string {
		if nd == 0 {
			return []string{
				fmt.Sprintf("if np.ndim(%s) != 0:", x),
				fmt.Sprintf(`    raise ValueError(f"%s must be a scalar, not an array of shape {np.shape(%s)}")`, orig, x),
				fmt.Sprintf("%s = np.float64(%s)", x, x),
			}
		}
		return []string{
			fmt.Sprintf("%s = np.asarray(%s, dtype=np.float64)", x, x),
			fmt.Sprintf("if %s.ndim != %d:", x, nd),
			fmt.Sprintf(`    raise ValueError(f"%s must be %s, not an array of shape {%s.shape}")`, orig, ndimWord(nd), x),
		}
	},
	pi: "np.pi",
}

var torchDialect = &dialect{
	lang: "torch", module: "import torch", ns: "torch", linalg: "torch.linalg", axis: "dim", kw: ", **_kw",
	vec:   func(m string) string { return m + ".T.reshape(-1)" },
	unvec: func(v, r, c string) string { return fmt.Sprintf("%s.reshape(%s, %s).T", v, c, r) },
	ones:  func(n string) string { return "torch.ones(" + n + ", **_kw)" },
	eye:   func(n string) string { return "torch.eye(" + n + ", **_kw)" },
	zeros: func(r, c string) string {
		if c == "" {
			return "torch.zeros(" + r + ", **_kw)"
		}
		return "torch.zeros(" + r + ", " + c + ", **_kw)"
	},
	ndimOf: func(x string) string { return x + ".dim()" },
	sizeOf: func(x string, axis int) string { return fmt.Sprintf("%s.shape[%d]", x, axis) },
	checkArg: func(x, orig string, nd int) []string {
		if nd == 0 {
			return []string{
				fmt.Sprintf("if isinstance(%s, torch.Tensor) and %s.dim() != 0:", x, x),
				fmt.Sprintf(`    raise ValueError(f"%s must be a scalar, not a tensor of shape {tuple(%s.shape)}")`, orig, x),
				fmt.Sprintf("%s = torch.as_tensor(%s, **_kw)", x, x),
			}
		}
		return []string{
			fmt.Sprintf("if not isinstance(%s, torch.Tensor):", x),
			fmt.Sprintf(`    raise TypeError(f"%s must be a torch.Tensor, not {type(%s).__name__}")`, orig, x),
			fmt.Sprintf("if %s.dim() != %d:", x, nd),
			fmt.Sprintf(`    raise ValueError(f"%s must be %s, not a tensor of shape {tuple(%s.shape)}")`, orig, ndimWord(nd), x),
		}
	},
	pi: "3.141592653589793",
}

func ndimWord(nd int) string {
	if nd == 1 {
		return "a vector (1-D)"
	}
	return "a matrix (2-D)"
}

// pythonReserved are the words a Python name must not be, made on first
// use.
var pythonReserved = sync.OnceValue(func() map[string]bool {
	return wordSet(`False None True and as assert async await break class continue def del elif else
		except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield
		abs all any bin bool bytes callable chr complex dict dir divmod enumerate eval exec filter float format
		frozenset getattr globals hasattr hash help hex id input int isinstance issubclass iter len list locals map
		max min next object oct open ord pow print property range repr reversed round set setattr slice sorted str
		sum super tuple type vars zip np torch math sys _kw`)
})

// wordSet is the set of the words of s.
func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// pyPrinter prints a program as a Python module.
type pyPrinter struct {
	p       *program
	d       *dialect
	ident   map[string]string // parameter → identifier
	dimName map[int]string    // base dimension → identifier
	local   map[*node]string
	helpers []string
	seen    map[string]bool
	nm      *names
	err     error
}

func printPython(p *program, d *dialect) (string, error) {
	pp := newPyPrinter(p, d, map[string]bool{})
	fn := pp.function()
	// The self-test's functions of the parts of the value that vary with
	// one variable, with the same parameters.
	parts, err := p.partFunctions(pp.ident, partName, func(sub *program) (string, error) {
		spp := newPyPrinter(sub, d, pp.seen)
		f := spp.function()
		pp.helpers = append(pp.helpers, spp.helpers...)
		return f, spp.err
	})
	if pp.err != nil {
		return "", pp.err
	}
	if err != nil {
		return "", err
	}

	var out strings.Builder
	for _, l := range p.headerLines() {
		out.WriteString(strings.TrimRight("# "+l, " ") + "\n")
	}
	out.WriteString("\n" + d.module + "\n\n")
	for _, h := range pp.helpers {
		out.WriteString("\n" + h + "\n")
	}
	out.WriteString(fn)
	if p.opts.Check {
		out.WriteString(pp.selfTest(parts))
	}
	return out.String(), nil
}

// partName is the name of the self-test's function of the part of the
// value that varies with the parameter ident.
func partName(ident string) string { return "_varying_" + ident }

// newPyPrinter makes a printer of p whose helpers are those not in seen
// (shared by the printers of one file).
func newPyPrinter(p *program, d *dialect, seen map[string]bool) *pyPrinter {
	pp := &pyPrinter{p: p, d: d, ident: map[string]string{}, dimName: map[int]string{}, local: map[*node]string{}, seen: seen}
	pp.nm = &names{taken: map[string]bool{p.opts.Name: true}, reserved: func(s string) bool { return pythonReserved()[s] }}
	for _, v := range p.params {
		id := v.name
		if !isIdent(id) {
			id = "v"
		}
		pp.ident[v.name] = pp.nm.get(id)
	}
	for _, r := range p.dims {
		pp.dimName[r.id] = pp.nm.get(ast.BaseName(r.id))
	}
	return pp
}

// function prints the program's function: its parameters' checks, the
// values it shares, the value and the derivatives.
func (pp *pyPrinter) function() string {
	p, d, nm := pp.p, pp.d, pp.nm
	order, locals := p.schedule()
	var body []string
	add := func(lines ...string) { body = append(body, lines...) }
	// Check the parameters: vectors and matrices first, so that torch
	// takes the dtype and device of the constructors (_kw) from the first
	// tensor before converting scalars.
	kw := d.lang == "torch"
	for pass := 0; pass < 2; pass++ {
		if pass == 1 && kw {
			add(`_kw = {"dtype": torch.float64}`)
			kw = false
		}
		for _, v := range p.params {
			if v.scalar() != (pass == 1) {
				continue
			}
			nd := 2
			switch {
			case v.scalar():
				nd = 0
			case v.vector():
				nd = 1
			}
			add(d.checkArg(pp.ident[v.name], v.name, nd)...)
			if kw {
				x := pp.ident[v.name]
				add(fmt.Sprintf(`_kw = {"dtype": %s.dtype, "device": %s.device}`, x, x))
				kw = false
			}
		}
	}
	for _, r := range p.dims {
		add(fmt.Sprintf("%s = %s", pp.dimName[r.id], pp.size(r.at)))
	}
	for _, c := range p.checks {
		add(fmt.Sprintf("if %s != %s:", pp.size(c.at), pp.dimProduct(c.dim)))
		add(fmt.Sprintf("    raise ValueError(f\"%s: %s\")", c.msg, pp.sizesText(c.at, c.first, c.dim)))
	}
	tn := 0
	for _, n := range order {
		if !locals[n] {
			continue
		}
		name := nm.get(fmt.Sprintf("t%d", tn))
		tn++
		add(fmt.Sprintf("%s = %s", name, pp.expr(n).s))
		pp.local[n] = name
	}
	var rets []string
	val := nm.get("value")
	add(fmt.Sprintf("%s = %s", val, pp.result(&p.value)))
	var gnames []string
	for i := range p.grads {
		g := nm.get("grad_" + pp.ident[p.grads[i].wrt])
		add(fmt.Sprintf("%s = %s", g, pp.result(&p.grads[i])))
		gnames = append(gnames, g)
	}
	rets = append(rets, val)
	switch len(gnames) {
	case 1:
		rets = append(rets, "("+gnames[0]+",)")
	default:
		rets = append(rets, "("+strings.Join(gnames, ", ")+")")
	}
	if p.hessian != nil {
		h := nm.get("hessian_" + pp.ident[p.hessian.wrt])
		add(fmt.Sprintf("%s = %s", h, pp.result(p.hessian)))
		rets = append(rets, h)
	}
	add("return " + strings.Join(rets, ", "))

	var out strings.Builder
	var params []string
	for _, v := range p.params {
		params = append(params, pp.ident[v.name])
	}
	fmt.Fprintf(&out, "\ndef %s(%s):\n", p.opts.Name, strings.Join(params, ", "))
	out.WriteString(pp.docstring())
	for _, l := range body {
		out.WriteString("    " + l + "\n")
	}
	return out.String()
}

func (pp *pyPrinter) docstring() string {
	p := pp.p
	var b strings.Builder
	what := "value"
	if len(p.grads) > 0 {
		what = "value and gradients"
		if p.jac {
			what = "value and Jacobians"
		}
	}
	fmt.Fprintf(&b, "    \"\"\"The %s of %s.\n\n", what, p.value.text)
	var gs []string
	for _, g := range p.grads {
		gs = append(gs, g.label)
	}
	ret := "(value, (" + strings.Join(gs, ", ")
	if len(gs) == 1 {
		ret += ","
	}
	ret += "))"
	if p.hessian != nil {
		ret = strings.TrimSuffix(ret, ")") + ", " + p.hessian.label + ")"
	}
	fmt.Fprintf(&b, "    Returns %s.\n    \"\"\"\n", ret)
	return b.String()
}

// size prints the size of a parameter's side.
func (pp *pyPrinter) size(s side) string {
	v := pp.p.params[s.param]
	axis := 0
	if s.cols {
		axis = 1
	}
	return pp.d.sizeOf(pp.ident[v.name], axis)
}

// dimProduct prints a dimension as the product of the sizes read.
func (pp *pyPrinter) dimProduct(d ast.Dim) string {
	if d.IsOne() {
		return "1"
	}
	var parts []string
	for _, id := range d {
		n, ok := pp.dimName[id]
		if !ok {
			pp.fail("codegen: the size %s is not read from any variable", ast.BaseName(id))
			n = "0"
		}
		parts = append(parts, n)
	}
	return strings.Join(parts, " * ")
}

// sizesText is the part of a message that gives the sizes of the
// parameters involved: "A is {A.shape[0]}×{A.shape[1]}, x has {…} entries".
func (pp *pyPrinter) sizesText(at, first side, d ast.Dim) string {
	var parts []string
	seen := map[int]bool{}
	addParam := func(i int) {
		if seen[i] {
			return
		}
		seen[i] = true
		v := pp.p.params[i]
		x := pp.ident[v.name]
		if v.vector() {
			parts = append(parts, fmt.Sprintf("%s has {%s} entries", v.name, pp.d.sizeOf(x, 0)))
		} else {
			parts = append(parts, fmt.Sprintf("%s is {%s}×{%s}", v.name, pp.d.sizeOf(x, 0), pp.d.sizeOf(x, 1)))
		}
	}
	addParam(first.param)
	for _, id := range d {
		for _, r := range pp.p.dims {
			if r.id == id {
				addParam(r.at.param)
			}
		}
	}
	addParam(at.param)
	return strings.Join(parts, ", ")
}

func (pp *pyPrinter) fail(format string, args ...any) {
	if pp.err == nil {
		pp.err = fmt.Errorf(format, args...)
	}
}

// result prints an output, sized like its variable.
func (pp *pyPrinter) result(o *output) string {
	c := pp.expr(o.node)
	n := o.node
	want := dataShape(o.shape)
	switch {
	case o.shape.IsScalar() && !n.scalar():
		pp.fail("codegen: internal error: a scalar result of shape %v", n.shape)
	case !o.shape.IsScalar() && n.scalar():
		// A constant (or scalar) gradient of a vector or matrix: broadcast.
		if want.Cols.IsOne() {
			return pp.d.ones(pp.dimProduct(want.Rows)) + " * " + c.at(precMul)
		}
		return fmt.Sprintf("%s * %s", pp.d.ones(pp.dimProduct(want.Rows)+", "+pp.dimProduct(want.Cols)), c.at(precMul))
	}
	return c.s
}

// pyNumber prints a rational constant.
func pyNumber(v *big.Rat) code {
	s, ok := decimal(v)
	if !ok {
		return code{fmt.Sprintf("%s / %s", v.Num(), v.Denom()), precMul}
	}
	if v.Sign() < 0 {
		return code{s, precUnary}
	}
	return code{s, precAtom}
}

// decimal writes v as a terminating decimal, if it is one of at most 15
// significant digits: with an exponent where it would begin with more
// than three zeros after the point (2e-8, not 0.00000002).
func decimal(v *big.Rat) (string, bool) {
	if v.IsInt() {
		return v.Num().String(), true
	}
	for prec := 1; prec <= 40; prec++ {
		s := v.FloatString(prec)
		r, ok := new(big.Rat).SetString(s)
		if !ok || r.Cmp(v) != 0 {
			continue
		}
		sign, digits := "", s
		if strings.HasPrefix(s, "-") {
			sign, digits = "-", s[1:]
		}
		frac := strings.TrimPrefix(digits, "0.")
		if len(frac) == len(digits) || !strings.HasPrefix(frac, "0000") {
			return s, len(strings.Trim(strings.Replace(digits, ".", "", 1), "0")) <= 15
		}
		sig := strings.TrimLeft(frac, "0")
		exp := len(sig) - len(frac) - 1
		mant := sig[:1]
		if len(sig) > 1 {
			mant += "." + sig[1:]
		}
		return sign + mant + "e" + strconv.Itoa(exp), len(sig) <= 15
	}
	return "", false
}

// expr prints a node, or the local that holds it.
func (pp *pyPrinter) expr(n *node) code {
	if name, ok := pp.local[n]; ok {
		return code{name, precAtom}
	}
	d := pp.d
	a := func(i int) code { return pp.expr(n.args[i]) }
	ns, la := d.ns, d.linalg
	switch n.op {
	case opVar:
		return code{pp.ident[n.name], precAtom}
	case opNum:
		return pyNumber(n.num)
	case opPi:
		return code{d.pi, precAtom}
	case opDim:
		return code{pp.dimProduct(n.dim), precMul}
	case opOnes:
		return code{d.ones(pp.dimProduct(n.dim)), precAtom}
	case opEye:
		return code{d.eye(pp.dimProduct(n.dim)), precAtom}
	case opZeros:
		if n.vector() {
			return code{d.zeros(pp.dimProduct(n.shape.Rows), ""), precAtom}
		}
		return code{d.zeros(pp.dimProduct(n.shape.Rows), pp.dimProduct(n.shape.Cols)), precAtom}
	case opAdd:
		return code{a(0).at(precAdd) + " + " + a(1).at(precAdd+1), precAdd}
	case opSub:
		return code{a(0).at(precAdd) + " - " + a(1).at(precAdd+1), precAdd}
	case opNeg:
		return code{"-" + a(0).at(precUnary), precUnary}
	case opMul:
		return code{a(0).at(precMul) + " * " + a(1).at(precMul+1), precMul}
	case opDiv:
		return code{a(0).at(precMul) + " / " + a(1).at(precMul+1), precMul}
	case opPow:
		k := pyNumber(n.num)
		return code{a(0).at(precPow+1) + " ** " + k.at(precAtom), precPow}
	case opMatPow:
		return atom("%s.matrix_power(%s, %s)", la, a(0).s, n.num.RatString())
	case opMatMul, opVecMat, opDot:
		return code{a(0).at(precMul) + " @ " + a(1).at(precMul+1), precMul}
	case opOuter:
		return atom("%s.outer(%s, %s)", ns, a(0).s, a(1).s)
	case opT:
		return atom("%s.T", a(0).at(precAtom))
	case opSum:
		return atom("%s.sum()", a(0).at(precAtom))
	case opRowSum:
		return atom("%s.sum(%s=1)", a(0).at(precAtom), d.axis)
	case opColSum:
		return atom("%s.sum(%s=0)", a(0).at(precAtom), d.axis)
	case opDiagMat:
		return atom("%s.diag(%s)", ns, a(0).s)
	case opDiagVec:
		if d.lang == "torch" {
			return atom("torch.diagonal(%s)", a(0).s)
		}
		return atom("np.diagonal(%s).copy()", a(0).s)
	case opRowScale:
		return code{a(0).at(precAtom) + "[:, None] * " + a(1).at(precMul+1), precMul}
	case opColScale:
		return code{a(0).at(precMul) + " * " + a(1).at(precMul+1), precMul}
	case opVec:
		return atom("%s", d.vec(a(0).at(precAtom)))
	case opKronVec:
		// (A ⊗ B) v = vec(B V A^T), V = unvec(v) of size cols(B)×cols(A).
		A, B, v := n.args[0], n.args[1], n.args[2]
		V := d.unvec(pp.expr(v).at(precAtom), pp.dimProduct(B.shape.Cols), pp.dimProduct(A.shape.Cols))
		inner := fmt.Sprintf("%s @ %s @ %s", pp.expr(B).at(precMul), V, pp.expr(pp.p.b.transpose(A)).at(precMul+1))
		return atom("%s", d.vec("("+inner+")"))
	case opKron:
		x, y := a(0).at(precAtom), a(1).at(precAtom)
		if n.matrix() {
			// A vector operand of a matrix result is a column or a row.
			if n.name[0] == 'c' {
				x += "[:, None]"
			} else if n.name[0] == 'r' {
				x += "[None, :]"
			}
			if n.name[1] == 'c' {
				y += "[:, None]"
			} else if n.name[1] == 'r' {
				y += "[None, :]"
			}
		}
		return atom("%s.kron(%s, %s)", ns, x, y)
	case opInv:
		return atom("%s.inv(%s)", la, a(0).s)
	case opSolve:
		return atom("%s.solve(%s, %s)", la, a(0).s, a(1).s)
	case opDet:
		return pp.call("det", n.args[0], "")
	case opLogDet:
		return pp.call("logdet", n.args[0], "")
	case opTrace:
		return pp.call("tr", n.args[0], "")
	case opSumProd:
		return atom("(%s * %s).sum()", a(0).at(precMul), a(1).at(precMul+1))
	case opNorm:
		return atom("%s.norm(%s)", la, a(0).s)
	case opSqNorm:
		x := a(0).at(precAtom)
		if n.args[0].vector() {
			return code{x + " @ " + x, precMul}
		}
		return atom("(%s * %s).sum()", x, x)
	case opNorm1:
		if d.lang == "torch" {
			return atom("%s.abs().sum()", a(0).at(precAtom))
		}
		return atom("np.abs(%s).sum()", a(0).s)
	case opCall:
		return pp.call(n.name, n.args[0], "")
	case opMultiDot:
		var xs []string
		for i := range n.args {
			xs = append(xs, a(i).s)
		}
		return atom("%s.multi_dot([%s])", la, strings.Join(xs, ", "))
	}
	pp.fail("codegen: no Python for %v", n.op)
	return code{"None", precAtom}
}

// call spells a registry function applied to x.
func (pp *pyPrinter) call(fn string, x *node, _ string) code {
	s, ok := spell(pp.d.lang, fn)
	if !ok {
		pp.fail("codegen: the function %s has no %s spelling", fn, pp.d.lang)
		return code{"None", precAtom}
	}
	if s.helper != "" && !pp.seen[s.helper] {
		pp.seen[s.helper] = true
		pp.helpers = append(pp.helpers, strings.TrimRight(s.helper, "\n")+"\n")
	}
	arg := pp.expr(x).s
	if !strings.HasSuffix(s.open, "(") {
		arg = pp.expr(x).at(precAtom)
	}
	return code{s.open + arg + s.close, precAtom}
}
