package simplify

import (
	"math/big"

	"github.com/matdiff/matdiff/ast"
)

// logisticRules give the logistic function one form: sigmoid(-u) is
// 1 - sigmoid(u).
var logisticRules = []Rule{
	{Name: "sigmoid-negative", Doc: "sigmoid(-u) -> 1 - sigmoid(u)", Apply: sigmoidNegative, On: OnCall},
}

func sigmoidNegative(c *Context, e ast.Expr) ast.Expr {
	f, ok := call(e, "sigmoid")
	if !ok {
		return nil
	}
	t := c.split(f.Args[0])
	if t.coef.Sign() >= 0 || len(t.scalars)+len(t.chain) == 0 {
		return nil
	}
	t.coef = new(big.Rat).Neg(t.coef)
	s := &ast.Call{Func: "sigmoid", Args: []ast.Expr{t.build()}}
	return sum(ast.Int(1), product(ast.Int(-1), s))
}

// isLogisticComplement reports whether s is 1 - sigmoid(u), which counts
// as sigmoid(-u) does.
func isLogisticComplement(s *ast.Sum) (ast.Expr, bool) {
	if len(s.Terms) != 2 || !isValue(s.Terms[0], 1) {
		return nil, false
	}
	p, ok := s.Terms[1].(*ast.Product)
	if !ok || len(p.Factors) != 2 || !isValue(p.Factors[0], -1) {
		return nil, false
	}
	if f, ok := call(p.Factors[1], "sigmoid"); ok {
		return f, true
	}
	return nil, false
}
