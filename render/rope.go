package render

import "strings"

// rope is printed text with its outermost operator, built by
// concatenation in constant time, so that printing a deep tree stays
// linear in the size of its output. A rope is a leaf (text) or the
// concatenation of its segments; n is its length in bytes.
//
// The printer keeps every rope's text and segments in arenas of its own
// (see store), and a rope refers to them by position: ropes, segments and
// text hold no pointers, so that the garbage collector has nothing to
// scan in them and writing them needs no write barrier.
type rope struct {
	s    span // a leaf's text in the text arena, or the segments in the segment arena
	n    int
	self ref // where the rope itself is
	op   op
	neg  bool // the text begins with a minus sign
	leaf bool // the rope is text alone
}

// span is the part [off, end) of an arena.
type span struct{ off, end int }

// ref is the place of a rope: the i-th of the c-th chunk.
type ref struct{ c, i int32 }

// seg is a segment of a rope: the text s, then the rope r (when has).
type seg struct {
	s   span
	r   ref
	has bool
}

// shortLeaf is the longest leaf whose text a concatenation copies
// instead of pointing to it: short texts (names, numbers, marks) cost a
// small copy where a segment would cost a rope, and a copy of at most
// this much per node keeps printing linear in the output.
const shortLeaf = 32

// store holds the printer's ropes, in chunks that never move (a piece is
// a pointer into one), and the arenas of their text and segments.
type store struct {
	chunks [][]rope
	last   []rope // the last chunk, of which used are taken
	used   int
	text   []byte
	segs   []seg
	// The rope being built (one at a time: start, add, done): its
	// segments so far, its length, and where its pending text begins
	// at the end of the text arena.
	kids    []seg
	n       int
	pending int
}

// take returns a new rope.
func (p *printer) take() *rope {
	s := &p.store
	if s.used == len(s.last) {
		size := min(max(16, 2*len(s.last)), 1024)
		s.last, s.used = make([]rope, size), 0
		s.chunks = append(s.chunks, s.last)
	}
	r := &s.last[s.used]
	r.self = ref{c: int32(len(s.chunks) - 1), i: int32(s.used)}
	s.used++
	return r
}

// room makes room for n more bytes of text, doubling the arena (where
// append grows a large slice by a quarter, which would copy the text
// about five times over).
func (s *store) room(n int) {
	if len(s.text)+n > cap(s.text) {
		s.text = append(make([]byte, 0, max(2*cap(s.text), len(s.text)+n, 256)), s.text...)
	}
}

// at is the rope at f.
func (p *printer) at(f ref) *rope { return &p.store.chunks[f.c][f.i] }

// textOf is the text of the span s of the text arena.
func (p *printer) textOf(s span) []byte { return p.store.text[s.off:s.end] }

// str flattens the rope without recursion.
func (p *printer) str(r *rope) string {
	if r.leaf {
		return string(p.textOf(r.s))
	}
	var b strings.Builder
	b.Grow(r.n)
	type frame struct {
		r *rope
		i int // the next segment, from r.s.off
	}
	stack := make([]frame, 1, 64)
	stack[0] = frame{r: r, i: r.s.off}
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.i == f.r.s.end {
			stack = stack[:len(stack)-1]
			continue
		}
		k := p.store.segs[f.i]
		f.i++
		b.Write(p.textOf(k.s))
		if !k.has {
			continue
		}
		switch x := p.at(k.r); {
		case x.leaf:
			b.Write(p.textOf(x.s))
		default:
			stack = append(stack, frame{r: x, i: x.s.off})
		}
	}
	return b.String()
}

// start begins a rope.
func (p *printer) start() {
	s := &p.store
	s.kids, s.n, s.pending = s.kids[:0], 0, len(s.text)
}

// add appends the text t and the rope x (which may be nil) to the rope
// being built. A short leaf x is copied as text.
func (p *printer) add(t string, x *rope) {
	s := &p.store
	s.n += len(t)
	s.room(len(t))
	s.text = append(s.text, t...)
	if x == nil {
		return
	}
	s.n += x.n
	if x.leaf && x.n <= shortLeaf {
		s.room(x.n)
		s.text = append(s.text, s.text[x.s.off:x.s.end]...)
		return
	}
	s.kids = append(s.kids, seg{s: span{s.pending, len(s.text)}, r: x.self, has: true})
	s.pending = len(s.text)
}

// done returns the rope built, with outermost operator o; neg says
// whether its text begins with a minus sign. A rope of text alone is a
// leaf.
func (p *printer) done(o op, neg bool) *rope {
	s := &p.store
	r := p.take()
	r.n, r.op, r.neg = s.n, o, neg
	last := span{s.pending, len(s.text)}
	if len(s.kids) == 0 {
		r.s, r.leaf = last, true
		return r
	}
	if last.off < last.end {
		s.kids = append(s.kids, seg{s: last})
	}
	r.s, r.leaf = span{len(s.segs), len(s.segs) + len(s.kids)}, false
	s.segs = append(s.segs, s.kids...)
	return r
}

// leaf makes a piece of the text t with outermost operator o.
func (p *printer) leaf(o op, t string) piece {
	p.start()
	p.add(t, nil)
	return p.done(o, strings.HasPrefix(t, "-"))
}

// pc makes a piece with outermost operator o from strings and pieces.
func (p *printer) pc(o op, parts ...any) piece {
	neg := false // whether the text begins with a minus, by the first part
	if len(parts) > 0 {
		switch part := parts[0].(type) {
		case string:
			neg = strings.HasPrefix(part, "-")
		case *rope:
			neg = part.neg
		}
	}
	p.start()
	for _, part := range parts {
		switch part := part.(type) {
		case string:
			p.add(part, nil)
		case *rope:
			p.add("", part)
		default:
			panic("render: pc takes strings and pieces")
		}
	}
	return p.done(o, neg)
}

// join makes a piece with outermost operator o of xs separated by sep.
func (p *printer) join(o op, xs []piece, sep string) piece {
	p.start()
	for i, x := range xs {
		if i == 0 {
			p.add("", x)
		} else {
			p.add(sep, x)
		}
	}
	return p.done(o, xs[0].neg)
}
