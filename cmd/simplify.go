package cmd

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/matdiff/matdiff/render"
	"github.com/matdiff/matdiff/simplify"
)

func newSimplify(o *options) *cobra.Command {
	var trace bool
	c := &cobra.Command{
		Use:   "simplify EXPR",
		Short: "Print the simplified canonical form of an expression",
		Long: `simplify rewrites EXPR to its canonical form with the same rules that
tidy derivatives. With --trace it first prints every rule applied, one line
each: rule-name: before => after.`,
		Example: `  matdiff simplify 'A^T^T x + x'
  matdiff simplify --trace '(A B)^T'
  matdiff simplify --sym S -- "$(matdiff d/dx 'x^T S x' --sym S)"`,
		Args: exprArg,
		RunE: runE(func(c *cobra.Command, args []string) error {
			t, err := o.parse(c, args[0])
			if err != nil {
				return err
			}
			var steps []simplify.Step
			var record func(simplify.Step)
			if trace {
				record = func(s simplify.Step) { steps = append(steps, s) }
			}
			result, err := t.Canonical(record)
			if errors.Is(err, simplify.ErrCycle) {
				o.warn(c, fmt.Sprintf("%v; printing the form reached", err))
			} else if err != nil {
				return invalid(err, t.Source)
			}
			out := c.OutOrStdout()
			if o.format.value == "json" {
				type jsonStep struct {
					Rule   string `json:"rule"`
					Before string `json:"before"`
					After  string `json:"after"`
				}
				sh := o.show(t.Info, result)
				j := struct {
					Expr        string      `json:"expr"`
					Result      string      `json:"result"`
					LaTeX       string      `json:"latex"`
					Shape       *jsonShape  `json:"shape"`
					Variables   jsonVars    `json:"variables"`
					Temporaries *[]jsonTemp `json:"temporaries,omitempty"`
					Steps       []jsonStep  `json:"steps,omitempty"`
					Warnings    []string    `json:"warnings,omitempty"`
				}{render.Text(t.Expr), render.Text(sh.root), o.latex(sh.info, sh.root), exprShape(t.Info, result), jsonVars{t.Info}, o.tempsJSON(sh), nil, o.warned}
				for _, s := range steps {
					j.Steps = append(j.Steps, jsonStep{s.Rule, render.Text(s.Before), render.Text(s.After)})
				}
				if trace && j.Steps == nil {
					j.Steps = []jsonStep{}
				}
				writeJSON(out, j)
				return nil
			}
			arrow := " => "
			switch o.format.value {
			case "latex":
				arrow = ` \Rightarrow `
			case "unicode":
				arrow = " ⇒ "
			}
			for _, s := range steps {
				fmt.Fprintf(out, "%s: %s%s%s\n", s.Rule, o.render(t.Info, s.Before), arrow, o.render(t.Info, s.After))
			}
			sh := o.show(t.Info, result)
			fmt.Fprintln(out, o.render(sh.info, sh.root))
			fmt.Fprint(out, o.where(sh))
			return nil
		}),
	}
	c.Flags().BoolVar(&trace, "trace", false, "print each rule applied: rule-name: before => after")
	return c
}
