package derive_test

import (
	"bufio"
	"fmt"
	goldenfile "github.com/matdiff/matdiff/internal/golden"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/check"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/eval"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
)

// testCase is one line of a cases file.
type testCase struct {
	line  int
	token string // d/dX, d/dx^T, d2/dx2
	expr  string
	decls string
}

func (c testCase) String() string {
	s := c.token + " " + c.expr
	if c.decls != "" {
		s += "  [" + c.decls + "]"
	}
	return s
}

func readCases(t *testing.T, name string) []testCase {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []testCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		c := testCase{line: n, token: parts[0], expr: parts[1]}
		if len(parts) > 2 {
			c.decls = parts[2]
		}
		cases = append(cases, c)
	}
	return cases
}

// request turns d/dX, d/dX^T or d2/dX2 into a request.
func request(token string) derive.Request {
	req := derive.Request{Order: 1}
	if strings.HasPrefix(token, "d2/d") {
		req.Order = 2
		req.Wrt = strings.TrimSuffix(strings.TrimPrefix(token, "d2/d"), "2")
		return req
	}
	req.Wrt = strings.TrimPrefix(token, "d/d")
	if strings.HasSuffix(req.Wrt, "^T") {
		req.Wrt, req.Transposed = strings.TrimSuffix(req.Wrt, "^T"), true
	}
	return req
}

func decls(s string) ast.Decls {
	d := ast.Decls{}
	for _, item := range strings.Split(s, ",") {
		name, kind, ok := strings.Cut(strings.TrimSpace(item), ":")
		if !ok || strings.HasPrefix(name, "--") {
			continue
		}
		k, _ := ast.ParseKind(kind)
		d[name] = k
	}
	return d
}

// run differentiates a case and checks it numerically.
func run(t *testing.T, c testCase) (string, error) {
	t.Helper()
	req := request(c.token)
	req.Vec = strings.Contains(c.decls, "--vec")
	if strings.Contains(c.decls, "--numerator") {
		req.Layout = derive.Numerator
	}
	typed, d, err := pipeline.Differentiate(c.expr, req, pipeline.Options{Decls: decls(c.decls)})
	if err != nil {
		return "", err
	}
	rep, err := check.Derivative(typed.Expr, typed.Info, d.Request, d.Result, check.Options{Gradient: d.Gradient})
	if err != nil {
		return "", fmt.Errorf("check: %v (result %s)", err, render.Text(d.Result))
	}
	if !rep.OK {
		return "", fmt.Errorf("%s: result %s (raw %s)", rep, render.Text(d.Result), render.Text(d.Raw))
	}
	// The canonical result is also correct before simplification.
	raw, err := check.Derivative(typed.Expr, typed.Info, d.Request, d.Raw, check.Options{Gradient: d.Gradient})
	if err != nil || !raw.OK {
		return "", fmt.Errorf("raw result %s: %v %v", render.Text(d.Raw), raw, err)
	}
	if req.Order == 2 {
		if err := symmetric(typed, d.Result); err != nil {
			return "", err
		}
	}
	return render.Text(d.Result), nil
}

// symmetric checks that a Hessian evaluates to a symmetric matrix.
func symmetric(typed *pipeline.Typed, h ast.Expr) error {
	r := rand.New(rand.NewPCG(3, 5))
	for draw := 0; draw < 3; draw++ {
		in := eval.NewInstance(typed.Info, r)
		v, err := eval.Eval(h, typed.Info, in)
		if err != nil {
			continue
		}
		rows, cols := v.Dims()
		if rows != cols {
			return fmt.Errorf("the Hessian %s is %d×%d", render.Text(h), rows, cols)
		}
		for i := 0; i < rows; i++ {
			for j := 0; j < i; j++ {
				if math.Abs(v.At(i, j)-v.At(j, i)) > 1e-9*math.Max(1, math.Abs(v.At(i, j))) {
					return fmt.Errorf("the Hessian %s is not symmetric: %g vs %g", render.Text(h), v.At(i, j), v.At(j, i))
				}
			}
		}
	}
	return nil
}

func goldenCases(t *testing.T, cases, golden string) {
	var out strings.Builder
	for _, c := range readCases(t, cases) {
		got, err := run(t, c)
		if err != nil {
			t.Errorf("%s:%d: %s: %v", cases, c.line, c, err)
			got = "ERROR " + err.Error()
		}
		fmt.Fprintf(&out, "%s\n  %s\n", c, got)
	}
	goldenfile.Check(t, filepath.Join("testdata", golden), out.String())
}

func TestDerivativesGolden(t *testing.T) {
	goldenCases(t, "cases.txt", "derivatives.golden")
}

func TestMachineLearningGolden(t *testing.T) {
	goldenCases(t, "ml_cases.txt", "ml.golden")
}
