package simplify_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/benchfam"
	"github.com/matdiff/matdiff/simplify"
)

// longSum is a sum of about n nodes: products of matrices, vectors and
// scalars over a pool of names, so that terms repeat (collect-like-terms),
// share factors (factor-left and -right) and need sorting.
func longSum(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < 4*n; i++ {
		if i > 0 {
			b.WriteString([]string{" + ", " - "}[i%2])
		}
		fmt.Fprintf(&b, "%d alpha%d M%d N%d x%d", i%7+1, i%13, i%17, i%19, i%23)
	}
	return b.String()
}

// deepChain is a product chain nested to depth n: 2 A (3 A^T ((4 S (...
// x))^T^T)), with a coefficient at every level and a double transpose at
// every other one.
func deepChain(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%d %s (", i%3+2, []string{"A", "A^T", "S"}[i%3])
		if i%2 == 1 {
			b.WriteString("(")
		}
	}
	b.WriteString("x")
	for i := n - 1; i >= 0; i-- {
		if i%2 == 1 {
			b.WriteString(")^T^T")
		}
		b.WriteString(")")
	}
	return b.String()
}

// deepSum nests sums and transposes to depth n: (((x + y)^T A + x^T)^T ...).
func deepSum(n int) string {
	s := "x"
	for i := 0; i < n; i++ {
		s = fmt.Sprintf("(%s + %s)", s, []string{"y", "x", "A y", "S x"}[i%4])
	}
	return s
}

func benchSimplify(b *testing.B, src string) {
	typed := parse(b, src)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := &simplify.Context{Info: typed.Info}
		if _, err := c.Simplify(typed.Expr); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(treeSize(typed.Expr)), "nodes")
}

func BenchmarkLongSum(b *testing.B)      { benchSimplify(b, longSum(10000)) }
func BenchmarkDeepChain(b *testing.B)    { benchSimplify(b, deepChain(2700)) }
func BenchmarkDeepChain500(b *testing.B) { benchSimplify(b, deepChain(500)) }
func BenchmarkDeepSum(b *testing.B)      { benchSimplify(b, deepSum(3500)) }

// TestLargeExpressions: expressions of 10 000 nodes simplify quickly (a
// guard against quadratic rules; the benchmarks give the numbers).
func TestLargeExpressions(t *testing.T) {
	for _, src := range []string{longSum(10000), deepChain(2700), deepSum(3500)} {
		typed := parse(t, src)
		if n := treeSize(typed.Expr); n < 10000 {
			t.Fatalf("only %d nodes", n)
		}
		start := time.Now()
		out, err := simplifyAll(typed.Expr, typed.Info)
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%.40s...: %v", src, d)
		}
		if !ast.Equal(out, typed.Simplify(out)) {
			t.Errorf("%.40s...: not idempotent", src)
		}
	}
}

// treeSize is the number of nodes of the tree.
func treeSize(e ast.Expr) int {
	n := 0
	ast.Inspect(e, func(x ast.Expr) bool {
		if x != nil {
			n++
		}
		return true
	})
	return n
}

// BenchmarkLeastSquaresGradient simplifies the raw gradient of
// ||A1 x - b1||^2 + … + ||An x - bn||^2 at n = 10 000: the simplifier's
// share of derive's BenchmarkLeastSquares.
func BenchmarkLeastSquaresGradient(b *testing.B) {
	expr, _ := benchfam.LeastSquares(10000)
	typed := parse(b, expr)
	r, err := derive.Derive(typed.Expr, typed.Info, derive.Request{Wrt: "x"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0 := benchfam.CPUTime()
	for b.Loop() {
		c := &simplify.Context{Info: typed.Info}
		if _, err := c.Simplify(r.Expr); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchfam.CPUTime()-cpu0)/float64(b.N), "cpu-ns/op")
}
