package render

import (
	"slices"
	"strings"

	"github.com/matdiff/matdiff/ast"
)

// rope is printed text with its outermost operator, built by
// concatenation in constant time, so that printing a deep tree stays
// linear in the size of its output. A rope is a leaf (text) or the
// concatenation of its segments; n is its length in bytes.
type rope struct {
	leaf string
	kids []seg
	n    int
	op   op
	neg  bool // the text begins with a minus sign
}

// concat is a rope with room for a few segments in the same allocation.
type concat struct {
	rope
	buf [3]seg
}

// seg is a segment of a rope: the text s, then the rope r (when set).
type seg struct {
	s string
	r *rope
}

// String flattens the rope without recursion.
func (r *rope) String() string {
	if len(r.kids) == 0 {
		return r.leaf
	}
	var b strings.Builder
	b.Grow(r.n)
	type frame struct {
		r *rope
		i int
	}
	stack := make([]frame, 1, 64)
	stack[0] = frame{r: r}
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.i == len(f.r.kids) {
			stack = stack[:len(stack)-1]
			continue
		}
		k := f.r.kids[f.i]
		f.i++
		b.WriteString(k.s)
		switch {
		case k.r == nil:
		case len(k.r.kids) == 0:
			b.WriteString(k.r.leaf)
		default:
			stack = append(stack, frame{r: k.r})
		}
	}
	return b.String()
}

// shortLeaf is the longest leaf whose text a concatenation copies
// instead of pointing to it: short texts (names, numbers, marks) cost a
// small copy where a segment would cost a rope, and a copy of at most
// this much per node keeps printing linear in the output.
const shortLeaf = 32

// ropes hands out the printer's ropes from blocks: a printed tree makes a
// rope or two per node, all of which live exactly as long as the printing.
type ropes struct {
	leaves  ast.Block[rope]
	concats ast.Block[concat]
}

// A rope is built one at a time: start, then add for each segment, then
// done, which allocates what was built, a leaf when it is text alone. The
// printer keeps the segments and the text not yet in a segment meanwhile.
type building struct {
	kids     []seg
	n        int
	pend     string // the pending text when it is one string
	text     []byte // the pending text when buffered
	buffered bool
}

// start begins a rope.
func (p *printer) start() {
	b := &p.building
	b.kids, b.n = b.kids[:0], 0
	b.pend, b.text, b.buffered = "", b.text[:0], false
}

// add appends the text s and the rope x (which may be nil) to the rope
// being built. A short leaf x is copied as text.
func (p *printer) add(s string, x *rope) {
	b := &p.building
	b.n += len(s)
	p.addText(s)
	if x == nil {
		return
	}
	b.n += x.n
	if len(x.kids) == 0 && x.n <= shortLeaf {
		p.addText(x.leaf)
		return
	}
	b.kids = append(b.kids, seg{s: p.takeText(), r: x})
}

// addText appends s to the pending text: a lone string is kept as it is,
// several are copied into a buffer.
func (p *printer) addText(s string) {
	b := &p.building
	switch {
	case s == "":
	case b.buffered:
		b.text = append(b.text, s...)
	case b.pend == "":
		b.pend = s
	default:
		b.text = append(append(b.text[:0], b.pend...), s...)
		b.pend, b.buffered = "", true
	}
}

// takeText returns the pending text and empties it.
func (p *printer) takeText() string {
	b := &p.building
	s := b.pend
	if b.buffered {
		s = string(b.text)
	}
	b.pend, b.text, b.buffered = "", b.text[:0], false
	return s
}

// done returns the rope built, with outermost operator o; neg says
// whether its text begins with a minus sign.
func (p *printer) done(o op, neg bool) *rope {
	b := &p.building
	s := p.takeText()
	if len(b.kids) == 0 {
		r := p.ropes.leaves.Take()
		r.leaf, r.n, r.op, r.neg = s, b.n, o, neg
		return r
	}
	if s != "" {
		b.kids = append(b.kids, seg{s: s})
	}
	var r *rope
	if len(b.kids) <= len(concat{}.buf) {
		c := p.ropes.concats.Take()
		r = &c.rope
		r.kids = append(c.buf[:0], b.kids...)
	} else {
		r = p.ropes.leaves.Take()
		r.kids = slices.Clone(b.kids)
	}
	r.n, r.op, r.neg = b.n, o, neg
	clear(b.kids) // the scratch list holds no rope alive
	return r
}

// leaf makes a piece of the text s with outermost operator o.
func (p *printer) leaf(o op, s string) piece {
	r := p.ropes.leaves.Take()
	r.leaf, r.n, r.op, r.neg = s, len(s), o, strings.HasPrefix(s, "-")
	return r
}

// pc makes a piece with outermost operator o from strings and pieces.
// A piece of strings and short leaves alone is one leaf.
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
	if s, ok := p.shortText(parts); ok {
		r := p.leaf(o, s)
		r.neg = neg
		return r
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

// shortText joins parts when they are all strings or short leaves (and
// there is at least one), and the leaves among them come to at most
// shortLeaf bytes in all: a leaf made of leaves stays short, so that no
// text is copied more than a bounded number of times.
func (p *printer) shortText(parts []any) (string, bool) {
	if len(parts) == 1 {
		s, ok := parts[0].(string)
		return s, ok
	}
	n, copied := 0, 0
	for _, part := range parts {
		switch part := part.(type) {
		case string:
			n += len(part)
		case *rope:
			if len(part.kids) != 0 || part.n > shortLeaf {
				return "", false
			}
			n, copied = n+part.n, copied+part.n
		default:
			return "", false
		}
	}
	if copied > 0 && n > shortLeaf {
		return "", false
	}
	p.start()
	for _, part := range parts {
		switch part := part.(type) {
		case string:
			p.addText(part)
		case *rope:
			p.addText(part.leaf)
		}
	}
	return p.takeText(), true
}
