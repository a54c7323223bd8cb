package simplify

import (
	"math/big"
	"slices"
	"strings"

	"github.com/matdiff/matdiff/ast"
)

// logisticRules give the logistic function one form: sigmoid(-u) is
// 1 - sigmoid(u), and exp(u) times the complement of sigmoid(u) is
// sigmoid(u).
var logisticRules = []Rule{
	{Name: "sigmoid-negative", Doc: "sigmoid(-u) -> 1 - sigmoid(u)", Apply: sigmoidNegative, On: OnCall},
	{Name: "sigmoid-derivative", Doc: "sigmoid(u) - sigmoid(u)^2 -> sigmoid(u) (1 - sigmoid(u)); the same elementwise and times equal factors", Apply: sigmoidDerivative, On: OnSum, AnyOrder: true},
	{Name: "exp-sigmoid", Doc: "exp(u) (1 - sigmoid(u)) -> sigmoid(u); exp(-u) sigmoid(u) -> 1 - sigmoid(u); the same elementwise", Apply: expSigmoid, On: OnProduct | OnHadamard, Needs: OnCall | OnPower | OnElemPower | OnSum},
}

// expSigmoid takes a factor exp(v) and a factor that is the complement
// of sigmoid(v), sigmoid(-v), as sigmoid(v): their product is
// exp(v)/(1 + exp(v)). Powers take in as many of each as they can
// (exp(v) (1 - sigmoid(v))^2 -> sigmoid(v) (1 - sigmoid(v))). The
// factors are those of a product of scalars or of a chain of elementwise
// products.
func expSigmoid(c *Context, e ast.Expr) ast.Expr {
	var fs []ast.Expr
	elementwise := false
	switch x := e.(type) {
	case *ast.Product:
		fs = x.Factors
	case *ast.Hadamard:
		fs, elementwise = hadamardOperands(x, nil), true
	default:
		return nil
	}
	// Long chains are left alone, and a chain without an exp and a
	// sigmoid is passed over in one look, so that a chain of n operands
	// costs no n² pairs.
	if len(fs) > maxMonomial || !slices.ContainsFunc(fs, func(f ast.Expr) bool { return hasSigmoid(f, elementwise) }) {
		return nil
	}
	for i, f := range fs {
		v, a, ok := expOf(f, elementwise)
		if !ok {
			continue
		}
		for j, g := range fs {
			if j == i {
				continue
			}
			k, neg, ok := c.complementOf(g, v, elementwise)
			if !ok {
				continue
			}
			m := min(a, k)
			var out []ast.Expr
			if neg && m%2 == 1 {
				out = append(out, ast.Int(-1))
			}
			for n, h := range fs {
				switch n {
				case i:
					out = append(out, c.logisticOf(v, m, elementwise))
					if a > m {
						out = append(out, intPower(&ast.Call{Func: "exp", Args: []ast.Expr{v}}, a-m, elementwise))
					}
				case j:
					if k > m {
						out = append(out, intPower(complementBase(g), k-m, elementwise))
					}
				default:
					out = append(out, h)
				}
			}
			if !elementwise {
				return product(out...)
			}
			if neg && m%2 == 1 {
				return product(ast.Int(-1), hadamardAll(out[1:]))
			}
			return hadamardAll(out)
		}
	}
	return nil
}

// hasSigmoid reports whether the factor f could be a complement of a
// sigmoid for complementOf: sigmoid(w), or a sum with a sigmoid term, or
// a power of one.
func hasSigmoid(f ast.Expr, elementwise bool) bool {
	base, _ := powerParts(f, elementwise)
	if _, ok := call(base, "sigmoid"); ok {
		return true
	}
	s, ok := base.(*ast.Sum)
	return ok && len(s.Terms) == 2
}

// expOf reports whether f is exp(v) or a small integer power of it
// (elementwise: .^).
func expOf(f ast.Expr, elementwise bool) (ast.Expr, int, bool) {
	base, exp := powerParts(f, elementwise)
	ex, ok := call(base, "exp")
	if !ok {
		return nil, 0, false
	}
	a, ok := smallPower(exp)
	return ex.Args[0], a, ok
}

// powerParts splits f into a base and an exponent: x^k (x.^k
// elementwise) or f to the power 1.
func powerParts(f ast.Expr, elementwise bool) (ast.Expr, *big.Rat) {
	switch p := f.(type) {
	case *ast.Power:
		if !elementwise {
			return p.X, p.Exp
		}
	case *ast.ElemPower:
		if elementwise {
			return p.X, p.Exp
		}
	}
	return f, ratOne
}

// complementBase is the base of a factor that complementOf accepted.
func complementBase(g ast.Expr) ast.Expr {
	if p, ok := g.(*ast.Power); ok {
		return p.X
	}
	if p, ok := g.(*ast.ElemPower); ok {
		return p.X
	}
	return g
}

// complementOf reports whether g is a small power k of sigmoid(-v) in
// its canonical form: 1 - sigmoid(v), or sigmoid(v) - 1 (its negative,
// neg), for a v without a minus sign; sigmoid(w) for v = -w.
func (c *Context) complementOf(g, v ast.Expr, elementwise bool) (int, bool, bool) {
	base, exp := powerParts(g, elementwise)
	k, ok := smallPower(exp)
	if !ok {
		return 0, false, false
	}
	if c.split(v).coef.Sign() < 0 {
		s, ok := call(base, "sigmoid")
		return k, false, ok && c.key(s.Args[0]) == c.key(c.negate(v))
	}
	sum, ok := base.(*ast.Sum)
	if !ok {
		return 0, false, false
	}
	neg := false
	s, ok := isLogisticComplement(sum)
	if !ok && len(sum.Terms) == 2 && isValue(sum.Terms[1], -1) {
		s, ok = call(sum.Terms[0], "sigmoid")
		neg = true
	}
	f, isCall := s.(*ast.Call) // not a transposed sigmoid
	return k, neg, ok && isCall && ast.Equal(f.Args[0], v)
}

// logisticOf is sigmoid(v)^m in canonical form: (1 - sigmoid(w))^m for
// v = -w.
func (c *Context) logisticOf(v ast.Expr, m int, elementwise bool) ast.Expr {
	if c.split(v).coef.Sign() < 0 {
		return logisticPower(c.negate(v), m, elementwise)
	}
	return intPower(&ast.Call{Func: "sigmoid", Args: []ast.Expr{v}}, m, elementwise)
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

// sigmoidDerivative writes two terms of a sum that are R sigmoid(u) and
// -R sigmoid(u)^2, for the same factors and coefficient R (elementwise:
// R .* sigmoid(u) and -R .* sigmoid(u).^2), as one: R sigmoid(u) (1 -
// sigmoid(u)), the form of the logistic function's derivative. Sums of
// more than maxMonomial terms are left alone.
func sigmoidDerivative(c *Context, e ast.Expr) ast.Expr {
	s, ok := e.(*ast.Sum)
	if !ok || len(s.Terms) < 2 || len(s.Terms) > maxMonomial {
		return nil
	}
	if !slices.ContainsFunc(s.Terms, c.hasSigmoidSquare) {
		return nil // most sums: nothing is built
	}
	parts := make([]logisticTerm, len(s.Terms))
	for i, x := range s.Terms {
		parts[i] = c.logisticTerm(x)
	}
	for i, a := range parts {
		for k, f := range a.factors {
			if _, ok := call(f, "sigmoid"); !ok {
				continue
			}
			// The factors of the term that would pair with a: f squared
			// for f, the others the same.
			want := map[string]int{c.key(intPower(f, 2, a.elementwise)): 1}
			for n, g := range a.factors {
				if n != k {
					want[c.key(g)]++
				}
			}
			for j, b := range parts {
				if j == i || b.elementwise != a.elementwise || b.restKey != a.restKey || len(b.factors) != len(a.factors) ||
					!ast.RatEqual(b.term.coef, new(big.Rat).Neg(a.term.coef)) || !c.sameKeys(b.factors, want) {
					continue
				}
				complement := sum(ast.Int(1), product(ast.Int(-1), f))
				fs := slices.Insert(slices.Clone(a.factors), k+1, complement)
				t := a.term
				if a.elementwise {
					t.chain = []ast.Expr{hadamardAll(fs)}
				} else {
					t.scalars = fs
				}
				terms := make([]ast.Expr, 0, len(s.Terms)-1)
				for n, x := range s.Terms {
					switch n {
					case i:
						terms = append(terms, t.build())
					case j:
					default:
						terms = append(terms, x)
					}
				}
				return sum(terms...)
			}
		}
	}
	return nil
}

// hasSigmoidSquare reports whether the term x has a factor sigmoid(u)^2,
// or an operand sigmoid(u).^2 of its elementwise chain factor.
func (c *Context) hasSigmoidSquare(x ast.Expr) bool {
	square := func(f ast.Expr) bool {
		switch p := f.(type) {
		case *ast.Power:
			_, ok := call(p.X, "sigmoid")
			return ok && ratIs(p.Exp, 2)
		case *ast.ElemPower:
			_, ok := call(p.X, "sigmoid")
			return ok && ratIs(p.Exp, 2)
		case *ast.Hadamard:
			ops, ok := boundedOperands(p, maxMonomial)
			return ok && slices.ContainsFunc(ops, func(o ast.Expr) bool {
				q, isPower := o.(*ast.ElemPower)
				if !isPower {
					return false
				}
				_, sig := call(q.X, "sigmoid")
				return sig && ratIs(q.Exp, 2)
			})
		}
		return false
	}
	t := c.split(x)
	return slices.ContainsFunc(t.scalars, square) || len(t.chain) == 1 && square(t.chain[0])
}

// logisticTerm is a term taken apart for sigmoidDerivative: its factors
// that may be sigmoids (its scalar factors, or the operands of its one
// elementwise chain factor) and the key of the rest (the chain, or the
// scalar factors).
type logisticTerm struct {
	term        term
	factors     []ast.Expr
	elementwise bool
	restKey     string
}

func (c *Context) logisticTerm(x ast.Expr) logisticTerm {
	t := c.split(x)
	var b strings.Builder
	if len(t.chain) == 1 && !c.scalar(t.chain[0]) {
		switch t.chain[0].(type) {
		case *ast.Hadamard, *ast.Call, *ast.ElemPower:
			for _, f := range t.scalars {
				b.WriteString(c.key(f))
				b.WriteString("\x00")
			}
			return logisticTerm{term: t, factors: hadamardOperands(t.chain[0], nil), elementwise: true, restKey: b.String()}
		}
	}
	for _, f := range t.chain {
		b.WriteString(c.key(f))
		b.WriteString("\x00")
	}
	return logisticTerm{term: t, factors: t.scalars, restKey: b.String()}
}

// sameKeys reports whether the keys of fs are the multiset want.
func (c *Context) sameKeys(fs []ast.Expr, want map[string]int) bool {
	have := map[string]int{}
	for _, f := range fs {
		k := c.key(f)
		have[k]++
		if have[k] > want[k] {
			return false
		}
	}
	return true
}
