package derive_test

import (
	"fmt"
	"runtime/debug"
	"testing"

	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/benchfam"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
)

// Benchmarks of the whole pipeline (parse, infer, derive, simplify,
// print), as one `matdiff d/dX` runs it: the seed identities, and three
// families scaled to n = 10, 100, 1000 and 10 000. Each reports the time
// and allocations per derivative and the size of the printed result.
// bench/compare.sh runs them and the same families in SymPy.

var unlimited = pipeline.Options{MaxNodes: -1, Budget: -1}

// asBinary runs b under the collector settings of the matdiff binary
// (pipeline.TuneCollector), so that in process means as matdiff runs.
func asBinary(b *testing.B) {
	gc := debug.SetGCPercent(100)
	debug.SetGCPercent(gc)
	limit := debug.SetMemoryLimit(-1) // reads it
	pipeline.TuneCollector()
	b.Cleanup(func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	})
}

func benchDerivative(b *testing.B, expr, wrt string) {
	asBinary(b)
	b.ReportAllocs()
	var out string
	cpu0 := benchfam.CPUTime()
	for b.Loop() {
		_, d, err := pipeline.Differentiate(expr, derive.Request{Wrt: wrt}, unlimited)
		if err != nil {
			b.Fatal(err)
		}
		out = render.Text(d.Result)
	}
	// CPU time (all threads, the collector's too) varies less than wall
	// time on a machine that other jobs share.
	b.ReportMetric(float64(benchfam.CPUTime()-cpu0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(len(out)), "bytes/op")
}

func BenchmarkSeeds(b *testing.B) {
	seeds := []struct{ wrt, expr string }{
		{"x", "x^T x"}, {"x", "x^T y"}, {"x", "(x^T y)^2"}, {"x", "(A x)^T"},
		{"x", "||Ax||^2"}, {"A", "||Ax||^2"}, {"B", "||BAx||^2"},
		{"x", "||BAx||^2"}, {"A", "||BAx||^2"},
	}
	for _, s := range seeds {
		b.Run(fmt.Sprintf("d/d%s_%s", s.wrt, s.expr), func(b *testing.B) { benchDerivative(b, s.expr, s.wrt) })
	}
}

func benchFamily(b *testing.B, family func(int) (string, string), sizes ...int) {
	for _, n := range sizes {
		expr, wrt := family(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchDerivative(b, expr, wrt) })
	}
}

// The least-squares sum at n = 30 000 is longer than the parser's input
// limit (512 KiB); n = 20 000 is the largest that fits.
func BenchmarkChain(b *testing.B) { benchFamily(b, benchfam.Chain, 10, 100, 1000, 10000, 30000) }
func BenchmarkLeastSquares(b *testing.B) {
	benchFamily(b, benchfam.LeastSquares, 10, 100, 1000, 10000, 20000)
}
func BenchmarkTanh(b *testing.B) { benchFamily(b, benchfam.Tanh, 10, 100, 1000) }

// BenchmarkTanhLimit is the time matdiff takes to refuse the n = 10 000
// composition under the default limits: its gradient would print as about
// 300 MB, so the size limit stops it (exit 1 on the command line).
func BenchmarkTanhLimit(b *testing.B) {
	expr, wrt := benchfam.Tanh(10000)
	b.ReportAllocs()
	for b.Loop() {
		_, _, err := pipeline.Differentiate(expr, derive.Request{Wrt: wrt}, pipeline.Options{})
		if err == nil {
			b.Fatal("no limit error")
		}
	}
}
