package parser

// The participle grammar of the input language. The top level, Grammar,
// is one expression, which participle hands to the precedence climbing of
// parser.go (participle.ParseTypeWith): participle's declarative repetition
// is far too slow on long sums and products (BENCHMARKS.md, "Parser"). The
// short productions of fixed form are declarative grammars, parsed at the
// climbing's position in the same token stream.

import (
	"sync"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/matdiff/matdiff/ast"
)

// normSub is the subscript after a norm's closing bar: _F, _1, _2 and
// other names, or the nuclear (_*) and max (_∞) norms that matdiff names
// in an error.
type normSub struct {
	Nuclear bool   `parser:"(  \"_\" @\"*\""`
	Max     bool   `parser:" | \"_\" @\"∞\""`
	Name    string `parser:" | @Sub )"`
}

// caretT is the transpose or inverse transpose written with spaces after
// ^: X ^ T, X ^ - T (^T and ^-T without spaces are single tokens).
type caretT struct {
	Inverse bool `parser:"@\"-\"? \"T\""`
}

// Grammar is the input language: one expression. Its expression is read
// by precedence climbing (parser.go), participle's custom production of
// ast.Expr, straight from participle's tokens.
type Grammar struct {
	Expr ast.Expr `parser:"@@"`
}

// grammar is a participle parser of Grammar bound to the parse it runs:
// its expression production reads with cur. A grammar serves one parse at
// a time; grammars holds the idle ones.
type grammar struct {
	g   *participle.Parser[Grammar]
	cur *parser
}

var grammars = sync.Pool{New: func() any {
	g := &grammar{}
	g.g = participle.MustBuild[Grammar](
		participle.Lexer(lexDef),
		participle.ParseTypeWith(func(lx *lexer.PeekingLexer) (ast.Expr, error) { return g.cur.parse(lx) }),
	)
	return g
}}

// The participle parsers of the productions, built on first use (after
// the lexer's symbols exist). They hold no state of a parse.
var (
	normSubGrammar = sync.OnceValue(func() *participle.Parser[normSub] {
		return participle.MustBuild[normSub](participle.Lexer(lexDef))
	})
	caretTGrammar = sync.OnceValue(func() *participle.Parser[caretT] {
		return participle.MustBuild[caretT](participle.Lexer(lexDef))
	})
)

// production parses g at the parser's position and moves past what it
// read. It reports false, reading nothing, when the tokens there are not of
// g's form.
func production[G any](p *parser, g *participle.Parser[G]) (*G, bool) {
	cp := p.lx.MakeCheckpoint()
	v, err := g.ParseFromLexer(p.lx, participle.AllowTrailing(true))
	if err != nil {
		p.lx.LoadCheckpoint(cp)
		return nil, false
	}
	if r := p.lx.Range(cp.RawCursor(), p.lx.RawCursor()); len(r) > 0 {
		p.last = &r[len(r)-1]
	}
	return v, true
}

// A stream is participle's token stream of one input, in a PeekingLexer
// that is reused from input to input: lexer.Upgrade appends every token to
// a slice it cannot size in advance, and that copying and garbage cost
// more than the rest of the parse on long inputs (BENCHMARKS.md, "Parser").
// toks is the PeekingLexer's own token array (its Range from the first
// token to the last); tokenize writes the tokens of an input there, up to
// an EOF token, and the PeekingLexer never reads past an EOF token.
type stream struct {
	lx   *lexer.PeekingLexer
	toks []lexer.Token
	n    int // tokens in use, the EOF token included
}

var streams sync.Pool

// newStream makes a stream of room for n tokens.
func newStream(n int) *stream {
	lx, err := lexer.Upgrade(&filler{n: n - 1})
	if err != nil {
		panic(err) // never: a filler does not fail
	}
	return &stream{lx: lx, toks: lx.Range(0, lexer.RawCursor(n))}
}

// filler is a lexer of n placeholder tokens, then EOF.
type filler struct{ n int }

func (f *filler) Next() (lexer.Token, error) {
	if f.n == 0 {
		return lexer.EOFToken(lexer.Position{}), nil
	}
	f.n--
	return lexer.Token{Type: lexer.TokenType(tOther)}, nil
}

// tokenize reads src's tokens into a stream positioned at the first. Its
// errors are the lexer's: the nesting limit.
func tokenize(src string) (*stream, error) {
	s, _ := streams.Get().(*stream)
	if s == nil {
		s = newStream(max(64, len(src)/4+2))
	}
	sc := &scanner{src: src, col: 1}
	i := 0
	for {
		t, err := sc.Next()
		if err != nil {
			s.n = i
			s.release()
			return nil, err
		}
		if i == len(s.toks) {
			bigger := newStream(2 * len(s.toks))
			copy(bigger.toks, s.toks)
			s.n = i
			s.release()
			s = bigger
		}
		s.toks[i] = t
		i++
		if t.EOF() {
			break
		}
	}
	s.n = i
	s.lx.LoadCheckpoint(lexer.Checkpoint{})
	return s, nil
}

// release clears the stream's tokens (they hold the input) and keeps the
// stream for the next input.
func (s *stream) release() {
	clear(s.toks[:s.n])
	s.n = 0
	streams.Put(s)
}
