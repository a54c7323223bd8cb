package eval

import (
	"github.com/matdiff/matdiff/ast"
	"gonum.org/v1/gonum/mat"
)

// call evaluates a function by its registry entry (ast.Funcs).
func (ev *evaluator) call(e *ast.Call) (*mat.Dense, error) {
	f, ok := ast.Funcs[e.Func]
	if !ok {
		return nil, failf(e, "unknown function %s", e.Func)
	}
	if len(e.Args) != f.Arity {
		return nil, failf(e, "%s takes %d argument(s), got %d", e.Func, f.Arity, len(e.Args))
	}
	a, err := ev.eval(e.Args[0])
	if err != nil {
		return nil, err
	}
	if f.Entry != nil {
		return mapEntries(a, f.Entry), nil
	}
	if f.Eval == nil {
		return nil, failf(e, "no numeric rule for %s", e.Func)
	}
	return f.Eval(calc{e}, a)
}

// calc is the evaluator as the registry's ast.Calc at the call e.
type calc struct{ e ast.Expr }

func (c calc) Domain(format string, args ...any) error { return domainf(c.e, format, args...) }
func (c calc) Shape(format string, args ...any) error  { return shapef(c.e, format, args...) }
func (c calc) New(r, k int) (*mat.Dense, error)        { return newDense(c.e, r, k) }
func (c calc) Work(r, k, n int) error                  { return checkWork(c.e, r, k, n) }
