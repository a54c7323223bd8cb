package derive_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/check"
	"github.com/matdiff/matdiff/derive"
	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
)

var props = flag.Int("props", 500, "random expressions in the property test")

// gen writes random well-shaped expressions over a fixed set of variables:
// scalars alpha, beta; vectors x, y (n×1) and u (m×1); matrices A, S
// (n×n, S symmetric), B (m×n).
type gen struct {
	r *rand.Rand
}

type kind int

const (
	kScalar kind = iota
	kVec         // n×1
	kVecM        // m×1
	kSquare      // n×n
	kRect        // m×n
)

func (g *gen) pick(options ...string) string { return options[g.r.IntN(len(options))] }

func (g *gen) pickKind(options ...kind) kind { return options[g.r.IntN(len(options))] }

func (g *gen) expr(k kind, depth int) string {
	if depth <= 0 {
		return g.leaf(k)
	}
	return "(" + g.composite(k, depth) + ")"
}

func (g *gen) composite(k kind, depth int) string {
	d := depth - 1
	switch k {
	case kScalar:
		switch g.r.IntN(22) {
		case 19:
			return "logsumexp(" + g.expr(g.pickKind(kVec, kRect), d) + ")"
		case 20:
			return g.expr(kVec, d) + "^T softmax(" + g.expr(kVec, d) + ")"
		case 21:
			return g.pick("norm1", "norm2") + "(" + g.expr(kVec, d) + ")"
		case 14:
			return "sum(log(1 + " + g.expr(kVec, d) + ".^2))"
		case 15:
			if g.r.IntN(2) == 0 {
				return "1^T " + g.pick("abs", "relu") + "(" + g.pick("x", "y") + " - 1)"
			}
			return "1^T " + g.pick("exp", "sqrt", "log") + "(" + g.pick("x", "y") + " + 1)"
		case 16:
			return "sum(diag(" + g.expr(kSquare, d) + "))"
		case 17:
			return "||" + g.expr(kVec, d) + "||_1"
		case 18:
			return "vec(" + g.expr(kVec, d) + ")^T " + g.expr(kVec, d)
		case 0:
			return g.expr(kVec, d) + "^T " + g.expr(kVec, d)
		case 1:
			return "tr(" + g.expr(kSquare, d) + ")"
		case 2:
			return "||" + g.expr(kVec, d) + "||^2"
		case 3:
			return g.expr(kScalar, d) + " " + g.expr(kScalar, d)
		case 4:
			return g.expr(kScalar, d) + " + " + g.expr(kScalar, d)
		case 5:
			return "(" + g.expr(kScalar, d) + ")^2"
		case 6:
			return g.expr(kScalar, d) + " / (1 + " + g.leaf(kScalar) + "^2)"
		case 7:
			return g.pick("sin", "cos", "tanh", "sigmoid", "softplus", "arctan") + "(" + g.expr(kScalar, d) + ")"
		case 8:
			return "sum(" + g.pick("tanh", "sigmoid", "sin", "softplus") + "(" + g.expr(kVec, d) + "))"
		case 9:
			return g.expr(kVecM, d) + "^T " + g.leaf(kRect) + " " + g.expr(kVec, d)
		case 10:
			return "||" + g.expr(kRect, d) + "||_F^2"
		case 11:
			return "logdet(" + g.pick("A", "S", "A^T A + I", "S + I") + ")"
		case 12:
			return "sqrt(1 + (" + g.expr(kVec, d) + "^T " + g.expr(kVec, d) + ")^2)"
		default:
			return "||" + g.expr(kVec, d) + "||"
		}
	case kVec:
		switch g.r.IntN(15) {
		case 14:
			return "softmax(" + g.expr(kVec, d) + ")"
		case 10:
			return "diag(" + g.expr(kVec, d) + ") " + g.expr(kVec, d)
		case 11:
			return g.expr(kVec, d) + " ./ (1 + " + g.expr(kVec, d) + ".^2)"
		case 12:
			return "diag(" + g.expr(kSquare, d) + ")"
		case 13:
			return g.pick("arctan", "exp") + "(" + g.expr(kVec, d) + "/4)"
		case 0:
			return g.expr(kSquare, d) + " " + g.expr(kVec, d)
		case 1:
			return g.leaf(kRect) + "^T " + g.expr(kVecM, d)
		case 2:
			return g.expr(kScalar, d) + " " + g.expr(kVec, d)
		case 3:
			return g.expr(kVec, d) + " + " + g.expr(kVec, d)
		case 4:
			return g.expr(kVec, d) + " - " + g.expr(kVec, d)
		case 5:
			return g.pick("tanh", "sigmoid", "sin", "softplus", "cos") + "(" + g.expr(kVec, d) + ")"
		case 6:
			return g.expr(kVec, d) + " .* " + g.expr(kVec, d)
		case 7:
			return "(" + g.expr(kVec, d) + ")" + ".^2"
		case 8:
			return g.expr(kVec, d) + " (" + g.expr(kVec, d) + "^T " + g.leaf(kVec) + ")"
		default:
			return g.expr(kVec, d) + " / (1 + " + g.leaf(kScalar) + "^2)"
		}
	case kVecM:
		switch g.r.IntN(3) {
		case 0:
			return g.expr(kRect, d) + " " + g.expr(kVec, d)
		case 1:
			return "tanh(" + g.expr(kVecM, d) + ")"
		default:
			return g.expr(kVecM, d) + " + " + g.expr(kVecM, d)
		}
	case kSquare:
		switch g.r.IntN(8) {
		case 0:
			return g.expr(kSquare, d) + " " + g.expr(kSquare, d)
		case 1:
			return "(" + g.expr(kSquare, d) + ")^T"
		case 2:
			return g.expr(kSquare, d) + " + " + g.expr(kSquare, d)
		case 3:
			return g.expr(kVec, d) + " " + g.expr(kVec, d) + "^T"
		case 4:
			return g.leaf(kRect) + "^T " + g.expr(kRect, d)
		case 5:
			return "(" + g.pick("A", "S") + " + " + g.pick("2", "3") + " I)^-1"
		case 6:
			return g.expr(kScalar, d) + " " + g.expr(kSquare, d)
		default:
			return "(" + g.expr(kSquare, d) + ")^2"
		}
	case kRect:
		switch g.r.IntN(4) {
		case 0:
			return g.expr(kRect, d) + " " + g.expr(kSquare, d)
		case 1:
			return g.expr(kVecM, d) + " " + g.expr(kVec, d) + "^T"
		case 2:
			return g.expr(kRect, d) + " + " + g.expr(kRect, d)
		default:
			return g.pick("tanh", "sigmoid") + "(" + g.expr(kRect, d) + ")"
		}
	}
	panic("unreachable")
}

func (g *gen) leaf(k kind) string {
	switch k {
	case kScalar:
		return g.pick("alpha", "beta", "2", "0.5")
	case kVec:
		return g.pick("x", "y")
	case kVecM:
		return "u"
	case kSquare:
		return g.pick("A", "S", "A^T", "I")
	}
	return "B"
}

// fixShapes declares the variables so that every generated expression
// infers the intended shapes.
var fixShapes = "x y u alpha beta A S B"

func TestPropertyRandomDerivatives(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	g := &gen{r: r}
	decls := ast.Decls{"S": ast.KindSymmetric, "A": ast.KindSquare}
	checked, skipped := 0, 0
	for i := 0; i < *props; i++ {
		var k kind
		var src string
		switch i % 4 {
		case 3:
			k = kVec
		default:
			k = kScalar
		}
		src = g.composite(k, 1+r.IntN(3))
		// Anchor the sizes: x, y are n×1 with A and S n×n; u is m×1 with B m×n.
		anchor := " + 0 x^T A S y + 0 u^T B x"
		if k == kVec {
			anchor = " + 0 (x^T A S y + u^T B x) x"
		}
		src += anchor
		typed, err := pipeline.Parse(src, pipeline.Options{Decls: decls})
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		for _, v := range typed.Info.Order {
			if strings.Contains(" x y u alpha beta A S B ", " "+v+" ") == false {
				continue
			}
			req := derive.Request{Wrt: v, Order: 1}
			vs := typed.Info.Vars[v].Shape
			if k == kVec && !vs.IsVector() && !vs.IsScalar() {
				continue // a vector by a matrix needs --vec
			}
			if k == kVec {
				req.Transposed = true
			}
			d, err := typed.Derive(req)
			if err != nil {
				t.Errorf("d/d%s %s: %v", v, src, err)
				continue
			}
			rep, err := check.Derivative(typed.Expr, typed.Info, d.Request, d.Result, check.Options{})
			if err == check.ErrNoInstance {
				skipped++
				continue
			}
			if err != nil || !rep.OK {
				t.Errorf("d/d%s %s = %s: %v %v\n raw %s", v, src, render.Text(d.Result), rep, err, render.Text(d.Raw))
				continue
			}
			checked++
		}
	}
	t.Logf("%d derivatives of %d expressions checked numerically, %d without a valid instance", checked, *props, skipped)
	if checked < *props {
		t.Errorf("only %d derivatives checked", checked)
	}
	_ = fmt.Sprint
}
