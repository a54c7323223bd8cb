package check_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/check"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/benchfam"
	"github.com/matdiff/matdiff/internal/pipeline"
)

// hostileChecks are the inputs of the hostile set whose derivative by x
// exists, at 10^4 terms or levels: what `matdiff check d/dx` spends its
// time on.
func hostileChecks() []struct{ name, src string } {
	const n = 10000
	var terms, scaled []string
	for i := range n {
		terms = append(terms, fmt.Sprintf("c%d^T A%d B%d x", i, i, i))
		scaled = append(scaled, fmt.Sprintf("alpha%d x^T A%d x", i%7, i))
	}
	return []struct{ name, src string }{
		{"sum", strings.Join(terms, " + ")},
		{"chain", "y^T " + strings.Repeat("A (", n) + "x" + strings.Repeat(")", n)},
		{"scaled", strings.Join(scaled, " + ")},
	}
}

// BenchmarkCheckHostile measures the numeric check alone (parsing and
// differentiating are done once, outside the timer).
func BenchmarkCheckHostile(b *testing.B) {
	for _, h := range hostileChecks() {
		typed, d, err := pipeline.Differentiate(h.src, derive.Request{Wrt: "x"}, pipeline.Options{Budget: -1})
		if err != nil {
			b.Fatalf("%s: %v", h.name, err)
		}
		b.Run(h.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := benchfam.CPUTime()
			for b.Loop() {
				rep, err := check.Derivative(typed.Expr, typed.Info, d.Request, d.Result, check.Options{})
				if b.N == 1 {
					b.Logf("%v %v", rep, err)
				}
			}
			b.ReportMetric(float64(benchfam.CPUTime()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}
