package check_test

import (
	"testing"

	"github.com/matdiff/matdiff/check"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
)

// FuzzCheck runs the numeric check on the derivative of any expression
// that parses and differentiates, by the variable that which selects, as a
// gradient, Jacobian or Hessian as mode selects. The check may report a
// mismatch or fail to find an instance; it must not panic. Seeds:
// testdata/fuzz/FuzzCheck.
func FuzzCheck(f *testing.F) {
	f.Add("||B A x||^2", uint8(1), uint8(0))
	f.Add("x^T A x", uint8(0), uint8(3))
	f.Fuzz(func(t *testing.T, src string, which, mode uint8) {
		typed, err := pipeline.Parse(src, pipeline.Options{})
		if err != nil || len(typed.Info.Order) == 0 {
			return
		}
		req := derive.Request{Wrt: typed.Info.Order[int(which)%len(typed.Info.Order)], Order: 1}
		switch mode % 4 {
		case 1:
			req.Layout = derive.Numerator
		case 2:
			req.Transposed = true
		case 3:
			req.Order = 2
		}
		d, err := typed.Derive(req)
		if err != nil || d.Absent {
			return
		}
		rep, err := check.Derivative(typed.Expr, typed.Info, d.Request, d.Result, check.Options{Draws: 1, Gradient: d.Gradient})
		if err == nil && rep.Draws == 0 {
			t.Fatalf("%q: check reported no draws and no error", src)
		}
	})
}
