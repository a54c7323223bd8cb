package simplify

import (
	"errors"
	"time"
)

// ErrDeadline is reported when Context.Deadline passed before the rules
// settled; the form returned with it is correct but may not be canonical.
var ErrDeadline = errors.New("simplification ran out of time")

// expired reports whether the context's deadline, if any, has passed.
func (c *Context) expired() bool {
	return !c.Deadline.IsZero() && time.Now().After(c.Deadline)
}
