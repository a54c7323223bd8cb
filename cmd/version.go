package cmd

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newVersion() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print matdiff's version",
		Args:  cobra.NoArgs,
		RunE: runE(func(c *cobra.Command, args []string) error {
			return printVersion(c)
		}),
	}
}

// printVersion prints matdiff's version, for the version command and the
// --version flag.
func printVersion(c *cobra.Command) error {
	_, err := fmt.Fprintf(c.OutOrStdout(), "matdiff %s\n", Version)
	return err
}

// askedVersion reports whether c (the root command) was given --version.
func askedVersion(c *cobra.Command) bool {
	v, err := c.Flags().GetBool("version")
	return err == nil && v
}
