package cmd

import (
	"strings"

	"github.com/spf13/cobra"
)

// normalizeArgs rewrites a command line so that cobra reads it as matdiff
// means it: the subcommand first, then every flag, wherever it was written
// (before or after the expression, before or after a "--"), then "--" and
// the positional arguments. An argument that begins with "-" and is not one
// of matdiff's flags is positional, so that `matdiff d/dx '-x^T x'` needs
// no "--". A word that looks like a long flag (--name, --name=value) stays
// a flag, so that a mistyped one is still an unknown-flag error.
func normalizeArgs(root *cobra.Command, args []string) []string {
	if len(args) == 0 || strings.HasPrefix(args[0], "__complete") {
		return args
	}
	cmd := root
	var sub string
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			continue
		}
		if name, hasValue, ok := flagWord(a, len(args) == 1); ok {
			flags = append(flags, a)
			if !hasValue && takesValue(root, cmd, name) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		if sub == "" && len(pos) == 0 {
			if a == "help" || a == "completion" {
				return args // cobra's own commands, added as it runs
			}
			if c := subcommand(root, a); c != nil {
				cmd, sub = c, a
				continue
			}
		}
		pos = append(pos, a)
	}
	var out []string
	if sub != "" {
		out = append(out, sub)
	}
	out = append(out, flags...)
	if len(pos) > 0 {
		out = append(out, "--")
		out = append(out, pos...)
	}
	return out
}

// flagWord reports whether a reads as a flag: --name or --name=value (a
// letter, then letters, digits and dashes), -h, or -v alone on the command
// line. It returns the flag's long name or shorthand.
func flagWord(a string, alone bool) (name string, hasValue, ok bool) {
	switch {
	case a == "-h":
		return "help", false, true
	case a == "-v" && alone:
		return "version", false, true
	case !strings.HasPrefix(a, "--"):
		return "", false, false
	}
	name, _, hasValue = strings.Cut(a[2:], "=")
	if name == "" || !isLetter(name[0]) {
		return "", false, false
	}
	for i := 1; i < len(name); i++ {
		if c := name[i]; !isLetter(c) && !('0' <= c && c <= '9') && c != '-' {
			return "", false, false
		}
	}
	return name, hasValue, true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// takesValue reports whether the flag name of cmd (its own or one of the
// root's persistent flags) takes a value, as --format does and --check
// does not.
func takesValue(root, cmd *cobra.Command, name string) bool {
	f := cmd.Flags().Lookup(name)
	if f == nil {
		f = root.PersistentFlags().Lookup(name)
	}
	return f != nil && f.NoOptDefVal == ""
}

// subcommand is the subcommand of root named (or aliased) a, or nil.
func subcommand(root *cobra.Command, a string) *cobra.Command {
	for _, c := range root.Commands() {
		if c.Name() == a || c.HasAlias(a) {
			return c
		}
	}
	return nil
}
