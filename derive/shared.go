package derive

import "github.com/matdiff/matdiff/ast"

// Reverse mode walks the expression as a tree: a subexpression written
// twice gets an adjoint at each occurrence, and each would be handed down
// through its own copy of the subtree. Instead, a subtree of more than
// minShared nodes that occurs more than once is one class: the adjoints
// of its occurrences are collected, and their sum is handed down once,
// through one of them, after every larger subtree has handed down its
// own (a subtree is smaller than any that holds it, so by then all of
// its occurrences have their adjoints). A nesting whose every level uses
// the one below twice then has a derivative the size of its levels, not
// of its 2^depth leaves. Steps (Request.Steps) are written occurrence by
// occurrence, as before.
const minShared = 24

// class is the occurrences of one subtree, and the adjoints handed to
// them so far.
type class struct {
	rep  ast.Expr // the occurrence the sum is handed down through
	size int
	bars []ast.Expr
}

// sharedClasses returns the class of every subtree of e of more than
// minShared nodes that occurs more than once, found by fingerprint and
// told apart by ast.Identical; nil when there is none.
func sharedClasses(e ast.Expr) map[ast.Expr]*class {
	type large struct {
		e    ast.Expr
		size int
	}
	var byPrint map[uint64][]large
	var walk func(e ast.Expr) (int, uint64)
	walk = func(e ast.Expr) (int, uint64) {
		n, h := 1, ast.NodePrint(e)
		for i := range ast.NumChildren(e) {
			k, kh := walk(ast.Child(e, i))
			n += k
			h = ast.MixPrint(h, kh)
		}
		if n > minShared {
			if byPrint == nil {
				byPrint = map[uint64][]large{}
			}
			byPrint[h] = append(byPrint[h], large{e, n})
		}
		return n, h
	}
	walk(e)
	var classes map[ast.Expr]*class
	for _, group := range byPrint {
		for i := range group {
			a := group[i]
			if a.e == nil || classes[a.e] != nil {
				continue
			}
			for j := i + 1; j < len(group); j++ {
				b := group[j]
				if b.e == nil || !ast.Identical(a.e, b.e) {
					continue
				}
				if classes == nil {
					classes = map[ast.Expr]*class{}
				}
				c := classes[a.e]
				if c == nil {
					c = &class{rep: a.e, size: a.size}
					classes[a.e] = c
				}
				classes[b.e] = c
				group[j].e = nil
			}
		}
	}
	return classes
}

// collect keeps the adjoint bar of e when e is an occurrence of a class,
// reporting whether it did.
func (d *deriver) collect(e, bar ast.Expr) bool {
	c := d.classes[e]
	if c == nil {
		return false
	}
	if len(c.bars) == 0 {
		d.pending = append(d.pending, c)
	}
	c.bars = append(c.bars, bar)
	return true
}

// handShared hands each class's collected adjoints down through its
// representative, the largest class first, until none is left.
func (d *deriver) handShared() error {
	for len(d.pending) > 0 {
		best := 0
		for i, c := range d.pending {
			if c.size > d.pending[best].size {
				best = i
			}
		}
		c := d.pending[best]
		d.pending = append(d.pending[:best], d.pending[best+1:]...)
		bar := add(c.bars...)
		c.bars = nil
		saved := d.cur
		d.cur = c.rep
		err := d.backNode(c.rep, bar)
		d.cur = saved
		if err != nil {
			return err
		}
	}
	return nil
}
