package render

import (
	"math/big"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/matdiff/matdiff/ast"
)

// number prints a constant: an integer, a decimal when it came from a
// decimal literal and terminates, otherwise a fraction p/q (\frac{p}{q}).
func (p *printer) number(v *big.Rat, decimal bool) piece {
	if v.Sign() < 0 {
		x := p.number(new(big.Rat).Neg(v), decimal)
		if x.op == opDiv {
			return p.pc(opDiv, "-", x)
		}
		return p.pc(opNeg, "-", x)
	}
	if decimal {
		if x, ok := p.decimalPiece(v); ok {
			return x
		}
	}
	if v.IsInt() {
		return p.leaf(opAtom, intString(v.Num()))
	}
	if p.latex() {
		return p.pc(opFrac, `\frac{`+v.Num().String()+`}{`+v.Denom().String()+`}`)
	}
	return p.pc(opDiv, v.RatString())
}

// intString prints the integer n in decimal.
func intString(n *big.Int) string {
	if n.IsInt64() {
		return strconv.FormatInt(n.Int64(), 10)
	}
	return n.String()
}

// decimalPiece prints v, not negative, a number that came from a decimal
// literal, in decimal notation when it terminates: with an exponent when
// it is below 1e-4 or from 1e6 on (1e-8, 2.5e-6, 1e14; in LaTeX 10^{-8},
// 2.5 \cdot 10^{-6}), as a reader writes such numbers.
func (p *printer) decimalPiece(v *big.Rat) (piece, bool) {
	s, ok := decimalString(v)
	if !ok {
		return nil, false
	}
	mant, exp, ok := scientific(s)
	switch {
	case !ok:
		return p.leaf(opAtom, s), true
	case !p.latex():
		return p.leaf(opAtom, mant+"e"+exp), true
	case mant == "1":
		return p.pc(opPostfix, "10^{"+exp+"}"), true
	}
	return p.pc(opProduct, mant+` \cdot 10^{`+exp+"}"), true
}

// scientific writes the decimal s (digits and at most one point) as a
// mantissa with one digit before its point and a power of ten, when the
// power is below -4 or 6 and more: 0.0000025 is 2.5 and -6.
func scientific(s string) (mant, exp string, ok bool) {
	whole, frac, _ := strings.Cut(s, ".")
	digits := whole + frac
	lead := strings.IndexFunc(digits, func(r rune) bool { return r != '0' })
	if lead < 0 {
		return "", "", false // zero
	}
	e := len(whole) - lead - 1
	if e >= -4 && e < 6 {
		return "", "", false
	}
	sig := strings.TrimRight(digits[lead:], "0")
	mant = sig[:1]
	if len(sig) > 1 {
		mant += "." + sig[1:]
	}
	return mant, strconv.Itoa(e), true
}

// decimalString prints v in decimal notation when it terminates.
func decimalString(v *big.Rat) (string, bool) {
	d := new(big.Int).Set(v.Denom())
	twos, fives := 0, 0
	two, five := big.NewInt(2), big.NewInt(5)
	m := new(big.Int)
	for {
		if m.Mod(d, two).Sign() == 0 {
			d.Quo(d, two)
			twos++
			continue
		}
		if m.Mod(d, five).Sign() == 0 {
			d.Quo(d, five)
			fives++
			continue
		}
		break
	}
	if d.Cmp(big.NewInt(1)) != 0 {
		return "", false
	}
	return v.FloatString(max(twos, fives)), true
}

// superscript is the superscript form of a digit or a minus sign (0 for
// any other rune).
func superscript(r rune) rune {
	switch {
	case r >= '4' && r <= '9':
		return '⁴' + (r - '4')
	case r == '0':
		return '⁰'
	case r == '1':
		return '¹'
	case r == '2':
		return '²'
	case r == '3':
		return '³'
	case r == '-':
		return '⁻'
	}
	return 0
}

// power prints the mark of x^k: ^2, ^-1, ^(1/2); ^2, ^{-1}, ^{10} in LaTeX
// (braces unless the exponent is one digit); ² ⁻¹ in Unicode (a fractional
// exponent stays ^(1/2)).
func (p *printer) power(k *big.Rat) string {
	s := k.RatString()
	switch {
	case p.latex() && len(s) == 1:
		return "^" + s
	case p.latex():
		return "^{" + s + "}"
	case !k.IsInt():
		return "^(" + s + ")"
	case p.Format == FormatUnicode:
		return strings.Map(superscript, s)
	}
	return "^" + s
}

// elemPower prints the mark of x.^k: .^2, .^(1/2); ^{\circ 2} in LaTeX.
func (p *printer) elemPower(k *big.Rat) string {
	s := k.RatString()
	switch {
	case p.latex():
		return `^{\circ ` + s + "}"
	case !k.IsInt():
		return ".^(" + s + ")"
	}
	return ".^" + s
}

// name prints a variable name in the configured format.
func (p *printer) name(n string) string {
	switch p.Format {
	case FormatLaTeX:
		return LaTeXName(n, p.Info, p.Plain)
	case FormatUnicode:
		return unicodeName(n)
	}
	return n
}

// splitName splits a name into its base and subscript: x_k is x and k,
// W1 is W and 1 (a trailing digit run is a subscript), alpha is alpha and "".
func splitName(n string) (base, sub string) {
	if i := strings.IndexByte(n, '_'); i > 0 {
		return n[:i], n[i+1:]
	}
	j := len(n)
	for j > 0 && n[j-1] >= '0' && n[j-1] <= '9' {
		j--
	}
	if j > 0 {
		return n[:j], n[j:]
	}
	return n, ""
}

// unicodeName writes a Greek name as its letter: alpha is α, Sigma is Σ,
// alpha_1 is α_1.
func unicodeName(n string) string {
	base, _ := splitName(n)
	if g, ok := ast.Greek[base]; ok {
		return g + n[len(base):]
	}
	if g, ok := ast.CapitalGreek[base]; ok {
		return g + n[len(base):]
	}
	return n
}

// greekCommands maps Greek letters (as names or as Unicode letters) to
// their LaTeX commands; it is made the first time LaTeX is printed, not
// at start-up.
var greekCommands = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for name, letter := range ast.Greek {
		m[name] = `\` + name
		m[letter] = `\` + name
	}
	for name, letter := range ast.CapitalGreek {
		m[name] = `\` + name
		m[letter] = `\` + name
	}
	// LaTeX has no \omicron: the letter looks like a Latin o.
	m["omicron"], m[ast.Greek["omicron"]] = "o", "o"
	return m
})

// LaTeXName prints a variable name as LaTeX. Vectors and matrices (by
// info, or guessed with ast.DefaultKind when info is nil or lacks the name)
// are bold, \mathbf{A} or \boldsymbol{\mu}, unless plain is set; scalars
// are italic. Greek names and letters become commands (alpha and α are
// \alpha). The subscript after _ and a trailing digit run print as a
// subscript: x_k is \mathbf{x}_{k}, W1 is \mathbf{W}_{1}, W_out is
// \mathbf{W}_{\mathrm{out}}.
func LaTeXName(name string, info *ast.Info, plain bool) string {
	kind := ast.DefaultKind(name)
	if info != nil {
		if v := info.Vars[name]; v != nil {
			kind = v.Kind
		}
	}
	base, sub := splitName(name)
	s, greek := greekCommands()[base]
	switch {
	case greek:
	case len([]rune(base)) == 1:
		s = base
	case kind == ast.KindScalar || plain:
		s = `\mathit{` + base + `}`
	default:
		s = base // set bold below
	}
	if kind != ast.KindScalar && !plain {
		if greek {
			s = `\boldsymbol{` + s + `}`
		} else {
			s = `\mathbf{` + base + `}`
		}
	}
	if sub == "" {
		return s
	}
	return s + "_{" + latexSubscript(sub) + "}"
}

func latexSubscript(sub string) string {
	if g, ok := greekCommands()[sub]; ok {
		return g
	}
	letters := len(sub) > 1
	for _, r := range sub {
		if !unicode.IsLetter(r) {
			letters = false
		}
	}
	if letters {
		return `\mathrm{` + sub + `}`
	}
	return sub
}
