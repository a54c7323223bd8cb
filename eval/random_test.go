package eval

import (
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/ast"
)

// randomTree builds an arbitrary, often ill-shaped tree over the fixture's
// variables.
func randomTree(rng *rand.Rand, depth int) ast.Expr {
	leaves := []func() ast.Expr{
		func() ast.Expr { return name([]string{"x", "y", "A", "B", "S", "alpha", "beta", "z"}[rng.IntN(8)]) },
		func() ast.Expr { return ast.Rat(rng.Int64N(7)-3, 1+rng.Int64N(3)) },
		func() ast.Expr { return &ast.Pi{} },
		func() ast.Expr { return &ast.Identity{N: ast.Dim{1 + rng.IntN(3)}} },
		func() ast.Expr { return &ast.Ones{N: ast.Dim{rng.IntN(4)}} },
		func() ast.Expr { return &ast.Zero{Shape: ast.Shape{Rows: ast.Dim{2}}} },
		func() ast.Expr { return &ast.Dimension{Cols: rng.IntN(2) == 0, X: name("B")} },
	}
	if depth == 0 || rng.IntN(4) == 0 {
		return leaves[rng.IntN(len(leaves))]()
	}
	sub := func() ast.Expr { return randomTree(rng, depth-1) }
	exp := func() *big.Rat { return big.NewRat(rng.Int64N(7)-3, 1+rng.Int64N(2)) }
	fns := ast.FuncNames()
	nodes := []func() ast.Expr{
		func() ast.Expr { return sum(sub(), sub()) },
		func() ast.Expr { return prod(sub(), sub(), sub()) },
		func() ast.Expr { return &ast.Hadamard{X: sub(), Y: sub()} },
		func() ast.Expr { return &ast.ElemDiv{X: sub(), Y: sub()} },
		func() ast.Expr { return &ast.Div{X: sub(), Y: sub()} },
		func() ast.Expr { return &ast.Kron{X: sub(), Y: sub()} },
		func() ast.Expr { return &ast.Neg{X: sub()} },
		func() ast.Expr { return tr(sub()) },
		func() ast.Expr { return &ast.Inverse{X: sub()} },
		func() ast.Expr { return &ast.Power{X: sub(), Exp: exp()} },
		func() ast.Expr { return &ast.ElemPower{X: sub(), Exp: exp()} },
		func() ast.Expr { return &ast.Norm{Kind: ast.NormKind(rng.IntN(4)), X: sub()} },
		func() ast.Expr { return call(fns[rng.IntN(len(fns))], sub()) },
	}
	return nodes[rng.IntN(len(nodes))]()
}

func TestRandomTreesNeverPanic(t *testing.T) {
	info, in := fixture()
	rng := rand.New(rand.NewPCG(21, 22))
	ok := 0
	for i := 0; i < 20000; i++ {
		e := randomTree(rng, 5)
		_, err := Eval(e, info, in)
		if err == nil {
			ok++
			continue
		}
		if strings.Contains(err.Error(), "internal error") {
			t.Fatalf("%v", err)
		}
	}
	if ok == 0 {
		t.Fatal("no random tree evaluated")
	}
}
