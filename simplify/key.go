package simplify

import (
	"encoding/hex"
	"hash/fnv"
	"math/big"
	"strings"

	"github.com/matdiff/matdiff/ast"
)

// key returns a deterministic string for e, used to compare and order
// expressions. A name sorts before its ^T, ^-1 and ^-T (A < A^T < A^-1 <
// A^-T), and names compare by ASCII.
func (c *Context) key(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Name:
		if len(x.Name) <= maxKey {
			return x.Name // a name is its own key: no record is needed
		}
	case *ast.Number:
		if k, ok := smallIntKey(x.Value); ok {
			return k
		}
	}
	m := c.node(e)
	if m.hasKey {
		return m.key
	}
	var b strings.Builder
	c.writeKey(&b, e)
	m.key, m.hasKey = bounded(b.String()), true
	return m.key
}

// same reports whether a and b have the same key; names, transposed names
// and nodes of different types are told apart without building keys.
func (c *Context) same(a, b ast.Expr) bool {
	if a == b {
		return true
	}
	if opOf(a) != opOf(b) {
		return false
	}
	if ta, ok := a.(*ast.Transpose); ok {
		if na, ok := ta.X.(*ast.Name); ok {
			nb, ok := b.(*ast.Transpose).X.(*ast.Name)
			return ok && na.Name == nb.Name
		}
	}
	if na, ok := a.(*ast.Name); ok {
		return na.Name == b.(*ast.Name).Name
	}
	return c.key(a) == c.key(b)
}

// smallIntKeys are the keys of the integers -16 … 16, made once.
var smallIntKeys = func() (keys [33]string) {
	for i := range keys {
		keys[i] = "#" + big.NewRat(int64(i-16), 1).RatString()
	}
	return keys
}()

// smallIntKey returns the key of a small integer without building it.
func smallIntKey(r *big.Rat) (string, bool) {
	if !r.IsInt() || !r.Num().IsInt64() {
		return "", false
	}
	v := r.Num().Int64()
	if v < -16 || v > 16 {
		return "", false
	}
	return smallIntKeys[v+16], true
}

// maxKey bounds the length of a key: a longer one keeps its first half and
// a 128-bit hash of the whole, so that a key costs constant space however
// deep the tree, and equal trees still have equal keys.
const maxKey = 128

func bounded(k string) string {
	if len(k) <= maxKey {
		return k
	}
	h := fnv.New128a()
	h.Write([]byte(k))
	return k[:maxKey/2] + "\x7f" + hex.EncodeToString(h.Sum(nil))
}

// Key returns the comparison key of e (exported for tests and callers
// that order expressions the way the simplifier does).
func Key(e ast.Expr) string {
	return (&Context{}).key(e)
}

// writeKey writes e's key, taking its children's keys from the cache, so
// that a shared subtree's key is built once.
func (c *Context) writeKey(b *strings.Builder, e ast.Expr) {
	switch e := e.(type) {
	case *ast.Number:
		b.WriteString("#")
		b.WriteString(e.Value.RatString())
	case *ast.Name:
		b.WriteString(e.Name)
	case *ast.Pi:
		b.WriteString("pi")
	case *ast.Identity:
		// Identities (and ones) of different sizes are different.
		b.WriteString("I[" + e.N.String() + "]")
	case *ast.Ones:
		b.WriteString("1[" + e.N.String() + "]")
	case *ast.Zero:
		b.WriteString("0")
		if !e.Shape.IsScalar() {
			// Zeros of different shapes are different (0 and 0^T).
			b.WriteString("[" + e.Shape.String() + "]")
		}
	case *ast.Comm:
		b.WriteString("K[" + e.DM.String() + "," + e.DN.String() + "]")
	case *ast.Dimension:
		if e.Cols {
			b.WriteString("cols(")
		} else {
			b.WriteString("rows(")
		}
		b.WriteString(e.X.Name)
		b.WriteString(")")
	case *ast.Transpose:
		if inv, ok := e.X.(*ast.Inverse); ok {
			b.WriteString(c.key(inv.X))
			b.WriteString("\x03")
			return
		}
		c.writeGroup(b, e.X)
		b.WriteString("\x01")
	case *ast.Inverse:
		c.writeGroup(b, e.X)
		b.WriteString("\x02")
	case *ast.Power:
		c.writeGroup(b, e.X)
		b.WriteString("^")
		b.WriteString(e.Exp.RatString())
	case *ast.ElemPower:
		c.writeGroup(b, e.X)
		b.WriteString(".^")
		b.WriteString(e.Exp.RatString())
	case *ast.Norm:
		b.WriteString("||")
		b.WriteString(c.key(e.X))
		b.WriteString("||")
		b.WriteByte(byte('0' + e.Kind))
	case *ast.Call:
		b.WriteString(e.Func)
		b.WriteString("(")
		for i, a := range e.Args {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(c.key(a))
		}
		b.WriteString(")")
	case *ast.Sum:
		b.WriteString("(")
		for i, t := range e.Terms {
			if i > 0 {
				b.WriteString(" + ")
			}
			b.WriteString(c.key(t))
		}
		b.WriteString(")")
	case *ast.Product:
		for i, f := range e.Factors {
			if i > 0 {
				b.WriteString("\x00") // below every suffix: A B < A^T B
			}
			c.writeGroup(b, f)
		}
	case *ast.Neg:
		b.WriteString("-")
		c.writeGroup(b, e.X)
	default:
		kids := ast.Children(e)
		b.WriteString("(")
		b.WriteString(c.key(kids[0]))
		b.WriteString(binaryOp(e))
		b.WriteString(c.key(kids[1]))
		b.WriteString(")")
	}
}

func (c *Context) writeGroup(b *strings.Builder, e ast.Expr) {
	switch e.(type) {
	case *ast.Product, *ast.Neg:
		b.WriteString("[")
		b.WriteString(c.key(e))
		b.WriteString("]")
	default:
		b.WriteString(c.key(e))
	}
}

// binaryOp is the operator of an elementwise, division or Kronecker node.
func binaryOp(e ast.Expr) string {
	switch e.(type) {
	case *ast.Hadamard:
		return " .* "
	case *ast.ElemDiv:
		return " ./ "
	case *ast.Div:
		return " / "
	case *ast.Kron:
		return " ⊗ "
	}
	return " ? "
}
