// Package cse finds the repeated subexpressions of a tree and names them,
// so that a result that repeats a subexpression prints it once:
// 2 A^T t0 … where t0 = A x - b.
//
// It works on the tree as a graph of structurally equal subtrees (hash
// consing), so a tree whose printed text is exponential in its depth (the
// derivative of a deep composition of elementwise functions, whose subtrees
// are shared) gives output linear in its depth.
package cse

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/matdiff/matdiff/ast"
)

// Temp is a named temporary: Name stands for Expr, which may use the
// temporaries before it.
type Temp struct {
	Name string
	Expr ast.Expr
}

// Extract replaces every subexpression of e that is not a leaf and occurs
// at least twice (ast.Equal) by a temporary t0, t1, … (names that info's
// variables do not use). It returns the new root, the temporaries in the
// order they must be evaluated, and a copy of info that also knows the
// temporaries' kinds and shapes. Without a repeated subexpression it
// returns e, nil and info itself. e is not modified.
func Extract(e ast.Expr, info *ast.Info) (ast.Expr, []Temp, *ast.Info) {
	c := &conser{ids: map[string]int{}, byPtr: map[ast.Expr]int{}}
	root := c.intern(e)
	refs := make([]int, len(c.nodes))
	for _, n := range c.nodes {
		for _, k := range n.kids {
			refs[k]++
		}
	}
	x := &extractor{c: c, info: info, extract: make([]bool, len(c.nodes)), built: make([]ast.Expr, len(c.nodes))}
	any := false
	for id, n := range c.nodes {
		if refs[id] >= 2 && !leaf(n.rep) {
			if _, err := info.Shape(n.rep); err == nil {
				x.extract[id], any = true, true
			}
		}
	}
	if !any {
		return e, nil, info
	}
	x.out = &ast.Info{Vars: map[string]*ast.Var{}, Order: append([]string(nil), info.Order...), NDims: info.NDims}
	for k, v := range info.Vars {
		x.out.Vars[k] = v
	}
	r := x.build(root)
	return r, x.temps, x.out
}

// leaf reports whether e is too small to name: a leaf, or a leaf with its
// ^T, ^-1 or minus sign.
func leaf(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Number, *ast.Name, *ast.Pi, *ast.Identity, *ast.Ones, *ast.Zero, *ast.Dimension:
		return true
	case *ast.Transpose:
		return leaf(e.X)
	case *ast.Inverse:
		return leaf(e.X)
	case *ast.Neg:
		return leaf(e.X)
	}
	return false
}

// node is one class of structurally equal subtrees.
type node struct {
	rep  ast.Expr // the first subtree of the class met
	kids []int
}

type conser struct {
	nodes []node
	ids   map[string]int   // key → class
	byPtr map[ast.Expr]int // subtree → class, so shared subtrees are visited once
}

// intern returns the class of e.
func (c *conser) intern(e ast.Expr) int {
	if id, ok := c.byPtr[e]; ok {
		return id
	}
	kids := ast.Children(e)
	ids := make([]int, len(kids))
	var b strings.Builder
	fmt.Fprintf(&b, "%T|%s", e, label(e))
	for i, k := range kids {
		ids[i] = c.intern(k)
		b.WriteByte('|')
		b.WriteString(strconv.Itoa(ids[i]))
	}
	key := b.String()
	id, ok := c.ids[key]
	if !ok {
		id = len(c.nodes)
		c.nodes = append(c.nodes, node{rep: e, kids: ids})
		c.ids[key] = id
	}
	c.byPtr[e] = id
	return id
}

// label is what ast.Equal compares of a node besides its type and
// children.
func label(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Number:
		return e.Value.RatString()
	case *ast.Name:
		return e.Name
	case *ast.Identity:
		if e.Of == nil {
			return "I"
		}
		return "I(of)"
	case *ast.Ones:
		return "1"
	case *ast.Zero:
		return "0"
	case *ast.Dimension:
		return strconv.FormatBool(e.Cols)
	case *ast.Power:
		return e.Exp.RatString()
	case *ast.ElemPower:
		return e.Exp.RatString()
	case *ast.Norm:
		return strconv.Itoa(int(e.Kind))
	case *ast.Call:
		return e.Func
	}
	return ""
}

type extractor struct {
	c       *conser
	info    *ast.Info
	out     *ast.Info
	extract []bool
	built   []ast.Expr // by class: the rebuilt subtree, or the temporary's name
	temps   []Temp
}

// build returns class id rebuilt with its extracted descendants replaced
// by temporaries; an extracted class becomes a temporary (defined after
// those it uses) and its name is returned.
func (x *extractor) build(id int) ast.Expr {
	if b := x.built[id]; b != nil {
		return b
	}
	n := x.c.nodes[id]
	var e ast.Expr = n.rep
	if len(n.kids) > 0 {
		kids := make([]ast.Expr, len(n.kids))
		same := true
		orig := ast.Children(n.rep)
		for i, k := range n.kids {
			kids[i] = x.build(k)
			same = same && kids[i] == orig[i]
		}
		if !same {
			e = ast.WithChildren(n.rep, kids)
		}
	}
	if x.extract[id] {
		name := x.name()
		s := x.info.MustShape(n.rep)
		kind := ast.KindMatrix
		switch {
		case s.IsScalar():
			kind = ast.KindScalar
		case s.IsVector():
			kind = ast.KindVector
		}
		x.out.Vars[name] = &ast.Var{Name: name, Kind: kind, Shape: s}
		x.out.Order = append(x.out.Order, name)
		x.temps = append(x.temps, Temp{Name: name, Expr: e})
		e = &ast.Name{Name: name}
	}
	x.built[id] = e
	return e
}

// name is the next temporary's name that no variable has.
func (x *extractor) name() string {
	for i := len(x.temps); ; i++ {
		n := "t" + strconv.Itoa(i)
		if x.out.Vars[n] == nil {
			return n
		}
	}
}
