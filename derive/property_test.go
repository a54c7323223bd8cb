package derive_test

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/check"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/internal/randexpr"
	"github.com/matdiff/matdiff/render"
)

var props = flag.Int("props", 500, "random expressions in the property test")

// propSeed varies the random expressions of the derivative property tests
// (0, the default, is the fixed sequence the suite always checks).
var propSeed = flag.Uint64("propseed", 0, "seed of the random expressions of the derivative property tests (0: the fixed ones)")

func TestPropertyRandomDerivatives(t *testing.T) {
	r := rand.New(rand.NewPCG(7+*propSeed, 11))
	g := &randexpr.Gen{R: r}
	decls := randexpr.Decls
	checked, skipped := 0, 0
	for i := 0; i < *props; i++ {
		k := randexpr.Scalar
		if i%4 == 3 {
			k = randexpr.Vec
		}
		src := g.Composite(k, 1+r.IntN(3)) + randexpr.Anchor(k)
		typed, err := pipeline.Parse(src, pipeline.Options{Decls: decls})
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		for _, v := range typed.Info.Order {
			if strings.Contains(" x y u alpha beta A S B ", " "+v+" ") == false {
				continue
			}
			req := derive.Request{Wrt: v, Order: 1}
			vs := typed.Info.Vars[v].Shape
			if k == randexpr.Vec && !vs.IsVector() && !vs.IsScalar() {
				continue // a vector by a matrix needs --vec
			}
			if k == randexpr.Vec {
				req.Transposed = true
			}
			d, err := typed.Derive(req)
			if err != nil {
				t.Errorf("d/d%s %s: %v", v, src, err)
				continue
			}
			rep, err := check.Derivative(typed.Expr, typed.Info, d.Request, d.Result, check.Options{})
			if errors.Is(err, check.ErrNoInstance) {
				skipped++
				continue
			}
			if err != nil || !rep.OK {
				t.Errorf("d/d%s %s = %s: %v %v\n raw %s", v, src, render.Text(d.Result), rep, err, render.Text(d.Raw))
				continue
			}
			checked++
		}
	}
	t.Logf("%d derivatives of %d expressions checked numerically, %d without a valid instance", checked, *props, skipped)
	if checked < *props {
		t.Errorf("only %d derivatives checked", checked)
	}
	_ = fmt.Sprint
}
