// Package cmd is matdiff's command line: the root command differentiates
// (`matdiff d/dX EXPR`), and the subcommands parse, simplify, grad, check
// and version each live in a file of their own. Commands return errors;
// Execute prints an error once and Code maps it to the exit status.
package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/parser"
)

// Version is matdiff's version, set at build time with
// -ldflags "-X github.com/matdiff/matdiff/cmd.Version=v1.2.3".
var Version = "dev"

// Execute runs matdiff with the process's arguments and standard streams.
// It prints an error once and returns it; Code gives the exit status.
func Execute() error {
	return execute(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}

// Run runs matdiff with args (without the program name) on the given
// streams and returns the exit status. Tests use it.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return int(Code(execute(args, stdin, stdout, stderr)))
}

func execute(args []string, stdin io.Reader, stdout, stderr io.Writer) (err error) {
	o := &options{}
	defer func() {
		// A panic is a bug of matdiff, never the user's: report it as an
		// error instead of a crash.
		if r := recover(); r != nil {
			err = &exitError{code: ExitInvalid, err: fmt.Errorf("internal error (please report it): %v", r)}
			o.report(stdout, stderr, err)
		}
	}()
	root := newRoot(o)
	root.SetArgs(normalizeArgs(root, args))
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err = root.Execute()
	if err != nil {
		o.report(stdout, stderr, err)
	}
	return err
}

// report prints err once on stderr, with the caret block for an error
// bound to a position of the input, and with --format json also as an
// object on stdout.
func (o *options) report(stdout, stderr io.Writer, err error) {
	if errors.Is(err, errReported) {
		return
	}
	fmt.Fprintf(stderr, "matdiff: %v\n", err)
	var ae *ast.Error
	var ee *exitError
	column := 0
	if errors.As(err, &ae) {
		column = int(ae.Pos)
		if errors.As(err, &ee) && ee.src != "" {
			if caret := ae.Caret(ee.src); caret != "" {
				fmt.Fprintln(stderr, caret)
			}
		}
	}
	if o.format.value == "json" {
		out := struct {
			Error  string `json:"error"`
			Column *int   `json:"column"`
		}{Error: err.Error()}
		if column > 0 {
			out.Column = &column
		}
		writeJSON(stdout, out)
	}
}

func newRoot(o *options) *cobra.Command {
	root := &cobra.Command{
		Use:   "matdiff d/dX EXPR",
		Short: "Differentiate matrix and vector expressions symbolically",
		Long: `matdiff differentiates matrix and vector expressions symbolically and prints
the closed-form result as plain text, LaTeX, Unicode or JSON.

  d/dX EXPR     gradient or derivative by X (denominator layout by default)
  d/dx^T EXPR   Jacobian of a vector by a vector (numerator layout)
  d2/dx2 EXPR   Hessian of a scalar by a vector

Names: Greek names are scalars, lowercase Latin names column vectors,
capitalised names matrices; declare others with --scalar, --vector,
--matrix, --sym or --let. EXPR "-" reads standard input. An expression
may begin with "-" ('-x^T x'), and flags may follow it.

Exit status: 0 ok, 1 invalid expression, 2 wrong command line,
3 numeric check mismatch.`,
		Example: `  matdiff d/dA '||BAx||^2'
  matdiff d/dx 'x^T A x' --sym A
  matdiff d/dx^T 'A x'
  matdiff d2/dx2 'x^T A x'
  matdiff d/dx '-x^T x'
  matdiff d/dA 'logdet(A)' --format latex --equation
  matdiff grad 'x^T A x + lambda x^T x'
  matdiff check d/dA 'tr(A B A^T)'`,
		Args:              rootArgs,
		SilenceUsage:      true,
		SilenceErrors:     true,
		PersistentPreRunE: func(c *cobra.Command, args []string) error { return o.prepare() },
		RunE: runE(func(c *cobra.Command, args []string) error {
			if askedVersion(c) {
				return printVersion(c)
			}
			return o.runDerivative(c, args[0], args[1])
		}),
	}
	// --version is a flag of matdiff's own, not cobra's: cobra prints a
	// version of another form than "matdiff dev" only with a text/template,
	// which would keep every exported method of every type in the binary
	// (see main_test.go).
	root.Flags().BoolP("version", "v", false, "version for matdiff")
	root.SuggestionsMinimumDistance = 2
	root.SetFlagErrorFunc(flagError)
	o.bind(root)
	root.AddCommand(newParse(o), newSimplify(o), newGrad(o), newCheck(o), newVersion())
	root.AddCommand(newBatch(o), newServe(), newCodegen(o))
	return root
}

// flagError makes an error of flag parsing a usage error.
func flagError(c *cobra.Command, err error) error {
	return usageErrorf("%s", err.Error())
}

// rootArgs checks `d/dX EXPR`. A first argument that is neither a
// derivative nor a command but close to one is a mistyped command,
// whatever follows it.
func rootArgs(c *cobra.Command, args []string) error {
	if askedVersion(c) {
		return nil
	}
	if len(args) > 0 {
		if _, err := parseWrt(args[0]); err != nil {
			if s := c.SuggestionsFor(args[0]); len(s) > 0 {
				return usageErrorf("unknown command %q; did you mean %s?", args[0], s[0])
			}
		}
	}
	switch len(args) {
	case 0:
		return usageErrorf("missing d/dX and EXPR; usage: matdiff d/dX EXPR (matdiff --help for more)")
	case 1:
		if _, err := parseWrt(args[0]); err == nil {
			return usageErrorf("missing EXPR after %s; usage: matdiff d/dX EXPR", args[0])
		}
		if s := c.SuggestionsFor(args[0]); len(s) > 0 {
			return usageErrorf("unknown command %q; did you mean %s?", args[0], s[0])
		}
		return usageErrorf("missing d/dX before %q; usage: matdiff d/dX EXPR", args[0])
	case 2:
		if _, err := parseWrt(args[0]); err != nil {
			if s := c.SuggestionsFor(args[0]); len(s) > 0 {
				return usageErrorf("unknown command %q; did you mean %s?", args[0], s[0])
			}
			return err
		}
		return nil
	}
	return usageErrorf("too many arguments (%d): expected d/dX EXPR; quote the expression, as in: matdiff d/dx 'x^T x'", len(args))
}

// exprArg checks the arguments of a command that takes one EXPR.
func exprArg(c *cobra.Command, args []string) error {
	switch len(args) {
	case 0:
		return usageErrorf("missing EXPR; usage: %s", c.UseLine())
	case 1:
		return nil
	}
	return usageErrorf("too many arguments (%d): expected one EXPR; quote the expression", len(args))
}

// source returns the expression text of an argument: "-" reads standard
// input (up to one byte more than the parser accepts, so that longer
// input is the parser's limit error and never exhausts memory).
func source(c *cobra.Command, arg string) (string, error) {
	if arg != "-" {
		return arg, nil
	}
	b, err := io.ReadAll(io.LimitReader(c.InOrStdin(), parser.MaxInput+1))
	if err != nil {
		return "", fmt.Errorf("reading standard input: %w", err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// parse reads and shape-checks an expression argument.
func (o *options) parse(c *cobra.Command, arg string) (*pipeline.Typed, error) {
	src, err := source(c, arg)
	if err != nil {
		return nil, err
	}
	t, err := pipeline.Parse(src, o.pipeline())
	if err != nil {
		return nil, invalid(err, src)
	}
	for _, w := range t.Warnings {
		o.warn(c, w)
	}
	return t, nil
}

// derivative parses the expression and differentiates it as the d/dX
// token says, warning when the variable does not occur.
func (o *options) derivative(c *cobra.Command, wrtArg, exprArg string) (*pipeline.Typed, *pipeline.Derivative, error) {
	w, err := parseWrt(wrtArg)
	if err != nil {
		return nil, nil, err
	}
	t, err := o.parse(c, exprArg)
	if err != nil {
		return nil, nil, err
	}
	req := derive.Request{Wrt: greekAlias(t.Info, w.name), Wrt2: greekAlias(t.Info, w.name2), Order: w.order, Transposed: w.transposed, Layout: o.derivLayout(), Vec: o.vec}
	if o.steps && w.name2 != "" {
		return nil, nil, invalid(&ast.Error{Kind: "derivative", Msg: "--steps does not explain a mixed second derivative d2/dxdy yet"}, t.Source)
	}
	d, err := t.Derive(req)
	if err == nil {
		err = o.checkSteps(t, d)
	}
	if err != nil {
		return nil, nil, invalid(err, t.Source)
	}
	if d.Absent {
		o.warn(c, fmt.Sprintf("%s does not occur in the expression; the derivative is 0", absentName(t.Info, w)))
	}
	for _, msg := range d.Warnings {
		o.warn(c, msg)
	}
	return t, d, nil
}

func (o *options) runDerivative(c *cobra.Command, wrtArg, exprArg string) error {
	t, d, err := o.derivative(c, wrtArg, exprArg)
	if err != nil {
		return err
	}
	var rep *checkReport
	if o.check {
		if rep, err = o.runCheck(t, d); err != nil {
			return err
		}
	}
	out := c.OutOrStdout()
	if o.format.value == "json" {
		j := o.derivativeJSON(t, d)
		if rep != nil {
			j.Check = rep.json()
		}
		j.Warnings = o.warned
		writeJSON(out, j)
	} else {
		if o.steps {
			fmt.Fprintln(out, o.explain(t, d))
		} else {
			s := o.show(t.Info, d.Result)
			r := o.render(s.info, s.root)
			if o.equation {
				r = o.equationLine(t, d.Request, r)
			}
			fmt.Fprintln(out, r)
			fmt.Fprint(out, o.where(s))
		}
		if rep != nil {
			fmt.Fprintln(out, rep.String())
		}
	}
	return rep.err()
}

// writeJSON prints v on one line, without escaping <, > and &.
func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(w, "{\"error\": %q}\n", err.Error())
	}
}

// greekAlias returns the name under which a Greek variable occurs in the
// expression when d/dX spells it the other way (d/dlambda for λ, d/dλ for
// lambda); otherwise name.
func greekAlias(info *ast.Info, name string) string {
	if _, ok := info.Vars[name]; ok {
		return name
	}
	if c := parser.CanonicalName(name); info.Vars[c] != nil {
		return c
	}
	for word, letter := range ast.Greek {
		if name == word && info.Vars[letter] != nil {
			return letter
		}
		if name == letter && info.Vars[word] != nil {
			return word
		}
	}
	return name
}
