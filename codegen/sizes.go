package codegen

import (
	"fmt"

	"github.com/matdiff/matdiff/ast"
	"github.com/matdiff/matdiff/render"
)

// side is one dimension of a parameter: its rows or its columns (a
// vector has rows only).
type side struct {
	param int  // index into program.params
	cols  bool // false: rows
}

// dimRead says where the size of a base dimension is read from.
type dimRead struct {
	id int
	at side
}

// sizeCheck is one equality of sizes that the expression implies: the
// size at side equals the product of the base dimensions dim, the first
// of which was read at first.
type sizeCheck struct {
	at    side
	dim   ast.Dim
	first side   // where dim (or its first base dimension) was read
	msg   string // what needs it: "A x needs cols(A) = rows(x)"
}

// sideDim is the dimension of a side.
func (p *program) sideDim(s side) ast.Dim {
	v := p.params[s.param]
	if v.vector() {
		return dataShape(v.shape).Rows
	}
	if s.cols {
		return v.shape.Cols
	}
	return v.shape.Rows
}

// sideName prints a side: rows(A), cols(A), rows(x).
func (p *program) sideName(s side) string {
	if s.cols {
		return "cols(" + p.params[s.param].name + ")"
	}
	return "rows(" + p.params[s.param].name + ")"
}

// sides lists the dimensions of the parameters in order.
func (p *program) sides() []side {
	var out []side
	for i, v := range p.params {
		switch {
		case v.scalar():
		case v.vector():
			out = append(out, side{param: i})
		default:
			out = append(out, side{param: i}, side{param: i, cols: true})
		}
	}
	return out
}

// planSizes decides where each base dimension is read and which
// equalities are checked.
func (p *program) planSizes() error {
	read := map[int]side{}
	for _, s := range p.sides() {
		d := p.sideDim(s)
		if len(d) == 1 {
			if _, ok := read[d[0]]; !ok {
				read[d[0]] = s
				p.dims = append(p.dims, dimRead{id: d[0], at: s})
				continue
			}
		}
	}
	for _, s := range p.sides() {
		d := p.sideDim(s)
		if len(d) == 1 && read[d[0]] == s {
			continue
		}
		var first side
		for _, id := range d {
			r, ok := read[id]
			if !ok {
				return errorf(nil, "the size %v of %s is a product of dimensions that no variable has alone; codegen cannot read it", d, p.sideName(s))
			}
			first = r
		}
		if len(d) == 0 {
			continue
		}
		first = read[d[0]]
		want := p.sideName(first)
		if len(d) > 1 {
			want = ""
			for i, id := range d {
				if i > 0 {
					want += "*"
				}
				want += p.sideName(read[id])
			}
		}
		msg := fmt.Sprintf("%s needs %s = %s", p.context(first, s), want, p.sideName(s))
		p.checks = append(p.checks, sizeCheck{at: s, dim: d, first: first, msg: msg})
	}
	// Every dimension that the code uses must be known.
	for _, n := range p.b.nodes {
		var ds []ast.Dim
		switch n.op {
		case opDim, opOnes, opEye:
			ds = append(ds, n.dim)
		case opZeros:
			ds = append(ds, n.shape.Rows, n.shape.Cols)
		}
		for _, d := range ds {
			for _, id := range d {
				if _, ok := read[id]; !ok {
					return errorf(nil, "a size (%s) is not fixed by any variable; tie it to one, as in eye(rows(X))", ast.BaseName(id))
				}
			}
		}
	}
	return nil
}

// context is the smallest part of the expression that relates the two
// sides, printed as text: "A x", "tr(X)".
func (p *program) context(a, b side) string {
	e := p.typed.Expr
	na, nb := p.params[a.param].name, p.params[b.param].name
	if na == nb {
		if k := p.params[a.param].kind; k == ast.KindSymmetric {
			return na + " is declared symmetric, so it"
		} else if p.opts.Decls[na] == ast.KindSquare {
			return na + " is declared square, so it"
		}
		if sq := squareUse(e, na, p.typed.Info); sq != nil {
			return render.Text(sq)
		}
		return render.Text(e)
	}
	best := e
	var find func(e ast.Expr) bool
	find = func(e ast.Expr) bool {
		for _, k := range ast.Children(e) {
			if contains(k, na) && contains(k, nb) {
				best = k
				find(k)
				return true
			}
		}
		return false
	}
	find(e)
	if pr, ok := best.(*ast.Product); ok {
		lo, hi := -1, -1
		for i, f := range pr.Factors {
			if contains(f, na) || contains(f, nb) {
				if lo < 0 {
					lo = i
				}
				hi = i
			}
		}
		if lo >= 0 && hi > lo && (lo > 0 || hi < len(pr.Factors)-1) {
			best = &ast.Product{Factors: pr.Factors[lo : hi+1]}
		}
	}
	return render.Text(best)
}

// contains reports whether e mentions the variable name.
func contains(e ast.Expr, name string) bool {
	found := false
	ast.Inspect(e, func(x ast.Expr) bool {
		if x == nil {
			return false
		}
		if n, ok := x.(*ast.Name); ok && n.Name == name {
			found = true
		}
		return !found
	})
	return found
}

// squareUse is the innermost operation on the variable that needs it
// square: an inverse, a power, tr, det, logdet or diag.
func squareUse(e ast.Expr, name string, info *ast.Info) ast.Expr {
	var out ast.Expr
	ast.Inspect(e, func(x ast.Expr) bool {
		if x == nil || !contains(x, name) {
			return false
		}
		switch x := x.(type) {
		case *ast.Inverse:
			out = x
		case *ast.Power:
			if s, err := info.Shape(x.X); err == nil && !s.IsScalar() {
				out = x
			}
		case *ast.Call:
			switch x.Func {
			case "tr", "det", "logdet", "diag":
				out = x
			}
		}
		return true
	})
	return out
}
