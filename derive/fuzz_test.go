package derive_test

import (
	"testing"

	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
)

// FuzzDerive differentiates any expression that parses by each of its
// variables, as a gradient or Jacobian in both layouts, as d/dx^T and as a
// Hessian where those apply. Errors are fine (many derivatives are
// tensors); a panic is not. Seeds: testdata/fuzz/FuzzDerive.
func FuzzDerive(f *testing.F) {
	f.Add("||B A x||^2")
	f.Add("tanh(W x + b)")
	f.Add("-y^T log(softmax(W x + b)) + logsumexp(X) + norm1(softmax(x)) + norm2(x)")
	f.Fuzz(func(t *testing.T, src string) {
		typed, err := pipeline.Parse(src, pipeline.Options{})
		if err != nil {
			return
		}
		for _, name := range typed.Info.Order {
			reqs := []derive.Request{
				{Wrt: name, Order: 1},
				{Wrt: name, Order: 1, Layout: derive.Numerator},
				{Wrt: name, Order: 1, Transposed: true},
				{Wrt: name, Order: 2},
			}
			for _, req := range reqs {
				d, err := typed.Derive(req)
				if err == nil && (d == nil || d.Result == nil) {
					t.Fatalf("%q: d/d%s gave no result and no error", src, name)
				}
			}
		}
	})
}
