package ast

// SizeAtMost reports whether the tree e has at most max nodes. It stops
// counting as soon as the bound is passed, so it takes time O(max) even on
// a tree that shares subtrees and would be exponentially large unfolded.
func SizeAtMost(e Expr, max int) bool {
	n := 0
	var count func(e Expr) bool
	count = func(e Expr) bool {
		n++
		if n > max {
			return false
		}
		for i, m := 0, NumChildren(e); i < m; i++ {
			if !count(Child(e, i)) {
				return false
			}
		}
		return true
	}
	return e == nil || count(e)
}
