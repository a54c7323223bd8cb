// Package benchfam holds what the packages' benchmarks share: the
// families of inputs the performance goals are stated on (BENCHMARKS.md,
// "Performance goals"), so that every package measures the same input,
// and a CPU-time meter. It is a package of its own because tests of
// several packages import it and none of them may import another's tests.
package benchfam

import (
	"fmt"
	"strings"
	"syscall"
	"time"
)

// Chain is ||A1 A2 … An x||^2, by the middle factor A(n/2).
func Chain(n int) (expr, wrt string) {
	fs := make([]string, n)
	for i := range fs {
		fs[i] = fmt.Sprintf("A%d", i+1)
	}
	return "||" + strings.Join(fs, " ") + " x||^2", fmt.Sprintf("A%d", (n+1)/2)
}

// LeastSquares is ||A1 x - b1||^2 + … + ||An x - bn||^2, by x.
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

// CPUTime is the user and system time of the process so far, every thread
// (the collector's too): on a machine that other jobs share it varies less
// than wall time.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
