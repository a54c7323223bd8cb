package derive_test

import (
	"testing"

	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/benchfam"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
)

// BenchmarkStages measures the two stages this package and render own on
// the n = 10 000 families, apart from parsing and simplifying (done once,
// outside the loop): derive.Derive of the typed tree, and render.Text of
// the simplified derivative.
func BenchmarkStages(b *testing.B) {
	for _, fam := range []struct {
		name string
		f    func(int) (string, string)
	}{{"chain", benchfam.Chain}, {"least-squares", benchfam.LeastSquares}} {
		expr, wrt := fam.f(10000)
		typed, d, err := pipeline.Differentiate(expr, derive.Request{Wrt: wrt}, unlimited)
		if err != nil {
			b.Fatal(err)
		}
		for _, stage := range []struct {
			name string
			f    func()
		}{
			{"derive", func() {
				if _, err := derive.Derive(typed.Expr, typed.Info, derive.Request{Wrt: wrt, Order: 1}); err != nil {
					b.Fatal(err)
				}
			}},
			{"text", func() { _ = render.Text(d.Result) }},
		} {
			b.Run(stage.name+"/"+fam.name, func(b *testing.B) {
				b.ReportAllocs()
				cpu0 := benchfam.CPUTime()
				for b.Loop() {
					stage.f()
				}
				b.ReportMetric(float64(benchfam.CPUTime()-cpu0)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}
