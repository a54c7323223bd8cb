package cmd

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/matdiff/matdiff/ast"
)

// ExitCode is matdiff's exit status (the README, "Exit codes").
type ExitCode int

const (
	// ExitOK: success.
	ExitOK ExitCode = 0
	// ExitInvalid: the expression is invalid (syntax, shape, name, limit,
	// or a derivative without a closed form).
	ExitInvalid ExitCode = 1
	// ExitUsage: the command line is wrong.
	ExitUsage ExitCode = 2
	// ExitMismatch: the numeric check found a mismatch.
	ExitMismatch ExitCode = 3
)

// exitError is an error with its exit code and, for an error bound to a
// position of the input, the input for the caret block.
type exitError struct {
	code ExitCode
	err  error
	src  string
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageErrorf is a command-line error (exit 2).
func usageErrorf(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...)}
}

// invalid classifies an error of evaluating the input src: exit 1.
func invalid(err error, src string) error {
	if err == nil {
		return nil
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	return &exitError{code: ExitInvalid, err: err, src: src}
}

// Code maps an error returned by Execute to the exit code. An error that
// the commands did not classify comes from cobra's own parsing of the
// command line (an unknown flag, a bad flag value): exit 2.
func Code(err error) ExitCode {
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	var ae *ast.Error
	if errors.As(err, &ae) {
		return ExitInvalid
	}
	return ExitUsage
}

// runE marks every error a command returns, so that Code can tell them
// from cobra's usage errors: an error the command did not classify is an
// error of the input (exit 1).
func runE(run func(c *cobra.Command, args []string) error) func(c *cobra.Command, args []string) error {
	return func(c *cobra.Command, args []string) error {
		return invalid(run(c, args), "")
	}
}
