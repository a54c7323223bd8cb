package simplify

import (
	"github.com/matdiff/matdiff/ast"
)

// anchorIdentities writes an identity whose size nothing around it fixes
// as eye(rows(V)) or eye(cols(V)), so that the printed result reads back
// with the right size (d/dX tr(X) is eye(rows(X)), not I of any size).
func (c *Context) anchorIdentities(e ast.Expr) ast.Expr {
	// A rule's own simplification is part of a larger tree, whose
	// neighbours may fix the size (2 I/(1 + x^T x) next to x x^T).
	if c.nested > 0 || !hasFreeIdentity(e) {
		return e
	}
	a := &anchorer{Context: c, det: map[ast.Expr]bool{}}
	return a.anchor(e, false)
}

// hasFreeIdentity reports whether e holds an I without a size.
func hasFreeIdentity(e ast.Expr) bool {
	if id, ok := e.(*ast.Identity); ok {
		return id.Of == nil
	}
	for i := range ast.NumChildren(e) {
		if hasFreeIdentity(ast.Child(e, i)) {
			return true
		}
	}
	return false
}

// anchorer remembers which subtrees are determined, so that anchoring
// takes time linear in the size of the tree.
type anchorer struct {
	*Context
	det map[ast.Expr]bool
}

// determined reports whether e's shape follows from its own content.
func (c *anchorer) determined(e ast.Expr) bool {
	if d, ok := c.det[e]; ok {
		return d
	}
	d := c.isDetermined(e)
	c.det[e] = d
	return d
}

func (c *anchorer) isDetermined(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Identity:
		return e.Of != nil
	case *ast.Ones, *ast.Zero:
		return false
	case *ast.Name, *ast.Number, *ast.Pi, *ast.Dimension, *ast.Norm:
		return true
	case *ast.Call:
		if ast.Funcs[e.Func].IsScalar() {
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

// countDetermined is the number of kids that are determined and (when
// nonScalar is set) not 1×1.
func (c *anchorer) countDetermined(kids []ast.Expr, nonScalar bool) int {
	n := 0
	for _, k := range kids {
		if (!nonScalar || !c.scalar(k)) && c.determined(k) {
			n++
		}
	}
	return n
}

func (c *anchorer) anchor(e ast.Expr, fixed bool) ast.Expr {
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
		det := c.countDetermined(kids, true)
		for i, k := range kids {
			f := fixed
			// Another kid that is determined and not 1×1 fixes k's size.
			if own := !c.scalar(k) && c.determined(k); det > 1 || det == 1 && !own {
				f = true
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
		det := 0
		for _, j := range chain {
			if c.determined(kids[j]) {
				det++
			}
		}
		for i, k := range kids {
			if c.scalar(k) {
				out[i] = c.anchor(k, true)
				continue
			}
			f := fixed && len(chain) == 1
			// Another chain factor that is determined fixes k's size.
			if det > 1 || det == 1 && !c.determined(k) {
				f = true
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
		return ast.WithChildren(e, []ast.Expr{c.anchor(kids[0], fixed && ast.Funcs[n.Func].KeepsShape())})
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
