package cse_test

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/eval"
	"github.com/matdiff/matdiff/internal/cases"
	"github.com/matdiff/matdiff/internal/cse"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
)

// readCases reads one of derive's derivative tables.
func readCases(t *testing.T, name string) []cases.Case {
	t.Helper()
	all, err := cases.Read(filepath.Join("..", "..", "derive", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// evalTemps evaluates root after the temporaries, in order, at in.
func evalTemps(root ast.Expr, temps []cse.Temp, info *ast.Info, in *eval.Instance) (float64, []float64, error) {
	for _, tmp := range temps {
		v, err := eval.Eval(tmp.Expr, info, in)
		if err != nil {
			return 0, nil, err
		}
		in = in.With(tmp.Name, v)
	}
	v, err := eval.Eval(root, info, in)
	if err != nil {
		return 0, nil, err
	}
	r, c := v.Dims()
	var out []float64
	for i := range r {
		for j := range c {
			out = append(out, v.At(i, j))
		}
	}
	return 0, out, nil
}

// TestGoldenDerivatives: for every golden derivative whose result repeats
// a subexpression, the result with temporaries evaluates to the plain
// result, and substituting the temporaries back gives the plain tree.
func TestGoldenDerivatives(t *testing.T) {
	withTemps := 0
	for _, file := range []string{"cases.txt", "ml_cases.txt"} {
		for _, c := range readCases(t, file) {
			typed, d, err := pipeline.Differentiate(c.Expr, c.Request(), c.PipelineOptions())
			if err != nil {
				continue // the error cases of the golden files
			}
			root, temps, info := cse.Extract(d.Result, typed.Info)
			if len(temps) == 0 {
				if root != d.Result {
					t.Errorf("%s:%d: no temporaries but a new root", file, c.Line)
				}
				continue
			}
			withTemps++
			for _, tmp := range temps {
				if typed.Info.Vars[tmp.Name] != nil {
					t.Errorf("%s:%d: temporary %s clashes with a variable", file, c.Line, tmp.Name)
				}
			}
			if back := substitute(root, temps); !ast.Equal(back, d.Result) {
				t.Errorf("%s:%d: substituted back %s, want %s", file, c.Line, render.Text(back), render.Text(d.Result))
			}
			for draw := range 2 {
				in := eval.NewInstance(typed.Info, nil)
				if draw == 1 {
					in = eval.NewInstance(typed.Info, rngFor(c.Line))
				}
				want, err := eval.Eval(d.Result, typed.Info, in)
				if err != nil {
					continue // a point outside the domain
				}
				_, got, err := evalTemps(root, temps, info, in)
				if err != nil {
					t.Errorf("%s:%d: %s: %v", file, c.Line, c.Expr, err)
					continue
				}
				r, cc := want.Dims()
				for i := range r {
					for j := range cc {
						w, g := want.At(i, j), got[i*cc+j]
						if math.Abs(w-g) > 1e-9*math.Max(1, math.Abs(w)) {
							t.Errorf("%s:%d: %s: entry (%d,%d) is %g with temporaries, %g without", file, c.Line, c.Expr, i, j, g, w)
						}
					}
				}
			}
		}
	}
	if withTemps < 5 {
		t.Errorf("only %d golden results have repeated subexpressions", withTemps)
	}
	t.Logf("%d golden results with temporaries", withTemps)
}

func substitute(root ast.Expr, temps []cse.Temp) ast.Expr {
	defs := map[string]ast.Expr{}
	var sub func(e ast.Expr) ast.Expr
	sub = func(e ast.Expr) ast.Expr {
		if n, ok := e.(*ast.Name); ok {
			if d, ok := defs[n.Name]; ok {
				return d
			}
			return e
		}
		kids := ast.Children(e)
		if len(kids) == 0 {
			return e
		}
		out := make([]ast.Expr, len(kids))
		for i, k := range kids {
			out[i] = sub(k)
		}
		return ast.WithChildren(e, out)
	}
	for _, tmp := range temps {
		defs[tmp.Name] = sub(tmp.Expr)
	}
	return sub(root)
}

func TestRules(t *testing.T) {
	for _, c := range []struct {
		src, root string
		temps     []string
	}{
		{"sigmoid(w^T x) (1 - sigmoid(w^T x)) w", "t0 (1 - t0) w", []string{"t0 = sigmoid(w^T x)"}},
		{"2 A^T (A x - b) + (A x - b)", "2 A^T t0 + t0", []string{"t0 = A x - b"}},
		// Leaves, and leaves with ^T, are never named.
		{"x^T x + x x^T x", "x^T x + x x^T x", nil},
		// Names skip the variables' names; temporaries use earlier ones.
		{"exp(t0 + t1) + exp(t0 + t1) .* (t0 + t1)", "t3 + t3 .* t2", []string{"t2 = t0 + t1", "t3 = exp(t2)"}},
	} {
		typed, err := pipeline.Parse(c.src, pipeline.Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		root, temps, _ := cse.Extract(typed.Expr, typed.Info)
		var got []string
		for _, tmp := range temps {
			got = append(got, tmp.Name+" = "+render.Text(tmp.Expr))
		}
		if render.Text(root) != c.root || strings.Join(got, "; ") != strings.Join(c.temps, "; ") {
			t.Errorf("%s:\n got %s where %s\nwant %s where %s", c.src, render.Text(root), strings.Join(got, "; "), c.root, strings.Join(c.temps, "; "))
		}
	}
}

// TestDeepComposition: the derivative of a deep composition of elementwise
// functions prints in size linear in the depth with temporaries.
func TestDeepComposition(t *testing.T) {
	size := func(depth int) int {
		src := "x"
		for range depth {
			src = "sigmoid(" + src + ")"
		}
		typed, d, err := pipeline.Differentiate("sum("+src+")", derive.Request{Wrt: "x", Order: 1}, pipeline.Options{})
		if err != nil {
			t.Fatal(err)
		}
		root, temps, info := cse.Extract(d.Result, typed.Info)
		n := len(render.Config{Info: info}.Expr(root))
		for _, tmp := range temps {
			n += len(render.Config{Info: info}.Expr(tmp.Expr))
		}
		return n
	}
	s10, s20, s40 := size(10), size(20), size(40)
	if s40-s20 > 3*(s20-s10) {
		t.Errorf("output with temporaries grows faster than the depth: %d, %d, %d characters at depth 10, 20, 40", s10, s20, s40)
	}
}

func rngFor(seed int) *rand.Rand { return rand.New(rand.NewPCG(uint64(seed), 7)) }
