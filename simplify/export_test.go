package simplify

import "github.com/matdiff/matdiff/ast"

// Same is Context.same, for tests.
func Same(c *Context, a, b ast.Expr) bool { return c.same(a, b) }

// Records counts the nodes of the trees es (shared subtrees once) that
// carry a record of c.
func Records(c *Context, es ...ast.Expr) int {
	seen := map[ast.Expr]bool{}
	n := 0
	var walk func(e ast.Expr)
	walk = func(e ast.Expr) {
		if seen[e] {
			return
		}
		seen[e] = true
		if c.known(e) != nil {
			n++
		}
		for _, k := range ast.Children(e) {
			walk(k)
		}
	}
	for _, e := range es {
		walk(e)
	}
	return n
}

// SizeOver is Context.sizeOver, for tests.
func SizeOver(c *Context, e ast.Expr, limit int) bool { return c.sizeOver(e, limit) }
