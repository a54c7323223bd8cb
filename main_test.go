package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeadcodeElimination builds matdiff and checks that it does not
// link reflect's MethodByName, which a text/template (such as a cobra
// template) brings in: with it the linker keeps every exported method of
// every type, and the binary grows by a third, its start-up with it.
func TestDeadcodeElimination(t *testing.T) {
	if testing.Short() {
		t.Skip("builds matdiff")
	}
	bin := filepath.Join(t.TempDir(), "matdiff")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(build.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command("go", "tool", "nm", bin).CombinedOutput()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	if strings.Contains(string(out), "MethodByName") {
		t.Error("matdiff links reflect.Value.MethodByName (a text/template?): the linker cannot drop unused exported methods")
	}
}
