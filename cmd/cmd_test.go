package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	goldenfile "github.com/matdiff/matdiff/internal/golden"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// run runs matdiff in-process.
func run(stdin string, args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	code = Run(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

type cliCase struct {
	name   string
	args   []string
	stdin  string
	out    string // exact stdout
	err    string // exact stderr
	code   ExitCode
	errHas string   // when set, stderr must contain it (instead of equal err)
	same   []string // when set, stdout must equal that of this command line
}

func TestCLI(t *testing.T) {
	cases := []cliCase{
		// The seed identities (derive/testdata/cases.txt).
		{name: "seed1", args: []string{"d/dx", "x^T x"}, out: "2 x\n"},
		{name: "seed2", args: []string{"d/dx", "x^T y"}, out: "y\n"},
		{name: "seed3", args: []string{"d/dx", "(x^T y)^2"}, out: "2 (x^T y) y\n"},
		{name: "seed4", args: []string{"d/dx^T", "A x"}, out: "A\n"},
		{name: "seed5", args: []string{"d/dx", "(A x)^T"}, out: "A^T\n"},
		{name: "seed6", args: []string{"d/dx", "||Ax||^2"}, out: "2 A^T A x\n"},
		{name: "seed7", args: []string{"d/dA", "||Ax||^2"}, out: "2 A x x^T\n"},
		{name: "seed8", args: []string{"d/dB", "||BAx||^2"}, out: "2 B A x x^T A^T\n"},
		{name: "seed9", args: []string{"d/dx", "||BAx||^2"}, out: "2 A^T B^T B A x\n"},
		{name: "seed10", args: []string{"d/dA", "||BAx||^2"}, out: "2 B^T B A x x^T\n"},

		// Declarations, layout, orders.
		{name: "sym", args: []string{"d/dx", "x^T A x", "--sym", "A"}, out: "2 A x\n"},
		{name: "unsym", args: []string{"d/dx", "x^T A x"}, out: "(A + A^T) x\n"},
		{name: "let sym", args: []string{"--let", "a:scalar, S:sym", "d/dx", "a x^T S x"}, out: "2 a S x\n"},
		{name: "denominator", args: []string{"d/dx", "A x"}, out: "A^T\n"},
		{name: "numerator", args: []string{"d/dx", "A x", "--layout", "numerator"}, out: "A\n"},
		{name: "transposed", args: []string{"d/dx^T", "A x"}, out: "A\n"},
		{name: "transposed prime", args: []string{"d/dx'", "A x"}, out: "A\n"},
		{name: "hessian", args: []string{"d2/dx2", "x^T A x"}, out: "A + A^T\n"},
		{name: "mixed second derivative", args: []string{"d2/dxdy", "x^T A y"}, out: "A\n"},
		{name: "order digits stripped", args: []string{"d2/dw12", "w1^T w1"}, out: "2 eye(rows(w1))\n"},
		{name: "unicode name", args: []string{"d/dλ", "λ^2"}, out: "2 lambda\n"},
		{name: "greek spelled out", args: []string{"d/dlambda", "λ^2"}, out: "2 lambda\n"},
		{name: "stdin", args: []string{"d/dx", "-"}, stdin: "x^T x\n", out: "2 x\n"},
		{name: "leading minus", args: []string{"d/dx", "--", "-x^T x"}, out: "-2 x\n"},
		{name: "absent", args: []string{"d/dy", "x^T x"}, out: "0\n",
			err: "matdiff: warning: y does not occur in the expression; the derivative is 0\n"},

		// Formats.
		{name: "latex", args: []string{"d/dA", "||BAx||^2", "--format", "latex"},
			out: `2 \mathbf{B}^\top \mathbf{B} \mathbf{A} \mathbf{x} \mathbf{x}^\top` + "\n"},
		{name: "unicode", args: []string{"d/dA", "||BAx||^2", "--format", "unicode"}, out: "2 Bᵀ B A x xᵀ\n"},
		{name: "equation", args: []string{"d/dA", "||BAx||^2", "--equation"},
			out: `\frac{\partial \left\| \mathbf{B} \mathbf{A} \mathbf{x} \right\|^2}{\partial \mathbf{A}} = 2 \mathbf{B}^\top \mathbf{B} \mathbf{A} \mathbf{x} \mathbf{x}^\top` + "\n"},
		{name: "equation plain", args: []string{"d/dx^T", "A x", "--equation", "--style", "plain"},
			out: `\frac{\partial A x}{\partial x^\top} = A` + "\n"},

		// parse.
		{name: "parse split", args: []string{"parse", "BAx"}, out: "B A x\n"},
		{name: "parse shape", args: []string{"parse", "--shape", "||BAx||^2"},
			out: "||B A x||^2\nshape: 1×1\nB: matrix m×n\nA: matrix n×p\nx: vector p×1\n"},
		{name: "parse shape sym", args: []string{"parse", "--shape", "--sym", "S", "x^T S x"},
			out: "x^T S x\nshape: 1×1\nx: vector m×1\nS: symmetric m×m\n"},
		{name: "parse latex", args: []string{"parse", "--format", "latex", "x^T A^-1 x"},
			out: `\mathbf{x}^\top \mathbf{A}^{-1} \mathbf{x}` + "\n"},
		{name: "parse shape error", args: []string{"parse", "x A"}, code: ExitInvalid,
			err: "matdiff: shape error at column 3: x is a column vector (m×1) and cannot left-multiply the matrix A (n×p); did you mean x^T A?\n  x A\n    ^\n"},
		{name: "syntax error", args: []string{"d/dx", "||Ax)||^2"}, code: ExitInvalid,
			err: "matdiff: syntax error at column 5: unexpected ')'\n  ||Ax)||^2\n      ^\n"},
		{name: "parse stdin", args: []string{"parse", "-"}, stdin: "BAx", out: "B A x\n"},

		// simplify.
		{name: "simplify", args: []string{"simplify", "A^T^T x + x"}, out: "A x + x\n"},
		{name: "simplify round trip", args: []string{"simplify", "--sym", "S", "--", "2 S x"}, out: "2 S x\n"},

		// grad.
		{name: "grad", args: []string{"grad", "||BAx||^2"},
			out: "d/dB = 2 B A x x^T A^T\nd/dA = 2 B^T B A x x^T\nd/dx = 2 A^T B^T B A x\n"},
		{name: "grad constant", args: []string{"grad", "2 pi"},
			err: "matdiff: warning: the expression has no variables; there is no gradient to print\n"},
		{name: "grad not scalar", args: []string{"grad", "A x"}, code: ExitInvalid,
			errHas: "grad needs a scalar expression"},

		// check and its exit codes.
		{name: "check ok", args: []string{"check", "d/dA", "||BAx||^2"}, out: "max relative error <E> over 3 draws: ok\n"},
		{name: "check draws", args: []string{"check", "d/dx", "x^T x", "--draws", "5", "--seed", "7"}, out: "max relative error <E> over 5 draws: ok\n"},
		{name: "check mismatch", args: []string{"check", "d/dA", "logdet(A)", "--tol", "1e-30"}, code: ExitMismatch,
			out: "max relative error <E> over 3 draws: MISMATCH\n", errHas: "numeric check failed"},
		{name: "check invalid", args: []string{"check", "d/dx", "x A"}, code: ExitInvalid, errHas: "shape error"},
		{name: "check usage", args: []string{"check", "d/dx"}, code: ExitUsage, errHas: "missing arguments"},
		{name: "--check", args: []string{"d/dx", "x^T A x", "--check"},
			out: "(A + A^T) x\nmax relative error <E> over 3 draws: ok\n"},
		{name: "--check mismatch", args: []string{"d/dA", "logdet(A)", "--check", "--tol", "1e-30"}, code: ExitMismatch,
			out: "A^-T\nmax relative error <E> over 3 draws: MISMATCH\n", errHas: "numeric check failed"},

		// Command-line errors: exit 2.
		{name: "unknown flag", args: []string{"d/dx", "x^T x", "--bogus"}, code: ExitUsage, err: "matdiff: unknown flag: --bogus\n"},
		{name: "order 3", args: []string{"d3/dx3", "x^T x"}, code: ExitUsage, errHas: `"d3/dx3" is not a derivative`},
		{name: "no variable", args: []string{"d/d", "x"}, code: ExitUsage, errHas: "no variable after d/d"},
		{name: "order digits missing", args: []string{"d2/dx", "x^T x"}, code: ExitUsage, errHas: "d2/dx2"},
		{name: "missing expr", args: []string{"d/dx"}, code: ExitUsage, errHas: "missing EXPR"},
		{name: "no args", args: nil, code: ExitUsage, errHas: "missing d/dX and EXPR"},
		{name: "too many", args: []string{"d/dx", "x^T", "x"}, code: ExitUsage, errHas: "quote the expression"},
		{name: "unknown command", args: []string{"pars", "x"}, code: ExitUsage, errHas: "did you mean parse?"},
		{name: "bad format", args: []string{"--format", "xml", "d/dx", "x"}, code: ExitUsage, errHas: "text, latex, unicode, json"},
		{name: "bad layout", args: []string{"--layout", "row", "d/dx", "x"}, code: ExitUsage, errHas: "denominator, numerator"},
		{name: "reserved I", args: []string{"--let", "I:matrix", "d/dx", "x"}, code: ExitUsage, errHas: "I is the identity"},
		{name: "reserved eye", args: []string{"--sym", "eye", "d/dx", "x"}, code: ExitUsage, errHas: "eye is the identity"},
		{name: "reserved pi", args: []string{"--scalar", "pi", "d/dx", "x"}, code: ExitUsage, errHas: "constant π"},
		{name: "reserved function", args: []string{"--matrix", "tr", "d/dx", "x"}, code: ExitUsage, errHas: "tr is a function"},
		{name: "conflict", args: []string{"--let", "x:scalar", "--vector", "x", "d/dx", "x"}, code: ExitUsage,
			err: "matdiff: x is declared both vector and scalar\n"},
		{name: "bad kind", args: []string{"--let", "x:tensor", "d/dx", "x"}, code: ExitUsage, errHas: "unknown kind"},
		{name: "equation json", args: []string{"--equation", "--format", "json", "d/dx", "x"}, code: ExitUsage, errHas: "--equation"},

		// Invalid derivative: exit 1.
		{name: "tensor", args: []string{"d/dA", "A x"}, code: ExitInvalid, errHas: "use --vec"},

		{name: "version", args: []string{"version"}, out: "matdiff dev\n"},
		{name: "version flag", args: []string{"--version"}, out: "matdiff dev\n"},
		{name: "version flag short", args: []string{"-v"}, out: "matdiff dev\n"},
		{name: "version flag with a derivative", args: []string{"d/dx", "x^T x", "--version"}, out: "matdiff dev\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.check(t) })
	}
}

// check runs the case through the root command and compares stdout,
// stderr and the exit code.
func (c cliCase) check(t *testing.T) {
	t.Helper()
	out, errs, code := run(c.stdin, c.args...)
	out = maskErrors(out)
	if ExitCode(code) != c.code {
		t.Errorf("exit code %d, want %d\nstderr: %s", code, c.code, errs)
	}
	if c.same != nil {
		want, _, _ := run(c.stdin, c.same...)
		if want = maskErrors(want); out != want || want == "" {
			t.Errorf("stdout:\n%s\nwant, as matdiff %q prints:\n%s", out, c.same, want)
		}
	} else if c.out != "" || c.code == ExitOK {
		if out != c.out {
			t.Errorf("stdout:\n%s\nwant:\n%s", out, c.out)
		}
	}
	switch {
	case c.errHas != "":
		if !strings.Contains(errs, c.errHas) || !strings.HasPrefix(errs, "matdiff: ") {
			t.Errorf("stderr %q does not contain %q", errs, c.errHas)
		}
		if strings.Count(errs, "\nmatdiff: ") > 0 {
			t.Errorf("error printed more than once: %q", errs)
		}
	case errs != c.err:
		t.Errorf("stderr:\n%s\nwant:\n%s", errs, c.err)
	}
}

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	if strings.Count(s, "\n") != 1 || !strings.HasSuffix(s, "\n") {
		t.Fatalf("JSON output is not one line: %q", s)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("invalid JSON %q: %v", s, err)
	}
	return m
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestJSONDerivative(t *testing.T) {
	out, errs, code := run("", "d/dA", "||BAx||^2", "--format", "json")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	m := decode(t, out)
	want := map[string]string{
		"expr":       `"||B A x||^2"`,
		"wrt":        `"A"`,
		"order":      `1`,
		"transposed": `false`,
		"result":     `"2 B^T B A x x^T"`,
		"latex":      `"2 \\mathbf{B}^\\top \\mathbf{B} \\mathbf{A} \\mathbf{x} \\mathbf{x}^\\top"`,
		"shape":      `["n","p"]`,
		"variables":  `{"A":{"kind":"matrix","shape":["n","p"]},"B":{"kind":"matrix","shape":["m","n"]},"x":{"kind":"vector","shape":["p",1]}}`,
	}
	for k, v := range want {
		if got := jsonText(t, m[k]); got != v {
			t.Errorf("%s = %s, want %s", k, got, v)
		}
	}
	// Variables are listed in order of first appearance.
	if i, j, k := strings.Index(out, `"B":`), strings.Index(out, `"A":`), strings.Index(out, `"x":`); !(i < j && j < k) {
		t.Errorf("variables not in order of appearance: %s", out)
	}
}

func TestJSONOther(t *testing.T) {
	out, _, code := run("", "d/dx^T", "A x", "--format", "json", "--sym", "A")
	m := decode(t, out)
	if code != 0 || m["transposed"] != true || m["result"] != "A" ||
		jsonText(t, m["variables"]) != `{"A":{"kind":"symmetric","shape":["m","m"]},"x":{"kind":"vector","shape":["m",1]}}` {
		t.Errorf("d/dx^T json: %s", out)
	}

	out, _, code = run("", "d2/dx2", "x^T x", "--format", "json")
	m = decode(t, out)
	if code != 0 || m["order"] != 2.0 || m["result"] != "2 eye(rows(x))" || jsonText(t, m["shape"]) != `["m","m"]` {
		t.Errorf("d2/dx2 json: %s", out)
	}

	out, _, code = run("", "parse", "--format", "json", "A ⊗ B")
	m = decode(t, out)
	if code != 0 || jsonText(t, m["shape"]) != `["m*p","n*q"]` || m["expr"] != "A ⊗ B" {
		t.Errorf("parse json: %s", out)
	}

	out, _, code = run("", "parse", "--format", "json", "x^T x")
	m = decode(t, out)
	if code != 0 || m["expr"] != "x^T x" || jsonText(t, m["shape"]) != `[1,1]` || m["latex"] != `\mathbf{x}^\top \mathbf{x}` {
		t.Errorf("parse json: %s", out)
	}

	out, _, code = run("", "grad", "--format", "json", "x^T A x")
	m = decode(t, out)
	if code != 0 {
		t.Fatalf("grad json exit %d", code)
	}
	if got := jsonText(t, m["results"]); got != `[{"latex":"\\left( \\mathbf{A} + \\mathbf{A}^\\top \\right) \\mathbf{x}","result":"(A + A^T) x","shape":["m",1],"wrt":"x"},{"latex":"\\mathbf{x} \\mathbf{x}^\\top","result":"x x^T","shape":["m","m"],"wrt":"A"}]` {
		t.Errorf("grad results: %s", got)
	}

	out, _, code = run("", "check", "--format", "json", "d/dx", "x^T x")
	m = decode(t, out)
	chk, _ := m["check"].(map[string]any)
	if code != 0 || chk["ok"] != true || chk["draws"] != 3.0 {
		t.Errorf("check json: %s", out)
	}
}

func TestJSONErrors(t *testing.T) {
	for _, c := range []struct {
		args   []string
		code   ExitCode
		column any
		msg    string
	}{
		{[]string{"parse", "--format", "json", "x A"}, ExitInvalid, 3.0,
			"shape error at column 3: x is a column vector (m×1) and cannot left-multiply the matrix A (n×p); did you mean x^T A?"},
		{[]string{"d/dx", "--format", "json", "||Ax)||^2"}, ExitInvalid, 5.0, "syntax error at column 5: unexpected ')'"},
		{[]string{"d3/dx3", "--format", "json", "x"}, ExitUsage, nil,
			`"d3/dx3" is not a derivative: only first (d/dx) and second (d2/dx2) derivatives exist; write d/dX, d/dx^T or d2/dx2 before the expression`},
	} {
		out, errs, code := run("", c.args...)
		if ExitCode(code) != c.code {
			t.Errorf("%v: exit %d, want %d", c.args, code, c.code)
		}
		m := decode(t, out)
		if m["error"] != c.msg || m["column"] != c.column {
			t.Errorf("%v: JSON %s", c.args, out)
		}
		if !strings.HasPrefix(errs, "matdiff: "+c.msg+"\n") {
			t.Errorf("%v: stderr %q", c.args, errs)
		}
	}
}

func TestStdinLimit(t *testing.T) {
	big := strings.Repeat("x + ", 200_000) + "x"
	_, errs, code := run(big, "d/dx", "-")
	if ExitCode(code) != ExitInvalid || !strings.Contains(errs, "limit error") {
		t.Errorf("exit %d, stderr %.200q", code, errs)
	}
}

// TestGolden runs the commands of testdata/cmd/transcript.txt and compares
// the whole transcript: stdout, stderr (lines marked "! ") and the exit
// status of each. Rewrite it with go test ./cmd -update.
func TestGolden(t *testing.T) {
	path := filepath.Join("..", "testdata", "cmd", "transcript.golden")
	cmds := [][]string{
		{"d/dx", "x^T A x", "--check"},
		{"d/dx", "x^T S x", "--sym", "S"},
		{"d/dX", "tr(X^T A X)", "--layout", "numerator"},
		{"d/dX", "tr(X^T A X)"},
		{"d/dx", "A x", "--layout", "numerator"},
		{"d/dx", "x^T A x", "--layout", "numerator"},
		{"d/dS", "x^T S x", "--sym", "S"},
		{"d/dX", "logdet(X)"},
		{"d/dX", "det(X)"},
		{"d/dx", "sum(exp(x))"},
		{"d/dW", "||W x - y||^2"},
		{"d/dw", "||X w - y||^2 + lambda ||w||^2"},
		{"d/dx", "||x||"},
		{"d/dx", "x^T x / 2 sigma^2"},
		{"d/dx", "x^T x/(2 sigma^2)"},
		{"d/dsigma", "x^T x/(2 sigma^2)"},
		{"d/dmu", "(x - mu)^T S^-1 (x - mu)", "--vector", "mu", "--sym", "S"},
		{"d/dS", "logdet(S) + (x - mu)^T S^-1 (x - mu)", "--vector", "mu", "--sym", "S"},
		{"d/dt", "exp(t) A", "--scalar", "t"},
		{"d/dt", "exp(t) A"},
		{"d/dx", "abs(x)"},
		{"d/dx", "relu(x)"},
		{"d/dx", "x^2"},
		{"d/dx^T", "tanh(W x)"},
		{"d2/dx2", "x^T A x", "--sym", "A"},
		{"d/dx", "x^T A x", "--format", "unicode"},
		{"d/dX", "tr(A X^-1 B)", "--format", "latex"},
		{"d/dx", "x^T A x", "--format", "latex", "--equation"},
		{"d2/dx2", "x^T A x", "--equation"},
		{"parse", "--shape", "x^T A y + alpha"},
		{"parse", "--format", "unicode", "||A x||^2 + x'y"},
		{"simplify", "--trace", "(A B)^T x + x"},
		{"grad", "||W x - y||^2"},
		{"grad", "--format", "latex", "x^T A x"},
		{"grad", "--check", "x^T A x"},
		{"check", "d2/dx2", "x^T A x"},
		{"check", "d/dS", "x^T S x", "--sym", "S"},
		{"d/dA", "tnah(A)"},
		{"d/dx", "alphax"},
		{"d/dA", "A x"},
	}
	checkTranscript(t, path, cmds)
}

// checkError matches the number in a check report; its digits depend on
// the random draws, so tests compare the rest of the line.
var checkError = regexp.MustCompile(`max relative error [0-9.]+e[-+][0-9]+ over`)

func maskErrors(s string) string {
	return checkError.ReplaceAllString(s, "max relative error <E> over")
}

func shellQuote(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.IndexFunc(a, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_/.,:=", r))
		}) < 0 {
			q[i] = a
		} else {
			q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(q, " ")
}

func TestFlagCompletion(t *testing.T) {
	for flag, want := range map[string]string{
		"--format": "text\nlatex\nunicode\njson\n:4\n",
		"--layout": "denominator\nnumerator\n:4\n",
		"--style":  "bold\nplain\n:4\n",
	} {
		out, _, code := run("", "__complete", flag, "")
		if code != 0 || out != want {
			t.Errorf("completion of %s: %q (exit %d), want %q", flag, out, code, want)
		}
	}
}

// checkTranscript runs each command line and compares the transcript
// (stdout, "! " before each stderr line, the exit status) with the golden
// file at path.
func checkTranscript(t *testing.T, path string, cmds [][]string) {
	t.Helper()
	var b strings.Builder
	for _, args := range cmds {
		out, errs, code := run("", args...)
		out = maskErrors(out)
		fmt.Fprintf(&b, "$ matdiff %s\n", shellQuote(args))
		b.WriteString(out)
		for _, l := range strings.SplitAfter(errs, "\n") {
			if l != "" {
				b.WriteString("! " + l)
			}
		}
		fmt.Fprintf(&b, "[exit %d]\n\n", code)
	}
	goldenfile.Check(t, path, b.String())
}
