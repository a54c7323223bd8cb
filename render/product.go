package render

import (
	"math/big"
	"strings"

	"github.com/matdiff/matdiff/ast"
)

// product prints an n-ary product. The leading Number is the coefficient:
// 1 is not printed, a minus sign goes in front, p/q prints p in front and
// /q at the end (3 A x/2). Negative powers of scalar factors move to a
// trailing division (x/||x||, (x^T x)/(2 sigma^2)). A Product nested as a
// factor is a 1×1 sub-product and is parenthesised: 2 (x^T y) y.
func (p *printer) product(e *ast.Product) piece { return p.signedProduct(e, false) }

// signedProduct prints e as product does; with unsigned, without the minus
// sign of a negative coefficient (as product prints abs(e)).
func (p *printer) signedProduct(e *ast.Product, unsigned bool) piece {
	if len(e.Factors) == 0 {
		return p.pc(opAtom, "1")
	}
	fs, neg := e.Factors, isNeg(e)
	// The lists are on the stack for short products.
	var numBuf, denBuf [1]piece
	var numEBuf, denEBuf [8]ast.Expr
	num, den := numBuf[:0], denBuf[:0] // the coefficient's p and q
	numE, denE := numEBuf[:0], denEBuf[:0]
	if len(fs) > len(numEBuf) {
		numE = make([]ast.Expr, 0, len(fs))
	}
	if c, ok := fs[0].(*ast.Number); ok {
		fs = fs[1:]
		v := c.Value
		if neg {
			v = absRat(v)
		}
		var x piece
		if c.Decimal && !ast.RatIs(v, 1) {
			x, _ = p.decimalPiece(v)
		}
		if x != nil {
			num = append(num, x)
		} else {
			if !v.Num().IsInt64() || v.Num().Int64() != 1 {
				num = append(num, p.leaf(opAtom, intString(v.Num())))
			}
			if !v.IsInt() {
				den = append(den, p.leaf(opAtom, intString(v.Denom())))
			}
		}
	}
	for i, f := range fs {
		if c, ok := f.(*ast.Number); ok && i < len(fs)-1 && ast.RatIs(c.Value, 1) {
			// A factor 1 after the coefficient (x^-1 1 y) would print
			// first and read back as the coefficient: leave it out. A
			// last one stays ((-T) 1): it may be the ones vector.
			continue
		}
		if base, k, ok := p.reciprocal(f); ok {
			if c, ok := base.(*ast.Number); ok && ast.RatIs(c.Value, 1) {
				continue // 1^-k is 1
			}
			if !ast.RatIs(k, 1) {
				base = &ast.Power{X: base, Exp: k}
			}
			// A product in the denominator joins its factors:
			// 1/(lambda (mu theta)) reads back as 1/(lambda mu theta).
			if pr, ok := base.(*ast.Product); ok && len(fs) > 1 && p.plainFactors(pr) {
				denE = append(denE, pr.Factors...)
				continue
			}
			denE = append(denE, base)
			continue
		}
		numE = append(numE, f)
	}
	x := p.factors(num, numE)
	if len(den)+len(denE) > 0 {
		x = p.frac(x, p.factors(den, denE))
	}
	if neg && !unsigned {
		x = p.negate(x)
	}
	return x
}

// plainFactors reports whether a product has factors that print in
// place in a denominator: no number and no reciprocal.
func (p *printer) plainFactors(pr *ast.Product) bool {
	for _, f := range pr.Factors {
		if _, ok := f.(*ast.Number); ok {
			return false
		}
		if _, _, ok := p.reciprocal(f); ok {
			return false
		}
	}
	return len(pr.Factors) > 0
}

// absRat returns |v|, v itself when it is not negative; the result must
// not be modified.
func absRat(v *big.Rat) *big.Rat {
	if v.Sign() >= 0 {
		return v
	}
	if v.IsInt() && v.Num().IsInt64() && v.Num().Int64() >= -15 {
		return ast.SmallRat(-v.Num().Int64()) // shared
	}
	return new(big.Rat).Neg(v)
}

// unsigned prints e without the leading minus that isNeg found: what
// expr prints for abs(e).
func (p *printer) unsigned(e ast.Expr) piece {
	if pr, ok := e.(*ast.Product); ok {
		return p.signedProduct(pr, true)
	}
	return p.expr(abs(e))
}

// factors prints the printed coefficient xs followed by the factors fs,
// separated by spaces; nothing at all is 1. With several factors, a sum, a
// negation and the product-level operators (so a nested product of several
// factors) are parenthesised; a lone factor is returned as is, for the
// caller to decide. A nested product that prints as one factor, as
// Product{1, x} does, takes no parentheses: (x) y would read back as x y.
func (p *printer) factors(xs []piece, fs []ast.Expr) piece {
	several := len(xs)+len(fs) > 1
	var keptBuf [8]ast.Expr
	var itemsBuf [9]item
	kept, items := keptBuf[:0], itemsBuf[:0]
	if len(fs) > len(keptBuf) {
		kept, items = make([]ast.Expr, 0, len(fs)), make([]item, 0, len(xs)+len(fs))
	}
	for _, x := range xs {
		items = append(items, item{x: x})
	}
	for _, f := range fs {
		if it, ok := p.plainItem(f); ok {
			kept, items = append(kept, f), append(items, it)
			continue
		}
		x := p.expr(f)
		_, nested := f.(*ast.Product)
		if _, t := f.(*ast.Transpose); t && isUnit(f) {
			nested = true // (1 1)^T prints as 1 too
		}
		if nested && several && p.isOne(x) {
			continue // a nested product that prints as 1, as (1 1) does
		}
		kept, items = append(kept, f), append(items, item{x: x})
	}
	// Parentheses depend on what is left: (2 x)(1 1) prints as 2 x.
	several = len(items) > 1
	// A coefficient times a Kronecker product needs no parentheses:
	// 2 (x x^T) ⊗ I reads as (2 x x^T) ⊗ I, which is the same. The whole
	// is then a ⊗ as read, for the parentheses around it.
	kron := false
	if k := len(kept); k > 0 {
		kr, ok := kept[k-1].(*ast.Kron)
		kron = ok && joinsCoefficient(kr)
		// A coefficient times a product that prints as such a ⊗ joins it
		// too: 1.25 (12 X ⊗ Y) reads back as 1.25 12 X ⊗ Y.
		if _, product := kept[k-1].(*ast.Product); product {
			last := items[len(items)-1].x
			kron = last != nil && last.op == opKron
		}
		for _, f := range kept[:k-1] {
			kron = kron && numeric(f) // numbers after a factor moved out: 2 (A ⊗ B)/omega
		}
	}
	for i := range kept {
		it := &items[len(xs)+i]
		if it.x != nil && several && !kron {
			it.x = p.parenIf(it.x, it.x.op.prec() < ast.PrecPostfix)
		}
	}
	switch {
	case len(items) == 0:
		return p.pc(opAtom, "1")
	case len(items) == 1:
		return p.joinItems(items[0].op(), items, "")
	case kron:
		return p.joinItems(opKron, items, " ")
	}
	return p.joinItems(opProduct, items, " ")
}

// numeric reports whether e is a number or a product that prints as one
// number, ones and one number ((1 2) prints as 2; (4 0.015) prints so).
func numeric(e ast.Expr) bool {
	if _, ok := e.(*ast.Number); ok {
		return true
	}
	p, ok := e.(*ast.Product)
	if !ok {
		return false
	}
	numbers := 0
	for _, f := range p.Factors {
		switch {
		case isUnit(f):
		case numeric(f):
			numbers++
		default:
			return false
		}
	}
	return numbers <= 1
}

// soleNumber is the one number that a numeric product prints as (2 for
// (2 1)), or 1.
func soleNumber(e ast.Expr) ast.Expr {
	if q, ok := e.(*ast.Product); ok {
		for _, f := range q.Factors {
			if !isUnit(f) {
				return soleNumber(f)
			}
		}
		return ast.Int(1)
	}
	return e
}

// joinsCoefficient reports whether a coefficient written before k reads
// back as the coefficient of its first operand, printed as it was: not
// when that operand is a number, a reciprocal or a negation, which would
// merge with it (2 2000^-1 ⊗ x reads back as 2/2000 ⊗ x).
func joinsCoefficient(k *ast.Kron) bool {
	x := k.X
	for {
		inner, ok := x.(*ast.Kron)
		if !ok {
			break
		}
		x = inner.X
	}
	switch x := x.(type) {
	case *ast.Number, *ast.Inverse, *ast.Div, *ast.Neg:
		return false
	case *ast.Transpose:
		_, inverse := x.X.(*ast.Inverse) // mu^-T, as mu'^-1 is
		return !inverse
	case *ast.Power:
		return x.Exp.Sign() > 0
	}
	return true
}

// item is a printed factor: the piece x, or, when x is nil, the name a
// (transposed when t is set), which needs no parentheses (plainItem).
type item struct {
	x piece
	a string
	t bool
}

// op is the outermost operator of the item.
func (it item) op() op {
	switch {
	case it.x != nil:
		return it.x.op
	case it.t:
		return opPostfix
	}
	return opAtom
}

// plainItem returns what expr prints for a name or the transpose of a
// name, as text (without a piece of its own).
func (p *printer) plainItem(f ast.Expr) (item, bool) {
	switch f := f.(type) {
	case *ast.Name:
		return item{a: p.name(f.Name)}, true
	case *ast.Transpose:
		if n, ok := f.X.(*ast.Name); ok {
			return item{a: p.name(n.Name), t: true}, true
		}
	}
	return item{}, false
}

// joinItems makes a piece with outermost operator o of the items,
// separated by sep (a lone piece is returned as it is).
func (p *printer) joinItems(o op, items []item, sep string) piece {
	if len(items) == 1 && items[0].x != nil {
		return items[0].x
	}
	neg := false
	if x := items[0].x; x != nil {
		neg = x.neg
	} else {
		neg = strings.HasPrefix(items[0].a, "-")
	}
	p.start()
	for i, it := range items {
		if i > 0 {
			p.add(sep, nil)
		}
		switch {
		case it.x != nil:
			p.add("", it.x)
		case it.t:
			p.add(it.a, nil)
			p.add(p.transposeMark(), nil)
		default:
			p.add(it.a, nil)
		}
	}
	return p.done(o, neg)
}

// isOne reports whether x prints as the number 1.
func (p *printer) isOne(x piece) bool {
	if x == nil || x.op != opAtom || x.n != 1 {
		return false
	}
	return p.str(x) == "1"
}

// frac prints num/den. In text, the denominator is parenthesised unless it
// is an atom or a postfix expression, and a product numerator exactly when
// the denominator is a product. LaTeX uses \frac and needs neither.
func (p *printer) frac(num, den piece) piece {
	if p.latex() {
		return p.pc(opFrac, `\frac{`, num, `}{`, den, `}`)
	}
	denProduct := den.op.prec() <= ast.PrecProduct
	den = p.parenIf(den, den.op.prec() < ast.PrecPostfix)
	switch {
	case num.neg:
		// -x/2 reads as -(x/2).
		num = p.paren(num)
	}
	switch num.op {
	case opSum, opHadamard, opElemDiv, opKron:
		num = p.paren(num)
	case opProduct, opDiv:
		num = p.parenIf(num, denProduct)
	}
	return p.pc(opDiv, num, "/", den)
}

func (p *printer) div(e *ast.Div) piece {
	return p.frac(p.expr(e.X), p.expr(e.Y))
}

// negate puts a minus sign in front of x: a product or quotient takes it
// without parentheses (-A x is -(A x)); a sum, an elementwise operation
// and anything that already begins with a minus are parenthesised.
func (p *printer) negate(x piece) piece {
	if x.neg {
		return p.pc(opNeg, "-", p.paren(x))
	}
	switch x.op {
	case opProduct, opDiv:
		return p.pc(x.op, "-", x)
	case opSum, opHadamard, opElemDiv, opKron:
		return p.pc(opNeg, "-", p.paren(x))
	}
	return p.pc(opNeg, "-", x)
}

// reciprocal reports whether f is a negative power of a scalar (or the
// inverse of one), returning the base and the positive exponent. A base
// that is a reciprocal itself stays a power: 1/(x^-1 y) would read back
// as 1/(y/x).
func (p *printer) reciprocal(f ast.Expr) (ast.Expr, *big.Rat, bool) {
	if base, k, ok := p.reciprocal1(f); ok {
		_, isDiv := base.(*ast.Div)
		if _, _, again := p.reciprocal1(base); !again && !isDiv {
			return base, k, true
		}
	}
	return nil, nil, false
}

func (p *printer) reciprocal1(f ast.Expr) (ast.Expr, *big.Rat, bool) {
	switch f := f.(type) {
	case *ast.Power:
		if f.Exp.Sign() < 0 && p.isScalar(f.X) {
			return f.X, new(big.Rat).Neg(f.Exp), true
		}
	case *ast.Inverse:
		if _, ok := f.X.(*ast.Transpose); !ok && p.isScalar(f.X) {
			return f.X, big.NewRat(1, 1), true
		}
	}
	return nil, nil, false
}

// isNeg reports whether e is a negation, a negative number, or a product
// with a negative coefficient: the forms that print as a minus sign in
// front of their absolute value, and as " - " in a sum. (A product that
// begins with a negation prints (-A) x, since -A x reads as -(A x).)
func isNeg(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Neg:
		return true
	case *ast.Number:
		return e.Value.Sign() < 0
	case *ast.Product:
		if len(e.Factors) == 0 {
			return false
		}
		c, ok := e.Factors[0].(*ast.Number)
		return ok && c.Value.Sign() < 0
	}
	return false
}

// abs returns e without the leading minus that isNeg found.
func abs(e ast.Expr) ast.Expr {
	switch e := e.(type) {
	case *ast.Neg:
		return e.X
	case *ast.Number:
		return &ast.Number{At: e.At, Value: new(big.Rat).Neg(e.Value), Decimal: e.Decimal}
	case *ast.Product:
		fs := append([]ast.Expr(nil), e.Factors...)
		fs[0] = abs(fs[0])
		return &ast.Product{At: e.At, Factors: fs}
	}
	return e
}
