package render

import "github.com/matdiff/matdiff/ast"

// isScalar reports whether e is 1×1: by the Info when it knows, otherwise
// by a guess from the kinds that ast.DefaultKind gives names.
func (p *printer) isScalar(e ast.Expr) bool {
	if p.Info != nil {
		if s, err := p.Info.Shape(e); err == nil {
			return s.IsScalar()
		}
	}
	r, c := p.guess(e)
	return r && c
}

// guess returns whether e has one row and whether it has one column,
// guessing the shapes of names from their spelling. It remembers its
// answers, so that printing stays linear in the size of the tree.
func (p *printer) guess(e ast.Expr) (oneRow, oneCol bool) {
	if g, ok := p.guessed[e]; ok {
		return g[0], g[1]
	}
	oneRow, oneCol = p.guessNew(e)
	if p.guessed == nil {
		p.guessed = map[ast.Expr][2]bool{}
	}
	p.guessed[e] = [2]bool{oneRow, oneCol}
	return oneRow, oneCol
}

func (p *printer) guessNew(e ast.Expr) (oneRow, oneCol bool) {
	switch e := e.(type) {
	case *ast.Number, *ast.Pi, *ast.Dimension, *ast.Norm:
		return true, true
	case *ast.Name:
		switch ast.DefaultKind(e.Name) {
		case ast.KindScalar:
			return true, true
		case ast.KindVector:
			return false, true
		}
		return false, false
	case *ast.Identity, *ast.Zero, *ast.Comm:
		return false, false
	case *ast.Ones:
		return false, true
	case *ast.Sum:
		return p.guessAny(e.Terms)
	case *ast.Hadamard:
		return p.guessAny([]ast.Expr{e.X, e.Y})
	case *ast.ElemDiv:
		return p.guessAny([]ast.Expr{e.X, e.Y})
	case *ast.Product:
		// The rows of the first non-scalar factor, the columns of the last.
		first := true
		oneRow, oneCol = true, true
		for _, f := range e.Factors {
			r, c := p.guess(f)
			if r && c {
				continue
			}
			if first {
				oneRow, first = r, false
			}
			oneCol = c
		}
		return oneRow, oneCol
	case *ast.Kron:
		r1, c1 := p.guess(e.X)
		r2, c2 := p.guess(e.Y)
		return r1 && r2, c1 && c2
	case *ast.Div:
		return p.guess(e.X)
	case *ast.Neg:
		return p.guess(e.X)
	case *ast.Transpose:
		r, c := p.guess(e.X)
		return c, r
	case *ast.Inverse:
		return p.guess(e.X)
	case *ast.Power:
		return p.guess(e.X)
	case *ast.ElemPower:
		return p.guess(e.X)
	case *ast.Call:
		if len(e.Args) == 0 {
			return true, true
		}
		r, c := p.guess(e.Args[0])
		switch f := ast.Funcs[e.Func]; {
		case f.IsScalar():
			return true, true
		case f == nil || f.KeepsShape():
			return r, c
		case f.Kind == ast.Vectorize:
			return r && c, true
		case f.Kind == ast.Diagonal:
			switch {
			case r && c:
				return true, true
			case r || c:
				return false, false
			}
			return false, true
		}
		return r, c
	}
	return false, false
}

// guessAny is the guess for operands that broadcast: the first one that
// is not 1×1.
func (p *printer) guessAny(es []ast.Expr) (bool, bool) {
	for _, x := range es {
		if r, c := p.guess(x); !r || !c {
			return r, c
		}
	}
	return true, true
}
