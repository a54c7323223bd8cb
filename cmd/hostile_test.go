package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// hostile is the hostile set: inputs built to make the engine quadratic
// or worse, each at the size where it used to take seconds and
// gigabytes, or to run out of stack.
func hostile() map[string]string {
	n := 10000
	var terms, scaled, pairs []string
	for i := 0; i < n; i++ {
		terms = append(terms, fmt.Sprintf("c%d^T A%d B%d x", i, i, i))
		scaled = append(scaled, fmt.Sprintf("alpha%d x^T A%d x", i%7, i))
	}
	var diags []string
	for i := 0; i < n/2; i++ {
		diags = append(diags, fmt.Sprintf("diag(y%d) A", i))
	}
	// Sums nested 3 000 deep whose levels common-denominator and
	// distribute-scalars simplify on their own.
	fractions, scalarSums := "x", "x"
	for i := range 3000 {
		fractions = fmt.Sprintf("x%d/(1 + alpha) - alpha y%d/(1 + alpha)^2 + A (%s)", i, i, fractions)
		scalarSums = fmt.Sprintf("beta (1 - gamma) B y%d + gamma B y%d + A (%s)", i, i, scalarSums)
	}
	// Sums nested 5 000 deep whose every level a rule weighs against the
	// whole subtree below it.
	trace, quotients, divisions, transposedSums, exps, multiples, inverses, powers, chains := "X", "x", "1", "X", "x", "x", "A + x x^T", "A + x x^T", "x y^T"
	for i := range 3000 {
		inverses = fmt.Sprintf("(%s)^-T B%d", inverses, i)
		chains = fmt.Sprintf("(A%d %s)^T + B", i%3, chains)
		powers = fmt.Sprintf("(%s)^2 + B%d", powers, i)
		exps = fmt.Sprintf("exp(y%d) .* (%s) + y%d", i, exps, i)
		multiples = fmt.Sprintf("(x^T y%d) (%s) + y%d", i, multiples, i)
		transposedSums = fmt.Sprintf("(%s)^T + A%d", transposedSums, i)
		trace = fmt.Sprintf("A%d (%s) B%d", i, trace, i)
		quotients = fmt.Sprintf("(%s) ./ (1 + y%d)", quotients, i)
		divisions = fmt.Sprintf("(%s)/(alpha%d + x^T x)", divisions, i)
	}
	sharedScalar, coefficients, scaledProducts, elementwiseSums := "x", "x", "x", "x"
	for i := range 5000 {
		sharedScalar = fmt.Sprintf("alpha y%d + alpha A (%s)", i, sharedScalar)
		coefficients = fmt.Sprintf("y%d - 2 A (%s)", i, coefficients)
		scaledProducts = fmt.Sprintf("(2 alpha y%d) .* (A (%s))", i, scaledProducts)
		elementwiseSums = fmt.Sprintf("y%d .* (x + %s)", i, elementwiseSums)
	}
	// Every level uses the one below twice: 2^12 copies of x (86 KB), and
	// one level more (172 KB).
	doubled := "x"
	for i := range 12 {
		doubled = fmt.Sprintf("A%d ((%s) .* y%d) - (%s)/2", i%3, doubled, i%3, doubled)
	}
	doubled13 := fmt.Sprintf("A0 ((%s) .* y0) - (%s)/2", doubled, doubled)
	pairs = append(pairs, "x .* y1")
	for i := 1; i < n/2; i++ {
		pairs = append(pairs, fmt.Sprintf("y%d .* y%d", i, i+1))
	}
	return map[string]string{
		"5000-factor product of 1×1 runs":     strings.Repeat("x^T x ", 5000),
		"5000 scalars and runs":               strings.Repeat("alpha x^T y ", 2500),
		"chain nested 10^4 deep":              "y^T " + strings.Repeat("A (", n) + "x" + strings.Repeat(")", n),
		"10^4-term sum of products":           strings.Join(terms, " + "),
		"10^4-term sum of scaled quadratics":  strings.Join(scaled, " + "),
		"5000 diagonal matrices in a chain":   "sum(" + strings.Repeat("diag(y) ", n/2) + strings.Join(diags, " ") + " x)",
		"5000 products sharing operands":      "sum(" + strings.Join(pairs, " + ") + ")", // x .* y1 + y1 .* y2 + …
		"tanh composed 10^4 deep":             "sum(" + strings.Repeat("tanh(", n) + "x" + strings.Repeat(")", n) + ")",
		"Hadamard products nested 10^4 deep":  "sum(" + strings.Repeat("x .* (", n) + "x" + strings.Repeat(")", n) + ")",
		"exp and sigmoid composed":            "sum(" + strings.Repeat("exp(", 3000) + "x" + strings.Repeat(")", 3000) + ") + " + strings.Repeat("sigmoid(", 3000) + "alpha" + strings.Repeat(")", 3000),
		"fractions nested 3000 deep":          "z^T (" + fractions + ")",
		"scalar sums nested 3000 deep":        "z^T (" + scalarSums + ")",
		"sums sharing a scalar, 5000 deep":    "z^T (" + sharedScalar + ")",
		"sums with coefficients, 5000 deep":   "z^T (" + coefficients + ")",
		"scaled products, 5000 deep":          "sum(" + scaledProducts + ")",
		"sums in products, 5000 deep":         "sum(" + elementwiseSums + ")",
		"trace of a 6001-factor chain":        "tr(" + trace + ")",
		"quotients nested 3000 deep":          "sum(" + quotients + ")",
		"divisions nested 3000 deep":          divisions,
		"transposed sums nested 3000 deep":    "tr(" + transposedSums + ")",
		"exp products nested 3000 deep":       "sum(" + exps + ")",
		"multiples of sums nested 3000 deep":  "z^T (" + multiples + ")",
		"inverse transposes nested 3000 deep": "y^T (" + inverses + ") z",
		"matrix powers nested 3000 deep":      "y^T (" + powers + ") z",
		"transposed chains nested 3000 deep":  "tr(" + chains + ")",
		"levels used twice, nested 12 deep":   "sum(" + doubled + ")",
		"levels used twice, nested 13 deep":   "sum(" + doubled13 + ")",
	}
}

// fuzzInputs are the strings of every fuzz corpus of the module.
func fuzzInputs(t *testing.T) []string {
	files, _ := filepath.Glob(filepath.Join("..", "*", "testdata", "fuzz", "*", "*"))
	more, _ := filepath.Glob(filepath.Join("..", "testdata", "fuzz", "*", "*"))
	seen := map[string]bool{}
	var out []string
	for _, f := range append(files, more...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			q, ok := strings.CutPrefix(line, "string(")
			if !ok {
				continue
			}
			s, err := strconv.Unquote(strings.TrimSuffix(q, ")"))
			if err != nil || seen[s] {
				continue
			}
			seen[s] = true
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		t.Fatal("no fuzz corpus found")
	}
	return out
}

// TestHostileInputs feeds the hostile set and the fuzz corpora through
// every command with the default limits: each returns, with a result or
// an error that says which limit it met (or, for inputs that are not
// valid, why). How fast they return is measured by the benchmarks
// (bench/compare.sh), not here.
func TestHostileInputs(t *testing.T) {
	commands := [][]string{
		{"parse", "-"}, {"simplify", "-"}, {"d/dx", "-"}, {"grad", "-"}, {"check", "d/dx", "-"}, {"batch"}, {"codegen", "-"},
	}
	try := func(t *testing.T, expr string, strict bool) {
		for _, args := range commands {
			stdin := expr
			if args[0] == "batch" {
				if strings.Contains(expr, "\n") {
					continue
				}
				stdin = "d/dx " + expr + "\n"
			}
			done := make(chan struct{})
			var stdout, stderr string
			var code int
			go func() {
				defer close(done)
				stdout, stderr, code = run(stdin, args...)
			}()
			select {
			case <-done:
			case <-time.After(2 * time.Minute):
				t.Fatalf("matdiff %s did not return on %.80q", strings.Join(args, " "), expr)
			}
			name := fmt.Sprintf("matdiff %s on %.60q", strings.Join(args, " "), expr)
			switch {
			case strings.Contains(stderr, "internal error") || strings.Contains(stderr, "panic"):
				t.Errorf("%s: %s", name, stderr)
			case code > 3:
				t.Errorf("%s: exit %d: %s", name, code, stderr)
			case !strict:
			case code == 0 && stdout == "":
				t.Errorf("%s: no output", name)
			case code != 0 && !strings.Contains(stderr, "limit error") && !strings.Contains(stderr, "numeric check") && !strings.Contains(stderr, "line 1: limit error"):
				t.Errorf("%s: exit %d without a limit error: %.300s", name, code, stderr)
			}
		}
	}
	for name, expr := range hostile() {
		t.Run(name, func(t *testing.T) { try(t, expr, true) })
	}
	t.Run("fuzz corpora", func(t *testing.T) {
		for _, expr := range fuzzInputs(t) {
			try(t, expr, false)
		}
	})
}

// TestStepsUnderLimits: --steps writes out the derivation under the same
// limits as the derivative. The derivation of tanh composed 300 deep
// grows as the cube of the depth (it took minutes and gigabytes): it is a
// limit error that says what to do, in every command that has --steps.
func TestStepsUnderLimits(t *testing.T) {
	expr := "sum(" + strings.Repeat("tanh(", 300) + "x" + strings.Repeat(")", 300) + ")"
	for _, args := range [][]string{
		{"d/dx", "-", "--steps"},
		{"d/dx", "-", "--steps", "--format", "json"},
		{"grad", "-", "--steps"},
		{"batch", "--steps"},
	} {
		stdin := expr
		if args[0] == "batch" {
			stdin = "d/dx " + expr + "\n"
		}
		start := time.Now()
		_, stderr, code := run(stdin, args...)
		name := "matdiff " + strings.Join(args, " ")
		if code != int(ExitInvalid) || !strings.Contains(stderr, "limit error") || !strings.Contains(stderr, "without --steps") {
			t.Errorf("%s: exit %d: %.300s", name, code, stderr)
		}
		if took := time.Since(start); took > 20*time.Second {
			t.Errorf("%s: the limit took %v to notice", name, took)
		}
	}
}
