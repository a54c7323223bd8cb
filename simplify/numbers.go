package simplify

import (
	"math/big"

	"github.com/matdiff/matdiff/ast"
)

// numberRules fold exact rational arithmetic.
var numberRules = []Rule{
	{Name: "fold-coefficient", Doc: "2 A 3 x -> 6 A x; 1 A -> A; 0 A -> 0", Apply: foldCoefficient, On: OnProduct, Needs: OnNumber | OnZero},
	{Name: "fold-sum-numbers", Doc: "1 + x + 2 -> 3 + x", Apply: foldSumNumbers, On: OnSum, AnyOrder: true},
	{Name: "fold-number-power", Doc: "2^3 -> 8, 4^(1/2) -> 2: a rational power of a number that is rational", Apply: foldNumberPower, On: OnPower},
	{Name: "zero-power", Doc: "0.^2 -> 0; 0^2 -> 0 for a positive power of a zero matrix; (2 1).^3 -> 8 1 and (-1).^2 -> 1 for a multiple of the ones", Apply: zeroPower, On: OnPower | OnElemPower},
	{Name: "ones-of-one", Doc: "1 -> 1: the ones of length one is the number (d/dx sum(x ⊗ A) is sum(A) 1, not sum(A) 1 1)", Apply: onesOfOne, On: OnOnes},
	{Name: "zero-reduce", Doc: "tr(0) -> 0, ||0|| -> 0, sum(0) -> 0, det(0) -> 0, diag(0) -> 0, 0 ⊗ A -> 0", Apply: zeroReduce, On: OnNorm | OnKron | OnCall},
}

// onesOfOne writes the ones of length one, which derivatives make for
// the one column of a vector, as the number 1.
func onesOfOne(c *Context, e ast.Expr) ast.Expr {
	if o, ok := e.(*ast.Ones); ok && o.N.IsOne() {
		return ast.Int(1)
	}
	return nil
}

func foldCoefficient(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok {
		return nil
	}
	count := 0
	first := -1
	for i, f := range p.Factors {
		if isZero(f) {
			return c.zeroOf(p)
		}
		if isNumber(f) {
			count++
			if first < 0 {
				first = i
			}
		}
	}
	if count == 0 {
		return nil
	}
	if count == 1 && first == 0 && !ratIs(p.Factors[0].(*ast.Number).Value, 1) {
		return nil // already canonical (its one number is its coefficient)
	}
	t := c.split(p)
	if t.coef.Sign() == 0 {
		return c.zeroOf(p)
	}
	return t.build()
}

func foldSumNumbers(c *Context, e ast.Expr) ast.Expr {
	s, ok := e.(*ast.Sum)
	if !ok {
		return nil
	}
	// Most sums have at most one number: they are left at once.
	count := 0
	for _, t := range s.Terms {
		if isNumber(t) {
			count++
		}
	}
	if count == 0 {
		return nil
	}
	total := new(big.Rat)
	decimal := false
	count = 0
	rest := make([]ast.Expr, 0, len(s.Terms))
	for _, t := range s.Terms {
		if n, ok := t.(*ast.Number); ok {
			total.Add(total, n.Value)
			decimal = decimal || n.Decimal
			count++
			continue
		}
		rest = append(rest, t)
	}
	if count == 0 || (count == 1 && total.Sign() != 0) {
		return nil
	}
	if total.Sign() != 0 || len(rest) == 0 {
		rest = append([]ast.Expr{&ast.Number{Value: total, Decimal: decimal}}, rest...)
	}
	return sum(rest...)
}

func foldNumberPower(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Power)
	if !ok {
		return nil
	}
	n, ok := p.X.(*ast.Number)
	if !ok {
		return nil
	}
	v, ok := ratPow(n.Value, p.Exp)
	if !ok {
		return nil
	}
	return &ast.Number{Value: v, Decimal: n.Decimal}
}

// ratPow returns b^e exactly when it is rational and small enough: for a
// fractional e = p/q, the q-th root of b ≥ 0, when rational, to the p
// (4^(1/2) -> 2, (9/4)^(-1/2) -> 2/3; 2^(1/2) stays).
func ratPow(b, e *big.Rat) (*big.Rat, bool) {
	if !e.IsInt() {
		q := e.Denom()
		if b.Sign() < 0 || !q.IsInt64() || q.Int64() > 64 {
			return nil, false
		}
		r, ok := ratRoot(b, int(q.Int64()))
		if !ok {
			return nil, false
		}
		return ratPow(r, new(big.Rat).SetInt(e.Num()))
	}
	if !e.Num().IsInt64() {
		return nil, false
	}
	k := e.Num().Int64()
	if k > 64 || k < -64 || (b.Sign() == 0 && k < 0) {
		return nil, false
	}
	if b.Num().BitLen()+b.Denom().BitLen() > 256 {
		return nil, false
	}
	neg := k < 0
	if neg {
		k = -k
	}
	num := new(big.Int).Exp(b.Num(), big.NewInt(k), nil)
	den := new(big.Int).Exp(b.Denom(), big.NewInt(k), nil)
	r := new(big.Rat).SetFrac(num, den)
	if neg {
		r.Inv(r)
	}
	return r, true
}

// ratRoot returns the q-th root of b ≥ 0 when it is rational.
func ratRoot(b *big.Rat, q int) (*big.Rat, bool) {
	if b.Num().BitLen()+b.Denom().BitLen() > 256 {
		return nil, false
	}
	n, ok := intRoot(b.Num(), q)
	if !ok {
		return nil, false
	}
	d, ok := intRoot(b.Denom(), q)
	if !ok {
		return nil, false
	}
	return new(big.Rat).SetFrac(n, d), true
}

// intRoot returns the q-th root of a ≥ 0 when it is an integer: a binary
// search below 2^(bits/q + 1).
func intRoot(a *big.Int, q int) (*big.Int, bool) {
	lo, hi := big.NewInt(0), new(big.Int).Lsh(big.NewInt(1), uint(a.BitLen()/q+1))
	k := big.NewInt(int64(q))
	for lo.Cmp(hi) <= 0 {
		mid := new(big.Int).Rsh(new(big.Int).Add(lo, hi), 1)
		switch new(big.Int).Exp(mid, k, nil).Cmp(a) {
		case 0:
			return mid, true
		case -1:
			lo = mid.Add(mid, big.NewInt(1))
		default:
			hi = mid.Sub(mid, big.NewInt(1))
		}
	}
	return nil, false
}

func zeroPower(c *Context, e ast.Expr) ast.Expr {
	switch p := e.(type) {
	case *ast.ElemPower:
		if z, ok := p.X.(*ast.Zero); ok && p.Exp.Sign() > 0 {
			return z
		}
		if allOnesValue(p.X) {
			return p.X // 1.^k is the ones
		}
		// (2 1).^3 -> 8 1, (-1).^2 -> 1: a power of a numeric multiple of
		// the ones is one (which prints as the number, so that it reads
		// back as what it is).
		if t, ok := c.onesTerm(p.X); ok && len(t.scalars) == 0 {
			if v, ok := ratPow(t.coef, p.Exp); ok {
				t.decimal = t.decimal && !ratIs(v, 1)
				t.coef = v
				return t.build()
			}
		}
	case *ast.Power:
		if z, ok := p.X.(*ast.Zero); ok && p.Exp.Sign() > 0 {
			return z
		}
	}
	return nil
}

func zeroReduce(c *Context, e ast.Expr) ast.Expr {
	switch x := e.(type) {
	case *ast.Norm:
		if isZero(x.X) {
			return ast.Int(0)
		}
	case *ast.Kron:
		if isZero(x.X) || isZero(x.Y) {
			return c.zeroOf(x)
		}
	case *ast.Call:
		if _, ok := x.Args[0].(*ast.Zero); !ok {
			return nil
		}
		switch x.Func {
		case "tr", "sum", "det", "diag", "vec":
			return c.zeroOf(x)
		}
	}
	return nil
}

// smallInt is r as an int when it is an integer from 1 to max.
func smallInt(r *big.Rat, max int64) (int, bool) {
	if !r.IsInt() || r.Sign() <= 0 || r.Num().Cmp(big.NewInt(max)) > 0 {
		return 0, false
	}
	return int(r.Num().Int64()), true
}
