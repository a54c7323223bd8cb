package codegen

import (
	"fmt"
	"hash/fnv"
	"math/big"
	"regexp"
	"strings"
	"sync"

	"github.com/matdiff/matdiff/ast"
)

// cppReserved are the words a C++ name must not be, made on first use
// (start-up pays only for what a command uses).
var cppReserved = sync.OnceValue(func() map[string]bool {
	return wordSet(`alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t
		char16_t char32_t class compl concept const consteval constexpr constinit const_cast continue co_await
		co_return co_yield decltype default delete do double dynamic_cast else enum explicit export extern false
		float for friend goto if inline int long mutable namespace new noexcept not not_eq nullptr operator or
		or_eq private protected public register reinterpret_cast requires return short signed sizeof static
		static_assert static_cast struct switch template this thread_local throw true try typedef typeid
		typename union unsigned using virtual void volatile wchar_t while xor xor_eq Eigen std main
		matdiff_detail EIGEN_PI`)
})

// eigenHelpers are the functions the generated code may call, each
// emitted only when used and guarded, so that several generated headers
// can be included together.
var eigenHelpers = map[string]string{
	"multi_dot": `// The product of a chain of matrices, in the order that costs the fewest
// multiplications for their actual sizes.
inline Eigen::MatrixXd multi_dot(const std::vector<Eigen::MatrixXd>& ms) {
  const std::size_t n = ms.size();
  std::vector<std::vector<double>> cost(n, std::vector<double>(n, 0.0));
  std::vector<std::vector<std::size_t>> split(n, std::vector<std::size_t>(n, 0));
  for (std::size_t span = 1; span < n; ++span) {
    for (std::size_t i = 0; i + span < n; ++i) {
      const std::size_t j = i + span;
      cost[i][j] = -1;
      for (std::size_t k = i; k < j; ++k) {
        const double c = cost[i][k] + cost[k + 1][j] +
            double(ms[i].rows()) * double(ms[k].cols()) * double(ms[j].cols());
        if (cost[i][j] < 0 || c < cost[i][j]) { cost[i][j] = c; split[i][j] = k; }
      }
    }
  }
  struct Rec {
    const std::vector<Eigen::MatrixXd>& ms;
    const std::vector<std::vector<std::size_t>>& split;
    Eigen::MatrixXd operator()(std::size_t i, std::size_t j) const {
      if (i == j) return ms[i];
      const std::size_t k = split[i][j];
      return (*this)(i, k) * (*this)(k + 1, j);
    }
  };
  return Rec{ms, split}(0, n - 1);
}
`,
	"matrix_power": `// The integer power k >= 1 of a square matrix, by repeated squaring.
inline Eigen::MatrixXd matrix_power(const Eigen::MatrixXd& a, long k) {
  Eigen::MatrixXd result = Eigen::MatrixXd::Identity(a.rows(), a.cols());
  Eigen::MatrixXd base = a;
  while (k > 0) {
    if (k & 1) result = result * base;
    k >>= 1;
    if (k > 0) base = base * base;
  }
  return result;
}
`,
	"kron_vec": `// (A ⊗ B) v without forming A ⊗ B: vec(B V A^T) with vec(V) = v.
inline Eigen::VectorXd kron_vec(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, const Eigen::VectorXd& v) {
  const Eigen::MatrixXd V = v.reshaped(b.cols(), a.cols());
  const Eigen::MatrixXd r = b * V * a.transpose();
  return r.reshaped();
}
`,
	"kron": `// The Kronecker product A ⊗ B, formed.
inline Eigen::MatrixXd kron(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  Eigen::MatrixXd out(a.rows() * b.rows(), a.cols() * b.cols());
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < a.cols(); ++j)
      out.block(i * b.rows(), j * b.cols(), b.rows(), b.cols()) = a(i, j) * b;
  return out;
}
`,
	"size_text": `inline std::string size_text(const Eigen::MatrixXd& a) {
  return std::to_string(a.rows()) + "×" + std::to_string(a.cols());
}
`,
}

// eigenHelperOrder is the order helpers are printed in.
var eigenHelperOrder = []string{"size_text", "multi_dot", "matrix_power", "kron_vec", "kron"}

// eigenPrinter prints a program as a C++17 header.
type eigenPrinter struct {
	p       *program
	ident   map[string]string
	dimName map[int]string
	local   map[*node]string
	helpers []string
	seen    map[string]bool
	used    map[string]bool // matdiff_detail helpers
	nm      *names
	err     error
}

// use marks a matdiff_detail helper as used and returns its name.
func (ep *eigenPrinter) use(name string) string {
	ep.used[name] = true
	return "matdiff_detail::" + name
}

func cppType(s ast.Shape) string {
	switch {
	case s.IsScalar():
		return "double"
	case s.Rows.IsOne() || s.Cols.IsOne():
		return "Eigen::VectorXd"
	}
	return "Eigen::MatrixXd"
}

func printEigen(p *program) (string, error) {
	ep := newEigenPrinter(p, map[string]bool{}, map[string]bool{})
	fn := ep.function()
	// The self-test's functions of the parts of the value that vary with
	// one variable, with the same parameters.
	parts, err := p.partFunctions(ep.ident, eigenPartName, func(sub *program) (string, error) {
		sep := newEigenPrinter(sub, ep.seen, ep.used)
		f := sep.function()
		ep.helpers = append(ep.helpers, sep.helpers...)
		return f, sep.err
	})
	if ep.err != nil {
		return "", ep.err
	}
	if err != nil {
		return "", err
	}

	var out strings.Builder
	for _, l := range p.headerLines() {
		out.WriteString(strings.TrimRight("// "+l, " ") + "\n")
	}
	// An include guard named after the function rather than #pragma once,
	// which g++ warns about in a file compiled as the main one (the
	// self-test's -x c++ f.h).
	guard := "MATDIFF_" + strings.ToUpper(p.opts.Name) + "_H"
	fmt.Fprintf(&out, "\n#ifndef %s\n#define %s\n", guard, guard)
	out.WriteString("\n#include <Eigen/Dense>\n\n#include <cmath>\n#include <stdexcept>\n#include <string>\n#include <vector>\n\n")
	for _, h := range eigenHelperOrder {
		if ep.used[h] {
			guard := "MATDIFF_DETAIL_" + strings.ToUpper(h)
			fmt.Fprintf(&out, "#ifndef %s\n#define %s\nnamespace matdiff_detail {\n%s}  // namespace matdiff_detail\n#endif\n\n", guard, guard, eigenHelpers[h])
		}
	}
	for _, h := range ep.helpers {
		out.WriteString("\n" + h)
	}
	out.WriteString(fn)
	if p.opts.Check {
		out.WriteString(ep.selfTest(parts))
	}
	fmt.Fprintf(&out, "\n#endif  // %s\n", guard)
	text := out.String()
	for strings.Contains(text, "\n\n\n") {
		text = strings.ReplaceAll(text, "\n\n\n", "\n\n")
	}
	return text, nil
}

// eigenPartName is the name of the self-test's function of the part of
// the value that varies with the parameter ident.
func eigenPartName(ident string) string { return "matdiff_varying_" + ident }

// newEigenPrinter makes a printer of p whose helpers are those not in
// seen and used (shared by the printers of one file).
func newEigenPrinter(p *program, seen, used map[string]bool) *eigenPrinter {
	ep := &eigenPrinter{p: p, ident: map[string]string{}, dimName: map[int]string{}, local: map[*node]string{}, seen: seen, used: used}
	ep.nm = &names{taken: map[string]bool{p.opts.Name: true, p.opts.Name + "_result": true}, reserved: func(s string) bool { return cppReserved()[s] }}
	for _, v := range p.params {
		id := v.name
		if !isIdent(id) {
			id = "v"
		}
		ep.ident[v.name] = ep.nm.get(id)
	}
	for _, r := range p.dims {
		ep.dimName[r.id] = ep.nm.get(ast.BaseName(r.id))
	}
	return ep
}

// function prints the program's result struct and function: the sizes'
// checks, the values it shares, the value and the derivatives.
func (ep *eigenPrinter) function() string {
	p, nm := ep.p, ep.nm
	order, locals := p.schedule()
	var body []string
	add := func(lines ...string) { body = append(body, lines...) }
	for _, r := range p.dims {
		add(fmt.Sprintf("const Eigen::Index %s = %s;", ep.dimName[r.id], ep.size(r.at)))
	}
	for _, c := range p.checks {
		add(fmt.Sprintf("if (%s != %s)", ep.size(c.at), ep.dimProduct(c.dim)))
		add(fmt.Sprintf("  throw std::invalid_argument(%s);", ep.message(c)))
	}
	tn := 0
	for _, n := range order {
		if !locals[n] {
			continue
		}
		name := nm.get(fmt.Sprintf("t%d", tn))
		tn++
		add(fmt.Sprintf("const %s %s = %s;", cppType(n.shape), name, ep.expr(n).s))
		ep.local[n] = name
	}
	res := nm.get("result")
	structName := p.opts.Name + "_result"
	add(fmt.Sprintf("%s %s;", structName, res))
	var members []string
	members = append(members, fmt.Sprintf("  %s value;  // %s", cppType(p.value.shape), p.value.text))
	add(fmt.Sprintf("%s.value = %s;", res, ep.result(&p.value)))
	for i := range p.grads {
		g := &p.grads[i]
		m := "grad_" + ep.ident[g.wrt]
		members = append(members, fmt.Sprintf("  %s %s;  // %s = %s", cppType(g.shape), m, g.label, g.text))
		add(fmt.Sprintf("%s.%s = %s;", res, m, ep.result(g)))
	}
	if h := p.hessian; h != nil {
		m := "hessian_" + ep.ident[h.wrt]
		members = append(members, fmt.Sprintf("  %s %s;  // %s = %s", cppType(h.shape), m, h.label, h.text))
		add(fmt.Sprintf("%s.%s = %s;", res, m, ep.result(h)))
	}
	add("return " + res + ";")

	var out strings.Builder
	fmt.Fprintf(&out, "\nstruct %s {\n%s\n};\n\n", structName, strings.Join(members, "\n"))
	var params []string
	for _, v := range p.params {
		t := cppType(v.shape)
		if t == "double" {
			params = append(params, "double "+ep.ident[v.name])
		} else {
			params = append(params, "const "+t+"& "+ep.ident[v.name])
		}
	}
	fmt.Fprintf(&out, "inline %s %s(%s) {\n", structName, p.opts.Name, strings.Join(params, ", "))
	for _, l := range body {
		out.WriteString("  " + l + "\n")
	}
	out.WriteString("}\n")
	return out.String()
}

func (ep *eigenPrinter) fail(format string, args ...any) {
	if ep.err == nil {
		ep.err = fmt.Errorf(format, args...)
	}
}

func (ep *eigenPrinter) size(s side) string {
	v := ep.p.params[s.param]
	x := ep.ident[v.name]
	switch {
	case v.vector():
		return x + ".size()"
	case s.cols:
		return x + ".cols()"
	}
	return x + ".rows()"
}

func (ep *eigenPrinter) dimProduct(d ast.Dim) string {
	if d.IsOne() {
		return "1"
	}
	var parts []string
	for _, id := range d {
		n, ok := ep.dimName[id]
		if !ok {
			ep.fail("codegen: the size %s is not read from any variable", ast.BaseName(id))
			n = "0"
		}
		parts = append(parts, n)
	}
	return strings.Join(parts, " * ")
}

// message builds the text of a size error: literal text and sizes,
// joined with +.
func (ep *eigenPrinter) message(c sizeCheck) string {
	var lit strings.Builder
	var parts []string
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, cppString(lit.String()))
			lit.Reset()
		}
	}
	lit.WriteString(c.msg + ": ")
	seen := map[int]bool{}
	addParam := func(i int) {
		if seen[i] {
			return
		}
		if len(seen) > 0 {
			lit.WriteString(", ")
		}
		seen[i] = true
		v := ep.p.params[i]
		x := ep.ident[v.name]
		if v.vector() {
			lit.WriteString(v.name + " has ")
			flush()
			parts = append(parts, "std::to_string("+x+".size())")
			lit.WriteString(" entries")
		} else {
			lit.WriteString(v.name + " is ")
			flush()
			parts = append(parts, ep.use("size_text")+"("+x+")")
		}
	}
	addParam(c.first.param)
	for _, id := range c.dim {
		for _, r := range ep.p.dims {
			if r.id == id {
				addParam(r.at.param)
			}
		}
	}
	addParam(c.at.param)
	flush()
	parts[0] = "std::string(" + parts[0] + ")"
	return strings.Join(parts, " + ")
}

// cppString is a C++ string literal.
func cppString(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}

func (ep *eigenPrinter) result(o *output) string {
	c := ep.expr(o.node)
	n := o.node
	switch {
	case o.shape.IsScalar() && !n.scalar():
		ep.fail("codegen: internal error: a scalar result of shape %v", n.shape)
	case !o.shape.IsScalar() && n.scalar():
		want := dataShape(o.shape)
		if want.Cols.IsOne() {
			return fmt.Sprintf("Eigen::VectorXd::Constant(%s, %s)", ep.dimProduct(want.Rows), c.s)
		}
		return fmt.Sprintf("Eigen::MatrixXd::Constant(%s, %s, %s)", ep.dimProduct(want.Rows), ep.dimProduct(want.Cols), c.s)
	}
	return c.s
}

// cppNumber prints a rational constant as a double.
func cppNumber(v *big.Rat) code {
	s, ok := decimal(v)
	if !ok {
		return code{fmt.Sprintf("%s.0 / %s.0", v.Num(), v.Denom()), precMul}
	}
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	if v.Sign() < 0 {
		return code{s, precUnary}
	}
	return code{s, precAtom}
}

func (ep *eigenPrinter) expr(n *node) code {
	if name, ok := ep.local[n]; ok {
		return code{name, precAtom}
	}
	a := func(i int) code { return ep.expr(n.args[i]) }
	arr := func(i int) string { return a(i).at(precAtom) + ".array()" }
	switch n.op {
	case opVar:
		return code{ep.ident[n.name], precAtom}
	case opNum:
		return cppNumber(n.num)
	case opPi:
		return code{"EIGEN_PI", precAtom}
	case opDim:
		return atom("static_cast<double>(%s)", ep.dimProduct(n.dim))
	case opOnes:
		return atom("Eigen::VectorXd::Ones(%s)", ep.dimProduct(n.dim))
	case opEye:
		d := ep.dimProduct(n.dim)
		return atom("Eigen::MatrixXd::Identity(%s, %s)", d, d)
	case opZeros:
		if n.vector() {
			return atom("Eigen::VectorXd::Zero(%s)", ep.dimProduct(n.shape.Rows))
		}
		return atom("Eigen::MatrixXd::Zero(%s, %s)", ep.dimProduct(n.shape.Rows), ep.dimProduct(n.shape.Cols))
	case opAdd, opSub:
		sign := " + "
		if n.op == opSub {
			sign = " - "
		}
		x, y := n.args[0], n.args[1]
		switch {
		case x.scalar() == y.scalar():
			return code{a(0).at(precAdd) + sign + a(1).at(precAdd+1), precAdd}
		case x.scalar():
			return atom("(%s%s%s).matrix()", a(0).at(precAdd), sign, arr(1))
		}
		return atom("(%s%s%s).matrix()", arr(0), sign, a(1).at(precAdd+1))
	case opNeg:
		return code{"-" + a(0).at(precUnary), precUnary}
	case opMul:
		x, y := n.args[0], n.args[1]
		if x.scalar() || y.scalar() {
			return code{a(0).at(precMul) + " * " + a(1).at(precMul+1), precMul}
		}
		return atom("%s.cwiseProduct(%s)", a(0).at(precAtom), a(1).s)
	case opDiv:
		x, y := n.args[0], n.args[1]
		switch {
		case y.scalar():
			return code{a(0).at(precMul) + " / " + a(1).at(precMul+1), precMul}
		case x.scalar():
			return atom("(%s * %s.inverse()).matrix()", a(0).at(precMul), arr(1))
		}
		return atom("%s.cwiseQuotient(%s)", a(0).at(precAtom), a(1).s)
	case opPow:
		k := n.num
		if n.scalar() {
			if k.Cmp(big.NewRat(2, 1)) == 0 && n.args[0].op == opVar {
				x := a(0).s
				return code{x + " * " + x, precMul}
			}
			return atom("std::pow(%s, %s)", a(0).s, cppNumber(k).s)
		}
		switch k.RatString() {
		case "2":
			return atom("%s.square().matrix()", arr(0))
		case "3":
			return atom("%s.cube().matrix()", arr(0))
		case "1/2":
			return atom("%s.sqrt().matrix()", arr(0))
		case "-1":
			return atom("%s.inverse().matrix()", arr(0))
		}
		return atom("%s.pow(%s).matrix()", arr(0), cppNumber(k).s)
	case opMatPow:
		return atom("%s(%s, %s)", ep.use("matrix_power"), a(0).s, n.num.RatString())
	case opMatMul:
		return code{a(0).at(precMul) + " * " + a(1).at(precMul+1), precMul}
	case opVecMat:
		return code{a(1).at(precAtom) + ".transpose() * " + a(0).at(precMul+1), precMul}
	case opDot:
		return atom("%s.dot(%s)", a(0).at(precAtom), a(1).s)
	case opOuter:
		return code{a(0).at(precMul) + " * " + a(1).at(precAtom) + ".transpose()", precMul}
	case opT:
		return atom("%s.transpose()", a(0).at(precAtom))
	case opSum:
		return atom("%s.sum()", a(0).at(precAtom))
	case opRowSum:
		return atom("%s.rowwise().sum()", a(0).at(precAtom))
	case opColSum:
		return atom("%s.colwise().sum().transpose()", a(0).at(precAtom))
	case opDiagMat:
		return atom("Eigen::MatrixXd(%s.asDiagonal())", a(0).at(precAtom))
	case opDiagVec:
		return atom("%s.diagonal()", a(0).at(precAtom))
	case opRowScale:
		return code{a(0).at(precAtom) + ".asDiagonal() * " + a(1).at(precMul+1), precMul}
	case opColScale:
		return code{a(0).at(precMul) + " * " + a(1).at(precAtom) + ".asDiagonal()", precMul}
	case opVec:
		x := n.args[0]
		if x.op == opVar || ep.local[x] != "" {
			return atom("%s.reshaped()", a(0).s)
		}
		return atom("Eigen::MatrixXd(%s).reshaped()", a(0).s)
	case opKronVec:
		return atom("%s(%s, %s, %s)", ep.use("kron_vec"), a(0).s, a(1).s, a(2).s)
	case opKron:
		x, y := a(0).at(precAtom), a(1).at(precAtom)
		if n.name[0] == 'r' {
			x += ".transpose()"
		}
		if n.name[1] == 'r' {
			y += ".transpose()"
		}
		k := fmt.Sprintf("%s(%s, %s)", ep.use("kron"), x, y)
		switch {
		case n.vector() && n.name == "rr":
			return atom("Eigen::VectorXd(%s.transpose())", k)
		case n.vector():
			return atom("Eigen::VectorXd(%s)", k)
		}
		return atom("%s", k)
	case opInv:
		return atom("%s.inverse()", a(0).at(precAtom))
	case opSolve:
		return atom("%s.partialPivLu().solve(%s)", a(0).at(precAtom), a(1).s)
	case opDet:
		return ep.call("det", n.args[0], n)
	case opLogDet:
		return ep.call("logdet", n.args[0], n)
	case opTrace:
		return ep.call("tr", n.args[0], n)
	case opSumProd:
		return atom("%s.cwiseProduct(%s).sum()", a(0).at(precAtom), a(1).s)
	case opNorm:
		return atom("%s.norm()", a(0).at(precAtom))
	case opSqNorm:
		return atom("%s.squaredNorm()", a(0).at(precAtom))
	case opNorm1:
		return atom("%s.lpNorm<1>()", a(0).at(precAtom))
	case opCall:
		return ep.call(n.name, n.args[0], n)
	case opMultiDot:
		var xs []string
		for i := range n.args {
			xs = append(xs, "Eigen::MatrixXd("+a(i).s+")")
		}
		return atom("%s({%s})", ep.use("multi_dot"), strings.Join(xs, ", "))
	}
	ep.fail("codegen: no C++ for %v", n.op)
	return code{"0", precAtom}
}

var cppTopLevel = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?m)^(double|Eigen::MatrixXd|Eigen::VectorXd) `)
})

// call spells a registry function applied to x, the node n.
func (ep *eigenPrinter) call(fn string, x *node, n *node) code {
	lang := "eigen"
	if x.scalar() {
		lang = "eigen-scalar"
	}
	s, ok := spell(lang, fn)
	if !ok {
		ep.fail("codegen: the function %s has no Eigen spelling", fn)
		return code{"0", precAtom}
	}
	if s.helper != "" && !ep.seen[s.helper] {
		ep.seen[s.helper] = true
		hash := fnv.New32a()
		hash.Write([]byte(s.helper))
		guard := fmt.Sprintf("MATDIFF_HELPER_%s_%08x", strings.ToUpper(fn), hash.Sum32())
		h := cppTopLevel().ReplaceAllString(s.helper, "inline $1 ")
		ep.helpers = append(ep.helpers, fmt.Sprintf("#ifndef %s\n#define %s\n%s#endif\n", guard, guard, h))
	}
	arg := ep.expr(x).s
	if !strings.HasSuffix(s.open, "(") {
		arg = ep.expr(x).at(precAtom)
	}
	out := s.open + arg + s.close
	if s.helper != "" && n.vector() {
		// Helpers return Eigen::MatrixXd; a vector is one column of it.
		out = "Eigen::VectorXd(" + out + ")"
	}
	return code{out, precAtom}
}

// selfTest is the C++ self-test, compiled with -DMATDIFF_CHECK_MAIN.
// selfTest prints the self-test; parts are the functions of the parts of
// the value that vary with a variable (printEigen).
func (ep *eigenPrinter) selfTest(parts []string) string {
	p := ep.p
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("\n#ifdef MATDIFF_CHECK_MAIN")
	w("#include <algorithm>\n#include <cstdio>\n#include <random>\n")
	if len(parts) > 0 {
		w("// The parts of the value that vary with a variable, where they are not")
		w("// the value: their differences keep the digits a large constant takes.")
		for _, f := range parts {
			w("%s", strings.TrimRight(f, "\n"))
		}
	}
	w(`namespace matdiff_check {

std::mt19937_64 rng(1);
double uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }
// After ten draws outside the domain (log(X), sqrt(X)) the matrices are
// drawn with positive entries.
bool positive = false;
double signed_entry() { const double m = 0.1 + 0.9 * uniform(); return !positive && uniform() < 0.5 ? -m : m; }
double draw_scalar() { return 0.5 + uniform(); }
Eigen::VectorXd draw_vector(Eigen::Index n) {
  Eigen::VectorXd v(n);
  for (Eigen::Index i = 0; i < n; ++i) v(i) = 0.5 + uniform();
  return v;
}
Eigen::MatrixXd draw_matrix(Eigen::Index r, Eigen::Index c, bool square, bool sym) {
  Eigen::MatrixXd a(r, c);
  for (Eigen::Index i = 0; i < r; ++i)
    for (Eigen::Index j = 0; j < c; ++j) a(i, j) = signed_entry();
  if (sym) a = a.triangularView<Eigen::Upper>().toDenseMatrix() + a.triangularView<Eigen::StrictlyUpper>().transpose().toDenseMatrix();
  if (square || sym) a += double(r + 1) * Eigen::MatrixXd::Identity(r, c);
  return a;
}
Eigen::MatrixXd direction(Eigen::Index r, Eigen::Index c, bool sym) {
  Eigen::MatrixXd e(r, c);
  for (Eigen::Index i = 0; i < r; ++i)
    for (Eigen::Index j = 0; j < c; ++j) e(i, j) = 2 * uniform() - 1;
  if (sym) e = ((e + e.transpose()) / 2).eval();
  return e;
}
Eigen::VectorXd flat(double x) { return Eigen::VectorXd::Constant(1, x); }
Eigen::VectorXd flat(const Eigen::MatrixXd& x) { return x.reshaped(); }
// Richardson-extrapolated central difference of phi at 0, at step h.
template <class F> Eigen::VectorXd fd(F phi, double h) {
  const Eigen::VectorXd d1 = (flat(phi(h)) - flat(phi(-h))) / (2 * h);
  const Eigen::VectorXd d2 = (flat(phi(h / 2)) - flat(phi(-h / 2))) / h;
  return (4 * d2 - d1) / 3;
}
template <class F> Eigen::VectorXd fd2(F phi, double h) {
  const Eigen::VectorXd d1 = (flat(phi(h)) - 2 * flat(phi(0.0)) + flat(phi(-h))) / (h * h);
  const Eigen::VectorXd d2 = (flat(phi(h / 2)) - 2 * flat(phi(0.0)) + flat(phi(-h / 2))) / (h * h / 4);
  return (4 * d2 - d1) / 3;
}
double rel(const Eigen::VectorXd& pred, const Eigen::VectorXd& fd) {
  return (pred - fd).cwiseAbs().maxCoeff() / std::max(1.0, fd.cwiseAbs().maxCoeff());
}
// The error of pred against the differences; where they miss the
// tolerance they are taken again at steps 8, 64, ... times smaller: a
// function that varies fast converges only there, and a wrong derivative
// stays wrong.
template <class F> double err1(const Eigen::VectorXd& pred, F phi) {
  double h = 1e-4, best = rel(pred, fd(phi, h));
  for (int k = 0; k < 3 && best > 1e-6; ++k) best = std::min(best, rel(pred, fd(phi, h /= 8)));
  return best;
}
template <class F> double err2(const Eigen::VectorXd& pred, F phi) {
  double h = 2e-3, best = rel(pred, fd2(phi, h));
  for (int k = 0; k < 3 && best > 1e-6; ++k) best = std::min(best, rel(pred, fd2(phi, h /= 8)));
  return best;
}

}  // namespace matdiff_check
`)
	w("int main() {")
	w("  using namespace matdiff_check;")
	w("  double worst = 0;\n  int draws = 0;")
	w("  for (int tries = 0; draws < 3 && tries < 150; ++tries) {")
	w("    if (draws == 0 && tries == 10) positive = true;")
	w("    std::vector<Eigen::Index> sizes;")
	w("    while (sizes.size() < %d) {", p.typed.Info.NDims)
	w("      std::vector<Eigen::Index> perm = {2, 3, 4, 5};")
	w("      std::shuffle(perm.begin(), perm.end(), rng);")
	w("      sizes.insert(sizes.end(), perm.begin(), perm.end());")
	w("    }")
	size := func(d ast.Dim) string {
		if d.IsOne() {
			return "1"
		}
		var parts []string
		for _, id := range d {
			parts = append(parts, fmt.Sprintf("sizes[%d]", id-1))
		}
		return strings.Join(parts, " * ")
	}
	var args []string
	for _, v := range p.params {
		x := ep.ident[v.name]
		ds := dataShape(v.shape)
		switch {
		case v.scalar():
			w("    double %s = draw_scalar();", x)
		case v.vector():
			w("    Eigen::VectorXd %s = draw_vector(%s);", x, size(ds.Rows))
		default:
			w("    Eigen::MatrixXd %s = draw_matrix(%s, %s, %v, %v);", x, size(ds.Rows), size(ds.Cols), v.shape.IsSquare(), v.kind == ast.KindSymmetric)
		}
		args = append(args, x)
	}
	call := p.opts.Name + "(" + strings.Join(args, ", ") + ")"
	w("    %s_result r;", p.opts.Name)
	w("    try { r = %s; } catch (const std::exception&) { continue; }", call)
	w("    if (!flat(r.value).allFinite()) continue;")
	w("    std::vector<double> errs;")
	// moved calls the function with the variable x moved by h along e.
	moved := func(name string) string {
		var as []string
		for _, v := range p.params {
			x := ep.ident[v.name]
			if v.name == name {
				if v.scalar() {
					as = append(as, x+" + h * e(0, 0)")
				} else if v.vector() {
					as = append(as, "Eigen::VectorXd("+x+" + h * e.col(0))")
				} else {
					as = append(as, "Eigen::MatrixXd("+x+" + h * e)")
				}
				continue
			}
			as = append(as, x)
		}
		fn := p.opts.Name
		if p.parts[name] != nil {
			fn = eigenPartName(ep.ident[name])
		}
		return fn + "(" + strings.Join(as, ", ") + ").value"
	}
	dir := func(v param) string {
		ds := dataShape(v.shape)
		return fmt.Sprintf("direction(%s, %s, %v)", ep.sizeOfVar(v, false), ep.sizeOfVar(v, true), v.kind == ast.KindSymmetric && ds.IsSquare())
	}
	paramOf := func(name string) param {
		for _, v := range p.params {
			if v.name == name {
				return v
			}
		}
		return param{}
	}
	for _, g := range p.grads {
		v := paramOf(g.wrt)
		m := "r.grad_" + ep.ident[g.wrt]
		w("    {")
		w("      const Eigen::MatrixXd e = %s;", dir(v))
		w("      auto phi = [&](double h) { return %s; };", moved(g.wrt))
		var pred string
		switch {
		case !p.jac && v.scalar():
			pred = fmt.Sprintf("flat(%s * e(0, 0))", m)
		case !p.jac:
			pred = fmt.Sprintf("flat(Eigen::MatrixXd(%s).cwiseProduct(e).sum())", m)
		case v.scalar():
			pred = fmt.Sprintf("flat(Eigen::MatrixXd(%s * e(0, 0)))", m)
		default:
			pred = fmt.Sprintf("flat(Eigen::MatrixXd(%s * e.col(0)))", m)
		}
		w("      errs.push_back(err1(%s, phi));", pred)
		w("    }")
	}
	if h := p.hessian; h != nil {
		v := paramOf(h.wrt)
		m := "r.hessian_" + ep.ident[h.wrt]
		w("    {")
		w("      const Eigen::MatrixXd e = %s;", dir(v))
		w("      auto phi = [&](double h) { return %s; };", moved(h.wrt))
		if v.scalar() {
			w("      errs.push_back(err2(flat(%s * e(0, 0) * e(0, 0)), phi));", m)
		} else {
			w("      errs.push_back(err2(flat(e.col(0).dot(%s * e.col(0))), phi));", m)
		}
		w("    }")
	}
	w("    bool finite = true;")
	w("    for (double x : errs) finite = finite && std::isfinite(x);")
	w("    if (!finite) continue;")
	w("    ++draws;")
	w("    for (double x : errs) worst = std::max(worst, x);")
	w("  }")
	w(`  if (draws == 0) {
    std::printf("no random input inside the domain of the expression was found\n");
    return 3;
  }
  const bool ok = worst <= 1e-6;
  std::printf("max relative error %%.1e over %%d draws: %%s\n", worst, draws, ok ? "ok" : "MISMATCH");
  return ok ? 0 : 3;
}
#endif`)
	return b.String()
}

// sizeOfVar is the C++ expression of a parameter's rows or columns in
// the self-test.
func (ep *eigenPrinter) sizeOfVar(v param, cols bool) string {
	x := ep.ident[v.name]
	switch {
	case v.scalar():
		return "1"
	case v.vector() && cols:
		return "1"
	case v.vector():
		return x + ".size()"
	case cols:
		return x + ".cols()"
	}
	return x + ".rows()"
}
