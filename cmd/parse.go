package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/matdiff/matdiff/render"
)

func newParse(o *options) *cobra.Command {
	var withShape bool
	c := &cobra.Command{
		Use:   "parse EXPR",
		Short: "Print an expression in canonical form",
		Long: `parse reads and shape-checks EXPR and prints it in canonical form, as the
parser understood it (BAx is B A x). With --shape it also prints the
expression's shape and every variable's kind and shape.`,
		Example: `  matdiff parse 'BAx'
  matdiff parse --shape '||BAx||^2'
  matdiff parse --format latex 'x^T A^-1 x'`,
		Args: exprArg,
		RunE: runE(func(c *cobra.Command, args []string) error {
			t, err := o.parse(c, args[0])
			if err != nil {
				return err
			}
			out := c.OutOrStdout()
			if o.format.value == "json" {
				writeJSON(out, struct {
					Expr      string     `json:"expr"`
					LaTeX     string     `json:"latex"`
					Shape     *jsonShape `json:"shape"`
					Variables jsonVars   `json:"variables"`
					Warnings  []string   `json:"warnings,omitempty"`
				}{render.Text(t.Expr), o.latex(t.Info, t.Expr), exprShape(t.Info, t.Expr), jsonVars{t.Info}, o.warned})
				return nil
			}
			fmt.Fprintln(out, o.render(t.Info, t.Expr))
			if withShape {
				s, err := t.Info.Shape(t.Expr)
				if err != nil {
					return invalid(err, t.Source)
				}
				fmt.Fprintf(out, "shape: %v\n", s)
				for _, n := range t.Info.Order {
					v := t.Info.Vars[n]
					fmt.Fprintf(out, "%s: %s %v\n", o.nameIn(t.Info, n), kindName(v.Kind), v.Shape)
				}
			}
			return nil
		}),
	}
	c.Flags().BoolVar(&withShape, "shape", false, "also print the shape and every variable's kind and shape")
	return c
}
