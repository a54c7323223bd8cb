// Package serve is matdiff's HTTP server: a JSON API (POST /api/derive,
// POST /api/codegen) and one page, embedded in the binary, that calls it.
// The engine behind the API is given by the caller (the command line's),
// so that the server answers exactly what the command line prints.
package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// Request is the body of POST /api/derive and POST /api/codegen. Expr is
// required, and Wrt for /api/derive.
type Request struct {
	// Wrt is the variable, as d/dX writes it: "A", "x^T", or a whole
	// derivative token such as "d/dx^T" or "d2/dx2".
	Wrt *string `json:"wrt"`
	// Expr is the expression.
	Expr *string `json:"expr"`
	// Sym, Scalar, Vector and Matrix declare names, as --sym, --scalar,
	// --vector and --matrix do.
	Sym    []string `json:"sym"`
	Scalar []string `json:"scalar"`
	Vector []string `json:"vector"`
	Matrix []string `json:"matrix"`
	// Layout is "denominator" (the default) or "numerator".
	Layout string `json:"layout"`
	// Steps, CSE and Check are --steps, --cse and --check.
	Steps bool `json:"steps"`
	CSE   bool `json:"cse"`
	Check bool `json:"check"`
	// Lang, Hessian and Name are the --lang, --hessian and --name of
	// /api/codegen.
	Lang    string `json:"lang,omitempty"`
	Hessian string `json:"hessian,omitempty"`
	Name    string `json:"name,omitempty"`
}

// Error is an error of a request, with the HTTP status it is answered
// with and, for an error bound to a position of the expression, its
// column (counted in code points from 1).
type Error struct {
	Status int
	Msg    string
	Column int
}

func (e *Error) Error() string { return e.Msg }

// Engine answers a request with a JSON object, or an error (an *Error
// for one the engine has classified; any other is a 422).
type Engine func(ctx context.Context, r Request) ([]byte, error)

// Config is the server's configuration.
type Config struct {
	// Derive answers POST /api/derive.
	Derive Engine
	// Codegen answers POST /api/codegen; nil: 404.
	Codegen Engine
	// MaxBody bounds the size of a request body (0: DefaultMaxBody).
	MaxBody int64
	// MaxRunning bounds the requests the engine runs at once; others
	// wait for their turn (0: twice the number of CPUs, at least 4).
	MaxRunning int
	// Timeout bounds the time a request waits for the engine; beyond it
	// the answer is a 422 (0: DefaultTimeout).
	Timeout time.Duration
	// Log receives the panics of requests (nil: the standard logger).
	Log *log.Logger
	// Hosts, when not empty, are the host names a request's Host header
	// may give (its port aside); a request for another host is answered
	// 403. A server on a loopback address takes LoopbackHosts, so that a
	// page of another site whose name a DNS rebinding points at this
	// machine cannot read the server's answers.
	Hosts []string
}

// LoopbackHosts returns the names by which this machine reaches a server
// listening on host, when that is a loopback address: localhost (and its
// subdomains, which browsers resolve to it), 127.0.0.1, ::1 and host
// itself. For any other address (0.0.0.0 included) it returns nil: the
// server is meant to be reached under names it cannot know.
func LoopbackHosts(host string) []string {
	if ip := net.ParseIP(host); (ip == nil || !ip.IsLoopback()) && !strings.EqualFold(host, "localhost") {
		return nil
	}
	return []string{"localhost", "127.0.0.1", "::1", strings.ToLower(host)}
}

// allowedHost reports whether the Host header h names one of hosts.
func allowedHost(h string, hosts []string) bool {
	if h == "" {
		return true // HTTP/1.0 without a Host: no browser sends that
	}
	name := h
	if n, _, err := net.SplitHostPort(h); err == nil {
		name = n
	}
	name = strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(name, "["), "]"))
	for _, a := range hosts {
		if name == a || a == "localhost" && strings.HasSuffix(name, ".localhost") {
			return true
		}
	}
	return false
}

// checkHost answers 403 to a request for a host not in s.Hosts.
func (s *server) checkHost(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowedHost(r.Host, s.Hosts) {
			writeError(w, http.StatusForbidden, &Error{Msg: fmt.Sprintf("Host %q is not this server's: it serves localhost only (matdiff serve --addr 0.0.0.0:8080 serves every name)", r.Host)})
			return
		}
		h.ServeHTTP(w, r)
	})
}

// DefaultMaxBody is the default bound of a request body: the
// expression's limit of 512 KiB and room for the declarations.
const DefaultMaxBody = 512*1024 + 16*1024

// DefaultTimeout is the default bound of the time a request waits for
// the engine.
const DefaultTimeout = 10 * time.Second

// Handler is the server's handler: the API and the embedded page.
func Handler(c Config) http.Handler {
	if c.MaxBody == 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.MaxRunning == 0 {
		c.MaxRunning = max(4, 2*runtime.NumCPU())
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Log == nil {
		c.Log = log.Default()
	}
	s := &server{Config: c, running: make(chan struct{}, c.MaxRunning)}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/derive", s.api(c.Derive, true))
	if c.Codegen != nil {
		mux.HandleFunc("/api/codegen", s.api(c.Codegen, false))
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, &Error{Msg: "no such API: " + r.URL.Path})
	})
	mux.HandleFunc("/", static)
	if len(c.Hosts) > 0 {
		return s.recover(s.checkHost(mux))
	}
	return s.recover(mux)
}

// Server is an http.Server for h at addr with timeouts that no client can
// hold a connection open beyond.
func Server(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 * 1024,
	}
}

type server struct {
	Config
	running chan struct{} // a slot per request the engine runs
}

// recover answers a request that panicked with 500 and logs the panic;
// the server carries on.
func (s *server) recover(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Printf("matdiff serve: panic in %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
				writeError(w, http.StatusInternalServerError, &Error{Msg: fmt.Sprintf("internal error (please report it): %v", v)})
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// api answers POST requests with the engine's JSON object; needWrt says
// whether "wrt" is required.
func (s *server) api(engine Engine, needWrt bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, http.StatusMethodNotAllowed, &Error{Msg: fmt.Sprintf("method %s not allowed: use POST with a JSON body", r.Method)})
			return
		}
		req, err := s.read(w, r, needWrt)
		if err != nil {
			writeError(w, 0, err)
			return
		}
		select {
		case s.running <- struct{}{}:
		case <-r.Context().Done():
			writeError(w, http.StatusServiceUnavailable, &Error{Msg: "the request was cancelled while waiting for its turn"})
			return
		}
		out, err := s.run(r, engine, req)
		if err != nil {
			writeError(w, http.StatusUnprocessableEntity, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write(out)
	}
}

// outcome is what an engine returned.
type outcome struct {
	out []byte
	err error
}

// run runs the engine on req in a goroutine that holds a slot of
// running until it ends, and gives up waiting for it after Timeout: the
// client gets its 422 then, and the slot stays taken while the engine
// finishes, so that abandoned work never adds up beyond MaxRunning. A
// panic of the engine is logged and is a 500.
func (s *server) run(r *http.Request, engine Engine, req Request) ([]byte, error) {
	done := make(chan outcome, 1)
	go func() {
		defer func() { <-s.running }()
		defer func() {
			if v := recover(); v != nil {
				s.Log.Printf("matdiff serve: panic in %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
				done <- outcome{err: &Error{Status: http.StatusInternalServerError, Msg: fmt.Sprintf("internal error (please report it): %v", v)}}
			}
		}()
		out, err := engine(r.Context(), req)
		done <- outcome{out: out, err: err}
	}()
	timer := time.NewTimer(s.Timeout)
	defer timer.Stop()
	select {
	case a := <-done:
		return a.out, a.err
	case <-timer.C:
		return nil, &Error{Status: http.StatusUnprocessableEntity, Msg: fmt.Sprintf("limit error: the request took longer than %v", s.Timeout)}
	}
}

// read decodes the body of r: one JSON object of the fields of Request,
// no other field, within MaxBody bytes.
func (s *server) read(w http.ResponseWriter, r *http.Request, needWrt bool) (Request, error) {
	var req Request
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.MaxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return req, &Error{Status: http.StatusRequestEntityTooLarge, Msg: fmt.Sprintf("limit error: the request body is larger than %d bytes", s.MaxBody)}
	}
	if err != nil {
		return req, &Error{Status: http.StatusBadRequest, Msg: "reading the request body: " + err.Error()}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return req, &Error{Status: http.StatusBadRequest, Msg: "the body is not a JSON request object: " + strings.TrimPrefix(err.Error(), "json: ")}
	}
	if dec.More() {
		return req, &Error{Status: http.StatusBadRequest, Msg: "the body has more than one JSON value"}
	}
	var missing []string
	if req.Wrt == nil && needWrt {
		missing = append(missing, `"wrt"`)
	}
	if req.Expr == nil {
		missing = append(missing, `"expr"`)
	}
	if len(missing) > 0 {
		least := `{"expr": "x^T x"}`
		if needWrt {
			least = `{"wrt": "x", "expr": "x^T x"}`
		}
		return req, &Error{Status: http.StatusBadRequest, Msg: "missing " + strings.Join(missing, " and ") + "; a request is at least " + least}
	}
	return req, nil
}

// writeError answers with {"error": …, "column": …} (column null when the
// error has no position) and the error's status, or status when the
// error has none.
func writeError(w http.ResponseWriter, status int, err error) {
	out := struct {
		Error  string `json:"error"`
		Column *int   `json:"column"`
	}{Error: err.Error()}
	var e *Error
	if errors.As(err, &e) {
		if e.Status != 0 {
			status = e.Status
		}
		if e.Column > 0 {
			out.Column = &e.Column
		}
	}
	if status == 0 {
		status = http.StatusUnprocessableEntity
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(out)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}
