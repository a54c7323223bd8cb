package cmd

import (
	"fmt"
	"testing"
)

// The JSON schema of the README, as checks: every command's object has
// exactly the documented keys, each of the documented type.

type jsonKind int

const (
	jString jsonKind = iota
	jNumber
	jBool
	jShape     // [rows, cols]: a string or the number 1 each
	jVariables // {name: {kind, shape}}
	jSteps     // [{rule, expr, latex, node?, operand?, adjoint?, jacobian?}]
	jTemps     // [{name, expr, latex}]
	jCheck     // {max_relative_error, draws, ok, report}
	jResults   // grad: [{wrt, result, latex, shape, temporaries?, steps?, check?}]
)

type jsonKey struct {
	kind     jsonKind
	optional bool
}

var (
	derivativeSchema = map[string]jsonKey{
		"expr": {jString, false}, "wrt": {jString, false}, "order": {jNumber, false},
		"transposed": {jBool, false}, "result": {jString, false}, "latex": {jString, false},
		"shape": {jShape, false}, "variables": {jVariables, false},
		"temporaries": {jTemps, true}, "steps": {jSteps, true}, "check": {jCheck, true},
		"warnings": {jStrings, true},
	}
	parseSchema = map[string]jsonKey{
		"expr": {jString, false}, "latex": {jString, false}, "shape": {jShape, false}, "variables": {jVariables, false},
		"warnings": {jStrings, true},
	}
	simplifySchema = map[string]jsonKey{
		"expr": {jString, false}, "result": {jString, false}, "latex": {jString, false},
		"shape": {jShape, false}, "variables": {jVariables, false},
		"temporaries": {jTemps, true}, "steps": {jTraceSteps, true}, "warnings": {jStrings, true},
	}
	gradSchema = map[string]jsonKey{
		"expr": {jString, false}, "shape": {jShape, false}, "variables": {jVariables, false}, "results": {jResults, false},
		"warnings": {jStrings, true},
	}
	gradResultSchema = map[string]jsonKey{
		"wrt": {jString, false}, "result": {jString, false}, "latex": {jString, false}, "shape": {jShape, false},
		"temporaries": {jTemps, true}, "steps": {jSteps, true}, "check": {jCheck, true},
	}
	stepSchema = map[string]jsonKey{
		"rule": {jString, false}, "expr": {jString, false}, "latex": {jString, false},
		"node": {jString, true}, "operand": {jString, true}, "adjoint": {jString, true}, "jacobian": {jString, true},
		"simplified": {jStrings, true}, "handed": {jHanded, true},
	}
	handSchema      = map[string]jsonKey{"operand": {jString, false}, "adjoint": {jString, false}}
	traceStepSchema = map[string]jsonKey{"rule": {jString, false}, "before": {jString, false}, "after": {jString, false}}
	tempSchema      = map[string]jsonKey{"name": {jString, false}, "expr": {jString, false}, "latex": {jString, false}}
	checkSchema     = map[string]jsonKey{
		"max_relative_error": {jNumber, false}, "draws": {jNumber, false}, "ok": {jBool, false}, "report": {jString, false},
	}
	varSchema = map[string]jsonKey{"kind": {jString, false}, "shape": {jShape, false}}
)

const (
	jTraceSteps = jResults + 1 + iota
	jStrings    // a list of strings
	jHanded     // [{operand, adjoint}]
)

func checkObject(path string, v any, schema map[string]jsonKey) []string {
	m, ok := v.(map[string]any)
	if !ok {
		return []string{path + " is not an object"}
	}
	var errs []string
	for k, key := range schema {
		x, ok := m[k]
		if !ok {
			if !key.optional {
				errs = append(errs, path+"."+k+" is missing")
			}
			continue
		}
		errs = append(errs, checkValue(path+"."+k, x, key.kind)...)
	}
	for k := range m {
		if _, ok := schema[k]; !ok {
			errs = append(errs, path+"."+k+" is not in the schema")
		}
	}
	return errs
}

func checkList(path string, v any, schema map[string]jsonKey) []string {
	l, ok := v.([]any)
	if !ok {
		return []string{path + " is not a list"}
	}
	var errs []string
	for i, x := range l {
		errs = append(errs, checkObject(fmt.Sprintf("%s[%d]", path, i), x, schema)...)
	}
	return errs
}

func checkValue(path string, v any, k jsonKind) []string {
	bad := func(what string) []string { return []string{fmt.Sprintf("%s = %v is not %s", path, v, what)} }
	switch k {
	case jString:
		if _, ok := v.(string); !ok {
			return bad("a string")
		}
	case jNumber:
		if _, ok := v.(float64); !ok {
			return bad("a number")
		}
	case jBool:
		if _, ok := v.(bool); !ok {
			return bad("a boolean")
		}
	case jHanded:
		return checkList(path, v, handSchema)
	case jShape:
		l, ok := v.([]any)
		if !ok || len(l) != 2 {
			return bad("a shape")
		}
		for _, d := range l {
			if s, ok := d.(string); ok && s != "" {
				continue
			}
			if d != 1.0 {
				return bad("a shape of dimension names and 1")
			}
		}
	case jVariables:
		m, ok := v.(map[string]any)
		if !ok {
			return bad("an object")
		}
		var errs []string
		for name, x := range m {
			errs = append(errs, checkObject(path+"."+name, x, varSchema)...)
			if kind := x.(map[string]any)["kind"]; kind != "scalar" && kind != "vector" && kind != "matrix" && kind != "symmetric" {
				errs = append(errs, fmt.Sprintf("%s.%s.kind = %v", path, name, kind))
			}
		}
		return errs
	case jSteps:
		return checkList(path, v, stepSchema)
	case jStrings:
		l, ok := v.([]any)
		if !ok {
			return bad("a list")
		}
		for _, x := range l {
			if _, ok := x.(string); !ok {
				return bad("a list of strings")
			}
		}
	case jTraceSteps:
		return checkList(path, v, traceStepSchema)
	case jTemps:
		return checkList(path, v, tempSchema)
	case jCheck:
		return checkObject(path, v, checkSchema)
	case jResults:
		return checkList(path, v, gradResultSchema)
	}
	return nil
}

// TestJSONSchema runs every command with --format json, alone and with
// --steps, --cse and --check, and checks the object against the schema.
func TestJSONSchema(t *testing.T) {
	for _, c := range []struct {
		args   []string
		schema map[string]jsonKey
		has    []string // optional keys that must be present
	}{
		{[]string{"parse", "||BAx||^2"}, parseSchema, nil},
		{[]string{"parse", "--let", "a:scalar, S:sym", "a S x"}, parseSchema, nil},
		{[]string{"d/dA", "||BAx||^2"}, derivativeSchema, nil},
		{[]string{"d/dA", "||BAx||^2", "--steps"}, derivativeSchema, []string{"steps"}},
		{[]string{"d/dx", "sigmoid(w^T x)", "--cse", "--steps"}, derivativeSchema, []string{"steps", "temporaries"}},
		{[]string{"d/dx", "x^T x", "--cse"}, derivativeSchema, []string{"temporaries"}},
		{[]string{"d2/dx2", "x^T A x", "--steps", "--check"}, derivativeSchema, []string{"steps", "check"}},
		{[]string{"d/dx^T", "tanh(W x)", "--steps"}, derivativeSchema, []string{"steps"}},
		{[]string{"d/dS", "logdet(S)", "--sym", "S", "--steps"}, derivativeSchema, []string{"steps"}},
		{[]string{"grad", "||W x - y||^2"}, gradSchema, nil},
		{[]string{"grad", "sigmoid(w^T x)", "--cse", "--steps", "--check"}, gradSchema, nil},
		{[]string{"check", "d/dA", "logdet(A)"}, derivativeSchema, []string{"check"}},
		{[]string{"simplify", "(A B)^T x + x"}, simplifySchema, nil},
		{[]string{"simplify", "--trace", "--cse", "exp((A B)^T x) .* exp((A B)^T x)"}, simplifySchema, []string{"steps", "temporaries"}},
		{[]string{"d/dmu", "||x - mu||^2"}, derivativeSchema, []string{"warnings"}},
		{[]string{"d/dy", "x^T x"}, derivativeSchema, []string{"warnings"}},
		{[]string{"check", "d/dx", "w^T x + b", "--quiet"}, derivativeSchema, []string{"warnings", "check"}},
		{[]string{"parse", "exp(-||x-y||^2/2 sigma^2)"}, parseSchema, []string{"warnings"}},
		{[]string{"simplify", "tr(exp(X))"}, simplifySchema, []string{"warnings"}},
		{[]string{"grad", "||x - mu||^2"}, gradSchema, []string{"warnings"}},
	} {
		args := append(append([]string(nil), c.args...), "--format", "json")
		out, errs, code := run("", args...)
		if code != 0 {
			t.Errorf("matdiff %s: exit %d: %s", shellQuote(args), code, errs)
			continue
		}
		m := decode(t, out)
		for _, e := range checkObject("$", m, c.schema) {
			t.Errorf("matdiff %s: %s", shellQuote(args), e)
		}
		for _, k := range c.has {
			if _, ok := m[k]; !ok {
				t.Errorf("matdiff %s: no %q", shellQuote(args), k)
			}
		}
	}
}
