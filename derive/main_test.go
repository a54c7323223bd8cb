package derive_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/matdiff/matdiff/ast"
)

// TestMain runs the tests, then checks that none of them modified the
// shared values of small numbers in place (ast.SmallRat): every Number
// of the tree may hold one, so such a change would corrupt them all.
func TestMain(m *testing.M) {
	code := m.Run()
	for v := int64(-16); v <= 16; v++ {
		if r := ast.SmallRat(v); !r.IsInt() || r.Num().Int64() != v {
			fmt.Fprintf(os.Stderr, "the shared Rat of %d was modified: it is now %s\n", v, r.RatString())
			code = 1
		}
	}
	os.Exit(code)
}
