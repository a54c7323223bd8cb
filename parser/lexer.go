package parser

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/matdiff/matdiff/ast"
)

// Limits on the input, checked before any recursive parsing.
const (
	MaxInput = 512 * 1024 // bytes
	MaxDepth = 20000      // nesting of (, [, norm bars, calls and chained unary or postfix operators
)

// lexDef is the participle lexer of the input language. It is written by
// hand rather than with lexer.MustSimple: the regexp engine clears state
// proportional to the remaining input at every token, which makes long
// inputs quadratic.
//
// Its tokens are the ones the parser reads, through participle's
// PeekingLexer: Value is the token as written (a substring of the input),
// Pos.Column its 1-based column in code points on one line, Pos.Offset its
// byte offset, and the type of a punctuation token names its canonical
// spelling (punctType), so that ᵀ, ^T, .T and .' all read as '.
var lexDef lexer.Definition = definition{}

type tokKind int

const (
	tEOF tokKind = iota
	tNumber
	tWord
	tSub
	tSuper
	tOther
	tPunct // the first of the punctuation types, one per canonical spelling
)

var symbols = map[string]lexer.TokenType{
	"EOF":    lexer.EOF,
	"Number": lexer.TokenType(tNumber),
	"Word":   lexer.TokenType(tWord),
	"Sub":    lexer.TokenType(tSub),
	"Super":  lexer.TokenType(tSuper),
	"Punct":  lexer.TokenType(tPunct),
	"Other":  lexer.TokenType(tOther),
}

type definition struct{}

func (definition) Symbols() map[string]lexer.TokenType { return symbols }

func (d definition) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return d.LexString(filename, string(b))
}

func (definition) LexString(_, s string) (lexer.Lexer, error) {
	return &scanner{src: s, col: 1}, nil
}

// scanner produces the tokens of src, eliding white space. Multi-character
// punctuation is matched before single characters; any other character is
// a token of its own (Other), so that the parser, not the lexer, reports it.
// It bounds the nesting depth as it goes (depthScan): a token past the
// limit is an error of the lexer, before any parsing.
type scanner struct {
	src   string
	off   int
	col   int // column of off, in code points from the start
	depth depthScan
}

// multi lists the punctuation of several characters, longest first.
// NumPy's .T and MATLAB's .' are transposes, ** is NumPy's elementwise
// power and @ its matrix product.
var multi = []string{"^-T", "^−T", "||", "**", ".*", "./", ".^", ".T", ".'", ".’", "^T", "⁻ᵀ"}

const single = "-−+*/^'’()[],∘⊙⊗ᵀ⊤‖|@"

// multiFrom lists the punctuation of several characters by first byte,
// longest first, with its type.
var multiFrom = multiTable()

// multiPunct is punctuation of several characters and its type.
type multiPunct struct {
	text string
	typ  lexer.TokenType
}

func multiTable() (out [256][]multiPunct) {
	var count [256]int
	for _, m := range multi {
		count[m[0]]++
	}
	room := make([]multiPunct, len(multi)) // one array for all the lists
	for _, m := range multi {
		c := m[0]
		if out[c] == nil {
			out[c], room = room[:0:count[c]], room[count[c]:]
		}
		out[c] = append(out[c], multiPunct{m, punctTypes[m]})
	}
	return out
}

// punctType is the type of the punctuation s as written.
func punctType(s string) lexer.TokenType {
	if len(s) == 1 {
		return asciiPunct[s[0]]
	}
	for _, m := range multiFrom[s[0]] {
		if m.text == s {
			return m.typ
		}
	}
	return punctTypes[s] // one character beyond ASCII
}

// asciiPunct is the type of the punctuation of one ASCII character, 0 for
// other characters; asciiSpace reports the ASCII white space.
var asciiPunct, asciiSpace = asciiTables()

func asciiTables() (punct [utf8.RuneSelf]lexer.TokenType, space [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		if strings.ContainsRune(single, rune(c)) {
			punct[c] = punctTypes[string(rune(c))]
		}
		space[c] = isSpace(rune(c))
	}
	return punct, space
}

// punctTexts are the canonical spellings of punctuation, indexed by type
// from tPunct; punctTypes gives the type of each spelling as written.
var punctTexts, punctTypes = punctTables()

func punctTables() ([]string, map[string]lexer.TokenType) {
	spellings := make([]string, 0, len(multi)+utf8.RuneCountInString(single))
	spellings = append(spellings, multi...)
	for i, r := range single {
		spellings = append(spellings, single[i:i+utf8.RuneLen(r)])
	}
	texts := make([]string, 0, len(spellings))
	types := make(map[string]lexer.TokenType, len(spellings))
	for _, s := range spellings {
		c, ok := canonical[s]
		if !ok {
			c = s
		}
		k := slices.Index(texts, c)
		if k < 0 {
			k = len(texts)
			texts = append(texts, c)
		}
		types[s] = lexer.TokenType(int(tPunct) + k)
	}
	return texts, types
}

// clone returns a scanner at s's position that reads on independently.
func (s *scanner) clone() *scanner {
	c := *s
	c.depth.open = slices.Clone(s.depth.open)
	return &c
}

// count reads the tokens left, the EOF token included, and returns how
// many there are, or the error that reading them gives.
func (s *scanner) count() (int, error) {
	n := 0
	for {
		t, err := s.Next()
		if err != nil {
			return 0, err
		}
		n++
		if t.EOF() {
			return n, nil
		}
	}
}

func (s *scanner) Next() (lexer.Token, error) {
	var t lexer.Token
	if err := s.scan(&t); err != nil {
		return lexer.Token{}, err
	}
	return t, nil
}

// scan reads the next token into t.
func (s *scanner) scan(t *lexer.Token) error {
	for s.off < len(s.src) {
		if c := s.src[s.off]; c < utf8.RuneSelf {
			if !asciiSpace[c] {
				break
			}
			s.off++
			s.col++
			continue
		}
		r, n := utf8.DecodeRuneInString(s.src[s.off:])
		if !isSpace(r) {
			break
		}
		s.off += n
		s.col++
	}
	if s.off == len(s.src) {
		setToken(t, lexer.EOF, "", s.off, s.col)
		return nil
	}
	rest := s.src[s.off:]
	kind, n := scan(rest)
	typ := lexer.TokenType(kind)
	if kind == tPunct {
		typ = punctType(rest[:n])
	}
	setToken(t, typ, rest[:n], s.off, s.col)
	if err := s.depth.add(token{t}); err != nil {
		return err
	}
	s.off += n
	if n == 1 || kind == tNumber {
		s.col += n
	} else {
		s.col += utf8.RuneCountInString(rest[:n])
	}
	return nil
}

// setToken makes t the token of type typ written value at byte offset
// off and column col. It sets the fields one by one: t is a slot of a
// stream, whose Filename is always empty, and a whole-struct store would
// pass every field through the collector's write barrier.
func setToken(t *lexer.Token, typ lexer.TokenType, value string, off, col int) {
	t.Type = typ
	t.Value = value
	t.Pos.Offset, t.Pos.Line, t.Pos.Column = off, 1, col
}

// scan returns the kind and byte length of the token that begins rest.
func scan(rest string) (tokKind, int) {
	if c := rest[0]; c < utf8.RuneSelf {
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			i := nameChars(rest, 1)
			if i+1 < len(rest) && rest[i] == '_' {
				if j := nameChars(rest, i+1); j > i+1 {
					i = j
				}
			}
			return tWord, i
		case asciiPunct[c] != 0:
			for _, m := range multiFrom[c] {
				if strings.HasPrefix(rest, m.text) {
					return tPunct, len(m.text)
				}
			}
			return tPunct, 1
		}
	}
	r, n := utf8.DecodeRuneInString(rest)
	switch {
	case isDigit(r):
		i := digits(rest, 0)
		if i+1 < len(rest) && rest[i] == '.' && isDigit(rune(rest[i+1])) {
			i = digits(rest, i+1)
		}
		if i < len(rest) && (rest[i] == 'e' || rest[i] == 'E') {
			j := i + 1
			if j < len(rest) && (rest[j] == '+' || rest[j] == '-') {
				j++
			}
			if j < len(rest) && isDigit(rune(rest[j])) {
				i = digits(rest, j)
			}
		}
		return tNumber, i
	case isLetter(r):
		i := nameChars(rest, n)
		if i+1 < len(rest) && rest[i] == '_' {
			if j := nameChars(rest, i+1); j > i+1 {
				i = j
			}
		}
		return tWord, i
	case r == '_':
		return tSub, nameChars(rest, 1)
	case r == '⁻' || isSuper(r):
		i := n
		for i < len(rest) {
			r, m := utf8.DecodeRuneInString(rest[i:])
			if !isSuper(r) {
				break
			}
			i += m
		}
		if i > n || r != '⁻' {
			return tSuper, i
		}
	}
	for _, m := range multiFrom[rest[0]] {
		if strings.HasPrefix(rest, m.text) {
			return tPunct, len(m.text)
		}
	}
	if strings.ContainsRune(single, r) && r != utf8.RuneError {
		return tPunct, n
	}
	return tOther, n
}

func digits(s string, i int) int {
	for i < len(s) && isDigit(rune(s[i])) {
		i++
	}
	return i
}

// nameChars skips letters and digits from i.
func nameChars(s string, i int) int {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				i++
				continue
			}
			break
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isLetter(r) && !isDigit(r) {
			break
		}
		i += n
	}
	return i
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// isLetter reports letters of names: Latin, Greek and other scripts, but
// not the modifier letters (ᵀ is a postfix operator).
func isLetter(r rune) bool { return unicode.IsLetter(r) && !unicode.Is(unicode.Lm, r) }

func isSuper(r rune) bool { _, ok := superDigits[r]; return ok }

func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\u200B' || r == '\uFEFF' }

// token is a token of lexDef as the parser reads it, in place in
// participle's PeekingLexer.
type token struct{ *lexer.Token }

func (t token) kind() tokKind {
	switch {
	case t.Type == lexer.EOF:
		return tEOF
	case t.Type >= lexer.TokenType(tPunct):
		return tPunct
	}
	return tokKind(t.Type)
}

// text is the canonical spelling: ᵀ, ^T, .T and .' read as ', − as -,
// ∘ and ⊙ as .*, ** as .^, @ as *.
func (t token) text() string {
	if t.Type >= lexer.TokenType(tPunct) {
		return punctTexts[t.Type-lexer.TokenType(tPunct)]
	}
	return t.Value
}

// raw is the token as written.
func (t token) raw() string { return t.Value }

// pos is the token's 1-based column in code points.
func (t token) pos() ast.Pos { return ast.Pos(t.Pos.Column) }

// off is the token's byte offset in the source.
func (t token) off() int { return t.Pos.Offset }

// is reports whether t is punctuation of one of the types.
func (t token) is(types ...lexer.TokenType) bool {
	for _, ty := range types {
		if t.Type == ty {
			return true
		}
	}
	return false
}

// The types of the punctuation the parser tells apart, by canonical
// spelling.
var (
	pMinus    = punctTypes["-"]
	pPlus     = punctTypes["+"]
	pStar     = punctTypes["*"]
	pLParen   = punctTypes["("]
	pRParen   = punctTypes[")"]
	pLBracket = punctTypes["["]
	pRBracket = punctTypes["]"]
	pComma    = punctTypes[","]
	pBars     = punctTypes["||"]
	pNormBar  = punctTypes["‖"]
	pBar      = punctTypes["|"]
	pQuote    = punctTypes["'"]
	pInvT     = punctTypes["^-T"]
	pCaret    = punctTypes["^"]
	pElemPow  = punctTypes[".^"]
)

// quoted shows the token in a message.
func (t token) quoted() string {
	if t.kind() == tEOF {
		return "end of input"
	}
	if r, n := utf8.DecodeRuneInString(t.raw()); n == len(t.raw()) && (r == utf8.RuneError || !unicode.IsPrint(r)) {
		if r == utf8.RuneError && n == 1 {
			return fmt.Sprintf("byte 0x%02x (not UTF-8)", t.raw()[0])
		}
		return fmt.Sprintf("character %U", r)
	}
	return "'" + t.raw() + "'"
}

// canonical maps Unicode, NumPy and MATLAB spellings of punctuation to the
// ASCII ones the parser works with.
var canonical = map[string]string{
	"−":   "-",
	"^−T": "^-T",
	"’":   "'",
	"ᵀ":   "'",
	"⊤":   "'",
	"^T":  "'",
	"⁻ᵀ":  "^-T",
	"⊙":   ".*",
	"∘":   ".*",
	".T":  "'",
	".'":  "'",
	".’":  "'",
	"**":  ".^",
	"@":   "*",
}

// depthScan bounds the depth of the tree the parser will build: open
// brackets, norm bars and calls, plus the longest run of prefix minus or
// postfix operators at that level.
type depthScan struct {
	open    []string // "(", "[", "||", "‖"
	run     int
	operand bool // the previous token ends an operand
}

func (d *depthScan) add(t token) error {
	switch {
	case t.kind() == tNumber || t.kind() == tWord:
		d.run, d.operand = 0, true
		return nil
	case t.kind() == tSub:
		d.operand = true
		return nil
	case t.kind() == tSuper || t.is(pQuote, pInvT):
		d.operand = true
		return d.deeper(t, 1)
	case t.is(pLParen, pLBracket):
		d.open = append(d.open, t.text())
		d.run, d.operand = 0, false
		return d.deeper(t, 0)
	case t.is(pRParen, pRBracket):
		if len(d.open) > 0 {
			d.open = d.open[:len(d.open)-1]
		}
		d.operand = true
		return nil
	case t.is(pBars, pNormBar):
		if d.operand && len(d.open) > 0 && d.open[len(d.open)-1] == t.text() {
			d.open = d.open[:len(d.open)-1]
			return nil
		}
		d.open = append(d.open, t.text())
		d.run, d.operand = 0, false
		return d.deeper(t, 0)
	case t.is(pMinus) && !d.operand, t.is(pCaret, pElemPow):
		d.operand = false
		return d.deeper(t, 1)
	}
	d.run, d.operand = 0, false
	return nil
}

func (d *depthScan) deeper(t token, n int) error {
	d.run += n
	if len(d.open)+d.run > MaxDepth {
		return ast.Errorf(t.pos(), "limit", "nesting deeper than %d", MaxDepth)
	}
	return nil
}

// isLower reports whether s has only lowercase letters and digits.
func isLower(s string) bool {
	return strings.ToLower(s) == s && !strings.Contains(s, "_")
}
