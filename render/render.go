// Package render prints expression trees as canonical plain text (which
// the parser reads back to an equal tree), as LaTeX, and as Unicode.
//
// The printer prints the tree as it is given: the order of terms and
// factors is the simplifier's business. The printer owns presentation:
// parentheses, signs, coefficients, trailing divisions, names and symbols.
package render

import (
	"math/big"
	"slices"
	"strings"

	"github.com/matdiff/matdiff/ast"
)

// Format selects the output notation.
type Format int

const (
	// FormatText is the canonical input language: every result reads back.
	FormatText Format = iota
	// FormatLaTeX is math-mode LaTeX that compiles in KaTeX and pdflatex
	// (with amsmath).
	FormatLaTeX
	// FormatUnicode is text with Unicode symbols: ᵀ, ⁻¹, ², ‖·‖, ∘, ⊗, Greek.
	FormatUnicode
)

// Config controls a printer.
type Config struct {
	Format Format
	// Info gives the kinds of names: LaTeX sets vectors and matrices bold
	// and scalars italic. With a nil Info (or a name it lacks) the kind is
	// guessed with ast.DefaultKind.
	Info *ast.Info
	// Plain drops \mathbf and \boldsymbol from LaTeX (--style plain).
	Plain bool
}

// Expr prints e in the configured format.
func (c Config) Expr(e ast.Expr) string {
	p := &printer{Config: c}
	return p.str(p.expr(e))
}

// Text prints e as canonical plain text.
func Text(e ast.Expr) string { return Config{}.Expr(e) }

// LaTeX prints e as LaTeX math; info (may be nil) gives the kinds of names.
func LaTeX(e ast.Expr, info *ast.Info) string {
	return Config{Format: FormatLaTeX, Info: info}.Expr(e)
}

// Unicode prints e with Unicode symbols; info may be nil.
func Unicode(e ast.Expr, info *ast.Info) string {
	return Config{Format: FormatUnicode, Info: info}.Expr(e)
}

// op is the outermost operator of printed text; it decides where the
// enclosing operator needs parentheses.
type op uint8

const (
	opSum      op = iota // a + b
	opProduct            // a b, and -a b (a leading minus on a product)
	opDiv                // a/b (text and Unicode)
	opHadamard           // a .* b
	opElemDiv            // a ./ b
	opKron               // a ⊗ b
	opNeg                // -a
	opPostfix            // a^T, a^2, …
	opFrac               // \frac{a}{b}: an atom, but not the base of a power
	opAtom               // names, numbers, groups, norms, calls
)

// prec returns the ast precedence level of o.
func (o op) prec() int {
	switch o {
	case opSum:
		return ast.PrecSum
	case opProduct, opDiv, opHadamard, opElemDiv, opKron:
		return ast.PrecProduct
	case opNeg:
		return ast.PrecUnary
	case opPostfix:
		return ast.PrecPostfix
	}
	return ast.PrecAtom
}

// piece is printed text with its outermost operator (see rope).
type piece = *rope

type printer struct {
	Config
	norms   int                  // depth of enclosing norm bars (text and Unicode)
	guessed map[ast.Expr][2]bool // guess's guesses, by node
	store                        // where the pieces are
}

func (p *printer) latex() bool { return p.Format == FormatLaTeX }

// paren wraps x in parentheses.
func (p *printer) paren(x piece) piece {
	if p.latex() {
		return p.pc(opAtom, `\left( `, x, ` \right)`)
	}
	return p.pc(opAtom, "(", x, ")")
}

// parenIf wraps x when cond holds.
func (p *printer) parenIf(x piece, cond bool) piece {
	if cond {
		return p.paren(x)
	}
	return x
}

func (p *printer) expr(e ast.Expr) piece {
	switch e := e.(type) {
	case *ast.Number:
		return p.number(e.Value, e.Decimal)
	case *ast.Name:
		return p.leaf(opAtom, p.name(e.Name))
	case *ast.Pi:
		switch p.Format {
		case FormatLaTeX:
			return p.pc(opAtom, `\pi`)
		case FormatUnicode:
			return p.pc(opAtom, "π")
		}
		return p.pc(opAtom, "pi")
	case *ast.Identity:
		return p.identity(e)
	case *ast.Ones:
		return p.pc(opAtom, p.bold("1"))
	case *ast.Zero:
		return p.pc(opAtom, p.bold("0"))
	case *ast.Dimension:
		return p.dimension(e)
	case *ast.Comm:
		return p.comm(e)
	case *ast.Sum:
		return p.sum(e)
	case *ast.Product:
		return p.product(e)
	case *ast.Hadamard:
		return p.binary(e.X, e.Y, opHadamard)
	case *ast.ElemDiv:
		return p.binary(e.X, e.Y, opElemDiv)
	case *ast.Div:
		return p.div(e)
	case *ast.Kron:
		return p.binary(e.X, e.Y, opKron)
	case *ast.Neg:
		return p.neg(e)
	case *ast.Transpose:
		if inv, ok := soleFactor(e.X).(*ast.Inverse); ok {
			return p.postfix(inv.X, p.invT())
		}
		// A product of numbers is its own transpose: (1 1)^T prints as 1,
		// since 1^T would read back as the ones row (a lone 1^T is that
		// row as read).
		if q, ok := e.X.(*ast.Product); ok && numeric(q) {
			return p.expr(soleNumber(q))
		}
		return p.postfix(e.X, p.transposeMark())
	case *ast.Inverse:
		// X^-T reads back as Transpose{Inverse{X}}; (X^-1)^-T for
		// Inverse{Transpose{Inverse{X}}} would read back as a different
		// tree, so that one prints as (X^-T)^-1.
		if tr, ok := soleFactor(e.X).(*ast.Transpose); ok {
			if _, inv := tr.X.(*ast.Inverse); !inv {
				return p.postfix(tr.X, p.invT())
			}
		}
		// (B^T A^T)^-1 prints as (A B)^-T, which reads back as its
		// transpose's inverse and prints the same.
		if q, ok := untransposedProduct(e.X); ok {
			return p.postfix(q, p.invT())
		}
		return p.postfix(e.X, p.power(big.NewRat(-1, 1)))
	case *ast.Power:
		if _, num := e.X.(*ast.Number); !num && isReciprocal(p, e) {
			// A lone negative power of a scalar is a division: 1/alpha.
			return p.product(&ast.Product{Factors: []ast.Expr{e}})
		}
		return p.postfix(e.X, p.power(e.Exp))
	case *ast.ElemPower:
		return p.postfix(e.X, p.elemPower(e.Exp))
	case *ast.Norm:
		return p.norm(e)
	case *ast.Call:
		return p.call(e)
	}
	panic("render: unexpected node type")
}

// untransposedProduct returns A B for the product B^T A^T whose every
// factor is a transpose (A^-T, either tree of it, counts as (A^-1)^T), and
// false for any other expression.
func untransposedProduct(e ast.Expr) (*ast.Product, bool) {
	q, ok := e.(*ast.Product)
	if !ok || len(q.Factors) < 2 {
		return nil, false
	}
	fs := make([]ast.Expr, len(q.Factors))
	for i, f := range q.Factors {
		switch x := f.(type) {
		case *ast.Transpose:
			fs[len(fs)-1-i] = x.X
		case *ast.Inverse:
			// (Y^T)^-1, which prints as Y^-T, as it reads back.
			tr, ok := x.X.(*ast.Transpose)
			if !ok {
				return nil, false
			}
			if _, inv := tr.X.(*ast.Inverse); inv {
				return nil, false
			}
			fs[len(fs)-1-i] = &ast.Inverse{At: x.At, X: tr.X}
		default:
			return nil, false
		}
	}
	return &ast.Product{Factors: fs}, true
}

// isReciprocal reports whether the product printer writes e as 1/… .
func isReciprocal(p *printer, e ast.Expr) bool {
	_, _, ok := p.reciprocal(e)
	return ok
}

// bold prints a vector or matrix constant such as 1, 0 or I.
func (p *printer) bold(s string) string {
	if p.latex() && !p.Plain {
		return `\mathbf{` + s + `}`
	}
	return s
}

func (p *printer) identity(e *ast.Identity) piece {
	if e.Of == nil {
		return p.pc(opAtom, p.bold("I"))
	}
	d := p.dimension(e.Of)
	if p.latex() {
		return p.pc(opAtom, p.bold("I")+`_{`, d, `}`)
	}
	return p.pc(opAtom, "eye(", d, ")")
}

// comm prints the commutation matrix: comm(rows(X), cols(X)), in LaTeX
// \mathbf{K}_{m,n} with the sizes spelled out.
func (p *printer) comm(e *ast.Comm) piece {
	m, n := p.dimension(e.M), p.dimension(e.N)
	if p.latex() {
		return p.pc(opAtom, p.bold("K")+`_{`, m, `,`, n, `}`)
	}
	return p.pc(opAtom, "comm(", m, ", ", n, ")")
}

func (p *printer) dimension(e *ast.Dimension) piece {
	f := "rows"
	if e.Cols {
		f = "cols"
	}
	sp := p.spelling(f)
	return p.leaf(opAtom, sp.Open+p.name(e.X.Name)+sp.Close)
}

func (p *printer) sum(e *ast.Sum) piece {
	if len(e.Terms) == 0 {
		return p.pc(opAtom, "0")
	}
	// The terms are printed first, then joined: one rope is built at a
	// time. A short sum keeps its lists on the stack.
	var buf [4]piece
	var minusBuf [4]bool
	xs, minus := buf[:0], minusBuf[:0]
	if len(e.Terms) > len(buf) {
		xs, minus = make([]piece, 0, len(e.Terms)), make([]bool, 0, len(e.Terms))
	}
	for i, t := range e.Terms {
		if i == 0 {
			// A leading sum reads back left-associatively.
			xs, minus = append(xs, p.expr(t)), append(minus, false)
			continue
		}
		// A negative factor whose other factors print as nothing is the
		// term's sign: x + 1 (-y) and x + (-y) 1^-2 print as x - y, as
		// they read back.
		if u := soleFactor(t); isNeg(u) {
			t = u
		}
		var x piece
		neg := isNeg(t)
		if neg {
			x = p.unsigned(t)
		} else {
			x = p.expr(t)
		}
		xs, minus = append(xs, p.parenIf(x, x.op == opSum || x.neg)), append(minus, neg)
	}
	p.start()
	for i, x := range xs {
		switch {
		case i == 0:
			p.add("", x)
		case minus[i]:
			p.add(" - ", x)
		default:
			p.add(" + ", x)
		}
	}
	return p.done(opSum, xs[0].neg)
}

// neg prints -X; see negate.
func (p *printer) neg(e *ast.Neg) piece { return p.negate(p.expr(e.X)) }

// binary prints the elementwise and Kronecker operators, left-associative.
// An operand that is another product-level operation is parenthesised
// unless it is the same operator on the left.
func (p *printer) binary(x, y ast.Expr, o op) piece {
	l, r := p.expr(coefficientGroup(x, o)), p.expr(y)
	// -x .* y reads as -(x .* y): a left operand with a minus is
	// parenthesised.
	l = p.parenIf(l, l.op.prec() < ast.PrecProduct || l.neg ||
		(l.op.prec() == ast.PrecProduct && l.op != o && !(o == opKron && l.op == opProduct && hasCoefficient(x))))
	r = p.parenIf(r, r.op.prec() < ast.PrecPostfix)
	return p.pc(o, l, p.binaryToken(o), r)
}

// hasCoefficient reports whether e is a product with a numeric
// coefficient that prints (not 1). As the left operand of ⊗ it is not
// parenthesised: 2 A ⊗ B reads as (2 A) ⊗ B, and 2 (A ⊗ B) prints so too
// (product.go), which is the same; both print alike and read back alike.
func hasCoefficient(e ast.Expr) bool {
	p, ok := e.(*ast.Product)
	if !ok || len(p.Factors) < 2 {
		return false
	}
	// The first factor that prints is a number (2 A, (1 2) A, 1 2 A), and
	// another follows it.
	for i, f := range p.Factors {
		if !isUnit(f) {
			return numeric(f) && i < len(p.Factors)-1
		}
	}
	return false
}

// soleFactor is the one factor of a product whose other factors print as
// nothing, the ones (1, 1.0, inv(1), (1 1)), so that (1 T^-1)^T prints as
// T^-T, as it reads back; any other expression is itself.
func soleFactor(e ast.Expr) ast.Expr {
	for {
		p, ok := e.(*ast.Product)
		if !ok {
			return e
		}
		var sole ast.Expr
		for _, f := range p.Factors {
			if isUnit(f) {
				continue
			}
			if sole != nil {
				return e
			}
			sole = f
		}
		if sole == nil {
			return e
		}
		e = sole
	}
}

// isUnit reports whether e is the number 1 written as a product, an
// inverse or a power of ones.
func isUnit(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Number:
		return ast.RatIs(x.Value, 1)
	case *ast.Inverse:
		return isUnit(x.X)
	case *ast.Power:
		return isUnit(x.X)
	case *ast.Transpose:
		_, product := x.X.(*ast.Product) // (1 1)^T; 1^T is the ones row
		return product && isUnit(x.X)
	case *ast.Product:
		for _, f := range x.Factors {
			if !isUnit(f) {
				return false
			}
		}
		return true
	}
	return false
}

// coefficientGroup writes the left operand of ⊗ that is a coefficient
// times a product of several factors as the coefficient times that
// product, which prints in parentheses: 2 (x x^T) ⊗ I, as 2 ((x x^T) ⊗ I)
// prints too (product.go), so that both read back as one text. Any other
// operand is itself.
func coefficientGroup(x ast.Expr, o op) ast.Expr {
	if o != opKron || !hasCoefficient(x) {
		return x
	}
	fs := x.(*ast.Product).Factors
	n := 0
	for n < len(fs) && numeric(fs[n]) {
		n++
	}
	if len(fs)-n < 2 {
		return x
	}
	return &ast.Product{Factors: append(slices.Clip(fs[:n]), &ast.Product{Factors: fs[n:]})}
}

func (p *printer) binaryToken(o op) string {
	switch {
	case o == opHadamard && p.latex():
		return ` \circ `
	case o == opHadamard && p.Format == FormatUnicode:
		return " ∘ "
	case o == opHadamard:
		return " .* "
	case o == opElemDiv && p.latex():
		return ` \oslash `
	case o == opElemDiv:
		return " ./ "
	case o == opKron && p.latex():
		return ` \otimes `
	}
	return " ⊗ "
}

// postfix prints x followed by a postfix mark (^T, ^-1, ^2, …). Any
// operand but an atom is parenthesised, so marks never stack: (A^T)^2.
func (p *printer) postfix(x ast.Expr, mark string) piece {
	if n, ok := x.(*ast.Name); ok {
		// What the general case prints, without a piece for the name.
		name := p.name(n.Name)
		p.start()
		p.add(name, nil)
		p.add(mark, nil)
		return p.done(opPostfix, strings.HasPrefix(name, "-"))
	}
	b := p.expr(x)
	b = p.parenIf(b, b.op != opAtom)
	return p.pc(opPostfix, b, mark)
}

func (p *printer) transposeMark() string {
	switch p.Format {
	case FormatLaTeX:
		return `^\top`
	case FormatUnicode:
		return "ᵀ"
	}
	return "^T"
}

func (p *printer) invT() string {
	switch p.Format {
	case FormatLaTeX:
		return `^{-\top}`
	case FormatUnicode:
		return "⁻ᵀ"
	}
	return "^-T"
}

// norm prints ||e||, ||e||_F and ||e||_1. In text and Unicode, a norm
// inside another norm prints as norm(e) (Euclidean) or in parentheses
// (||e||_F, ||e||_1), so that the bars read back unambiguously.
func (p *printer) norm(e *ast.Norm) piece {
	p.norms++
	x := p.expr(e.X)
	p.norms--
	sub := ""
	switch e.Kind {
	case ast.NormFrobenius:
		sub = "_F"
	case ast.NormOne:
		sub = "_1"
	case ast.NormTwo:
		sub = "_2"
	}
	switch {
	case p.latex():
		return p.pc(opAtom, `\left\| `, x, ` \right\|`+sub)
	case p.norms > 0 && e.Kind == ast.NormEuclid:
		return p.pc(opAtom, "norm(", x, ")")
	}
	bar := "||"
	if p.Format == FormatUnicode {
		bar = "‖"
	}
	s := p.pc(opAtom, bar, x, bar+sub)
	return p.parenIf(s, p.norms > 0)
}

func (p *printer) call(e *ast.Call) piece {
	if e.Func == Differential && len(e.Args) == 1 {
		return p.differential(e.Args[0])
	}
	var parts []any
	for i, a := range e.Args {
		if i > 0 {
			parts = append(parts, ", ")
		}
		parts = append(parts, p.expr(a))
	}
	arg := p.pc(opAtom, parts...)
	sp := p.spelling(e.Func)
	return p.pc(opAtom, sp.Open, arg, sp.Close)
}

// spelling is how the function prints in the printer's format, from the
// function registry; a name it lacks prints as name(…).
func (p *printer) spelling(name string) ast.Spelling {
	f, ok := ast.Funcs[name]
	switch {
	case !ok && p.latex():
		return ast.Spelling{Open: `\operatorname{` + name + `}\left( `, Close: ` \right)`}
	case !ok:
		return ast.Spelling{Open: name + "(", Close: ")"}
	case p.latex():
		return f.LaTeX
	case p.Format == FormatUnicode:
		return f.Unicode
	}
	return f.Text
}
