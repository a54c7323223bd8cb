package main

import (
	"fmt"
	"os"

	"github.com/matdiff/matdiff/internal/pipeline"
	"github.com/matdiff/matdiff/render"
	"github.com/matdiff/matdiff/simplify"
)

func main() {
	t, err := pipeline.Parse(os.Args[1], pipeline.Options{})
	if err != nil {
		panic(err)
	}
	c := &simplify.Context{Info: t.Info, Trace: func(s simplify.Step) {
		if len(os.Args) > 2 {
			fmt.Printf("%-22s %s  ->  %s\n", s.Rule, render.Text(s.Before), render.Text(s.After))
		}
	}}
	out, _ := c.Simplify(t.Expr)
	fmt.Println(render.Text(out), simplify.NodeCount(t.Expr), simplify.NodeCount(out))
}
