package cmd

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/parser"
)

// errReported is the error of a command that has already printed its
// errors (batch): Execute prints nothing more, and the exit code is that
// of the exitError around it.
var errReported = errors.New("errors reported")

func newBatch(o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "batch [FILE]",
		Short: "Differentiate one d/dX EXPR per line of FILE or standard input",
		Long: `batch reads lines "d/dX EXPR" (also d/dx^T and d2/dx2) from FILE, or from
standard input when FILE is absent or "-", and prints one result per line
in the chosen format; with --format json each object has "line": n, the
number of the input line. Blank lines and lines that begin with # are
skipped. A line that fails is reported on standard error as
"matdiff: line N: message" (and with --format json as an object with
"line" and "error") and batch carries on; the exit status is 1 if any line
failed, 3 if the only failures were --check mismatches.`,
		Example: `  printf 'd/dx x^T A x\nd/dA ||BAx||^2\n' | matdiff batch
  matdiff batch --format json derivatives.txt`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErrorf("too many arguments (%d): expected at most one FILE", len(args))
			}
			return nil
		},
		RunE: runE(func(c *cobra.Command, args []string) error {
			in := c.InOrStdin()
			if len(args) == 1 && args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return usageErrorf("%v", err)
				}
				defer f.Close()
				in = f
			}
			return o.runBatch(in, c.OutOrStdout(), c.ErrOrStderr())
		}),
	}
}

// runBatch differentiates every line of in.
func (o *options) runBatch(in io.Reader, stdout, stderr io.Writer) error {
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	r := bufio.NewReaderSize(in, 64*1024)
	failed, mismatched := 0, 0
	fail := func(n int, err error) {
		failed++
		out.Flush() // keep stdout and stderr in step
		fmt.Fprintf(stderr, "matdiff: line %d: %v\n", n, err)
		if o.format.value == "json" {
			j := struct {
				Line   int    `json:"line"`
				Error  string `json:"error"`
				Column *int   `json:"column"`
			}{Line: n, Error: err.Error()}
			if col := errorColumn(err); col > 0 {
				j.Column = &col
			}
			writeJSON(out, j)
		}
	}
	for n := 1; ; n++ {
		line, tooLong, err := readLine(r, parser.MaxInput+64)
		if err != nil && len(line) == 0 && !tooLong {
			if err != io.EOF {
				out.Flush()
				return &exitError{code: ExitInvalid, err: fmt.Errorf("line %d: reading: %w", n, err)}
			}
			break
		}
		if tooLong {
			fail(n, fmt.Errorf("limit error: line is longer than %d bytes", parser.MaxInput+64))
			continue
		}
		text := strings.TrimSpace(line)
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		mismatch, err := o.batchLine(out, stderr, n, text)
		if err != nil {
			fail(n, err)
			continue
		}
		if mismatch != nil {
			mismatched++
			out.Flush()
			fmt.Fprintf(stderr, "matdiff: line %d: %v\n", n, mismatch)
		}
	}
	if err := out.Flush(); err != nil {
		return err
	}
	switch {
	case failed > 0:
		fmt.Fprintf(stderr, "matdiff: %d line(s) failed\n", failed+mismatched)
		return &exitError{code: ExitInvalid, err: errReported}
	case mismatched > 0:
		fmt.Fprintf(stderr, "matdiff: %d line(s) failed the numeric check\n", mismatched)
		return &exitError{code: ExitMismatch, err: errReported}
	}
	return nil
}

// batchLine differentiates one line "d/dX EXPR" and prints its result. It
// returns the mismatch error of --check separately from an error of the
// line.
func (o *options) batchLine(out *bufio.Writer, stderr io.Writer, n int, text string) (mismatch, err error) {
	tok, src := text, ""
	if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
		tok, src = text[:i], strings.TrimSpace(text[i:])
	}
	w, err := parseWrt(tok)
	if err != nil {
		return nil, err
	}
	if src == "" {
		return nil, fmt.Errorf("missing EXPR after %s", tok)
	}
	t, err := pipeline.Parse(src, o.pipeline())
	if err != nil {
		return nil, err
	}
	req := derive.Request{Wrt: greekAlias(t.Info, w.name), Order: w.order, Transposed: w.transposed, Layout: o.derivLayout(), Vec: o.vec}
	d, err := t.Derive(req)
	if err != nil {
		return nil, err
	}
	if d.Absent {
		out.Flush()
		fmt.Fprintf(stderr, "matdiff: line %d: warning: %s does not occur in the expression; the derivative is 0\n", n, w.name)
	}
	var rep *checkReport
	if o.check {
		if rep, err = o.runCheck(t, d); err != nil {
			return nil, err
		}
	}
	if o.format.value == "json" {
		j := struct {
			Line int `json:"line"`
			jsonDerivative
		}{n, *o.derivativeJSON(t, d)}
		if rep != nil {
			j.Check = rep.json()
		}
		writeJSON(out, j)
	} else if o.equation {
		fmt.Fprintln(out, o.equationLine(t, d.Request, o.render(t.Info, d.Result)))
	} else {
		fmt.Fprintln(out, o.render(t.Info, d.Result))
	}
	return rep.err(), nil
}

// errorColumn is the column of an error bound to a position, or 0.
func errorColumn(err error) int {
	var ae *ast.Error
	if errors.As(err, &ae) {
		return int(ae.Pos)
	}
	return 0
}

// readLine reads one line without its line ending. A line longer than max
// bytes is skipped to its end and reported as tooLong.
func readLine(r *bufio.Reader, max int) (line string, tooLong bool, err error) {
	var buf bytes.Buffer
	for {
		chunk, err := r.ReadSlice('\n')
		if buf.Len()+len(chunk) > max {
			tooLong = true
		} else {
			buf.Write(chunk)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		s := strings.TrimRight(buf.String(), "\r\n")
		if tooLong {
			return "", true, err
		}
		return s, false, err
	}
}
