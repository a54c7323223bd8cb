package codegen_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestLongChainsRun: chains longer than the dynamic programming orders
// (greedy order) are written in linear time and compute the right value
// and gradients, in a trace, a norm and a quadratic form.
func TestLongChainsRun(t *testing.T) {
	needLang(t, "numpy")
	names := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "A%d ", i)
		}
		return b.String()
	}
	var jobs []*job
	for i, c := range []struct{ src, wrt string }{
		{"||" + names(30) + "x||^2", "A7"},
		{"||" + names(30) + "x||^2", "x"},
		{"y^T " + names(40) + "x", "A0"},
		{"tr(" + names(26) + ")", "A3"},
		{"x^T " + strings.Repeat("B ", 30) + "x", "B"},
	} {
		req := request{what: "d/d" + c.wrt + " " + c.src, src: c.src, wrt: c.wrt, order: 1}
		j, why := makeJob(t, 20000+i, req, "numpy")
		if j == nil {
			t.Errorf("%s: %s", req.what, why)
			continue
		}
		jobs = append(jobs, j)
	}
	runPython(t, "numpy", jobs)
}
