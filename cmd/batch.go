package cmd

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
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
	c := &cobra.Command{
		Use:   "batch [FILE]",
		Short: "Differentiate one d/dX EXPR per line of FILE or standard input",
		Long: `batch reads lines "d/dX EXPR" (also d/dx^T and d2/dx2) from FILE, or from
standard input when FILE is absent or "-", and prints one result per line
in the chosen format, exactly one line per line that is not skipped, so
that output line k answers request k; with --format json each object has
"line": n, the number of the input line. Blank lines and lines that begin
with # are skipped. A line that fails prints an empty line and is
reported on standard error as "matdiff: line N: message" (with --format
json it prints an object with "line" and "error") and batch carries on;
--jobs lines are differentiated at once, and printed in order; the exit status is 1 if any line
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
			if o.jobs < 1 {
				return usageErrorf("--jobs must be at least 1, not %d", o.jobs)
			}
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
	c.Flags().IntVar(&o.jobs, "jobs", runtime.NumCPU(), "`number` of lines differentiated at once (default: the number of CPUs)")
	return c
}

// batchResult is what one line of a batch prints: its result (stdout),
// its warnings, and its error or --check mismatch (stderr).
type batchResult struct {
	out      string   // the result line(s), with their newline
	warnings []string // without the "matdiff: line N: " prefix
	mismatch error
	err      error
}

// batchJob is one line of a batch, handed to a worker; res receives its
// result.
type batchJob struct {
	n    int
	text string
	err  error // set for a line that cannot be read (too long)
	res  chan batchResult
}

// runBatch differentiates every line of in, on --jobs workers, and prints
// the results in the order of the lines.
func (o *options) runBatch(in io.Reader, stdout, stderr io.Writer) error {
	jobs := o.jobs
	if jobs < 1 {
		jobs = 1
	}
	queue := make(chan *batchJob, 4*jobs) // in the order of the lines
	work := make(chan *batchJob)
	for range jobs {
		go func() {
			for j := range work {
				j.res <- o.batchLine(j.n, j.text)
			}
		}()
	}
	var readErr error
	go func() {
		defer close(queue)
		defer close(work)
		r := bufio.NewReaderSize(in, 64*1024)
		for n := 1; ; n++ {
			line, tooLong, err := readLine(r, parser.MaxInput+64)
			if err != nil && len(line) == 0 && !tooLong {
				if err != io.EOF {
					readErr = fmt.Errorf("line %d: reading: %w", n, err)
				}
				return
			}
			j := &batchJob{n: n, res: make(chan batchResult, 1)}
			if tooLong {
				j.res <- batchResult{err: fmt.Errorf("limit error: line is longer than %d bytes", parser.MaxInput+64)}
				queue <- j
				continue
			}
			j.text = strings.TrimSpace(line)
			if j.text == "" || strings.HasPrefix(j.text, "#") {
				continue
			}
			queue <- j
			work <- j
		}
	}()

	out := bufio.NewWriter(stdout)
	failed, mismatched := 0, 0
	for j := range queue {
		r := <-j.res
		if (len(r.warnings) > 0 && !o.quiet) || r.err != nil {
			out.Flush() // keep stdout and stderr in step
		}
		for _, w := range r.warnings {
			if !o.quiet {
				fmt.Fprintf(stderr, "matdiff: line %d: warning: %s\n", j.n, w)
			}
		}
		if r.err != nil {
			failed++
			fmt.Fprintf(stderr, "matdiff: line %d: %v\n", j.n, r.err)
			if o.format.value == "json" {
				e := struct {
					Line   int    `json:"line"`
					Error  string `json:"error"`
					Column *int   `json:"column"`
				}{Line: j.n, Error: r.err.Error()}
				if col := errorColumn(r.err); col > 0 {
					e.Column = &col
				}
				writeJSON(out, e)
			} else {
				out.WriteString("\n") // one line per request, even a failed one
			}
			continue
		}
		out.WriteString(r.out)
		if r.mismatch != nil {
			mismatched++
			out.Flush()
			fmt.Fprintf(stderr, "matdiff: line %d: %v\n", j.n, r.mismatch)
		}
	}
	if err := out.Flush(); err != nil {
		return err
	}
	switch {
	case readErr != nil:
		return &exitError{code: ExitInvalid, err: readErr}
	case failed > 0:
		fmt.Fprintf(stderr, "matdiff: %d line(s) failed\n", failed+mismatched)
		return &exitError{code: ExitInvalid, err: errReported}
	case mismatched > 0:
		fmt.Fprintf(stderr, "matdiff: %d line(s) failed the numeric check\n", mismatched)
		return &exitError{code: ExitMismatch, err: errReported}
	}
	return nil
}

// batchLine differentiates one line "d/dX EXPR" and returns what it
// prints. A panic is a bug of matdiff: it fails the line, not the batch.
func (o *options) batchLine(n int, text string) (r batchResult) {
	defer func() {
		if p := recover(); p != nil {
			r = batchResult{err: fmt.Errorf("internal error (please report it): %v", p)}
		}
	}()
	tok, src := text, ""
	if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
		tok, src = text[:i], strings.TrimSpace(text[i:])
	}
	w, err := parseWrt(tok)
	if err != nil {
		return batchResult{err: err}
	}
	if src == "" {
		return batchResult{err: fmt.Errorf("missing EXPR after %s", tok)}
	}
	t, err := pipeline.Parse(src, o.pipeline())
	if err != nil {
		return batchResult{err: err}
	}
	req := derive.Request{Wrt: greekAlias(t.Info, w.name), Wrt2: greekAlias(t.Info, w.name2), Order: w.order, Transposed: w.transposed, Layout: o.derivLayout(), Vec: o.vec}
	d, err := t.Derive(req)
	if err == nil {
		err = o.checkSteps(t, d)
	}
	if err != nil {
		return batchResult{err: err}
	}
	r.warnings = append(r.warnings, t.Warnings...)
	r.warnings = append(r.warnings, d.Warnings...)
	if d.Absent {
		r.warnings = append(r.warnings, fmt.Sprintf("%s does not occur in the expression; the derivative is 0", absentName(t.Info, w)))
	}
	var rep *checkReport
	if o.check {
		if rep, err = o.runCheck(t, d); err != nil {
			return batchResult{err: err}
		}
	}
	var b strings.Builder
	if o.format.value == "json" {
		j := struct {
			Line int `json:"line"`
			jsonDerivative
		}{n, *o.derivativeJSON(t, d)}
		if rep != nil {
			j.Check = rep.json()
		}
		j.Warnings = r.warnings
		writeJSON(&b, j)
	} else if o.equation {
		fmt.Fprintln(&b, o.equationLine(t, d.Request, o.render(t.Info, d.Result)))
	} else {
		fmt.Fprintln(&b, o.render(t.Info, d.Result))
	}
	r.out = b.String()
	r.mismatch = rep.err()
	return r
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
