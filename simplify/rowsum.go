package simplify

import (
	"github.com/matdiff/matdiff/ast"
)

// rowSumRules write a sum of row vectors as the transpose of a column sum
// when that has fewer transpose marks, as (x - mu)^T stays one:
// x^T A + y^T A and (x + y)^T A have one text.
var rowSumRules = []Rule{
	{Name: "row-sum-transpose", Doc: "x^T + y^T -> (x + y)^T: a sum of rows with fewer marks as a column", Apply: rowSumTranspose, On: OnSum},
}

func rowSumTranspose(c *Context, e ast.Expr) ast.Expr {
	s, ok := e.(*ast.Sum)
	if !ok {
		return nil
	}
	sh := c.shape(s)
	if !sh.Rows.IsOne() || sh.Cols.IsOne() {
		return nil
	}
	cols := make([]ast.Expr, len(s.Terms))
	for i, t := range s.Terms {
		if c.scalar(t) {
			return nil // a broadcast scalar has no column form
		}
		cols[i] = c.pushTranspose(t)
	}
	if c.transposes(cols...)+1 >= c.transposes(s.Terms...) {
		return nil
	}
	col := sum(cols...)
	sortStable(cols, c.termLess)
	col = sum(cols...)
	return transpose(col)
}
