package eval

import (
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/render"
	"gonum.org/v1/gonum/mat"
)

func rendered(e ast.Expr) string { return render.Text(e) }

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

// central is the finite difference that Directionals computes, the plain
// way: the whole expression evaluated at X + hE and at X - hE.
func central(e ast.Expr, info *ast.Info, in *Instance, wrt string, E *mat.Dense, h float64) (*mat.Dense, error) {
	var xp, xm mat.Dense
	x := in.Values[wrt]
	xp.Apply(func(i, j int, v float64) float64 { return v + h*E.At(i, j) }, x)
	xm.Apply(func(i, j int, v float64) float64 { return v - h*E.At(i, j) }, x)
	fp, err := Eval(e, info, in.With(wrt, &xp))
	if err != nil {
		return nil, err
	}
	fm, err := Eval(e, info, in.With(wrt, &xm))
	if err != nil {
		return nil, err
	}
	if !sameDims(fp, fm) {
		return nil, ErrShape
	}
	var d mat.Dense
	d.Sub(fp, fm)
	d.Scale(1/(2*h), &d)
	return &d, nil
}

// TestDirectionalsAgreeWithEval: the finite differences that share the
// values of the subexpressions not moved by the direction are those of
// whole evaluations, to the bit, and fail where they fail; evaluating
// leaves the instance's values as they were.
func TestDirectionalsAgreeWithEval(t *testing.T) {
	info, in := fixture()
	before := map[string]*mat.Dense{}
	for k, v := range in.Values {
		before[k] = mat.DenseCopyOf(v)
	}
	rng := rand.New(rand.NewPCG(23, 24))
	agreed := 0
	for i := 0; i < 5000; i++ {
		e := randomTree(rng, 5)
		if i%3 == 0 { // a subtree shared by two parents
			e = sum(prod(e, name("x")), tr(e))
		}
		for _, wrt := range []string{"x", "A", "alpha"} {
			E := RandomDirection(info, in, wrt, rng)
			got, err := Directionals(e, info, in, wrt, E, 1e-4, 5e-5)
			for k, h := range []float64{1e-4, 5e-5} {
				want, werr := central(e, info, in, wrt, E, h)
				if (err != nil) != (werr != nil) {
					t.Fatalf("%s by %s: Directionals %v, Eval %v", rendered(e), wrt, err, werr)
				}
				if err == nil && !mat.Equal(got[k], want) {
					t.Fatalf("%s by %s at h = %g: %v, want %v", rendered(e), wrt, h, mat.Formatted(got[k]), mat.Formatted(want))
				}
			}
			if err == nil {
				agreed++
			}
		}
	}
	if agreed == 0 {
		t.Fatal("no random tree had a finite difference")
	}
	for k, v := range in.Values {
		if !mat.Equal(v, before[k]) {
			t.Fatalf("the value of %s changed", k)
		}
	}
}
