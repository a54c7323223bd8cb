package parser

// The participle grammar of the input language. The top level, Grammar,
// is one expression, which participle hands to the precedence climbing of
// parser.go (participle.ParseTypeWith): participle's declarative repetition
// is far too slow on long sums and products (BENCHMARKS.md, "Parser"). The
// short productions of fixed form are declarative grammars, parsed at the
// climbing's position in the same token stream.

import (
	"slices"
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
	// factors is the parser's stack (parser.factors), empty between
	// inputs, kept with the stream so that it does not grow again.
	factors []ast.Expr
}

// idle holds the streams not in use, at most maxIdle of them, each of at
// most maxKept tokens, for the next inputs. Unlike a sync.Pool it is not
// emptied by the garbage collector, which runs many times during a long
// derivative: a new stream of a long input costs more than its parse.
var idle struct {
	sync.Mutex
	streams []*stream
}

const (
	maxIdle = 2       // streams kept
	maxKept = 1 << 18 // tokens of a stream kept (16 MiB)
)

// getStream takes the largest idle stream, or makes one of room for n
// tokens.
func getStream(n int) *stream {
	idle.Lock()
	defer idle.Unlock()
	if k := len(idle.streams); k > 0 {
		s := idle.streams[k-1]
		idle.streams[k-1] = nil
		idle.streams = idle.streams[:k-1]
		return s
	}
	return newStream(n)
}

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
	s := getStream(max(64, len(src)/2+2))
	sc := &scanner{src: src, col: 1}
	i := 0
	for {
		if i == len(s.toks) {
			// The stream is full: count the tokens left, from a copy of
			// the scanner, and move to a stream of room for all.
			rest, err := sc.clone().count()
			if err != nil {
				s.release()
				return nil, err
			}
			bigger := newStream(i + rest + (i+rest)/8 + 16)
			copy(bigger.toks, s.toks[:i])
			s.release()
			s = bigger
		}
		t := &s.toks[i]
		if err := sc.scan(t); err != nil {
			s.release()
			return nil, err
		}
		i++
		if t.EOF() {
			break
		}
	}
	s.lx.LoadCheckpoint(lexer.Checkpoint{})
	return s, nil
}

// release keeps the stream for the next input, unless enough streams are
// kept or it is too large to keep. Its tokens are left as they are (they
// hold substrings of the input, at most MaxInput bytes kept alive until
// the next input overwrites them): clearing them costs a tenth of a parse.
func (s *stream) release() {
	if len(s.toks) > maxKept {
		return
	}
	idle.Lock()
	defer idle.Unlock()
	if len(idle.streams) < maxIdle {
		idle.streams = append(idle.streams, s)
	} else if k := smallest(idle.streams); len(idle.streams[k].toks) < len(s.toks) {
		idle.streams[k] = s
	}
	// Keep the largest last, where getStream takes it.
	slices.SortFunc(idle.streams, func(a, b *stream) int { return len(a.toks) - len(b.toks) })
}

// smallest is the index of the stream of fewest tokens.
func smallest(ss []*stream) int {
	k := 0
	for i, s := range ss {
		if len(s.toks) < len(ss[k].toks) {
			k = i
		}
	}
	return k
}
