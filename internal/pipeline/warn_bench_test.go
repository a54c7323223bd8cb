package pipeline_test

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/matdiff/matdiff/internal/pipeline"
)

// Benchmarks of the front end alone: parsing, shape inference and the
// warnings (pipeline.Parse) of the least-squares input of the derivative
// benchmarks (derive/bench_test.go), ||A1 x - b1||^2 + … + ||An x - bn||^2.

func leastSquares(n int) string {
	ts := make([]string, n)
	for i := range ts {
		ts[i] = fmt.Sprintf("||A%d x - b%d||^2", i+1, i+1)
	}
	return strings.Join(ts, " + ")
}

func BenchmarkParseLeastSquares(b *testing.B) {
	for _, n := range []int{1000, 10000, 20000} {
		src := leastSquares(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := pipeline.Parse(src, pipeline.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the user and system time of the process so far, every thread
// (the collector's too).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
