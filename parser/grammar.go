package parser

// The parts of the grammar that participle reads declaratively: short
// productions of fixed form, each parsed from a window of a few tokens at
// the parser's position. The rest of the language is read by precedence
// climbing in parser.go: participle's declarative repetition is far too
// slow on long sums and products, and even handing it every token costs
// more than the whole parse (BENCHMARKS.md, "Parser").

import (
	"sync"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
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

// production parses g from at most n tokens at the parser's position and
// moves past what it read. It reports false, reading nothing, when the
// tokens there are not of g's form.
func production[G any](p *parser, g *participle.Parser[G], n int) (*G, bool) {
	end := min(p.i+n, len(p.toks)-1)
	lx, err := lexer.Upgrade(&window{toks: p.toks[p.i:end], end: p.toks[end]})
	if err != nil {
		return nil, false
	}
	v, err := g.ParseFromLexer(lx, participle.AllowTrailing(true))
	if err != nil {
		return nil, false
	}
	p.i += lx.Cursor()
	return v, true
}

// window is a participle lexer over a few tokens of the input, then the
// end of input at the token that follows them.
type window struct {
	toks []token
	end  token
}

func (w *window) Next() (lexer.Token, error) {
	if len(w.toks) == 0 {
		return lexer.EOFToken(lexer.Position{Offset: w.end.off, Line: 1, Column: int(w.end.pos)}), nil
	}
	t := w.toks[0]
	w.toks = w.toks[1:]
	return lexer.Token{Type: lexer.TokenType(t.kind), Value: t.raw, Pos: lexer.Position{Offset: t.off, Line: 1, Column: int(t.pos)}}, nil
}
