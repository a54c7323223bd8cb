package ast

import (
	"fmt"
)

// A Visitor's Visit method is invoked for each node encountered by Walk.
// If the result visitor w is not nil, Walk visits each of the children of
// node with w, followed by a call of w.Visit(nil).
type Visitor interface {
	Visit(node Expr) (w Visitor)
}

// NumChildren is len(Children(e)), without making the slice.
func NumChildren(e Expr) int {
	switch e := e.(type) {
	case *Number, *Name, *Pi, *Ones, *Zero:
		return 0
	case *Identity:
		if e.Of != nil {
			return 1
		}
		return 0
	case *Sum:
		return len(e.Terms)
	case *Product:
		return len(e.Factors)
	case *Call:
		return len(e.Args)
	case *Comm, *Hadamard, *ElemDiv, *Div, *Kron:
		return 2
	case *Dimension, *Neg, *Transpose, *Inverse, *Power, *ElemPower, *Norm:
		return 1
	}
	panic(fmt.Sprintf("ast.NumChildren: unexpected node type %T", e))
}

// Child is Children(e)[i], without making the slice.
func Child(e Expr, i int) Expr {
	switch e := e.(type) {
	case *Identity:
		return e.Of
	case *Dimension:
		return e.X
	case *Comm:
		if i == 0 {
			return e.M
		}
		return e.N
	case *Sum:
		return e.Terms[i]
	case *Product:
		return e.Factors[i]
	case *Call:
		return e.Args[i]
	case *Hadamard:
		return pick(i, e.X, e.Y)
	case *ElemDiv:
		return pick(i, e.X, e.Y)
	case *Div:
		return pick(i, e.X, e.Y)
	case *Kron:
		return pick(i, e.X, e.Y)
	case *Neg:
		return e.X
	case *Transpose:
		return e.X
	case *Inverse:
		return e.X
	case *Power:
		return e.X
	case *ElemPower:
		return e.X
	case *Norm:
		return e.X
	}
	panic(fmt.Sprintf("ast.Child: node type %T has no child %d", e, i))
}

func pick(i int, x, y Expr) Expr {
	if i == 0 {
		return x
	}
	return y
}

// Children returns the direct subexpressions of e, in order.
func Children(e Expr) []Expr {
	switch e := e.(type) {
	case *Number, *Name, *Pi, *Ones, *Zero:
		return nil
	case *Identity:
		if e.Of != nil {
			return []Expr{e.Of}
		}
		return nil
	case *Dimension:
		return []Expr{e.X}
	case *Comm:
		return []Expr{e.M, e.N}
	case *Sum:
		return e.Terms
	case *Product:
		return e.Factors
	case *Hadamard:
		return []Expr{e.X, e.Y}
	case *ElemDiv:
		return []Expr{e.X, e.Y}
	case *Div:
		return []Expr{e.X, e.Y}
	case *Kron:
		return []Expr{e.X, e.Y}
	case *Neg:
		return []Expr{e.X}
	case *Transpose:
		return []Expr{e.X}
	case *Inverse:
		return []Expr{e.X}
	case *Power:
		return []Expr{e.X}
	case *ElemPower:
		return []Expr{e.X}
	case *Norm:
		return []Expr{e.X}
	case *Call:
		return e.Args
	}
	panic(fmt.Sprintf("ast.Children: unexpected node type %T", e))
}

// Walk traverses the tree rooted at node in depth-first order: it starts
// by calling v.Visit(node); node must not be nil.
func Walk(v Visitor, node Expr) {
	if v = v.Visit(node); v == nil {
		return
	}
	for i, n := 0, NumChildren(node); i < n; i++ {
		Walk(v, Child(node, i))
	}
	v.Visit(nil)
}

type inspector func(Expr) bool

func (f inspector) Visit(node Expr) Visitor {
	if f(node) {
		return f
	}
	return nil
}

// Inspect traverses the tree in depth-first order, calling f for each node
// and then f(nil) after its children. If f returns false, the children are
// skipped.
func Inspect(node Expr, f func(Expr) bool) {
	Walk(inspector(f), node)
}

// WithChildren returns a shallow copy of e with its children replaced by
// kids, which must have the length that Children(e) has.
func WithChildren(e Expr, kids []Expr) Expr {
	switch e := e.(type) {
	case *Number, *Name, *Pi, *Ones, *Zero:
		return e
	case *Identity:
		if e.Of == nil {
			return e
		}
		return &Identity{At: e.At, Of: kids[0].(*Dimension), N: e.N}
	case *Dimension:
		return &Dimension{At: e.At, Cols: e.Cols, X: kids[0].(*Name)}
	case *Comm:
		return &Comm{At: e.At, M: kids[0].(*Dimension), N: kids[1].(*Dimension), DM: e.DM, DN: e.DN}
	case *Sum:
		return &Sum{At: e.At, Terms: kids}
	case *Product:
		return &Product{At: e.At, Factors: kids}
	case *Hadamard:
		return &Hadamard{At: e.At, X: kids[0], Y: kids[1]}
	case *ElemDiv:
		return &ElemDiv{At: e.At, X: kids[0], Y: kids[1]}
	case *Div:
		return &Div{At: e.At, X: kids[0], Y: kids[1]}
	case *Kron:
		return &Kron{At: e.At, X: kids[0], Y: kids[1]}
	case *Neg:
		return &Neg{At: e.At, X: kids[0]}
	case *Transpose:
		return &Transpose{At: e.At, X: kids[0]}
	case *Inverse:
		return &Inverse{At: e.At, X: kids[0]}
	case *Power:
		return &Power{At: e.At, X: kids[0], Exp: e.Exp}
	case *ElemPower:
		return &ElemPower{At: e.At, X: kids[0], Exp: e.Exp}
	case *Norm:
		return &Norm{At: e.At, Kind: e.Kind, X: kids[0]}
	case *Call:
		return &Call{At: e.At, Func: e.Func, Args: kids}
	}
	panic(fmt.Sprintf("ast.WithChildren: unexpected node type %T", e))
}

// Rewrite rebuilds the tree bottom-up: each node's children are rewritten
// first, then f is applied to the node with its new children. Nodes whose
// children did not change are passed to f unchanged (not copied).
func Rewrite(e Expr, f func(Expr) Expr) Expr {
	kids := Children(e)
	if len(kids) > 0 {
		var nk []Expr
		for i, c := range kids {
			r := Rewrite(c, f)
			if r != c && nk == nil {
				nk = make([]Expr, len(kids))
				copy(nk, kids[:i])
			}
			if nk != nil {
				nk[i] = r
			}
		}
		if nk != nil {
			e = WithChildren(e, nk)
		}
	}
	return f(e)
}

// Equal reports whether a and b are the same tree, ignoring positions and
// whether numbers were written as decimals.
func Equal(a, b Expr) bool {
	if a == b {
		return true // one node (trees share subtrees)
	}
	if !sameNode(a, b) {
		return false
	}
	for i := range NumChildren(a) {
		if !Equal(Child(a, i), Child(b, i)) {
			return false
		}
	}
	return true
}

// sameNode reports whether a and b are alike as nodes, children aside:
// of one type, with as many children, and with what Equal compares of
// them besides (a number's value, a name, an exponent, a norm's kind, a
// function).
func sameNode(a, b Expr) bool {
	switch a := a.(type) {
	case *Number:
		b, ok := b.(*Number)
		return ok && RatEqual(a.Value, b.Value)
	case *Name:
		b, ok := b.(*Name)
		return ok && a.Name == b.Name
	case *Dimension:
		b, ok := b.(*Dimension)
		return ok && a.Cols == b.Cols && a.X.Name == b.X.Name
	case *Power:
		b, ok := b.(*Power)
		return ok && RatEqual(a.Exp, b.Exp)
	case *ElemPower:
		b, ok := b.(*ElemPower)
		return ok && RatEqual(a.Exp, b.Exp)
	case *Norm:
		b, ok := b.(*Norm)
		return ok && a.Kind == b.Kind
	case *Call:
		b, ok := b.(*Call)
		if !ok || a.Func != b.Func {
			return false
		}
	}
	return TypeIndex(a) == TypeIndex(b) && NumChildren(a) == NumChildren(b)
}
