package render

import "strings"

// rope is text built by concatenation in constant time, so that printing
// a deep tree stays linear in the size of its output.
type rope struct {
	leaf string
	kids []*rope
}

// String flattens the rope without recursion.
func (r *rope) String() string {
	var b strings.Builder
	stack := []*rope{r}
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		b.WriteString(r.leaf)
		for i := len(r.kids) - 1; i >= 0; i-- {
			stack = append(stack, r.kids[i])
		}
	}
	return b.String()
}

// pc makes a piece with outermost operator o from strings and pieces.
func pc(o op, parts ...any) piece {
	r := &rope{kids: make([]*rope, 0, len(parts))}
	neg := false
	for i, part := range parts {
		switch part := part.(type) {
		case string:
			if i == 0 {
				neg = strings.HasPrefix(part, "-")
			}
			r.kids = append(r.kids, &rope{leaf: part})
		case piece:
			if i == 0 {
				neg = part.neg
			}
			r.kids = append(r.kids, part.r)
		default:
			panic("render: pc takes strings and pieces")
		}
	}
	return piece{r: r, op: o, neg: neg}
}
