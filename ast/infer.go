package ast

// Infer checks the shapes of e under the declarations, regroups its
// products so that every Product holds scalar factors and one conformable
// chain, sizes its Identity, Ones and Zero nodes, and returns the new tree
// with what it learnt about the variables.
func Infer(e Expr, decls Decls) (Expr, *Info, error) {
	panic("not written")
}
