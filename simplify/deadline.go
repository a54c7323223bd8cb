package simplify

import (
	"errors"
	"time"
)

// ErrDeadline is reported when Context.Deadline passed before the rules
// settled; the form returned with it is correct but may not be canonical.
var ErrDeadline = errors.New("simplification ran out of time")

// clockEvery is how many rule rounds pass between two readings of the
// clock: reading it at every node costs more than some rules do.
const clockEvery = 64

// expired reports whether the context's deadline, if any, has passed. It
// reads the clock every clockEvery calls; once passed, it stays passed.
func (c *Context) expired() bool {
	if c.Deadline.IsZero() {
		return false
	}
	if c.overdue {
		return true
	}
	c.ticks++
	if c.ticks%clockEvery != 0 {
		return false
	}
	return c.expiredNow()
}

// expiredNow is expired, reading the clock now.
func (c *Context) expiredNow() bool {
	if c.Deadline.IsZero() {
		return false
	}
	c.overdue = c.overdue || time.Now().After(c.Deadline)
	return c.overdue
}
