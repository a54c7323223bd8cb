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

// logisticPairs counts the pairs of terms of s that are 1 and -sigmoid(u),
// or -1 and sigmoid(u): each number pairs with one sigmoid term at most.
// A sign may be a Neg or a coefficient -1 (trees as read, or canonical).
func logisticPairs(s *ast.Sum) int {
	var ones, minusOnes, sig, minusSig int
	for _, t := range s.Terms {
		neg, x := signOfTerm(t)
		switch {
		case isValue(x, 1) && !neg, isValue(x, -1) && neg:
			ones++
		case isValue(x, -1), isValue(x, 1):
			minusOnes++
		default:
			if _, ok := sigmoidCall(x); !ok {
				continue
			}
			if neg {
				minusSig++
			} else {
				sig++
			}
		}
	}
	return min(ones, minusSig) + min(minusOnes, sig)
}

// signOfTerm splits a term into a sign (a Neg, or a coefficient -1) and
// the rest.
func signOfTerm(t ast.Expr) (bool, ast.Expr) {
	switch x := t.(type) {
	case *ast.Neg:
		return true, x.X
	case *ast.Product:
		if len(x.Factors) == 2 && isValue(x.Factors[0], -1) {
			return true, x.Factors[1]
		}
	}
	return false, t
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
	return sigmoidCall(p.Factors[1])
}

// sigmoidCall returns the call of sigmoid(u) or sigmoid(u)^T: a transposed
// sigmoid counts as the sigmoid(u^T) it equals.
func sigmoidCall(e ast.Expr) (*ast.Call, bool) {
	if t, ok := e.(*ast.Transpose); ok {
		e = t.X
	}
	return call(e, "sigmoid")
}
