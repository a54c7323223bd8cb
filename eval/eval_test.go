package eval

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"gonum.org/v1/gonum/mat"
)

// Base dimensions of the hand-made fixture: n = 3 (id 1), m = 2 (id 2).
var (
	dimN = ast.Dim{1}
	dimM = ast.Dim{2}
)

// fixture returns an Info and an Instance built by hand, independent of
// ast.Infer: x, y are n×1, A is n×n, B is m×n, S is symmetric n×n, alpha
// and beta are scalars.
func fixture() (*ast.Info, *Instance) {
	vars := map[string]*ast.Var{
		"x":     {Name: "x", Kind: ast.KindVector, Shape: ast.Shape{Rows: dimN, Cols: ast.One}},
		"y":     {Name: "y", Kind: ast.KindVector, Shape: ast.Shape{Rows: dimN, Cols: ast.One}},
		"A":     {Name: "A", Kind: ast.KindMatrix, Shape: ast.Shape{Rows: dimN, Cols: dimN}},
		"B":     {Name: "B", Kind: ast.KindMatrix, Shape: ast.Shape{Rows: dimM, Cols: dimN}},
		"S":     {Name: "S", Kind: ast.KindSymmetric, Shape: ast.Shape{Rows: dimN, Cols: dimN}},
		"alpha": {Name: "alpha", Kind: ast.KindScalar, Shape: ast.Scalar},
		"beta":  {Name: "beta", Kind: ast.KindScalar, Shape: ast.Scalar},
	}
	info := &ast.Info{Vars: vars, Order: []string{"x", "y", "A", "B", "S", "alpha", "beta"}, NDims: 2}
	in := &Instance{
		Sizes: []int{0, 3, 2},
		Values: map[string]*mat.Dense{
			"x":     mat.NewDense(3, 1, []float64{1, 2, 3}),
			"y":     mat.NewDense(3, 1, []float64{0.5, -1, 2}),
			"A":     mat.NewDense(3, 3, []float64{4, 1, 0, 2, 5, 1, 0, 1, 3}),
			"B":     mat.NewDense(2, 3, []float64{1, 0, 2, -1, 3, 1}),
			"S":     mat.NewDense(3, 3, []float64{4, 1, 0, 1, 3, 0.5, 0, 0.5, 2}),
			"alpha": mat.NewDense(1, 1, []float64{2}),
			"beta":  mat.NewDense(1, 1, []float64{-0.5}),
		},
	}
	return info, in
}

func name(s string) *ast.Name               { return &ast.Name{Name: s} }
func tr(e ast.Expr) ast.Expr                { return &ast.Transpose{X: e} }
func prod(fs ...ast.Expr) ast.Expr          { return &ast.Product{Factors: fs} }
func sum(ts ...ast.Expr) ast.Expr           { return &ast.Sum{Terms: ts} }
func call(f string, a ...ast.Expr) ast.Expr { return &ast.Call{Func: f, Args: a} }
func pow(e ast.Expr, p, q int64) ast.Expr   { return &ast.Power{X: e, Exp: big.NewRat(p, q)} }
func epow(e ast.Expr, p, q int64) ast.Expr {
	return &ast.ElemPower{X: e, Exp: big.NewRat(p, q)}
}
func scal(v float64) *mat.Dense { return mat.NewDense(1, 1, []float64{v}) }

func mul(a, b mat.Matrix) *mat.Dense {
	var c mat.Dense
	c.Mul(a, b)
	return &c
}

func add(a, b mat.Matrix) *mat.Dense {
	var c mat.Dense
	c.Add(a, b)
	return &c
}

func scale(f float64, a mat.Matrix) *mat.Dense {
	var c mat.Dense
	c.Scale(f, a)
	return &c
}

func apply(a mat.Matrix, f func(float64) float64) *mat.Dense {
	var c mat.Dense
	c.Apply(func(_, _ int, v float64) float64 { return f(v) }, a)
	return &c
}

func inv(a mat.Matrix) *mat.Dense {
	var c mat.Dense
	if err := c.Inverse(a); err != nil {
		panic(err)
	}
	return &c
}

func eye(n int) *mat.Dense {
	d := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		d.Set(i, i, 1)
	}
	return d
}

func TestEvalValues(t *testing.T) {
	info, in := fixture()
	v := in.Values
	x, y, A, B, S := v["x"], v["y"], v["A"], v["B"], v["S"]
	xty := mat.Dot(x.ColView(0), y.ColView(0)) // 4.5
	kron := func(a, b *mat.Dense) *mat.Dense {
		var k mat.Dense
		k.Kronecker(a, b)
		return &k
	}
	tests := []struct {
		name string
		e    ast.Expr
		want *mat.Dense
	}{
		// Leaves.
		{"number", ast.Rat(3, 2), scal(1.5)},
		{"pi", &ast.Pi{}, scal(math.Pi)},
		{"name", name("A"), A},
		{"identity", &ast.Identity{N: dimN}, eye(3)},
		{"identity of size 1", &ast.Identity{}, scal(1)},
		{"identity of rows(B)", &ast.Identity{Of: &ast.Dimension{X: name("B")}}, eye(2)},
		{"ones", &ast.Ones{N: dimM}, mat.NewDense(2, 1, []float64{1, 1})},
		{"zero", &ast.Zero{Shape: ast.Shape{Rows: dimM, Cols: dimN}}, mat.NewDense(2, 3, nil)},
		{"rows(B)", &ast.Dimension{X: name("B")}, scal(2)},
		{"cols(B)", &ast.Dimension{Cols: true, X: name("B")}, scal(3)},
		{"identity of product dim", &ast.Identity{N: ast.Dim{1, 2}}, eye(6)},

		// Sums and broadcasting.
		{"x + y", sum(name("x"), name("y")), add(x, y)},
		{"x - alpha", sum(name("x"), &ast.Neg{X: name("alpha")}), apply(x, func(f float64) float64 { return f - 2 })},
		{"1 + A (broadcast)", sum(ast.Int(1), name("A")), apply(A, func(f float64) float64 { return f + 1 })},
		{"alpha + beta", sum(name("alpha"), name("beta")), scal(1.5)},
		{"x - x^T y", sum(name("x"), &ast.Neg{X: prod(tr(name("x")), name("y"))}), apply(x, func(f float64) float64 { return f - xty })},
		{"neg", &ast.Neg{X: name("B")}, scale(-1, B)},

		// Products.
		{"A x", prod(name("A"), name("x")), mul(A, x)},
		{"B A x", prod(name("B"), name("A"), name("x")), mul(mul(B, A), x)},
		{"alpha A x", prod(name("alpha"), name("A"), name("x")), scale(2, mul(A, x))},
		{"A alpha x", prod(name("A"), name("alpha"), name("x")), scale(2, mul(A, x))},
		{"x^T y", prod(tr(name("x")), name("y")), scal(xty)},
		{"(x^T y) y", prod(prod(tr(name("x")), name("y")), name("y")), scale(xty, y)},
		{"A (x^T y) x", prod(name("A"), prod(tr(name("x")), name("y")), name("x")), scale(xty, mul(A, x))},
		{"x^T y y flat", prod(tr(name("x")), name("y"), name("y")), scale(xty, y)},
		{"x y^T", prod(name("x"), tr(name("y"))), mul(x, y.T())},
		{"2 alpha beta", prod(ast.Int(2), name("alpha"), name("beta")), scal(-2)},
		{"x^T A x", prod(tr(name("x")), name("A"), name("x")), mul(mul(x.T(), A), x)},

		// Elementwise.
		{"x ∘ y", &ast.Hadamard{X: name("x"), Y: name("y")}, mat.NewDense(3, 1, []float64{0.5, -2, 6})},
		{"alpha ∘ x", &ast.Hadamard{X: name("alpha"), Y: name("x")}, scale(2, x)},
		{"x ∘ alpha", &ast.Hadamard{X: name("x"), Y: name("alpha")}, scale(2, x)},
		{"y ./ x", &ast.ElemDiv{X: name("y"), Y: name("x")}, mat.NewDense(3, 1, []float64{0.5, -0.5, 2.0 / 3})},
		{"1 ./ x", &ast.ElemDiv{X: ast.Int(1), Y: name("x")}, mat.NewDense(3, 1, []float64{1, 0.5, 1.0 / 3})},
		{"x ./ alpha", &ast.ElemDiv{X: name("x"), Y: name("alpha")}, scale(0.5, x)},
		{"x / alpha", &ast.Div{X: name("x"), Y: name("alpha")}, scale(0.5, x)},
		{"x.^2", epow(name("x"), 2, 1), mat.NewDense(3, 1, []float64{1, 4, 9})},
		{"x.^(1/2)", epow(name("x"), 1, 2), apply(x, math.Sqrt)},
		{"x.^-1", epow(name("x"), -1, 1), mat.NewDense(3, 1, []float64{1, 0.5, 1.0 / 3})},

		// Kronecker, transpose, inverse, powers.
		{"A ⊗ B", &ast.Kron{X: name("A"), Y: name("B")}, kron(A, B)},
		{"x ⊗ y^T", &ast.Kron{X: name("x"), Y: tr(name("y"))}, mul(x, y.T())},
		{"alpha ⊗ B", &ast.Kron{X: name("alpha"), Y: name("B")}, scale(2, B)},
		{"B^T", tr(name("B")), mat.DenseCopyOf(B.T())},
		{"A^-1", &ast.Inverse{X: name("A")}, inv(A)},
		{"A^-T", tr(&ast.Inverse{X: name("A")}), mat.DenseCopyOf(inv(A).T())},
		{"alpha^-1", &ast.Inverse{X: name("alpha")}, scal(0.5)},
		{"A^2", pow(name("A"), 2, 1), mul(A, A)},
		{"A^3", pow(name("A"), 3, 1), mul(mul(A, A), A)},
		{"A^1", pow(name("A"), 1, 1), A},
		{"A^0", pow(name("A"), 0, 1), eye(3)},
		{"A^-1 power", pow(name("A"), -1, 1), inv(A)},
		{"A^-2", pow(name("A"), -2, 1), mul(inv(A), inv(A))},
		{"alpha^2", pow(name("alpha"), 2, 1), scal(4)},
		{"alpha^(1/2)", pow(name("alpha"), 1, 2), scal(math.Sqrt2)},
		{"alpha^-3/2", pow(name("alpha"), -3, 2), scal(math.Pow(2, -1.5))},
		{"(x^T y)^2", pow(prod(tr(name("x")), name("y")), 2, 1), scal(xty * xty)},

		// Norms.
		{"||x||", &ast.Norm{X: name("x")}, scal(math.Sqrt(14))},
		{"||B||_F", &ast.Norm{Kind: ast.NormFrobenius, X: name("B")}, scal(math.Sqrt(16))},
		{"||B||", &ast.Norm{X: name("B")}, scal(4)},
		{"||y||_1", &ast.Norm{Kind: ast.NormOne, X: name("y")}, scal(3.5)},
		{"||B||_1", &ast.Norm{Kind: ast.NormOne, X: name("B")}, scal(8)},

		// Special functions.
		{"tr(A)", call("tr", name("A")), scal(12)},
		{"det(A)", call("det", name("A")), scal(mat.Det(A))},
		{"det(alpha)", call("det", name("alpha")), scal(2)},
		{"logdet(S)", call("logdet", name("S")), scal(math.Log(mat.Det(S)))},
		{"diag(x)", call("diag", name("x")), mat.NewDense(3, 3, []float64{1, 0, 0, 0, 2, 0, 0, 0, 3})},
		{"diag(x^T)", call("diag", tr(name("x"))), mat.NewDense(3, 3, []float64{1, 0, 0, 0, 2, 0, 0, 0, 3})},
		{"diag(A)", call("diag", name("A")), mat.NewDense(3, 1, []float64{4, 5, 3})},
		{"diag(alpha)", call("diag", name("alpha")), scal(2)},
		{"sum(B)", call("sum", name("B")), scal(6)},
		{"sum(x)", call("sum", name("x")), scal(6)},
		{"vec(B)", call("vec", name("B")), mat.NewDense(6, 1, []float64{1, -1, 0, 3, 2, 1})},
		{"vec(x)", call("vec", name("x")), x},
		{"softmax(x)", call("softmax", name("x")), scale(1/(math.E+math.Exp(2)+math.Exp(3)), apply(x, math.Exp))},
		{"softmax(x^T)", call("softmax", tr(name("x"))), mat.DenseCopyOf(scale(1/(math.E+math.Exp(2)+math.Exp(3)), apply(x, math.Exp)).T())},
		{"softmax(alpha)", call("softmax", name("alpha")), scal(1)},
		{"logsumexp(x)", call("logsumexp", name("x")), scal(math.Log(math.E + math.Exp(2) + math.Exp(3)))},
		{"logsumexp(B)", call("logsumexp", name("B")), scal(math.Log(math.Exp(1) + math.Exp(-1) + 1 + math.Exp(3) + math.Exp(2) + math.E))},
		{"logsumexp(alpha)", call("logsumexp", name("alpha")), scal(2)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Eval(tc.e, info, in)
			if err != nil {
				t.Fatalf("Eval: %v", err)
			}
			if !mat.EqualApprox(got, tc.want, 1e-12) {
				t.Fatalf("got\n%v\nwant\n%v", mat.Formatted(got), mat.Formatted(tc.want))
			}
		})
	}
}

func TestElementwiseFuncs(t *testing.T) {
	info, in := fixture()
	in = in.With("y", mat.NewDense(3, 1, []float64{0.5, -0.25, 0}))
	y := in.Values["y"]
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	tests := []struct {
		f    string
		want func(float64) float64
	}{
		{"exp", math.Exp},
		{"sin", math.Sin},
		{"cos", math.Cos},
		{"tan", math.Tan},
		{"arcsin", math.Asin},
		{"arccos", math.Acos},
		{"arctan", math.Atan},
		{"tanh", math.Tanh},
		{"abs", math.Abs},
		{"sigmoid", sig},
		{"softplus", func(v float64) float64 { return math.Log(1 + math.Exp(v)) }},
		{"relu", func(v float64) float64 { return math.Max(v, 0) }},
		{"step", func(v float64) float64 {
			if v > 0 {
				return 1
			}
			return 0
		}},
		{"sign", func(v float64) float64 {
			switch {
			case v > 0:
				return 1
			case v < 0:
				return -1
			}
			return 0
		}},
	}
	for _, tc := range tests {
		t.Run(tc.f, func(t *testing.T) {
			got, err := Eval(call(tc.f, name("y")), info, in)
			if err != nil {
				t.Fatal(err)
			}
			if want := apply(y, tc.want); !mat.EqualApprox(got, want, 1e-14) {
				t.Fatalf("%s: got %v want %v", tc.f, mat.Formatted(got.T()), mat.Formatted(want.T()))
			}
		})
	}
	// log and sqrt need positive arguments: x = (1, 2, 3).
	for f, want := range map[string]func(float64) float64{"log": math.Log, "sqrt": math.Sqrt} {
		got, err := Eval(call(f, name("x")), info, in)
		if err != nil {
			t.Fatal(err)
		}
		if w := apply(in.Values["x"], want); !mat.EqualApprox(got, w, 1e-14) {
			t.Fatalf("%s: got %v", f, mat.Formatted(got.T()))
		}
	}
	// Large arguments stay finite.
	got, err := Eval(call("softplus", ast.Int(800)), info, in)
	if err != nil || got.At(0, 0) != 800 {
		t.Fatalf("softplus(800) = %v, %v", got, err)
	}
	got, err = Eval(call("sigmoid", ast.Int(-800)), info, in)
	if err != nil || got.At(0, 0) != 0 {
		t.Fatalf("sigmoid(-800) = %v, %v", got, err)
	}
	// softmax and logsumexp subtract the largest entry first.
	big := prod(ast.Int(800), name("x"))
	got, err = Eval(call("softmax", big), info, in)
	if err != nil || got.At(2, 0) != 1 || got.At(0, 0) != 0 {
		t.Fatalf("softmax(800 x) = %v, %v", got, err)
	}
	got, err = Eval(call("logsumexp", big), info, in)
	if err != nil || got.At(0, 0) != 2400 {
		t.Fatalf("logsumexp(800 x) = %v, %v", got, err)
	}
	got, err = Eval(call("logsumexp", &ast.Neg{X: big}), info, in)
	if err != nil || math.Abs(got.At(0, 0)+800) > 1e-9 {
		t.Fatalf("logsumexp(-800 x) = %v, %v", got, err)
	}
}

func TestEvalErrors(t *testing.T) {
	info, in := fixture()
	singular := in.With("A", mat.NewDense(3, 3, []float64{1, 2, 3, 2, 4, 6, 0, 0, 1}))
	negdet := in.With("A", mat.NewDense(3, 3, []float64{0, 1, 0, 1, 0, 0, 0, 0, 1}))
	// B^T B of a 2×3 B: singular, its LU determinant positive by rounding.
	wide := mat.NewDense(2, 3, []float64{0.3, -1.2, 2.5, 0.7, 1.1, -0.4})
	var gram mat.Dense
	gram.Mul(wide.T(), wide)
	nearly := in.With("A", &gram)
	zero := in.With("alpha", scal(0))
	big3 := &ast.Kron{X: name("A"), Y: name("A")}
	for i := 0; i < 6; i++ {
		big3 = &ast.Kron{X: big3, Y: name("A")}
	}
	tests := []struct {
		name string
		e    ast.Expr
		in   *Instance
		want error // nil: any non-domain, non-limit error
		msg  string
	}{
		{"x + B x", sum(name("x"), prod(name("B"), name("x"))), in, nil, "shape"},
		{"A B", prod(name("A"), name("B")), in, nil, "shape"},
		{"x ∘ B", &ast.Hadamard{X: name("x"), Y: name("B")}, in, nil, "shape"},
		{"x / x", &ast.Div{X: name("x"), Y: name("x")}, in, nil, "scalar"},
		{"B^-1", &ast.Inverse{X: name("B")}, in, nil, "square"},
		{"B^2", pow(name("B"), 2, 1), in, nil, "square"},
		{"A^(1/2)", pow(name("A"), 1, 2), in, nil, "integer"},
		{"tr(B)", call("tr", name("B")), in, nil, "square"},
		{"diag(B)", call("diag", name("B")), in, nil, "diag"},
		{"unknown variable", name("z"), in, nil, "z"},
		{"unknown function", call("frob", name("x")), in, nil, "frob"},
		{"no arguments", call("tr"), in, nil, "argument"},
		{"nil", nil, in, nil, "nil"},
		{"nil child", &ast.Neg{}, in, nil, "nil"},
		{"nil exponent", &ast.Power{X: name("alpha")}, in, nil, "exponent"},
		{"nil number", &ast.Number{}, in, nil, "number"},
		{"singular inverse", &ast.Inverse{X: name("A")}, singular, ErrDomain, ""},
		{"singular power", pow(name("A"), -2, 1), singular, ErrDomain, ""},
		{"logdet of det<0", call("logdet", name("A")), negdet, ErrDomain, ""},
		{"logdet of a singular B^T B", call("logdet", name("A")), nearly, ErrDomain, ""},
		{"log of negative", call("log", name("y")), in, ErrDomain, ""},
		{"sqrt of negative", call("sqrt", name("y")), in, ErrDomain, ""},
		{"arcsin out of range", call("arcsin", name("x")), in, ErrDomain, ""},
		{"division by zero", &ast.Div{X: name("x"), Y: name("alpha")}, zero, ErrDomain, ""},
		{"1/0", &ast.Inverse{X: name("alpha")}, zero, ErrDomain, ""},
		{"0^-1", pow(name("alpha"), -1, 1), zero, ErrDomain, ""},
		{"negative^(1/2)", pow(name("beta"), 1, 2), in, ErrDomain, ""},
		{"overflow", call("exp", ast.Int(1000)), in, ErrDomain, ""},
		{"kron blow-up", big3, in, ErrLimit, ""},
		{"wrong value shape", name("x"), in.With("x", mat.NewDense(2, 1, nil)), nil, "x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Eval(tc.e, info, tc.in)
			if err == nil {
				t.Fatalf("no error; got %v", mat.Formatted(got))
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("error %q is not %v", err, tc.want)
			}
			if tc.want == nil && (errors.Is(err, ErrDomain) || errors.Is(err, ErrLimit)) {
				t.Fatalf("error %q should be a shape or input error", err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("error %q does not mention %q", err, tc.msg)
			}
		})
	}
}

func TestEvalDoesNotAlias(t *testing.T) {
	info, in := fixture()
	got, err := Eval(name("A"), info, in)
	if err != nil {
		t.Fatal(err)
	}
	got.Set(0, 0, 99)
	if in.Values["A"].At(0, 0) == 99 {
		t.Fatal("Eval returned the instance's own matrix")
	}
}

func TestEvalNilInfo(t *testing.T) {
	_, in := fixture()
	got, err := Eval(prod(name("A"), name("x")), nil, in)
	if err != nil || !mat.EqualApprox(got, mul(in.Values["A"], in.Values["x"]), 1e-12) {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestDeepTree(t *testing.T) {
	info, in := fixture()
	var e ast.Expr = name("x")
	for i := 0; i < 20000; i++ {
		e = &ast.Neg{X: e}
	}
	got, err := Eval(e, info, in)
	if err != nil || !mat.Equal(got, in.Values["x"]) {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestWith(t *testing.T) {
	_, in := fixture()
	old := in.Values["x"]
	w := in.With("x", mat.NewDense(3, 1, []float64{7, 8, 9}))
	if in.Values["x"] != old {
		t.Fatal("With changed the original instance")
	}
	if w.Values["x"].At(0, 0) != 7 || w.Values["A"] != in.Values["A"] {
		t.Fatal("With did not replace exactly one variable")
	}
}

func TestSize(t *testing.T) {
	_, in := fixture()
	for _, tc := range []struct {
		d    ast.Dim
		want int
	}{
		{ast.One, 1}, {dimN, 3}, {dimM, 2}, {ast.Dim{1, 2}, 6}, {ast.Dim{1, 1, 2}, 18}, {ast.Dim{3}, -1}, {ast.Dim{0}, -1},
	} {
		if got := in.Size(tc.d); got != tc.want {
			t.Errorf("Size(%v) = %d, want %d", tc.d, got, tc.want)
		}
	}
}

func TestInner(t *testing.T) {
	g := mat.NewDense(2, 2, []float64{1, 2, 3, 4})
	e := mat.NewDense(2, 2, []float64{1, -1, 0.5, 2})
	if got := Inner(g, e); got != 1-2+1.5+8 {
		t.Fatalf("Inner = %v", got)
	}
	var te mat.Dense
	te.Mul(g.T(), e)
	if got := Inner(g, e); math.Abs(got-mat.Trace(&te)) > 1e-14 {
		t.Fatalf("Inner = %v, tr(G^T E) = %v", got, mat.Trace(&te))
	}
	if got := Inner(g, mat.NewDense(1, 2, nil)); !math.IsNaN(got) {
		t.Fatalf("Inner of mismatched shapes = %v, want NaN", got)
	}
}

func TestDirectional(t *testing.T) {
	info, in := fixture()
	rng := rand.New(rand.NewPCG(1, 2))
	xtx := prod(tr(name("x")), name("x"))
	for i := 0; i < 5; i++ {
		E := RandomDirection(info, in, "x", rng)
		fd, err := Directional(xtx, info, in, "x", E, 1e-5)
		if err != nil {
			t.Fatal(err)
		}
		want := 2 * Inner(in.Values["x"], E) // 2 x^T E
		if r, c := fd.Dims(); r != 1 || c != 1 || math.Abs(fd.At(0, 0)-want) > 1e-7 {
			t.Fatalf("fd = %v, want %v", mat.Formatted(fd), want)
		}
	}
	// Matrix-valued: d(A x)[E] = E x.
	E := RandomDirection(info, in, "A", rng)
	fd, err := Directional(prod(name("A"), name("x")), info, in, "A", E, 1e-5)
	if err != nil {
		t.Fatal(err)
	}
	if want := mul(E, in.Values["x"]); !mat.EqualApprox(fd, want, 1e-7) {
		t.Fatalf("fd = %v, want %v", mat.Formatted(fd), mat.Formatted(want))
	}
	// logdet(S) along symmetric E is tr(S^-1 E).
	E = RandomDirection(info, in, "S", rng)
	fd, err = Directional(call("logdet", name("S")), info, in, "S", E, 1e-5)
	if err != nil {
		t.Fatal(err)
	}
	if want := mat.Trace(mul(inv(in.Values["S"]), E)); math.Abs(fd.At(0, 0)-want) > 1e-7 {
		t.Fatalf("fd = %v, want %v", fd.At(0, 0), want)
	}
	// Errors rather than panics.
	if _, err := Directional(xtx, info, in, "x", mat.NewDense(2, 1, nil), 1e-5); err == nil {
		t.Error("no error for a direction of the wrong shape")
	}
	if _, err := Directional(xtx, info, in, "z", E, 1e-5); err == nil {
		t.Error("no error for an unknown variable")
	}
	if _, err := Directional(xtx, info, in, "x", nil, 1e-5); err == nil {
		t.Error("no error for a nil direction")
	}
	if _, err := Directional(xtx, info, in, "x", RandomDirection(info, in, "x", rng), 0); err == nil {
		t.Error("no error for h = 0")
	}
}

func TestRandomDirection(t *testing.T) {
	info, in := fixture()
	rng := rand.New(rand.NewPCG(3, 4))
	E := RandomDirection(info, in, "S", rng)
	if !mat.Equal(E, E.T()) {
		t.Fatalf("direction for a symmetric variable is not symmetric:\n%v", mat.Formatted(E))
	}
	E = RandomDirection(info, in, "B", rng)
	if r, c := E.Dims(); r != 2 || c != 3 {
		t.Fatalf("direction for B has shape %d×%d", r, c)
	}
	if mat.Equal(E, mat.NewDense(2, 3, nil)) {
		t.Fatal("zero direction")
	}
	for _, v := range E.RawMatrix().Data {
		if v < -1 || v > 1 {
			t.Fatalf("entry %v outside [-1, 1]", v)
		}
	}
	if E := RandomDirection(info, in, "z", rng); E != nil {
		t.Fatal("direction for an unknown variable")
	}
}

// instanceInfo has the kinds NewInstance treats differently, and more base
// dimensions than there are distinct sizes.
func instanceInfo(ndims int) *ast.Info {
	d := func(i int) ast.Dim { return ast.Dim{i} }
	vars := map[string]*ast.Var{
		"alpha": {Name: "alpha", Kind: ast.KindScalar, Shape: ast.Scalar},
		"x":     {Name: "x", Kind: ast.KindVector, Shape: ast.Shape{Rows: d(1), Cols: ast.One}},
		"A":     {Name: "A", Kind: ast.KindMatrix, Shape: ast.Shape{Rows: d(1), Cols: d(1)}},
		"B":     {Name: "B", Kind: ast.KindMatrix, Shape: ast.Shape{Rows: d(2), Cols: d(1)}},
		"S":     {Name: "S", Kind: ast.KindSymmetric, Shape: ast.Shape{Rows: d(2), Cols: d(2)}},
		"K":     {Name: "K", Kind: ast.KindMatrix, Shape: ast.Shape{Rows: ast.Dim{1, 2}, Cols: ast.Dim{1, 2}}},
	}
	order := []string{"alpha", "x", "A", "B", "S", "K"}
	for i := 3; i <= ndims; i++ {
		n := "C" + string(rune('a'+i))
		vars[n] = &ast.Var{Name: n, Kind: ast.KindMatrix, Shape: ast.Shape{Rows: d(i), Cols: d(i)}}
		order = append(order, n)
	}
	return &ast.Info{Vars: vars, Order: order, NDims: ndims}
}

func TestNewInstance(t *testing.T) {
	for seed := uint64(0); seed < 50; seed++ {
		ndims := 2 + int(seed%6)
		info := instanceInfo(ndims)
		in := NewInstance(info, rand.New(rand.NewPCG(seed, 7)))
		if len(in.Sizes) != ndims+1 {
			t.Fatalf("len(Sizes) = %d", len(in.Sizes))
		}
		seen := map[int]bool{}
		for id := 1; id <= ndims; id++ {
			s := in.Sizes[id]
			if s < 2 || s > 5 {
				t.Fatalf("size %d out of range", s)
			}
			if seen[s] && ndims <= 4 {
				t.Fatalf("sizes %v repeat with %d base dimensions", in.Sizes, ndims)
			}
			seen[s] = true
		}
		for _, n := range info.Order {
			v, sh := in.Values[n], info.Vars[n].Shape
			if r, c := v.Dims(); r != in.Size(sh.Rows) || c != in.Size(sh.Cols) {
				t.Fatalf("%s is %d×%d, shape %v", n, r, c, sh)
			}
			if _, err := Eval(name(n), info, in); err != nil {
				t.Fatal(err)
			}
		}
		for _, n := range []string{"alpha", "x"} {
			for _, f := range in.Values[n].RawMatrix().Data {
				if f < 0.5 || f > 1.5 {
					t.Fatalf("%s has entry %v outside [0.5, 1.5]", n, f)
				}
			}
		}
		for _, n := range info.Order {
			if sh := info.Vars[n].Shape; sh.IsSquare() && !sh.IsScalar() {
				if d := mat.Det(in.Values[n]); d <= 0 {
					t.Fatalf("det(%s) = %v", n, d)
				}
				var lu mat.LU
				lu.Factorize(in.Values[n])
				if c := lu.Cond(); c > 100 {
					t.Fatalf("%s is ill-conditioned: %v", n, c)
				}
			}
		}
		S := in.Values["S"]
		if !mat.Equal(S, S.T()) {
			t.Fatal("S is not symmetric")
		}
		var ch mat.Cholesky
		if !ch.Factorize(mat.NewSymDense(S.RawMatrix().Rows, S.RawMatrix().Data)) {
			t.Fatal("S is not positive definite")
		}
		for _, f := range in.Values["B"].RawMatrix().Data {
			if f < -1 || f > 1 || f == 0 {
				t.Fatalf("B has entry %v", f)
			}
		}
	}
	// Same seed, same instance.
	info := instanceInfo(3)
	a := NewInstance(info, rand.New(rand.NewPCG(9, 9)))
	b := NewInstance(info, rand.New(rand.NewPCG(9, 9)))
	for _, n := range info.Order {
		if !mat.Equal(a.Values[n], b.Values[n]) {
			t.Fatalf("%s differs between equal seeds", n)
		}
	}
}

func TestNewInstanceRobust(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	// Unusual infos do not panic.
	in := NewInstance(&ast.Info{}, rng)
	if len(in.Values) != 0 {
		t.Fatal("values for no variables")
	}
	in = NewInstance(nil, rng)
	if in == nil {
		t.Fatal("nil instance")
	}
	info := &ast.Info{NDims: 1, Vars: map[string]*ast.Var{
		"u":   {Name: "u", Kind: ast.KindVector, Shape: ast.Shape{Rows: ast.Dim{1}}},
		"bad": {Name: "bad", Kind: ast.KindMatrix, Shape: ast.Shape{Rows: ast.Dim{7}, Cols: ast.Dim{1}}},
		"nil": nil,
	}}
	in = NewInstance(info, rng)
	if in.Values["u"] == nil {
		t.Fatal("variable missing from Order got no value")
	}
}

// TestEvalDifferential: d(u) is u's finite difference along the
// direction, so both sides of a product rule agree, and a line with a
// missing term does not.
func TestEvalDifferential(t *testing.T) {
	info, in := fixture()
	E := RandomDirection(info, in, "x", rand.New(rand.NewPCG(5, 6)))
	d := func(e ast.Expr) ast.Expr { return call(DifferentialFunc, e) }
	x, A := name("x"), name("A")
	lhs, err := EvalDifferential(d(prod(tr(x), A, x)), info, in, "x", E, 1e-5)
	if err != nil {
		t.Fatal(err)
	}
	want := Inner(add(mul(in.Values["A"], in.Values["x"]), mul(in.Values["A"].T(), in.Values["x"])), E)
	if math.Abs(lhs.At(0, 0)-want) > 1e-7 {
		t.Fatalf("d(x^T A x) = %v, want %v", lhs.At(0, 0), want)
	}
	full := sum(prod(d(tr(x)), A, x), prod(tr(x), A, d(x)))
	if v, err := EvalDifferential(full, info, in, "x", E, 1e-5); err != nil || math.Abs(v.At(0, 0)-want) > 1e-7 {
		t.Errorf("d(x^T) A x + x^T A dx = %v (%v), want %v", v, err, want)
	}
	partial := prod(d(tr(x)), A, x)
	if v, err := EvalDifferential(partial, info, in, "x", E, 1e-5); err != nil || math.Abs(v.At(0, 0)-want) < 1e-3 {
		t.Errorf("d(x^T) A x = %v (%v) should differ from %v", v, err, want)
	}
	// d of the variable is the direction itself; d of a constant is 0.
	if v, _ := EvalDifferential(d(x), info, in, "x", E, 1e-5); !mat.EqualApprox(v, E, 1e-9) {
		t.Errorf("dx = %v, want E", mat.Formatted(v))
	}
	if v, _ := EvalDifferential(d(A), info, in, "x", E, 1e-5); mat.Norm(v, 2) != 0 {
		t.Errorf("dA = %v along x, want 0", mat.Formatted(v))
	}
	if _, err := EvalDifferential(x, info, in, "x", nil, 1e-5); err == nil {
		t.Error("no error without a direction")
	}
}

// TestMulSerial: the products of small matrices (and of a row and a
// column, dotSerial) are gonum's to the bit, zeros, infinities and NaNs
// included.
func TestMulSerial(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	entry := func() float64 {
		switch rng.IntN(12) {
		case 0:
			return 0
		case 1:
			return math.Inf(1 - 2*rng.IntN(2))
		case 2:
			return math.NaN()
		}
		return (rng.Float64() - 0.5) * math.Pow(10, float64(rng.IntN(40)-20))
	}
	for i := 0; i < 2000; i++ {
		m, k, n := 1+rng.IntN(8), 1+rng.IntN(8), 1+rng.IntN(8)
		if i%3 == 0 {
			m, n = 1, 1 // a row times a column
		}
		if i%100 == 0 {
			m, n = 64, 64
		}
		a, b := mat.NewDense(m, k, nil), mat.NewDense(k, n, nil)
		fill(a, entry)
		fill(b, entry)
		var want mat.Dense
		want.Mul(a, b)
		got := mulSerial(a, b)
		if m == 1 && n == 1 {
			got = scalar(dotSerial(a, b))
		}
		for r := 0; r < m; r++ {
			for c := 0; c < n; c++ {
				g, w := got.At(r, c), want.At(r, c)
				if math.Float64bits(g) != math.Float64bits(w) && !(math.IsNaN(g) && math.IsNaN(w)) {
					t.Fatalf("%d×%d times %d×%d: entry (%d, %d) is %v, gonum's %v", m, k, k, n, r, c, g, w)
				}
			}
		}
	}
}
