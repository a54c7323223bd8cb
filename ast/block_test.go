package ast

import "testing"

// Each visits every value Take handed out, in order, and no other: in
// the first block, across blocks, and past the largest block size.
func TestBlockEach(t *testing.T) {
	for _, n := range []int{0, 1, 8, 9, 1023, 3000} {
		var b Block[int]
		for i := range n {
			*b.Take() = i + 1
		}
		var got []int
		b.Each(func(v *int) { got = append(got, *v) })
		if len(got) != n {
			t.Fatalf("%d taken: Each visited %d", n, len(got))
		}
		for i, v := range got {
			if v != i+1 {
				t.Fatalf("%d taken: value %d is %d", n, i, v)
			}
		}
	}
}
