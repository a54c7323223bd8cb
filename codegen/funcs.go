package codegen

import "github.com/matdiff/matdiff/ast"

// spelling is how a target language writes a call of a registry
// function: open, the argument, close; helper, when set, is a definition
// the spelling needs, emitted once.
type spelling struct {
	open, close, helper string
}

// spell returns the spelling of the function name in the language lang
// (numpy, torch, eigen, or eigen-scalar for a function of a double), from
// the function registry.
func spell(lang, name string) (spelling, bool) {
	f, ok := ast.LookupFunc(name)
	if !ok {
		return spelling{}, false
	}
	var c ast.Code
	switch lang {
	case "numpy":
		c = f.NumPy
	case "torch":
		c = f.Torch
	case "eigen":
		c = f.Eigen
	case "eigen-scalar":
		c = f.EigenScalar
		if c.IsZero() {
			c = f.Eigen
		}
	}
	if c.IsZero() {
		return spelling{}, false
	}
	return spelling{open: c.Open, close: c.Close, helper: c.Helper}, true
}
