package codegen

import (
	"fmt"
	"strings"

	"github.com/matdiff/matdiff/ast"
)

// The self-test (--check) draws random inputs of random consistent
// sizes as `matdiff check` does (sizes 2 to 5; vectors and scalars in
// [0.5, 1.5]; matrices with entries of magnitude 0.1 to 1 and a random
// sign, plus (n+1) I when square; symmetric ones symmetrised first),
// compares every derivative along a random direction with a central
// difference of the function (Richardson-extrapolated), and prints
// `max relative error … : ok` or MISMATCH (exit status 3).

// dimList prints a dimension as a list of base-dimension indices (0-based
// into the drawn sizes).
func dimList(d ast.Dim) string {
	var parts []string
	for _, id := range d {
		parts = append(parts, fmt.Sprint(id-1))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// varKind is how the self-test draws a variable: scalar, vector, matrix,
// square or sym.
func varKind(v param) string {
	switch {
	case v.scalar():
		return "scalar"
	case v.vector():
		return "vector"
	case v.kind == ast.KindSymmetric:
		return "sym"
	case v.shape.IsSquare():
		return "square"
	}
	return "matrix"
}

const pySelfTest = `

if __name__ == "__main__":
    import sys
    import random

    _VARS = [%s]
    _WRT = [%s]
    _HESSIAN = %s
    _NDIMS = %d
    _rng = random.Random(1)
%s
    # The parts of the value that vary with a variable, where they are not
    # the value: their differences keep the digits a large constant takes.
    _PARTS = {%s}

    def _draw_sizes():
        sizes = []
        while len(sizes) < _NDIMS:
            perm = [2, 3, 4, 5]
            _rng.shuffle(perm)
            sizes += perm
        return sizes

    def _size(sizes, dims):
        n = 1
        for d in dims:
            n *= sizes[d]
        return n

    # After ten draws outside the domain (log(X), sqrt(X)) the matrices
    # are drawn with positive entries.
    _positive = [False]

    def _signed():
        m = 0.1 + 0.9 * _rng.random()
        return -m if not _positive[0] and _rng.random() < 0.5 else m

    def _draw(kind, r, c):
        if kind == "scalar":
            return 0.5 + _rng.random()
        if kind == "vector":
            return [0.5 + _rng.random() for _ in range(r)]
        a = [[_signed() for _ in range(c)] for _ in range(r)]
        if kind == "sym":
            for i in range(r):
                for j in range(i):
                    a[i][j] = a[j][i]
        if kind in ("sym", "square"):
            for i in range(r):
                a[i][i] += r + 1
        return a

    def _direction(kind, r, c):
        if kind == "scalar":
            return 2 * _rng.random() - 1
        if kind == "vector":
            return [2 * _rng.random() - 1 for _ in range(r)]
        e = [[2 * _rng.random() - 1 for _ in range(c)] for _ in range(r)]
        if kind == "sym":
            e = [[(e[i][j] + e[j][i]) / 2 for j in range(c)] for i in range(r)]
        return e

%s
    def _rel(pred, fd):
        d, m = _flat(pred), _flat(fd)
        err = max(abs(a - b) for a, b in zip(d, m))
        return err / max(1.0, max(abs(b) for b in m))

    def _fd(phi, h):
        def central(h):
            return [(a - b) / (2 * h) for a, b in zip(_flat(phi(h)), _flat(phi(-h)))]
        d1, d2 = central(h), central(h / 2)
        return [(4 * b - a) / 3 for a, b in zip(d1, d2)]

    def _fd2(phi, h):
        def second(h):
            return [(a - 2 * b + c) / (h * h) for a, b, c in zip(_flat(phi(h)), _flat(phi(0.0)), _flat(phi(-h)))]
        d1, d2 = second(h), second(h / 2)
        return [(4 * b - a) / 3 for a, b in zip(d1, d2)]

    def _err(pred, phi, fd, h, refinements):
        # Where the differences miss the tolerance they are taken again at
        # steps 8, 64, ... times smaller: a function that varies fast
        # converges only there, and a wrong derivative stays wrong.
        best = _rel(pred, fd(phi, h))
        for _ in range(refinements):
            if best <= 1e-6:
                break
            h /= 8
            best = min(best, _rel(pred, fd(phi, h)))
        return best

    worst, draws, tries = 0.0, 0, 0
    while draws < 3 and tries < 150:
        if draws == 0 and tries == 10:
            _positive[0] = True
        tries += 1
        sizes = _draw_sizes()
        vals = {}
        kinds = {}
        for name, kind, rows, cols in _VARS:
            r, c = _size(sizes, rows), _size(sizes, cols)
            kinds[name] = (kind, r, c)
            vals[name] = _draw(kind, r, c)
        args = [_arg(vals[name]) for name, _, _, _ in _VARS]
        try:
            out = %s(*args)
        except Exception:
            continue
        if not all(_finite(x) for x in _flat(out[0])):
            continue
        errs = []
        for i, name in enumerate(_WRT):
            kind, r, c = kinds[name]
            e = _direction(kind, r, c)

            def phi(h, name=name, e=e):
                moved = dict(vals)
                moved[name] = _axpy(vals[name], h, e)
                return _PARTS.get(name, %s)(*[_arg(moved[n]) for n, _, _, _ in _VARS])[0]

            errs.append(_err(_apply(out[1][i], e, kind), phi, _fd, 1e-4, 3))
        if _HESSIAN is not None:
            kind, r, c = kinds[_HESSIAN]
            e = _direction(kind, r, c)

            def phi(h):
                moved = dict(vals)
                moved[_HESSIAN] = _axpy(vals[_HESSIAN], h, e)
                return _PARTS.get(_HESSIAN, %s)(*[_arg(moved[n]) for n, _, _, _ in _VARS])[0]

            errs.append(_err(_quad(out[2], e, kind), phi, _fd2, 2e-3, 3))
        if not all(_finite(x) for x in errs):
            continue
        draws += 1
        worst = max([worst] + errs)
    if draws == 0:
        print("no random input inside the domain of the expression was found")
        sys.exit(3)
    verdict = "ok" if worst <= 1e-6 else "MISMATCH"
    print(f"max relative error {worst:.1e} over {draws} draws: {verdict}")
    sys.exit(0 if verdict == "ok" else 3)
`

// pyArrayHelpers are the self-test's conversions, per dialect.
const numpyTestHelpers = `    def _arg(v):
        return np.array(v, dtype=np.float64) if isinstance(v, list) else v

    def _flat(x):
        return [float(t) for t in np.ravel(np.asarray(x, dtype=np.float64))]

    def _finite(x):
        return bool(np.isfinite(x))

    def _axpy(x, h, e):
        return (np.array(x, dtype=np.float64) + h * np.array(e, dtype=np.float64)).tolist() if isinstance(x, list) else x + h * e

    def _apply(g, e, kind):
        # The derivative along e: <g, e> for a gradient, J e for a Jacobian.
        g, e = np.asarray(g, dtype=np.float64), np.asarray(e, dtype=np.float64)
        if g.ndim == e.ndim:
            return np.sum(g * e)
        if e.ndim == 0:
            return g * e
        return g @ e

    def _quad(h, e, kind):
        h, e = np.asarray(h, dtype=np.float64), np.asarray(e, dtype=np.float64)
        return e @ h @ e if e.ndim else h * e * e
`

const torchTestHelpers = `    def _arg(v):
        return torch.tensor(v, dtype=torch.float64) if isinstance(v, list) else v

    def _flat(x):
        return [float(t) for t in torch.as_tensor(x, dtype=torch.float64).reshape(-1)]

    def _finite(x):
        return x == x and abs(x) != float("inf")

    def _axpy(x, h, e):
        return (torch.tensor(x, dtype=torch.float64) + h * torch.tensor(e, dtype=torch.float64)).tolist() if isinstance(x, list) else x + h * e

    def _apply(g, e, kind):
        g, e = torch.as_tensor(g, dtype=torch.float64), torch.as_tensor(e, dtype=torch.float64)
        if g.dim() == e.dim():
            return torch.sum(g * e)
        if e.dim() == 0:
            return g * e
        return g @ e

    def _quad(h, e, kind):
        h, e = torch.as_tensor(h, dtype=torch.float64), torch.as_tensor(e, dtype=torch.float64)
        return e @ h @ e if e.dim() else h * e * e
`

// selfTest prints the self-test; parts are the functions of the parts of
// the value that vary with a variable (printPython).
func (pp *pyPrinter) selfTest(parts []string) string {
	p := pp.p
	var defs, table []string
	for _, f := range parts {
		for _, l := range strings.Split(strings.TrimRight(f, "\n"), "\n") {
			defs = append(defs, strings.TrimRight("    "+l, " "))
		}
	}
	for _, v := range p.params {
		if p.parts[v.name] != nil {
			table = append(table, fmt.Sprintf("%q: %s", v.name, partName(pp.ident[v.name])))
		}
	}
	var vars, wrt []string
	for _, v := range p.params {
		vars = append(vars, fmt.Sprintf("(%q, %q, %s, %s)", v.name, varKind(v), dimList(dataShape(v.shape).Rows), dimList(dataShape(v.shape).Cols)))
	}
	for _, g := range p.grads {
		wrt = append(wrt, fmt.Sprintf("%q", g.wrt))
	}
	h := "None"
	if p.hessian != nil {
		h = fmt.Sprintf("%q", p.hessian.wrt)
	}
	helpers := numpyTestHelpers
	if pp.d.lang == "torch" {
		helpers = torchTestHelpers
	}
	name := p.opts.Name
	return fmt.Sprintf(pySelfTest, strings.Join(vars, ", "), strings.Join(wrt, ", "), h, p.typed.Info.NDims,
		strings.Join(defs, "\n"), strings.Join(table, ", "), helpers, name, name, name)
}
