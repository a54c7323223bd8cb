package codegen_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/codegen"
	"github.com/matdiff/matdiff/internal/golden"
)

// printed are expressions whose generated code the golden files keep, one
// per lowering that matters: matrix-vector order, outer products, sums of
// ones, diagonal scalings, Kronecker products applied to vectors, solves,
// traces of chains, shared locals, size checks.
var printed = []struct {
	src     string
	decls   ast.Decls
	hessian string
	wrt     []string
}{
	{src: "||X w - y||^2 + lambda ||w||^2"},
	{src: "||B A x||^2"},                            // 2 B^T B A x x^T is the outer product of B^T (B (A x)) and x
	{src: "x^T A x", hessian: "x"},                  // x^T (A x), a dot product
	{src: "1^T x + x^T 1"},                          // sums
	{src: "x^T diag(y) A z"},                        // a row scaling, never diag(y) formed
	{src: "x^T (A ⊗ B) y", wrt: []string{"x", "y"}}, // (A ⊗ B) y = vec(B Y A^T), never formed
	{src: "x^T A^-1 x"},                             // a solve
	{src: "tr(A X B X^T C)"},
	{src: "tr(A B C D)"},       // a trace of a chain is a sum of an entrywise product
	{src: "x^T (A B C) y"},     // matrix-vector from both ends
	{src: "||X^T X X^T||_F^2"}, // a multi-dot
	{src: "x^T S x", decls: ast.Decls{"S": ast.KindSymmetric}},
	{src: "a^T X^-2 b"},
	{src: "(x^T x)^2", hessian: "x"},
	{src: "A x - b", wrt: []string{"x", "b"}},        // Jacobians
	{src: "2 x^T A x + 3 b^T x", wrt: []string{"x"}}, // (A + A^T) x applied term by term
	{src: "sum(softplus(A x)) + sum(tanh(W x))", hessian: "x", wrt: []string{"x"}}, // A^T diag(…) A - 2 W^T diag(…) W: a difference, not + -2 *
}

func TestGoldenCode(t *testing.T) {
	for _, lang := range codegen.Langs {
		var b strings.Builder
		for _, p := range printed {
			out, err := codegen.Generate(p.src, codegen.Options{Lang: lang, Decls: p.decls, Hessian: p.hessian, Wrt: p.wrt})
			if err != nil {
				t.Errorf("%s: %v", p.src, err)
				continue
			}
			fmt.Fprintf(&b, "===== %s\n%s\n", p.src, out)
		}
		golden.Check(t, filepath.Join("testdata", lang+".golden"), b.String())
	}
}
