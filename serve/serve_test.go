package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// release unblocks the requests of the expression "block".
var release = make(chan struct{})

// echo is an engine that answers with the request it was given, panics on
// the expression "panic" and waits for release on "block".
func echo(ctx context.Context, r Request) ([]byte, error) {
	if *r.Expr == "panic" {
		panic("boom")
	}
	if *r.Expr == "block" {
		<-release
	}
	if *r.Expr == "refuse" {
		return nil, &Error{Status: http.StatusUnprocessableEntity, Msg: "limit error: refused", Column: 3}
	}
	return json.Marshal(r)
}

func newServer(t *testing.T, c Config) (*httptest.Server, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	if c.Derive == nil {
		c.Derive = echo
	}
	c.Log = log.New(&logs, "", 0)
	s := httptest.NewServer(Handler(c))
	t.Cleanup(s.Close)
	return s, &logs
}

type answer struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, method, url, body string) answer {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{res.StatusCode, res.Header, string(b)}
}

func TestAPIRequests(t *testing.T) {
	s, _ := newServer(t, Config{MaxBody: 200})
	cases := []struct {
		name, method, body string
		status             int
		want               string // the exact body, without its final newline
	}{
		{"minimal", "POST", `{"wrt": "x", "expr": "x^T x"}`, 200,
			`{"wrt":"x","expr":"x^T x","sym":null,"scalar":null,"vector":null,"matrix":null,"layout":"","steps":false,"cse":false,"check":false}`},
		{"every field", "POST", `{"wrt": "A", "expr": "||BAx||^2", "sym": ["S"], "scalar": [], "vector": ["v"], "matrix": ["m"], "layout": "numerator", "steps": true, "cse": true, "check": true}`, 200,
			`{"wrt":"A","expr":"||BAx||^2","sym":["S"],"scalar":[],"vector":["v"],"matrix":["m"],"layout":"numerator","steps":true,"cse":true,"check":true}`},
		{"bad JSON", "POST", `{"wrt": "x", "expr": `, 400,
			`{"error":"the body is not a JSON request object: unexpected EOF","column":null}`},
		{"not an object", "POST", `["x", "x^T x"]`, 400,
			`{"error":"the body is not a JSON request object: cannot unmarshal array into Go value of type serve.Request","column":null}`},
		{"wrong type", "POST", `{"wrt": "x", "expr": 3}`, 400,
			`{"error":"the body is not a JSON request object: cannot unmarshal number into Go struct field Request.expr of type string","column":null}`},
		{"unknown field", "POST", `{"wrt": "x", "expr": "x", "sim": ["S"]}`, 400,
			`{"error":"the body is not a JSON request object: unknown field \"sim\"","column":null}`},
		{"two values", "POST", `{"wrt": "x", "expr": "x"} {}`, 400,
			`{"error":"the body has more than one JSON value","column":null}`},
		{"missing both", "POST", `{}`, 400,
			`{"error":"missing \"wrt\" and \"expr\"; a request is at least {\"wrt\": \"x\", \"expr\": \"x^T x\"}","column":null}`},
		{"missing expr", "POST", `{"wrt": "x"}`, 400,
			`{"error":"missing \"expr\"; a request is at least {\"wrt\": \"x\", \"expr\": \"x^T x\"}","column":null}`},
		{"oversized", "POST", `{"wrt": "x", "expr": "` + strings.Repeat("x+", 100) + `x"}`, 413,
			`{"error":"limit error: the request body is larger than 200 bytes","column":null}`},
		{"refused", "POST", `{"wrt": "x", "expr": "refuse"}`, 422,
			`{"error":"limit error: refused","column":3}`},
		{"GET", "GET", ``, 405,
			`{"error":"method GET not allowed: use POST with a JSON body","column":null}`},
		{"PUT", "PUT", `{"wrt": "x", "expr": "x"}`, 405,
			`{"error":"method PUT not allowed: use POST with a JSON body","column":null}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := do(t, c.method, s.URL+"/api/derive", c.body)
			if a.status != c.status || strings.TrimSuffix(a.body, "\n") != c.want {
				t.Errorf("got %d %s\nwant %d %s", a.status, a.body, c.status, c.want)
			}
			if ct := a.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if c.status == 405 && a.header.Get("Allow") != "POST" {
				t.Errorf("Allow %q", a.header.Get("Allow"))
			}
		})
	}
}

func TestCodegenOnlyWhenGiven(t *testing.T) {
	s, _ := newServer(t, Config{})
	if a := do(t, "POST", s.URL+"/api/codegen", `{"wrt": "x", "expr": "x^T x", "lang": "numpy"}`); a.status != 404 {
		t.Errorf("without an engine: %d %s", a.status, a.body)
	}
	s, _ = newServer(t, Config{Codegen: echo})
	a := do(t, "POST", s.URL+"/api/codegen", `{"wrt": "x", "expr": "x^T x", "lang": "numpy"}`)
	if a.status != 200 || !strings.Contains(a.body, `"lang":"numpy"`) {
		t.Errorf("with an engine: %d %s", a.status, a.body)
	}
}

func TestPanicIsA500AndTheServerCarriesOn(t *testing.T) {
	s, logs := newServer(t, Config{})
	a := do(t, "POST", s.URL+"/api/derive", `{"wrt": "x", "expr": "panic"}`)
	want := `{"error":"internal error (please report it): boom","column":null}`
	if a.status != 500 || strings.TrimSpace(a.body) != want {
		t.Errorf("got %d %s, want 500 %s", a.status, a.body, want)
	}
	if !strings.Contains(logs.String(), "panic in POST /api/derive: boom") || !strings.Contains(logs.String(), "goroutine") {
		t.Errorf("the panic was not logged with its stack: %q", logs.String())
	}
	if a := do(t, "POST", s.URL+"/api/derive", `{"wrt": "x", "expr": "x"}`); a.status != 200 {
		t.Errorf("after the panic: %d %s", a.status, a.body)
	}
}

func TestStaticFiles(t *testing.T) {
	s, _ := newServer(t, Config{})
	for _, c := range []struct {
		path, ctype, has string
	}{
		{"/", "text/html; charset=utf-8", `id="result"`},
		{"/app.js", "text/javascript; charset=utf-8", "api/derive"},
		{"/app.css", "text/css; charset=utf-8", "@media"},
		{"/katex/katex.min.js", "text/javascript; charset=utf-8", "katex"},
		{"/katex/katex.min.css", "text/css; charset=utf-8", "KaTeX_Main"},
		{"/katex/fonts/KaTeX_Main-Regular.woff2", "font/woff2", "wOF2"},
	} {
		a := do(t, "GET", s.URL+c.path, "")
		if a.status != 200 || a.header.Get("Content-Type") != c.ctype || !strings.Contains(a.body, c.has) {
			t.Errorf("GET %s: %d %q, want 200 %q with %q", c.path, a.status, a.header.Get("Content-Type"), c.ctype, c.has)
		}
		if !strings.HasPrefix(a.header.Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("GET %s: no content security policy", c.path)
		}
	}
	if a := do(t, "HEAD", s.URL+"/", ""); a.status != 200 || a.body != "" {
		t.Errorf("HEAD /: %d %q", a.status, a.body)
	}
	if a := do(t, "POST", s.URL+"/", ""); a.status != 405 {
		t.Errorf("POST /: %d", a.status)
	}
}

// Nothing outside the embedded files is served, however the path is
// spelled: the requests go out as written (no client-side cleaning).
func TestNoPathOutsideTheEmbeddedFiles(t *testing.T) {
	s, _ := newServer(t, Config{})
	for _, p := range []string{
		"/../go.mod", "/../../go.mod", "/%2e%2e/go.mod", "/%2E%2E/%2E%2E/etc/passwd",
		"/katex/../../serve.go", "/katex/..%2f..%2fserve.go", "/katex%2f..%2f..%2fserve.go",
		"/..%5c..%5cserve.go", "/katex\\..\\..\\serve.go", "//etc/passwd", "/web/index.html",
		"/serve.go", "/static.go", "/katex/", "/katex", "/katex/fonts/", "/katex/LICENSE",
		"/.git/config", "/index.html/", "/app.js/..", "/%00", "/app.js%00.png",
	} {
		status, body := rawGet(t, s.URL, p)
		if status == 200 {
			t.Errorf("GET %s: 200 %.80q", p, body)
		}
		if strings.Contains(body, "package serve") || strings.Contains(body, "module github.com") || strings.Contains(body, "root:") {
			t.Errorf("GET %s served a file outside the page: %.80q", p, body)
		}
	}
}

// rawGet sends GET path exactly as written and follows no redirect.
func rawGet(t *testing.T, base, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", base+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.URL.Opaque = path
	if strings.HasPrefix(path, "//") {
		req.URL.Opaque = "/" + path // an opaque starting with // is read as a host
	}
	res, err := (&http.Transport{}).RoundTrip(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestEmbeddedPaths(t *testing.T) {
	for _, c := range []struct {
		path, name string
		ok         bool
	}{
		{"/", "web/index.html", true},
		{"/app.js", "web/app.js", true},
		{"/katex/fonts/KaTeX_Main-Bold.woff2", "web/katex/fonts/KaTeX_Main-Bold.woff2", true},
		{"/../app.js", "", false},
		{"/katex/../app.js", "", false},
		{"/katex//katex.min.js", "", false},
		{"/katex/", "", false},
		{"/katex/LICENSE", "", false},
		{"/.hidden.js", "", false},
		{`/katex\katex.min.js`, "", false},
		{"app.js", "", false},
	} {
		name, ok := embedded(c.path)
		if name != c.name || ok != c.ok {
			t.Errorf("embedded(%q) = %q, %v; want %q, %v", c.path, name, ok, c.name, c.ok)
		}
	}
}

// A request that outlasts the timeout is a 422 at the timeout; the
// engine's slot stays taken until the engine is done.
func TestTimeout(t *testing.T) {
	s, _ := newServer(t, Config{Timeout: 100 * time.Millisecond, MaxRunning: 1})
	start := time.Now()
	a := do(t, "POST", s.URL+"/api/derive", `{"wrt": "x", "expr": "block"}`)
	want := `{"error":"limit error: the request took longer than 100ms","column":null}`
	if a.status != 422 || strings.TrimSpace(a.body) != want {
		t.Errorf("got %d %s, want 422 %s", a.status, a.body, want)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the timeout of 100 ms took %v", took)
	}
	next := make(chan answer, 1)
	go func() { next <- do(t, "POST", s.URL+"/api/derive", `{"wrt": "x", "expr": "x"}`) }()
	select {
	case a := <-next:
		t.Fatalf("a request ran while the blocked engine held the only slot: %d %s", a.status, a.body)
	case <-time.After(300 * time.Millisecond):
	}
	release <- struct{}{}
	if a := <-next; a.status != 200 {
		t.Errorf("after the blocked engine ended: %d %s", a.status, a.body)
	}
}

// TestHosts: with Hosts set, a request whose Host header names another
// host is refused (403), as a DNS rebinding would send it; the names of
// this machine, with or without a port and in any case, are served.
func TestHosts(t *testing.T) {
	s, _ := newServer(t, Config{Hosts: LoopbackHosts("127.0.0.1")})
	for _, c := range []struct {
		host string
		want int
	}{
		{"", http.StatusOK}, // the client's own, 127.0.0.1:port
		{"localhost:8080", http.StatusOK},
		{"LocalHost", http.StatusOK},
		{"127.0.0.1", http.StatusOK},
		{"[::1]:8080", http.StatusOK},
		{"app.localhost:8080", http.StatusOK},
		{"evil.example:8080", http.StatusForbidden},
		{"evil.example", http.StatusForbidden},
		{"127.0.0.1.evil.example", http.StatusForbidden},
		{"localhost.evil.example:80", http.StatusForbidden},
		{"192.168.1.10:8080", http.StatusForbidden},
	} {
		for _, path := range []string{"/", "/api/derive"} {
			method, in := http.MethodPost, io.Reader(strings.NewReader(`{"wrt": "x", "expr": "x^T x"}`))
			if path == "/" {
				method, in = http.MethodGet, nil
			}
			req, err := http.NewRequest(method, s.URL+path, in)
			if err != nil {
				t.Fatal(err)
			}
			if c.host != "" {
				req.Host = c.host
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != c.want {
				t.Errorf("Host %q, %s: status %d, want %d (%s)", c.host, path, res.StatusCode, c.want, body)
			}
			if c.want == http.StatusForbidden && !strings.Contains(string(body), "Host") {
				t.Errorf("Host %q: the refusal does not say why: %s", c.host, body)
			}
		}
	}
	// Without Hosts (an address other machines reach), any Host is served.
	open, _ := newServer(t, Config{Hosts: LoopbackHosts("0.0.0.0")})
	req, _ := http.NewRequest(http.MethodGet, open.URL+"/", nil)
	req.Host = "matdiff.example:8080"
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("exposed server, Host matdiff.example: status %d, want 200", res.StatusCode)
	}
}
