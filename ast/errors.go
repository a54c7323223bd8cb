package ast

import (
	"fmt"
	"strings"
)

// Error is an error bound to a position of the input: a syntax error, a
// shape error, an unknown name, a limit, or a derivative that has no closed
// form. Its message names the problem and, where one is likely, a fix.
type Error struct {
	Pos  Pos    // column of the offending token; 0 when none applies
	Kind string // "syntax", "shape", "name", "limit", "derivative"
	Msg  string
}

func (e *Error) Error() string {
	if e.Pos.IsValid() {
		return fmt.Sprintf("%s error at column %d: %s", e.Kind, e.Pos, e.Msg)
	}
	return fmt.Sprintf("%s error: %s", e.Kind, e.Msg)
}

// Errorf returns an *Error of the given kind at pos.
func Errorf(pos Pos, kind, format string, args ...any) *Error {
	return &Error{Pos: pos, Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// Caret returns the input line indented by two spaces and, below it, a
// caret under the error's column. It returns "" when the error has no
// position or the input has several lines and the column is beyond it.
func (e *Error) Caret(src string) string {
	if !e.Pos.IsValid() {
		return ""
	}
	runes := []rune(src)
	col := int(e.Pos)
	// Find the line that holds the column.
	start := 0
	for i := 0; i < col-1 && i < len(runes); i++ {
		if runes[i] == '\n' {
			start = i + 1
		}
	}
	end := start
	for end < len(runes) && runes[end] != '\n' {
		end++
	}
	line := string(runes[start:end])
	const maxShow = 120
	offset := col - 1 - start
	if offset < 0 {
		offset = 0
	}
	// Show a window of long lines around the caret.
	lr := []rune(line)
	if len(lr) > maxShow {
		from := offset - maxShow/2
		if from < 0 {
			from = 0
		}
		to := from + maxShow
		if to > len(lr) {
			to = len(lr)
			from = to - maxShow
		}
		line = string(lr[from:to])
		offset -= from
	}
	var b strings.Builder
	b.WriteString("  ")
	b.WriteString(line)
	b.WriteString("\n  ")
	// Pad with the line's own tabs, so that the caret lines up under them.
	for i, r := range []rune(line) {
		if i >= offset {
			break
		}
		if r == '\t' {
			b.WriteRune('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	if n := len([]rune(line)); offset > n {
		b.WriteString(strings.Repeat(" ", offset-n))
	}
	b.WriteString("^")
	return b.String()
}

// DivisionByNonScalar is the words of the shape error for a division by a
// vector or a matrix, by which a caller adding advice knows it.
const DivisionByNonScalar = "/ divides only by a scalar"
