package simplify

import (
	"github.com/matdiff/matdiff/ast"
)

// kronRules apply the algebra of Kronecker products inside matrix chains.
// tr(A ⊗ B) stays as it is: tr(A) tr(B) is larger.
var kronRules = []Rule{
	{Name: "kron-mixed-product", Doc: "(A ⊗ B) (C ⊗ D) -> (A C) ⊗ (B D) when A C and B D are defined", Apply: kronMixedProduct, On: OnProduct, Needs: OnKron},
	{Name: "kron-identity-factor", Doc: "M (I ⊗ I) -> M: a Kronecker product of identities in a chain", Apply: kronIdentityFactor, On: OnProduct, Needs: OnKron},
	{Name: "kron-scalars-out", Doc: "(2 A) ⊗ B -> 2 (A ⊗ B); A ⊗ (alpha B) -> alpha (A ⊗ B)", Apply: kronScalarsOut, On: OnKron},
	{Name: "kron-scalar-identity", Doc: "I_1 ⊗ A -> A; alpha ⊗ A -> alpha A", Apply: kronScalar, On: OnKron},
	{Name: "kron-inverse", Doc: "(A ⊗ B)^-1 -> A^-1 ⊗ B^-1 for square A and B", Apply: kronInverse, On: OnInverse, Needs: OnKron},
}

// squareKron returns the Kronecker product e when both its operands are
// square, and nil otherwise.
func (c *Context) squareKron(e ast.Expr) *ast.Kron {
	k, ok := e.(*ast.Kron)
	if !ok || !c.shape(k.X).IsSquare() || !c.shape(k.Y).IsSquare() {
		return nil
	}
	return k
}

func kronInverse(c *Context, e ast.Expr) ast.Expr {
	inv, ok := e.(*ast.Inverse)
	if !ok {
		return nil
	}
	k := c.squareKron(inv.X)
	if k == nil {
		return nil
	}
	return &ast.Kron{X: &ast.Inverse{X: k.X}, Y: &ast.Inverse{X: k.Y}}
}

func kronMixedProduct(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok {
		return nil
	}
	t := c.split(p)
	for i := 0; i+1 < len(t.chain); i++ {
		l, ok1 := t.chain[i].(*ast.Kron)
		r, ok2 := t.chain[i+1].(*ast.Kron)
		if !ok1 || !ok2 {
			continue
		}
		if !c.shape(l.X).Cols.Equal(c.shape(r.X).Rows) || !c.shape(l.Y).Cols.Equal(c.shape(r.Y).Rows) {
			continue
		}
		k := &ast.Kron{X: product(l.X, r.X), Y: product(l.Y, r.Y)}
		t.chain = append(append(append([]ast.Expr(nil), t.chain[:i]...), k), t.chain[i+2:]...)
		return t.build()
	}
	return nil
}

// isKronIdentity reports whether e is a Kronecker product of identities.
func isKronIdentity(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Identity:
		return true
	case *ast.Kron:
		return isKronIdentity(x.X) && isKronIdentity(x.Y)
	}
	return false
}

func kronIdentityFactor(c *Context, e ast.Expr) ast.Expr {
	p, ok := e.(*ast.Product)
	if !ok {
		return nil
	}
	t := c.split(p)
	if len(t.chain) < 2 {
		return nil
	}
	for i, f := range t.chain {
		if _, plain := f.(*ast.Identity); !plain && isKronIdentity(f) {
			t.chain = append(append([]ast.Expr(nil), t.chain[:i]...), t.chain[i+1:]...)
			return t.build()
		}
	}
	return nil
}

func kronScalar(c *Context, e ast.Expr) ast.Expr {
	k, ok := e.(*ast.Kron)
	if !ok {
		return nil
	}
	switch {
	case c.scalar(k.X):
		if _, ok := k.X.(*ast.Identity); ok {
			return k.Y
		}
		return product(k.X, k.Y)
	case c.scalar(k.Y):
		if _, ok := k.Y.(*ast.Identity); ok {
			return k.X
		}
		return product(k.Y, k.X)
	}
	return nil
}

func kronScalarsOut(c *Context, e ast.Expr) ast.Expr {
	k, ok := e.(*ast.Kron)
	if !ok || c.scalar(k.X) || c.scalar(k.Y) {
		return nil
	}
	tx, ty := c.split(k.X), c.split(k.Y)
	if len(tx.scalars)+len(ty.scalars) == 0 && ratIs(tx.coef, 1) && ratIs(ty.coef, 1) {
		return nil
	}
	if len(tx.chain) == 0 || len(ty.chain) == 0 {
		return nil
	}
	out := term{coef: ratMul(tx.coef, ty.coef), decimal: tx.decimal || ty.decimal}
	out.scalars = append(append([]ast.Expr(nil), tx.scalars...), ty.scalars...)
	out.chain = []ast.Expr{&ast.Kron{X: product(tx.chain...), Y: product(ty.chain...)}}
	return out.build()
}
