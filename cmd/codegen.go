package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/matdiff/matdiff/codegen"
)

// codegenOptions are the flags of matdiff codegen.
type codegenOptions struct {
	lang    enum
	wrt     []string
	hessian string
	name    string
}

func newCodegen(o *options) *cobra.Command {
	g := &codegenOptions{lang: newEnum("numpy", codegen.Langs...)}
	c := &cobra.Command{
		Use:   "codegen EXPR",
		Short: "Write a NumPy, PyTorch or C++/Eigen function for the value, gradients and Hessian",
		Long: `codegen prints one self-contained source file with a function that computes
the scalar (or vector) EXPR and its gradients (Jacobians) by the --wrt
variables (default: every variable, in order of first appearance), and with
--hessian x the Hessian by x. The function checks the sizes of its inputs,
computes what the value and the derivatives share once, and multiplies
chains matrix-vector first. --check appends a self-test that compares every
derivative with finite differences (python3 file.py; for C++ compile with
-DMATDIFF_CHECK_MAIN) and exits with status 3 on a mismatch.`,
		Example: `  matdiff codegen '||X w - y||^2 + lambda ||w||^2'
  matdiff codegen --lang torch --wrt W1,W2 '||W2 tanh(W1 x + b1) + b2 - y||^2'
  matdiff codegen --lang eigen --hessian x --check 'x^T A x'`,
		Args: exprArg,
		RunE: runE(func(c *cobra.Command, args []string) error {
			src, err := source(c, args[0])
			if err != nil {
				return err
			}
			var wrt []string
			for _, w := range g.wrt {
				if w = strings.TrimSpace(w); w != "" {
					wrt = append(wrt, w)
				}
			}
			if c.Flags().Changed("wrt") && wrt == nil {
				wrt = []string{} // --wrt '': the value alone
			}
			if !codegen.ValidName(g.name) {
				return usageErrorf("--name %q: the function name must be an identifier that is not a keyword", g.name)
			}
			out, err := codegen.Generate(src, codegen.Options{
				Lang: g.lang.value, Decls: o.decls, Wrt: wrt, Hessian: strings.TrimSpace(g.hessian),
				Name: g.name, Check: o.check, Version: Version,
			})
			if err != nil {
				return invalid(err, src)
			}
			fmt.Fprint(c.OutOrStdout(), out)
			return nil
		}),
	}
	f := c.Flags()
	f.Var(&g.lang, "lang", "target language: numpy, torch or eigen")
	f.StringSliceVar(&g.wrt, "wrt", nil, "the `variables` to differentiate by (comma-separated; default: all; '' for the value alone)")
	f.StringVar(&g.hessian, "hessian", "", "also compute the Hessian by this `variable`")
	f.StringVar(&g.name, "name", "f", "the function's `name`")
	_ = c.RegisterFlagCompletionFunc("lang", g.lang.complete)
	return c
}
