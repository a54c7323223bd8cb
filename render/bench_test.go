package render_test

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

// BenchmarkText prints large results: the gradient of the least-squares
// sum Σ ||Ai x - bi||^2 by x and the 10^4-term sum Σ ci^T Ai Bi x as given,
// at 10^4 terms. The derivatives are made once, outside the timer.
func BenchmarkText(b *testing.B) {
	const n = 10000
	var ls, prods []string
	for i := range n {
		ls = append(ls, fmt.Sprintf("||A%d x - b%d||^2", i+1, i+1))
		prods = append(prods, fmt.Sprintf("c%d^T A%d B%d x", i, i, i))
	}
	_, d, err := pipeline.Differentiate(strings.Join(ls, " + "), derive.Request{Wrt: "x"}, pipeline.Options{MaxNodes: -1, Budget: -1})
	if err != nil {
		b.Fatal(err)
	}
	typed, err := pipeline.Parse(strings.Join(prods, " + "), pipeline.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		f    func() string
	}{
		{"least-squares-gradient", func() string { return render.Text(d.Result) }},
		{"sum-of-products", func() string { return render.Text(typed.Expr) }},
		{"least-squares-gradient-latex", func() string { return render.LaTeX(d.Result, nil) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var out string
			cpu0 := cpuTime()
			for b.Loop() {
				out = c.f()
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(len(out)), "bytes/op")
		})
	}
}

// cpuTime is the user and system time of the process so far: on a machine
// that other jobs share it varies less than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
