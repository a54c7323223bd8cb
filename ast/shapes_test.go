package ast_test

import (
	"bufio"
	"fmt"
	goldenfile "github.com/matdiff/matdiff/internal/golden"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/parser"
)

// shapeCase is an expression with the declarations it is checked under.
type shapeCase struct {
	src   string
	decls ast.Decls
}

// specShapes are the examples of the README ("Names and shapes", "Input
// language", "Choices and fine points") and further cases
// of every construct of the language, beyond the inputs of the printers'
// golden file (render/testdata/exprs.golden), which are all checked too.
var specShapes = []shapeCase{
	// §1: unification through a chain, scalar runs, reserved names.
	{src: "B A x"},
	{src: "x^T y y"},
	{src: "A x^T y"},
	{src: "x^T y A"},
	{src: "y x^T y"},
	{src: "x x^T"},
	{src: "tr(A B)"},
	{src: "tr(A B C)"},
	{src: "A .* B"},
	{src: "A ./ B"},
	{src: "1^T x"},
	{src: "x^T 1"},
	{src: "A 1"},
	{src: "1^T A"},
	{src: "1 y^T"},         // the ones column times a row, as x^T 1 is a row times it
	{src: "2 1 x^T"},       // a coefficient, then the ones column
	{src: "1 1^T"},         // the ones matrix
	{src: "1 x^T y"},       // (x^T y) 1: the ones column scaled
	{src: "1 alpha x^T"},   // a 1 not just before the row is a number
	{src: "(x^T y) 1 z^T"}, // after a 1×1 run, the ones column too
	{src: "alpha 1"},       // nothing needs a vector: the number 1
	{src: "A + I"},
	{src: "A + 1"},
	{src: "I A"},
	{src: "A I"},
	{src: "A 0"},
	{src: "A + 0"},
	{src: "x^T S x", decls: ast.Decls{"S": ast.KindSymmetric}},
	{src: "S x", decls: ast.Decls{"S": ast.KindSymmetric}},
	{src: "P^2", decls: ast.Decls{"P": ast.KindSquare}},
	{src: "a x + t y", decls: ast.Decls{"a": ast.KindScalar, "t": ast.KindScalar}},
	{src: "v^T M", decls: ast.Decls{"v": ast.KindVector, "M": ast.KindMatrix}},
	{src: "m^T x", decls: ast.Decls{"m": ast.KindMatrix}},
	{src: "(x - mu)^T S^-1 (x - mu)", decls: ast.Decls{"mu": ast.KindVector, "S": ast.KindSymmetric}},
	// §2: every operator and postfix form.
	{src: "x - mu_0"},
	{src: "1 - tanh(u).^2"},
	{src: "A x + b"},
	{src: "x^T A - b^T"},
	{src: "x^T A y + alpha"},
	{src: "A ∘ B"},
	{src: "x ⊙ y"},
	{src: "x .* alpha"},
	{src: "alpha ./ x"},
	{src: "A / alpha"},
	{src: "A / (x^T x)"},
	{src: "A ⊗ B"},
	{src: "x ⊗ y"},
	{src: "x ⊗ y^T"},
	{src: "kron(A, B)"},
	{src: "(I ⊗ A) B"},
	{src: "kron(I, A) vec(X)"},
	{src: "vec(A X B) - (B^T ⊗ A) vec(X)"},
	{src: "(x ⊗ x)^T (a ⊗ b)"},
	{src: "comm(rows(X), cols(X)) vec(X) - vec(X^T)"},
	{src: "-A x"},
	{src: "A^T"},
	{src: "A'"},
	{src: "Aᵀ B"},
	{src: "A^-1 b"},
	{src: "A⁻¹"},
	{src: "A^-T x"},
	{src: "A^3"},
	{src: "A² x"},
	{src: "alpha^(1/2)"},
	{src: "(x^T x)^-1"},
	{src: "A.^2"},
	{src: "x.^0.5"},
	{src: "(A x)^T B"},
	{src: "(x^T A x)^2"},
	// Norms and functions.
	{src: "||A||"},
	{src: "||x||"},
	{src: "||A||_F"},
	{src: "||x||_1"},
	{src: "‖A x - b‖^2"},
	{src: "norm(X)"},
	{src: "abs(alpha)"},
	{src: "logdet(X)"},
	{src: "det(X)"},
	{src: "det(A B)"},
	{src: "tr(X)"},
	{src: "tr(x y^T)"},
	{src: "inv(X) y"},
	{src: "vec(X)"},
	{src: "vec(x)"},
	{src: "vec(A B)"},
	{src: "diag(x)"},
	{src: "diag(x^T)"},
	{src: "diag(A)"},
	{src: "diag(A B)"},
	{src: "diag(alpha)"},
	{src: "diag(x) A"},
	{src: "sum(x)"},
	{src: "sum(A)"},
	{src: "exp(X)"},
	{src: "sigmoid(W x + b)"},
	{src: "relu(W2 relu(W1 x + b1) + b2)"},
	{src: "softplus(x^T w)"},
	{src: "eye(rows(X))"},
	{src: "eye(cols(X))"},
	{src: "eye(rows(X)) + X X^T"},
	{src: "rows(X)/alpha"},
	{src: "cols(X) alpha"},
	{src: "eye"},
	{src: "I"},
	{src: "pi x"},
	// Names.
	{src: "alpha x"},
	{src: "λ Σ"},
	{src: "Sigma x"},
	{src: "theta_1 w_2"},
	{src: "W_out h_k"},
	{src: "e^T x"},
	{src: "T x"},
	{src: "omega eta nu xi"},
	// Composite cases from optimisation and ML.
	{src: "(A + B) x"},
	{src: "A B^T"},
	{src: "tr(A^T B)"},
	{src: "x y^T z"},
	{src: "(A x) .* (B y)"},
	{src: "x^T (A + A^T) x"},
	{src: "x^T A^T A x"},
	{src: "tr(X^T X)"},
	{src: "||X - U V^T||_F^2"},
	{src: "log(det(X))"},
	{src: "exp(-alpha x)"},
	{src: "sum(log(sigmoid(y .* (X w))))"},
	{src: "-y^T log(p) - (1 - y)^T log(1 - p)"},
	{src: "x^T A^2 x"},
	{src: "||W x - y||^2 + lambda ||w||^2"},
	{src: "(x - mu)^T Sigma^-1 (x - mu) + logdet(Sigma)", decls: ast.Decls{"mu": ast.KindVector}},
}

// goldenInputs reads the inputs of render/testdata/exprs.golden.
func goldenInputs(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "render", "testdata", "exprs.golden"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var srcs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if src, ok := strings.CutPrefix(sc.Text(), "# "); ok {
			srcs = append(srcs, src)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return srcs
}

// declFlags prints declarations as the command line would take them.
func declFlags(d ast.Decls) string {
	if len(d) == 0 {
		return ""
	}
	names := make([]string, 0, len(d))
	for n := range d {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		k := d[n].String()
		if k == "symmetric" {
			k = "sym"
		}
		parts[i] = n + ":" + k
	}
	return "  --let '" + strings.Join(parts, ", ") + "'"
}

// shapeLine infers c and describes the result: the expression's shape and
// every variable's kind and shape, in order of first appearance.
func shapeLine(c shapeCase) (string, error) {
	cfg := parser.Config{Declared: func(name string) bool {
		_, ok := c.decls[name]
		return ok
	}}
	e, err := cfg.Parse(c.src)
	if err != nil {
		return "", err
	}
	out, info, err := ast.Checker{Decls: c.decls}.Infer(e)
	if err != nil {
		return "", err
	}
	s, err := info.Shape(out)
	if err != nil {
		return "", fmt.Errorf("inferred tree does not shape: %v", err)
	}
	if len(info.Order) != len(info.Vars) {
		return "", fmt.Errorf("Order %v and Vars disagree", info.Order)
	}
	vars := make([]string, len(info.Order))
	for i, n := range info.Order {
		v := info.Vars[n]
		if v == nil {
			return "", fmt.Errorf("variable %s in Order but not in Vars", n)
		}
		vars[i] = fmt.Sprintf("%s: %s %v", n, v.Kind, v.Shape)
	}
	return fmt.Sprintf("%v  [%s]", s, strings.Join(vars, ", ")), nil
}

// TestShapesGolden states the expected shape of every golden expression
// and of the examples of the README, with the kind and shape of each
// variable, in testdata/shapes.golden. Run go test ./ast -update to
// rewrite it, and read the diff: the file is the statement of the shapes.
func TestShapesGolden(t *testing.T) {
	var cases []shapeCase
	seen := map[string]bool{}
	for _, src := range goldenInputs(t) {
		cases = append(cases, shapeCase{src: src})
	}
	if len(cases) < 60 {
		t.Fatalf("only %d inputs in render/testdata/exprs.golden", len(cases))
	}
	cases = append(cases, specShapes...)
	var b strings.Builder
	for _, c := range cases {
		key := c.src + declFlags(c.decls)
		if seen[key] {
			continue
		}
		seen[key] = true
		line, err := shapeLine(c)
		if err != nil {
			t.Errorf("%s: %v", key, err)
			line = "error: " + err.Error()
		}
		fmt.Fprintf(&b, "%s  ->  %s\n", key, line)
	}
	goldenfile.Check(t, filepath.Join("testdata", "shapes.golden"), b.String())
}
