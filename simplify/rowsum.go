package simplify

import (
	"github.com/matdiff/matdiff/ast"
)

// rowSumRules write a sum of row vectors as the transpose of a column sum
// when that has fewer transpose marks, or as many and a broadcast scalar
// term, as (x - mu)^T and (s - y)^T stay one (transpose-sum): x^T A +
// y^T A and (x + y)^T A have one text, and so do s - y^T and (s - y)^T.
var rowSumRules = []Rule{
	{Name: "row-sum-transpose", Doc: "x^T + y^T -> (x + y)^T, s - y^T -> (s - y)^T: a sum of rows with fewer marks as a column, or as many and a broadcast scalar", Apply: rowSumTranspose, On: OnSum},
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
	scalars := false
	for i, t := range s.Terms {
		if c.scalar(t) {
			scalars = true // broadcast: its own column form
			cols[i] = t
			continue
		}
		cols[i] = c.pushTranspose(t)
	}
	if gathered, marks := c.transposes(cols...)+1, c.transposes(s.Terms...); gathered > marks || gathered == marks && !scalars {
		return nil
	}
	col := sum(cols...)
	sortStable(cols, c.termLess)
	col = sum(cols...)
	return transpose(col)
}

// hasScalarTerm reports whether a term of s is 1×1, broadcast to the
// shape of the sum.
func (c *Context) hasScalarTerm(s *ast.Sum) bool {
	for _, t := range s.Terms {
		if c.scalar(t) {
			return true
		}
	}
	return false
}
