package ast

import (
	"math/big"
	"strings"
	"testing"
)

func n(s string) *Name         { return &Name{Name: s} }
func tp(x Expr) *Transpose     { return &Transpose{X: x} }
func prod(fs ...Expr) *Product { return &Product{Factors: fs} }

func varShapes(info *Info) string {
	var parts []string
	for _, name := range info.Order {
		parts = append(parts, name+":"+info.Vars[name].Shape.String())
	}
	return strings.Join(parts, " ")
}

func TestInferShapes(t *testing.T) {
	tests := []struct {
		name  string
		e     Expr
		decls Decls
		shape string
		vars  string
	}{
		{"BAx", prod(n("B"), n("A"), n("x")), nil, "m×1", "B:m×n A:n×p x:p×1"},
		{"xTyy", prod(tp(n("x")), n("y"), n("y")), nil, "m×1", "x:m×1 y:m×1"},
		{"AxTy", prod(n("A"), tp(n("x")), n("y")), nil, "m×n", "A:m×n x:p×1 y:p×1"},
		{"trAB", &Call{Func: "tr", Args: []Expr{prod(n("A"), n("B"))}}, nil, "1×1", "A:m×n B:n×m"},
		{"hadamard", &Hadamard{X: n("A"), Y: n("B")}, nil, "m×n", "A:m×n B:m×n"},
		{"sum broadcast", &Sum{Terms: []Expr{n("x"), &Neg{X: n("mu_0")}}}, nil, "m×1", "x:m×1 mu_0:1×1"},
		{"ones", prod(tp(Int(1)), n("x")), nil, "1×1", "x:m×1"},
		{"sym", prod(tp(n("x")), n("S"), n("x")), Decls{"S": KindSymmetric}, "1×1", "x:m×1 S:m×m"},
		{"identity", &Sum{Terms: []Expr{n("A"), &Identity{}}}, nil, "m×m", "A:m×m"},
		{"vec", &Call{Func: "vec", Args: []Expr{n("X")}}, nil, "m*n×1", "X:m×n"},
		{"kron", &Kron{X: n("A"), Y: n("B")}, nil, "m*p×n*q", "A:m×n B:p×q"},
		{"scalar pow", &Power{X: n("alpha"), Exp: big.NewRat(1, 2)}, nil, "1×1", "alpha:1×1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, info, err := Infer(tt.e, tt.decls)
			if err != nil {
				t.Fatal(err)
			}
			s, err := info.Shape(out)
			if err != nil {
				t.Fatal(err)
			}
			if s.String() != tt.shape {
				t.Errorf("shape %v, want %s", s, tt.shape)
			}
			if got := varShapes(info); got != tt.vars {
				t.Errorf("vars %s, want %s", got, tt.vars)
			}
		})
	}
}

func TestInferErrors(t *testing.T) {
	tests := []struct {
		e    Expr
		want string
	}{
		{prod(n("x"), &Name{At: 3, Name: "A"}), "shape error at column 3: x is a column vector (m×1) and cannot left-multiply the matrix A (n×p); did you mean x^T A?"},
		{&Power{At: 2, X: n("x"), Exp: big.NewRat(2, 1)}, "shape error at column 2: x is a column vector (m×1), and only a square matrix has a power; did you mean x^T x or x.^2?"},
		// The hint writes the transpose of a transpose without it.
		{prod(&Transpose{X: &Transpose{X: n("x")}}, &Name{At: 7, Name: "y"}), "shape error at column 7: x^T^T is a column vector (m×1) and cannot left-multiply the column vector y (n×1); did you mean x^T y?"},
	}
	for _, tt := range tests {
		_, _, err := Infer(tt.e, nil)
		if err == nil || err.Error() != tt.want {
			t.Errorf("got %v\nwant %s", err, tt.want)
		}
	}
}

func TestInferRegroupsScalarRuns(t *testing.T) {
	out, _, err := Infer(prod(tp(n("x")), n("y"), n("y")), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := out.(*Product)
	if len(p.Factors) != 2 {
		t.Fatalf("want 2 factors, got %d", len(p.Factors))
	}
	if _, ok := p.Factors[0].(*Product); !ok {
		t.Errorf("first factor should be the scalar run x^T y, got %T", p.Factors[0])
	}
}

// defaultKind is DefaultKind.
func TestDefaultKindFast(t *testing.T) {
	for _, name := range []string{"x", "A", "A1", "b12", "x_k", "X_1", "z9_2", "ab", "alpha", "alpha1", "Sigma", "λ", "λ_1", "pi", "e", "E", "I", "_", "x_", "a__b"} {
		if got, want := defaultKind(name), DefaultKind(name); got != want {
			t.Errorf("defaultKind(%q) = %v, want %v", name, got, want)
		}
	}
}

// The typed tree shares the subtrees inference leaves as they are, and
// makes its own of those it changes and of the sized nodes.
func TestInferSharesUnchanged(t *testing.T) {
	ax := prod(n("A"), n("x"))
	norm := &Norm{Kind: NormEuclid, X: &Sum{Terms: []Expr{ax, &Neg{X: n("b")}}}}
	e := &Sum{Terms: []Expr{&Power{X: norm, Exp: big.NewRat(2, 1)}, &Call{Func: "tr", Args: []Expr{&Inverse{X: n("B")}}}}}
	out, _, err := Infer(e, nil)
	if err != nil {
		t.Fatal(err)
	}
	if out != e {
		t.Errorf("a tree inference leaves as it is is a new tree")
	}
	id, ab := &Identity{}, prod(n("A"), n("B"))
	changed := &Sum{Terms: []Expr{ab, &Neg{X: id}}}
	out, _, err = Infer(changed, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := out.(*Sum)
	if s == changed || s.Terms[0] != ab || s.Terms[1] == changed.Terms[1] || s.Terms[1].(*Neg).X == id {
		t.Errorf("want a new sum and negation, the same product and a new identity")
	}
	// Inferring the typed tree again sizes new nodes, not the first ones.
	first := s.Terms[1].(*Neg).X.(*Identity)
	n0 := first.N
	if _, _, err := Infer(&Sum{Terms: []Expr{prod(n("C"), n("D")), s.Terms[1]}}, nil); err != nil {
		t.Fatal(err)
	}
	if !first.N.Equal(n0) {
		t.Errorf("a second inference resized the first one's identity: %v, was %v", first.N, n0)
	}
}
