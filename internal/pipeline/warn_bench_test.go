package pipeline_test

import (
	"fmt"
	"testing"

	"github.com/matdiff/matdiff/internal/benchfam"
	"github.com/matdiff/matdiff/internal/pipeline"
)

// Benchmarks of the front end alone: parsing, shape inference and the
// warnings (pipeline.Parse) of the least-squares input and the chain of
// the derivative benchmarks (derive/bench_test.go),
// ||A1 x - b1||^2 + … + ||An x - bn||^2 and ||A1 A2 … An x||^2.

func BenchmarkParseLeastSquares(b *testing.B) {
	benchParse(b, benchfam.LeastSquares, 1000, 10000, 20000)
}
func BenchmarkParseChain(b *testing.B) { benchParse(b, benchfam.Chain, 1000, 10000, 30000) }

// benchParse runs pipeline.Parse on the family's inputs of the sizes.
func benchParse(b *testing.B, family func(int) (string, string), sizes ...int) {
	for _, n := range sizes {
		src, _ := family(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			cpu0 := benchfam.CPUTime()
			for b.Loop() {
				if _, err := pipeline.Parse(src, pipeline.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(benchfam.CPUTime()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}
