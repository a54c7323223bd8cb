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
	if _, ok := ast.Funcs[name]; !ok {
		return spelling{}, false
	}
	return spelling{}, false
}
