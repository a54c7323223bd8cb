package codegen_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/codegen"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/eval"
	"github.com/matdiff/matdiff/internal/pipeline"
)

// job is one generated function with the numbers it must reproduce, all
// computed here by package eval: the value, and the derivative along a
// random direction E by central differences (of the expression for a
// gradient, of the closed-form gradient for a Hessian, where it is the
// vector H E).
type job struct {
	ID      int       `json:"id"`
	What    string    `json:"what"`
	Source  string    `json:"source"`
	Func    string    `json:"func"`
	Args    []any     `json:"args"`
	Value   float64   `json:"value"`
	E       any       `json:"e"`
	FD      []float64 `json:"fd"`
	Hessian bool      `json:"hessian"`
	// Bad are arguments with one inconsistent size (nil: none), which
	// must raise ValueError / throw std::invalid_argument.
	Bad []any `json:"bad"`

	info *ast.Info
}

// jobResult is what the runner reports for a job.
type jobResult struct {
	ID  int    `json:"id"`
	OK  bool   `json:"ok"`
	Msg string `json:"msg"`
}

// request is one derivative to generate code for.
type request struct {
	what  string
	src   string
	decls ast.Decls
	wrt   string
	order int
}

// value converts a gonum value to the JSON of a parameter: a number, a
// list or a list of rows.
func value(m *mat.Dense, s ast.Shape) any {
	r, c := m.Dims()
	switch {
	case s.IsScalar():
		return m.At(0, 0)
	case s.Rows.IsOne() || s.Cols.IsOne():
		out := make([]float64, 0, r*c)
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				out = append(out, m.At(i, j))
			}
		}
		return out
	}
	out := make([][]float64, r)
	for i := range out {
		out[i] = make([]float64, c)
		for j := range out[i] {
			out[i][j] = m.At(i, j)
		}
	}
	return out
}

func flat(m *mat.Dense) []float64 {
	r, c := m.Dims()
	out := make([]float64, 0, r*c)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			out = append(out, m.At(i, j))
		}
	}
	return out
}

// richardson is the central difference of f along E at h and h/2,
// extrapolated.
func richardson(f ast.Expr, info *ast.Info, in *eval.Instance, wrt string, E *mat.Dense) (*mat.Dense, error) {
	d1, err := eval.Directional(f, info, in, wrt, E, 1e-4)
	if err != nil {
		return nil, err
	}
	d2, err := eval.Directional(f, info, in, wrt, E, 5e-5)
	if err != nil {
		return nil, err
	}
	var out mat.Dense
	out.Scale(4, d2)
	out.Sub(&out, d1)
	out.Scale(1.0/3, &out)
	return &out, nil
}

func maxAbs(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m = math.Max(m, math.Abs(x))
	}
	return m
}

// makeJob generates the code of r in lang and draws its numbers. It
// returns nil (and a reason) when no instance inside the expression's
// domain, away from kinks, is found.
func makeJob(t *testing.T, id int, r request, lang string) (*job, string) {
	t.Helper()
	typed, err := pipeline.Parse(r.src, pipeline.Options{Decls: r.decls})
	if err != nil {
		t.Fatalf("%s: %v", r.what, err)
	}
	info := typed.Info
	opts := codegen.Options{Lang: lang, Decls: r.decls, Wrt: []string{r.wrt}, Name: fmt.Sprintf("f%d", id)}
	req := derive.Request{Wrt: r.wrt, Order: 1}
	if r.order == 2 {
		opts.Hessian = r.wrt
		req.Order = 2
	}
	src, err := codegen.Generate(r.src, opts)
	if err != nil {
		return nil, "codegen: " + err.Error()
	}
	d, err := typed.Derive(req)
	if err != nil {
		t.Fatalf("%s: %v", r.what, err)
	}
	rng := rand.New(rand.NewPCG(uint64(id), 99))
	for try := 0; try < 30; try++ {
		in := eval.NewInstance(info, rng)
		E := eval.RandomDirection(info, in, r.wrt, rng)
		v, err := eval.Eval(typed.Expr, info, in)
		if err != nil {
			continue
		}
		f := typed.Expr
		if r.order == 2 {
			f = d.Gradient
		}
		fd, err := richardson(f, info, in, r.wrt, E)
		if err != nil {
			continue
		}
		// Skip points where the closed form disagrees with the differences
		// (a kink nearby): the code is compared with the differences.
		g, err := eval.Eval(d.Result, info, in)
		if err != nil {
			continue
		}
		var pred []float64
		if r.order == 2 {
			var he mat.Dense
			if gr, gc := g.Dims(); gr == 1 && gc == 1 {
				he.Scale(g.At(0, 0), E)
			} else {
				he.Mul(g, E)
			}
			pred = flat(&he)
		} else {
			pred = []float64{eval.Inner(g, E)}
		}
		want := flat(fd)
		diff := 0.0
		for i := range want {
			diff = math.Max(diff, math.Abs(pred[i]-want[i]))
		}
		if diff > 1e-7*math.Max(1, maxAbs(want)) {
			continue
		}
		j := &job{ID: id, What: r.what, Source: src, Func: opts.Name, Value: v.At(0, 0), FD: want, Hessian: r.order == 2, info: info}
		for _, name := range info.Order {
			j.Args = append(j.Args, value(in.Values[name], info.Vars[name].Shape))
		}
		j.E = value(E, info.Vars[r.wrt].Shape)
		j.Bad = badArgs(info, in, lang)
		return j, ""
	}
	return nil, "no instance inside the domain"
}

// badArgs are the arguments with one size changed so that an equality of
// sizes the expression implies fails; for Python, when no size is shared,
// a vector or scalar gets one dimension more. nil when neither applies.
func badArgs(info *ast.Info, in *eval.Instance, lang string) []any {
	type side struct {
		name string
		cols bool
	}
	count := map[int]int{}
	var last side
	for _, name := range info.Order {
		s := info.Vars[name].Shape
		for _, sd := range []side{{name, false}, {name, true}} {
			d := s.Rows
			if sd.cols {
				d = s.Cols
			}
			if len(d) != 1 {
				continue
			}
			count[d[0]]++
			if count[d[0]] >= 2 {
				last = sd
			}
		}
	}
	args := func(change func(name string, v *mat.Dense, s ast.Shape) any) []any {
		var out []any
		for _, name := range info.Order {
			out = append(out, change(name, in.Values[name], info.Vars[name].Shape))
		}
		return out
	}
	if last.name != "" {
		return args(func(name string, v *mat.Dense, s ast.Shape) any {
			if name != last.name {
				return value(v, s)
			}
			r, c := v.Dims()
			if last.cols {
				c++
			} else {
				r++
			}
			w := mat.NewDense(r, c, nil)
			for i := 0; i < r; i++ {
				for j := 0; j < c; j++ {
					w.Set(i, j, 0.75)
				}
			}
			w.Copy(v)
			return value(w, s)
		})
	}
	if lang == "eigen" {
		return nil
	}
	first := ""
	for _, name := range info.Order {
		if !info.Vars[name].Shape.IsMatrix() {
			first = name
			break
		}
	}
	if first == "" {
		return nil
	}
	return args(func(name string, v *mat.Dense, s ast.Shape) any {
		x := value(v, s)
		if name == first {
			return []any{x}
		}
		return x
	})
}

// pyRunner runs jobs: one line of JSON per job on standard output.
const pyRunner = `
import json, sys, traceback
lang = sys.argv[2]
if lang == "torch":
    import torch
    def arr(x):
        return torch.tensor(x, dtype=torch.float64) if isinstance(x, list) else x
    def nums(x):
        return [float(v) for v in torch.as_tensor(x, dtype=torch.float64).reshape(-1)]
else:
    import numpy as np
    def arr(x):
        return np.array(x, dtype=np.float64) if isinstance(x, list) else x
    def nums(x):
        return [float(v) for v in np.ravel(np.asarray(x, dtype=np.float64))]

def close(got, want, tol):
    scale = max([1.0] + [abs(w) for w in want])
    return len(got) == len(want) and all(abs(g - w) <= tol * scale for g, w in zip(got, want))

for job in json.load(open(sys.argv[1])):
    res = {"id": job["id"], "ok": False, "msg": ""}
    try:
        ns = {}
        exec(compile(job["source"], job["what"], "exec"), ns)
        fn = ns[job["func"]]
        out = fn(*[arr(a) for a in job["args"]])
        value, grads = out[0], out[1]
        e = nums(job["e"])
        if not close(nums(value), [job["value"]], 1e-8):
            res["msg"] = "value %r, want %r" % (nums(value), job["value"])
        elif job["hessian"]:
            h = nums(out[2])
            n = len(e)
            he = [sum(h[i * n + k] * e[k] for k in range(n)) for i in range(n)]
            if not close(he, job["fd"], 1e-6):
                res["msg"] = "Hessian times E is %r, finite differences give %r" % (he, job["fd"])
        else:
            g = nums(grads[0])
            d = sum(a * b for a, b in zip(g, e))
            if len(g) != len(e) or not close([d], job["fd"], 1e-6):
                res["msg"] = "gradient along E is %r, finite differences give %r (gradient %r)" % (d, job["fd"], g)
        if not res["msg"] and job["bad"] is not None:
            try:
                fn(*[arr(a) for a in job["bad"]])
                res["msg"] = "inconsistent sizes were accepted"
            except ValueError as err:
                res["size_error"] = str(err)
        res["ok"] = not res["msg"]
    except Exception:
        res["msg"] = traceback.format_exc()
    print(json.dumps(res), flush=True)
`

// runPython runs the jobs with the interpreter and reports failures.
func runPython(t *testing.T, lang string, jobs []*job) {
	t.Helper()
	dir := t.TempDir()
	data, err := json.Marshal(jobs)
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "jobs.json")
	runner := filepath.Join(dir, "runner.py")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(runner, []byte(pyRunner), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python(), runner, in, lang)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", python(), err, stderr.String())
	}
	report(t, jobs, out)
}

// report matches the runner's lines to the jobs.
func report(t *testing.T, jobs []*job, out []byte) {
	t.Helper()
	byID := map[int]*job{}
	for _, j := range jobs {
		byID[j.ID] = j
	}
	seen := map[int]bool{}
	for _, line := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var r jobResult
		if err := json.Unmarshal(line, &r); err != nil {
			t.Errorf("runner printed %q", line)
			continue
		}
		seen[r.ID] = true
		if !r.OK {
			j := byID[r.ID]
			t.Errorf("%s: %s\n%s", j.What, r.Msg, j.Source)
		}
	}
	for _, j := range jobs {
		if !seen[j.ID] {
			t.Errorf("%s: no result from the runner", j.What)
		}
	}
}

// cppValue writes a parameter's value as C++.
func cppValue(name string, v any) string {
	num := func(x float64) string { return strconv.FormatFloat(x, 'g', 17, 64) }
	switch v := v.(type) {
	case float64:
		return fmt.Sprintf("double %s = %s;", name, num(v))
	case []float64:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = num(x)
		}
		return fmt.Sprintf("Eigen::VectorXd %s(%d); %s << %s;", name, len(v), name, strings.Join(parts, ", "))
	case [][]float64:
		var parts []string
		for _, row := range v {
			for _, x := range row {
				parts = append(parts, num(x))
			}
		}
		return fmt.Sprintf("Eigen::MatrixXd %s(%d, %d); %s << %s;", name, len(v), len(v[0]), name, strings.Join(parts, ", "))
	}
	panic(fmt.Sprintf("cppValue %T", v))
}

// runEigen compiles the jobs into two programs, concurrently (Eigen's
// templates make compiling the slow part), and runs them.
func runEigen(t *testing.T, jobs []*job) {
	t.Helper()
	half := len(jobs) / 2
	parts := [][]*job{jobs[:half], jobs[half:]}
	outs := make([][]byte, len(parts))
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, part := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i], errs[i] = buildEigen(t.TempDir(), part)
		}()
	}
	wg.Wait()
	var all []byte
	for i := range parts {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		all = append(all, outs[i]...)
	}
	report(t, jobs, all)
}

// buildEigen compiles the jobs into one program in dir and runs it.
func buildEigen(dir string, jobs []*job) ([]byte, error) {
	var prog strings.Builder
	prog.WriteString("#include <cstdio>\n#include <cmath>\n#include <algorithm>\n")
	for _, j := range jobs {
		h := fmt.Sprintf("job%d.h", j.ID)
		if err := os.WriteFile(filepath.Join(dir, h), []byte(j.Source), 0o644); err != nil {
			return nil, err
		}
		fmt.Fprintf(&prog, "#include %q\n", h)
	}
	prog.WriteString(`
static void emit(int id, const char* msg) {
  std::printf("{\"id\": %d, \"ok\": %s, \"msg\": \"%s\"}\n", id, msg[0] ? "false" : "true", msg);
}
static bool close(double got, double want, double tol, double scale) {
  return std::abs(got - want) <= tol * std::max(1.0, scale);
}
static double flat(double x) { return x; }
`)
	for _, j := range jobs {
		fmt.Fprintf(&prog, "static void run%d() {\n", j.ID)
		var names []string
		for i, a := range j.Args {
			n := fmt.Sprintf("a%d", i)
			names = append(names, n)
			fmt.Fprintf(&prog, "  %s\n", cppValue(n, a))
		}
		fmt.Fprintf(&prog, "  %s\n", cppValue("e", j.E))
		fmt.Fprintf(&prog, "  const auto r = %s(%s);\n", j.Func, strings.Join(names, ", "))
		fmt.Fprintf(&prog, "  if (!close(r.value, %s, 1e-8, std::abs(%s))) { emit(%d, \"wrong value\"); return; }\n",
			strconv.FormatFloat(j.Value, 'g', 17, 64), strconv.FormatFloat(j.Value, 'g', 17, 64), j.ID)
		fd := make([]string, len(j.FD))
		for i, x := range j.FD {
			fd[i] = strconv.FormatFloat(x, 'g', 17, 64)
		}
		scale := strconv.FormatFloat(maxAbs(j.FD), 'g', 17, 64)
		member := "grad_"
		if j.Hessian {
			member = "hessian_"
		}
		gm := "r." + member + memberName(j)
		switch {
		case j.Hessian:
			if _, ok := j.E.(float64); ok {
				fmt.Fprintf(&prog, "  const double he[] = {%s * e};\n", gm)
			} else {
				fmt.Fprintf(&prog, "  const Eigen::VectorXd hv = %s * e;\n  const double* he = hv.data();\n", gm)
			}
			fmt.Fprintf(&prog, "  const double fd[] = {%s};\n", strings.Join(fd, ", "))
			fmt.Fprintf(&prog, "  for (int i = 0; i < %d; ++i) if (!close(he[i], fd[i], 1e-6, %s)) { emit(%d, \"wrong Hessian\"); return; }\n", len(fd), scale, j.ID)
		default:
			if _, ok := j.E.(float64); ok {
				fmt.Fprintf(&prog, "  const double d = %s * e;\n", gm)
			} else {
				fmt.Fprintf(&prog, "  const double d = %s.cwiseProduct(e).sum();\n", gm)
			}
			fmt.Fprintf(&prog, "  if (!close(d, %s, 1e-6, %s)) { emit(%d, \"wrong gradient\"); return; }\n", fd[0], scale, j.ID)
		}
		if j.Bad != nil {
			var bad []string
			for i, a := range j.Bad {
				n := fmt.Sprintf("b%d", i)
				bad = append(bad, n)
				fmt.Fprintf(&prog, "  %s\n", cppValue(n, a))
			}
			fmt.Fprintf(&prog, "  try { %s(%s); emit(%d, \"inconsistent sizes were accepted\"); return; } catch (const std::invalid_argument&) {}\n",
				j.Func, strings.Join(bad, ", "), j.ID)
		}
		fmt.Fprintf(&prog, "  emit(%d, \"\");\n}\n", j.ID)
	}
	prog.WriteString("int main() {\n")
	for _, j := range jobs {
		fmt.Fprintf(&prog, "  run%d();\n", j.ID)
	}
	prog.WriteString("}\n")
	src := filepath.Join(dir, "main.cpp")
	if err := os.WriteFile(src, []byte(prog.String()), 0o644); err != nil {
		return nil, err
	}
	bin := filepath.Join(dir, "main")
	args := []string{"-std=c++17", "-O0", "-w", "-I" + eigenInclude(), "-I" + dir, src, "-o", bin}
	// Compiled programs are cached by the hash of their sources and the
	// command line, as Go caches builds: compiling Eigen is slow.
	var key strings.Builder
	fmt.Fprintln(&key, cxx(), strings.Join(args[:4], " "), prog.String())
	for _, j := range jobs {
		fmt.Fprintln(&key, j.Source)
	}
	cached, ok := cachedBinary(key.String())
	if ok {
		bin = cached
	}
	cc := exec.Command(cxx(), args...)
	if bin == cached {
		cc = exec.Command("true")
	}
	if out, err := cc.CombinedOutput(); err != nil {
		msg := string(out)
		if len(msg) > 20000 {
			msg = msg[:20000]
		}
		return nil, fmt.Errorf("%s: %v\n%s", cxx(), err, msg)
	}
	if bin != cached {
		keepBinary(bin, cached)
	}
	out, err := exec.Command(bin).Output()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", bin, err)
	}
	return out, nil
}

// memberName is the C++ identifier of the job's variable, as codegen
// spells it: the name with a trailing underscore when it is a keyword.
func memberName(j *job) string {
	// The variable is the one with the direction: find it in the source.
	marker := "grad_"
	if j.Hessian {
		marker = "hessian_"
	}
	for _, line := range strings.Split(j.Source, "\n") {
		line = strings.TrimSpace(line)
		if k := strings.Index(line, " "+marker); k >= 0 && strings.HasSuffix(strings.Fields(line)[1], ";") {
			return strings.TrimSuffix(strings.TrimPrefix(strings.Fields(line)[1], marker), ";")
		}
	}
	return "?"
}
