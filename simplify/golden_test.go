package simplify_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
)

// goldenEntry is one entry of derive's golden files: the expression that
// was differentiated, its declarations, and the canonical derivative.
type goldenEntry struct {
	file, wrt, expr, result string
	decls                   ast.Decls
	vec                     bool
}

// goldenEntries reads derive/testdata/*.golden.
func goldenEntries(t *testing.T) []goldenEntry {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "derive", "testdata", "*.golden"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	var out []goldenEntry
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		for i := 0; i+1 < len(lines); i += 2 {
			head, result := lines[i], strings.TrimPrefix(lines[i+1], "  ")
			if head == "" {
				break
			}
			wrt, expr, _ := strings.Cut(head, " ")
			e := goldenEntry{file: filepath.Base(f), wrt: wrt, result: result, decls: ast.Decls{}}
			if j := strings.Index(expr, "  ["); j >= 0 {
				for _, d := range strings.Split(strings.TrimSuffix(expr[j+3:], "]"), ",") {
					d = strings.TrimSpace(d)
					if d == "--vec" {
						e.vec = true
						continue
					}
					name, kind, _ := strings.Cut(d, ":")
					k, _ := ast.ParseKind(kind)
					e.decls[name] = k
				}
				expr = expr[:j]
			}
			e.expr = expr
			out = append(out, e)
		}
	}
	return out
}

// TestGoldenIdempotent: for every expression of derive's golden files and
// every derivative there, simplification is idempotent, and a canonical
// derivative reads back as itself (matdiff simplify prints it unchanged).
func TestGoldenIdempotent(t *testing.T) {
	n := 0
	for _, g := range goldenEntries(t) {
		opts := pipeline.Options{Decls: g.decls}
		srcs := []string{g.expr}
		if !g.vec && !strings.HasPrefix(g.result, "ERROR") {
			srcs = append(srcs, g.result)
		}
		for i, src := range srcs {
			typed, err := pipeline.Parse(src, opts)
			if err != nil {
				t.Errorf("%s: %s does not read: %v", g.file, src, err)
				continue
			}
			n++
			once := typed.Simplify(typed.Expr)
			twice := typed.Simplify(once)
			if !ast.Equal(once, twice) || render.Text(once) != render.Text(twice) {
				t.Errorf("%s: %s: simplify gives %s, then %s", g.file, src, render.Text(once), render.Text(twice))
			}
			// As matdiff prints it: the declarations give the kinds of names.
			if text := (render.Config{Info: typed.Info}).Expr(once); i == 1 && text != src {
				t.Errorf("%s: derivative of %s: %s simplifies to %s", g.file, g.expr, src, text)
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d golden expressions", n)
	}
}
