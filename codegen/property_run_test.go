package codegen_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/internal/randexpr"
)

var (
	props    = flag.Int("codegen-props", 200, "random expressions whose generated code the property test runs")
	propSeed = flag.Uint64("codegen-seed", 0, "seed of the random expressions of the property test (0: the fixed ones)")
)

// TestPropertyRandomCodeRuns writes NumPy code for random expressions
// (those of derive's property test) and runs it: value and gradient by a
// random variable against finite differences, and a call with an
// inconsistent size.
func TestPropertyRandomCodeRuns(t *testing.T) {
	needLang(t, "numpy")
	r := rand.New(rand.NewPCG(17, 23))
	if *propSeed != 0 {
		r = rand.New(rand.NewPCG(*propSeed, 23))
	}
	g := &randexpr.Gen{R: r}
	var jobs []*job
	tries := 0
	for len(jobs) < *props && tries < 3**props {
		tries++
		src := g.Composite(randexpr.Scalar, 1+r.IntN(3)) + randexpr.Anchor(randexpr.Scalar)
		typed, err := pipeline.Parse(src, pipeline.Options{Decls: randexpr.Decls})
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		vars := typed.Info.Order
		wrt := vars[r.IntN(len(vars))]
		req := request{what: fmt.Sprintf("d/d%s %s", wrt, src), src: src, decls: randexpr.Decls, wrt: wrt, order: 1}
		j, why := makeJob(t, 10000+tries, req, "numpy")
		if j == nil {
			// tr(I) has no size that a variable fixes: refused, rightly.
			if strings.HasPrefix(why, "codegen: ") && !strings.Contains(why, "not fixed by any variable") {
				t.Errorf("%s: %s", req.what, why)
			}
			continue
		}
		jobs = append(jobs, j)
	}
	t.Logf("%d random expressions run, of %d written", len(jobs), tries)
	if len(jobs) < *props/2 {
		t.Errorf("only %d of %d random expressions could be run", len(jobs), tries)
	}
	runPython(t, "numpy", jobs)
}
