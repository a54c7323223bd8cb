package simplify

import (
	"github.com/matdiff/matdiff/ast"
)

// anchorIdentities writes an identity whose size nothing around it fixes
// as eye(rows(V)) or eye(cols(V)), so that the printed result reads back
// with the right size (d/dX tr(X) is eye(rows(X)), not I of any size).
func (c *Context) anchorIdentities(e ast.Expr) ast.Expr {
	return c.anchor(e, false)
}

// determined reports whether e's shape follows from its own content.
func (c *Context) determined(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Identity:
		return e.Of != nil
	case *ast.Ones, *ast.Zero:
		return false
	case *ast.Name, *ast.Number, *ast.Pi, *ast.Dimension, *ast.Norm:
		return true
	case *ast.Call:
		f := ast.Funcs[e.Func]
		if f.Kind != ast.Elementwise && e.Func != "diag" && e.Func != "vec" {
			return true
		}
	}
	if c.scalar(e) {
		return true
	}
	for _, k := range ast.Children(e) {
		if c.determined(k) {
			return true
		}
	}
	return false
}

func (c *Context) anchor(e ast.Expr, fixed bool) ast.Expr {
	kids := ast.Children(e)
	switch n := e.(type) {
	case *ast.Identity:
		if fixed || n.Of != nil {
			return n
		}
		if d := c.dimensionOf(n.N); d != nil {
			return &ast.Identity{Of: d, N: n.N}
		}
		return n
	case *ast.Sum, *ast.Hadamard, *ast.ElemDiv:
		out := make([]ast.Expr, len(kids))
		for i, k := range kids {
			f := fixed
			for j, o := range kids {
				if j != i && !c.scalar(o) && c.determined(o) {
					f = true
				}
			}
			out[i] = c.anchor(k, f || c.scalar(k))
		}
		return ast.WithChildren(e, out)
	case *ast.Product:
		var chain []int
		for i, k := range kids {
			if !c.scalar(k) {
				chain = append(chain, i)
			}
		}
		out := make([]ast.Expr, len(kids))
		for i, k := range kids {
			if c.scalar(k) {
				out[i] = c.anchor(k, true)
				continue
			}
			f := fixed && len(chain) == 1
			for _, j := range chain {
				if j != i && c.determined(kids[j]) {
					f = true
				}
			}
			out[i] = c.anchor(k, f)
		}
		return ast.WithChildren(e, out)
	case *ast.Transpose, *ast.Neg, *ast.Inverse, *ast.Power, *ast.ElemPower, *ast.Div:
		out := make([]ast.Expr, len(kids))
		for i, k := range kids {
			out[i] = c.anchor(k, (fixed && i == 0) || c.scalar(k) && i > 0)
		}
		return ast.WithChildren(e, out)
	case *ast.Call:
		f := ast.Funcs[n.Func]
		return ast.WithChildren(e, []ast.Expr{c.anchor(kids[0], fixed && f.Kind == ast.Elementwise)})
	}
	if len(kids) == 0 {
		return e
	}
	out := make([]ast.Expr, len(kids))
	for i, k := range kids {
		out[i] = c.anchor(k, false)
	}
	return ast.WithChildren(e, out)
}
