package cmd

import (
	"strings"
	"unicode/utf8"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
)

// stepLine is one line of a derivation in one format: lhs = rhs, and
// what gave it.
type stepLine struct {
	lhs, rhs string
	note     string // the rule, with the node and the adjoint it handed on
	rule     string
}

// explain prints the derivation of d in the chosen format: text and
// Unicode as aligned equations with the rule of each line on its right,
// LaTeX as an align* environment.
// The derivation must have been made before (checkSteps).
func (o *options) explain(t *pipeline.Typed, d *pipeline.Derivative) string {
	x, err := t.Explain(d)
	if err != nil {
		return "limit error: " + err.Error() // checkSteps has said so before
	}
	c := o.config(x.Info)
	lines := o.stepLines(t, x, d.Request, c)
	var b strings.Builder
	if c.Format == render.FormatLaTeX {
		b.WriteString(`\begin{align*}` + "\n")
		for i, l := range lines {
			b.WriteString(l.lhs + ` &= ` + l.rhs)
			if l.rule != "" {
				b.WriteString(` && \text{` + l.rule + `}`)
			}
			if i < len(lines)-1 {
				b.WriteString(` \\`)
			}
			b.WriteString("\n")
		}
		b.WriteString(`\end{align*}`)
		return b.String()
	}
	lw, ew := 0, 0
	for _, l := range lines {
		lw = max(lw, utf8.RuneCountInString(l.lhs))
	}
	for _, l := range lines {
		ew = max(ew, lw+3+utf8.RuneCountInString(l.rhs))
	}
	ew = min(ew, 64)
	for i, l := range lines {
		eq := pad(l.lhs, lw) + " = " + l.rhs
		if l.note != "" {
			eq = pad(eq, ew) + "  [" + l.note + "]"
		}
		b.WriteString(eq)
		if i < len(lines)-1 {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// checkSteps makes the derivation of d when --steps asks for it, so that
// a derivation beyond the limits is an error before anything is printed.
func (o *options) checkSteps(t *pipeline.Typed, d *pipeline.Derivative) error {
	if !o.steps {
		return nil
	}
	_, err := t.Explain(d)
	return err
}

func pad(s string, w int) string {
	if n := utf8.RuneCountInString(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// stepLines prints each line of x with c.
func (o *options) stepLines(t *pipeline.Typed, x *derive.Derivation, req derive.Request, c render.Config) []stepLine {
	name := c.Expr(&ast.Name{Name: x.Name})
	var out []stepLine
	for _, l := range x.Lines {
		s := stepLine{rhs: c.Expr(l.Expr), rule: l.Rule}
		switch l.Side {
		case derive.SideExpr:
			s.lhs = name
		case derive.SideDiff:
			s.lhs = c.Expr(&ast.Call{Func: render.Differential, Args: []ast.Expr{l.Of}})
		case derive.SideGradient:
			first := req
			first.Order, first.Transposed, first.Layout = 1, false, derive.Denominator
			s.lhs = derivativeName(c, t.Info, first, name)
		case derive.SideDerivative:
			s.lhs = derivativeName(c, t.Info, req, name)
		}
		s.note = stepNote(c, l)
		out = append(out, s)
	}
	return out
}

// stepNote says what gave a line: the rule, where it applied and what it
// handed on.
func stepNote(c render.Config, l derive.Line) string {
	switch {
	case l.Rule == "read off":
		if len(l.Simplified) > 0 {
			return "read off, simplified" // the rules are in JSON
		}
		return "read off"
	case l.Rule == "gradient" || l.Rule == "rewrite" || l.Rule == "symmetric-gradient" || l.Rule == "":
		return l.Rule
	case len(l.Hands) > 0:
		var hs []string
		for _, h := range l.Hands {
			if h.Arg != nil {
				hs = append(hs, c.Expr(h.Arg)+" gets "+c.Expr(h.Out))
			}
		}
		if len(hs) == 0 {
			return l.Rule + " on " + c.Expr(l.Node) + ": derivative 0"
		}
		return l.Rule + " on " + c.Expr(l.Node) + ": " + strings.Join(hs, "; ")
	case l.Out == nil && l.Node != nil:
		return l.Rule + " on " + c.Expr(l.Node) + ": derivative 0"
	}
	return l.Rule
}

// derivativeName is the left side ∂E/∂X of a derivative of the expression
// named e, in c's format.
func derivativeName(c render.Config, info *ast.Info, req derive.Request, e string) string {
	x := c.Expr(&ast.Name{Name: req.Wrt})
	scalar := info.Vars[req.Wrt] != nil && info.Vars[req.Wrt].Kind == ast.KindScalar
	switch c.Format {
	case render.FormatLaTeX:
		return fracLaTeX(x, e, req, scalar)
	case render.FormatUnicode:
		switch {
		case req.Order == 2 && scalar:
			return "∂²" + e + "/∂" + x + "²"
		case req.Order == 2:
			return "∂²" + e + "/∂" + x + "∂" + x + "ᵀ"
		case req.Transposed:
			return "∂" + e + "/∂" + x + "ᵀ"
		}
		return "∂" + e + "/∂" + x
	}
	switch {
	case req.Order == 2:
		return "d2" + e + "/d" + x + "2"
	case req.Transposed:
		return "d" + e + "/d" + x + "^T"
	}
	return "d" + e + "/d" + x
}
