package parser

import (
	"fmt"
	"github.com/matdiff/matdiff/internal/benchfam"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// The token streams are reused from input to input (grammar.go): parsing
// inputs of different lengths, errors among them, one after another and at
// once, must give each the tree or error it has alone.
func TestStreamReuse(t *testing.T) {
	inputs := []string{
		input(benchfam.Chain(300)),
		"x",
		input(benchfam.LeastSquares(50)),
		"(x",
		strings.Repeat("(", MaxDepth+1) + "x" + strings.Repeat(")", MaxDepth+1),
		"||X||_F + a^ - T",
		input(benchfam.Tanh(200)),
		"",
		"A B (x + y)",
	}
	type result struct {
		tree string
		err  string
	}
	parse := func(src string) result {
		e, err := ParseExpr(src)
		r := result{tree: sexp(e)}
		if err != nil {
			r.err = err.Error()
		}
		return r
	}
	want := make([]result, len(inputs))
	for i, in := range inputs {
		want[i] = parse(in)
	}
	check := func(round, i int) error {
		if got := parse(inputs[i]); !reflect.DeepEqual(got, want[i]) {
			return fmt.Errorf("round %d, input %d: got %.80v, want %.80v", round, i, got, want[i])
		}
		return nil
	}
	for round := range 3 {
		for i := len(inputs) - 1; i >= 0; i-- {
			if err := check(round, i); err != nil {
				t.Fatal(err)
			}
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 5 {
				for k := range inputs {
					if err := check(round, (k*(g+1)+round)%len(inputs)); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// A stream too small for an input is replaced by one of room for all its
// tokens, and an input of more tokens than a kept stream holds gets a
// stream of its own that is not kept: each input still has the tree or
// error it has alone.
func TestStreamGrows(t *testing.T) {
	huge := strings.Repeat("x+", maxKept/2+100) + "x"
	inputs := []string{
		input(benchfam.Chain(300)),
		input(benchfam.LeastSquares(50)),
		strings.Repeat("(", MaxDepth+1) + "x" + strings.Repeat(")", MaxDepth+1),
		huge,
	}
	want := make([]string, len(inputs))
	for i, in := range inputs {
		e, err := ParseExpr(in)
		want[i] = fmt.Sprint(sexp(e), err)
	}
	for i, in := range inputs {
		// Only one small stream is idle.
		idle.Lock()
		idle.streams = []*stream{newStream(64)}
		idle.Unlock()
		e, err := ParseExpr(in)
		if got := fmt.Sprint(sexp(e), err); got != want[i] {
			t.Fatalf("input %d: got %.80s, want %.80s", i, got, want[i])
		}
		idle.Lock()
		var sizes []int
		for _, s := range idle.streams {
			sizes = append(sizes, len(s.toks))
		}
		idle.Unlock()
		for _, n := range sizes {
			if n > maxKept {
				t.Errorf("input %d: a stream of %d tokens is kept", i, n)
			}
		}
	}
}
