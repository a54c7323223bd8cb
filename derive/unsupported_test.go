package derive_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/internal/cases"
	"github.com/matdiff/matdiff/internal/pipeline"
)

// TestUnsupportedConstructs: a derivative that has no closed form here is
// an error that names the construct, never a wrong answer or a silent 0.
func TestUnsupportedConstructs(t *testing.T) {
	tests := []struct {
		token, expr, options string
		want                 string // part of the message
	}{
		{"d/dX", "u^T (X ⊗ Y) w", "", "sum of Kronecker products"},
		{"d/dX", "vec(X)^T b", "", "not itself the vec of a matrix expression"},
		{"d/dA", "A x", "", "use --vec"},
		{"d/dx", "x x^T", "", "use --vec"},
		{"d2/dX2", "tr(X^T X)", "", "use --vec"},
		{"d2/dx2", "A x", "", "needs a scalar expression"},
		{"d/dS", "A S", "S:sym, --vec", "duplication matrix"},
	}
	for _, tt := range tests {
		c := cases.Case{Token: tt.token, Expr: tt.expr, Options: tt.options}
		_, d, err := pipeline.Differentiate(tt.expr, c.Request(), c.PipelineOptions())
		if err == nil {
			t.Errorf("%s %s: got %v, want an error about %q", tt.token, tt.expr, d.Result, tt.want)
			continue
		}
		var ae *ast.Error
		if !errors.As(err, &ae) {
			t.Errorf("%s %s: %v is not an *ast.Error", tt.token, tt.expr, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %s:\n got %v\nwant a message with %q", tt.token, tt.expr, err, tt.want)
		}
	}
}
