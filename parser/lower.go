package parser

// Lowering of tokens into ast nodes: numbers, words (names, splitting,
// calls and the builtins that become dedicated nodes) and exponents.

import (
	"math/big"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/matdiff/matdiff/ast"
)

// Limits on numeric literals, so that no literal is expensive to read:
// the digits written plus the size of the e-exponent. Every number within
// them prints (as an integer or a decimal) in at most maxDigits digits, so
// it reads back.
const (
	maxDigits = 10000 // digits of a literal's value
	maxBits   = 4096  // size of a value computed in an exponent
)

// printedDigits is the number of digits of the value digits × 10^exp
// printed as an integer or a decimal, as the printer writes it: 12e3 is
// 12000 (5), 0.1e-3 is 0.0001 (5), 1.25 is 1.25 (3). The printed number
// read back has the same count.
func printedDigits(digits string, exp int) int {
	sig := len(strings.TrimLeft(digits, "0"))
	switch {
	case exp >= 0:
		return sig + exp
	case sig > -exp:
		return sig
	}
	return -exp + 1 // 0.000…
}

// number reads a literal digits[.digits][e[+-]digits] exactly.
func (p *parser) number(t token) ast.Expr {
	v := p.numberValue(t)
	n := p.nodes.numbers.Take()
	*n = ast.Number{At: t.pos(), Value: v, Decimal: strings.ContainsAny(t.text(), ".eE")} // 1e-8 is a decimal too
	return n
}

func (p *parser) numberValue(t token) *big.Rat {
	s := t.text()
	if n, ok := smallInt(s); ok {
		return p.nodes.integer(n)
	}
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		es := strings.TrimLeft(strings.TrimLeft(s[i+1:], "+-"), "0")
		if len(es) > 5 {
			p.fail(t.pos(), "limit", "number %s has more than %d digits", abbrev(t.text()), maxDigits)
		}
		for _, c := range es {
			exp = exp*10 + int(c-'0')
		}
		if strings.Contains(s[i+1:], "-") {
			exp = -exp
		}
		s = s[:i]
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		exp -= len(s) - i - 1
		s = s[:i] + s[i+1:]
	}
	if printedDigits(s, exp) > maxDigits {
		p.fail(t.pos(), "limit", "number %s has more than %d digits", abbrev(t.text()), maxDigits)
	}
	n, _ := new(big.Int).SetString(s, 10)
	v := new(big.Rat).SetInt(n)
	if exp != 0 {
		scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(exp))), nil)
		if exp > 0 {
			v.Mul(v, new(big.Rat).SetInt(scale))
		} else {
			v.Quo(v, new(big.Rat).SetInt(scale))
		}
	}
	return v
}

// smallInt reads s when it is digits alone, at most 18 of them.
func smallInt(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// abbrev shortens a long literal for a message.
func abbrev(s string) string {
	if len(s) > 12 {
		return s[:8] + "…"
	}
	return s
}

var superDigits = map[rune]int64{'⁰': 0, '¹': 1, '²': 2, '³': 3, '⁴': 4, '⁵': 5, '⁶': 6, '⁷': 7, '⁸': 8, '⁹': 9}

// superscript reads a run of superscript digits, with an optional ⁻.
func (p *parser) superscript(t token) *big.Rat {
	if utf8.RuneCountInString(t.text()) > maxDigits {
		p.fail(t.pos(), "limit", "exponent has more than %d digits", maxDigits)
	}
	n := new(big.Int)
	ten := big.NewInt(10)
	neg := false
	for _, r := range t.text() {
		if r == '⁻' {
			neg = true
			continue
		}
		n.Mul(n, ten).Add(n, big.NewInt(superDigits[r]))
	}
	if neg {
		n.Neg(n)
	}
	return new(big.Rat).SetInt(n)
}

// exponent reads the exponent after ^ or .^: a signed number or a
// parenthesised expression of numbers, evaluated exactly.
func (p *parser) exponent(op token, base ast.Expr) *big.Rat {
	t := p.peek()
	neg := false
	if t.is(pMinus, pPlus) {
		p.next()
		neg = t.text() == "-"
		t = p.peek()
	}
	var v *big.Rat
	switch {
	case t.kind() == tNumber:
		p.next()
		v = p.numberValue(t)
	case t.is(pLParen):
		p.next()
		x := p.group(t)
		var msg string
		v, msg = constant(x)
		if v == nil {
			p.fail(t.pos(), "syntax", "%s%s", msg, p.variableExponentHint(op, base, t))
		}
	case t.kind() == tEOF:
		p.fail(op.pos(), "syntax", "expected an exponent after %s", op.quoted())
	default:
		hint := "write ^2, ^(1/2) or ^T"
		switch {
		case op.text() == ".^":
			hint = "write " + op.raw() + "2 or " + op.raw() + "(1/2)"
		case t.raw() == "{":
			hint = "braces group in LaTeX only: write ^-1, ^T or ^(…)"
		case t.raw() == "\\":
			hint = latexHint
		}
		if t.kind() == tWord && !isFunc(t.text()) {
			switch b := base.(type) {
			case *ast.Name:
				if b.Name == "e" {
					hint = "for the exponential write exp(" + t.raw() + ")"
				}
			case *ast.Number:
				if op.text() == "^" && b.Value.Sign() > 0 {
					hint = "for a variable exponent write exp(" + t.raw() + " log(" + b.Value.RatString() + "))"
				}
			}
		}
		what := t.raw()
		if t.kind() == tPunct || t.kind() == tOther {
			what = "'" + what + "'"
		}
		p.fail(t.pos(), "syntax", "exponent %s is not a number; %s", what, hint)
	}
	if neg {
		v.Neg(v)
	}
	return v
}

// variableExponentHint is how to write e^(…) or 2^(…) when the
// parenthesised exponent that opened at t is not a constant.
func (p *parser) variableExponentHint(op token, base ast.Expr, t token) string {
	inner, ok := parenText(p.src[t.off():])
	if !ok || op.text() != "^" {
		return ""
	}
	switch b := base.(type) {
	case *ast.Name:
		if b.Name == "e" {
			return "; for the exponential write exp(" + inner + ")"
		}
	case *ast.Number:
		if b.Value.Sign() > 0 {
			return "; for a variable exponent write exp((" + inner + ") log(" + b.Value.RatString() + "))"
		}
	}
	return ""
}

// nameText returns the name at the start of s: ASCII letters, digits and
// a _subscript after a letter (X, x_1, W2).
func nameText(s string) string {
	i := 0
	for i < len(s) && ('a' <= s[i] && s[i] <= 'z' || 'A' <= s[i] && s[i] <= 'Z' || i > 0 && ('0' <= s[i] && s[i] <= '9' || s[i] == '_')) {
		i++
	}
	return s[:i]
}

// parenText returns the text inside the balanced parentheses that s
// begins with, when it is short enough to repeat in a message.
func parenText(s string) (string, bool) {
	if !strings.HasPrefix(s, "(") {
		return "", false
	}
	depth := 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				inner := strings.TrimSpace(s[1:i])
				return inner, inner != "" && len(inner) <= 60
			}
		}
	}
	return "", false
}

// operandBefore returns the name, with its transposes, that src ends
// with (A, x^T, X'), or "" when src ends otherwise.
func operandBefore(src string) string {
	src = strings.TrimRight(src, " \t")
	i := len(src)
	for i > 0 && (isASCIILetter(src[i-1]) || '0' <= src[i-1] && src[i-1] <= '9' || src[i-1] == '^' || src[i-1] == '\'' || src[i-1] == '_') {
		i--
	}
	if i == len(src) || !isASCIILetter(src[i]) || i > 0 && src[i-1] >= 0x80 {
		return ""
	}
	return src[i:]
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// constant evaluates an exponent in parentheses. On failure it returns nil
// and a message.
func constant(e ast.Expr) (*big.Rat, string) {
	const notConst = "an exponent in parentheses must be made of numbers, as in ^(1/2)"
	var v *big.Rat
	switch e := e.(type) {
	case *ast.Number:
		return new(big.Rat).Set(e.Value), ""
	case *ast.Neg:
		x, msg := constant(e.X)
		if x == nil {
			return nil, msg
		}
		v = x.Neg(x)
	case *ast.Sum:
		v = new(big.Rat)
		for _, t := range e.Terms {
			x, msg := constant(t)
			if x == nil {
				return nil, msg
			}
			v.Add(v, x)
			if tooBig(v) {
				return nil, "exponent is too large"
			}
		}
	case *ast.Product:
		v = big.NewRat(1, 1)
		for _, f := range e.Factors {
			x, msg := constant(f)
			if x == nil {
				return nil, msg
			}
			v.Mul(v, x)
			if tooBig(v) {
				return nil, "exponent is too large"
			}
		}
	case *ast.Div:
		x, msg := constant(e.X)
		if x == nil {
			return nil, msg
		}
		y, msg := constant(e.Y)
		if y == nil {
			return nil, msg
		}
		if y.Sign() == 0 {
			return nil, "exponent divides by zero"
		}
		v = x.Quo(x, y)
	case *ast.Inverse:
		x, msg := constant(e.X)
		if x == nil {
			return nil, msg
		}
		if x.Sign() == 0 {
			return nil, "exponent divides by zero"
		}
		v = x.Inv(x)
	case *ast.Power, *ast.ElemPower:
		// Of numbers, x.^k (NumPy's x**k) is x^k.
		var base ast.Expr
		var exp *big.Rat
		if p, ok := e.(*ast.Power); ok {
			base, exp = p.X, p.Exp
		} else {
			p := e.(*ast.ElemPower)
			base, exp = p.X, p.Exp
		}
		x, msg := constant(base)
		if x == nil {
			return nil, msg
		}
		if !exp.IsInt() {
			return nil, "an exponent must be a rational number; " + exp.RatString() + " is not an integer power"
		}
		k := exp.Num()
		bits := int64(x.Num().BitLen() + x.Denom().BitLen())
		if !k.IsInt64() || (bits > 1 && abs64(k.Int64())*bits > maxBits) || abs64(k.Int64()) > maxBits {
			return nil, "exponent is too large"
		}
		if x.Sign() == 0 && k.Sign() < 0 {
			return nil, "exponent divides by zero"
		}
		n := new(big.Int).Exp(x.Num(), new(big.Int).Abs(k), nil)
		d := new(big.Int).Exp(x.Denom(), new(big.Int).Abs(k), nil)
		v = new(big.Rat).SetFrac(n, d)
		if k.Sign() < 0 {
			v.Inv(v)
		}
	default:
		return nil, notConst
	}
	if tooBig(v) {
		return nil, "exponent is too large"
	}
	return v, ""
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func tooBig(v *big.Rat) bool { return v.Num().BitLen()+v.Denom().BitLen() > maxBits }

// word lowers a word token: a declared name, a call or builtin, pi, I, a
// Greek or one-letter name, or else a run of one-letter names (BAx is
// B A x).
func (p *parser) word(t token) {
	w := t.text()
	if plainName(w) {
		p.push(p.nodes.name(t.pos(), w))
		return
	}
	next := p.peek()
	if p.cfg.Declared != nil && (p.cfg.Declared(w) || p.cfg.Declared(asciiName(w))) {
		p.push(p.nodes.name(t.pos(), asciiName(w)))
		return
	}
	if next.is(pLParen) && isFunc(w) {
		p.next()
		p.push(p.call(t, next))
		return
	}
	p.otherWord(t, w, next)
}

// otherWord is word for the words that are not a declared name or a call
// (a function of its own, so that the frames of nested calls stay small).
func (p *parser) otherWord(t token, w string, next token) {
	if isFunc(w) {
		switch {
		case ast.Builtins[w] == 2:
			// Written between its operands, as a binary operator: A kron B.
			if left := operandBefore(p.src[:t.off()]); left != "" && (next.kind() == tWord || next.kind() == tNumber) {
				p.fail(t.pos(), "syntax", "%s is a function of two arguments; did you mean %s(%s, %s)?", w, w, left, next.raw())
			}
			p.fail(t.pos(), "syntax", "%s is a function of two arguments; write %s(X, Y)", w, w)
		case w == "eye":
			p.push(&ast.Identity{At: t.pos()})
			return
		case next.kind() == tWord || next.kind() == tNumber:
			arg := next.raw()
			// A call as the argument: log det(X) -> log(det(X)), or the
			// function the two words name, logdet(X).
			after := p.src[next.off()+len(arg):]
			inner, ok := parenText(after)
			if !ok && next.kind() == tWord && isFunc(arg) {
				// log det X -> log(det(X)): the function's own argument,
				// a word, unbracketed too.
				inner = nameText(strings.TrimLeft(after, " "))
				ok = inner != ""
			}
			if ok && next.kind() == tWord && isFunc(arg) {
				call := arg + "(" + inner + ")"
				if isFunc(w + arg) {
					p.fail(t.pos(), "syntax", "%s is a function; did you mean %s%s or %s(%s)?", w, w, call, w, call)
				}
				arg = call
			}
			p.fail(t.pos(), "syntax", "%s is a function; did you mean %s(%s)?", w, w, arg)
		}
		p.fail(t.pos(), "syntax", "%s is a function; write %s(…)", w, w)
	}
	switch w {
	case "pi", "π":
		p.push(&ast.Pi{At: t.pos()})
		return
	case "I":
		p.push(&ast.Identity{At: t.pos()})
		return
	}
	if letters, ok := oneName(w); ok && (utf8.RuneCountInString(letters) == 1 || isGreek(letters)) {
		p.push(p.nodes.name(t.pos(), asciiName(w)))
		return
	}
	if hint, ok := wordHints[w]; ok && next.is(pLParen) {
		p.fail(t.pos(), "name", "unknown function %s; %s", w, hint)
	}
	if hint, ok := bareHints[w]; ok {
		if next.is(pLParen) {
			p.fail(t.pos(), "name", "unknown function %s; %s", w, hint)
		}
		p.fail(t.pos(), "name", "%s: %s", w, hint)
	}
	if next.is(pLParen) && !isLower(w) && isFunc(strings.ToLower(w)) {
		p.fail(t.pos(), "name", "unknown function %s; did you mean %s?", w, strings.ToLower(w))
	}
	if next.is(pLParen) && isLower(w) {
		f := suggestFunc(w)
		if f != "" {
			p.fail(t.pos(), "name", "unknown function %s; did you mean %s?", w, f)
		}
		if next.pos() == t.pos()+ast.Pos(utf8.RuneCountInString(w)) && isFuncLike(w) {
			p.fail(t.pos(), "name", "unknown function %s (for a product of one-letter names, write %s %s)", w, spaced(t), p.argsText(next))
		}
	}
	if head := leadingName(w); head != "" {
		rest := w[len(head):]
		if ast.IsFunc(head) && head != "eye" {
			p.fail(t.pos(), "name", "%s: did you mean %s(%s)?", w, head, rest)
		}
		for rest != "" && rest[0] >= '0' && rest[0] <= '9' {
			head, rest = head+rest[:1], rest[1:]
		}
		p.fail(t.pos(), "name", "%s: did you mean %s %s?", w, head, rest)
	}
	names := split(t)
	if p.cfg.Split != nil && len(names) > 1 {
		p.cfg.Split(w, namesText(names), t.pos())
	}
	p.factors = append(p.factors, names...)
}

// isFunc is ast.IsFunc: whether w names a function, an alias or a builtin.
func isFunc(w string) bool {
	return w != "" && funcFirst[w[0]] && funcWords[w]
}

// funcWords are the words ast.IsFunc reports (the canonical names of
// ast.Funcs, their aliases and ast.Builtins); funcFirst their first bytes.
var funcWords, funcFirst = funcTables()

func funcTables() (map[string]bool, [256]bool) {
	n := len(ast.Builtins)
	for _, f := range ast.Funcs {
		n += 1 + len(f.Aliases)
	}
	words := make(map[string]bool, n)
	for name, f := range ast.Funcs {
		words[name] = true
		for _, a := range f.Aliases {
			words[a] = true
		}
	}
	for name := range ast.Builtins {
		words[name] = true
	}
	var first [256]bool
	for w := range words {
		first[w[0]] = true
	}
	return words, first
}

// greekNames maps a Greek letter to its ASCII name (λ → lambda, Σ → Sigma),
// made when a name first begins with a letter beyond ASCII.
var greekNames = sync.OnceValue(greekTable)

func greekTable() map[rune]string {
	m := make(map[rune]string, len(ast.Greek)+len(ast.CapitalGreek))
	for name, letter := range ast.Greek {
		r, _ := utf8.DecodeRuneInString(letter)
		m[r] = name
	}
	for name, letter := range ast.CapitalGreek {
		r, _ := utf8.DecodeRuneInString(letter)
		m[r] = name
	}
	return m
}

// CanonicalName returns the name a variable written as name has in the
// tree: a leading Greek letter becomes its ASCII name (λ_1 is lambda_1).
func CanonicalName(name string) string { return asciiName(name) }

// asciiName writes a name that begins with a Greek letter with the
// letter's ASCII name, so that λ and lambda are one variable (λ_1 is
// lambda_1). The printers turn it back into a letter where they can.
func asciiName(w string) string {
	if w == "" || w[0] < utf8.RuneSelf {
		return w
	}
	r, n := utf8.DecodeRuneInString(w)
	if name, ok := greekNames()[r]; ok && r != 'π' {
		return name + w[n:]
	}
	return w
}

// plainName reports whether w is one ASCII letter, optional digits and an
// optional _subscript, and not I or a function: a name as it is written,
// whether declared or not (x, A12, b_k).
func plainName(w string) bool {
	c := w[0]
	if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') || w == "I" || isFunc(w) {
		return false
	}
	i := 1
	for i < len(w) && w[i] >= '0' && w[i] <= '9' {
		i++
	}
	return i == len(w) || w[i] == '_'
}

// oneName reports whether w is a single name: a letter run, optional
// digits and an optional _subscript. It returns the letter run.
func oneName(w string) (string, bool) {
	i := 0
	for i < len(w) {
		r, n := utf8.DecodeRuneInString(w[i:])
		if !unicode.IsLetter(r) {
			break
		}
		i += n
	}
	letters := w[:i]
	for i < len(w) && w[i] >= '0' && w[i] <= '9' {
		i++
	}
	return letters, i == len(w) || w[i] == '_'
}

func isGreek(s string) bool {
	_, lower := ast.Greek[s]
	_, upper := ast.CapitalGreek[s]
	return lower || upper
}

// leadingName returns the longest Greek or function name that w begins
// with and that leaves letters after it, or "".
func leadingName(w string) string {
	best := ""
	try := func(name string) {
		if len(name) > len(best) && len(w) > len(name) && strings.HasPrefix(w, name) {
			best = name
		}
	}
	for g := range ast.Greek {
		try(g)
	}
	for g := range ast.CapitalGreek {
		try(g)
	}
	for _, f := range ast.FuncNames() {
		try(f)
	}
	return best
}

// isFuncLike reports whether w could be meant as a function name: ASCII,
// with two letters or more. Such a word right before "(" is never split.
func isFuncLike(w string) bool {
	letters := 0
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
			letters++
		case c < '0' || c > '9':
			return false
		}
	}
	return letters >= 2
}

// spaced writes the names a word splits into apart: xy is "x y".
func spaced(t token) string { return namesText(split(t)) }

// namesText writes the names split made apart.
func namesText(split []ast.Expr) string {
	var names []string
	for _, e := range split {
		switch e := e.(type) {
		case *ast.Name:
			names = append(names, e.Name)
		case *ast.Pi:
			names = append(names, "π")
		default:
			names = append(names, "I")
		}
	}
	return strings.Join(names, " ")
}

// argsText returns the source of the parenthesised group that opens at
// open, as written, or "(…)" when it is long or unclosed.
func (p *parser) argsText(open token) string {
	cp := p.lx.MakeCheckpoint()
	defer p.lx.LoadCheckpoint(cp)
	depth := 0
	for range 16 {
		t := token{p.lx.Next()}
		switch {
		case t.is(pLParen, pLBracket):
			depth++
		case t.is(pRParen, pRBracket):
			depth--
			if depth == 0 {
				return p.src[open.off() : t.off()+1]
			}
		}
	}
	return "(…)"
}

// split cuts a word into one-letter names, each keeping the digits that
// follow it; a _subscript belongs to the last.
func split(t token) []ast.Expr {
	var out []ast.Expr
	w := t.text()
	col := t.pos()
	for i := 0; i < len(w); {
		start := i
		_, n := utf8.DecodeRuneInString(w[i:])
		i += n
		for i < len(w) && w[i] >= '0' && w[i] <= '9' {
			i++
		}
		if i < len(w) && w[i] == '_' {
			i = len(w)
		}
		name := w[start:i]
		switch name {
		case "I":
			out = append(out, &ast.Identity{At: col})
		case "π":
			out = append(out, &ast.Pi{At: col})
		default:
			out = append(out, &ast.Name{At: col, Name: asciiName(name)})
		}
		col += ast.Pos(utf8.RuneCountInString(name))
	}
	return out
}

// bareHints say how to write what other tools name by a word that
// matdiff would read as a product of one-letter names (ones: o n e s),
// with or without an argument list.
var bareHints = map[string]string{
	"ones":  "write 1 for the ones vector, whose size its neighbours give (1^T x, A 1)",
	"zeros": "write 0 for a zero vector or matrix, whose size its neighbours give",
}

// wordHints say how to write what other tools name by a function that
// matdiff writes otherwise, or that it has not: a function of a similar
// name would be a false friend (min is not sin, expm is not exp).
var wordHints = map[string]string{
	"frobenius":   "write ||X||_F for the Frobenius norm",
	"transpose":   "write e^T for the transpose of e",
	"mean":        "write sum(x)/rows(x) for the mean of the entries of a vector x",
	"max":         maxHint,
	"maximum":     maxHint,
	"min":         minHint,
	"minimum":     minHint,
	"dot":         innerHint,
	"inner":       innerHint,
	"outer":       "write x y^T for the outer product of x and y",
	"prod":        "matdiff has no product of entries; write exp(sum(log(x))) for that of a vector x of positive entries",
	"pinv":        "matdiff has no pseudo-inverse; write (X^T X)^-1 X^T for that of a matrix X of full column rank",
	"expm":        "matdiff has no matrix exponential (exp is elementwise)",
	"logm":        "matdiff has no matrix logarithm (log is elementwise); write logdet(X) for tr(logm(X))",
	"sqrtm":       "matdiff has no matrix square root (sqrt is elementwise)",
	"cosh":        "write (exp(x) + exp(-x))/2",
	"sinh":        "write (exp(x) - exp(-x))/2",
	"log10":       "write log(x)/log(10)",
	"log2":        "write log(x)/log(2)",
	"log1p":       "write log(1 + x)",
	"expm1":       "write exp(x) - 1",
	"square":      "write x.^2 for the elementwise square",
	"pow":         powHint,
	"power":       powHint,
	"var":         "write ||x - sum(x)/rows(x)||^2/rows(x) for the variance of the entries of a vector x",
	"std":         "write sqrt(||x - sum(x)/rows(x)||^2/rows(x)) for the standard deviation of the entries of a vector x",
	"silu":        swishHint,
	"swish":       swishHint,
	"cross":       "matdiff has no cross product",
	"logit":       "write log(x ./ (1 - x))",
	"logsoftmax":  "write log(softmax(x))",
	"log_softmax": "write log(softmax(x))",
	"softmin":     "write softmax(-x)",
	"rsqrt":       "write 1 ./ sqrt(x)",
	"reciprocal":  "write 1 ./ x",
	"sinc":        "write sin(pi x) ./ (pi x) for the normalised sinc (NumPy's), sin(x) ./ x for the other",
	"sec":         "write 1 ./ cos(x)",
	"csc":         "write 1 ./ sin(x)",
	"cot":         "write cos(x) ./ sin(x)",
	"exp2":        "write exp(log(2) x)",
	"exp10":       "write exp(log(10) x)",
	"asinh":       asinhHint,
	"arcsinh":     asinhHint,
	"acosh":       acoshHint,
	"arccosh":     acoshHint,
	"atanh":       atanhHint,
	"arctanh":     atanhHint,
	"relu6":       "write relu(x) - relu(x - 6)",
	"elu":         "write relu(x) + exp(-relu(-x)) - 1",
	"gelu":        "matdiff has no erf; write x .* sigmoid(1.702 x) for the usual approximation of gelu",
	"erf":         "matdiff has no erf",
	"softsign":    "write x ./ (1 + abs(x))",
	"normalize":   "write x/||x|| for the unit vector along x",
}

const (
	maxHint   = "matdiff has no max (it has no derivative where entries tie); write y + relu(x - y) for the elementwise maximum of x and y; write logsumexp(x) for a smooth maximum of the entries of x"
	minHint   = "matdiff has no min (it has no derivative where entries tie); write x - relu(x - y) for the elementwise minimum of x and y; write -logsumexp(-x) for a smooth minimum of the entries of x"
	innerHint = "write x^T y for the inner product of x and y"
	powHint   = "write x.^3 for the elementwise power (any number for 3)"
	swishHint = "write x .* sigmoid(x)"
	asinhHint = "write log(x + sqrt(x.^2 + 1))"
	acoshHint = "write log(x + sqrt(x.^2 - 1))"
	atanhHint = "write log((1 + x) ./ (1 - x))/2"
)

// suggestFunc returns the function that a lowercase word followed by "("
// most likely means: the one function the word begins (of four letters
// or more), one within edit distance 1 (2 for words of five letters or
// more), or one the word begins with; "" if none.
func suggestFunc(w string) string {
	if f, ok := ast.FuncNamedOther(w); ok {
		return f // logistic -> sigmoid
	}
	names := ast.FuncNames()
	if utf8.RuneCountInString(w) >= 4 {
		// A word that begins one function only is that one cut short
		// (sigm: sigmoid, not sign at distance 1).
		only := ""
		for _, f := range names {
			if strings.HasPrefix(f, w) {
				if only != "" {
					only = ""
					break
				}
				only = f
			}
		}
		if only != "" {
			return only
		}
	}
	limit := 1
	if utf8.RuneCountInString(w) >= 5 {
		limit = 2
	}
	sort.SliceStable(names, func(i, j int) bool {
		return commonPrefix(w, names[i]) > commonPrefix(w, names[j])
	})
	best, bestD := "", limit+1
	for _, f := range names {
		if d := distance(w, f); d < bestD {
			best, bestD = f, d
		}
	}
	if best != "" {
		return best
	}
	if head := leadingName(w); ast.IsFunc(head) {
		return head
	}
	return ""
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// distance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of neighbours.
func distance(a, b string) int {
	x, y := []rune(a), []rune(b)
	if len(x) > 64 {
		return len(x) // far from every function name
	}
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

// call lowers name(args) after the "(": a Call, or one of the builtins
// inv, norm, kron, eye and the dimensions rows and cols.
func (p *parser) call(name, open token) ast.Expr {
	return p.lowerCall(name, p.args(open))
}

// lowerCall is call once the arguments are read.
func (p *parser) lowerCall(name token, args []ast.Expr) ast.Expr {
	f := name.text()
	arity, ok := ast.Builtins[f]
	if fn, isFunc := ast.LookupFunc(f); !ok && isFunc {
		f, arity = fn.Name, fn.Arity // an alias reads as the canonical name
	}
	if len(args) != arity {
		s := "s"
		if arity == 1 {
			s = ""
		}
		hint := ""
		switch {
		case f == "norm" && len(args) == 2:
			hint = "; write ||x||_1, ||x||_2 or ||X||_F for a norm of another order" // NumPy's norm(x, ord)
		case f == "sum" && len(args) == 2:
			hint = "; write 1^T X for the sums of the columns and X 1 for those of the rows" // NumPy's sum(X, axis), MATLAB's sum(X, dim)
		}
		p.fail(name.pos(), "syntax", "%s takes %d argument%s, got %d%s", f, arity, s, len(args), hint)
	}
	at := name.pos()
	switch f {
	case "inv":
		return &ast.Inverse{At: at, X: args[0]}
	case "norm", "norm2":
		return &ast.Norm{At: at, Kind: ast.NormEuclid, X: args[0]}
	case "norm1":
		return &ast.Norm{At: at, Kind: ast.NormOne, X: args[0]}
	case "kron":
		return &ast.Kron{At: at, X: args[0], Y: args[1]}
	case "eye":
		d, ok := args[0].(*ast.Dimension)
		if !ok {
			p.fail(args[0].Pos(), "syntax", "eye takes rows(V) or cols(V); write I for an identity of inferred size")
		}
		return &ast.Identity{At: at, Of: d}
	case "comm":
		m, ok1 := args[0].(*ast.Dimension)
		n, ok2 := args[1].(*ast.Dimension)
		if !ok1 || !ok2 {
			p.fail(at, "syntax", "comm takes two sizes rows(V) or cols(V), as in comm(rows(X), cols(X))")
		}
		return &ast.Comm{At: at, M: m, N: n}
	case "rows", "cols":
		n, ok := args[0].(*ast.Name)
		if !ok {
			p.fail(args[0].Pos(), "syntax", "%s takes a variable name, as in %s(X)", f, f)
		}
		return &ast.Dimension{At: at, Cols: f == "cols", X: n}
	}
	c := p.nodes.calls.Take()
	*c = ast.Call{At: at, Func: f, Args: args}
	return c
}
