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
			fmt.Fprintf(c.OutOrStdout(), "matdiff %s\n", Version)
			return nil
		}),
	}
}
