package ast

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// missing lists the fields of a registry entry that are absent.
func missing(f *Func) []string {
	var out []string
	need := func(ok bool, field string) {
		if !ok {
			out = append(out, field)
		}
	}
	need(f.Name != "", "Name")
	need(f.Arity > 0, "Arity")
	need(f.Kind != VectorMap || f.Needs != "", "Needs")
	d := f.Deriv
	switch {
	case d.NoDeriv != "":
	case f.Kind == Elementwise:
		need(d.Elem != nil, "Deriv.Elem")
	default:
		need(d.Tangent != nil, "Deriv.Tangent")
		need(d.Adjoint != nil, "Deriv.Adjoint")
	}
	if f.Kind == Elementwise {
		need(f.Entry != nil, "Entry")
		need(!f.EigenScalar.IsZero(), "EigenScalar")
	} else {
		need(f.Eval != nil, "Eval")
	}
	need(f.Kinks != nil, "Kinks")
	need(f.Exact != nil, "Exact")
	need(f.Text.Open == f.Name+"(" && f.Text.Close == ")", "Text")
	need(!f.LaTeX.IsZero(), "LaTeX")
	need(!f.Unicode.IsZero(), "Unicode")
	need(!f.NumPy.IsZero(), "NumPy")
	need(!f.Torch.IsZero(), "Torch")
	need(!f.Eigen.IsZero(), "Eigen")
	return out
}

func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range functions {
		if m := missing(f); len(m) > 0 {
			t.Errorf("%s lacks %s", f.Name, strings.Join(m, ", "))
		}
		for _, n := range append([]string{f.Name}, f.Aliases...) {
			if seen[n] {
				t.Errorf("%s is named twice", n)
			}
			if _, ok := Builtins[n]; ok {
				t.Errorf("%s is both a function and a builtin", n)
			}
			seen[n] = true
			if g, ok := LookupFunc(n); !ok || g != f {
				t.Errorf("LookupFunc(%s) does not find %s", n, f.Name)
			}
		}
	}
}

// TestRegistryCheck shows that the registry test fails on incomplete
// entries: each one lacks exactly the listed fields.
func TestRegistryCheck(t *testing.T) {
	complete := *Funcs["tanh"]
	tests := []struct {
		name string
		edit func(f *Func)
		want []string
	}{
		{"complete", func(f *Func) {}, nil},
		{"no derivative", func(f *Func) { f.Deriv.Elem = nil }, []string{"Deriv.Elem"}},
		{"no evaluation", func(f *Func) { f.Entry = nil }, []string{"Entry"}},
		{"no LaTeX", func(f *Func) { f.LaTeX = Spelling{} }, []string{"LaTeX"}},
		{"no Unicode", func(f *Func) { f.Unicode = Spelling{} }, []string{"Unicode"}},
		{"text that does not read back", func(f *Func) { f.Text = text("th") }, []string{"Text"}},
		{"no code", func(f *Func) { f.NumPy, f.Torch, f.Eigen = Code{}, Code{}, Code{} }, []string{"NumPy", "Torch", "Eigen"}},
		{"no scalar Eigen", func(f *Func) { f.EigenScalar = Code{} }, []string{"EigenScalar"}},
		{"kinks undeclared", func(f *Func) { f.Kinks = nil }, []string{"Kinks"}},
		{"no exact values", func(f *Func) { f.Exact = nil }, []string{"Exact"}},
		{"not elementwise, no adjoint", func(f *Func) {
			f.Kind, f.Eval = Reduction, Funcs["sum"].Eval
			f.Deriv = Deriv{Tangent: Funcs["sum"].Deriv.Tangent}
		}, []string{"Deriv.Adjoint"}},
		{"vector map without the reason", func(f *Func) {
			*f = *Funcs["softmax"]
			f.Needs = ""
		}, []string{"Needs"}},
		{"no derivative, said why", func(f *Func) { f.Deriv = Deriv{NoDeriv: "none in closed form"} }, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := complete
			tc.edit(&f)
			if got := missing(&f); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("missing = %v, want %v", got, tc.want)
			}
		})
	}
}

// testCalc is a Calc without limits.
type testCalc struct{}

func (testCalc) Domain(format string, args ...any) error { return fmt.Errorf(format, args...) }
func (testCalc) Shape(format string, args ...any) error  { return fmt.Errorf(format, args...) }
func (testCalc) New(r, c int) (*mat.Dense, error)        { return mat.NewDense(r, c, nil), nil }
func (testCalc) Work(r, k, c int) error                  { return nil }

// TestRegistryExact checks every exact value against the numbers.
func TestRegistryExact(t *testing.T) {
	points := []*big.Rat{big.NewRat(-2, 1), big.NewRat(-1, 1), big.NewRat(-1, 2), big.NewRat(0, 1),
		big.NewRat(1, 4), big.NewRat(1, 1), big.NewRat(2, 1), big.NewRat(9, 4)}
	known := 0
	for _, f := range functions {
		for _, p := range points {
			r := f.Exact(new(big.Rat).Set(p))
			if r == nil {
				continue
			}
			known++
			x, _ := p.Float64()
			var got float64
			if f.Entry != nil {
				got = f.Entry(x)
			} else {
				v, err := f.Eval(testCalc{}, mat.NewDense(1, 1, []float64{x}))
				if err != nil {
					t.Errorf("%s(%v): %v", f.Name, p, err)
					continue
				}
				got = v.At(0, 0)
			}
			if want, _ := r.Float64(); math.Abs(got-want) > 1e-12 {
				t.Errorf("%s(%v): exact %v, numerically %v", f.Name, p, r, got)
			}
		}
	}
	if known < 50 {
		t.Errorf("only %d exact values", known)
	}
}

// TestOthersAreNotRead: the names other tools give a function are
// suggestions only; none is a name the parser reads as a function.
func TestOthersAreNotRead(t *testing.T) {
	for name, f := range Funcs {
		for _, o := range f.Others {
			if IsFunc(o) {
				t.Errorf("%s: %s is also read as a function", name, o)
			}
			if got, ok := FuncNamedOther(o); !ok || got != name {
				t.Errorf("%s: FuncNamedOther(%s) = %s, %v", name, o, got, ok)
			}
		}
	}
}

// TestUndoes: a function undoes the one its entry names, at points of that
// one's domain.
func TestUndoes(t *testing.T) {
	for name, f := range Funcs {
		if f.Undoes == "" {
			continue
		}
		g, ok := Funcs[f.Undoes]
		if !ok || f.Entry == nil || g.Entry == nil {
			t.Errorf("%s undoes %s, which is no elementwise function", name, f.Undoes)
			continue
		}
		for _, v := range []float64{-0.9, -0.3, 0.2, 0.7, 2.5} {
			gv := g.Entry(v)
			if math.IsNaN(gv) || math.IsInf(gv, 0) {
				continue // outside g's domain
			}
			if got := f.Entry(gv); math.Abs(got-v) > 1e-12*(1+math.Abs(v)) {
				t.Errorf("%s(%s(%g)) = %g", name, f.Undoes, v, got)
			}
		}
	}
}
