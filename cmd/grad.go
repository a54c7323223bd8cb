package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
)

func newGrad(o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "grad EXPR",
		Short: "Print the gradient of a scalar expression by every variable",
		Long: `grad differentiates the scalar EXPR by each of its variables, in order of
first appearance, and prints one line d/dX = R per variable (with
--format latex, \frac{\partial E}{\partial X} = R).`,
		Example: `  matdiff grad '||BAx||^2'
  matdiff grad --format json 'x^T A x'`,
		Args: exprArg,
		RunE: runE(func(c *cobra.Command, args []string) error {
			t, err := o.parse(c, args[0])
			if err != nil {
				return err
			}
			s, err := t.Info.Shape(t.Expr)
			if err != nil {
				return invalid(err, t.Source)
			}
			if !s.IsScalar() {
				return invalid(ast.Errorf(t.Expr.Pos(), "shape", "grad needs a scalar expression, and this one is %v; use d/dX for a Jacobian", s), t.Source)
			}
			if len(t.Info.Order) == 0 {
				o.warn(c, "the expression has no variables; there is no gradient to print")
			}
			if err := t.CheckEvery(); err != nil {
				return invalid(err, t.Source)
			}
			var ds []*pipeline.Derivative
			var reps []*checkReport
			for _, name := range t.Info.Order {
				d, err := t.Derive(derive.Request{Wrt: name, Order: 1, Layout: o.derivLayout()})
				if err == nil {
					err = o.checkSteps(t, d)
				}
				if err != nil {
					return invalid(err, t.Source)
				}
				for _, msg := range d.Warnings {
					o.warn(c, msg)
				}
				ds = append(ds, d)
				if o.check {
					rep, err := o.runCheck(t, d)
					if err != nil {
						return err
					}
					reps = append(reps, rep)
				}
			}
			out := c.OutOrStdout()
			if o.format.value == "json" {
				type jsonResult struct {
					Wrt         string      `json:"wrt"`
					Result      string      `json:"result"`
					LaTeX       string      `json:"latex"`
					Shape       *jsonShape  `json:"shape"`
					Temporaries *[]jsonTemp `json:"temporaries,omitempty"`
					Steps       []jsonStep  `json:"steps,omitempty"`
					Check       *jsonCheck  `json:"check,omitempty"`
				}
				j := struct {
					Expr      string       `json:"expr"`
					Shape     *jsonShape   `json:"shape"`
					Variables jsonVars     `json:"variables"`
					Results   []jsonResult `json:"results"`
					Warnings  []string     `json:"warnings,omitempty"`
				}{render.Text(t.Expr), shapeJSON(s), jsonVars{t.Info}, []jsonResult{}, nil}
				for i, d := range ds {
					sh := o.show(t.Info, d.Result)
					r := jsonResult{Wrt: d.Request.Wrt, Result: render.Text(sh.root), LaTeX: o.latex(sh.info, sh.root), Shape: exprShape(t.Info, d.Result), Temporaries: o.tempsJSON(sh)}
					if o.steps {
						r.Steps = o.stepsJSON(t, d)
					}
					if reps != nil {
						r.Check = reps[i].json()
					}
					j.Results = append(j.Results, r)
				}
				j.Warnings = o.warned
				writeJSON(out, j)
			} else {
				for i, d := range ds {
					sh := o.show(t.Info, d.Result)
					switch {
					case o.steps:
						if i > 0 {
							fmt.Fprintln(out)
						}
						fmt.Fprintln(out, o.explain(t, d))
					case o.format.value == "latex":
						fmt.Fprintln(out, o.equationLine(t, d.Request, o.render(sh.info, sh.root)))
					default:
						fmt.Fprintf(out, "d/d%s = %s\n", o.nameIn(t.Info, d.Request.Wrt), o.render(sh.info, sh.root))
					}
					if !o.steps {
						fmt.Fprint(out, o.where(sh))
					}
				}
				for i, rep := range reps {
					fmt.Fprintf(out, "d/d%s: %s\n", o.nameIn(t.Info, ds[i].Request.Wrt), rep.String())
				}
			}
			for _, rep := range reps {
				if err := rep.err(); err != nil {
					return err
				}
			}
			return nil
		}),
	}
}
