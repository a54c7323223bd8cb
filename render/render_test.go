package render

import (
	"fmt"
	goldenfile "github.com/matdiff/matdiff/internal/golden"
	"math/big"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/ast"
)

// Constructors for hand-built trees.

func n(v int64) *ast.Number    { return ast.Int(v) }
func q(a, b int64) *ast.Number { return ast.Rat(a, b) }
func dec(a, b int64) *ast.Number {
	return &ast.Number{Value: big.NewRat(a, b), Decimal: true}
}
func v(s string) *ast.Name             { return &ast.Name{Name: s} }
func sum(ts ...ast.Expr) ast.Expr      { return &ast.Sum{Terms: ts} }
func prod(fs ...ast.Expr) ast.Expr     { return &ast.Product{Factors: fs} }
func neg(x ast.Expr) ast.Expr          { return &ast.Neg{X: x} }
func tr(x ast.Expr) ast.Expr           { return &ast.Transpose{X: x} }
func inv(x ast.Expr) ast.Expr          { return &ast.Inverse{X: x} }
func pow(x ast.Expr, k int64) ast.Expr { return &ast.Power{X: x, Exp: big.NewRat(k, 1)} }
func powq(x ast.Expr, a, b int64) ast.Expr {
	return &ast.Power{X: x, Exp: big.NewRat(a, b)}
}
func epow(x ast.Expr, k int64) ast.Expr { return &ast.ElemPower{X: x, Exp: big.NewRat(k, 1)} }
func epowq(x ast.Expr, a, b int64) ast.Expr {
	return &ast.ElemPower{X: x, Exp: big.NewRat(a, b)}
}
func had(x, y ast.Expr) ast.Expr  { return &ast.Hadamard{X: x, Y: y} }
func ediv(x, y ast.Expr) ast.Expr { return &ast.ElemDiv{X: x, Y: y} }
func div(x, y ast.Expr) ast.Expr  { return &ast.Div{X: x, Y: y} }
func kron(x, y ast.Expr) ast.Expr { return &ast.Kron{X: x, Y: y} }
func norm(x ast.Expr) ast.Expr    { return &ast.Norm{X: x} }
func normF(x ast.Expr) ast.Expr   { return &ast.Norm{Kind: ast.NormFrobenius, X: x} }
func norm1(x ast.Expr) ast.Expr   { return &ast.Norm{Kind: ast.NormOne, X: x} }
func call(f string, args ...ast.Expr) ast.Expr {
	return &ast.Call{Func: f, Args: args}
}
func rows(s string) *ast.Dimension { return &ast.Dimension{X: v(s)} }
func cols(s string) *ast.Dimension { return &ast.Dimension{Cols: true, X: v(s)} }

var (
	A, B, X, S = v("A"), v("B"), v("X"), v("S")
	x, y, b, p = v("x"), v("y"), v("b"), v("p")
	u, w       = v("u"), v("w")
	sigma      = v("sigma")
	lambda     = v("lambda")
	alpha      = v("alpha")
	I          = &ast.Identity{}
	ones       = &ast.Ones{}
	zero       = &ast.Zero{}
)

type renderCase struct {
	name    string
	e       ast.Expr
	text    string
	latex   string // "" : only in the golden file
	unicode string // "" : only in the golden file
}

var cases = []renderCase{
	// The seed identities (derive/testdata/cases.txt).
	{"seed x^T x", prod(n(2), x), "2 x", `2 \mathbf{x}`, "2 x"},
	{"seed x^T y", y, "y", `\mathbf{y}`, "y"},
	{"seed (x^T y)^2", prod(n(2), prod(tr(x), y), y), "2 (x^T y) y",
		`2 \left( \mathbf{x}^\top \mathbf{y} \right) \mathbf{y}`, "2 (xᵀ y) y"},
	{"seed A^T", tr(A), "A^T", `\mathbf{A}^\top`, "Aᵀ"},
	{"seed ||Ax||^2 by x", prod(n(2), tr(A), A, x), "2 A^T A x",
		`2 \mathbf{A}^\top \mathbf{A} \mathbf{x}`, "2 Aᵀ A x"},
	{"seed ||Ax||^2 by A", prod(n(2), A, x, tr(x)), "2 A x x^T", "", "2 A x xᵀ"},
	{"seed ||BAx||^2 by B", prod(n(2), B, A, x, tr(x), tr(A)), "2 B A x x^T A^T", "", ""},
	{"seed ||BAx||^2 by x", prod(n(2), tr(A), tr(B), B, A, x), "2 A^T B^T B A x", "", ""},
	{"seed ||BAx||^2 by A", prod(n(2), tr(B), B, A, x, tr(x)), "2 B^T B A x x^T",
		`2 \mathbf{B}^\top \mathbf{B} \mathbf{A} \mathbf{x} \mathbf{x}^\top`, "2 Bᵀ B A x xᵀ"},

	// Sums and signs.
	{"sum in product", prod(sum(A, tr(A)), x), "(A + A^T) x",
		`\left( \mathbf{A} + \mathbf{A}^\top \right) \mathbf{x}`, "(A + Aᵀ) x"},
	{"difference", sum(prod(A, x), neg(b)), "A x - b", `\mathbf{A} \mathbf{x} - \mathbf{b}`, "A x - b"},
	{"negative number term", sum(x, n(-2)), "x - 2", "", ""},
	{"negative coefficient term", sum(x, prod(n(-2), A, x)), "x - 2 A x", "", ""},
	{"coefficient -1 term", sum(x, prod(n(-1), A, x)), "x - A x", "", ""},
	{"leading negative", sum(neg(x), y), "-x + y", "", ""},
	{"leading negative product", sum(prod(n(-3), x), y), "-3 x + y", "", ""},
	{"ones minus tanh", sum(n(1), neg(epow(call("tanh", u), 2))), "1 - tanh(u).^2",
		`1 - \tanh\left( \mathbf{u} \right)^{\circ 2}`, "1 - tanh(u).^2"},
	{"diag minus outer", sum(call("diag", p), neg(prod(p, tr(p)))), "diag(p) - p p^T",
		`\operatorname{diag}\left( \mathbf{p} \right) - \mathbf{p} \mathbf{p}^\top`, "diag(p) - p pᵀ"},
	{"minus sum", sum(x, neg(sum(y, b))), "x - (y + b)", "", ""},
	{"minus minus", sum(x, neg(neg(y))), "x - (-y)", "", ""},
	{"minus negative product", sum(x, neg(prod(n(-2), y))), "x - (-2 y)", "", ""},
	{"nested sum first", sum(sum(x, y), b), "x + y + b", "", ""},
	{"nested sum later", sum(x, sum(y, b)), "x + (y + b)", "", ""},
	{"neg of sum", neg(sum(x, y)), "-(x + y)", `-\left( \mathbf{x} + \mathbf{y} \right)`, "-(x + y)"},
	{"neg of product", neg(prod(A, x)), "-A x", "", ""},
	{"neg of neg", neg(neg(x)), "-(-x)", "", ""},
	{"neg of negative number", neg(n(-2)), "-(-2)", "", ""},
	{"neg of hadamard", neg(had(x, y)), "-(x .* y)", "", ""},
	{"product with leading neg", prod(neg(A), x), "(-A) x", "", ""},
	{"sum with leading-neg product", sum(y, prod(neg(A), x)), "y + (-A) x", "", ""},
	{"negated factor", prod(A, neg(x)), "A (-x)", `\mathbf{A} \left( -\mathbf{x} \right)`, "A (-x)"},
	{"negative number factor", prod(A, n(-2)), "A (-2)", "", ""},

	// Coefficients.
	{"half sum", prod(q(1, 2), sum(A, tr(A))), "(A + A^T)/2",
		`\frac{\mathbf{A} + \mathbf{A}^\top}{2}`, "(A + Aᵀ)/2"},
	{"minus half sum", prod(q(-1, 2), sum(A, tr(A))), "-(A + A^T)/2",
		`-\frac{\mathbf{A} + \mathbf{A}^\top}{2}`, ""},
	{"three halves sum", prod(q(3, 2), sum(A, tr(A))), "3 (A + A^T)/2", "", ""},
	{"three halves", prod(q(3, 2), A, x), "3 A x/2", `\frac{3 \mathbf{A} \mathbf{x}}{2}`, "3 A x/2"},
	{"minus three halves term", sum(y, prod(q(-3, 2), A, x)), "y - 3 A x/2", "", ""},
	{"half", prod(q(1, 2), x), "x/2", `\frac{\mathbf{x}}{2}`, "x/2"},
	{"coefficient one", prod(n(1), x, y), "x y", "", ""},
	{"coefficient minus one", prod(n(-1), x), "-x", `-\mathbf{x}`, "-x"},
	{"decimal coefficient", prod(dec(3, 5), x), "0.6 x", `0.6 \mathbf{x}`, "0.6 x"},
	{"negative decimal coefficient", prod(dec(-3, 2), x), "-1.5 x", "", ""},
	{"decimal one", prod(dec(1, 1), x), "x", "", ""},
	{"repeating decimal coefficient", prod(dec(1, 3), x), "x/3", "", ""},
	{"rational number", q(3, 2), "3/2", `\frac{3}{2}`, "3/2"},
	{"negative rational", q(-3, 2), "-3/2", `-\frac{3}{2}`, ""},
	{"decimal number", dec(1, 8), "0.125", "0.125", "0.125"},
	{"integral decimal", dec(2000, 1), "2000", "", ""},
	// A decimal beyond 1e-5 … 1e6 in magnitude takes an exponent.
	{"small decimal coefficient", prod(dec(1, 100000000), x), "1e-8 x", `10^{-8} \mathbf{x}`, "1e-8 x"},
	{"small decimal", dec(-25, 10000000), "-2.5e-6", `-2.5 \cdot 10^{-6}`, "-2.5e-6"},
	{"large decimal", dec(100000000000000, 1), "1e14", `10^{14}`, "1e14"},
	{"large decimal mantissa", dec(1250000, 1), "1.25e6", `1.25 \cdot 10^{6}`, "1.25e6"},
	{"decimal at the bounds", sum(dec(1, 10000), dec(999999, 1)), "0.0001 + 999999", "", ""},
	{"large integer", n(100000000000000), "100000000000000", "", ""},
	{"rational factor", prod(A, q(1, 2)), "A (1/2)", `\mathbf{A} \frac{1}{2}`, ""},

	// Trailing divisions.
	{"normalised", prod(x, pow(norm(x), -1)), "x/||x||",
		`\frac{\mathbf{x}}{\left\| \mathbf{x} \right\|}`, "x/‖x‖"},
	{"gaussian", prod(q(1, 2), prod(tr(x), x), pow(sigma, -2)), "(x^T x)/(2 sigma^2)",
		`\frac{\mathbf{x}^\top \mathbf{x}}{2 \sigma^2}`, "(xᵀ x)/(2 σ²)"},
	{"gaussian as quotient", prod(prod(tr(x), x), pow(prod(n(2), pow(sigma, 2)), -1)),
		"(x^T x)/(2 sigma^2)", "", ""},
	{"x over 2 sigma^2", prod(q(1, 2), x, pow(sigma, -2)), "x/(2 sigma^2)", "", ""},
	{"scalar product over scalar", prod(prod(tr(x), x), pow(sigma, -2)), "x^T x/sigma^2", "", ""},
	{"two products", prod(n(2), x, pow(sigma, -2), pow(v("tau"), -1)), "(2 x)/(sigma^2 tau)", "", ""},
	{"inverse of a product", prod(A, x, pow(prod(tr(x), x), -1)), "(A x)/(x^T x)", "", ""},
	{"lambda w", prod(n(2), lambda, w), "2 lambda w", `2 \lambda \mathbf{w}`, "2 λ w"},
	{"det X^-T", prod(call("det", X), tr(inv(X))), "det(X) X^-T",
		`\det\left( \mathbf{X} \right) \mathbf{X}^{-\top}`, "det(X) X⁻ᵀ"},
	{"rows over alpha", prod(rows("X"), pow(alpha, -1)), "rows(X)/alpha",
		`\frac{\operatorname{rows}\left( \mathbf{X} \right)}{\alpha}`, "rows(X)/α"},
	{"two over x", prod(n(2), pow(alpha, -1)), "2/alpha", "", ""},
	{"minus one over", prod(n(-1), pow(alpha, -1)), "-1/alpha", `-\frac{1}{\alpha}`, ""},
	{"half over", prod(q(1, 2), pow(alpha, -1)), "1/(2 alpha)", "", ""},
	{"squared denominator", prod(x, pow(v("tau"), -2)), "x/tau^2", "", ""},
	{"scalar inverse factor", prod(x, inv(alpha)), "x/alpha", "", ""},
	{"fractional denominator", prod(x, powq(alpha, -1, 2)), "x/alpha^(1/2)", `\frac{\mathbf{x}}{\alpha^{1/2}}`, ""},
	{"sum denominator", prod(x, pow(sum(alpha, n(1)), -1)), "x/(alpha + 1)", "", ""},
	{"matrix negative power stays", prod(pow(A, -2), x), "A^-2 x", `\mathbf{A}^{-2} \mathbf{x}`, "A⁻² x"},
	{"lone negative power", pow(alpha, -1), "1/alpha", `\frac{1}{\alpha}`, "1/α"},
	{"sub-product and fraction", prod(n(2), prod(tr(x), y), y, pow(sigma, -1)), "2 (x^T y) y/sigma", "", ""},
	{"div", div(x, alpha), "x/alpha", `\frac{\mathbf{x}}{\alpha}`, "x/α"},
	{"div by product", div(prod(tr(x), x), prod(n(2), pow(sigma, 2))), "(x^T x)/(2 sigma^2)", "", ""},
	{"div product by scalar", div(prod(A, x), n(2)), "A x/2", "", ""},
	{"div single by product", div(x, prod(n(2), sigma)), "x/(2 sigma)", "", ""},
	{"div of sum", div(sum(x, y), n(2)), "(x + y)/2", "", ""},
	{"div of neg", div(neg(x), n(2)), "(-x)/2", "", ""},
	{"neg of div", neg(div(x, n(2))), "-x/2", `-\frac{\mathbf{x}}{2}`, "-x/2"},
	{"neg of decimal", neg(prod(dec(3, 5), x)), "-0.6 x", "", ""},
	{"div chain", div(div(x, alpha), n(2)), "x/alpha/2", "", ""},
	{"div in product", prod(A, div(x, n(2))), "A (x/2)", `\mathbf{A} \frac{\mathbf{x}}{2}`, "A (x/2)"},
	{"div by neg", div(x, neg(alpha)), "x/(-alpha)", "", ""},
	{"negative div term", sum(y, div(neg(x), n(2))), "y + (-x)/2", "", ""},
	{"div then product", prod(div(prod(tr(x), x), n(2)), pow(sigma, 2)), "(x^T x/2) sigma^2", "", ""},

	// Postfix operators.
	{"transpose of product", tr(prod(A, B)), "(A B)^T",
		`\left( \mathbf{A} \mathbf{B} \right)^\top`, "(A B)ᵀ"},
	{"transpose of neg", tr(neg(x)), "(-x)^T", "", ""},
	{"inverse", prod(tr(x), inv(A), x), "x^T A^-1 x",
		`\mathbf{x}^\top \mathbf{A}^{-1} \mathbf{x}`, "xᵀ A⁻¹ x"},
	{"inverse transpose", inv(tr(A)), "A^-T", `\mathbf{A}^{-\top}`, "A⁻ᵀ"},
	{"transpose of inverse of product", tr(inv(prod(A, B))), "(A B)^-T", "", ""},
	{"inverse of a product of transposes", inv(prod(tr(B), tr(A))), "(A B)^-T", `\left( \mathbf{A} \mathbf{B} \right)^{-\top}`, "(A B)⁻ᵀ"},
	{"inverse of a product of transposes and an inverse", inv(prod(tr(B), tr(inv(A)))), "(A^-1 B)^-T", "", ""},
	{"inverse of a product of some transposes", inv(prod(tr(B), A)), "(B^T A)^-1", "", ""},
	{"inverse of a product of a transpose and an inverse of a transpose", inv(prod(tr(B), inv(tr(A)))), "(A^-1 B)^-T", "", ""},
	{"double transpose", tr(tr(A)), "(A^T)^T", "", ""},
	{"power of transpose", pow(tr(A), 2), "(A^T)^2", `\left( \mathbf{A}^\top \right)^2`, "(Aᵀ)²"},
	{"scalar power", pow(v("t"), 3), "t^3", "", ""},
	{"big power", pow(alpha, 10), "alpha^10", `\alpha^{10}`, "α¹⁰"},
	{"negative power", pow(alpha, -2), "1/alpha^2", "", "1/α²"},
	{"fractional power", powq(v("t"), 1, 2), "t^(1/2)", `\mathbf{t}^{1/2}`, "t^(1/2)"},
	{"negative fractional power", powq(v("t"), -3, 2), "t^(-3/2)", "", ""},
	{"elementwise power", epow(x, 2), "x.^2", `\mathbf{x}^{\circ 2}`, "x.^2"},
	{"elementwise fractional power", epowq(x, 1, 2), "x.^(1/2)", "", ""},
	{"elementwise negative power", epow(x, -1), "x.^-1", `\mathbf{x}^{\circ -1}`, ""},
	{"power of sum", pow(sum(alpha, n(1)), 2), "(alpha + 1)^2", "", ""},
	{"power of negative number", pow(n(-2), 2), "(-2)^2", "", ""},
	{"power of rational", pow(q(1, 2), 2), "(1/2)^2", `\left( \frac{1}{2} \right)^2`, ""},
	{"norm squared", pow(norm(prod(A, x)), 2), "||A x||^2",
		`\left\| \mathbf{A} \mathbf{x} \right\|^2`, "‖A x‖²"},
	{"frobenius squared", pow(normF(A), 2), "||A||_F^2", `\left\| \mathbf{A} \right\|_F^2`, "‖A‖_F²"},

	// Elementwise and Kronecker operators.
	{"hadamard", had(x, y), "x .* y", `\mathbf{x} \circ \mathbf{y}`, "x ∘ y"},
	{"hadamard chain", had(had(x, y), b), "x .* y .* b", "", ""},
	{"hadamard right nested", had(x, had(y, b)), "x .* (y .* b)", "", ""},
	{"hadamard of product", had(prod(A, x), y), "(A x) .* y", "", ""},
	{"product of hadamard", prod(A, had(x, y)), "A (x .* y)", "", ""},
	{"hadamard with negative", had(neg(x), neg(y)), "(-x) .* (-y)", "", ""},
	{"elementwise division", ediv(x, y), "x ./ y", `\mathbf{x} \oslash \mathbf{y}`, "x ./ y"},
	{"mixed elementwise", ediv(had(x, y), b), "(x .* y) ./ b", "", ""},
	{"kronecker", kron(I, A), "I ⊗ A", `\mathbf{I} \otimes \mathbf{A}`, "I ⊗ A"},
	{"kronecker chain", kron(kron(A, B), X), "A ⊗ B ⊗ X", "", ""},
	{"kronecker of transpose", kron(tr(x), A), "x^T ⊗ A", "", ""},
	{"kronecker of product", kron(prod(A, B), X), "(A B) ⊗ X", "", ""},
	// 2 A ⊗ B reads as (2 A) ⊗ B, the same as 2 (A ⊗ B): both print so.
	{"coefficient of kronecker", prod(n(2), kron(A, B)), "2 A ⊗ B", "", ""},
	{"numeric product as the coefficient of kronecker", prod(prod(n(1), n(2)), kron(A, B)), "2 A ⊗ B", "", ""},
	{"negated factor with units in a sum", sum(A, prod(neg(B), pow(n(1), -2))), "A - B", "", ""},
	{"transposed product of ones", tr(prod(n(1), n(1))), "1", "", ""},
	{"transposed product of ones as a factor", prod(tr(prod(n(1), n(1))), A), "A", "", ""},
	{"transposed numeric product as a factor", prod(tr(prod(n(2), n(1))), A), "2 A", "", ""},
	{"coefficient of a coefficient of kronecker", prod(n(3), prod(n(2), kron(A, B))), "3 2 A ⊗ B", "", ""},
	{"coefficient of kronecker after a unit", kron(prod(n(1), n(2), A), B), "2 A ⊗ B", "", ""},
	{"kronecker of an inverse transpose", prod(n(2), kron(tr(inv(A)), B)), "2 (A^-T ⊗ B)", "", ""},
	{"negated factor after a unit in a sum", sum(A, prod(n(1), neg(B))), "A - B", "", ""},
	{"kronecker of coefficient product", kron(prod(n(2), A), B), "2 A ⊗ B", "", ""},
	{"negated coefficient of kronecker", neg(prod(n(7), kron(A, B))), "-(7 A ⊗ B)", "", ""},
	{"negated kronecker of coefficient product", neg(kron(prod(n(7), A), B)), "-(7 A ⊗ B)", "", ""},
	{"transposed coefficient of kronecker", tr(prod(n(2), kron(A, B))), "(2 A ⊗ B)^T", "", ""},
	// 2 (1/alpha) ⊗ B would read back as (2/alpha) ⊗ B.
	{"coefficient of kronecker of reciprocal", prod(n(2), kron(pow(alpha, -1), B)), "2 ((1/alpha) ⊗ B)", "", ""},
	{"coefficient of kronecker of product", prod(n(2), kron(prod(x, tr(y)), B)), "2 (x y^T) ⊗ B", "", ""},
	{"one times kronecker of product", kron(prod(n(1), alpha, A), B), "(alpha A) ⊗ B", "", ""},
	{"hadamard numerator", div(had(x, y), n(2)), "(x .* y)/2", "", ""},

	// Atoms.
	{"pi", prod(n(2), &ast.Pi{}), "2 pi", `2 \pi`, "2 π"},
	{"identity", sum(A, I), "A + I", `\mathbf{A} + \mathbf{I}`, "A + I"},
	{"sized identity", &ast.Identity{Of: rows("X")}, "eye(rows(X))",
		`\mathbf{I}_{\operatorname{rows}\left( \mathbf{X} \right)}`, "eye(rows(X))"},
	{"sized identity by columns", kron(&ast.Identity{Of: cols("X")}, A), "eye(cols(X)) ⊗ A", "", ""},
	{"ones", prod(tr(ones), x), "1^T x", `\mathbf{1}^\top \mathbf{x}`, "1ᵀ x"},
	{"zero", zero, "0", `\mathbf{0}`, "0"},
	{"dimension", cols("X"), "cols(X)", `\operatorname{cols}\left( \mathbf{X} \right)`, "cols(X)"},
	{"norm", norm(x), "||x||", `\left\| \mathbf{x} \right\|`, "‖x‖"},
	{"frobenius", normF(A), "||A||_F", `\left\| \mathbf{A} \right\|_F`, "‖A‖_F"},
	{"one norm", norm1(x), "||x||_1", `\left\| \mathbf{x} \right\|_1`, "‖x‖_1"},
	{"nested norm", norm(sum(x, neg(prod(y, pow(norm(y), -1))))), "||x - y/norm(y)||",
		`\left\| \mathbf{x} - \frac{\mathbf{y}}{\left\| \mathbf{y} \right\|} \right\|`, "‖x - y/norm(y)‖"},
	{"nested frobenius", norm(prod(x, normF(A))), "||x (||A||_F)||", "", "‖x (‖A‖_F)‖"},
	{"adjacent norms", prod(norm(x), norm(y)), "||x|| ||y||", "", "‖x‖ ‖y‖"},
	{"trace", call("tr", prod(A, B)), "tr(A B)",
		`\operatorname{tr}\left( \mathbf{A} \mathbf{B} \right)`, "tr(A B)"},
	{"exp", call("exp", prod(A, x)), "exp(A x)", `\exp\left( \mathbf{A} \mathbf{x} \right)`, "exp(A x)"},
	{"logdet", call("logdet", X), "logdet(X)", `\operatorname{logdet}\left( \mathbf{X} \right)`, ""},
	{"sigmoid", call("sigmoid", x), "sigmoid(x)", `\operatorname{sigmoid}\left( \mathbf{x} \right)`, ""},
	{"abs", call("abs", x), "abs(x)", `\left| \mathbf{x} \right|`, "abs(x)"},
	{"sqrt", call("sqrt", alpha), "sqrt(alpha)", `\sqrt{\alpha}`, "sqrt(α)"},
	{"log of scalar", call("log", prod(tr(x), x)), "log(x^T x)", `\log\left( \mathbf{x}^\top \mathbf{x} \right)`, ""},
	{"power of call", pow(call("tr", A), 2), "tr(A)^2", `\operatorname{tr}\left( \mathbf{A} \right)^2`, "tr(A)²"},

	// Names.
	{"greek scalar", prod(v("beta"), v("x_k")), "beta x_k", `\beta \mathbf{x}_{k}`, "β x_k"},
	{"digit subscript", prod(v("W1"), x), "W1 x", `\mathbf{W}_{1} \mathbf{x}`, "W1 x"},
	{"word subscript", prod(v("W_out"), v("h")), "W_out h", `\mathbf{W}_{\mathrm{out}} \mathbf{h}`, "W_out h"},
	{"capital greek", prod(tr(x), v("Sigma"), x), "x^T Sigma x",
		`\mathbf{x}^\top \boldsymbol{\Sigma} \mathbf{x}`, "xᵀ Σ x"},
	{"greek subscript", sum(x, neg(v("mu_0"))), "x - mu_0", `\mathbf{x} - \mu_{0}`, "x - μ_0"},
	{"unicode greek", prod(v("λ"), w), "λ w", `\lambda \mathbf{w}`, "λ w"},
	{"unicode capital greek", inv(v("Σ")), "Σ^-1", `\boldsymbol{\Sigma}^{-1}`, "Σ⁻¹"},
	{"greek with digits", prod(v("alpha2"), x), "alpha2 x", `\alpha_{2} \mathbf{x}`, "α2 x"},
}

func TestRender(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Text(c.e); got != c.text {
				t.Errorf("Text = %q, want %q", got, c.text)
			}
			if got := LaTeX(c.e, nil); c.latex != "" && got != c.latex {
				t.Errorf("LaTeX = %q, want %q", got, c.latex)
			}
			if got := Unicode(c.e, nil); c.unicode != "" && got != c.unicode {
				t.Errorf("Unicode = %q, want %q", got, c.unicode)
			}
		})
	}
}

// TestTreesGolden records all three forms of every hand-built case.
func TestTreesGolden(t *testing.T) {
	var b strings.Builder
	for _, c := range cases {
		fmt.Fprintf(&b, "# %s\ntext:    %s\nlatex:   %s\nunicode: %s\n\n",
			c.name, Text(c.e), LaTeX(c.e, nil), Unicode(c.e, nil))
	}
	golden(t, "trees.golden", b.String())
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}

func TestPlainLaTeX(t *testing.T) {
	e := prod(n(2), tr(v("B")), v("B"), v("mu"), v("Sigma"), v("W_out"), &ast.Identity{})
	got := Config{Format: FormatLaTeX, Plain: true}.Expr(e)
	want := `2 B^\top B \mu \Sigma W_{\mathrm{out}} I`
	if got != want {
		t.Errorf("plain LaTeX = %q, want %q", got, want)
	}
}

func TestLaTeXNameInfo(t *testing.T) {
	info := &ast.Info{Vars: map[string]*ast.Var{
		"a":     {Name: "a", Kind: ast.KindScalar},
		"mu":    {Name: "mu", Kind: ast.KindVector},
		"S":     {Name: "S", Kind: ast.KindSymmetric},
		"theta": {Name: "theta", Kind: ast.KindScalar},
		"foo":   {Name: "foo", Kind: ast.KindScalar},
		"bar":   {Name: "bar", Kind: ast.KindVector},
	}}
	for _, c := range []struct{ name, want string }{
		{"a", "a"},
		{"mu", `\boldsymbol{\mu}`},
		{"S", `\mathbf{S}`},
		{"theta", `\theta`},
		{"foo", `\mathit{foo}`},
		{"bar", `\mathbf{bar}`},
		{"omicron", "o"},
		{"x_k", `\mathbf{x}_{k}`},
		{"x_alpha", `\mathbf{x}_{\alpha}`},
		{"W12", `\mathbf{W}_{12}`},
	} {
		if got := LaTeXName(c.name, info, false); got != c.want {
			t.Errorf("LaTeXName(%q) = %q, want %q", c.name, got, c.want)
		}
	}
	// With an Info, the scalar a is not bold in an expression either.
	got := LaTeX(prod(v("a"), v("mu")), info)
	if want := `a \boldsymbol{\mu}`; got != want {
		t.Errorf("LaTeX = %q, want %q", got, want)
	}
}

// TestInfoScalars checks that an Info decides which negative powers are
// scalars: a declared scalar A moves to the denominator.
func TestInfoScalars(t *testing.T) {
	info := &ast.Info{Vars: map[string]*ast.Var{
		"A": {Name: "A", Kind: ast.KindScalar},
		"x": {Name: "x", Kind: ast.KindVector, Shape: ast.Shape{Rows: ast.Dim{1}}},
	}}
	e := prod(x, pow(A, -2))
	c := Config{Info: info}
	if got, want := c.Expr(e), "x/A^2"; got != want {
		t.Errorf("with Info: %q, want %q", got, want)
	}
	if got, want := Text(e), "x A^-2"; got != want {
		t.Errorf("without Info: %q, want %q", got, want)
	}
}

// TestDegenerate prints trees that break the node invariants (empty
// products and sums, a one-factor product) without panicking.
func TestDegenerate(t *testing.T) {
	for _, c := range []struct {
		e    ast.Expr
		want string
	}{
		{&ast.Product{}, "1"},
		{&ast.Sum{}, "0"},
		{prod(n(-2)), "-2"},
		{prod(x), "x"},
		{sum(x), "x"},
		{call("f"), "f()"},
	} {
		if got := Text(c.e); got != c.want {
			t.Errorf("Text = %q, want %q", got, c.want)
		}
	}
}

// TestDeep prints trees as deep as the parser allows.
func TestDeep(t *testing.T) {
	var e ast.Expr = x
	for i := 0; i < 20000; i++ {
		switch i % 4 {
		case 0:
			e = prod(alpha, pow(e, -1))
		case 1:
			e = tr(e)
		case 2:
			e = sum(e, neg(y))
		case 3:
			e = norm(e)
		}
	}
	for _, f := range []Format{FormatText, FormatLaTeX, FormatUnicode} {
		if s := (Config{Format: f}).Expr(e); len(s) < 20000 {
			t.Errorf("format %d: %d bytes", f, len(s))
		}
	}
}

// TestSuperscripts checks every digit and the minus sign of a Unicode
// exponent.
func TestSuperscripts(t *testing.T) {
	p := &printer{Config: Config{Format: FormatUnicode}}
	for _, c := range []struct {
		k    int64
		want string
	}{{-1234567890, "⁻¹²³⁴⁵⁶⁷⁸⁹⁰"}, {2, "²"}, {-3, "⁻³"}} {
		if got := p.power(big.NewRat(c.k, 1)); got != c.want {
			t.Errorf("power(%d) = %q, want %q", c.k, got, c.want)
		}
	}
}
