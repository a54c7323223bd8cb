package cmd

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/internal/cases"
)

// typicalBatch is n lines of typical derivatives: the cases of the
// derivative tables that need no declaration or flag, in turn.
func typicalBatch(b *testing.B, n int) string {
	var lines []string
	for _, name := range []string{"cases.txt", "ml_cases.txt"} {
		cs, err := cases.Read(filepath.Join("..", "derive", "testdata", name))
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range cs {
			if c.Options == "" {
				lines = append(lines, c.Token+" "+c.Expr)
			}
		}
	}
	var s strings.Builder
	for i := 0; i < n; i++ {
		s.WriteString(lines[i%len(lines)] + "\n")
	}
	return s.String()
}

// BenchmarkBatch measures the throughput of matdiff batch on 10 000
// typical derivatives, in derivatives per second, with 1 and 2 workers:
// go test -bench Batch -run '^$' ./cmd
func BenchmarkBatch(b *testing.B) {
	const n = 10000
	input := typicalBatch(b, n)
	for _, jobs := range []int{1, 2} {
		b.Run(fmt.Sprintf("jobs=%d", jobs), func(b *testing.B) {
			for b.Loop() {
				if code := Run([]string{"batch", "--jobs", fmt.Sprint(jobs)}, strings.NewReader(input), io.Discard, io.Discard); code != 0 {
					b.Fatalf("exit %d", code)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "derivatives/s")
		})
	}
}
