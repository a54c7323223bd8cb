package cmd

import (
	"context"
	"html"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/matdiff/matdiff/internal/chromium"
)

// The page of matdiff serve in headless Chromium. Without a browser the
// tests skip, and fail when CI is set.

func browser(t *testing.T) string {
	t.Helper()
	bin, err := chromium.Find()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set and %v", err)
		}
		t.Skip(err)
	}
	return bin
}

func pageURL(base string, q map[string]string) string {
	v := url.Values{}
	for k, x := range q {
		v.Set(k, x)
	}
	return base + "/?" + v.Encode()
}

var resultElement = regexp.MustCompile(`<pre id="result">([^<]*)</pre>`)

// A link reproduces a result: the page reads the request from its URL.
func TestServePageFromItsURL(t *testing.T) {
	bin := browser(t)
	s := newTestServer(t, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dom, err := chromium.DumpDOM(ctx, bin, s.URL+"/?wrt=A&expr=||BAx||^2", 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	m := resultElement.FindStringSubmatch(dom)
	if m == nil || html.UnescapeString(m[1]) != "2 B^T B A x x^T" {
		t.Fatalf("#result: %q, want 2 B^T B A x x^T; the page:\n%.3000s", m, dom)
	}
	if !strings.Contains(dom, `class="katex"`) || !strings.Contains(dom, `class="katex-display"`) {
		t.Errorf("no math typeset by KaTeX in the page:\n%.3000s", dom)
	}
	// The declarations and the layout come from the URL too.
	dom, err = chromium.DumpDOM(ctx, bin, pageURL(s.URL, map[string]string{"wrt": "x", "expr": "x^T S x + a^T x", "sym": "S", "layout": "numerator"}), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want, _, _ := run("", "d/dx", "x^T S x + a^T x", "--sym", "S", "--layout", "numerator")
	if m := resultElement.FindStringSubmatch(dom); m == nil || html.UnescapeString(m[1]) != strings.TrimSpace(want) {
		t.Errorf("#result: %q, want %q", m, strings.TrimSpace(want))
	}
	if !strings.Contains(dom, "<td>S</td><td>symmetric</td><td>m×m</td>") {
		t.Errorf("the shapes do not list S as symmetric m×m:\n%.3000s", dom)
	}
	// A warning is shown with the result.
	dom, err = chromium.DumpDOM(ctx, bin, pageURL(s.URL, map[string]string{"wrt": "x", "expr": "x - mu"}), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dom, "<li>warning: mu is a scalar by default") {
		t.Errorf("no warning in the page:\n%.3000s", dom)
	}
}

// Typing a new expression and pressing Enter updates the result, the
// math, the URL and, for an invalid one, the error with its caret.
func TestServePageTyping(t *testing.T) {
	bin := browser(t)
	s := newTestServer(t, 0)
	b, err := chromium.Launch(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p, err := b.Page()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.Navigate(s.URL + "/?wrt=A&expr=||BAx||^2"); err != nil {
		t.Fatal(err)
	}
	const result = `document.getElementById("result").textContent`
	if err := p.WaitFor(result+` === "2 B^T B A x x^T"`, 20*time.Second); err != nil {
		t.Fatal(err)
	}

	// typeInto replaces the text of a field by typing, as a user does.
	typeInto := func(id, text string) {
		t.Helper()
		if err := p.Eval(`(() => { const e = document.getElementById("`+id+`"); e.focus(); e.select(); })()`, nil); err != nil {
			t.Fatal(err)
		}
		if err := p.Type(text); err != nil {
			t.Fatal(err)
		}
	}
	typeInto("wrt", "x")
	typeInto("expr", "tr(x x^T A) + x^T B x")
	if err := p.Press("Enter"); err != nil {
		t.Fatal(err)
	}
	want, _, _ := run("", "d/dx", "tr(x x^T A) + x^T B x")
	if err := p.WaitFor(result+` === "`+strings.TrimSpace(want)+`"`, 20*time.Second); err != nil {
		var got string
		p.Eval(result, &got)
		t.Fatalf("%v (#result is %q)", err, got)
	}
	var n int
	if err := p.Eval(`document.querySelectorAll("#math .katex").length`, &n); err != nil || n == 0 {
		t.Errorf("the new result is not typeset (%d .katex, %v)", n, err)
	}
	var search string
	if err := p.Eval(`location.search`, &search); err != nil {
		t.Fatal(err)
	}
	q, _ := url.ParseQuery(strings.TrimPrefix(search, "?"))
	if q.Get("wrt") != "x" || q.Get("expr") != "tr(x x^T A) + x^T B x" {
		t.Errorf("the URL does not reproduce the request: %q", search)
	}

	// The generated code, in its tab.
	if codegenLang() != "" {
		if err := p.Eval(`document.getElementById("tab-code").click()`, nil); err != nil {
			t.Fatal(err)
		}
		if err := p.WaitFor(`document.getElementById("code").textContent.includes("def f(x, A, B)")`, 20*time.Second); err != nil {
			var got string
			p.Eval(`document.getElementById("code").textContent`, &got)
			t.Errorf("%v (#code is %.300q)", err, got)
		}
	}

	// An invalid expression: the error, its column and a caret.
	typeInto("expr", "x A")
	if err := p.Press("Enter"); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(`!document.getElementById("error").hidden`, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	var msg, caret string
	p.Eval(`document.getElementById("error-text").textContent`, &msg)
	p.Eval(`document.getElementById("error-caret").textContent`, &caret)
	if !strings.HasPrefix(msg, "shape error at column 3:") || caret != "  x A\n    ^" {
		t.Errorf("error %q, caret %q", msg, caret)
	}
}

// The page works with the keyboard alone: Tab walks the form in order to
// the tabs, the arrow keys move between the tabs; and it fits a phone's
// width without scrolling sideways.
func TestServePageKeyboardAndPhone(t *testing.T) {
	bin := browser(t)
	s := newTestServer(t, 0)
	b, err := chromium.Launch(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p, err := b.Page()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Call("Emulation.setDeviceMetricsOverride", map[string]any{"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": true}); err != nil {
		t.Fatal(err)
	}
	if err := p.Navigate(s.URL + "/?wrt=x&expr=x^T%20S%20x&sym=S"); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(`document.getElementById("result").textContent === "2 S x"`, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	var wide bool
	if err := p.Eval(`document.documentElement.scrollWidth > window.innerWidth`, &wide); err != nil || wide {
		var w []int
		p.Eval(`[document.documentElement.scrollWidth, window.innerWidth]`, &w)
		t.Errorf("the page is wider than a phone's screen: %v (%v)", w, err)
	}

	if err := p.Eval(`document.activeElement.blur()`, nil); err != nil {
		t.Fatal(err)
	}
	want := []string{"wrt", "expr", "sym", "scalar", "vector", "matrix", "layout", "cse", "check", "go", "tab-text", "panel-text"}
	var got []string
	for range want {
		if err := p.Press("Tab"); err != nil {
			t.Fatal(err)
		}
		var id string
		p.Eval(`document.activeElement.id`, &id)
		got = append(got, id)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Tab visits %v, want %v", got, want)
	}
	var labelled bool
	p.Eval(`Array.from(document.querySelectorAll("input, select")).every(e => e.labels && e.labels.length > 0)`, &labelled)
	if !labelled {
		t.Errorf("a field has no label")
	}

	// From the Text tab, the right arrow opens LaTeX.
	if err := p.Eval(`document.getElementById("tab-text").focus()`, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Call("Input.dispatchKeyEvent", map[string]any{"type": "keyDown", "key": "ArrowRight", "code": "ArrowRight", "windowsVirtualKeyCode": 39}); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(`document.activeElement.id === "tab-latex" && !document.getElementById("panel-latex").hidden && document.getElementById("panel-text").hidden`, 5*time.Second); err != nil {
		t.Error(err)
	}
	var latex string
	p.Eval(`document.getElementById("latex").textContent`, &latex)
	if latex != `2 \mathbf{S} \mathbf{x}` {
		t.Errorf("LaTeX tab: %q", latex)
	}
}
