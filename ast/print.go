package ast

import (
	"fmt"
	"math/big"
)

// Fingerprints of trees, for the passes that find equal subtrees without
// comparing every pair (the simplifier's remembered forms, reverse mode's
// shared subexpressions): equal trees have equal fingerprints, and a
// match is confirmed with Identical.

// TypeIndex numbers the node types 0 … NumTypes-1 (Number, Name, Pi,
// Identity, Ones, Zero, Dimension, Sum, Product, Hadamard, ElemDiv, Div,
// Kron, Neg, Transpose, Inverse, Power, ElemPower, Norm, Call, Comm).
func TypeIndex(e Expr) int {
	switch e.(type) {
	case *Number:
		return 0
	case *Name:
		return 1
	case *Pi:
		return 2
	case *Identity:
		return 3
	case *Ones:
		return 4
	case *Zero:
		return 5
	case *Dimension:
		return 6
	case *Sum:
		return 7
	case *Product:
		return 8
	case *Hadamard:
		return 9
	case *ElemDiv:
		return 10
	case *Div:
		return 11
	case *Kron:
		return 12
	case *Neg:
		return 13
	case *Transpose:
		return 14
	case *Inverse:
		return 15
	case *Power:
		return 16
	case *ElemPower:
		return 17
	case *Norm:
		return 18
	case *Call:
		return 19
	case *Comm:
		return 20
	}
	panic(fmt.Sprintf("ast.TypeIndex: unexpected node type %T", e))
}

// NumTypes is the number of node types TypeIndex numbers.
const NumTypes = 21

// NodePrint is the fingerprint of e's own node, without its children:
// its type and what Equal compares of it besides them, with the sizes of
// identities, ones and zeros (which Identical compares too).
func NodePrint(e Expr) uint64 {
	h := uint64(TypeIndex(e)+1) * 0x9e3779b97f4a7c15
	switch x := e.(type) {
	case *Name:
		h = MixPrint(h, stringPrint(x.Name))
	case *Number:
		h = MixPrint(h, ratPrint(x.Value))
	case *Dimension:
		h = MixPrint(h, stringPrint(x.X.Name))
		if x.Cols {
			h = MixPrint(h, 1)
		}
	case *Power:
		h = MixPrint(h, ratPrint(x.Exp))
	case *ElemPower:
		h = MixPrint(h, ratPrint(x.Exp))
	case *Norm:
		h = MixPrint(h, uint64(x.Kind))
	case *Call:
		h = MixPrint(h, stringPrint(x.Func))
	case *Identity:
		h = dimPrint(h, x.N)
	case *Ones:
		h = dimPrint(h, x.N)
	case *Zero:
		h = dimPrint(dimPrint(h, x.Shape.Rows), x.Shape.Cols)
	}
	return h
}

// MixPrint folds the fingerprint k into h, in order.
func MixPrint(h, k uint64) uint64 {
	h ^= k + 0x9e3779b97f4a7c15 + h<<6 + h>>2
	return h * 0xff51afd7ed558ccd
}

func dimPrint(h uint64, d Dim) uint64 {
	for _, v := range d {
		h = MixPrint(h, uint64(v))
	}
	return MixPrint(h, uint64(len(d)))
}

func stringPrint(s string) uint64 {
	h := uint64(14695981039346656037) // FNV-1a
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return h
}

func ratPrint(r *big.Rat) uint64 {
	return MixPrint(uint64(r.Num().Int64()), uint64(r.Denom().Int64()))
}

// Identical reports whether a and b are the same tree: Equal, and with
// the same sizes of identities, ones, zeros and commutation matrices,
// which Equal does not compare (two copies of tr(I) may be traces of
// identities of different sizes).
func Identical(a, b Expr) bool { return IdenticalBy(a, b, Identical) }

// IdenticalBy is Identical of a's and b's own nodes, with same telling
// whether their children are identical: a caller that knows the answer
// for large subtrees (reverse mode's classes of repeated subtrees)
// compares a pair of trees without walking them again.
func IdenticalBy(a, b Expr, same func(x, y Expr) bool) bool {
	if a == b {
		return true
	}
	if !sameNode(a, b) || !sameSize(a, b) {
		return false
	}
	for i := range NumChildren(a) {
		if !same(Child(a, i), Child(b, i)) {
			return false
		}
	}
	return true
}

// sameSize compares the sizes of two nodes that sameNode calls alike.
func sameSize(a, b Expr) bool {
	switch x := a.(type) {
	case *Identity:
		return x.N.Equal(b.(*Identity).N)
	case *Ones:
		return x.N.Equal(b.(*Ones).N)
	case *Zero:
		return x.Shape.Equal(b.(*Zero).Shape)
	case *Comm:
		y := b.(*Comm)
		return x.DM.Equal(y.DM) && x.DN.Equal(y.DN)
	}
	return true
}
