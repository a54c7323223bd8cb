package pipeline

import (
	"testing"

	"github.com/matdiff/matdiff/ast"
)

// mayCall sees every spelling of the functions the elementwise warning
// looks under, and passes over text without them.
func TestMayCall(t *testing.T) {
	for _, name := range matrixScalars {
		f, ok := ast.Funcs[name]
		if !ok {
			t.Fatalf("%s is not a function", name)
		}
		for _, s := range append([]string{name}, f.Aliases...) {
			if !mayCall("x^T A x + "+s+"(exp(X))", matrixScalars) {
				t.Errorf("mayCall misses %s", s)
			}
		}
	}
	for _, src := range []string{"||A1 x - b1||^2", "exp(X) + log(Y)", "sum(sqrt(x))"} {
		if mayCall(src, matrixScalars) {
			t.Errorf("mayCall(%q) = true", src)
		}
	}
}
