package parser

import (
	"fmt"
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
		chainInput(300),
		"x",
		leastSquaresInput(50),
		"(x",
		strings.Repeat("(", MaxDepth+1) + "x" + strings.Repeat(")", MaxDepth+1),
		"||X||_F + a^ - T",
		tanhInput(200),
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
