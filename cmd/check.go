package cmd

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newCheck(o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "check d/dX EXPR",
		Short: "Check a derivative numerically against finite differences",
		Long: `check differentiates EXPR as d/dX says and compares the result, at random
instances (--draws, --seed), with central finite differences along random
directions (symmetric ones for a symmetric variable). It prints
"max relative error E over N draws: ok" or the same with MISMATCH, and then
exits with status 3. The relative error is |tr(G^T E) - fd| / max(1, |fd|)
and must not exceed --tol.`,
		Example: `  matdiff check d/dA '||BAx||^2'
  matdiff check d2/dx2 'x^T A x' --draws 10`,
		Args: func(c *cobra.Command, args []string) error {
			switch len(args) {
			case 0, 1:
				return usageErrorf("missing arguments; usage: matdiff check d/dX EXPR")
			case 2:
				_, err := parseWrt(args[0])
				return err
			}
			return usageErrorf("too many arguments (%d): expected d/dX EXPR; quote the expression", len(args))
		},
		RunE: runE(func(c *cobra.Command, args []string) error {
			t, d, err := o.derivative(c, args[0], args[1])
			if err != nil {
				return err
			}
			rep, err := o.runCheck(t, d)
			if err != nil {
				return err
			}
			out := c.OutOrStdout()
			if o.format.value == "json" {
				j := o.derivativeJSON(t, d)
				j.Check = rep.json()
				j.Warnings = o.warned
				writeJSON(out, j)
			} else if rep == nil {
				fmt.Fprintf(out, "nothing to check: %s does not occur in the expression\n", d.Request.Wrt)
			} else {
				fmt.Fprintln(out, rep.String())
			}
			return rep.err()
		}),
	}
}
