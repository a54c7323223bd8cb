package simplify

import "github.com/matdiff/matdiff/ast"

// Same is Context.same, for tests.
func Same(c *Context, a, b ast.Expr) bool { return c.same(a, b) }
