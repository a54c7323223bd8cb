package parser

import (
	"strings"
	"testing"

	"github.com/matdiff/matdiff/internal/benchfam"
)

// Benchmarks of parsing alone, on the n = 10 000 inputs of the pipeline
// benchmarks (derive/bench_test.go): a chain of 10 000 factors in a norm,
// a sum of 10 000 squared norms, 10 000 nested calls, and the deepest
// nesting the limits allow.

// input is the expression of a family.
func input(expr, _ string) string { return expr }

func benchParse(b *testing.B, src string) {
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	cpu0 := benchfam.CPUTime()
	for b.Loop() {
		if _, err := ParseExpr(src); err != nil {
			b.Fatal(err)
		}
	}
	// CPU time (all threads, the collector's too) varies less than wall
	// time on a machine that other jobs share.
	b.ReportMetric(float64(benchfam.CPUTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

func BenchmarkParseChain(b *testing.B)        { benchParse(b, input(benchfam.Chain(10000))) }
func BenchmarkParseLeastSquares(b *testing.B) { benchParse(b, input(benchfam.LeastSquares(10000))) }
func BenchmarkParseTanh(b *testing.B)         { benchParse(b, input(benchfam.Tanh(10000))) }
func BenchmarkParseDeep(b *testing.B) {
	benchParse(b, strings.Repeat("(", MaxDepth)+"x"+strings.Repeat(")", MaxDepth))
}
