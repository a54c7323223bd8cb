package ast

// Block hands out values of T from blocks it allocates, of 8 values at
// first and twice as many each time up to 1 024: a long expression is one
// allocation per block instead of one per node (which would make the
// collector's work grow with them), and a short one wastes little. The
// parser, inference and the passes' records (memo.go) take their nodes and
// records from Blocks. A Block is for one goroutine at a time.
type Block[T any] struct {
	free   []T
	size   int
	blocks [][]T // every block allocated, for Each
}

// Take returns a zero value of its own.
func (b *Block[T]) Take() *T {
	if len(b.free) == 0 {
		b.size = min(max(8, 2*b.size), 1024)
		b.free = make([]T, b.size)
		b.blocks = append(b.blocks, b.free)
	}
	v := &b.free[0]
	b.free = b.free[1:]
	return v
}

// Each calls f with every value Take has handed out, in order.
func (b *Block[T]) Each(f func(*T)) {
	for i, blk := range b.blocks {
		n := len(blk)
		if i == len(b.blocks)-1 {
			n -= len(b.free)
		}
		for j := range n {
			f(&blk[j])
		}
	}
}
