package render_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/benchfam"
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
			cpu0 := benchfam.CPUTime()
			for b.Loop() {
				out = c.f()
			}
			b.ReportMetric(float64(benchfam.CPUTime()-cpu0)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(len(out)), "bytes/op")
		})
	}
}
