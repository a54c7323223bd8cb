package ast

import "sync/atomic"

// Memo is the scratch space a node keeps for the passes that annotate a
// tree: the shape that an Info computed for it, and one note of another
// pass (the simplifier's record of what it learnt). Trees are immutable,
// so a record never goes stale; it only has to belong to the asker, which
// is why each record names its owner (the Info, or an Owner). Looking a
// node up this way is a load and a comparison, where a map keyed by the
// node's interface value costs a hash per lookup.
//
// Records are swapped atomically: a tree may be shared by two goroutines,
// each with its own Info and Owner (matdiff itself gives every expression
// its own tree, but a caller of the packages need not), and then each may
// replace the other's record, which costs time but never a wrong answer.
// An Info or an Owner itself is for one goroutine at a time.
// Equal ignores a Memo and WithChildren never copies one.
type Memo struct {
	shape atomic.Pointer[shapeMemo]
	note  atomic.Pointer[NoteSlot]
	// ones repeats two facts of the shape where a load of the node finds
	// them: the Info's id << 2, then whether the columns and the rows are
	// 1 (Orientation).
	ones atomic.Uint64
}

// infoIDs is the last id given to an Info.
var infoIDs atomic.Uint64

// ident returns in's id, giving it one on first use.
func (in *Info) ident() uint64 {
	if in.id == 0 {
		in.id = infoIDs.Add(1)
	}
	return in.id
}

type shapeMemo struct {
	info  *Info
	shape Shape
	print uint64 // fingerprint(shape)
}

// fingerprint folds a shape's base dimensions into a number: equal shapes
// have equal fingerprints, and most unequal ones differ.
func fingerprint(s Shape) uint64 {
	h := uint64(len(s.Rows))<<32 | uint64(len(s.Cols))
	for _, d := range s.Rows {
		h = h*0x100000001b3 ^ uint64(d)
	}
	h = h*0x100000001b3 ^ 0xff
	for _, d := range s.Cols {
		h = h*0x100000001b3 ^ uint64(d)
	}
	return h
}

// A NoteSlot holds a note and its owner. SetNote takes one from the
// Owner; a pass whose note is a record of its own may embed a slot in the
// record and leave it with SetNoteIn, which spares an allocation and a
// load per node.
type NoteSlot struct {
	owner *Owner
	val   any
}

// Owner names one pass for Note and SetNote; make one with new(Owner) per
// pass whose notes must not be read by another. An Owner is for one
// goroutine at a time: it hands out its notes from a Block.
type Owner struct {
	_     noCopy
	notes Block[NoteSlot]
}

// Note returns the note that o left on e, or nil.
func Note(e Expr, o *Owner) any {
	if n := e.memo().note.Load(); n != nil && n.owner == o {
		return n.val
	}
	return nil
}

// SetNote leaves the note v of o on e, replacing any earlier note.
func SetNote(e Expr, o *Owner, v any) {
	n := o.notes.Take()
	n.owner, n.val = o, v
	e.memo().note.Store(n)
}

// SetNoteIn leaves the note v of o on e in the slot (embedded in v, which
// must not be left on another node), replacing any earlier note.
func SetNoteIn(e Expr, o *Owner, slot *NoteSlot, v any) {
	slot.owner, slot.val = o, v
	e.memo().note.Store(slot)
}

// DropNoteIn removes the note that SetNoteIn left on e in slot, if it is
// still there.
func DropNoteIn(e Expr, slot *NoteSlot) {
	e.memo().note.CompareAndSwap(slot, nil)
}

// cachedShape returns the shape that in computed for e, if it did.
func (in *Info) cachedShape(e Expr) (Shape, bool) {
	if m := e.memo().shape.Load(); m != nil && m.info == in {
		return m.shape, true
	}
	return Shape{}, false
}

// ShapeLike records, when in knows the shape of like and not yet that of e,
// that e has it too: for a tree made from another of the same shape (a
// rewrite), whose shape would otherwise be computed again from its leaves.
func (in *Info) ShapeLike(e, like Expr) {
	if s, ok := in.cachedShape(like); ok {
		if _, known := in.cachedShape(e); !known {
			in.cacheShape(e, s)
		}
	}
}

// cacheShape records in's shape s of e.
func (in *Info) cacheShape(e Expr, s Shape) {
	m := in.record(s)
	memo := e.memo()
	memo.shape.Store(m)
	w := in.ident() << 2
	if s.Rows.IsOne() {
		w |= 1
	}
	if s.Cols.IsOne() {
		w |= 2
	}
	memo.ones.Store(w)
}

// record returns a record of in's shape s. Records never change, and most
// nodes have one of a few shapes: nodes of one shape share a record, found
// by the shape's fingerprint in a small table (a newer shape whose
// fingerprint falls on the same slot takes it over), so that a large tree
// does not make a record per node and its lookups stay in the cache.
func (in *Info) record(s Shape) *shapeMemo {
	fp := fingerprint(s)
	if in.records == nil {
		in.records = new([recordSlots]*shapeMemo)
	}
	slot := &in.records[(fp^fp>>32)%recordSlots]
	if m := *slot; m != nil && m.print == fp && m.shape.Equal(s) {
		return m
	}
	m := in.memos.Take()
	m.info, m.shape, m.print = in, s, fp
	*slot = m
	return m
}

// recordSlots is the size of an Info's table of shared records.
const recordSlots = 64

// noCopy makes go vet report a copy of the struct that holds it (an Info
// or an Owner): a copy would hand out the same records twice.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}
