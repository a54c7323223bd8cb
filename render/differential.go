package render

import (
	"unicode/utf8"

	"github.com/matdiff/matdiff/ast"
)

// Differential names the function that stands for a differential in the
// lines of a derivation: Call{Func: Differential, Args: {X}} prints as dX
// or d(B A x), and as \mathrm{d}\mathbf{X} in LaTeX. The input language has
// no such function, so it never comes from the parser.
const Differential = "d"

// differential prints d of x: a name directly after the d when it cannot
// be misread (one letter in text, any name in LaTeX and Unicode), anything
// else in parentheses.
func (p *printer) differential(x ast.Expr) piece {
	d := "d"
	if p.latex() {
		d = `\,\mathrm{d}`
	}
	if n, ok := x.(*ast.Name); ok {
		base, _ := splitName(n.Name)
		if p.Format != FormatText || utf8.RuneCountInString(base) == 1 {
			return p.leaf(opAtom, d+p.name(n.Name))
		}
	}
	return p.pc(opAtom, d, p.paren(p.expr(x)))
}
