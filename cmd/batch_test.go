package cmd

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// batchInput is n lines for matdiff batch: mostly derivatives whose
// results are known, with comments, blank lines and malformed lines mixed
// in. want[i] is the expected stdout line for input line i+1 ("" when the
// line prints nothing), bad[i] the expected start of its error message.
func batchInput(n int) (input string, want, bad []string) {
	good := []struct{ line, result string }{
		{"d/dx x^T x", "2 x"},
		{"d/dx\tx^T A x", "(A + A^T) x"},
		{"d/dA ||BAx||^2", "2 B^T B A x x^T"},
		{"d/dx^T  A x", "A"},
		{"d2/dx2 x^T A x", "A + A^T"},
		{"d/dalpha alpha^2", "2 alpha"},
		{"d/dW sum(tanh(W x))", "(1 - tanh(W x).^2) x^T"},
	}
	broken := []struct{ line, err string }{
		{"d/dx ||Ax)||^2", "syntax error at column 5"},
		{"d/dx x A", "shape error at column 3"},
		{"d3/dx3 x^T x", `"d3/dx3" is not a derivative`},
		{"d/dx", "missing EXPR after d/dx"},
		{"d/dA A x", "derivative error at column 1"},
		{"x^T x", `"x^T" is not a derivative`},
	}
	var b strings.Builder
	want = make([]string, n)
	bad = make([]string, n)
	for i := 0; i < n; i++ {
		switch {
		case i%50 == 49:
			b.WriteString("# a comment\n")
		case i%50 == 48:
			b.WriteString("   \n")
		case i%7 == 3:
			c := broken[(i/7)%len(broken)]
			b.WriteString(c.line + "\n")
			bad[i] = c.err
		default:
			c := good[i%len(good)]
			b.WriteString(c.line + "\n")
			want[i] = c.result
		}
	}
	return b.String(), want, bad
}

// TestBatchTenThousandLines checks that output line k answers request k:
// exactly one line per request line that is not skipped, an empty one for
// a line that fails, whose error goes to standard error with its line
// number, in order, whatever the number of workers.
func TestBatchTenThousandLines(t *testing.T) {
	const n = 10000
	input, want, bad := batchInput(n)
	var wantOut, wantErr []string
	failed := 0
	for i := range want {
		switch {
		case want[i] != "":
			wantOut = append(wantOut, want[i])
		case bad[i] != "":
			wantOut = append(wantOut, "")
			wantErr = append(wantErr, fmt.Sprintf("matdiff: line %d: %s", i+1, bad[i]))
			failed++
		}
	}
	wantErr = append(wantErr, fmt.Sprintf("matdiff: %d line(s) failed", failed))
	for _, jobs := range []string{"1", "2", "7"} {
		t.Run("jobs="+jobs, func(t *testing.T) {
			stdout, stderr, code := run(input, "batch", "--jobs", jobs)
			if code != int(ExitInvalid) {
				t.Errorf("exit code %d, want %d", code, ExitInvalid)
			}
			gotOut := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			if len(gotOut) != len(wantOut) {
				t.Fatalf("%d output lines, want %d", len(gotOut), len(wantOut))
			}
			for k := range wantOut {
				if gotOut[k] != wantOut[k] {
					t.Fatalf("output line %d: %q, want %q; standard error:\n%.2000s", k+1, gotOut[k], wantOut[k], stderr)
				}
			}
			gotErr := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			if len(gotErr) != len(wantErr) {
				t.Fatalf("%d error lines, want %d", len(gotErr), len(wantErr))
			}
			for i := range wantErr {
				if !strings.HasPrefix(gotErr[i], wantErr[i]) {
					t.Fatalf("error line %d: %q, want it to begin %q", i+1, gotErr[i], wantErr[i])
				}
			}
		})
	}
}

// A script that pairs the lines of its input with those of the output
// (paste, zip) pairs every request with its own answer.
func TestBatchAlignment(t *testing.T) {
	out, errs, code := run("d/dx x^T x\nd/dx x A\n\n# skipped\nd/dx y^T x\n", "batch")
	if out != "2 x\n\ny\n" || code != int(ExitInvalid) {
		t.Errorf("got %q, exit %d", out, code)
	}
	if !strings.HasPrefix(errs, "matdiff: line 2: shape error") || !strings.HasSuffix(errs, "matdiff: 1 line(s) failed\n") {
		t.Errorf("stderr %q", errs)
	}
	if _, errs, code := run("", "batch", "--jobs", "0"); code != int(ExitUsage) || !strings.Contains(errs, "--jobs") {
		t.Errorf("--jobs 0: %q, exit %d", errs, code)
	}
}

func TestBatchJSON(t *testing.T) {
	const n = 2000
	input, want, bad := batchInput(n)
	stdout, _, code := run(input, "batch", "--format", "json", "--jobs", "3")
	if code != int(ExitInvalid) {
		t.Errorf("exit code %d, want %d", code, ExitInvalid)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	k := 0
	for i := 0; i < n; i++ {
		if want[i] == "" && bad[i] == "" {
			continue
		}
		if k >= len(lines) {
			t.Fatalf("output ends before input line %d", i+1)
		}
		var obj struct {
			Line   int
			Result string
			Error  string
			Wrt    string
		}
		if err := json.Unmarshal([]byte(lines[k]), &obj); err != nil {
			t.Fatalf("output line %d: %v: %s", k+1, err, lines[k])
		}
		k++
		if obj.Line != i+1 {
			t.Fatalf("object for line %d, want %d", obj.Line, i+1)
		}
		if want[i] != "" && (obj.Result != want[i] || obj.Wrt == "") {
			t.Fatalf("line %d: %s, want result %q", i+1, lines[k-1], want[i])
		}
		if bad[i] != "" && !strings.HasPrefix(obj.Error, bad[i]) {
			t.Fatalf("line %d: error %q, want %q", i+1, obj.Error, bad[i])
		}
	}
	if k != len(lines) {
		t.Fatalf("%d output lines, want %d", len(lines), k)
	}
}

func TestBatchFileAndExitCodes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.txt")
	if err := os.WriteFile(path, []byte("# gradients\nd/dx x^T x\r\nd/dlambda lambda x^T x\nd/dy x^T x"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code := run("", "batch", path)
	if out != "2 x\nx^T x\n0\n" || code != 0 {
		t.Errorf("got %q, exit %d", out, code)
	}
	if errs != "matdiff: line 4: warning: y does not occur in the expression; the derivative is 0\n" {
		t.Errorf("stderr %q", errs)
	}
	// Standard input with -, and a --check mismatch: exit 3.
	out, errs, code = run("d/dx x^T x\n", "batch", "-", "--check", "--tol", "1e-30")
	if out != "2 x\n" || code != int(ExitMismatch) || !strings.Contains(errs, "matdiff: line 1: numeric check failed") {
		t.Errorf("got %q, %q, exit %d", out, errs, code)
	}
	// Usage errors: exit 2.
	if _, _, code := run("", "batch", "a", "b"); code != int(ExitUsage) {
		t.Errorf("two files: exit %d", code)
	}
	if _, _, code := run("", "batch", filepath.Join(t.TempDir(), "missing")); code != int(ExitUsage) {
		t.Errorf("missing file: exit %d", code)
	}
	// An empty input is no error.
	if out, errs, code := run("", "batch"); out != "" || errs != "" || code != 0 {
		t.Errorf("empty input: %q, %q, exit %d", out, errs, code)
	}
}

func TestBatchLongLine(t *testing.T) {
	long := "d/dx " + strings.Repeat("x + ", 200000) + "x\nd/dx x^T x\n"
	out, errs, code := run(long, "batch")
	if out != "\n2 x\n" || code != int(ExitInvalid) || !strings.HasPrefix(errs, "matdiff: line 1: limit error") {
		t.Errorf("got %q, %q, exit %d", out, errs, code)
	}
}

// A derivative beyond the size limit is a limit error, exit 1.
func TestDerivativeSizeLimit(t *testing.T) {
	expr := "sum(" + strings.Repeat("tanh(", 3000) + "x" + strings.Repeat(")", 3000) + ")"
	_, errs, code := run("", "d/dx", expr)
	if code != int(ExitInvalid) || !strings.HasPrefix(errs, "matdiff: limit error: the derivative has more than") {
		t.Errorf("got %q, exit %d", errs, code)
	}
}
