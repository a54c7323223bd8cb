package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/serve"
)

func newServe() *cobra.Command {
	var addr string
	c := &cobra.Command{
		Use:                   "serve [--addr 127.0.0.1:8080]",
		DisableFlagsInUseLine: true,
		Short:                 "Serve a page and a JSON API that differentiate, on this machine",
		Long: `serve starts an HTTP server with a page (open http://127.0.0.1:8080/) and a
JSON API: POST /api/derive with {"wrt": "A", "expr": "||BAx||^2"} answers
with the object of --format json. The page and KaTeX, which typesets its
math, are inside matdiff: nothing is loaded from the network.

The server listens on 127.0.0.1 (this machine only) unless --addr says
otherwise: another address, such as 0.0.0.0:8080, exposes it to every
machine that can reach this one. Each request runs under the limits of
the command line (input size, nesting depth, time budget). Ctrl-C stops
the server.`,
		Example: `  matdiff serve
  matdiff serve --addr 127.0.0.1:9000
  curl -s localhost:8080/api/derive -d '{"wrt": "x", "expr": "x^T A x", "sym": ["A"]}'`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("serve takes no arguments, only --addr; expressions come with each request")
			}
			return nil
		},
		RunE: runE(func(c *cobra.Command, args []string) error {
			var set []string
			c.InheritedFlags().VisitAll(func(f *pflag.Flag) {
				if f.Changed {
					set = append(set, "--"+f.Name)
				}
			})
			if len(set) > 0 {
				return usageErrorf("serve ignores %s: declarations and options come with each request", strings.Join(set, ", "))
			}
			return runServe(c, addr)
		}),
	}
	c.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "`host:port` to listen on; an address other than 127.0.0.1 or localhost exposes the server to other machines")
	return c
}

// runServe serves on addr until an interrupt.
func runServe(c *cobra.Command, addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return usageErrorf("cannot listen on %s: %v", addr, err)
	}
	var hosts []string
	if t, ok := l.Addr().(*net.TCPAddr); ok {
		hosts = serve.LoopbackHosts(t.IP.String())
	}
	srv := serve.Server(addr, serveHandler(0, hosts))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	fmt.Fprintf(c.ErrOrStderr(), "matdiff: serving on http://%s/ (Ctrl-C stops)\n", l.Addr())
	if exposed(l.Addr()) {
		fmt.Fprintf(c.ErrOrStderr(), "matdiff: warning: %s is not a loopback address: every machine that can reach this one can use the server\n", l.Addr())
	}
	err = srv.Serve(l)
	if errors.Is(err, http.ErrServerClosed) {
		<-done
		return nil
	}
	return err
}

// exposed reports whether a listener's address is reachable from other
// machines (not a loopback address).
func exposed(a net.Addr) bool {
	t, ok := a.(*net.TCPAddr)
	return !ok || !t.IP.IsLoopback()
}

// serveHandler is the server's handler on matdiff's engine; budget is the
// time budget of a request (0: the pipeline's default). What the budget
// does not cover (printing a long derivation) is bounded by the server's
// timeout, twice the budget and a second. hosts are the names a request
// may be for (serve.Config.Hosts; nil: any).
func serveHandler(budget time.Duration, hosts []string) http.Handler {
	e := engine{budget: budget}
	if budget == 0 {
		budget = pipeline.DefaultBudget
	}
	return serve.Handler(serve.Config{Derive: e.derive, Codegen: e.codegen, Timeout: 2*budget + time.Second, Hosts: hosts})
}

// codegenLang is the default --lang of matdiff codegen.
func codegenLang() string {
	c, _, err := newRoot(&options{}).Find([]string{"codegen"})
	if err != nil || c.Name() != "codegen" {
		return ""
	}
	if f := c.Flags().Lookup("lang"); f != nil {
		return f.DefValue
	}
	return ""
}

// engine answers the API's requests by running the command line on them,
// so that the API's objects are exactly those of --format json.
type engine struct {
	budget time.Duration
}

// derive answers POST /api/derive: matdiff d/dX EXPR --format json.
func (e engine) derive(ctx context.Context, r serve.Request) ([]byte, error) {
	for _, f := range []struct {
		name string
		set  bool
	}{{"lang", r.Lang != ""}, {"hessian", r.Hessian != ""}, {"name", r.Name != ""}} {
		if f.set {
			return nil, &serve.Error{Status: http.StatusBadRequest, Msg: fmt.Sprintf("%q belongs to /api/codegen, not to /api/derive", f.name)}
		}
	}
	args, err := declArgs(r)
	if err != nil {
		return nil, err
	}
	args = append([]string{derivativeToken(*r.Wrt), "--format=json"}, args...)
	if r.Layout != "" {
		args = append(args, "--layout="+r.Layout)
	}
	for _, f := range []struct {
		flag string
		on   bool
	}{{"--steps", r.Steps}, {"--cse", r.CSE}, {"--check", r.Check}} {
		if f.on {
			args = append(args, f.flag)
		}
	}
	if r.Steps {
		// A derivation prints every line in full, and is not under the
		// time budget: a long derivative is refused before its steps.
		plain := slices.DeleteFunc(slices.Clone(args), func(a string) bool { return a == "--steps" })
		out, err := e.run(plain, *r.Expr)
		if err != nil {
			return nil, err
		}
		var d struct{ Result string }
		if json.Unmarshal(out, &d) == nil && len(d.Result) > maxStepsResult {
			return nil, &serve.Error{Status: http.StatusUnprocessableEntity, Msg: fmt.Sprintf("limit error: the derivative is %d characters long, too long to show step by step (at most %d); ask without steps", len(d.Result), maxStepsResult)}
		}
	}
	out, err := e.run(args, *r.Expr)
	return bytes.TrimSpace(out), err
}

// maxStepsResult bounds the length of a derivative that the API shows
// step by step.
const maxStepsResult = 8000

// codegen answers POST /api/codegen with {"lang": …, "code": …}, the
// file matdiff codegen prints. "wrt" is the --wrt variables
// (comma-separated, each as d/dX writes it: x, x^T), or a token d2/dx2
// for --hessian x.
func (e engine) codegen(ctx context.Context, r serve.Request) ([]byte, error) {
	for _, f := range []struct {
		name, why string
		set       bool
	}{{"steps", "", r.Steps}, {"cse", " (the code names what it shares anyway)", r.CSE}, {"layout", " (its gradients are shaped like their variables)", r.Layout != "" && r.Layout != "denominator"}} {
		if f.set {
			return nil, &serve.Error{Status: http.StatusBadRequest, Msg: fmt.Sprintf("%q is not an option of /api/codegen%s", f.name, f.why)}
		}
	}
	lang := r.Lang
	if lang == "" {
		lang = codegenLang()
	}
	args := []string{"codegen", "--lang=" + lang}
	hessian := r.Hessian
	if r.Wrt != nil && strings.TrimSpace(*r.Wrt) != "" {
		var names []string
		for _, item := range strings.Split(*r.Wrt, ",") {
			w, err := parseWrt(derivativeToken(item))
			if err != nil {
				return nil, apiError(err)
			}
			if w.order == 2 {
				if hessian != "" && hessian != w.name {
					return nil, &serve.Error{Status: http.StatusBadRequest, Msg: fmt.Sprintf("two Hessians asked for: by %s and by %s", hessian, w.name)}
				}
				hessian = w.name
			}
			names = append(names, w.name)
		}
		args = append(args, "--wrt="+strings.Join(names, ","))
	}
	if hessian != "" {
		args = append(args, "--hessian="+hessian)
	}
	if r.Name != "" {
		args = append(args, "--name="+r.Name)
	}
	decls, err := declArgs(r)
	if err != nil {
		return nil, err
	}
	args = append(args, decls...)
	if r.Check {
		args = append(args, "--check")
	}
	out, err := e.run(args, *r.Expr)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	writeJSON(&b, struct {
		Lang string `json:"lang"`
		Code string `json:"code"`
	}{lang, string(out)})
	return bytes.TrimSpace(b.Bytes()), nil
}

// derivativeToken is the d/dX token of the API's "wrt": a variable (A,
// x^T) or a whole token (d/dx^T, d2/dx2).
func derivativeToken(wrt string) string {
	wrt = strings.TrimSpace(wrt)
	if strings.HasPrefix(wrt, "d") && strings.Contains(wrt, "/") {
		return wrt
	}
	return "d/d" + wrt
}

// declArgs are the flags of a request's declarations.
func declArgs(r serve.Request) ([]string, error) {
	var args []string
	for _, l := range []struct {
		flag  string
		names []string
	}{{"sym", r.Sym}, {"scalar", r.Scalar}, {"vector", r.Vector}, {"matrix", r.Matrix}} {
		for _, n := range l.names {
			if strings.Contains(n, ",") {
				return nil, &serve.Error{Status: http.StatusBadRequest, Msg: fmt.Sprintf("%q: %s takes one name per entry of its list", n, l.flag)}
			}
		}
		if len(l.names) > 0 {
			args = append(args, "--"+l.flag+"="+strings.Join(l.names, ","))
		}
	}
	return args, nil
}

// run runs matdiff with args and the expression src (after --, so that
// nothing in it is read as a flag) and returns what it prints. A panic is
// left to the server, which answers 500.
func (e engine) run(args []string, src string) ([]byte, error) {
	o := &options{budget: e.budget}
	root := newRoot(o)
	var stdout, stderr bytes.Buffer
	root.SetArgs(append(args, "--", src))
	root.SetIn(strings.NewReader(src)) // EXPR "-" reads it: the expression "-" itself
	root.SetOut(&stdout)
	root.SetErr(&stderr)
	err := root.Execute()
	if err == nil || Code(err) == ExitMismatch { // a mismatch is in the object's "check"
		return stdout.Bytes(), nil
	}
	return nil, apiError(err)
}

// apiError classifies an error for the API: the request's fault (400:
// syntax, shapes, names, declarations, options) or the engine's refusal
// of a well-formed request (422: a limit, no closed form).
func apiError(err error) *serve.Error {
	e := &serve.Error{Status: http.StatusUnprocessableEntity, Msg: err.Error()}
	var ae *ast.Error
	switch {
	case errors.As(err, &ae):
		e.Column = int(ae.Pos)
		switch ae.Kind {
		case "syntax", "shape", "name":
			e.Status = http.StatusBadRequest
		}
	case Code(err) == ExitUsage:
		e.Status = http.StatusBadRequest
	}
	return e
}
