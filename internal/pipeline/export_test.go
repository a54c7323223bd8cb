package pipeline

import "time"

// SetDeadline moves the end of t's time budget, so that a test can start
// the clock of a later phase.
func SetDeadline(t *Typed, d time.Time) { t.deadline = d }
