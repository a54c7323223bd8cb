package codegen_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The generated code is run by the toolchains it targets: Python 3 with
// NumPy, with PyTorch, and g++ with Eigen 3.4. Without one the tests
// skip with a message, except under CI, where a missing toolchain fails.

// python is the interpreter: $MATDIFF_PYTHON, else /usr/bin/python3
// (Debian's, which has python3-numpy and python3-torch), else python3.
func python() string {
	if p := os.Getenv("MATDIFF_PYTHON"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		return "/usr/bin/python3"
	}
	return "python3"
}

// need skips the test (fails it under CI) when ok is false.
func need(t *testing.T, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing (CI is set, so this fails; .ci/run installs it)", what)
	}
	t.Skipf("%s is missing; skipping (install it, or set MATDIFF_PYTHON / CXX / EIGEN_INCLUDE)", what)
}

// havePython reports whether the interpreter imports the module.
func havePython(module string) bool {
	return exec.Command(python(), "-c", "import "+module).Run() == nil
}

// cxx is the C++ compiler: $CXX, else g++.
func cxx() string {
	if c := os.Getenv("CXX"); c != "" {
		return c
	}
	return "g++"
}

// eigenInclude is Eigen's include directory: $EIGEN_INCLUDE, else
// /usr/include/eigen3.
func eigenInclude() string {
	if d := os.Getenv("EIGEN_INCLUDE"); d != "" {
		return d
	}
	return "/usr/include/eigen3"
}

func haveEigen() bool {
	if _, err := exec.LookPath(cxx()); err != nil {
		return false
	}
	_, err := os.Stat(filepath.Join(eigenInclude(), "Eigen", "Dense"))
	return err == nil
}

func needLang(t *testing.T, lang string) {
	t.Helper()
	switch lang {
	case "numpy":
		need(t, havePython("numpy"), python()+" with numpy")
	case "torch":
		need(t, havePython("torch"), python()+" with torch")
	case "eigen":
		need(t, haveEigen(), cxx()+" with Eigen ("+eigenInclude()+")")
	}
}

// cachedBinary is where a program compiled from what key hashes is kept
// between test runs ("" without a cache directory), and whether it is
// there: compiling Eigen is slow, so compiled programs are cached by the
// hash of their sources and command line, as Go caches builds.
func cachedBinary(key string) (string, bool) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", false
	}
	sum := sha256.Sum256([]byte(key))
	path := filepath.Join(d, "matdiff-codegen-test", hex.EncodeToString(sum[:]))
	_, err = os.Stat(path)
	return path, err == nil
}

// keepBinary copies the compiled bin to its cache path, if any.
func keepBinary(bin, cached string) {
	if cached == "" || os.MkdirAll(filepath.Dir(cached), 0o755) != nil {
		return
	}
	if data, err := os.ReadFile(bin); err == nil && os.WriteFile(cached+".tmp", data, 0o755) == nil {
		_ = os.Rename(cached+".tmp", cached)
	}
}
