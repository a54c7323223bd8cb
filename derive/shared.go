package derive

import (
	"slices"

	"github.com/matdiff/matdiff/ast"
)

// Reverse mode walks the expression as a tree: a subexpression written
// twice gets an adjoint at each occurrence, and each would be handed down
// through its own copy of the subtree. Instead, a subtree of more than
// minShared nodes that occurs more than once is one class: its
// occurrences are made one node (share), the adjoints handed to it are
// collected, and their sum is handed down once, after every larger
// subtree has handed down its own (a subtree is smaller than any that
// holds it, so by then all of its occurrences have their adjoints). A
// nesting whose every level uses the one below twice then has a
// derivative the size of its levels, not of its 2^depth leaves. Steps
// (Request.Steps) are written occurrence by occurrence, and the gradient
// they end with is the summed one (gradient).
const minShared = 24

// class is the occurrences of one subtree, and the adjoints handed to
// them so far.
type class struct {
	rep  ast.Expr // the node the sum is handed down through
	made bool     // rep is share's one node for the class
	size int
	bars []ast.Expr
}

// share returns e with every class of its repeated subtrees made one
// node (rebuilt, where the subtree holds smaller classes), and the
// classes by that node; e itself and nil when nothing repeats. The
// derivative then refers to one node for all the occurrences of a
// subtree (a forward value that a gradient by a matrix multiplies by),
// which the simplifier simplifies once.
func (d *deriver) share(e ast.Expr) (ast.Expr, map[ast.Expr]*class) {
	occurrences := sharedClasses(e)
	if occurrences == nil {
		return e, nil
	}
	classes := map[ast.Expr]*class{}
	shared := map[ast.Expr]ast.Expr{} // the nodes made so far (e may be a DAG)
	var one func(e ast.Expr) ast.Expr
	one = func(e ast.Expr) ast.Expr {
		if out, ok := shared[e]; ok {
			return out
		}
		c := occurrences[e]
		if c != nil && c.made {
			return c.rep
		}
		n := ast.NumChildren(e)
		var kids []ast.Expr
		for i := range n {
			k := ast.Child(e, i)
			sk := one(k)
			if sk != k && kids == nil {
				kids = make([]ast.Expr, n)
				for j := range i {
					kids[j] = ast.Child(e, j)
				}
			}
			if kids != nil {
				kids[i] = sk
			}
		}
		out := e
		if kids != nil {
			out = ast.WithChildren(e, kids)
			d.info.ShapeLike(out, e)
		}
		if n > 0 {
			shared[e] = out
		}
		if c != nil {
			c.rep, c.made = out, true
			classes[out] = c
		}
		return out
	}
	return one(e), classes
}

// sharedClasses returns the class of every subtree of e of more than
// minShared nodes that occurs more than once, by occurrence; nil when
// there is none. Subtrees are grouped by fingerprint and told apart the
// smallest first, so that two subtrees compare as identical when their
// nodes are and their large children are of one class: a comparison
// looks at a node and its small children, not at the whole subtree.
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
	var groups [][]large
	isLarge := map[ast.Expr]bool{}
	for _, g := range byPrint {
		for _, l := range g {
			isLarge[l.e] = true
		}
		if len(g) > 1 {
			groups = append(groups, g)
		}
	}
	if len(groups) == 0 {
		return nil
	}
	slices.SortFunc(groups, func(a, b []large) int { return a[0].size - b[0].size })
	classes := map[ast.Expr]*class{}
	var same func(x, y ast.Expr) bool
	same = func(x, y ast.Expr) bool {
		if x == y {
			return true
		}
		if isLarge[x] || isLarge[y] {
			c := classes[x]
			return c != nil && c == classes[y]
		}
		return ast.IdenticalBy(x, y, same)
	}
	for _, g := range groups {
		for i := range g {
			a := g[i]
			if a.e == nil {
				continue
			}
			for j := i + 1; j < len(g); j++ {
				b := g[j]
				if b.e == nil || b.size != a.size || !ast.IdenticalBy(a.e, b.e, same) {
					continue
				}
				c := classes[a.e]
				if c == nil {
					c = &class{rep: a.e, size: a.size}
					classes[a.e] = c
				}
				classes[b.e] = c
				g[j].e = nil
			}
		}
	}
	if len(classes) == 0 {
		return nil
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
