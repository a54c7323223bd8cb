package render

import (
	"testing"

	"github.com/matdiff/matdiff/parser"
)

// TestUnicodeReadsBack checks that Unicode output uses only symbols of the
// input language: it parses, and prints the same again. (Greek names come
// back as letters, so the text of the two trees may differ: alpha and α
// are different names.)
func TestUnicodeReadsBack(t *testing.T) {
	for _, src := range inputs {
		e, err := parser.ParseExpr(src)
		if err != nil {
			continue
		}
		u := Unicode(e, nil)
		e2, err := parser.ParseExpr(u)
		if err != nil {
			t.Errorf("%q prints in Unicode as %q, which does not parse: %v", src, u, err)
			continue
		}
		if u2 := Unicode(e2, nil); u2 != u {
			t.Errorf("%q prints in Unicode as %q, which prints as %q", src, u, u2)
		}
	}
}
