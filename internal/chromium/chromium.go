// Package chromium drives headless Chromium for the tests of matdiff
// serve's page: the DOM of a page after its scripts ran, and a session of
// the DevTools protocol (over a WebSocket of the standard library) that
// types into the page and reads it back.
package chromium

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Find returns the Chromium binary: $MATDIFF_CHROMIUM, or chromium,
// chromium-browser or google-chrome on PATH.
func Find() (string, error) {
	if p := os.Getenv("MATDIFF_CHROMIUM"); p != "" {
		return exec.LookPath(p)
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no chromium on PATH (Debian: apt-get install chromium; or set MATDIFF_CHROMIUM)")
}

// flags are those of every run: headless, without a sandbox (CI runs as
// root), without the first-run chores.
func flags(profile string) []string {
	return []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--no-first-run", "--no-default-browser-check", "--disable-extensions",
		"--disable-background-networking", "--user-data-dir=" + profile,
	}
}

// DumpDOM returns the DOM of url once its scripts have run for at most
// budget of virtual time.
func DumpDOM(ctx context.Context, bin, url string, budget time.Duration) (string, error) {
	profile, err := os.MkdirTemp("", "matdiff-chromium-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(profile)
	args := append(flags(profile), fmt.Sprintf("--virtual-time-budget=%d", budget.Milliseconds()), "--dump-dom", url)
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s --dump-dom: %v\n%s", bin, err, stderr.String())
	}
	return string(out), nil
}

// Browser is a running headless Chromium with its DevTools endpoint.
type Browser struct {
	cmd     *exec.Cmd
	profile string
	base    string // http://127.0.0.1:port
	wait    chan error
}

var listening = regexp.MustCompile(`DevTools listening on ws://([^/\s]+)/`)

// Launch starts Chromium with remote debugging on a free port of
// 127.0.0.1.
func Launch(bin string) (*Browser, error) {
	profile, err := os.MkdirTemp("", "matdiff-chromium-")
	if err != nil {
		return nil, err
	}
	args := append(flags(profile), "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank")
	cmd := exec.Command(bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(profile)
		return nil, err
	}
	b := &Browser{cmd: cmd, profile: profile, wait: make(chan error, 1)}
	found := make(chan string, 1)
	var log strings.Builder
	var mu sync.Mutex
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			mu.Lock()
			log.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		b.wait <- cmd.Wait()
	}()
	select {
	case host := <-found:
		b.base = "http://" + host
		return b, nil
	case <-time.After(30 * time.Second):
	}
	b.Close()
	mu.Lock()
	defer mu.Unlock()
	return nil, fmt.Errorf("chromium did not open its DevTools endpoint within 30 s:\n%s", log.String())
}

// Close stops the browser.
func (b *Browser) Close() {
	if b.cmd.Process != nil {
		b.cmd.Process.Kill()
		select {
		case <-b.wait:
		case <-time.After(10 * time.Second):
		}
	}
	os.RemoveAll(b.profile)
}

// Page is a DevTools session with one tab.
type Page struct {
	ws     *wsConn
	nextID int
}

// Page opens the browser's first tab.
func (b *Browser) Page() (*Page, error) {
	res, err := http.Get(b.base + "/json/list")
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var targets []struct {
		Type string `json:"type"`
		WS   string `json:"webSocketDebuggerUrl"`
	}
	if err := json.NewDecoder(res.Body).Decode(&targets); err != nil {
		return nil, err
	}
	for _, t := range targets {
		if t.Type == "page" && t.WS != "" {
			ws, err := dialWS(t.WS, 10*time.Second)
			if err != nil {
				return nil, err
			}
			return &Page{ws: ws}, nil
		}
	}
	return nil, errors.New("chromium has no page to attach to")
}

// Close ends the session.
func (p *Page) Close() error { return p.ws.close() }

// Call sends a DevTools command and returns its result; events that
// arrive meanwhile are dropped.
func (p *Page) Call(method string, params any) (json.RawMessage, error) {
	p.nextID++
	id := p.nextID
	msg, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return nil, err
	}
	p.ws.conn.SetDeadline(time.Now().Add(30 * time.Second))
	defer p.ws.conn.SetDeadline(time.Time{})
	if err := p.ws.write(msg); err != nil {
		return nil, err
	}
	for {
		b, err := p.ws.read()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", method, err)
		}
		var r struct {
			ID     int             `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  *struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, err
		}
		if r.ID != id {
			continue
		}
		if r.Error != nil {
			return nil, fmt.Errorf("%s: %s", method, r.Error.Message)
		}
		return r.Result, nil
	}
}

// Navigate opens url in the page.
func (p *Page) Navigate(url string) error {
	_, err := p.Call("Page.navigate", map[string]any{"url": url})
	return err
}

// Eval evaluates a JavaScript expression in the page and decodes its
// value into v.
func (p *Page) Eval(expr string, v any) error {
	raw, err := p.Call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true})
	if err != nil {
		return err
	}
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		Exception *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return err
	}
	if r.Exception != nil {
		return fmt.Errorf("%s: %s", expr, r.Exception.Text)
	}
	if v == nil || len(r.Result.Value) == 0 {
		return nil
	}
	return json.Unmarshal(r.Result.Value, v)
}

// Type inserts text at the focus, as typing it does.
func (p *Page) Type(text string) error {
	_, err := p.Call("Input.insertText", map[string]any{"text": text})
	return err
}

// Press presses and releases a key: "Enter", "Tab".
func (p *Page) Press(key string) error {
	codes := map[string]int{"Enter": 13, "Tab": 9}
	texts := map[string]string{"Enter": "\r"}
	code, ok := codes[key]
	if !ok {
		return fmt.Errorf("Press: unknown key %q", key)
	}
	down := map[string]any{"type": "keyDown", "key": key, "code": key, "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code}
	if t := texts[key]; t != "" {
		down["text"] = t
		down["unmodifiedText"] = t
	}
	if _, err := p.Call("Input.dispatchKeyEvent", down); err != nil {
		return err
	}
	_, err := p.Call("Input.dispatchKeyEvent", map[string]any{"type": "keyUp", "key": key, "code": key, "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code})
	return err
}

// WaitFor evaluates a JavaScript expression until it is true, for at most
// timeout.
func (p *Page) WaitFor(expr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		var ok bool
		err := p.Eval("Boolean("+expr+")", &ok)
		if err == nil && ok {
			return nil
		}
		if time.Now().After(deadline) {
			if err != nil {
				return fmt.Errorf("waiting for %s: %v", expr, err)
			}
			return fmt.Errorf("waiting for %s: still false after %v", expr, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
