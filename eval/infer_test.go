package eval

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"gonum.org/v1/gonum/mat"
)

func norm2sq(e ast.Expr) ast.Expr { return pow(&ast.Norm{X: e}, 2, 1) }

// TestWithInfer evaluates inferred trees at drawn instances: the value
// has the size that the inferred shape has at the instance.
func TestWithInfer(t *testing.T) {
	tests := []struct {
		name  string
		e     ast.Expr
		decls ast.Decls
	}{
		{"B A x", prod(name("B"), name("A"), name("x")), nil},
		{"x^T y y", prod(tr(name("x")), name("y"), name("y")), nil},
		{"A x^T y", prod(name("A"), tr(name("x")), name("y")), nil},
		{"tr(A B)", call("tr", prod(name("A"), name("B"))), nil},
		{"x - mu_0", sum(name("x"), &ast.Neg{X: name("mu_0")}), nil},
		{"1^T x", prod(tr(ast.Int(1)), name("x")), nil},
		{"A + I", sum(name("A"), &ast.Identity{}), nil},
		{"vec(X)", call("vec", name("X")), nil},
		{"A ⊗ B", &ast.Kron{X: name("A"), Y: name("B")}, nil},
		{"logdet(S)", call("logdet", name("S")), ast.Decls{"S": ast.KindSymmetric}},
		{"x^T S^-1 x", prod(tr(name("x")), &ast.Inverse{X: name("S")}, name("x")), ast.Decls{"S": ast.KindSymmetric}},
		{"||B A x||^2", norm2sq(prod(name("B"), name("A"), name("x"))), nil},
		{"sigmoid(W x) ∘ tanh(W x)", &ast.Hadamard{X: call("sigmoid", prod(name("W"), name("x"))), Y: call("tanh", prod(name("W"), name("x")))}, nil},
		{"det(A)^(1/2)", pow(call("det", name("A")), 1, 2), nil},
		{"A^-2 x", prod(pow(name("A"), -2, 1), name("x")), nil},
		{"diag(diag(A))", call("diag", call("diag", name("A"))), nil},
		{"log(x) / alpha", &ast.Div{X: call("log", name("x")), Y: name("alpha")}, nil},
	}
	rng := rand.New(rand.NewPCG(11, 12))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, info, err := ast.Infer(tc.e, tc.decls)
			if err != nil {
				t.Fatal(err)
			}
			sh, err := info.Shape(out)
			if err != nil {
				t.Fatal(err)
			}
			for draw := 0; draw < 5; draw++ {
				in := NewInstance(info, rng)
				v, err := Eval(out, info, in)
				if err != nil {
					t.Fatalf("draw %d: %v", draw, err)
				}
				if r, c := v.Dims(); r != in.Size(sh.Rows) || c != in.Size(sh.Cols) {
					t.Fatalf("value is %d×%d, shape %v is %d×%d", r, c, sh, in.Size(sh.Rows), in.Size(sh.Cols))
				}
			}
		})
	}
}

// TestGradientCheck is matdiff check in miniature: known gradients G of
// scalar expressions satisfy tr(G^T E) ≈ the central difference along E.
func TestGradientCheck(t *testing.T) {
	x, y, A, B, S := name("x"), name("y"), name("A"), name("B"), name("S")
	two := ast.Int(2)
	sym := ast.Decls{"S": ast.KindSymmetric}
	tests := []struct {
		name  string
		e     ast.Expr
		decls ast.Decls
		wrt   string
		grad  ast.Expr
	}{
		{"x^T x", prod(tr(x), x), nil, "x", prod(two, x)},
		{"x^T y", prod(tr(x), y), nil, "x", y},
		{"(x^T y)^2", pow(prod(tr(x), y), 2, 1), nil, "x", prod(two, prod(tr(x), y), y)},
		{"||Ax||^2 by x", norm2sq(prod(A, x)), nil, "x", prod(two, tr(A), A, x)},
		{"||Ax||^2 by A", norm2sq(prod(A, x)), nil, "A", prod(two, A, x, tr(x))},
		{"||BAx||^2 by B", norm2sq(prod(B, A, x)), nil, "B", prod(two, B, A, x, tr(x), tr(A))},
		{"||BAx||^2 by x", norm2sq(prod(B, A, x)), nil, "x", prod(two, tr(A), tr(B), B, A, x)},
		{"||BAx||^2 by A", norm2sq(prod(B, A, x)), nil, "A", prod(two, tr(B), B, A, x, tr(x))},
		{"x^T S x by S", prod(tr(x), S, x), sym, "S", prod(x, tr(x))},
		{"logdet(S) by S", call("logdet", S), sym, "S", &ast.Inverse{X: S}},
		{"logdet(A) by A", call("logdet", A), nil, "A", tr(&ast.Inverse{X: A})},
		{"det(A) by A", call("det", A), nil, "A", prod(call("det", A), tr(&ast.Inverse{X: A}))},
		{"tr(A^2) by A", call("tr", pow(A, 2, 1)), nil, "A", prod(two, tr(A))},
		{"sum(exp(x))", call("sum", call("exp", x)), nil, "x", call("exp", x)},
		{"||x||", &ast.Norm{X: x}, nil, "x", &ast.Div{X: x, Y: &ast.Norm{X: x}}},
		{"||A||_1", &ast.Norm{Kind: ast.NormOne, X: A}, nil, "A", call("sign", A)},
		{"1^T softplus(x)", prod(tr(ast.Int(1)), call("softplus", x)), nil, "x", call("sigmoid", x)},
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, info, err := ast.Infer(tc.e, tc.decls)
			if err != nil {
				t.Fatal(err)
			}
			g, _, err := ast.Infer(tc.grad, tc.decls)
			if err != nil {
				t.Fatal(err)
			}
			for draw := 0; draw < 3; draw++ {
				in := NewInstance(info, rng)
				// The gradient's own inference may number dimensions
				// differently; evaluate it by values alone.
				G, err := Eval(g, nil, in)
				if err != nil {
					t.Fatal(err)
				}
				E := RandomDirection(info, in, tc.wrt, rng)
				fd, err := Directional(out, info, in, tc.wrt, E, 1e-5)
				if err != nil {
					t.Fatal(err)
				}
				got, want := Inner(G, E), fd.At(0, 0)
				if rel := math.Abs(got-want) / math.Max(1, math.Abs(want)); rel > 1e-6 {
					t.Fatalf("draw %d: tr(G^T E) = %v, finite difference %v (rel %v)", draw, got, want, rel)
				}
			}
		})
	}
}

func TestLimits(t *testing.T) {
	info, in := fixture()
	bigIn := &Instance{Sizes: []int{0, 2048}, Values: map[string]*mat.Dense{}}
	I := &ast.Identity{N: ast.Dim{1}}
	tests := []struct {
		name string
		e    ast.Expr
		in   *Instance
		want error
	}{
		{"costly product", prod(I, I), bigIn, ErrLimit},
		{"costly inverse", &ast.Inverse{X: I}, bigIn, ErrLimit},
		{"costly det", call("det", I), bigIn, ErrLimit},
		{"huge ones", &ast.Ones{N: ast.Dim{1, 1, 1}}, bigIn, ErrLimit},
		{"huge outer product", prod(call("vec", I), tr(call("vec", I))), bigIn, ErrLimit},
		{"unknown dimension", &ast.Ones{N: ast.Dim{9}}, in, nil},
		{"unknown zero dimension", &ast.Zero{Shape: ast.Shape{Rows: ast.Dim{1}, Cols: ast.Dim{9}}}, in, nil},
		{"identity of unknown variable", &ast.Identity{Of: &ast.Dimension{X: name("Q")}}, in, nil},
		{"power overflow", &ast.Power{X: name("A"), Exp: big.NewRat(1<<40, 1)}, in, ErrDomain},
		{"huge exponent", &ast.Power{X: name("A"), Exp: new(big.Rat).SetFrac(new(big.Int).Lsh(big.NewInt(1), 100), big.NewInt(1))}, in, nil},
		{"typed nil", (*ast.Name)(nil), in, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Eval(tc.e, info, tc.in)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("error %q is not %v", err, tc.want)
			}
		})
	}
}
