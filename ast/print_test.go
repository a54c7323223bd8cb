package ast_test

import (
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/parser"
)

// Equal trees have equal fingerprints; Identical tells apart trees that
// Equal calls equal but whose identities differ in size.
func TestFingerprints(t *testing.T) {
	var fp func(e ast.Expr) uint64
	fp = func(e ast.Expr) uint64 {
		h := ast.NodePrint(e)
		for i := range ast.NumChildren(e) {
			h = ast.MixPrint(h, fp(ast.Child(e, i)))
		}
		return h
	}
	for _, c := range []struct {
		a, b  string
		equal bool
	}{
		{"A x + 2 y", "A x + 2 y", true},
		{"A x + 2 y", "A x + 3 y", false},
		{"x^T x", "x^T y", false},
		{"tanh(x)", "sigmoid(x)", false},
		{"x .^ 2", "x .^ 3", false},
		{"||x||_1", "||x||_2", false},
	} {
		a, err := parser.ParseExpr(c.a)
		if err != nil {
			t.Fatal(err)
		}
		b, err := parser.ParseExpr(c.b)
		if err != nil {
			t.Fatal(err)
		}
		if ast.Identical(a, b) != c.equal || ast.Equal(a, b) != c.equal {
			t.Errorf("%s and %s: Identical %v, Equal %v, want %v", c.a, c.b, ast.Identical(a, b), ast.Equal(a, b), c.equal)
		}
		if c.equal && fp(a) != fp(b) {
			t.Errorf("%s: equal trees with fingerprints %x and %x", c.a, fp(a), fp(b))
		}
		if !c.equal && fp(a) == fp(b) {
			t.Errorf("%s and %s: the same fingerprint", c.a, c.b)
		}
	}
	m, n := ast.Dim{1}, ast.Dim{2}
	i, j := &ast.Call{Func: "tr", Args: []ast.Expr{&ast.Identity{N: m}}}, &ast.Call{Func: "tr", Args: []ast.Expr{&ast.Identity{N: n}}}
	if !ast.Equal(i, j) || ast.Identical(i, j) || fp(i) == fp(j) {
		t.Errorf("tr(I) of sizes m and n: Equal %v, Identical %v, the same fingerprint %v", ast.Equal(i, j), ast.Identical(i, j), fp(i) == fp(j))
	}
}
