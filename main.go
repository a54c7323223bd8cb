// Command matdiff differentiates matrix and vector expressions
// symbolically. See cmd for the command line.
package main

import (
	"os"
	"runtime/debug"

	"github.com/matdiff/matdiff/cmd"
)

// The collector's settings for one process of matdiff: it builds many
// small trees that all live until it exits, so collecting every time the
// heap doubles (Go's default) costs a third of its time and frees little.
// It collects when the heap has grown five-fold, and more often as it
// nears gcSoftLimit, which keeps the largest inputs within their memory
// (README, "Choices and fine points"). GOGC and GOMEMLIMIT in the
// environment take precedence.
const (
	gcPercent   = 400
	gcSoftLimit = 160 << 20
)

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(gcSoftLimit)
	}
	if err := cmd.Execute(); err != nil {
		os.Exit(int(cmd.Code(err)))
	}
}
