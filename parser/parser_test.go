package parser

import (
	"errors"
	"fmt"
	goldenfile "github.com/matdiff/matdiff/internal/golden"
	"math/big"
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/matdiff/matdiff/ast"
)

// sexp prints a tree compactly, ignoring positions: (* (T x) A x).
// Decimal literals are marked with ~.
func sexp(e ast.Expr) string {
	list := func(head string, kids ...ast.Expr) string {
		parts := []string{head}
		for _, k := range kids {
			parts = append(parts, sexp(k))
		}
		return "(" + strings.Join(parts, " ") + ")"
	}
	switch e := e.(type) {
	case nil:
		return "<nil>"
	case *ast.Number:
		if e.Decimal {
			return "~" + e.Value.RatString()
		}
		return e.Value.RatString()
	case *ast.Name:
		return e.Name
	case *ast.Pi:
		return "pi"
	case *ast.Identity:
		if e.Of != nil {
			return list("I", e.Of)
		}
		return "I"
	case *ast.Ones:
		return "ones"
	case *ast.Zero:
		return "zero"
	case *ast.Dimension:
		if e.Cols {
			return list("cols", e.X)
		}
		return list("rows", e.X)
	case *ast.Sum:
		return list("+", e.Terms...)
	case *ast.Product:
		return list("*", e.Factors...)
	case *ast.Hadamard:
		return list(".*", e.X, e.Y)
	case *ast.ElemDiv:
		return list("./", e.X, e.Y)
	case *ast.Div:
		return list("/", e.X, e.Y)
	case *ast.Kron:
		return list("kron", e.X, e.Y)
	case *ast.Comm:
		return list("comm", e.M, e.N)
	case *ast.Neg:
		return list("-", e.X)
	case *ast.Transpose:
		return list("T", e.X)
	case *ast.Inverse:
		return list("inv", e.X)
	case *ast.Power:
		return "(^ " + sexp(e.X) + " " + e.Exp.RatString() + ")"
	case *ast.ElemPower:
		return "(.^ " + sexp(e.X) + " " + e.Exp.RatString() + ")"
	case *ast.Norm:
		head := [...]string{"norm", "normF", "norm1", "norm2"}[e.Kind]
		return list(head, e.X)
	case *ast.Call:
		return list(e.Func, e.Args...)
	}
	return fmt.Sprintf("<%T>", e)
}

var parseTests = []struct{ src, want string }{
	// Sums.
	{"x", "x"},
	{"x + y", "(+ x y)"},
	{"a + b - c", "(+ a b (- c))"},
	{"a - b + c - d", "(+ a (- b) c (- d))"},
	{"A -B", "(+ A (- B))"},
	{"A - -B", "(+ A (- (- B)))"},
	{"x − y", "(+ x (- y))"},
	{"x - mu_0", "(+ x (- mu_0))"},
	{"1 - tanh(u).^2", "(+ 1 (- (.^ (tanh u) 2)))"},
	// Products.
	{"A x", "(* A x)"},
	{"a b * c", "(* a b c)"},
	{"a * b c", "(* a b c)"},
	{"(a b) c", "(* (* a b) c)"},
	{"2 (x^T y) y", "(* 2 (* (T x) y) y)"},
	{"A .* B", "(.* A B)"},
	{"A ∘ B", "(.* A B)"},
	{"A ⊙ B", "(.* A B)"},
	{"A ./ B", "(./ A B)"},
	{"x / 2", "(/ x 2)"},
	{"A ⊗ B", "(kron A B)"},
	{"A ⊗ B ⊗ C", "(kron (kron A B) C)"},
	{"kron(A, B)", "(kron A B)"},
	{"a/b/c", "(/ (/ a b) c)"},
	{"a b / c d", "(* (/ (* a b) c) d)"},
	{"x^T x / 2 sigma^2", "(* (/ (* (T x) x) 2) (^ sigma 2))"},
	{"(A + A^T)/2", "(/ (+ A (T A)) 2)"},
	{"3 A x/2", "(/ (* 3 A x) 2)"},
	{"x/||x||", "(/ x (norm x))"},
	{"(x^T x)/(2 sigma^2)", "(/ (* (T x) x) (* 2 (^ sigma 2)))"},
	{"A .* B C", "(* (.* A B) C)"},
	{"a * -b", "(* a (- b))"},
	{"a / -b c", "(* (/ a (- b)) c)"},
	{"2 3", "(* 2 3)"},
	{"A x^T y", "(* A (T x) y)"},
	// Unary minus.
	{"-x", "(- x)"},
	{"--x", "(- (- x))"},
	{"-x^2", "(- (^ x 2))"},
	{"-x^T x", "(- (* (T x) x))"},
	{"-x^T x + y", "(+ (- (* (T x) x)) y)"},
	{"(-x)", "(- x)"},
	// Postfix.
	{"x^T A x", "(* (T x) A x)"},
	{"x^TAx", "(* (T x) A x)"},
	{"x' A x", "(* (T x) A x)"},
	{"xᵀ A x", "(* (T x) A x)"},
	{"x⊤ A x", "(* (T x) A x)"}, // LaTeX's \top, pasted
	{"x’", "(T x)"},
	{"X ^ T", "(T X)"},
	{"X^-1", "(inv X)"},
	{"X⁻¹", "(inv X)"},
	{"inv(X)", "(inv X)"},
	{"X^-T", "(T (inv X))"},
	{"X^−T", "(T (inv X))"},
	{"X⁻ᵀ", "(T (inv X))"},
	{"X ^ - T", "(T (inv X))"},
	{"x^2", "(^ x 2)"},
	{"x²", "(^ x 2)"},
	{"x³", "(^ x 3)"},
	{"x⁻²", "(^ x -2)"},
	{"x^-2", "(^ x -2)"},
	{"x^2.5", "(^ x 5/2)"},
	{"2^-1", "(inv 2)"},
	{"t^(1/2)", "(^ t 1/2)"},
	{"x^(-1/2)", "(^ x -1/2)"},
	{"x^-(1/2)", "(^ x -1/2)"},
	{"x^(-1)", "(inv x)"},
	{"x^(2^3 - 1)", "(^ x 7)"},
	{"x^(0.5)", "(^ x 1/2)"},
	{"x.^2", "(.^ x 2)"},
	{"x.^(1/2)", "(.^ x 1/2)"},
	{"x.^-1", "(.^ x -1)"},
	{"A^T^-1", "(inv (T A))"},
	{"x'^2", "(^ (T x) 2)"},
	{"x''", "(T (T x))"},
	{"(A x)^T", "(T (* A x))"},
	{"(x^T y)^2", "(^ (* (T x) y) 2)"},
	{"x^2y", "(* (^ x 2) y)"},
	// Norms.
	{"||x||", "(norm x)"},
	{"||Ax||^2", "(^ (norm (* A x)) 2)"},
	{"||BAx||^2", "(^ (norm (* B A x)) 2)"},
	{"‖Ax‖²", "(^ (norm (* A x)) 2)"},
	{"||X||_F", "(normF X)"},
	{"||X||_F^2", "(^ (normF X) 2)"},
	{"||x||_1", "(norm1 x)"},
	{"||x||_2", "(norm2 x)"}, // Euclidean of a vector; of a matrix, an error of inference
	{"||X||_2^2", "(^ (norm2 X) 2)"},
	{"||x||^2_2", "(^ (norm2 x) 2)"}, // LaTeX's \|x\|^2_2: the subscript after the power
	{"||X||^2_F", "(^ (normF X) 2)"},
	{"||x||²_1", "(^ (norm1 x) 2)"},
	{"||x||^2_2 + 1", "(+ (^ (norm2 x) 2) 1)"},
	{"norm(x)", "(norm x)"},
	{"||Ax|| ||y||", "(* (norm (* A x)) (norm y))"},
	{"‖x‖ ‖y‖", "(* (norm x) (norm y))"},
	{"|| ||x|| y ||", "(norm (* (norm x) y))"},
	{"||x ‖y‖||", "(norm (* x (norm y)))"},
	{"norm(norm(x) y)", "(norm (* (norm x) y))"},
	{"||(x ||y||)||", "(norm (* x (norm y)))"},
	{"2 ||x - y||^2 + 1", "(+ (* 2 (^ (norm (+ x (- y))) 2)) 1)"},
	{"||x||/2", "(/ (norm x) 2)"},
	// Calls and builtins.
	{"abs(x)", "(abs x)"},
	{"tr(A)", "(tr A)"},
	{"tr (A)", "(tr A)"},
	{"det(X)", "(det X)"},
	{"logdet(X)", "(logdet X)"},
	{"diag(x)", "(diag x)"},
	{"sum(A)", "(sum A)"},
	{"vec(X)", "(vec X)"},
	{"exp(x)", "(exp x)"},
	{"log(x)", "(log x)"},
	{"sin(x) + cos(x) + tan(x)", "(+ (sin x) (cos x) (tan x))"},
	{"arcsin(x) arccos(x) arctan(x)", "(* (arcsin x) (arccos x) (arctan x))"},
	{"tanh(x)", "(tanh x)"},
	{"sqrt(x)", "(sqrt x)"},
	{"sigmoid(W x + b)", "(sigmoid (+ (* W x) b))"},
	{"softplus(x)", "(softplus x)"},
	{"relu(x)", "(relu x)"},
	{"step(x)", "(step x)"},
	{"sign(x)", "(sign x)"},
	{"tr(A)^2", "(^ (tr A) 2)"},
	{"det(X) X^-T", "(* (det X) (T (inv X)))"},
	{"I", "I"},
	{"eye", "I"},
	{"A + I", "(+ A I)"},
	{"AI", "(* A I)"},
	{"eye(rows(V))", "(I (rows V))"},
	{"eye(cols(V))", "(I (cols V))"},
	{"comm(rows(X), cols(X)) vec(X)", "(* (comm (rows X) (cols X)) (vec X))"},
	{"rows(X)/alpha", "(/ (rows X) alpha)"},
	{"cols(W_out)", "(cols W_out)"},
	{"pi", "pi"},
	{"π x", "(* pi x)"},
	{"2 pi sigma", "(* 2 pi sigma)"},
	// Numbers.
	{"0", "0"},
	{"1", "1"},
	{"1^T x", "(* (T 1) x)"},
	{"2e3", "~2000"}, // a literal with an exponent is a decimal, as with a point
	{"2E3", "~2000"},
	{"2e-3", "~1/500"},
	{"2 e3", "(* 2 e3)"},
	{"0.5 x", "(* ~1/2 x)"},
	{"1.5e2", "~150"},
	{"0.1", "~1/10"},
	{"1.5e9999", "~15" + strings.Repeat("0", 9998)},
	{"1e9999 - 1e9999", "(+ ~1" + strings.Repeat("0", 9999) + " (- ~1" + strings.Repeat("0", 9999) + "))"},
	{"2ex", "(* 2 e x)"},
	// Names and letter splitting.
	{"BAx", "(* B A x)"},
	{"W1x", "(* W1 x)"},
	{"2Ax", "(* 2 A x)"},
	{"x_k", "x_k"},
	{"W_out x", "(* W_out x)"},
	{"Ax_k", "(* A x_k)"},
	{"W1x2_k", "(* W1 x2_k)"},
	{"alpha x", "(* alpha x)"},
	{"alpha_1", "alpha_1"},
	{"alpha2", "alpha2"},
	{"λ x", "(* lambda x)"}, // Greek letters read as their names
	{"λx", "(* lambda x)"},
	{"αβ", "(* alpha beta)"},
	{"Σ", "Sigma"},
	{"Sigma", "Sigma"},
	{"Sigma_0^-1", "(inv Sigma_0)"},
	{"mu", "mu"},
	{"omicron", "omicron"},
	{"T", "T"},
	{"T x", "(* T x)"},
	{"e", "e"},
	{"xy (z)", "(* x y z)"},
	{"Ax(y + z)", "(* A x (+ y z))"},
	{"AB(x + y)", "(* A B (+ x y))"},
	{"alpha(x)", "(* alpha x)"},
	{"x1(y)", "(* x1 y)"},
	{"λx(y)", "(* lambda x y)"},
	// NumPy and MATLAB spellings.
	{"x.T @ A @ x", "(* (T x) A x)"},
	{"x.T@A@x", "(* (T x) A x)"},
	{"A @ B C", "(* A B C)"},
	{"a @ -b", "(* a (- b))"},
	{"A.T", "(T A)"},
	{"A.Tx", "(* (T A) x)"},
	{"(A x).T", "(T (* A x))"},
	{"x.T.T", "(T (T x))"},
	{"2.T", "(T 2)"},
	{"2.5.T", "(T ~5/2)"},
	{"W_out.T x", "(* (T W_out) x)"},
	{"x.' A x", "(* (T x) A x)"},
	{"x.’", "(T x)"},
	{"x.'.'", "(T (T x))"},
	{"x ** 2", "(.^ x 2)"},
	{"x**2", "(.^ x 2)"},
	{"-x**2", "(- (.^ x 2))"},
	{"x ** -1", "(.^ x -1)"},
	{"x**(1/2)", "(.^ x 1/2)"},
	{"x**(2**3)", "(.^ x 8)"},
	{"(x**2)**3", "(.^ (.^ x 2) 3)"},
	{"A.T**2", "(.^ (T A) 2)"},
	{"x.^2", "(.^ x 2)"},
	{"x.*y ./z", "(./ (.* x y) z)"},
	{"2.5*x", "(* ~5/2 x)"},
	{"a ** 2 @ b", "(* (.^ a 2) b)"},
	{"1.T@x", "(* (T 1) x)"},
	{"x(y + z)", "(* x (+ y z))"},
	{"[x + y] z", "(* (+ x y) z)"},
	{"A [x + y]", "(* A (+ x y))"},
	{"2[x + y]", "(* 2 (+ x y))"},
	{"d sin(x)", "(* d (sin x))"},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		e, err := ParseExpr(tt.src)
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", tt.src, err)
			continue
		}
		if got := sexp(e); got != tt.want {
			t.Errorf("ParseExpr(%q) = %s, want %s", tt.src, got, tt.want)
		}
		if bad := check(e); bad != "" {
			t.Errorf("ParseExpr(%q): %s", tt.src, bad)
		}
	}
}

func TestDeclared(t *testing.T) {
	cfg := Config{Declared: func(n string) bool { return n == "xy" || n == "alphax" || n == "Wx" }}
	for _, tt := range []struct{ src, want string }{
		{"xy z", "(* xy z)"},
		{"xyz", "(* x y z)"},
		{"alphax", "alphax"},
		{"Wx^T", "(T Wx)"},
		{"xy(z)", "(* xy z)"},
	} {
		e, err := cfg.Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		if got := sexp(e); got != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.src, got, tt.want)
		}
	}
}

// Config.Split hears of the words read as products of one-letter names,
// and of no other.
func TestSplitWords(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"x^T W1x + bias", "W1x:W1 x@5 bias:b i a s@11"},
		{"x1 + alpha x_k + xy", "xy:x y@18"},
		{"x^TAx + 2Ax", "Ax:A x@4 Ax:A x@10"},
		{"πx + xI", "πx:π x@1 xI:x I@6"},
		{"tr(A) + W_out h", ""},
	} {
		var got []string
		cfg := Config{Split: func(w, names string, at ast.Pos) { got = append(got, fmt.Sprintf("%s:%s@%d", w, names, at)) }}
		if _, err := cfg.Parse(tt.src); err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		if s := strings.Join(got, " "); s != tt.want {
			t.Errorf("Parse(%q) split %q, want %q", tt.src, s, tt.want)
		}
	}
}

func TestPositions(t *testing.T) {
	e, err := ParseExpr("x^T A x - tr(B) ||y||")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	ast.Inspect(e, func(n ast.Expr) bool {
		if n != nil {
			got = append(got, fmt.Sprintf("%s@%d", strings.SplitN(sexp(n), " ", 2)[0], n.Pos()))
		}
		return true
	})
	want := "(+@1 (*@1 (T@2 x@1 A@5 x@7 (-@9 (*@11 (tr@11 B@14 (norm@17 y@19"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("positions:\n got %s\nwant %s", g, want)
	}
	// Split names, Unicode columns and decimal numbers.
	e, err = ParseExpr("‖λ BAx‖ + 0.5")
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	ast.Inspect(e, func(n ast.Expr) bool {
		if n != nil {
			got = append(got, fmt.Sprintf("%d", n.Pos()))
		}
		return true
	})
	if g := strings.Join(got, " "); g != "1 1 2 2 4 5 6 11" {
		t.Errorf("positions: got %s", g)
	}
}

// errorTests are bad inputs with the exact message; testdata/errors.golden
// holds the same table as text, rewritten with -update.
var errorTests = []string{
	"",
	"   ",
	"x +",
	"x + + y",
	"* x",
	"x * * y",
	"x -",
	"(x",
	"tr(A",
	"x)",
	"A B)",
	"||Ax)||^2",
	"||Ax",
	"‖x",
	"||x|| ||",
	"()",
	"[]",
	"(x]",
	"x ,",
	"x $ y",
	"x \x00",
	"x \xff",
	"\ufeffx ⊘ y",
	"|x|",
	"x .y",
	".5",
	"tnah(x)",
	"sine(x)",
	"trace(A)",
	"log2(x)",
	"ex(y)",
	"alphax",
	"alpha1x",
	"Sigmax",
	"mux",
	"pix",
	"detA",
	"expx",
	"trAB",
	"det A",
	"exp",
	"x^y",
	"e^x",
	"x^",
	"x^(y)",
	"x^(1/0)",
	"x^(2^(1/2))",
	"x.^T",
	"x^)",
	"x_",
	"tr(A, B)",
	"tr()",
	"kron(A)",
	"rows(A B)",
	"eye(3)",
	"||x||_G",
	"f(,x)",
	"1e10001",
	"1e99999999999999999999",
	"1.5e10000",
	"x^(10^10000)",
	// Norm subscripts, unknown functions, NumPy and MATLAB spellings.
	"||X||_*",
	"||x||_inf",
	"||x||_∞",
	"||x||_",
	"softmx(x)",
	"huber(x)",
	"max(x)",
	"lse(x + y)",
	"nuclear(X)",
	"xy(z)",
	"xy(((((((((((((((((z)))))))))))))))))",
	"ab2(x)",
	"sine (x)",
	"x**2**3",
	"x**y",
	"x **",
	"@ x",
	"x @",
	"x @ @ y",
	"x.",
	"2.",
	"x.t",
	"x . T",
	"x[1]",
	"softmax(z)[k]",
	"A[x + y]",
	"x_1[2]",
	"A\\b",
	"x^T*A*x;",
	"x; y",
	"f = x^T x",
	"ln(x)",
	"logistic(W x)",
	"transpose(x) y",
	"mean(x)",
	// What other tools have and matdiff writes otherwise, or has not; a
	// function of a similar name would be a false friend (min is not sin).
	"max(x, y)",
	"min(x)",
	"dot(x, y)",
	"outer(x, y)",
	"prod(x)",
	"pinv(X)",
	"expm(A)",
	"logm(A)",
	"sqrtm(A)",
	"cosh(x)",
	"log10(x)",
	"log1p(x)",
	"square(x)",
	"var(x)",
	"silu(x)",
	"cross(x, y)",
	"logit(p)",
	"log_softmax(z)",
	"logsoftmax(z)",
	"softmin(z)",
	"asinh(x)",
	"atanh(x)",
	"relu6(x)",
	"gelu(x)",
	"elu(x)",
	"sec(x)",
	"exp2(x)",
	"normalize(x)",
	"heaviside(x)",
	"sgn(x)",
	"norm(x, 1)",
	"sigm(x)",
	"logsum(x)",
}

// TestWordHints: every hint is given for its word (no function or other
// rule answers first), and each expression it suggests parses.
func TestWordHints(t *testing.T) {
	for w, hint := range wordHints {
		if isFunc(w) {
			t.Errorf("%s is a function", w)
		}
		_, err := ParseExpr(w + "(x)")
		if want := "unknown function " + w + "; " + hint; err == nil || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("%s(x): %v, want …%s", w, err, want)
		}
		for _, e := range hintExprs(hint) {
			if _, err := ParseExpr(e); err != nil {
				t.Errorf("%s: the hint's %q: %v", w, e, err)
			}
		}
	}
}

// hintExprs returns the expressions a hint suggests: each text after
// "write " up to " for ", "; " or the end.
func hintExprs(hint string) []string {
	var out []string
	for _, part := range strings.Split(hint, "write ")[1:] {
		for _, stop := range []string{" for ", "; "} {
			part, _, _ = strings.Cut(part, stop)
		}
		out = append(out, part)
	}
	return out
}

func TestErrors(t *testing.T) {
	var golden strings.Builder
	for _, src := range errorTests {
		_, err := ParseExpr(src)
		var pe *ast.Error
		if !errors.As(err, &pe) {
			t.Errorf("ParseExpr(%q): got %v, want an *ast.Error", src, err)
			continue
		}
		fmt.Fprintf(&golden, "%q\n\t%s\n", src, err)
	}
	goldenfile.Check(t, "testdata/errors.golden", golden.String())
}

// TestErrorText pins a few messages in the test itself, as the README
// ("Input language", "Warnings") gives them.
func TestErrorText(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"||Ax)||^2", "syntax error at column 5: unexpected ')'"},
		{"tnah(x)", "name error at column 1: unknown function tnah; did you mean tanh?"},
		{"alphax", "name error at column 1: alphax: did you mean alpha x?"},
		{"detA", "name error at column 1: detA: did you mean det(A)?"},
		{"||Ax", "syntax error at column 1: unclosed norm; add ||"},
		{"x +", "syntax error at column 3: expected an operand after '+'"},
		{"", "syntax error: empty expression"},
		{"x^y", "syntax error at column 3: exponent y is not a number; write ^2, ^(1/2) or ^T"},
		{"tr(A, B)", "syntax error at column 1: tr takes 1 argument, got 2"},
		{"sum(X, 1)", "syntax error at column 1: sum takes 1 argument, got 2; write 1^T X for the sums of the columns and X 1 for those of the rows"},
		{"a + λ)", "syntax error at column 6: unexpected ')'"},
		// Other tools' spellings: LaTeX braces and commands, NumPy's
		// modules and methods.
		{"X^{-1}", "syntax error at column 3: exponent '{' is not a number; braces group in LaTeX only: write ^-1, ^T or ^(…)"},
		{"{x} + y", "syntax error at column 1: unexpected '{'; braces group in LaTeX only: write (…)"},
		{"\\frac{1}{2} x", "syntax error at column 1: unexpected '\\'; LaTeX commands are not read: write a/b for \\frac{a}{b}, alpha for \\alpha, x^T for x^\\top"},
		{"np.exp(x)", "syntax error at column 3: unexpected '.'; functions take no module prefix: write exp(…) for np.exp(…)"},
		{"np.linalg.norm(x)", "syntax error at column 3: unexpected '.'; functions take no module prefix: write norm(…) for np.linalg.norm(…)"},
		{"x.sum()", "syntax error at column 2: unexpected '.'; did you mean sum(x)?"},
		{"2^alpha", "syntax error at column 3: exponent alpha is not a number; for a variable exponent write exp(alpha log(2))"},
		{"e^alpha", "syntax error at column 3: exponent alpha is not a number; for the exponential write exp(alpha)"},
		{"ones(3)", "name error at column 1: unknown function ones; write 1 for the ones vector, whose size its neighbours give (1^T x, A 1)"},
		{"x^T ones", "name error at column 5: ones: write 1 for the ones vector, whose size its neighbours give (1^T x, A 1)"},
		{"zeros(n) + x", "name error at column 1: unknown function zeros; write 0 for a zero vector or matrix, whose size its neighbours give"},
		{"frobenius(X)", "name error at column 1: unknown function frobenius; write ||X||_F for the Frobenius norm"},
		{"Tr(X)", "name error at column 1: unknown function Tr; did you mean tr?"},
		{"qwerty(x)", "name error at column 1: unknown function qwerty (for a product of one-letter names, write q w e r t y (x))"},
		{"x^T 1_n", "syntax error at column 6: a number takes no subscript: 1 is the ones vector, whose size its neighbours give"},
		{"||x||_2^2_2", "syntax error at column 10: a number takes no subscript: 1 is the ones vector, whose size its neighbours give"},
		{"||x||^2 _2", "syntax error at column 9: unexpected '_2'; a subscript follows a name without space, as in x_k"},
		{"||x||^2_3", "syntax error at column 8: unknown norm subscript _3; write _F, _1 or _2"},
		{"x · y", "syntax error at column 3: unexpected '·'; a dot product is x^T y here, a product A x"},
		{"x × y", "syntax error at column 3: unexpected '×'; matdiff has no cross product; a product is written A x"},
		{".5 x", "syntax error at column 1: unexpected '.'; a number begins with a digit: write 0.5"},
		{"x . y", "syntax error at column 3: unexpected '.'; a dot product is x^T y here, a product A x"},
		{"x + \\alpha y", "syntax error at column 5: unexpected '\\'; LaTeX commands are not read: write a/b for \\frac{a}{b}, alpha for \\alpha, x^T for x^\\top"},
		{"A\\b", "syntax error at column 2: unexpected '\\'; MATLAB's left division A\\b is A^-1 b here"},
		{"A.x", "syntax error at column 2: unexpected '.'; matdiff has no methods or modules: write a function as f(x) and a product as A x"},
		{"x.dot(y)", "syntax error at column 2: unexpected '.'; did you mean x^T y?"},
		{"e^(-x^T x/2)", "syntax error at column 3: an exponent in parentheses must be made of numbers, as in ^(1/2); for the exponential write exp(-x^T x/2)"},
		{"2^(t + 1)", "syntax error at column 3: an exponent in parentheses must be made of numbers, as in ^(1/2); for a variable exponent write exp((t + 1) log(2))"},
		{"log det(X)", "syntax error at column 1: log is a function; did you mean logdet(X) or log(det(X))?"},
		{"exp tr(A B) + 1", "syntax error at column 1: exp is a function; did you mean exp(tr(A B))?"},
		{"sqrt x", "syntax error at column 1: sqrt is a function; did you mean sqrt(x)?"},
		{"log det X", "syntax error at column 1: log is a function; did you mean logdet(X) or log(det(X))?"},
		{"exp tr X + 1", "syntax error at column 1: exp is a function; did you mean exp(tr(X))?"},
		{"log sum x_1", "syntax error at column 1: log is a function; did you mean log(sum(x_1))?"},
		{"tr(A kron B)", "syntax error at column 6: kron is a function of two arguments; did you mean kron(A, B)?"},
		{"x^T kron y", "syntax error at column 5: kron is a function of two arguments; did you mean kron(x^T, y)?"},
		{"(A + B) kron C", "syntax error at column 9: kron is a function of two arguments; write kron(X, Y)"},
		{"kron B", "syntax error at column 1: kron is a function of two arguments; write kron(X, Y)"},
	} {
		_, err := ParseExpr(tt.src)
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseExpr(%q) = %v, want %s", tt.src, err, tt.want)
		}
	}
}

func TestLimits(t *testing.T) {
	for _, tt := range []struct {
		name, src, want string
	}{
		{"100000 parentheses", strings.Repeat("(", 100000) + "x" + strings.Repeat(")", 100000),
			"limit error at column 20001: nesting deeper than 20000"},
		{"100000 norms", strings.Repeat("||", 100000) + "x",
			"limit error at column 40001: nesting deeper than 20000"},
		{"100000 calls", strings.Repeat("exp(", 100000) + "x",
			"limit error at column 80004: nesting deeper than 20000"},
		{"100000 minus signs", strings.Repeat("-", 100000) + "x",
			"limit error at column 20001: nesting deeper than 20000"},
		{"100000 transposes", "x" + strings.Repeat("'", 100000),
			"limit error at column 20002: nesting deeper than 20000"},
		{"1 MB", strings.Repeat("x + ", 1<<18),
			"limit error: input is longer than 512 KiB"},
	} {
		_, err := ParseExpr(tt.src)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: got %v, want %s", tt.name, err, tt.want)
		}
		if pe := (*ast.Error)(nil); !errors.As(err, &pe) || pe.Kind != "limit" {
			t.Errorf("%s: got %#v, want a limit error", tt.name, err)
		}
	}
	// Within the limits, long and deep inputs parse.
	deep := strings.Repeat("(", 20000) + "x" + strings.Repeat(")", 20000)
	if _, err := ParseExpr(deep); err != nil {
		t.Errorf("20000 parentheses: %v", err)
	}
	long := strings.Repeat("x + ", 100000) + "x"
	e, err := ParseExpr(long)
	if err != nil {
		t.Fatalf("long sum: %v", err)
	}
	if s, ok := e.(*ast.Sum); !ok || len(s.Terms) != 100001 {
		t.Errorf("long sum: not a flat sum of 100001 terms")
	}
}

// check reports a malformed tree: nil children, nil values, short sums and
// products, wrong arities or invalid positions. It walks with an explicit
// stack, since trees may be deep.
func check(root ast.Expr) string {
	stack := []ast.Expr{root}
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if e == nil {
			return "nil node"
		}
		if !e.Pos().IsValid() {
			return fmt.Sprintf("%T without a position", e)
		}
		switch e := e.(type) {
		case *ast.Number:
			if e.Value == nil {
				return "number without a value"
			}
		case *ast.Power:
			if e.Exp == nil {
				return "power without an exponent"
			}
		case *ast.ElemPower:
			if e.Exp == nil {
				return "elementwise power without an exponent"
			}
		case *ast.Sum:
			if len(e.Terms) < 2 {
				return "sum of fewer than two terms"
			}
		case *ast.Product:
			if len(e.Factors) < 2 {
				return "product of fewer than two factors"
			}
		case *ast.Call:
			f, ok := ast.Funcs[e.Func]
			if !ok || f.Arity != len(e.Args) {
				return "bad call of " + e.Func
			}
		case *ast.Dimension:
			if e.X == nil {
				return "dimension without a variable"
			}
		}
		for _, k := range ast.Children(e) {
			if k == nil {
				return fmt.Sprintf("%T with a nil child", e)
			}
			stack = append(stack, k)
		}
	}
	return ""
}

// The parser's table of function words is ast.IsFunc.
func TestIsFunc(t *testing.T) {
	words := append(ast.FuncNames(), "sin", "x", "A1", "", "tan", "normal", "λ", "relu", "softplus", "logsumexp", "lse", "sigm", "ln", "abs")
	for _, f := range ast.Funcs {
		words = append(words, f.Aliases...)
	}
	for _, w := range words {
		if got, want := isFunc(w), ast.IsFunc(w); got != want {
			t.Errorf("isFunc(%q) = %v, want %v", w, got, want)
		}
	}
}

// isBinary reports the operators of ast.Operators: a punctuation token is
// a binary operator at a level when its spelling or its canonical one is
// an operator's token there.
func TestIsBinary(t *testing.T) {
	n := 0
	for s, ty := range punctTypes {
		for prec := ast.PrecSum; prec <= ast.PrecAtom; prec++ {
			tok := token{&lexer.Token{Type: ty, Value: s}}
			want := operatorPrec(s, prec) || operatorPrec(punctTexts[ty-lexer.TokenType(tPunct)], prec)
			if got := isBinary(tok, prec); got != want {
				t.Errorf("isBinary(%q, %d) = %v, want %v", s, prec, got, want)
			}
			if want {
				n++
			}
		}
	}
	if n < len(ast.Operators) {
		t.Errorf("only %d binary spellings", n)
	}
}

// The ASCII names of the Greek letters are ast's.
func TestGreekNames(t *testing.T) {
	for name, letter := range ast.Greek {
		if letter != "π" && asciiName(letter+"_1") != name+"_1" {
			t.Errorf("asciiName(%s_1) = %s, want %s_1", letter, asciiName(letter+"_1"), name)
		}
	}
	for name, letter := range ast.CapitalGreek {
		if got := asciiName(letter); got != name {
			t.Errorf("asciiName(%s) = %s, want %s", letter, got, name)
		}
	}
}

// The small integers of a parse are rationals of their own.
func TestInteger(t *testing.T) {
	var nd nodes
	var rs []*big.Rat
	for _, v := range []int64{0, 1, 2, 7, 10, 1 << 40, 999999999999999999} {
		r := nd.integer(v)
		if want := big.NewRat(v, 1); r.Cmp(want) != 0 || r.Denom().Cmp(big.NewInt(1)) != 0 || r.String() != want.String() {
			t.Errorf("integer(%d) = %v", v, r)
		}
		rs = append(rs, r)
	}
	rs[2].Mul(rs[2], rs[3]) // in place: 14
	rs[5].Neg(rs[5])
	if rs[2].RatString() != "14" || rs[3].RatString() != "7" || rs[5].RatString() != "-1099511627776" || rs[1].RatString() != "1" {
		t.Errorf("integers share digits: %v %v %v %v", rs[1], rs[2], rs[3], rs[5])
	}
}

// plainName tells the names that are read as written, whatever the
// declarations: each parses to itself, declared or not.
func TestPlainName(t *testing.T) {
	for w, want := range map[string]bool{
		"x": true, "A12": true, "b_k": true, "x_12": true, "e": true, "I2": true, "x_λ": true,
		"I": false, "tr": false, "xy": false, "x1y": false, "λ": false, "pi": false, "Ax": false,
	} {
		if got := plainName(w); got != want {
			t.Errorf("plainName(%q) = %v, want %v", w, got, want)
		}
		if !want {
			continue
		}
		for _, cfg := range []Config{{}, {Declared: func(string) bool { return true }}} {
			e, err := cfg.Parse(w)
			if n, ok := e.(*ast.Name); err != nil || !ok || n.Name != w {
				t.Errorf("%q parses to %v, %v", w, e, err)
			}
		}
	}
}

// punctType is punctTypes without the map.
func TestPunctType(t *testing.T) {
	for s, ty := range punctTypes {
		if got := punctType(s); got != ty {
			t.Errorf("punctType(%q) = %d, want %d", s, got, ty)
		}
	}
}
