package parser

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Benchmarks of parsing alone, on the n = 10 000 inputs of the pipeline
// benchmarks (derive/bench_test.go): a chain of 10 000 factors in a norm,
// a sum of 10 000 squared norms, 10 000 nested calls, and the deepest
// nesting the limits allow.

func chainInput(n int) string {
	fs := make([]string, n)
	for i := range fs {
		fs[i] = fmt.Sprintf("A%d", i+1)
	}
	return "||" + strings.Join(fs, " ") + " x||^2"
}

func leastSquaresInput(n int) string {
	ts := make([]string, n)
	for i := range ts {
		ts[i] = fmt.Sprintf("||A%d x - b%d||^2", i+1, i+1)
	}
	return strings.Join(ts, " + ")
}

func tanhInput(n int) string {
	return "sum(" + strings.Repeat("tanh(", n) + "x" + strings.Repeat(")", n) + ")"
}

func benchParse(b *testing.B, src string) {
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := ParseExpr(src); err != nil {
			b.Fatal(err)
		}
	}
	// CPU time (all threads, the collector's too) varies less than wall
	// time on a machine that other jobs share.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the user and system time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkParseChain(b *testing.B)        { benchParse(b, chainInput(10000)) }
func BenchmarkParseLeastSquares(b *testing.B) { benchParse(b, leastSquaresInput(10000)) }
func BenchmarkParseTanh(b *testing.B)         { benchParse(b, tanhInput(10000)) }
func BenchmarkParseDeep(b *testing.B) {
	benchParse(b, strings.Repeat("(", MaxDepth)+"x"+strings.Repeat(")", MaxDepth))
}
