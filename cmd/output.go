package cmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/check"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
)

// jsonShape is [rows, cols]: a dimension is a string ("m", "m*n"), the
// literal 1 the number 1.
type jsonShape [2]any

func shapeJSON(s ast.Shape) *jsonShape {
	dim := func(d ast.Dim) any {
		if d.IsOne() {
			return 1
		}
		return d.String()
	}
	return &jsonShape{dim(s.Rows), dim(s.Cols)}
}

// exprShape is the shape of e as JSON, or nil when it cannot be computed.
func exprShape(info *ast.Info, e ast.Expr) *jsonShape {
	s, err := info.Shape(e)
	if err != nil {
		return nil
	}
	return shapeJSON(s)
}

type jsonVar struct {
	Kind  string     `json:"kind"`
	Shape *jsonShape `json:"shape"`
}

// jsonVars is the variables of an expression as an object whose keys are
// in order of first appearance.
type jsonVars struct{ info *ast.Info }

func (v jsonVars) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, name := range v.info.Order {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(name)
		x := v.info.Vars[name]
		val, err := json.Marshal(jsonVar{Kind: kindName(x.Kind), Shape: shapeJSON(x.Shape)})
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(val)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

type jsonDerivative struct {
	Expr       string     `json:"expr"`
	Wrt        string     `json:"wrt"`
	Order      int        `json:"order"`
	Transposed bool       `json:"transposed"`
	Result     string     `json:"result"`
	LaTeX      string     `json:"latex"`
	Shape      *jsonShape `json:"shape"`
	Variables  jsonVars   `json:"variables"`
	// Temporaries (--cse) define the names t0, t1, … of result and latex.
	Temporaries *[]jsonTemp `json:"temporaries,omitempty"`
	// Steps (--steps) is the derivation, one object per line.
	Steps []jsonStep `json:"steps,omitempty"`
	Check *jsonCheck `json:"check,omitempty"`
	// Warnings are those printed on standard error (also with --quiet).
	Warnings []string `json:"warnings,omitempty"`
}

func (o *options) derivativeJSON(t *pipeline.Typed, d *pipeline.Derivative) *jsonDerivative {
	s := o.show(t.Info, d.Result)
	j := &jsonDerivative{
		Expr:        render.Text(t.Expr),
		Wrt:         d.Request.Wrt,
		Order:       d.Request.Order,
		Transposed:  d.Request.Transposed,
		Result:      render.Text(s.root),
		LaTeX:       o.latex(s.info, s.root),
		Shape:       exprShape(t.Info, d.Result),
		Variables:   jsonVars{t.Info},
		Temporaries: o.tempsJSON(s),
	}
	if o.steps {
		j.Steps = o.stepsJSON(t, d)
	}
	return j
}

type jsonCheck struct {
	MaxRelErr float64 `json:"max_relative_error"`
	Draws     int     `json:"draws"`
	OK        bool    `json:"ok"`
	Report    string  `json:"report"`
}

// checkReport is the outcome of a numeric check, or nil when the variable
// does not occur (nothing to check: the derivative is exactly 0).
type checkReport struct {
	check.Report
	tol float64
}

func (r *checkReport) json() *jsonCheck {
	if r == nil {
		return nil
	}
	return &jsonCheck{MaxRelErr: r.MaxRelErr, Draws: r.Draws, OK: r.OK, Report: r.String()}
}

// err is the mismatch error (exit 3), or nil.
func (r *checkReport) err() error {
	if r == nil || r.OK {
		return nil
	}
	return &exitError{code: ExitMismatch, err: fmt.Errorf("numeric check failed: max relative error %.1e exceeds --tol %g", r.MaxRelErr, r.tol)}
}

// runCheck checks d numerically; it returns nil for an absent variable.
func (o *options) runCheck(t *pipeline.Typed, d *pipeline.Derivative) (*checkReport, error) {
	if d.Absent {
		return nil, nil
	}
	rep, err := check.Derivative(t.Expr, t.Info, d.Request, d.Result, check.Options{
		Draws: o.draws, Seed: o.seed, Tol: o.tol, Gradient: d.Gradient,
		Deadline: t.Deadline(),
	})
	switch {
	case errors.Is(err, check.ErrDeadline):
		return nil, invalid(t.OverBudget("checking the derivative numerically"), t.Source)
	case errors.Is(err, check.ErrTooLarge):
		return nil, invalid(&ast.Error{Kind: "limit", Msg: "numeric check: " + err.Error()}, t.Source)
	case err != nil:
		return nil, invalid(fmt.Errorf("numeric check: %w", err), t.Source)
	}
	return &checkReport{Report: rep, tol: o.tol}, nil
}

// equationLine is the LaTeX equation \frac{\partial E}{\partial X} = R.
func (o *options) equationLine(t *pipeline.Typed, req derive.Request, result string) string {
	return o.fracLaTeX(t, req) + " = " + result
}

func (o *options) fracLaTeX(t *pipeline.Typed, req derive.Request) string {
	x := render.LaTeXName(req.Wrt, t.Info, o.style.value == "plain")
	e := o.latex(t.Info, t.Expr)
	switch t.Expr.(type) {
	case *ast.Sum, *ast.Neg:
		e = `\left( ` + e + ` \right)`
	}
	scalar := t.Info.Vars[req.Wrt] != nil && t.Info.Vars[req.Wrt].Kind == ast.KindScalar
	return fracLaTeX(x, e, req, scalar)
}

// fracLaTeX is \frac{\partial e}{\partial x} as req asks (transposed, second
// order) for the LaTeX of an expression e and a variable x.
func fracLaTeX(x, e string, req derive.Request, scalar bool) string {
	var den string
	switch {
	case req.Order == 2 && scalar:
		den = `\partial ` + x + `^2`
	case req.Order == 2:
		den = `\partial ` + x + ` \partial ` + x + `^\top`
	case req.Transposed:
		den = `\partial ` + x + `^\top`
	default:
		den = `\partial ` + x
	}
	num := `\partial`
	if req.Order == 2 {
		num = `\partial^2`
	}
	return `\frac{` + num + " " + e + `}{` + den + `}`
}

// nameIn prints a variable name in the chosen format (λ for lambda in
// Unicode).
func (o *options) nameIn(info *ast.Info, name string) string {
	s := o.render(info, &ast.Name{Name: name})
	return strings.TrimSpace(s)
}
