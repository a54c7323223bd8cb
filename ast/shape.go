package ast

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is what a name denotes: a scalar, a column vector, a matrix, or a
// symmetric matrix. Square is a declaration only: a matrix whose rows and
// columns agree.
type Kind int

const (
	KindScalar Kind = iota
	KindVector
	KindMatrix
	KindSymmetric
	KindSquare
)

var kindNames = [...]string{"scalar", "vector", "matrix", "symmetric", "square"}

func (k Kind) String() string { return kindNames[k] }

// ParseKind reads a declaration kind: scalar, vector, matrix, square or sym.
func ParseKind(s string) (Kind, bool) {
	switch s {
	case "scalar":
		return KindScalar, true
	case "vector":
		return KindVector, true
	case "matrix":
		return KindMatrix, true
	case "square":
		return KindSquare, true
	case "sym", "symmetric":
		return KindSymmetric, true
	}
	return 0, false
}

// Dim is a symbolic dimension: the product of the base dimensions it
// lists (sorted ids, 1-based, numbered in order of first appearance). The
// empty Dim is the literal 1.
type Dim []int

// One is the literal dimension 1.
var One = Dim(nil)

// IsOne reports whether d is the literal 1.
func (d Dim) IsOne() bool { return len(d) == 0 }

// Equal reports whether d and e are the same dimension.
func (d Dim) Equal(e Dim) bool {
	if len(d) != len(e) {
		return false
	}
	for i := range d {
		if d[i] != e[i] {
			return false
		}
	}
	return true
}

// Times returns the product d·e.
func (d Dim) Times(e Dim) Dim {
	if len(d)+len(e) == 0 {
		return nil
	}
	p := make(Dim, 0, len(d)+len(e))
	p = append(append(p, d...), e...)
	sort.Ints(p)
	return p
}

// BaseName returns the printed name of base dimension id (1-based):
// m, n, p, q, r, s, k, l, then d1, d2, ….
func BaseName(id int) string {
	names := []string{"m", "n", "p", "q", "r", "s", "k", "l"}
	if id >= 1 && id <= len(names) {
		return names[id-1]
	}
	return "d" + strconv.Itoa(id-len(names))
}

func (d Dim) String() string {
	if d.IsOne() {
		return "1"
	}
	parts := make([]string, len(d))
	for i, id := range d {
		parts[i] = BaseName(id)
	}
	return strings.Join(parts, "*")
}

// Shape is the rows×cols shape of an expression.
type Shape struct {
	Rows, Cols Dim
}

// Scalar is the shape 1×1.
var Scalar = Shape{}

// IsScalar reports whether s is 1×1.
func (s Shape) IsScalar() bool { return s.Rows.IsOne() && s.Cols.IsOne() }

// IsVector reports whether s is a column vector n×1 with n ≠ 1.
func (s Shape) IsVector() bool { return !s.Rows.IsOne() && s.Cols.IsOne() }

// IsRow reports whether s is a row vector 1×n with n ≠ 1.
func (s Shape) IsRow() bool { return s.Rows.IsOne() && !s.Cols.IsOne() }

// IsMatrix reports whether neither dimension is 1.
func (s Shape) IsMatrix() bool { return !s.Rows.IsOne() && !s.Cols.IsOne() }

// IsSquare reports whether rows and columns are the same dimension.
func (s Shape) IsSquare() bool { return s.Rows.Equal(s.Cols) }

// Equal reports whether s and t are the same shape.
func (s Shape) Equal(t Shape) bool { return s.Rows.Equal(t.Rows) && s.Cols.Equal(t.Cols) }

// T returns the transposed shape.
func (s Shape) T() Shape { return Shape{s.Cols, s.Rows} }

func (s Shape) String() string { return s.Rows.String() + "×" + s.Cols.String() }

// Var is a variable of an expression, as inference settled it.
type Var struct {
	Name  string
	Kind  Kind // KindScalar, KindVector, KindMatrix or KindSymmetric
	Shape Shape
}

// Decls are the declarations of the command line (--scalar, --vector,
// --matrix, --sym, --let), by name.
type Decls map[string]Kind

// DefaultKind is the kind of an undeclared name: Greek names are scalars,
// lowercase Latin names vectors, capitalised names matrices.
func DefaultKind(name string) Kind {
	base := name
	if i := strings.IndexAny(base, "_0123456789"); i > 0 {
		base = base[:i]
	}
	if _, ok := Greek[base]; ok {
		return KindScalar
	}
	r, _ := utf8.DecodeRuneInString(base)
	switch {
	case base == "":
		return KindVector
	case unicode.IsUpper(r):
		return KindMatrix
	case r >= 0x3b1 && r <= 0x3c9: // a lowercase Greek letter
		return KindScalar
	}
	return KindVector
}

// Info is what shape inference learnt about an expression: the shapes of
// its variables, in order of first appearance. Its Shape method gives the
// shape of any tree over the same variables, parsed or made by code.
// An Info is for one goroutine at a time: Shape keeps what it computes on
// the nodes (memo.go), in records it hands out from a Block.
type Info struct {
	Vars  map[string]*Var
	Order []string // variable names in order of first appearance
	NDims int      // number of base dimensions

	memos   Block[shapeMemo]         // records for the nodes' memos (memo.go)
	records *[recordSlots]*shapeMemo // records shared by the nodes of one shape (memo.go)
	id      uint64                   // this Info's name in the nodes' memos, from 1 (memo.go)
	_       noCopy
}

// Symmetric reports whether the name is a symmetric matrix.
func (in *Info) Symmetric(name string) bool {
	v := in.Vars[name]
	return v != nil && v.Kind == KindSymmetric
}

// Shape returns the shape of e, computed bottom-up from the variables'
// shapes and the sizes recorded on Identity, Ones and Zero nodes. It
// reports an error when the tree is not well-shaped.
func (in *Info) Shape(e Expr) (Shape, error) {
	// Scalar leaves need no cache; a name's shape is kept like any other
	// node's (one load, where the variables' map would hash the name).
	switch e.(type) {
	case *Number, *Pi, *Dimension:
		return Scalar, nil
	}
	if s, ok := in.cachedShape(e); ok {
		return s, nil
	}
	switch e := e.(type) {
	case *Name:
		if v := in.Vars[e.Name]; v != nil {
			in.cacheShape(e, v.Shape)
			return v.Shape, nil
		}
	case *Identity:
		return Shape{e.N, e.N}, nil
	case *Comm:
		n := e.DM.Times(e.DN)
		return Shape{n, n}, nil
	case *Ones:
		return Shape{e.N, One}, nil
	case *Zero:
		return e.Shape, nil
	}
	s, err := in.shape(e)
	if err != nil {
		return Shape{}, err
	}
	in.cacheShape(e, s)
	return s, nil
}

// Orientation reports whether e has one row and whether it has one
// column (a scalar has both), as MustShape would find, and panics where
// it would. For a node whose shape is known it reads two bits of the node
// itself, not the shape.
func (in *Info) Orientation(e Expr) (oneRow, oneCol bool) {
	switch e.(type) {
	case *Number, *Pi, *Dimension:
		return true, true
	}
	if in.id != 0 {
		if w := e.memo().ones.Load(); w>>2 == in.id {
			return w&1 != 0, w&2 != 0
		}
	}
	s := in.MustShape(e)
	return s.Rows.IsOne(), s.Cols.IsOne()
}

// MustShape is Shape for trees known to be well-shaped; it panics otherwise.
func (in *Info) MustShape(e Expr) Shape {
	s, err := in.Shape(e)
	if err != nil {
		panic(err)
	}
	return s
}

func (in *Info) shape(e Expr) (Shape, error) {
	bad := func(format string, args ...any) (Shape, error) {
		return Shape{}, Errorf(e.Pos(), "shape", format, args...)
	}
	switch e := e.(type) {
	case *Number, *Pi, *Dimension:
		return Scalar, nil
	case *Name:
		v := in.Vars[e.Name]
		if v == nil {
			return bad("unknown variable %s", e.Name)
		}
		return v.Shape, nil
	case *Identity:
		return Shape{e.N, e.N}, nil
	case *Comm:
		n := e.DM.Times(e.DN)
		return Shape{n, n}, nil
	case *Ones:
		return Shape{e.N, One}, nil
	case *Zero:
		return e.Shape, nil
	case *Sum:
		var out Shape
		for _, t := range e.Terms {
			s, err := in.Shape(t)
			if err != nil {
				return s, err
			}
			if s.IsScalar() {
				continue
			}
			if !out.IsScalar() && !out.Equal(s) {
				return bad("terms of a sum have shapes %v and %v", out, s)
			}
			out = s
		}
		return out, nil
	case *Product:
		var out Shape
		first := true
		for _, f := range e.Factors {
			s, err := in.Shape(f)
			if err != nil {
				return s, err
			}
			if s.IsScalar() {
				continue
			}
			if first {
				out, first = s, false
				continue
			}
			if !out.Cols.Equal(s.Rows) {
				return bad("factors of a product have shapes %v and %v", out, s)
			}
			out.Cols = s.Cols
		}
		return out, nil
	case *Hadamard, *ElemDiv:
		kids := Children(e)
		a, err := in.Shape(kids[0])
		if err != nil {
			return a, err
		}
		b, err := in.Shape(kids[1])
		if err != nil {
			return b, err
		}
		switch {
		case a.IsScalar():
			return b, nil
		case b.IsScalar() || a.Equal(b):
			return a, nil
		}
		return bad("elementwise operands have shapes %v and %v", a, b)
	case *Div:
		a, err := in.Shape(e.X)
		if err != nil {
			return a, err
		}
		b, err := in.Shape(e.Y)
		if err != nil {
			return b, err
		}
		if !b.IsScalar() {
			return bad("division by a non-scalar of shape %v", b)
		}
		return a, nil
	case *Kron:
		a, err := in.Shape(e.X)
		if err != nil {
			return a, err
		}
		b, err := in.Shape(e.Y)
		if err != nil {
			return b, err
		}
		return Shape{a.Rows.Times(b.Rows), a.Cols.Times(b.Cols)}, nil
	case *Neg:
		return in.Shape(e.X)
	case *Transpose:
		s, err := in.Shape(e.X)
		return s.T(), err
	case *Inverse:
		s, err := in.Shape(e.X)
		if err == nil && !s.IsSquare() {
			return bad("inverse of a non-square %v", s)
		}
		return s, err
	case *Power:
		s, err := in.Shape(e.X)
		if err == nil && !s.IsSquare() {
			return bad("power of a non-square %v", s)
		}
		return s, err
	case *ElemPower:
		return in.Shape(e.X)
	case *Norm:
		_, err := in.Shape(e.X)
		return Scalar, err
	case *Call:
		s, err := in.Shape(e.Args[0])
		if err != nil {
			return s, err
		}
		return CallShape(e, s)
	}
	panic(fmt.Sprintf("ast.Info.Shape: unexpected node type %T", e))
}

// CallShape returns the shape of the call e whose argument has shape arg,
// by the function's shape rule.
func CallShape(e *Call, arg Shape) (Shape, error) {
	f, ok := Funcs[e.Func]
	if !ok {
		return Shape{}, Errorf(e.At, "name", "unknown function %s", e.Func)
	}
	switch f.Kind {
	case Elementwise:
		return arg, nil
	case ScalarOfSquare:
		if !arg.IsSquare() {
			return Shape{}, Errorf(e.At, "shape", "%s needs a square matrix, and its argument is %v", e.Func, arg)
		}
		return Scalar, nil
	case Reduction:
		return Scalar, nil
	case VectorMap:
		if arg.IsMatrix() {
			return Shape{}, Errorf(e.At, "shape", "%s takes %s; its argument is %v", e.Func, f.Needs, arg)
		}
		return arg, nil
	case Vectorize:
		return Shape{arg.Rows.Times(arg.Cols), One}, nil
	case Diagonal:
		switch {
		case arg.IsScalar():
			return Scalar, nil
		case arg.IsVector():
			return Shape{arg.Rows, arg.Rows}, nil
		case arg.IsRow():
			return Shape{arg.Cols, arg.Cols}, nil
		case arg.IsSquare():
			return Shape{arg.Rows, One}, nil
		}
		return Shape{}, Errorf(e.At, "shape", "diag of a non-square matrix (%v); diag takes a vector or a square matrix", arg)
	}
	panic("ast.CallShape: no shape rule for " + e.Func)
}
