package simplify

import (
	"math/big"

	"github.com/matdiff/matdiff/ast"
)

// softmaxRules name softmax and logsumexp where their definitions appear.
var softmaxRules = []Rule{
	{Name: "softmax-sum", Doc: "sum(softmax(u)) -> 1: softmax sums to one", Apply: softmaxSum, On: OnCall},
	{Name: "softmax-ones", Doc: "1^T softmax(u) -> 1; softmax(u)^T 1 -> 1", Apply: softmaxOnes, On: OnProduct, Needs: OnOnes},
	{Name: "log-softmax", Doc: "log(softmax(u)) -> u - logsumexp(u)", Apply: logSoftmax, On: OnCall},
	{Name: "logsumexp-form", Doc: "log(sum(exp(u))) -> logsumexp(u)", Apply: logsumexpForm, On: OnCall},
	{Name: "softmax-form", Doc: "exp(u) exp(u)^T / sum(exp(u))^2 -> softmax(u) softmax(u)^T, for a vector u; also diag(exp(u)) and exp(u) .* v", Apply: softmaxForm, On: OnProduct, Needs: OnPower},
}

func softmaxSum(c *Context, e ast.Expr) ast.Expr {
	s, ok := call(e, "sum")
	if !ok {
		return nil
	}
	if _, ok := call(s.Args[0], "softmax"); ok {
		return ast.Int(1)
	}
	return nil
}

// isOnesRow reports whether e is 1^T.
func isOnesRow(e ast.Expr) bool {
	t, ok := e.(*ast.Transpose)
	return ok && isOnes(t.X)
}

// isSoftmaxRow reports whether e is softmax(u)^T or softmax(u^T) of a column u.
func isSoftmaxRow(c *Context, e ast.Expr) bool {
	if t, ok := e.(*ast.Transpose); ok {
		_, ok := call(t.X, "softmax")
		return ok
	}
	_, ok := call(e, "softmax")
	return ok && c.shape(e).IsRow()
}

func softmaxOnes(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok {
		return nil
	}
	for i := 0; i+1 < len(p.Factors); i++ {
		a, b := p.Factors[i], p.Factors[i+1]
		s, isCall := call(b, "softmax")
		if (isOnesRow(a) && isCall && c.shape(s).IsVector()) || (isSoftmaxRow(c, a) && isOnes(b)) {
			fs := append(append([]ast.Expr(nil), p.Factors[:i]...), p.Factors[i+2:]...)
			return product(fs...)
		}
	}
	return nil
}

func logSoftmax(c *Context, e ast.Expr) ast.Expr {
	l, ok := call(e, "log")
	if !ok {
		return nil
	}
	s, ok := call(l.Args[0], "softmax")
	if !ok {
		return nil
	}
	u := s.Args[0]
	return sum(u, product(ast.Int(-1), &ast.Call{Func: "logsumexp", Args: []ast.Expr{u}}))
}

func logsumexpForm(c *Context, e ast.Expr) ast.Expr {
	l, ok := call(e, "log")
	if !ok {
		return nil
	}
	s, ok := call(l.Args[0], "sum")
	if !ok {
		return nil
	}
	ex, ok := call(s.Args[0], "exp")
	if !ok {
		return nil
	}
	return &ast.Call{Func: "logsumexp", Args: []ast.Expr{ex.Args[0]}}
}

// softmaxForm divides factors exp(u) of a product by its factor
// sum(exp(u))^-k, one power each, and names the quotients softmax(u). The
// factors may be exp(u), exp(u)^T, diag(exp(u)), an elementwise product
// with exp(u) or a nested product with such a factor; u is a vector, since softmax of a matrix is not defined.
// It applies only when every exp(u) of the product becomes a softmax.
func softmaxForm(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok {
		return nil
	}
	for i, f := range p.Factors {
		pw, ok := f.(*ast.Power)
		if !ok || !pw.Exp.IsInt() || pw.Exp.Sign() >= 0 || !pw.Exp.Num().IsInt64() {
			continue
		}
		s, ok := call(pw.X, "sum")
		if !ok {
			continue
		}
		ex, ok := call(s.Args[0], "exp")
		if !ok || c.shape(ex.Args[0]).IsMatrix() {
			continue
		}
		u := ex.Args[0]
		k := -pw.Exp.Num().Int64()
		fs := append([]ast.Expr(nil), p.Factors...)
		used := int64(0)
		for j := range fs {
			if j == i || used == k {
				continue
			}
			if g := softmaxOf(fs[j], u); g != nil {
				fs[j] = g
				used++
			}
		}
		if used == 0 || used != expCount(p, i, u) {
			continue // an exp(u) left behind would no longer cancel against the others
		}
		if used == k {
			fs = append(fs[:i], fs[i+1:]...)
		} else {
			fs[i] = &ast.Power{X: pw.X, Exp: big.NewRat(used-k, 1)}
		}
		return product(fs...)
	}
	return nil
}

// expCount counts the nodes exp(u) in the factors of p other than the i-th.
func expCount(p *ast.Product, i int, u ast.Expr) int64 {
	var n int64
	for j, f := range p.Factors {
		if j == i {
			continue
		}
		ast.Inspect(f, func(e ast.Expr) bool {
			if ex, ok := call(e, "exp"); ok && ast.Equal(ex.Args[0], u) {
				n++
			}
			return true
		})
	}
	return n
}

// softmaxOf returns f with its factor exp(u) replaced by softmax(u), or nil
// when f has none.
func softmaxOf(f, u ast.Expr) ast.Expr {
	isExp := func(e ast.Expr) bool {
		ex, ok := call(e, "exp")
		return ok && ast.Equal(ex.Args[0], u)
	}
	sm := &ast.Call{Func: "softmax", Args: []ast.Expr{u}}
	switch f := f.(type) {
	case *ast.Call:
		if isExp(f) {
			return sm
		}
		if f.Func == "diag" && isExp(f.Args[0]) {
			return &ast.Call{Func: "diag", Args: []ast.Expr{sm}}
		}
	case *ast.Transpose:
		if isExp(f.X) {
			return transpose(sm)
		}
	case *ast.Product:
		// a nested product: divide one of its factors
		for i, g := range f.Factors {
			if h := softmaxOf(g, u); h != nil {
				fs := append([]ast.Expr(nil), f.Factors...)
				fs[i] = h
				return &ast.Product{Factors: fs}
			}
		}
	case *ast.Hadamard:
		if isExp(f.X) {
			return &ast.Hadamard{X: sm, Y: f.Y}
		}
		if isExp(f.Y) {
			return &ast.Hadamard{X: f.X, Y: sm}
		}
	}
	return nil
}
