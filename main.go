// Command matdiff differentiates matrix and vector expressions
// symbolically. See cmd for the command line.
package main

import (
	"os"

	"github.com/matdiff/matdiff/cmd"
	"github.com/matdiff/matdiff/internal/pipeline"
)

func main() {
	pipeline.TuneCollector()
	if err := cmd.Execute(); err != nil {
		os.Exit(int(cmd.Code(err)))
	}
}
