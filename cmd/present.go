package cmd

import (
	"strings"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/cse"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
)

// shown is a result as printed: with --cse, the root with its repeated
// subexpressions named, the temporaries, and the info that knows them.
type shown struct {
	root  ast.Expr
	temps []cse.Temp
	info  *ast.Info
}

// show prepares e for printing, extracting temporaries with --cse.
func (o *options) show(info *ast.Info, e ast.Expr) shown {
	if !o.cse {
		return shown{root: e, info: info}
	}
	root, temps, in := cse.Extract(e, info)
	return shown{root: root, temps: temps, info: in}
}

// where prints the temporaries' lines after a result: "  where t0 = …"
// (\text{where } \mathbf{t}_{0} = … in LaTeX), one per temporary.
func (o *options) where(s shown) string {
	var b strings.Builder
	for _, t := range s.temps {
		name, def := o.render(s.info, &ast.Name{Name: t.Name}), o.render(s.info, t.Expr)
		if o.format.value == "latex" {
			b.WriteString(`\text{where } ` + name + " = " + def + "\n")
		} else {
			b.WriteString("  where " + name + " = " + def + "\n")
		}
	}
	return b.String()
}

type jsonTemp struct {
	Name  string `json:"name"`
	Expr  string `json:"expr"`
	LaTeX string `json:"latex"`
}

// tempsJSON lists the temporaries for JSON: nil without --cse (no key),
// an empty list when nothing repeats.
func (o *options) tempsJSON(s shown) *[]jsonTemp {
	if !o.cse {
		return nil
	}
	out := []jsonTemp{}
	for _, t := range s.temps {
		out = append(out, jsonTemp{t.Name, render.Text(t.Expr), o.latex(s.info, t.Expr)})
	}
	return &out
}

type jsonStep struct {
	Rule    string `json:"rule"`
	Expr    string `json:"expr"`
	LaTeX   string `json:"latex"`
	Node    string `json:"node,omitempty"`
	Operand string `json:"operand,omitempty"`
	Adjoint string `json:"adjoint,omitempty"`
	// Handed is, for a rule that handed adjoints to several operands on
	// one line, each operand with its adjoint.
	Handed []jsonHand `json:"handed,omitempty"`
	// Jacobian is, for a forward step, the derivative of the node.
	Jacobian string `json:"jacobian,omitempty"`
	// Simplified lists, on the last line, the simplifier's rules that
	// tidied the result.
	Simplified []string `json:"simplified,omitempty"`
}

type jsonHand struct {
	Operand string `json:"operand"`
	Adjoint string `json:"adjoint"`
}

// stepsJSON is the derivation of d, one object per line: the rule, the
// line as text (lhs = rhs) and as LaTeX, and for an engine step the node,
// the operand and what was handed to it.
func (o *options) stepsJSON(t *pipeline.Typed, d *pipeline.Derivative) []jsonStep {
	x, err := t.Explain(d)
	if err != nil {
		return nil // checkSteps has said so before
	}
	text := o.stepLines(t, x, d.Request, render.Config{Info: x.Info})
	latex := o.stepLines(t, x, d.Request, render.Config{Format: render.FormatLaTeX, Info: x.Info, Plain: o.style.value == "plain"})
	var out []jsonStep
	lhs, lhsLaTeX := "", ""
	for i, l := range x.Lines {
		if text[i].lhs != "" {
			lhs, lhsLaTeX = text[i].lhs, latex[i].lhs
		}
		s := jsonStep{Rule: l.Rule, Expr: lhs + " = " + text[i].rhs, LaTeX: lhsLaTeX + " = " + latex[i].rhs, Simplified: l.Simplified}
		if l.Node != nil && l.Rule != "gradient" {
			s.Node = render.Text(l.Node)
			switch {
			case l.Arg != nil:
				s.Operand = render.Text(l.Arg)
				s.Adjoint = render.Text(l.Out)
			case len(l.Hands) > 1:
				for _, h := range l.Hands {
					s.Handed = append(s.Handed, jsonHand{render.Text(h.Arg), render.Text(h.Out)})
				}
			case l.Side == derive.SideDiff && l.Out != nil:
				s.Jacobian = render.Text(l.Out)
			}
		}
		out = append(out, s)
	}
	return out
}
