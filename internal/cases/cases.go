// Package cases reads the derivative tables of derive/testdata (cases.txt,
// ml_cases.txt): one derivative per line, the d/dX token, the expression
// and optional options (`S:sym, --vec, --numerator`), tab-separated. The
// engine's golden test, the derivation test and the temporaries test all
// read the same tables through it. It is imported by tests only.
package cases

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
)

// Case is one line of a table.
type Case struct {
	File    string
	Line    int
	Token   string // d/dX, d/dx^T or d2/dx2
	Expr    string
	Options string // declarations and flags
}

func (c Case) String() string {
	s := c.Token + " " + c.Expr
	if c.Options != "" {
		s += "  [" + c.Options + "]"
	}
	return s
}

// Read reads the table at path.
func Read(path string) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Case
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		parts := strings.Split(l, "\t")
		if len(parts) < 2 {
			return nil, fmt.Errorf("%s:%d: want a token and an expression", path, n)
		}
		c := Case{File: filepath.Base(path), Line: n, Token: parts[0], Expr: parts[1]}
		if len(parts) > 2 {
			c.Options = parts[2]
		}
		out = append(out, c)
	}
	return out, sc.Err()
}

// Request is the derivative the case asks for.
func (c Case) Request() derive.Request {
	req := derive.Request{Order: 1, Vec: strings.Contains(c.Options, "--vec")}
	if strings.Contains(c.Options, "--numerator") {
		req.Layout = derive.Numerator
	}
	if w, ok := strings.CutPrefix(c.Token, "d2/d"); ok {
		req.Order, req.Wrt = 2, strings.TrimSuffix(w, "2")
		if x, y, mixed := strings.Cut(w, "d"); mixed && !strings.HasSuffix(w, "2") {
			req.Wrt, req.Wrt2 = x, y // d2/dxdy
		}
		return req
	}
	req.Wrt = strings.TrimPrefix(c.Token, "d/d")
	if w, ok := strings.CutSuffix(req.Wrt, "^T"); ok {
		req.Wrt, req.Transposed = w, true
	}
	return req
}

// PipelineOptions are the case's declarations.
func (c Case) PipelineOptions() pipeline.Options {
	d := ast.Decls{}
	for _, item := range strings.Split(c.Options, ",") {
		name, kind, ok := strings.Cut(strings.TrimSpace(item), ":")
		if !ok || strings.HasPrefix(name, "--") {
			continue
		}
		k, _ := ast.ParseKind(kind)
		d[name] = k
	}
	return pipeline.Options{Decls: d}
}
