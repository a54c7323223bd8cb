// Package simplify owns matdiff's canonical forms: a rewriting system of
// small named rules (one file per family), applied bottom-up to a fixpoint
// with an iteration cap, that turns any well-shaped tree into the form a
// person would write and that the printer prints.
//
// Canonical trees keep these invariants: no Div or Neg nodes (a division is
// a negative power of a scalar, a negation a coefficient -1); transposes sit
// on leaves; sums and products are flat, a product's numeric coefficient
// comes first and is never 1; a 1×1 run inside a matrix chain is a nested
// Product (a parenthesised scalar); terms of a sum are in canonical order.
// The factors of a matrix chain are never reordered.
package simplify

import (
	"fmt"
	"time"

	"github.com/matdiff/matdiff/ast"
)

// Rule is one rewrite: Apply returns the rewritten node, or nil when the
// rule does not apply. Doc says what it does, in one line.
type Rule struct {
	Name  string
	Doc   string
	Apply func(c *Context, e ast.Expr) ast.Expr
}

// Step records one rule application, for --trace.
type Step struct {
	Rule          string
	Before, After ast.Expr
}

// Context carries what rules need: the shapes of the variables.
type Context struct {
	Info *ast.Info
	// Trace, when set, receives every rule application.
	Trace func(Step)
	// MaxSteps caps rule applications per node (0: DefaultMaxSteps).
	MaxSteps int
	// Rules to apply, in order (nil: Default).
	Rules []Rule
	// Deadline, when set, stops the rewriting once it has passed: Simplify
	// then returns the form reached with ErrDeadline.
	Deadline time.Time

	keys       map[ast.Expr]string
	transposed map[string]ast.Expr // pushTranspose's results by key
	steps      int
}

// DefaultMaxSteps is the default cap on rule applications at one node.
const DefaultMaxSteps = 200

// ErrCycle is reported when the rules did not settle within the cap.
var ErrCycle = fmt.Errorf("simplification did not settle within the iteration cap")

// Simplify returns the canonical form of e.
func Simplify(e ast.Expr, info *ast.Info) ast.Expr {
	c := &Context{Info: info}
	out, _ := c.Simplify(e)
	return out
}

// Simplify returns the canonical form of e; it reports ErrCycle (with the
// best form reached) when a node did not settle within the cap.
func (c *Context) Simplify(e ast.Expr) (ast.Expr, error) {
	if c.Rules == nil {
		c.Rules = Default()
	}
	if c.MaxSteps == 0 {
		c.MaxSteps = DefaultMaxSteps
	}
	var err error
	for round := 0; round < 8; round++ {
		out, settled := c.bottomUp(e)
		if c.expired() {
			return out, ErrDeadline
		}
		if !settled {
			err = ErrCycle
		}
		if ast.Equal(out, e) {
			return c.anchorIdentities(out), err
		}
		e = out
	}
	return c.anchorIdentities(e), err
}

// bottomUp simplifies the children of e, then applies the rules to e until
// none applies (exhaust), at most MaxSteps times.
func (c *Context) bottomUp(e ast.Expr) (ast.Expr, bool) {
	settled := true
	e = ast.Rewrite(e, func(n ast.Expr) ast.Expr {
		if c.expired() {
			return n
		}
		for i := 0; ; i++ {
			if i >= c.MaxSteps {
				settled = false
				return n
			}
			next, rule := c.once(n)
			if next == nil {
				return n
			}
			if c.Trace != nil {
				c.Trace(Step{Rule: rule, Before: n, After: next})
			}
			// A rewritten node may have new children to simplify.
			if rule != "" && hasUnsimplifiedKids(n, next) {
				var ok bool
				next, ok = c.bottomUpKids(next)
				settled = settled && ok
			}
			n = next
		}
	})
	return e, settled
}

func (c *Context) bottomUpKids(e ast.Expr) (ast.Expr, bool) {
	kids := ast.Children(e)
	if len(kids) == 0 {
		return e, true
	}
	ok := true
	nk := make([]ast.Expr, len(kids))
	for i, k := range kids {
		var s bool
		nk[i], s = c.bottomUp(k)
		ok = ok && s
	}
	return ast.WithChildren(e, nk), ok
}

// hasUnsimplifiedKids reports whether next has children that were not
// children of n (and so have not been simplified yet).
func hasUnsimplifiedKids(n, next ast.Expr) bool {
	old := map[ast.Expr]bool{}
	for _, k := range ast.Children(n) {
		old[k] = true
	}
	for _, k := range ast.Children(next) {
		if !old[k] && len(ast.Children(k)) > 0 {
			return true
		}
	}
	return false
}

// once applies the first rule that applies to e.
func (c *Context) once(e ast.Expr) (ast.Expr, string) {
	for _, r := range c.Rules {
		if out := r.Apply(c, e); out != nil {
			return out, r.Name
		}
	}
	return nil, ""
}

// Default returns the rule list, in the order rules are tried at a node.
func Default() []Rule {
	var rules []Rule
	for _, family := range [][]Rule{
		normalRules, transposeRules, numberRules, powerRules,
		productRules, sumRules, funcRules,
	} {
		rules = append(rules, family...)
	}
	return rules
}

// shape returns the shape of e.
func (c *Context) shape(e ast.Expr) ast.Shape { return c.Info.MustShape(e) }

// scalar reports whether e is 1×1.
func (c *Context) scalar(e ast.Expr) bool { return c.shape(e).IsScalar() }
