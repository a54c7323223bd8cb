// Package golden compares test output with golden files under testdata/
// and rewrites them when a test runs with -update, so that every golden
// file of the project behaves the same way. It is imported by tests only.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Update is the -update flag: rewrite the golden files instead of
// comparing with them.
var Update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// maxDiffs is how many differing lines a failure shows.
const maxDiffs = 10

// Check compares got with the file at path, or writes it there under
// -update. A difference is reported line by line.
func Check(t testing.TB, path, got string) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if string(want) == got {
		return
	}
	wl, gl := strings.Split(string(want), "\n"), strings.Split(got, "\n")
	shown := 0
	for i := 0; (i < len(wl) || i < len(gl)) && shown < maxDiffs; i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			t.Errorf("%s:%d:\n got: %s\nwant: %s", path, i+1, g, w)
			shown++
		}
	}
	t.Errorf("%s differs from the output (check the change, then rewrite it with -update)", path)
}
