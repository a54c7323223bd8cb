package pipeline

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/parser"
	"github.com/matdiff/matdiff/render"
)

// The warnings: input that is valid but most likely not what was meant
// (the README, "Warnings"). They never change a result.

// maxVerify bounds the declarations a run of the warnings tries out by
// inferring the shapes again, so that a long input stays linear.
const maxVerify = 4

// maxDenominator bounds the text between a / and the next factor that
// the / warning reads, so that nested quotients stay linear.
const maxDenominator = 200

// warner collects the warnings of one expression.
type warner struct {
	text   string
	src    []rune   // text's code points; nil until needed (runes)
	raw    ast.Expr // as parsed, before shape inference
	typed  ast.Expr
	info   *ast.Info
	decls  ast.Decls
	count  map[string]int // occurrences of each name in raw; nil until needed (occurrences)
	tried  int
	seen   map[string]bool
	kinds  map[string]int // warnings given of each kind
	result []string
}

// maxPerKind bounds the warnings of one kind, so that an input with
// thousands of traps prints a few, in time linear in its length.
const maxPerKind = 3

// room reports whether another warning of the kind may be given.
func (w *warner) room(kind string) bool { return w.kinds[kind] < maxPerKind }

// short prints e for a message, cut after 60 characters.
func short(e ast.Expr) string {
	s := []rune(render.Text(e))
	if len(s) > 60 {
		return string(s[:57]) + "…"
	}
	return string(s)
}

// warnings lists the warnings of the parsed expression raw, typed by
// shape inference as typed and info under decls; broadcasts are the typed
// nodes that broadcast a scalar (ast.Checker.Broadcast).
func warnings(src string, raw, typed ast.Expr, info *ast.Info, decls ast.Decls, broadcasts []ast.Expr) []string {
	w := &warner{text: src, raw: raw, typed: typed, info: info, decls: decls, seen: map[string]bool{}, kinds: map[string]int{}}
	if strings.Contains(src, "/") { // a division is written with /
		w.division(raw)
	}
	w.broadcasts(broadcasts)
	if strings.Contains(src, "sigma(") || strings.Contains(src, "σ(") {
		w.sigmaCall(raw)
	}
	if mayCall(src, matrixScalars) {
		w.elementwiseUnder(typed, "")
	}
	if w.defaultScalars() {
		w.scaledMatrices(raw)
	}
	if hasElementwiseOp(src) {
		w.elementwisePrecedence(raw)
	}
	return w.result
}

// defaultScalars reports whether a variable is a scalar by default, so
// that scaledMatrices has something to look for.
func (w *warner) defaultScalars() bool {
	for _, v := range w.info.Vars {
		if v.Kind == ast.KindScalar && w.undeclared(v.Name, ast.KindScalar) {
			return true
		}
	}
	return false
}

// scaledMatrices warns at `X theta`: a name that is a scalar by default,
// written right of a matrix or a row (where a vector would make a
// matrix-vector product), scales it, where a model's parameters are
// meant. A declared name, and a scalar written first (theta X, also in
// parentheses: x^T (alpha A) x), are taken as meant; so the products are
// those of the parsed tree, as written.
func (w *warner) scaledMatrices(raw ast.Expr) {
	ast.Inspect(raw, func(e ast.Expr) bool {
		p, ok := e.(*ast.Product)
		if !ok {
			return true
		}
		for i := 1; i < len(p.Factors) && w.room("scaled"); i++ {
			n, ok := p.Factors[i].(*ast.Name)
			if !ok || !w.undeclared(n.Name, ast.KindScalar) {
				continue
			}
			left, err := w.info.Shape(p.Factors[i-1])
			if err != nil || left.Cols.IsOne() || !w.holdsWith(n.Name, ast.KindVector) {
				continue
			}
			var before ast.Expr = p.Factors[0]
			if i > 1 {
				before = &ast.Product{Factors: p.Factors[:i]}
			}
			b := short(before)
			w.add("scaled", "%s is a scalar by default, so %s %s scales %s by %s; declare --vector %s if %s is a vector",
				n.Name, b, n.Name, b, n.Name, n.Name, n.Name)
		}
		return true
	})
}

// matrixScalars are the functions under which elementwiseUnder warns.
var matrixScalars = []string{"tr", "det", "logdet"}

// mayCall reports whether src may call one of funcs: it holds the name or
// an alias of one.
func mayCall(src string, funcs []string) bool {
	for _, name := range funcs {
		if strings.Contains(src, name) {
			return true
		}
		if f, ok := ast.Funcs[name]; ok {
			for _, a := range f.Aliases {
				if strings.Contains(src, a) {
					return true
				}
			}
		}
	}
	return false
}

// occurrences returns how many times name occurs in the parsed expression.
func (w *warner) occurrences(name string) int {
	if w.count == nil {
		w.count = map[string]int{}
		ast.Inspect(w.raw, func(e ast.Expr) bool {
			if n, ok := e.(*ast.Name); ok {
				w.count[n.Name]++
			}
			return true
		})
	}
	return w.count[name]
}

func (w *warner) add(kind, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	w.kinds[kind]++
	if !w.seen[msg] {
		w.seen[msg] = true
		w.result = append(w.result, msg)
	}
}

// division warns at `e/2 sigma^2`: / followed by a juxtaposed product
// without parentheses divides by its first factor only. A coefficient
// (1/2 x, alpha/2 x) and an explicit * are taken as meant.
func (w *warner) division(raw ast.Expr) {
	ast.Inspect(raw, func(e ast.Expr) bool {
		p, ok := e.(*ast.Product)
		if !ok {
			return true
		}
		for i := 0; i+1 < len(p.Factors); i++ {
			d, ok := p.Factors[i].(*ast.Div)
			if !ok || isCoefficient(d.X) || !w.room("division") {
				continue
			}
			next := leftmost(p.Factors[i+1])
			if !d.At.IsValid() || !next.IsValid() || !w.juxtaposedAfter(d.At, next) {
				continue
			}
			rest := p.Factors[i+1:]
			var r ast.Expr = rest[0]
			if len(rest) > 1 {
				r = &ast.Product{Factors: rest}
			}
			den, mul := short(d.Y), short(r)
			w.add("division", "/ divides by %s only and then multiplies by %s; write /(%s %s) to divide by both", den, mul, den, mul)
		}
		return true
	})
}

// hasElementwiseOp reports whether src writes an elementwise product or
// quotient.
func hasElementwiseOp(src string) bool {
	return strings.Contains(src, ".*") || strings.Contains(src, "./") || strings.ContainsAny(src, "∘⊙")
}

// elementwisePrecedence warns at `A .* X B`: an elementwise product or
// quotient followed by a juxtaposed product binds as tightly as the
// product and reads (A .* X) B, where a text that writes A ∘ X B means
// A ∘ (X B). It warns when that reading is well-shaped too and differs
// (a scalar after it does not). A product before the operator (W x .* m)
// reads as written, and an explicit * is taken as meant.
func (w *warner) elementwisePrecedence(raw ast.Expr) {
	ast.Inspect(raw, func(e ast.Expr) bool {
		if !w.room("elementwise") {
			return false
		}
		p, ok := e.(*ast.Product)
		if !ok {
			return true
		}
		for i := range p.Factors {
			op, x, y, at, ok := elementwiseOp(p.Factors[i])
			if !ok {
				continue
			}
			j := juxtaposedRun(w, p, i, at)
			if j == i+1 {
				continue
			}
			if w.tried >= maxVerify {
				return false
			}
			w.tried++
			alt, sub := regroup(raw, p, i, j)
			_, info, err := ast.Checker{Decls: w.decls}.Infer(alt)
			if err != nil || allScalar(info, p.Factors[i+1:j]) {
				continue
			}
			rest := p.Factors[i+1 : j]
			asRead := short(&ast.Product{Factors: append([]ast.Expr{p.Factors[i]}, rest...)})
			w.add("elementwise", "%s binds as tightly as a product: %s %s %s is %s; write %s for the product first",
				op, short(x), op, short(&ast.Product{Factors: append([]ast.Expr{y}, rest...)}), asRead, short(sub))
		}
		return true
	})
}

// elementwiseOp takes apart an elementwise product or quotient.
func elementwiseOp(e ast.Expr) (op string, x, y ast.Expr, at ast.Pos, ok bool) {
	switch h := e.(type) {
	case *ast.Hadamard:
		return ".*", h.X, h.Y, h.At, true
	case *ast.ElemDiv:
		return "./", h.X, h.Y, h.At, true
	}
	return "", nil, nil, 0, false
}

// juxtaposedRun is the end of the run of factors of p after factor i
// that are juxtaposed to it: no explicit * or @ between the operator at
// at and them.
func juxtaposedRun(w *warner, p *ast.Product, i int, at ast.Pos) int {
	j := i + 1
	if src := w.runes(); at.IsValid() && int(at) <= len(src) && src[at-1] == '.' {
		at++ // past the . of .* and ./
	}
	at++
	for from := at; j < len(p.Factors); j++ {
		next := leftmost(p.Factors[j])
		if !from.IsValid() || !next.IsValid() || !w.juxtaposedAfter(from, next) {
			break
		}
		from = next // the text from one factor to the next, once
	}
	return j
}

// regroup is raw with the factors i … j-1 of p, an elementwise operation
// and the factors juxtaposed after it, read with the product first: the
// whole tree, and the regrouped part (A .* (X B)).
func regroup(raw ast.Expr, p *ast.Product, i, j int) (alt, sub ast.Expr) {
	_, x, y, at, _ := elementwiseOp(p.Factors[i])
	right := &ast.Product{Factors: append([]ast.Expr{y}, p.Factors[i+1:j]...)}
	switch p.Factors[i].(type) {
	case *ast.Hadamard:
		sub = &ast.Hadamard{At: at, X: x, Y: right}
	default:
		sub = &ast.ElemDiv{At: at, X: x, Y: right}
	}
	fs := append(append(append([]ast.Expr(nil), p.Factors[:i]...), sub), p.Factors[j:]...)
	var whole ast.Expr = sub
	if len(fs) > 1 {
		whole = &ast.Product{Factors: fs}
	}
	alt = ast.Rewrite(raw, func(e ast.Expr) ast.Expr {
		if e == ast.Expr(p) {
			return whole
		}
		return e
	})
	return alt, sub
}

// allScalar reports whether info knows every one of es as 1×1.
func allScalar(info *ast.Info, es []ast.Expr) bool {
	for _, e := range es {
		s, err := info.Shape(e)
		if err != nil || !s.IsScalar() {
			return false
		}
	}
	return true
}

// suggestGrouping adds to a shape error between the operands of an
// elementwise operation followed by a juxtaposed product (A x .* B x,
// m .* W x) the grouping with the product first, when that makes raw
// well-shaped. It returns nil when none does.
func suggestGrouping(err error, src string, raw ast.Expr, decls ast.Decls) error {
	ae, ok := err.(*ast.Error)
	if !ok || ae.Kind != "shape" || !strings.Contains(ae.Msg, "elementwise operands") || !hasElementwiseOp(src) {
		return nil
	}
	w := &warner{text: src}
	var out error
	ast.Inspect(raw, func(e ast.Expr) bool {
		p, ok := e.(*ast.Product)
		if !ok || out != nil {
			return out == nil
		}
		for i := range p.Factors {
			op, _, y, at, ok := elementwiseOp(p.Factors[i])
			if !ok || leftmost(y) != ae.Pos && at != ae.Pos {
				continue
			}
			j := juxtaposedRun(w, p, i, at)
			if j == i+1 {
				continue
			}
			alt, sub := regroup(raw, p, i, j)
			if _, _, err := (ast.Checker{Decls: decls}).Infer(alt); err != nil {
				continue
			}
			hinted := *ae
			hinted.Msg += fmt.Sprintf("; %s binds as tightly as a product: did you mean %s?", op, short(sub))
			out = &hinted
			return false
		}
		return true
	})
	return out
}

// sigmaCall warns at sigma(u) written against its parenthesis, which is
// the scalar sigma times u, where machine-learning texts write σ(u) for the
// logistic function. A declared sigma is taken as meant.
func (w *warner) sigmaCall(raw ast.Expr) {
	if _, declared := w.decls["sigma"]; declared {
		return
	}
	src := w.runes()
	ast.Inspect(raw, func(e ast.Expr) bool {
		n, ok := e.(*ast.Name)
		if !ok || n.Name != "sigma" || !n.At.IsValid() || !w.room("sigma") {
			return true
		}
		at := int(n.At) - 1
		for _, spelled := range []string{"sigma", "σ"} {
			end := at + len([]rune(spelled))
			if end < len(src) && string(src[at:end]) == spelled && src[end] == '(' {
				w.add("sigma", "%s(…) is the scalar sigma times what follows; write sigmoid(…) for the logistic function", spelled)
			}
		}
		return true
	})
}

// runes returns the code points of the text.
func (w *warner) runes() []rune {
	if w.src == nil {
		w.src = []rune(w.text)
	}
	return w.src
}

// juxtaposedAfter reports whether the text from the / at slash to the
// factor at next closes no parenthesis opened before the / and holds no
// explicit * or @: the factor is juxtaposed to the denominator.
func (w *warner) juxtaposedAfter(slash, next ast.Pos) bool {
	from, to := int(slash)-1, int(next)-1
	src := w.runes()
	if from < 0 || to > len(src) || from >= to || to-from > maxDenominator {
		return false
	}
	depth := 0
	for _, r := range src[from:to] {
		switch r {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
			if depth < 0 {
				return false
			}
		case '*', '@':
			if depth == 0 {
				return false
			}
		}
	}
	return true
}

// isCoefficient reports whether e, the numerator of a division, is a
// number or a lone name (possibly negated): 1/2 x and alpha/2 x mean
// (1/2) x and (alpha/2) x.
func isCoefficient(e ast.Expr) bool {
	for {
		n, ok := e.(*ast.Neg)
		if !ok {
			break
		}
		e = n.X
	}
	switch e.(type) {
	case *ast.Number, *ast.Pi, *ast.Name:
		return true
	}
	return false
}

// leftmost is the first column of e's text: the smallest position along
// its chain of first operands (x in x^T, A in A x, f in f(x)).
func leftmost(e ast.Expr) ast.Pos {
	var min ast.Pos
	for e != nil {
		if p := e.Pos(); p.IsValid() && (!min.IsValid() || p < min) {
			min = p
		}
		if ast.NumChildren(e) == 0 {
			break
		}
		e = ast.Child(e, 0)
	}
	return min
}

// broadcasts warns where a sum or an elementwise operation broadcasts a
// scalar and an undeclared name's default kind is the likely cause:
// `x - mu` (mu is a scalar by default) and `w^T x + b` (b is a vector by
// default). sites are the typed nodes that broadcast a scalar, in the
// order of the tree (ast.Checker.Broadcast).
func (w *warner) broadcasts(sites []ast.Expr) {
	for _, e := range sites {
		if !w.room("broadcast") {
			return
		}
		w.broadcast(e)
	}
}

// broadcast warns at the sum or elementwise operation e if a declaration
// would make its scalar operand a vector or matrix, or the reverse.
func (w *warner) broadcast(e ast.Expr) {
	var ops []ast.Expr
	verb := "broadcast to every entry of"
	switch e := e.(type) {
	case *ast.Sum:
		ops = e.Terms
	case *ast.Hadamard:
		ops = []ast.Expr{e.X, e.Y}
	case *ast.ElemDiv:
		ops = []ast.Expr{e.X, e.Y}
	default:
		return
	}
	var scalars, others []ast.Expr
	for _, op := range ops {
		s, err := w.info.Shape(op)
		if err != nil {
			return
		}
		if s.IsScalar() {
			scalars = append(scalars, op)
		} else {
			others = append(others, op)
		}
	}
	if len(scalars) == 0 || len(others) == 0 {
		return
	}
	other := others[0]
	otherShape, _ := w.info.Shape(other)
	// A scalar name that is most likely a vector or a matrix.
	for _, s := range scalars {
		n, ok := bare(s)
		if !ok || !w.undeclared(n.Name, ast.KindScalar) {
			continue
		}
		kind, flag := ast.KindVector, "--vector"
		if !otherShape.IsVector() {
			kind, flag = ast.KindMatrix, "--matrix"
		}
		if w.holdsWith(n.Name, kind) {
			w.add("broadcast", "%s is a scalar by default and is %s %s; declare %s %s if %s is a %s",
				n.Name, verb, short(other), flag, n.Name, n.Name, kind)
			return
		}
	}
	// A vector or matrix name, written once, that is most likely a
	// scalar, next to a scalar expression (w^T x) that is neither a
	// literal nor a lone name.
	for _, o := range others {
		n, ok := bare(o)
		if !ok || w.occurrences(n.Name) != 1 || !(w.undeclared(n.Name, ast.KindVector) || w.undeclared(n.Name, ast.KindMatrix)) {
			continue
		}
		for _, s := range scalars {
			if _, name := bare(s); name || isConstant(s) {
				continue // a declared scalar, or a literal, is meant
			}
			if w.holdsWith(n.Name, ast.KindScalar) {
				w.add("broadcast", "%s is a %s by default and the scalar %s is %s %s; declare --scalar %s if %s is a scalar",
					n.Name, ast.DefaultKind(n.Name), short(strip(s)), verb, n.Name, n.Name, n.Name)
				return
			}
			break
		}
	}
}

// bare is the name e is, possibly negated or transposed.
func bare(e ast.Expr) (*ast.Name, bool) {
	n, ok := strip(e).(*ast.Name)
	return n, ok
}

// strip removes negations and transposes around e.
func strip(e ast.Expr) ast.Expr {
	for {
		switch x := e.(type) {
		case *ast.Neg:
			e = x.X
		case *ast.Transpose:
			e = x.X
		default:
			return e
		}
	}
}

// isConstant reports whether e has no variable (a literal, π).
func isConstant(e ast.Expr) bool {
	constant := true
	ast.Inspect(e, func(x ast.Expr) bool {
		switch x.(type) {
		case *ast.Name, *ast.Dimension:
			constant = false
		}
		return constant
	})
	return constant
}

// undeclared reports whether name was not declared and has the default
// kind k.
func (w *warner) undeclared(name string, k ast.Kind) bool {
	if _, ok := w.decls[name]; ok {
		return false
	}
	return ast.DefaultKind(name) == k
}

// holdsWith reports whether the expression is still well-shaped when name
// is declared of kind k, so that the suggestion is one the user can take.
func (w *warner) holdsWith(name string, k ast.Kind) bool {
	return holdsWith(w.raw, w.decls, name, k, &w.tried)
}

func holdsWith(raw ast.Expr, decls ast.Decls, name string, k ast.Kind, tried *int) bool {
	if *tried >= maxVerify {
		return false
	}
	*tried++
	d := ast.Decls{name: k}
	for n, kind := range decls {
		d[n] = kind
	}
	_, _, err := ast.Checker{Decls: d}.Infer(raw)
	return err == nil
}

// suggestScalars adds to a shape error that suggests a fix the
// declaration of names that are vectors by default as scalars, when they
// stand where a scalar is meant and declaring them all makes the
// expression well-shaped: the terms of a sum that is squared
// ((w^T x + b - t)^2: b and t) and a name times the identity (s I).
func suggestScalars(ae *ast.Error, raw ast.Expr, decls ast.Decls) error {
	var names []string
	add := func(e ast.Expr) {
		if n, ok := e.(*ast.Name); ok && ast.DefaultKind(n.Name) == ast.KindVector && !slices.Contains(names, n.Name) {
			if _, declared := decls[n.Name]; !declared {
				names = append(names, n.Name)
			}
		}
	}
	ast.Inspect(raw, func(e ast.Expr) bool {
		switch x := e.(type) {
		case *ast.Power:
			// A sum with a term that is a scalar by what it computes
			// (w^T x), not by its name ((x - mu)^2 stays).
			if s, ok := x.X.(*ast.Sum); ok && x.At == ae.Pos && computedScalar(s, decls) {
				for _, t := range s.Terms {
					if neg, ok := t.(*ast.Neg); ok {
						t = neg.X
					}
					add(t)
				}
			}
		case *ast.Product:
			for i := 1; i < len(x.Factors); i++ {
				if id, ok := x.Factors[i].(*ast.Identity); ok && id.At == ae.Pos {
					add(x.Factors[i-1])
				}
			}
		}
		return true
	})
	if len(names) == 0 {
		return ae
	}
	return declareScalars(ae, raw, decls, names)
}

// computedScalar reports whether a term of s that is not a name is a
// scalar.
func computedScalar(s *ast.Sum, decls ast.Decls) bool {
	for _, t := range s.Terms {
		if neg, ok := t.(*ast.Neg); ok {
			t = neg.X
		}
		if _, ok := t.(*ast.Name); ok {
			continue
		}
		if out, info, err := (ast.Checker{Decls: decls}).Infer(t); err == nil {
			if sh, err := info.Shape(out); err == nil && sh.IsScalar() {
				return true
			}
		}
	}
	return false
}

// scalarDividend reports whether, with name declared a scalar, the
// division whose divisor stands at pos divides a scalar.
func scalarDividend(raw ast.Expr, decls ast.Decls, name string, pos ast.Pos) bool {
	d := ast.Decls{name: ast.KindScalar}
	for n, kind := range decls {
		d[n] = kind
	}
	out, info, err := ast.Checker{Decls: d}.Infer(raw)
	if err != nil {
		return false
	}
	scalar := false
	ast.Inspect(out, func(e ast.Expr) bool {
		if div, ok := e.(*ast.Div); ok && div.Y.Pos() == pos {
			s, err := info.Shape(div.X)
			scalar = err == nil && s.IsScalar()
		}
		return !scalar
	})
	return scalar
}

// elementwiseUnder warns at an elementwise exp, log or sqrt of a square
// matrix inside tr, det or logdet: a reader of the Matrix Cookbook means
// the matrix function there.
func (w *warner) elementwiseUnder(e ast.Expr, under string) {
	if c, ok := e.(*ast.Call); ok {
		switch c.Func {
		case "tr", "det", "logdet": // matrixScalars
			under = c.Func
		case "exp", "log", "sqrt":
			if under != "" && len(c.Args) == 1 && w.room("elementwise") {
				if s, err := w.info.Shape(c.Args[0]); err == nil && s.IsMatrix() && s.IsSquare() {
					w.add("elementwise", "%s is elementwise; matdiff has no matrix %s: %s applies %s to every entry", c.Func, matrixFunc[c.Func], short(c), c.Func)
				}
			}
		}
	}
	for i, n := 0, ast.NumChildren(e); i < n; i++ {
		w.elementwiseUnder(ast.Child(e, i), under)
	}
}

// splitWord is a word the parser read as a product of one-letter names,
// and the column it starts at.
type splitWord struct {
	word, names string // bias, "b i a s"
	at          ast.Pos
}

// suggestWord adds to a shape error that lies in a word read as a product
// of one-letter names (bias: b i a s, e p s in x^T x + eps) the
// declaration of the word as one name, when that makes src well-shaped:
// a scalar or a vector for a lowercase word, tried in that order, a
// matrix or a scalar for a capitalised one. It returns nil when no such
// declaration helps.
func suggestWord(err error, src string, words []splitWord, decls ast.Decls) error {
	ae, ok := err.(*ast.Error)
	if !ok || ae.Kind != "shape" {
		return nil
	}
	tried := 0
	for _, w := range words {
		if ae.Pos < w.at || ae.Pos >= w.at+ast.Pos(utf8.RuneCountInString(w.word)) {
			continue
		}
		tries := []declTry{{to: ast.KindScalar, flag: "--scalar"}, {to: ast.KindVector, flag: "--vector"}}
		if r, _ := utf8.DecodeRuneInString(w.word); unicode.IsUpper(r) {
			tries = []declTry{{to: ast.KindMatrix, flag: "--matrix"}, tries[0]}
		}
		for _, try := range tries {
			if tried++; tried > maxVerify {
				return nil
			}
			d := ast.Decls{w.word: try.to}
			for n, kind := range decls {
				d[n] = kind
			}
			cfg := parser.Config{Declared: func(name string) bool { _, ok := d[name]; return ok }}
			e, err := cfg.Parse(src)
			if err != nil {
				continue
			}
			if _, _, err := (ast.Checker{Decls: d}).Infer(e); err != nil {
				continue
			}
			out := *ae
			out.Msg += fmt.Sprintf("; %s is read as the product %s: declare %s %s if %s is one name", w.word, w.names, try.flag, w.word, w.word)
			return &out
		}
	}
	return nil
}

// declTry is a declaration suggestDeclaration tries: names of a default
// kind of from, declared with flag as kind to.
type declTry struct {
	from []ast.Kind
	to   ast.Kind
	flag string
}

var matrixFunc = map[string]string{"exp": "exponential", "log": "logarithm", "sqrt": "square root"}

// suggestDeclaration adds to a shape error, when a declaration would make
// the expression well-shaped, the declaration: a Greek name, a scalar by
// default, taken as a vector (`y - X*beta`), or a Latin one, a vector by
// default, taken as a scalar where it divides (`sum(x)/n`). An error that
// already suggests a fix is left as it is, but for a division, whose
// divisor is most often a count or a scale.
func suggestDeclaration(err error, raw ast.Expr, decls ast.Decls) error {
	ae, ok := err.(*ast.Error)
	if !ok || ae.Kind != "shape" {
		return err
	}
	try := declTry{from: []ast.Kind{ast.KindScalar}, to: ast.KindVector, flag: "--vector"}
	within := raw // where the names to declare are looked for
	switch {
	case strings.Contains(ae.Msg, ast.DivisionByNonScalar):
		// The names of the divisor that stand untransposed (x/y^T is not
		// a division by a count).
		try = declTry{from: []ast.Kind{ast.KindVector, ast.KindMatrix}, to: ast.KindScalar, flag: "--scalar"}
		within = nil
		ast.Inspect(raw, func(e ast.Expr) bool {
			if d, ok := e.(*ast.Div); ok && d.Y.Pos() == ae.Pos {
				within = d.Y
			}
			return within == nil
		})
	case strings.Contains(ae.Msg, "did you mean"):
		return suggestScalars(ae, raw, decls)
	}
	if within == nil {
		return err
	}
	var names []string
	seen := map[string]bool{}
	ast.Inspect(within, func(e ast.Expr) bool {
		if n, ok := e.(*ast.Name); ok && !seen[n.Name] {
			seen[n.Name] = true
			if _, declared := decls[n.Name]; !declared {
				names = append(names, n.Name)
			}
		}
		_, transposed := e.(*ast.Transpose)
		return !transposed || try.to != ast.KindScalar
	})
	tried := 0
	for _, n := range names {
		kind := ast.DefaultKind(n)
		if !slices.Contains(try.from, kind) {
			continue
		}
		if kind == ast.KindMatrix && !scalarDividend(raw, decls, n, ae.Pos) {
			continue // A/B may mean A ./ B; a scalar over N means N is one
		}
		if holdsWith(raw, decls, n, try.to, &tried) {
			out := *ae
			out.Msg += fmt.Sprintf("; %s is a %s by default: declare %s %s if %s is a %s", n, kind, try.flag, n, n, try.to)
			return &out
		}
	}
	if strings.Contains(ae.Msg, ast.DivisionByNonScalar) {
		// Several counts: 1/a + 1/b needs a and b declared.
		var divisors []string
		ast.Inspect(raw, func(e ast.Expr) bool {
			if d, ok := e.(*ast.Div); ok {
				if n, ok := d.Y.(*ast.Name); ok && ast.DefaultKind(n.Name) == ast.KindVector && !slices.Contains(divisors, n.Name) {
					if _, declared := decls[n.Name]; !declared {
						divisors = append(divisors, n.Name)
					}
				}
			}
			return true
		})
		if len(divisors) > 1 {
			return declareScalars(ae, raw, decls, divisors)
		}
	}
	return err
}

// declareScalars adds to ae the declaration of the names, vectors by
// default, as scalars, when that makes raw well-shaped.
func declareScalars(ae *ast.Error, raw ast.Expr, decls ast.Decls, names []string) error {
	d := ast.Decls{}
	for n, kind := range decls {
		d[n] = kind
	}
	for _, n := range names {
		d[n] = ast.KindScalar
	}
	if _, _, err := (ast.Checker{Decls: d}).Infer(raw); err != nil {
		return ae
	}
	return declareScalarsMsg(ae, names)
}

// declareScalarsMsg is ae with the declaration of the names, vectors by
// default, as scalars.
func declareScalarsMsg(ae *ast.Error, names []string) error {
	out := *ae
	if len(names) == 1 {
		out.Msg += fmt.Sprintf("; %s is a vector by default: declare --scalar %s if %s is a scalar", names[0], names[0], names[0])
	} else {
		list := strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
		out.Msg += fmt.Sprintf("; %s are vectors by default: declare --scalar %s if they are scalars", list, strings.Join(names, ","))
	}
	return &out
}

// suggestScalar adds to a derivative error of an expression that is not
// 1×1 (a derivative that is a tensor, a Hessian of a vector) the
// declaration that makes it 1×1: the names that are vectors by default,
// one of them or all together, taken as scalars (n logdet(S): --scalar n),
// or a name that is a matrix by default, other than the variables of req, on
// its own (C sum(relu(u)): --scalar C).
func (t *Typed) suggestScalar(err error, req derive.Request) error {
	ae, ok := err.(*ast.Error)
	if !ok || ae.Kind != "derivative" || t.Info.MustShape(t.Expr).IsScalar() {
		return err
	}
	var names, matrices []string // vectors and matrices by default
	for _, n := range t.Info.Order {
		if _, declared := t.decls[n]; !declared {
			switch ast.DefaultKind(n) {
			case ast.KindVector:
				names = append(names, n)
			case ast.KindMatrix:
				if n != req.Wrt && n != req.Wrt2 {
					matrices = append(matrices, n)
				}
			}
		}
	}
	scalarWith := func(ns ...string) bool {
		d := ast.Decls{}
		for n, kind := range t.decls {
			d[n] = kind
		}
		for _, n := range ns {
			d[n] = ast.KindScalar
		}
		u, err := Parse(t.Source, Options{Decls: d})
		return err == nil && u.Info.MustShape(u.Expr).IsScalar()
	}
	tries := 0
	for i, n := range append(names, matrices...) {
		if tries++; tries > maxVerify {
			break
		}
		if scalarWith(n) {
			kind := ast.KindVector
			if i >= len(names) {
				kind = ast.KindMatrix
			}
			out := *ae
			out.Msg += fmt.Sprintf("; %s is a %s by default: declare --scalar %s if %s is a scalar", n, kind, n, n)
			return &out
		}
	}
	if len(names) > 1 && scalarWith(names...) {
		sorted := slices.Sorted(slices.Values(names))
		return declareScalarsMsg(ae, sorted)
	}
	return err
}
