package derive_test

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
)

// Benchmarks of the whole pipeline (parse, infer, derive, simplify,
// print), as one `matdiff d/dX` runs it: the seed identities, and three
// families scaled to n = 10, 100, 1000 and 10 000. Each reports the time
// and allocations per derivative and the size of the printed result.
// bench/compare.sh runs them and the same families in SymPy.

// Chain is ||A1 A2 … An x||^2 by the middle factor A(n/2).
func Chain(n int) (expr, wrt string) {
	fs := make([]string, n)
	for i := range fs {
		fs[i] = fmt.Sprintf("A%d", i+1)
	}
	return "||" + strings.Join(fs, " ") + " x||^2", fmt.Sprintf("A%d", (n+1)/2)
}

// LeastSquares is ||A1 x - b1||^2 + … + ||An x - bn||^2 by x.
func LeastSquares(n int) (expr, wrt string) {
	ts := make([]string, n)
	for i := range ts {
		ts[i] = fmt.Sprintf("||A%d x - b%d||^2", i+1, i+1)
	}
	return strings.Join(ts, " + "), "x"
}

// Tanh is sum(tanh(tanh(…tanh(x)…))) with n calls, by x. Its gradient
// holds every inner composition, so the printed result grows as n².
func Tanh(n int) (expr, wrt string) {
	return "sum(" + strings.Repeat("tanh(", n) + "x" + strings.Repeat(")", n) + ")", "x"
}

var unlimited = pipeline.Options{MaxNodes: -1, Budget: -1}

func benchDerivative(b *testing.B, expr, wrt string) {
	b.ReportAllocs()
	var out string
	cpu0 := cpuTime()
	for b.Loop() {
		_, d, err := pipeline.Differentiate(expr, derive.Request{Wrt: wrt}, unlimited)
		if err != nil {
			b.Fatal(err)
		}
		out = render.Text(d.Result)
	}
	// CPU time (all threads, the collector's too) varies less than wall
	// time on a machine that other jobs share.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(len(out)), "bytes/op")
}

// cpuTime is the user and system time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
func BenchmarkChain(b *testing.B) { benchFamily(b, Chain, 10, 100, 1000, 10000, 30000) }
func BenchmarkLeastSquares(b *testing.B) {
	benchFamily(b, LeastSquares, 10, 100, 1000, 10000, 20000)
}
func BenchmarkTanh(b *testing.B) { benchFamily(b, Tanh, 10, 100, 1000) }

// BenchmarkTanhLimit is the time matdiff takes to refuse the n = 10 000
// composition under the default limits: its gradient would print as about
// 300 MB, so the size limit stops it (exit 1 on the command line).
func BenchmarkTanhLimit(b *testing.B) {
	expr, wrt := Tanh(10000)
	b.ReportAllocs()
	for b.Loop() {
		_, _, err := pipeline.Differentiate(expr, derive.Request{Wrt: wrt}, pipeline.Options{})
		if err == nil {
			b.Fatal("no limit error")
		}
	}
}
