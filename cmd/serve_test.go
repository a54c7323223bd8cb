package cmd

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/matdiff/matdiff/parser"
	"github.com/matdiff/matdiff/serve"
)

// The API of matdiff serve, through its HTTP handler on the real engine.

func newTestServer(t *testing.T, budget time.Duration) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(serveHandler(budget, serve.LoopbackHosts("127.0.0.1"))) // listens on 127.0.0.1
	t.Cleanup(s.Close)
	return s
}

func post(t testing.TB, url, body string) (int, string) {
	t.Helper()
	res, err := http.Post(url+"/api/derive", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, strings.TrimSuffix(string(b), "\n")
}

func body(v map[string]any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// apiCase is a request and the result it must give; args are the same
// request on the command line.
type apiCase struct {
	req  map[string]any
	args []string
	want string
}

// seeds are the seed identities of the README and a few declarations,
// orders and layouts.
var apiCases = []apiCase{
	{map[string]any{"wrt": "x", "expr": "x^T x"}, []string{"d/dx", "x^T x"}, "2 x"},
	{map[string]any{"wrt": "x", "expr": "x^T y"}, []string{"d/dx", "x^T y"}, "y"},
	{map[string]any{"wrt": "x", "expr": "(x^T y)^2"}, []string{"d/dx", "(x^T y)^2"}, "2 (x^T y) y"},
	{map[string]any{"wrt": "x^T", "expr": "A x"}, []string{"d/dx^T", "A x"}, "A"},
	{map[string]any{"wrt": "x", "expr": "(A x)^T"}, []string{"d/dx", "(A x)^T"}, "A^T"},
	{map[string]any{"wrt": "x", "expr": "||Ax||^2"}, []string{"d/dx", "||Ax||^2"}, "2 A^T A x"},
	{map[string]any{"wrt": "A", "expr": "||Ax||^2"}, []string{"d/dA", "||Ax||^2"}, "2 A x x^T"},
	{map[string]any{"wrt": "B", "expr": "||BAx||^2"}, []string{"d/dB", "||BAx||^2"}, "2 B A x x^T A^T"},
	{map[string]any{"wrt": "x", "expr": "||BAx||^2"}, []string{"d/dx", "||BAx||^2"}, "2 A^T B^T B A x"},
	{map[string]any{"wrt": "A", "expr": "||BAx||^2"}, []string{"d/dA", "||BAx||^2"}, "2 B^T B A x x^T"},
	// A declaration, a whole d/dX token, a Hessian, a layout.
	{map[string]any{"wrt": "x", "expr": "x^T A x", "sym": []string{"A"}}, []string{"d/dx", "x^T A x", "--sym", "A"}, "2 A x"},
	{map[string]any{"wrt": "x", "expr": "x^T A x"}, []string{"d/dx", "x^T A x"}, "(A + A^T) x"},
	{map[string]any{"wrt": "x", "expr": "b x^T x", "scalar": []string{"b"}}, []string{"d/dx", "b x^T x", "--scalar", "b"}, "2 b x"},
	{map[string]any{"wrt": "d/dx^T", "expr": "A x"}, []string{"d/dx^T", "A x"}, "A"},
	{map[string]any{"wrt": "d2/dx2", "expr": "x^T S x", "sym": []string{"S"}}, []string{"d2/dx2", "x^T S x", "--sym", "S"}, "2 S"},
	{map[string]any{"wrt": "x", "expr": "A x", "layout": "numerator"}, []string{"d/dx", "A x", "--layout", "numerator"}, "A"},
}

// The answer is the object of --format json, and every derivative passes
// the numeric check.
func TestServeDerivatives(t *testing.T) {
	s := newTestServer(t, 0)
	for _, c := range apiCases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			req := map[string]any{"check": true}
			for k, v := range c.req {
				req[k] = v
			}
			status, got := post(t, s.URL, body(req))
			if status != 200 {
				t.Fatalf("status %d: %s", status, got)
			}
			var a struct {
				Result string
				Check  struct{ OK bool }
			}
			if err := json.Unmarshal([]byte(got), &a); err != nil {
				t.Fatal(err)
			}
			if a.Result != c.want || !a.Check.OK {
				t.Errorf("got %q (check ok: %v), want %q checked", a.Result, a.Check.OK, c.want)
			}
			cli, _, code := run("", append(c.args, "--format", "json", "--check")...)
			if code != 0 || got != strings.TrimSuffix(cli, "\n") {
				t.Errorf("the API answered\n%s\nand the command line (exit %d)\n%s", got, code, cli)
			}
		})
	}
}

func TestServeSteps(t *testing.T) {
	s := newTestServer(t, 0)
	status, got := post(t, s.URL, `{"wrt": "A", "expr": "||BAx||^2", "steps": true, "cse": true}`)
	cli, _, _ := run("", "d/dA", "||BAx||^2", "--steps", "--cse", "--format", "json")
	if status != 200 || got != strings.TrimSuffix(cli, "\n") || !strings.Contains(got, `"steps":[`) {
		t.Errorf("got %d %s\nwant %s", status, got, cli)
	}
}

func TestServeErrors(t *testing.T) {
	s := newTestServer(t, 0)
	long := strings.Repeat("x", parser.MaxInput+1)
	for _, c := range []struct {
		name, body string
		status     int
		want       string
	}{
		{"shape", `{"wrt": "x", "expr": "x A"}`, 400,
			`{"error":"shape error at column 3: x is a column vector (m×1) and cannot left-multiply the matrix A (n×p); did you mean x^T A?","column":3}`},
		{"syntax", `{"wrt": "x", "expr": "||Ax)||^2"}`, 400,
			`{"error":"syntax error at column 5: unexpected ')'","column":5}`},
		{"leading minus is an expression", `{"wrt": "x", "expr": "-x^T x"}`, 200, ""},
		{"dash is an expression", `{"wrt": "x", "expr": "-"}`, 400,
			`{"error":"syntax error at column 1: expected an operand after '-'","column":1}`},
		{"flag is an expression", `{"wrt": "x", "expr": "--help"}`, 400, ""},
		{"bad wrt", `{"wrt": "d3/dx3", "expr": "x^T x"}`, 400,
			`{"error":"\"d3/dx3\" is not a derivative: only first (d/dx) and second (d2/dx2) derivatives exist; write d/dX, d/dx^T or d2/dx2 before the expression","column":null}`},
		{"wrt a flag", `{"wrt": "--sym=x", "expr": "x^T x"}`, 400, ""},
		{"bad layout", `{"wrt": "x", "expr": "x^T x", "layout": "row"}`, 400,
			`{"error":"invalid argument \"row\" for \"--layout\" flag: must be one of denominator, numerator","column":null}`},
		{"reserved declaration", `{"wrt": "x", "expr": "x^T x", "sym": ["I"]}`, 400,
			`{"error":"--sym I: I is the identity matrix and cannot be declared","column":null}`},
		{"comma in a name", `{"wrt": "x", "expr": "x^T S x", "sym": ["S,T"]}`, 400,
			`{"error":"\"S,T\": sym takes one name per entry of its list","column":null}`},
		{"lang", `{"wrt": "x", "expr": "x^T x", "lang": "numpy"}`, 400,
			`{"error":"\"lang\" belongs to /api/codegen, not to /api/derive","column":null}`},
		{"bad JSON", `{"wrt": "x", "expr": "x^T x",}`, 400,
			`{"error":"the body is not a JSON request object: invalid character '}' looking for beginning of object key string","column":null}`},
		{"expression over the input limit", `{"wrt": "x", "expr": "` + long + `"}`, 422, cliError("d/dx", long)},
		{"body over the limit", `{"wrt": "x", "expr": "` + long + long + `"}`, 413,
			`{"error":"limit error: the request body is larger than 540672 bytes","column":null}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, got := post(t, s.URL, c.body)
			if status != c.status || (c.want != "" && got != c.want) {
				t.Errorf("got %d %.300s\nwant %d %s", status, got, c.status, c.want)
			}
		})
	}
	res, err := http.Get(s.URL + "/api/derive")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 405 {
		t.Errorf("GET /api/derive: %d", res.StatusCode)
	}
}

// cliError is the JSON error object of the command line.
func cliError(args ...string) string {
	out, _, _ := run("", append(args, "--format", "json")...)
	return strings.TrimSuffix(out, "\n")
}

// nest is sum(tanh(tanh(…(x)))) with n calls: it differentiates quickly
// and takes far longer than 20 ms to simplify (n = 1 400: about 60 ms on a
// fast machine); n = 2 000 would pass the default node limit.
func nest(n int) string {
	return "sum(" + strings.Repeat("tanh(", n) + "x" + strings.Repeat(")", n) + ")"
}

func TestServeTimeBudget(t *testing.T) {
	s := newTestServer(t, 20*time.Millisecond)
	start := time.Now()
	status, got := post(t, s.URL, body(map[string]any{"wrt": "x", "expr": nest(1400)}))
	if status != 422 || !strings.Contains(got, "out of time") {
		t.Errorf("got %d %.300s, want 422 out of time", status, got)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the budget of 20 ms took %v to stop the request", took)
	}
	if status, got := post(t, s.URL, `{"wrt": "x", "expr": "x^T x"}`); status != 200 || !strings.Contains(got, `"result":"2 x"`) {
		t.Errorf("after the budget: %d %s", status, got)
	}
}

// A derivative too long to show step by step is refused before its
// steps are printed; the same without steps is answered.
func TestServeStepsOfALongDerivative(t *testing.T) {
	s := newTestServer(t, 0)
	e := nest(60)
	status, got := post(t, s.URL, body(map[string]any{"wrt": "x", "expr": e, "steps": true}))
	if status != 422 || !strings.Contains(got, "too long to show step by step (at most 8000); ask without steps") {
		t.Errorf("got %d %.300s", status, got)
	}
	if status, got := post(t, s.URL, body(map[string]any{"wrt": "x", "expr": e})); status != 200 || len(got) < 8000 {
		t.Errorf("without steps: %d %.300s", status, got)
	}
}

// 2 000 requests, 16 at a time, each answered with its own result.
func TestServeConcurrentRequests(t *testing.T) {
	s := newTestServer(t, 0)
	const total, workers = 2000, 16
	jobs := make(chan int)
	var mu sync.Mutex
	wrong := 0
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				c := apiCases[i%len(apiCases)]
				status, got := post(t, s.URL, body(c.req))
				var a struct{ Result string }
				err := json.Unmarshal([]byte(got), &a)
				if status != 200 || err != nil || a.Result != c.want {
					mu.Lock()
					if wrong++; wrong <= 5 {
						t.Errorf("request %d (%v): got %d %s, want %q", i, c.req, status, got, c.want)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < total; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if wrong > 0 {
		t.Errorf("%d of %d answers wrong", wrong, total)
	}
}

func TestServeCommandLine(t *testing.T) {
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"serve", "x"}, "matdiff: serve takes no arguments, only --addr; expressions come with each request\n"},
		{[]string{"serve", "--sym", "S"}, "matdiff: serve ignores --sym: declarations and options come with each request\n"},
		{[]string{"serve", "--addr", "127.0.0.1:99999"}, "matdiff: cannot listen on 127.0.0.1:99999: listen tcp: "},
	} {
		_, stderr, code := run("", c.args...)
		if code != int(ExitUsage) || !strings.HasPrefix(stderr, c.err) {
			t.Errorf("%v: exit %d, stderr %q; want 2, %q…", c.args, code, stderr, c.err)
		}
	}
	out, _, code := run("", "serve", "--help")
	if code != 0 || !strings.Contains(out, "127.0.0.1 (this machine only)") || !strings.Contains(out, "exposes it") {
		t.Errorf("serve --help: %d %s", code, out)
	}
}

// readmeCurl is a request of the README's serve section.
var readmeCurl = regexp.MustCompile(`^\$ curl -s 127\.0\.0\.1:8080/api/derive -d '([^']*)'$`)

// TestServeREADMEExamples sends every curl request of the README and
// compares the answer with the line the README shows after it.
func TestServeREADMEExamples(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t, 0)
	lines := strings.Split(string(b), "\n")
	n := 0
	for i, l := range lines {
		m := readmeCurl.FindStringSubmatch(l)
		if m == nil || i+1 == len(lines) {
			continue
		}
		n++
		if _, got := post(t, s.URL, m[1]); got != lines[i+1] {
			t.Errorf("README.md:%d: %s\nanswers %s\nthe README shows %s", i+1, l, got, lines[i+1])
		}
	}
	if n < 3 {
		t.Errorf("found %d curl examples in README.md", n)
	}
}

func postTo(t testing.TB, url, path, body string) (int, string) {
	t.Helper()
	res, err := http.Post(url+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, strings.TrimSuffix(string(b), "\n")
}

// /api/codegen answers with the file of matdiff codegen.
func TestServeCodegen(t *testing.T) {
	if codegenLang() == "" {
		t.Skip("matdiff has no codegen command")
	}
	s := newTestServer(t, 0)
	for _, c := range []struct {
		body string
		lang string
		args []string
	}{
		{`{"expr": "||BAx||^2", "wrt": "A"}`, "numpy", []string{"codegen", "--wrt", "A", "||BAx||^2"}},
		{`{"expr": "||BAx||^2"}`, "numpy", []string{"codegen", "||BAx||^2"}},
		{`{"expr": "x^T S x", "wrt": "d2/dx2", "sym": ["S"], "lang": "eigen", "check": true}`, "eigen",
			[]string{"codegen", "--lang", "eigen", "--wrt", "x", "--hessian", "x", "--sym", "S", "--check", "x^T S x"}},
		{`{"expr": "A x", "wrt": "x^T", "lang": "torch", "name": "g"}`, "torch", []string{"codegen", "--lang", "torch", "--wrt", "x", "--name", "g", "A x"}},
	} {
		status, got := postTo(t, s.URL, "/api/codegen", c.body)
		code, _, exit := run("", c.args...)
		var a struct{ Lang, Code string }
		if err := json.Unmarshal([]byte(got), &a); err != nil || status != 200 || exit != 0 || a.Lang != c.lang || a.Code != code {
			t.Errorf("%s: %d %.300s\nwant the code of matdiff %v (exit %d):\n%.300s", c.body, status, got, c.args, exit, code)
		}
	}
	for _, c := range []struct {
		body   string
		status int
		want   string
	}{
		{`{"expr": "x A"}`, 400, `{"error":"shape error at column 3: x is a column vector (m×1) and cannot left-multiply the matrix A (n×p); did you mean x^T A?","column":3}`},
		{`{"expr": "x^T x", "lang": "cobol"}`, 400, `{"error":"invalid argument \"cobol\" for \"--lang\" flag: must be one of numpy, torch, eigen","column":null}`},
		{`{"expr": "x^T x", "steps": true}`, 400, `{"error":"\"steps\" is not an option of /api/codegen","column":null}`},
		{`{"wrt": "x"}`, 400, `{"error":"missing \"expr\"; a request is at least {\"expr\": \"x^T x\"}","column":null}`},
	} {
		if status, got := postTo(t, s.URL, "/api/codegen", c.body); status != c.status || got != c.want {
			t.Errorf("%s: %d %s\nwant %d %s", c.body, status, got, c.status, c.want)
		}
	}
}

func TestServeExposed(t *testing.T) {
	for _, c := range []struct {
		ip   string
		want bool
	}{{"127.0.0.1", false}, {"127.0.0.2", false}, {"::1", false}, {"0.0.0.0", true}, {"::", true}, {"192.168.1.10", true}} {
		if got := exposed(&net.TCPAddr{IP: net.ParseIP(c.ip), Port: 8080}); got != c.want {
			t.Errorf("exposed(%s) = %v, want %v", c.ip, got, c.want)
		}
	}
}
