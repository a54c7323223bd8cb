package pipeline

import (
	"os"
	"runtime/debug"
)

// The collector's settings for one process of matdiff: it builds many
// small trees that all live until it exits, so collecting every time the
// heap doubles (Go's default) costs a third of its time and frees little.
// It collects when the heap has grown five-fold, and more often as it
// nears GCSoftLimit, which keeps the largest inputs within their memory
// (README, "Choices and fine points").
const (
	GCPercent   = 400
	GCSoftLimit = 160 << 20
)

// TuneCollector applies GCPercent and GCSoftLimit to this process, unless
// GOGC or GOMEMLIMIT in the environment say otherwise. The matdiff binary
// calls it first; the in-process benchmarks call it so that they measure
// what the binary runs.
func TuneCollector() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(GCSoftLimit)
	}
}
