// Package ast owns matdiff's expression tree: the node types, their
// positions, traversal (Walk, Inspect, Rewrite), structural equality, and
// shape inference (kinds and symbolic dimensions, see shape.go and infer.go).
//
// The tree knows nothing of the parser or of any output format. Every
// expression is one of the node types in this file; the unexported marker
// method seals the Expr interface so that only this package defines them.
package ast

import "math/big"

// Pos is a 1-based column in the input, counted in Unicode code points.
// The zero Pos marks a node made by code rather than parsed.
type Pos int

// IsValid reports whether the position refers to the input.
func (p Pos) IsValid() bool { return p > 0 }

// Node is implemented by every node of the tree.
type Node interface {
	Pos() Pos
}

// Expr is an expression node.
type Expr interface {
	Node
	exprNode()
	memo() *Memo
}

// NormKind distinguishes the norms that bars and norm() denote.
type NormKind int

const (
	// NormEuclid is ||e||: Euclidean for a vector, Frobenius for a matrix.
	NormEuclid NormKind = iota
	// NormFrobenius is ||e||_F, written explicitly.
	NormFrobenius
	// NormOne is ||e||_1, the sum of absolute values.
	NormOne
	// NormTwo is ||e||_2 as written: the Euclidean norm of a vector; of a
	// matrix the spectral norm, which inference rejects. Inference turns
	// it into NormEuclid.
	NormTwo
)

type (
	// Number is a numeric literal or an exact constant made by code.
	Number struct {
		At      Pos
		Value   *big.Rat // exact value; never nil
		Decimal bool     // written (or derived from one written) with a decimal point

		m Memo
	}

	// Name is a variable: a scalar, vector or matrix named by the user.
	Name struct {
		At   Pos
		Name string // as written, e.g. "x", "W1", "x_k", "alpha", "λ"

		m Memo
	}

	// Pi is the constant π.
	Pi struct {
		At Pos

		m Memo
	}

	// Identity is I (or eye): the identity matrix of inferred size. Of is
	// set when the size is tied to a dimension of a variable, as in
	// eye(rows(V)).
	Identity struct {
		At Pos
		Of *Dimension // nil: size inferred from the neighbours
		N  Dim        // the size, set by shape inference or by code

		m Memo
	}

	// Ones is the all-ones vector: the literal 1 where a vector is expected.
	Ones struct {
		At Pos
		N  Dim // the length, set by shape inference or by code

		m Memo
	}

	// Zero is the zero of inferred shape, the literal 0 where a vector or
	// matrix is expected.
	Zero struct {
		At    Pos
		Shape Shape // set by shape inference or by code

		m Memo
	}

	// Comm is the commutation matrix K_{m,n} (mn×mn), written
	// comm(rows(V), cols(W)): K vec(A) = vec(A^T) for every m×n A.
	Comm struct {
		At   Pos
		M, N *Dimension // the sizes m and n, named by dimensions of variables
		DM   Dim        // m, set by shape inference or by code
		DN   Dim        // n, set by shape inference or by code

		m Memo
	}

	// Dimension is rows(V) or cols(V): a dimension of the variable V, used
	// as a scalar.
	Dimension struct {
		At   Pos
		Cols bool  // false: rows(V); true: cols(V)
		X    *Name // the variable

		m Memo
	}

	// Sum is an n-ary sum. Subtraction is a term wrapped in Neg.
	Sum struct {
		At    Pos
		Terms []Expr // two or more terms

		m Memo
	}

	// Product is an n-ary matrix or scalar product. Its factors whose shape
	// is 1×1 act as scalars; the others, in order, form a conformable
	// matrix chain (shape inference regroups the input so that this holds).
	Product struct {
		At      Pos
		Factors []Expr // two or more factors

		m Memo
	}

	// Hadamard is the elementwise product X ∘ Y.
	Hadamard struct {
		At   Pos
		X, Y Expr

		m Memo
	}

	// ElemDiv is the elementwise quotient X ./ Y.
	ElemDiv struct {
		At   Pos
		X, Y Expr

		m Memo
	}

	// Div is X / Y with Y a scalar.
	Div struct {
		At   Pos
		X, Y Expr

		m Memo
	}

	// Kron is the Kronecker product X ⊗ Y.
	Kron struct {
		At   Pos
		X, Y Expr

		m Memo
	}

	// Neg is the negation -X.
	Neg struct {
		At Pos
		X  Expr

		m Memo
	}

	// Transpose is X^T.
	Transpose struct {
		At Pos
		X  Expr

		m Memo
	}

	// Inverse is X^-1 (and inv(X)); X^-T is Transpose{Inverse{X}}.
	Inverse struct {
		At Pos
		X  Expr

		m Memo
	}

	// Power is X^k: any rational power of a scalar, an integer power of a
	// square matrix.
	Power struct {
		At  Pos
		X   Expr
		Exp *big.Rat

		m Memo
	}

	// ElemPower is the elementwise power X.^p.
	ElemPower struct {
		At  Pos
		X   Expr
		Exp *big.Rat

		m Memo
	}

	// Norm is ||X||, ||X||_F, ||X||_1 or ||X||_2 (and norm(X)).
	Norm struct {
		At   Pos
		Kind NormKind
		X    Expr

		m Memo
	}

	// Call applies a named function (tr, det, exp, sigmoid, …; see Funcs).
	Call struct {
		At   Pos
		Func string
		Args []Expr

		m Memo
	}
)

func (e *Number) Pos() Pos    { return e.At }
func (e *Name) Pos() Pos      { return e.At }
func (e *Pi) Pos() Pos        { return e.At }
func (e *Identity) Pos() Pos  { return e.At }
func (e *Ones) Pos() Pos      { return e.At }
func (e *Zero) Pos() Pos      { return e.At }
func (e *Dimension) Pos() Pos { return e.At }
func (e *Comm) Pos() Pos      { return e.At }
func (e *Sum) Pos() Pos       { return e.At }
func (e *Product) Pos() Pos   { return e.At }
func (e *Hadamard) Pos() Pos  { return e.At }
func (e *ElemDiv) Pos() Pos   { return e.At }
func (e *Div) Pos() Pos       { return e.At }
func (e *Kron) Pos() Pos      { return e.At }
func (e *Neg) Pos() Pos       { return e.At }
func (e *Transpose) Pos() Pos { return e.At }
func (e *Inverse) Pos() Pos   { return e.At }
func (e *Power) Pos() Pos     { return e.At }
func (e *ElemPower) Pos() Pos { return e.At }
func (e *Norm) Pos() Pos      { return e.At }
func (e *Call) Pos() Pos      { return e.At }

func (e *Number) memo() *Memo    { return &e.m }
func (e *Name) memo() *Memo      { return &e.m }
func (e *Pi) memo() *Memo        { return &e.m }
func (e *Identity) memo() *Memo  { return &e.m }
func (e *Ones) memo() *Memo      { return &e.m }
func (e *Zero) memo() *Memo      { return &e.m }
func (e *Dimension) memo() *Memo { return &e.m }
func (e *Comm) memo() *Memo      { return &e.m }
func (e *Sum) memo() *Memo       { return &e.m }
func (e *Product) memo() *Memo   { return &e.m }
func (e *Hadamard) memo() *Memo  { return &e.m }
func (e *ElemDiv) memo() *Memo   { return &e.m }
func (e *Div) memo() *Memo       { return &e.m }
func (e *Kron) memo() *Memo      { return &e.m }
func (e *Neg) memo() *Memo       { return &e.m }
func (e *Transpose) memo() *Memo { return &e.m }
func (e *Inverse) memo() *Memo   { return &e.m }
func (e *Power) memo() *Memo     { return &e.m }
func (e *ElemPower) memo() *Memo { return &e.m }
func (e *Norm) memo() *Memo      { return &e.m }
func (e *Call) memo() *Memo      { return &e.m }

func (*Number) exprNode()    {}
func (*Name) exprNode()      {}
func (*Pi) exprNode()        {}
func (*Identity) exprNode()  {}
func (*Ones) exprNode()      {}
func (*Zero) exprNode()      {}
func (*Dimension) exprNode() {}
func (*Comm) exprNode()      {}
func (*Sum) exprNode()       {}
func (*Product) exprNode()   {}
func (*Hadamard) exprNode()  {}
func (*ElemDiv) exprNode()   {}
func (*Div) exprNode()       {}
func (*Kron) exprNode()      {}
func (*Neg) exprNode()       {}
func (*Transpose) exprNode() {}
func (*Inverse) exprNode()   {}
func (*Power) exprNode()     {}
func (*ElemPower) exprNode() {}
func (*Norm) exprNode()      {}
func (*Call) exprNode()      {}

// Int returns a Number made by code with the integer value v. Small
// values share one Rat each: a Number's Value is never modified in place
// (every operation on values makes a new Rat).
func Int(v int64) *Number { return &Number{Value: SmallRat(v)} }

// SmallRat returns v as a Rat, shared for small v: the caller must not
// modify it.
func SmallRat(v int64) *big.Rat {
	if v >= -smallRats && v <= smallRats {
		return smallRat[v+smallRats]
	}
	return big.NewRat(v, 1)
}

const smallRats = 16

var smallRat = func() (rs [2*smallRats + 1]*big.Rat) {
	for i := range rs {
		rs[i] = big.NewRat(int64(i-smallRats), 1)
	}
	return rs
}()

// Rat returns a Number made by code with the value p/q.
func Rat(p, q int64) *Number { return &Number{Value: big.NewRat(p, q)} }

// RatEqual reports whether a = b. It is big.Rat's Cmp without the
// temporaries Cmp allocates: a Rat is kept normalised, so equal values
// have equal numerators and denominators.
func RatEqual(a, b *big.Rat) bool {
	if a.IsInt() != b.IsInt() || a.Num().Cmp(b.Num()) != 0 {
		return false
	}
	return a.IsInt() || a.Denom().Cmp(b.Denom()) == 0
}

// RatIs reports whether r is the integer v.
func RatIs(r *big.Rat, v int64) bool {
	return r.IsInt() && r.Num().IsInt64() && r.Num().Int64() == v
}
