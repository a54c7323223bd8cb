package render

import "strings"

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

// newRope returns an empty rope with room for n segments.
func newRope(o op, n int) *rope {
	if n <= 3 {
		c := &concat{rope: rope{op: o}}
		c.kids = c.buf[:0]
		return &c.rope
	}
	return &rope{op: o, kids: make([]seg, 0, n)}
}

// add appends the text s and the rope x (which may be nil) to r.
func (r *rope) add(s string, x *rope) {
	r.n += len(s)
	if x != nil {
		r.n += x.n
	}
	if k := len(r.kids) - 1; k >= 0 && r.kids[k].r == nil {
		r.kids[k].s += s // text after text
		r.kids[k].r = x
		return
	}
	r.kids = append(r.kids, seg{s: s, r: x})
}

// leaf makes a piece of the text s with outermost operator o.
func leaf(o op, s string) piece {
	return &rope{leaf: s, n: len(s), op: o, neg: strings.HasPrefix(s, "-")}
}

// pc makes a piece with outermost operator o from strings and pieces.
// A piece of strings alone is one leaf.
func pc(o op, parts ...any) piece {
	if s, ok := onlyStrings(parts); ok {
		return leaf(o, s)
	}
	r := newRope(o, len(parts))
	text := "" // strings not yet in a segment
	for i, part := range parts {
		switch part := part.(type) {
		case string:
			if i == 0 {
				r.neg = strings.HasPrefix(part, "-")
			}
			text += part
		case *rope:
			if i == 0 {
				r.neg = part.neg
			}
			r.add(text, part)
			text = ""
		default:
			panic("render: pc takes strings and pieces")
		}
	}
	if text != "" {
		r.add(text, nil)
	}
	return r
}

// join makes a piece with outermost operator o of xs separated by sep.
func join(o op, xs []piece, sep string) piece {
	r := newRope(o, len(xs))
	r.neg = xs[0].neg
	for i, x := range xs {
		if i == 0 {
			r.add("", x)
		} else {
			r.add(sep, x)
		}
	}
	return r
}

// onlyStrings joins parts when they are all strings (and there is at
// least one).
func onlyStrings(parts []any) (string, bool) {
	if len(parts) == 1 {
		s, ok := parts[0].(string)
		return s, ok
	}
	s := ""
	for _, part := range parts {
		t, ok := part.(string)
		if !ok {
			return "", false
		}
		s += t
	}
	return s, true
}
