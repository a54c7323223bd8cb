package codegen

import "container/heap"

// maxOrderDP is the longest chain ordered by dynamic programming over
// intervals, which costs the cube of the chain's length; a longer chain
// is ordered greedily (greedyOrder), in time n log n.
const maxOrderDP = 24

// greedyOrder multiplies the operands of a long chain by combining, again
// and again, the neighbouring pair that is cheapest to multiply (ties to
// the left): matrix-vector products come first, since they are the
// cheapest, so A1 A2 … An x is applied to x from the right.
func (l *lowerer) greedyOrder(ops []operand) operand {
	n := len(ops)
	cur := append([]operand(nil), ops...)
	next, prev := make([]int, n), make([]int, n)
	version := make([]int, n)
	for i := range cur {
		next[i], prev[i] = i+1, i-1
	}
	h := &pairHeap{}
	push := func(i int) {
		if j := next[i]; j < n {
			heap.Push(h, pair{i: i, version: version[i], cost: cost(cur[i], cur[j])})
		}
	}
	for i := 0; i+1 < n; i++ {
		push(i)
	}
	alive := n
	for alive > 1 && h.Len() > 0 {
		p := heap.Pop(h).(pair)
		i := p.i
		if p.version != version[i] || next[i] >= n {
			continue // stale: i or its neighbour changed since
		}
		j := next[i]
		cur[i] = l.combine(cur[i], cur[j])
		next[i] = next[j]
		if next[j] < n {
			prev[next[j]] = i
		}
		version[i]++
		version[j]++
		alive--
		push(i)
		if k := prev[i]; k >= 0 {
			version[k]++
			push(k)
		}
	}
	return cur[0]
}

// pair is two neighbours of a chain being ordered, the left one at i.
type pair struct {
	i, version int
	cost       float64
}

// pairHeap orders pairs by cost, then from the left.
type pairHeap []pair

func (h pairHeap) Len() int { return len(h) }
func (h pairHeap) Less(a, b int) bool {
	if h[a].cost != h[b].cost {
		return h[a].cost < h[b].cost
	}
	return h[a].i < h[b].i
}
func (h pairHeap) Swap(a, b int) { h[a], h[b] = h[b], h[a] }
func (h *pairHeap) Push(x any)   { *h = append(*h, x.(pair)) }
func (h *pairHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
