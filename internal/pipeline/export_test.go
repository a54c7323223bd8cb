package pipeline

import (
	"time"

	"github.com/matdiff/matdiff/ast"
)

// SetDeadline moves the end of t's time budget, so that a test can start
// the clock of a later phase.
func SetDeadline(t *Typed, d time.Time) { t.deadline = d }

// SimplifyDerivative simplifies a derivative of t under t's limits, as
// Derive does after differentiating.
func SimplifyDerivative(t *Typed, e ast.Expr) (ast.Expr, error) { return t.simplify(e) }
