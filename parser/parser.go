// Package parser reads matdiff's input language (README, "Input
// language") into an ast.Expr.
//
// The language is a participle grammar (grammar.go) over a hand-written
// participle lexer (lexer.go). Its expression is participle's custom
// production (participle.ParseTypeWith): a precedence climbing, one
// function per level (sum, product, unary, postfix, atom), that reads
// participle's tokens in place, because juxtaposition, letter splitting
// and norm bars that both open and close need more context than a
// declarative grammar gives, and participle's declarative parser is too
// slow on long inputs (BENCHMARKS.md, "Parser"). The short productions of
// fixed form are declarative participle grammars. Recursion happens only
// at brackets, bars and calls, whose depth the lexer bounds before
// parsing starts.
package parser

import (
	"math/big"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/matdiff/matdiff/ast"
)

// Config controls how names are read.
type Config struct {
	// Declared reports names declared on the command line; they are never
	// split into letters. Nil declares nothing.
	Declared func(name string) bool
	// Split, when not nil, is told of every word read as a product of
	// one-letter names, with those names written apart ("bias", "b i a
	// s") and the column the word starts at.
	Split func(word, names string, at ast.Pos)
}

// ParseExpr parses src with the default Config.
func ParseExpr(src string) (ast.Expr, error) {
	return Config{}.Parse(src)
}

// Parse parses src into an expression. Every error is an *ast.Error of kind
// "syntax", "name" or "limit", positioned at the offending token.
func (c Config) Parse(src string) (ast.Expr, error) {
	if len(src) > MaxInput {
		return nil, &ast.Error{Kind: "limit", Msg: "input is longer than 512 KiB"}
	}
	ts, err := tokenize(src)
	if err != nil {
		return nil, err
	}
	defer ts.release()
	lx := ts.lx
	g := grammars.Get().(*grammar)
	defer grammars.Put(g)
	p := &parser{cfg: c, src: src, factors: ts.factors}
	g.cur = p
	out, err := g.g.ParseFromLexer(lx)
	g.cur = nil
	clear(p.factors) // after an error, the factors read so far
	ts.factors = p.factors[:0]
	switch {
	case p.err != nil:
		return nil, p.err
	case err != nil:
		return nil, ast.Errorf(1, "syntax", "%v", err) // never: the expression reads to the end
	}
	return out.Expr, nil
}

// parse reads the whole expression from lx: Grammar's expression.
func (p *parser) parse(lx *lexer.PeekingLexer) (e ast.Expr, err error) {
	p.lx = lx
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bailout)
			if !ok {
				panic(r)
			}
			p.err = b.err
			e, err = nil, b.err
		}
	}()
	if p.peek().kind() == tEOF {
		panic(bailout{&ast.Error{Kind: "syntax", Msg: "empty expression"}})
	}
	e = p.sum()
	if t := p.peek(); t.kind() != tEOF {
		p.unexpected(t)
	}
	return e, nil
}

// bailout carries a parse error up the recursion to parse.
type bailout struct{ err *ast.Error }

type parser struct {
	cfg  Config
	src  string
	lx   *lexer.PeekingLexer
	last *lexer.Token // the token read last
	err  *ast.Error
	// open holds the innermost open brackets and norm bars: "(", "[",
	// "||" or "‖". A bar right after an operand closes the norm on top.
	open []string
	// factors is a stack of the factors and terms read so far of the
	// products and sums being read.
	factors []ast.Expr
	nodes   nodes
}

func (p *parser) peek() token { return token{p.lx.Peek()} }

func (p *parser) next() token {
	t := p.lx.Next()
	if !t.EOF() {
		p.last = t
	}
	return token{t}
}

// prev returns the token before the current one.
func (p *parser) prev() (token, bool) {
	if p.last == nil {
		return token{}, false
	}
	return token{p.last}, true
}

func (p *parser) fail(pos ast.Pos, kind, format string, args ...any) {
	panic(bailout{ast.Errorf(pos, kind, format, args...)})
}

// unexpected reports a token that cannot stand where it is.
func (p *parser) unexpected(t token) {
	switch {
	case t.kind() == tEOF:
		p.fail(t.pos(), "syntax", "unexpected end of input")
	case t.is(pBar):
		p.fail(t.pos(), "syntax", "unexpected '|'; write abs(e) for an absolute value or ||e|| for a norm")
	case t.kind() == tSub && t.raw() == "_":
		p.fail(t.pos(), "syntax", "'_' needs a subscript of letters or digits, as in x_k")
	case t.kind() == tSub && p.afterNumber(t):
		p.fail(t.pos(), "syntax", "a number takes no subscript: 1 is the ones vector, whose size its neighbours give")
	case t.kind() == tSub:
		p.fail(t.pos(), "syntax", "unexpected '%s'; a subscript follows a name without space, as in x_k", t.raw())
	case t.kind() == tOther && t.raw() == "\\" && p.latexCommand(t):
		p.fail(t.pos(), "syntax", "unexpected '\\'; %s", latexHint)
	case t.kind() == tOther && t.raw() == "\\":
		p.fail(t.pos(), "syntax", "unexpected '\\'; MATLAB's left division A\\b is A^-1 b here")
	case t.kind() == tOther && (t.raw() == "·" || t.raw() == "⋅"):
		p.fail(t.pos(), "syntax", "unexpected '%s'; a dot product is x^T y here, a product A x", t.raw())
	case t.kind() == tOther && t.raw() == "×":
		p.fail(t.pos(), "syntax", "unexpected '×'; matdiff has no cross product; a product is written A x")
	case t.kind() == tOther && t.raw() == "{":
		p.fail(t.pos(), "syntax", "unexpected '{'; braces group in LaTeX only: write (…)")
	case t.kind() == tOther && t.raw() == ".":
		p.fail(t.pos(), "syntax", "unexpected '.'; %s", p.dotHint(t))
	case t.kind() == tOther && t.raw() == ";":
		p.fail(t.pos(), "syntax", "unexpected ';'; matdiff reads one expression, and MATLAB's ';' (the end of a statement or of a row) has no place in it")
	case t.kind() == tOther && t.raw() == "=":
		p.fail(t.pos(), "syntax", "unexpected '='; matdiff differentiates an expression, not an equation: give the side to differentiate")
	}
	p.fail(t.pos(), "syntax", "unexpected %s", t.quoted())
}

// afterNumber reports whether t follows a number without space (1_n, 2.).
func (p *parser) afterNumber(t token) bool {
	prev, ok := p.prev()
	return ok && prev.kind() == tNumber && p.adjacent(t)
}

// latexHint is the hint for a LaTeX command.
const latexHint = "LaTeX commands are not read: write a/b for \\frac{a}{b}, alpha for \\alpha, x^T for x^\\top"

// latexCommand reports whether the backslash t begins a LaTeX command
// (\frac, \alpha) rather than MATLAB's left division A\b: nothing that
// could be divided stands before it, or a word follows that is one.
func (p *parser) latexCommand(t token) bool {
	rest := p.src[t.off()+1:]
	w := leadingWord(rest)
	if w == "" {
		return false
	}
	if prev, ok := p.prev(); !ok || operandNext[prev.raw()] {
		return true
	}
	return latexCommands[w] || greekWord(w)
}

// latexCommands are the LaTeX commands of matrix formulas that are not
// Greek letters.
var latexCommands = map[string]bool{
	"frac": true, "top": true, "intercal": true, "mathbf": true, "mathrm": true, "boldsymbol": true,
	"operatorname": true, "cdot": true, "times": true, "otimes": true, "odot": true, "circ": true,
	"sum": true, "sqrt": true, "left": true, "right": true, "log": true, "exp": true, "det": true,
	"tr": true, "lVert": true, "rVert": true, "Vert": true,
}

// operandNext are the tokens after which an operand must come.
var operandNext = map[string]bool{
	"+": true, "-": true, "*": true, "/": true, "(": true, "[": true, ",": true,
	"^": true, ".^": true, ".*": true, "./": true, "@": true, "**": true,
}

// greekWord reports whether w is the ASCII name of a Greek letter.
func greekWord(w string) bool {
	for _, name := range greekNames() {
		if name == w {
			return true
		}
	}
	return false
}

// leadingDigits returns the decimal digits at the start of s.
func leadingDigits(s string) string {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return s[:i]
}

// leadingWord returns the ASCII letters at the start of s.
func leadingWord(s string) string {
	i := 0
	for i < len(s) && ('a' <= s[i] && s[i] <= 'z' || 'A' <= s[i] && s[i] <= 'Z') {
		i++
	}
	return s[:i]
}

// dotHint is the hint for a '.' that begins none of .*, ./, .^ and .T:
// another tool's module prefix (np.exp(x)) or method call (x.sum()).
func (p *parser) dotHint(t token) string {
	const plain = "matdiff has no methods or modules: write a function as f(x) and a product as A x"
	rest := p.src[t.off()+1:]
	switch {
	case rest != "" && '0' <= rest[0] && rest[0] <= '9':
		return "a number begins with a digit: write 0." + leadingDigits(rest)
	case rest != "" && rest[0] == ' ':
		return "a dot product is x^T y here, a product A x"
	}
	prev, ok := p.prev()
	if p.afterNumber(t) {
		return "a decimal point needs a digit after it: write " + prev.raw() + ".0"
	}
	if !ok || prev.kind() != tWord {
		return plain
	}
	// The words joined by dots, np.linalg.norm: the last is the function.
	w := prev.raw()
	rest = p.src[t.off():]
	path := w
	var fn string
	for strings.HasPrefix(rest, ".") {
		fn = leadingWord(rest[1:])
		if fn == "" {
			break
		}
		path += "." + fn
		rest = rest[1+len(fn):]
	}
	switch {
	case fn == "":
		return plain
	case modules[w] && strings.HasPrefix(rest, "("):
		return "functions take no module prefix: write " + fn + "(…) for " + path + "(…)"
	case fn == "t" && path == w+".t":
		return "did you mean " + w + ".T, the transpose?"
	case fn == "dot" && path == w+".dot":
		if arg, ok := parenText(rest); ok {
			if strings.ContainsAny(arg, " +-*/") {
				arg = "(" + arg + ")"
			}
			return "did you mean " + w + "^T " + arg + "?"
		}
	case strings.HasPrefix(rest, "()") && isFunc(fn) && path == w+"."+fn:
		return "did you mean " + fn + "(" + w + ")?"
	}
	return plain
}

// modules are the names under which other tools keep their functions.
var modules = map[string]bool{
	"np": true, "numpy": true, "jnp": true, "jax": true, "torch": true, "F": true, "tf": true,
	"math": true, "scipy": true, "sp": true, "la": true, "linalg": true, "sympy": true, "cp": true,
}

// closing returns the bar that would close the innermost open norm.
func (p *parser) closing() string {
	if len(p.open) == 0 {
		return ""
	}
	return p.open[len(p.open)-1]
}

// startsOperand reports whether t can begin a factor juxtaposed to the one
// before it. A minus never does (A -B is a difference), and a bar that
// closes the open norm does not either.
func (p *parser) startsOperand(t token) bool {
	switch {
	case t.kind() == tNumber || t.kind() == tWord:
		return true
	case t.is(pLParen, pLBracket):
		return true
	case t.is(pBars, pNormBar):
		return t.text() != p.closing()
	}
	return false
}

// sum = term { ("+" | "-") term }.
func (p *parser) sum() ast.Expr {
	start := p.peek().pos()
	first := p.term()
	if !isBinary(p.peek(), ast.PrecSum) {
		return first
	}
	return p.terms(start, first)
}

// terms reads the terms after the first of a sum that starts at start. It
// is a function of its own so that the frames of nested sums stay small.
func (p *parser) terms(start ast.Pos, first ast.Expr) ast.Expr {
	base := len(p.factors)
	p.push(first)
	for isBinary(p.peek(), ast.PrecSum) {
		t := p.next()
		x := p.term()
		if t.text() == "-" {
			x = p.nodes.neg(t.pos(), x)
		}
		p.push(x)
	}
	s := p.nodes.sums.Take()
	*s = ast.Sum{At: start, Terms: p.pop(base)}
	return s
}

// term = { "-" } product. A leading minus negates the whole product:
// -x^T x is -(x^T x).
func (p *parser) term() ast.Expr {
	if !p.peek().is(pMinus) {
		return p.product()
	}
	return p.negatedProduct()
}

// negatedProduct is term after one minus or more.
func (p *parser) negatedProduct() ast.Expr {
	var minus []token
	for p.peek().is(pMinus) {
		minus = append(minus, p.next())
	}
	x := p.product()
	for i := len(minus) - 1; i >= 0; i-- {
		x = p.nodes.neg(minus[i].pos(), x)
	}
	return x
}

// product = operand { ["*"] operand | op operand }, op one of the
// non-associative product operators. Juxtaposition and * build one flat
// Product; the others take the product so far as their left operand.
// The factors so far are on the parser's stack from base.
func (p *parser) product() ast.Expr {
	start := p.peek().pos()
	base := len(p.factors)
	p.operand()
	for {
		t := p.peek()
		switch {
		case t.is(pStar):
			p.next()
			p.operand()
		case isBinary(t, ast.PrecProduct):
			p.next()
			x := p.flat(start, base)
			p.operand()
			p.factors[base] = p.binary(t, x, p.factors[base])
		case p.startsOperand(t):
			p.operand()
		default:
			return p.flat(start, base)
		}
	}
}

// push puts a factor or term on the parser's stack.
func (p *parser) push(x ast.Expr) { p.factors = append(p.factors, x) }

// pop takes the stack's entries from base off it, in a slice of their own.
func (p *parser) pop(base int) []ast.Expr {
	xs := p.nodes.list(p.factors[base:])
	clear(p.factors[base:])
	p.factors = p.factors[:base]
	return xs
}

func (p *parser) binary(op token, x, y ast.Expr) ast.Expr {
	switch op.text() {
	case ".*":
		return &ast.Hadamard{At: op.pos(), X: x, Y: y}
	case "./":
		return &ast.ElemDiv{At: op.pos(), X: x, Y: y}
	case "/":
		return &ast.Div{At: op.pos(), X: x, Y: y}
	case "⊗":
		return &ast.Kron{At: op.pos(), X: x, Y: y}
	}
	p.fail(op.pos(), "syntax", "operator %s is not supported yet", op.quoted())
	return nil
}

// flat takes the run of juxtaposed factors from base off the stack and
// makes one factor of them. The product starts at start.
func (p *parser) flat(start ast.Pos, base int) ast.Expr {
	if len(p.factors) == base+1 {
		x := p.factors[base]
		p.factors[base] = nil
		p.factors = p.factors[:base]
		return x
	}
	x := p.nodes.products.Take()
	*x = ast.Product{At: start, Factors: p.pop(base)}
	return x
}

// operand = { "-" } postfix. It pushes several factors when a word splits
// into letters (BAx); postfix operators bind to the last of them, and a
// minus to the first.
func (p *parser) operand() {
	if p.peek().is(pMinus) {
		p.negatedOperand()
		return
	}
	p.atom()
	last := len(p.factors) - 1
	p.factors[last] = p.postfix(p.factors[last])
}

// negatedOperand is operand after one minus or more.
func (p *parser) negatedOperand() {
	var minus []token
	for p.peek().is(pMinus) {
		minus = append(minus, p.next())
	}
	first := len(p.factors)
	p.atom()
	last := len(p.factors) - 1
	x := p.postfix(p.factors[last])
	p.factors[last] = x
	for i := len(minus) - 1; i >= 0; i-- {
		p.factors[first] = p.nodes.neg(minus[i].pos(), p.factors[first])
	}
}

// postfix = x { "'" | "^-T" | "^" exponent | ".^" exponent | superscript }.
// NumPy's ** is .^, but right-associative in NumPy: x**2**3 is an error.
func (p *parser) postfix(x ast.Expr) ast.Expr {
	for {
		t := p.peek()
		switch {
		case t.is(pQuote):
			p.next()
			x = p.nodes.transpose(t.pos(), x)
		case t.is(pInvT):
			p.next()
			x = &ast.Transpose{At: t.pos(), X: &ast.Inverse{At: t.pos(), X: x}}
		case t.kind() == tSuper:
			p.next()
			x = p.power(t, x, p.superscript(t))
		case t.is(pCaret):
			p.next()
			x = p.caret(t, x)
		case t.kind() == tSub && p.adjacent(t) && plainNormPower(x):
			// ||x||^2_2, as LaTeX writes \|x\|^2_2: the norm's subscript
			// after its power.
			x.(*ast.Power).X.(*ast.Norm).Kind = p.normKind(t)
		case t.is(pElemPow):
			p.next()
			x = &ast.ElemPower{At: t.pos(), X: x, Exp: p.exponent(t, x)}
			if u := p.peek(); t.raw() == "**" && u.raw() == "**" {
				p.fail(u.pos(), "syntax", "** is right-associative in NumPy; write parentheses, as in x**(2**3) or (x**2)**3")
			}
		default:
			return x
		}
	}
}

// plainNormPower reports whether x is a power of a norm read without a
// subscript.
func plainNormPower(x ast.Expr) bool {
	pw, ok := x.(*ast.Power)
	if !ok {
		return false
	}
	n, ok := pw.X.(*ast.Norm)
	return ok && n.Kind == ast.NormEuclid
}

// adjacent reports whether t follows the token read last without space.
func (p *parser) adjacent(t token) bool {
	prev, ok := p.prev()
	return ok && prev.off()+len(prev.raw()) == t.off()
}

// caret reads what follows ^: T, -T (also with spaces; the grammar's
// caretT) or an exponent.
func (p *parser) caret(op token, x ast.Expr) ast.Expr {
	if t := p.peek(); t.is(pMinus) || t.kind() == tWord {
		if c, ok := production(p, caretTGrammar()); ok {
			if c.Inverse {
				return &ast.Transpose{At: op.pos(), X: &ast.Inverse{At: op.pos(), X: x}}
			}
			return &ast.Transpose{At: op.pos(), X: x}
		}
	}
	return p.power(op, x, p.exponent(op, x))
}

// power is x^k; x^-1 is the inverse.
func (p *parser) power(op token, x ast.Expr, k *big.Rat) ast.Expr {
	if isMinusOne(k) {
		return &ast.Inverse{At: op.pos(), X: x}
	}
	n := p.nodes.powers.Take()
	*n = ast.Power{At: op.pos(), X: x, Exp: k}
	return n
}

// isMinusOne reports whether k is -1.
func isMinusOne(k *big.Rat) bool {
	return k.Sign() < 0 && k.IsInt() && k.Num().IsInt64() && k.Num().Int64() == -1
}

// atom = number | word | "(" sum ")" | "[" sum "]" | bar sum bar [sub].
// It pushes what it reads: one factor, or several when a word splits.
func (p *parser) atom() {
	t := p.peek()
	switch {
	case t.kind() == tNumber:
		p.next()
		p.push(p.number(t))
		return
	case t.kind() == tWord:
		p.next()
		p.word(t)
		return
	case t.is(pLParen, pLBracket):
		if t.is(pLBracket) {
			p.noIndex(t)
		}
		p.next()
		x := p.group(t)
		p.push(x)
		return
	case t.is(pBars, pNormBar):
		p.next()
		x := p.norm(t)
		p.push(x)
		return
	}
	p.missingOperand(t)
}

// noIndex reports a bracket written against a name or a closing
// parenthesis, x[1] or softmax(z)[k]: it reads as indexing, which matdiff
// has not, where brackets only group (x [1] is a product).
func (p *parser) noIndex(open token) {
	pt, ok := p.prev()
	if !ok || pt.off()+len(pt.raw()) != open.off() || !(pt.kind() == tWord || pt.kind() == tSub || pt.is(pRParen, pRBracket)) {
		return
	}
	p.fail(open.pos(), "syntax", "matdiff has no indexing, and brackets group as parentheses do; "+
		"for an entry of a vector, multiply by a unit vector (e^T x); for a product, put a space before '['")
}

// missingOperand reports t where an operand should be.
func (p *parser) missingOperand(t token) {
	if t.kind() == tOther && (t.raw() == "\\" || t.raw() == "{" || t.raw() == ".") {
		p.unexpected(t) // with a hint of the other tool it comes from
	}
	if pt, ok := p.prev(); ok {
		switch {
		case pt.is(pLParen, pLBracket) && t.is(pRParen, pRBracket):
			what := "parentheses"
			if pt.text() == "[" {
				what = "brackets"
			}
			p.fail(pt.pos(), "syntax", "empty %s", what)
		case pt.kind() == tPunct && !pt.is(pRParen, pRBracket, pQuote, pInvT, pLParen, pLBracket, pComma, pBars, pNormBar):
			p.fail(pt.pos(), "syntax", "expected an operand after %s", pt.quoted())
		}
	}
	if isBinary(t, ast.PrecSum) || isBinary(t, ast.PrecProduct) {
		p.fail(t.pos(), "syntax", "expected an operand before %s", t.quoted())
	}
	if t.kind() == tEOF {
		if pt, ok := p.prev(); ok {
			p.fail(pt.pos(), "syntax", "expected an operand after %s", pt.quoted())
		}
	}
	p.unexpected(t)
}

// isBinary reports whether t is a binary operator of ast.Operators at the
// precedence level prec: its canonical spelling or the one written is the
// operator's token.
func isBinary(t token, prec int) bool {
	if t.kind() != tPunct {
		return false
	}
	b := binaryPrecs[t.Type-lexer.TokenType(tPunct)]
	if b.bySpelling {
		return operatorPrec(t.text(), prec) || operatorPrec(t.raw(), prec)
	}
	return b.precs&(1<<prec) != 0
}

// binaryPrec is what isBinary knows of a punctuation type: the precedence
// levels (a bit each) of the operators its canonical spelling is, unless
// its spellings differ there.
type binaryPrec struct {
	precs      uint64
	bySpelling bool
}

// binaryPrecs is binaryPrec by punctuation type.
var binaryPrecs = binaryTable()

func binaryTable() []binaryPrec {
	out := make([]binaryPrec, len(punctTexts))
	for k, c := range punctTexts {
		out[k].precs = spellingPrecs(c, c)
	}
	for s, ty := range punctTypes {
		if k := ty - lexer.TokenType(tPunct); spellingPrecs(s, punctTexts[k]) != out[k].precs {
			out[k].bySpelling = true
		}
	}
	return out
}

// spellingPrecs returns the precedence levels (a bit each) of the
// operators whose token is the spelling s or its canonical spelling c.
func spellingPrecs(s, c string) uint64 {
	var m uint64
	for _, o := range ast.Operators {
		if o.Token == s || o.Token == c {
			m |= 1 << o.Prec
		}
	}
	return m
}

// operatorPrec reports whether s is the token of an operator at the
// precedence level prec.
func operatorPrec(s string, prec int) bool {
	for _, o := range ast.Operators {
		if o.Prec == prec && o.Token == s {
			return true
		}
	}
	return false
}

// group reads ( sum ) or [ sum ] after the opener.
func (p *parser) group(open token) ast.Expr {
	closer := ")"
	if open.text() == "[" {
		closer = "]"
	}
	p.open = append(p.open, open.text())
	x := p.sum()
	p.open = p.open[:len(p.open)-1]
	p.expect(open, closer)
	return x
}

// expect consumes the closer of open, or reports what is there instead.
func (p *parser) expect(open token, closer string) {
	t := p.peek()
	if t.kind() == tPunct && t.text() == closer { // closer is a canonical spelling
		p.next()
		return
	}
	if t.kind() == tEOF {
		if closer == "||" || closer == "‖" {
			p.fail(open.pos(), "syntax", "unclosed norm; add %s", closer)
		}
		p.fail(open.pos(), "syntax", "unclosed '%s'; add '%s'", open.raw(), closer)
	}
	p.unexpected(t)
}

// norm reads sum bar [_F | _1 | _2] after the opening bar. The nuclear
// (_*) and max (_inf) norms are named in an error.
func (p *parser) norm(open token) ast.Expr {
	p.open = append(p.open, open.text())
	x := p.sum()
	p.open = p.open[:len(p.open)-1]
	p.expect(open, open.text())
	n := p.nodes.norms.Take()
	*n = ast.Norm{At: open.pos(), Kind: ast.NormEuclid, X: x}
	if t := p.peek(); t.kind() == tSub {
		n.Kind = p.normKind(t)
	}
	return n
}

// normKind reads the subscript of a norm, which begins with t, as the
// grammar's normSub.
func (p *parser) normKind(t token) ast.NormKind {
	sub, ok := production(p, normSubGrammar())
	switch {
	case !ok:
		p.unexpected(t) // never: a subscript is a normSub
	case sub.Nuclear:
		p.fail(t.pos(), "syntax", "_* is the nuclear norm, which is not supported; write _F for the Frobenius norm")
	case sub.Max:
		p.fail(t.pos(), "syntax", "_∞ is the max norm, which is not supported; write _1, _2 or _F")
	}
	switch sub.Name {
	case "_F", "_f":
		return ast.NormFrobenius
	case "_1":
		return ast.NormOne
	case "_2":
		return ast.NormTwo
	case "_inf", "_Inf", "_infty":
		p.fail(t.pos(), "syntax", "%s is the max norm, which is not supported; write _1, _2 or _F", t.raw())
	}
	p.fail(t.pos(), "syntax", "unknown norm subscript %s; write _F, _1 or _2", t.raw())
	return 0
}

// args reads the arguments of a call after its "(".
func (p *parser) args(open token) []ast.Expr {
	p.open = append(p.open, "(")
	if p.peek().is(pRParen) {
		p.next()
		p.open = p.open[:len(p.open)-1]
		return nil
	}
	base := len(p.factors)
	for {
		x := p.sum()
		p.push(x)
		if p.peek().is(pComma) {
			p.next()
			continue
		}
		p.expect(open, ")")
		p.open = p.open[:len(p.open)-1]
		return p.pop(base)
	}
}
