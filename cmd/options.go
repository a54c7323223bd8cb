package cmd

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/parser"
	"github.com/matdiff/matdiff/render"
)

// options are the persistent flags of every command.
type options struct {
	format   enum
	layout   enum
	style    enum
	scalars  []string
	vectors  []string
	matrices []string
	syms     []string
	lets     []string
	check    bool
	draws    int
	seed     uint64
	tol      float64
	equation bool
	vec      bool
	steps    bool
	cse      bool
	jobs     int // batch workers
	quiet    bool

	warned []string // the warnings of this run, for JSON

	decls ast.Decls // from the declarations, set by prepare
	// budget is the time budget of an expression (0: the pipeline's
	// default); matdiff serve sets it.
	budget time.Duration
}

// enum is a string flag restricted to a list of choices.
type enum struct {
	value   string
	choices []string
}

func newEnum(def string, choices ...string) enum { return enum{value: def, choices: choices} }

func (e *enum) String() string { return e.value }

func (e *enum) Set(s string) error {
	if !slices.Contains(e.choices, s) {
		return fmt.Errorf("must be one of %s", strings.Join(e.choices, ", "))
	}
	e.value = s
	return nil
}

func (e *enum) Type() string { return strings.Join(e.choices, "|") }

func (e *enum) complete(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return e.choices, cobra.ShellCompDirectiveNoFileComp
}

// bind declares the persistent flags on root.
func (o *options) bind(root *cobra.Command) {
	o.format = newEnum("text", "text", "latex", "unicode", "json")
	o.layout = newEnum("denominator", "denominator", "numerator")
	o.style = newEnum("bold", "bold", "plain")
	f := root.PersistentFlags()
	f.Var(&o.format, "format", "output format: text, latex, unicode or json")
	f.StringSliceVar(&o.scalars, "scalar", nil, "declare `names` as scalars (comma-separated)")
	f.StringSliceVar(&o.vectors, "vector", nil, "declare `names` as column vectors")
	f.StringSliceVar(&o.matrices, "matrix", nil, "declare `names` as matrices")
	f.StringSliceVar(&o.syms, "sym", nil, "declare `names` as symmetric matrices")
	f.StringArrayVar(&o.lets, "let", nil, "declare `name:kind,...`; kinds: scalar, vector, matrix, square, sym")
	f.Var(&o.layout, "layout", "layout of derivatives by vectors and matrices: denominator or numerator")
	f.BoolVar(&o.check, "check", false, "after printing, check the derivative numerically (mismatch: exit 3)")
	f.IntVar(&o.draws, "draws", 3, "`number` of random instances drawn by the numeric check")
	f.Uint64Var(&o.seed, "seed", 1, "seed of the numeric check")
	f.Float64Var(&o.tol, "tol", 1e-6, "largest relative error the numeric check accepts")
	f.BoolVar(&o.equation, "equation", false, `print the LaTeX equation \frac{\partial E}{\partial X} = … (implies --format latex)`)
	f.Var(&o.style, "style", "LaTeX symbols: bold (\\mathbf) or plain")
	f.BoolVar(&o.vec, "vec", false, "derivatives by matrices as ∂vec(F)/∂vec(X)^T, with Kronecker products")
	f.BoolVar(&o.steps, "steps", false, "print the derivation step by step, with the rule of each step")
	f.BoolVar(&o.quiet, "quiet", false, "print no warnings on standard error (JSON still lists them)")
	f.BoolVar(&o.cse, "cse", false, "print a repeated subexpression once, as a temporary t0, t1, … (where t0 = …)")
	for name, e := range map[string]*enum{"format": &o.format, "layout": &o.layout, "style": &o.style} {
		_ = root.RegisterFlagCompletionFunc(name, e.complete)
	}
}

// prepare validates the flags together and builds the declarations.
func (o *options) prepare() error {
	if o.draws < 1 {
		return usageErrorf("--draws must be at least 1, not %d", o.draws)
	}
	if !(o.tol > 0) {
		return usageErrorf("--tol must be positive, not %g", o.tol)
	}
	if o.equation {
		switch o.format.value {
		case "text":
			o.format.value = "latex"
		case "latex":
		default:
			return usageErrorf("--equation prints LaTeX; it cannot be combined with --format %s", o.format.value)
		}
	}
	decls := ast.Decls{}
	declare := func(flag, name string, kind ast.Kind) error {
		name = strings.TrimSpace(name)
		if name == "" {
			return nil
		}
		if err := checkDeclName(name); err != nil {
			return usageErrorf("%s %s: %v", flag, name, err)
		}
		name = parser.CanonicalName(name)
		if err := checkSymName(name, kind); err != nil {
			return usageErrorf("%s %s: %v", flag, name, err)
		}
		if old, ok := decls[name]; ok && old != kind {
			return usageErrorf("%s is declared both %s and %s", name, old, kind)
		}
		decls[name] = kind
		return nil
	}
	for _, l := range []struct {
		flag  string
		names []string
		kind  ast.Kind
	}{
		{"--scalar", o.scalars, ast.KindScalar},
		{"--vector", o.vectors, ast.KindVector},
		{"--matrix", o.matrices, ast.KindMatrix},
		{"--sym", o.syms, ast.KindSymmetric},
	} {
		for _, n := range l.names {
			if err := declare(l.flag, n, l.kind); err != nil {
				return err
			}
		}
	}
	for _, let := range o.lets {
		for _, item := range strings.Split(let, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			name, kindText, ok := strings.Cut(item, ":")
			if !ok {
				return usageErrorf("--let %q: write name:kind, as in --let 'a:scalar, S:sym'", item)
			}
			kind, ok := ast.ParseKind(strings.TrimSpace(kindText))
			if !ok {
				return usageErrorf("--let %q: unknown kind %q; kinds are scalar, vector, matrix, square, sym", item, strings.TrimSpace(kindText))
			}
			if err := declare("--let", name, kind); err != nil {
				return err
			}
		}
	}
	o.decls = decls
	return nil
}

// checkDeclName accepts a name of the input language that may be
// declared: a letter, then letters, digits and underscores; not a reserved
// word.
func checkDeclName(name string) error {
	switch {
	case name == "I" || name == "eye":
		return fmt.Errorf("%s is the identity matrix and cannot be declared", name)
	case name == "pi" || name == "π":
		return fmt.Errorf("%s is the constant π and cannot be declared", name)
	case ast.IsFunc(name):
		return fmt.Errorf("%s is a function and cannot be declared", name)
	}
	if !validName(name) {
		return fmt.Errorf("not a name (a letter, then letters, digits or _)")
	}
	return nil
}

// checkSymName refuses to declare symmetric (or square) a name that is a
// vector or a scalar: only a square matrix is symmetric, and a lowercase
// name is a vector (a Greek one a scalar), so the user most likely meant
// another name.
func checkSymName(name string, kind ast.Kind) error {
	if kind != ast.KindSymmetric && kind != ast.KindSquare {
		return nil
	}
	switch ast.DefaultKind(name) {
	case ast.KindVector:
		return fmt.Errorf("%s is a column vector (a lowercase Latin name), and only a square matrix can be %s; give the matrix a capitalised name (%s)", name, kind, capitalise(name))
	case ast.KindScalar:
		return fmt.Errorf("%s is a scalar (a Greek name), and only a square matrix can be %s; give the matrix a capitalised name (%s)", name, kind, capitalise(name))
	}
	return nil
}

// capitalise writes name with a capital initial: x -> X, sigma -> Sigma.
func capitalise(name string) string {
	r := []rune(name)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

func validName(name string) bool {
	for i, r := range name {
		switch {
		case unicode.IsLetter(r) && !unicode.Is(unicode.Lm, r):
		case i > 0 && (r == '_' || ('0' <= r && r <= '9')):
		default:
			return false
		}
	}
	return name != ""
}

// warn records a warning and prints it on standard error, unless --quiet.
func (o *options) warn(c *cobra.Command, msg string) {
	o.warned = append(o.warned, msg)
	if !o.quiet {
		fmt.Fprintf(c.ErrOrStderr(), "matdiff: warning: %s\n", msg)
	}
}

func (o *options) pipeline() pipeline.Options {
	return pipeline.Options{Decls: o.decls, Layout: o.derivLayout(), Budget: o.budget}
}

func (o *options) derivLayout() derive.Layout {
	if o.layout.value == "numerator" {
		return derive.Numerator
	}
	return derive.Denominator
}

// config is the printer for the chosen format (JSON results are text).
func (o *options) config(info *ast.Info) render.Config {
	c := render.Config{Info: info, Plain: o.style.value == "plain"}
	switch o.format.value {
	case "latex":
		c.Format = render.FormatLaTeX
	case "unicode":
		c.Format = render.FormatUnicode
	}
	return c
}

func (o *options) render(info *ast.Info, e ast.Expr) string { return o.config(info).Expr(e) }

func (o *options) latex(info *ast.Info, e ast.Expr) string {
	return render.Config{Format: render.FormatLaTeX, Info: info, Plain: o.style.value == "plain"}.Expr(e)
}

// wrt is a parsed d/dX token.
type wrt struct {
	name       string
	name2      string // y of a mixed d2/dxdy
	order      int
	transposed bool
}

// parseWrt reads d/dX, d/dX^T (also X' and Xᵀ) and d2/dX2.
func parseWrt(tok string) (wrt, error) {
	bad := func(why string) (wrt, error) {
		return wrt{}, usageErrorf("%q is not a derivative: %s; write d/dX, d/dx^T or d2/dx2 before the expression", tok, why)
	}
	num, den, ok := strings.Cut(tok, "/")
	if !ok || !strings.HasPrefix(num, "d") || !strings.HasPrefix(den, "d") {
		return bad("expected d/dX")
	}
	w := wrt{order: 1}
	switch order := num[1:]; order {
	case "":
	case "2":
		w.order = 2
	default:
		return bad("only first (d/dx) and second (d2/dx2) derivatives exist")
	}
	name := den[1:]
	for _, mark := range []string{"^T", "ᵀ", "'"} {
		if n, ok := strings.CutSuffix(name, mark); ok {
			name, w.transposed = n, true
			break
		}
	}
	if w.order == 2 {
		if w.transposed {
			return bad("a second derivative is written d2/dx2")
		}
		n, ok := strings.CutSuffix(name, "2")
		if x, y, mixed := cutMixed(name); !ok && mixed {
			n, w.name2, ok = x, y, true
		}
		if !ok {
			return bad("the order 2 must be repeated after the variable, as in d2/dx2, or a second variable follows, as in d2/dxdy")
		}
		name = n
	}
	if name == "" {
		return bad("no variable after d/d")
	}
	if !validName(name) {
		return bad(fmt.Sprintf("%q is not a variable name", name))
	}
	w.name = name
	return w, nil
}

// absentName is the variable of w that does not occur in the expression.
func absentName(info *ast.Info, w wrt) string {
	if w.name2 != "" && info.Vars[greekAlias(info, w.name)] != nil {
		return w.name2
	}
	return w.name
}

// cutMixed splits xdy of d2/dxdy into x and y, at the first d that
// leaves two variable names.
func cutMixed(s string) (x, y string, ok bool) {
	for i := 1; i < len(s)-1; i++ {
		if s[i] == 'd' && validName(s[:i]) && validName(s[i+1:]) {
			return s[:i], s[i+1:], true
		}
	}
	return "", "", false
}

// kindName is the name of a variable's kind in JSON and --shape.
func kindName(k ast.Kind) string { return k.String() }
