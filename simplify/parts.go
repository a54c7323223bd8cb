package simplify

import (
	"math/big"

	"github.com/matdiff/matdiff/ast"
)

// term is a product taken apart: coefficient, scalar factors, and the
// matrix chain in order.
type term struct {
	coef    *big.Rat
	decimal bool
	scalars []ast.Expr
	chain   []ast.Expr
}

// split takes e apart as a product (a lone expression is a product of one).
// The parts of a node are computed once (trees are immutable); the slices
// returned are capped, so that appending to them copies, and the
// coefficient may be shared: it is never modified in place.
func (c *Context) split(e ast.Expr) term {
	m := c.node(e)
	if m.hasSplit {
		return m.split
	}
	t := term{coef: ratOne}
	p, ok := e.(*ast.Product)
	if !ok {
		// A lone expression: its one factor lives in the record.
		switch {
		case isNumber(e):
			n := e.(*ast.Number)
			t.coef, t.decimal = n.Value, n.Decimal
		case c.scalar(e):
			m.one[0] = e
			t.scalars = m.one[:1:1]
		default:
			m.one[0] = e
			t.chain = m.one[:1:1]
		}
		m.firstRow = -1
		if oneRow, _ := c.Info.Orientation(e); t.chain != nil && oneRow {
			m.firstRow = 0
		}
		m.split, m.hasSplit = t, true
		return t
	}
	// One array holds the scalars, then the chain. Each factor's shape is
	// looked up once; the first chain factor with one row is noted for
	// scalar-run.
	const (
		isNum = iota
		isScalar
		inChain
	)
	var small [16]uint8
	kinds := small[:0]
	if len(p.Factors) > len(small) {
		kinds = make([]uint8, 0, len(p.Factors))
	}
	ns, nc := 0, 0
	m.firstRow = -1
	for _, f := range p.Factors {
		switch {
		case isNumber(f):
			kinds = append(kinds, isNum)
		default:
			oneRow, oneCol := c.Info.Orientation(f)
			if oneRow && oneCol {
				kinds = append(kinds, isScalar)
				ns++
				continue
			}
			if m.firstRow < 0 && oneRow {
				m.firstRow = int32(nc)
			}
			kinds = append(kinds, inChain)
			nc++
		}
	}
	buf := make([]ast.Expr, ns+nc)
	si, ci := 0, ns
	for i, f := range p.Factors {
		switch kinds[i] {
		case isNum:
			n := f.(*ast.Number)
			if t.coef == ratOne {
				t.coef = n.Value
			} else {
				t.coef = new(big.Rat).Mul(t.coef, n.Value)
			}
			t.decimal = t.decimal || n.Decimal
		case isScalar:
			buf[si] = f
			si++
		default:
			buf[ci] = f
			ci++
		}
	}
	if ns > 0 {
		t.scalars = buf[:ns:ns]
	}
	if nc > 0 {
		t.chain = buf[ns : ns+nc : ns+nc]
	}
	m.split, m.hasSplit = t, true
	return t
}

// ratOne is the coefficient 1 of split; never modified.
var ratOne = big.NewRat(1, 1)

// build puts a term back together as an expression.
func (t term) build() ast.Expr {
	var fs []ast.Expr
	if !ratIs(t.coef, 1) || len(t.scalars)+len(t.chain) == 0 {
		fs = append(fs, &ast.Number{Value: t.coef, Decimal: t.decimal})
	}
	fs = append(fs, t.scalars...)
	fs = append(fs, t.chain...)
	return product(fs...)
}

// rest is the term without its coefficient.
func (t term) rest() ast.Expr {
	u := t
	u.coef = big.NewRat(1, 1)
	u.decimal = false
	return u.build()
}

// product makes a Product of the factors, or the factor itself when there
// is one.
func product(fs ...ast.Expr) ast.Expr {
	switch len(fs) {
	case 0:
		return ast.Int(1)
	case 1:
		return fs[0]
	}
	return &ast.Product{Factors: fs}
}

// sum makes a Sum of the terms, or the term itself when there is one.
func sum(ts ...ast.Expr) ast.Expr {
	switch len(ts) {
	case 0:
		return ast.Int(0)
	case 1:
		return ts[0]
	}
	return &ast.Sum{Terms: ts}
}

func isNumber(e ast.Expr) bool {
	_, ok := e.(*ast.Number)
	return ok
}

func isValue(e ast.Expr, v int64) bool {
	n, ok := e.(*ast.Number)
	return ok && ast.RatIs(n.Value, v)
}

func ratIs(r *big.Rat, v int64) bool { return ast.RatIs(r, v) }

// zeroOf returns the zero of e's shape.
func (c *Context) zeroOf(e ast.Expr) ast.Expr {
	s := c.shape(e)
	if s.IsScalar() {
		return ast.Int(0)
	}
	return &ast.Zero{Shape: s}
}

// isZero reports whether e is a zero (the number 0 or a Zero).
func isZero(e ast.Expr) bool {
	if _, ok := e.(*ast.Zero); ok {
		return true
	}
	return isValue(e, 0)
}

// transpose returns e^T, made by code (the transpose rules push it down).
func transpose(e ast.Expr) ast.Expr { return &ast.Transpose{X: e} }
