package serve

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// web is the page and what it loads: no file outside it is ever served.
//
//go:embed web
var web embed.FS

// contentTypes are the types of the embedded files, by extension.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".woff2": "font/woff2",
	".png":   "image/png",
	".svg":   "image/svg+xml",
}

// policy lets the page load only from the server itself; KaTeX sets
// inline styles.
const policy = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// static serves GET and HEAD of the embedded files: / is index.html, a
// file is served under its path in web/, anything else is 404.
func static(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, ok := embedded(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	b, err := fs.ReadFile(web, name)
	if err != nil { // a directory, or no such file
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentTypes[path.Ext(name)])
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", policy)
	h.Set("Referrer-Policy", "no-referrer")
	if strings.HasPrefix(name, "web/katex/") {
		h.Set("Cache-Control", "public, max-age=86400")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		w.Write(b)
	}
}

// embedded maps a URL path to the name of an embedded file; it refuses
// any path that is not already clean (.., //, a trailing /), and files
// of a type the server does not serve.
func embedded(p string) (string, bool) {
	if p == "/" {
		return "web/index.html", true
	}
	rel, ok := strings.CutPrefix(p, "/")
	if !ok || !fs.ValidPath(rel) || strings.Contains(rel, `\`) || strings.HasPrefix(path.Base(rel), ".") {
		return "", false
	}
	if _, ok := contentTypes[path.Ext(rel)]; !ok {
		return "", false
	}
	return "web/" + rel, true
}
