package pipeline_test

import (
	"bufio"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/cases"
	"github.com/matdiff/matdiff/internal/pipeline"
)

var (
	stepProps = flag.Int("step-props", 300, "random expressions whose derivations are checked line by line")
	stepSeed  = flag.Uint64("step-seed", 1, "seed of the random derivations (0: a new seed each run)")
)

// checkLines reports the false lines of the derivation of src; it returns
// false when the expression could not be evaluated at any of a few points.
func checkLines(t *testing.T, what, src string, req derive.Request, opts pipeline.Options) bool {
	t.Helper()
	typed, d, err := pipeline.Differentiate(src, req, opts)
	if err != nil || d.Absent {
		return false
	}
	for seed := uint64(1); seed <= 4; seed++ {
		bad, ok := falseLines(typed, d, seed)
		if !ok {
			continue
		}
		for _, b := range bad {
			t.Errorf("%s: %s", what, b)
		}
		return true
	}
	return false
}

// TestStepsTrueGolden: every line of every derivation of derive's tables
// and of the --steps golden file holds at a random point along a random
// direction.
func TestStepsTrueGolden(t *testing.T) {
	n := 0
	for _, file := range []string{"cases.txt", "ml_cases.txt", "forms_cases.txt"} {
		all, err := cases.Read(filepath.Join("..", "..", "derive", "testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range all {
			if checkLines(t, c.String(), c.Expr, c.Request(), c.PipelineOptions()) {
				n++
			}
		}
	}
	for _, c := range stepsGoldenCases(t) {
		if checkLines(t, c.token+" "+c.expr, c.expr, c.req, c.opts) {
			n++
		}
	}
	if n < 150 {
		t.Errorf("only %d derivations checked", n)
	}
}

type goldenStep struct {
	token, expr string
	req         derive.Request
	opts        pipeline.Options
}

// stepsGoldenCases reads the commands of testdata/cmd/steps.golden:
// $ matdiff TOKEN 'EXPR' [--sym S] --steps --format text.
func stepsGoldenCases(t *testing.T) []goldenStep {
	f, err := os.Open(filepath.Join("..", "..", "testdata", "cmd", "steps.golden"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []goldenStep
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l, ok := strings.CutPrefix(sc.Text(), "$ matdiff ")
		if !ok || !strings.HasSuffix(l, "--format text") {
			continue
		}
		var args []string
		for len(l) > 0 {
			l = strings.TrimLeft(l, " ")
			if strings.HasPrefix(l, "'") {
				end := strings.Index(l[1:], "'") + 1
				args = append(args, l[1:end])
				l = l[end+1:]
				continue
			}
			w, rest, _ := strings.Cut(l, " ")
			args, l = append(args, w), rest
		}
		c := cases.Case{Token: args[0], Expr: args[1]}
		g := goldenStep{token: args[0], expr: args[1], opts: pipeline.Options{Decls: ast.Decls{}}}
		for i := 2; i+1 < len(args); i++ {
			if args[i] == "--sym" {
				g.opts.Decls[args[i+1]] = ast.KindSymmetric
			}
		}
		g.req = c.Request()
		out = append(out, g)
	}
	if len(out) < 10 {
		t.Fatalf("only %d cases in steps.golden", len(out))
	}
	return out
}

// TestStepsTrueRandom: the derivations of random expressions in which
// the variable occurs several times are true line by line.
func TestStepsTrueRandom(t *testing.T) {
	seed := *stepSeed
	if seed == 0 {
		seed = rand.New(rand.NewPCG(uint64(os.Getpid()), 12)).Uint64()
	}
	rng := rand.New(rand.NewPCG(seed, 12))
	t.Logf("seed %d", seed)
	n := 0
	for tries := 0; n < *stepProps && tries < 20**stepProps; tries++ {
		g := &stepGen{r: rng}
		var src string
		var req derive.Request
		switch rng.IntN(6) {
		case 0:
			src, req = g.expr(sVec, 3), derive.Request{Wrt: "x", Order: 1, Transposed: true}
		case 1:
			src, req = g.expr(sScalar, 3), derive.Request{Wrt: "x", Order: 2}
		case 2:
			src, req = g.expr(sScalar, 3), derive.Request{Wrt: "A", Order: 1}
		case 3:
			src, req = g.expr(sScalar, 2), derive.Request{Wrt: "t", Order: 1}
		default:
			src, req = g.expr(sScalar, 4), derive.Request{Wrt: "x", Order: 1}
		}
		opts := pipeline.Options{Decls: ast.Decls{"t": ast.KindScalar, "S": ast.KindSymmetric}}
		if checkLines(t, req.Wrt+" "+src, src, req, opts) {
			n++
		}
	}
	if n < *stepProps {
		t.Errorf("only %d of %d random derivations could be checked", n, *stepProps)
	}
}

// stepGen writes random well-shaped expressions over scalars t, alpha;
// vectors x, y, b (n×1); matrices A, S (n×n, S symmetric).
type stepGen struct{ r *rand.Rand }

type stepShape int

const (
	sScalar stepShape = iota
	sVec
	sMat
)

func (g *stepGen) pick(s ...string) string { return s[g.r.IntN(len(s))] }

func (g *stepGen) expr(k stepShape, depth int) string {
	if depth <= 0 || g.r.IntN(5) == 0 {
		switch k {
		case sScalar:
			return g.pick("t", "alpha", "x^T x", "x^T A x", "t^2", "sum(x)")
		case sVec:
			return g.pick("x", "x", "y", "A x", "t x", "b")
		}
		return g.pick("A", "S", "A^T", "x x^T", "t A")
	}
	d := depth - 1
	e := func(k stepShape) string { return "(" + g.expr(k, d) + ")" }
	switch k {
	case sScalar:
		switch g.r.IntN(12) {
		case 0:
			return e(sVec) + "^T " + e(sVec)
		case 1:
			return e(sVec) + "^T A " + e(sVec)
		case 2:
			return "tr(" + e(sMat) + ")"
		case 3:
			return e(sScalar) + " " + e(sScalar)
		case 4:
			return e(sScalar) + " - " + e(sScalar)
		case 5:
			return g.pick("sin", "tanh", "sigmoid", "exp", "softplus") + "(" + e(sScalar) + "/4)"
		case 6:
			return "sum(" + g.pick("tanh", "sigmoid", "sin", "exp") + "(" + e(sVec) + "/4))"
		case 7:
			return "log(1 + " + e(sScalar) + "^2)"
		case 8:
			return "||" + e(sVec) + "||^2"
		case 9:
			return e(sScalar) + "/(1 + " + e(sScalar) + "^2)"
		case 10:
			return "log(sum(exp(" + e(sVec) + "/4)))"
		default:
			return "||" + e(sMat) + "||_F^2"
		}
	case sVec:
		switch g.r.IntN(8) {
		case 0:
			return e(sMat) + " " + e(sVec)
		case 1:
			return e(sScalar) + " " + e(sVec)
		case 2:
			return e(sVec) + " + " + e(sVec)
		case 3:
			return e(sVec) + " .* " + e(sVec)
		case 4:
			return g.pick("tanh", "sigmoid", "sin") + "(" + e(sVec) + ")"
		case 5:
			return e(sVec) + " ./ (1 + " + e(sVec) + ".^2)"
		case 6:
			return e(sVec) + " (" + e(sVec) + "^T " + e(sVec) + ")"
		default:
			return e(sVec) + " - " + e(sVec)
		}
	}
	switch g.r.IntN(6) {
	case 0:
		return e(sMat) + " " + e(sMat)
	case 1:
		return e(sMat) + "^T"
	case 2:
		return e(sMat) + " + " + e(sMat)
	case 3:
		return e(sVec) + " " + e(sVec) + "^T"
	case 4:
		return "(I + " + e(sMat) + " .* " + e(sMat) + "/8)^-1"
	default:
		return e(sScalar) + " " + e(sMat)
	}
}
