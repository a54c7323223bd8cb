package cmd

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeExample is one `$ matdiff …` line of a README code block and the
// output the README shows after it (standard output and standard error as
// a terminal interleaves them).
type readmeExample struct {
	line  int
	cmd   string
	stdin string
	args  []string
	want  string
}

// readmeExamples reads every example of the README's code blocks: a line
// `$ matdiff ARGS`, `$ echo 'TEXT' | matdiff ARGS` or
// `$ printf 'TEXT' | matdiff ARGS`, followed by its output up to the next
// `$ ` line or the end of the block. Other commands (`$ go …`) are skipped.
func readmeExamples(t *testing.T, path string) []readmeExample {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []readmeExample
	var cur *readmeExample
	inBlock := false
	flush := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
	}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "```"):
			flush()
			inBlock = !inBlock
		case !inBlock:
		case strings.HasPrefix(l, "$ "):
			flush()
			ex, ok := parseExample(t, strings.TrimPrefix(l, "$ "))
			if ok {
				ex.line = n
				cur = &ex
			}
		case cur != nil:
			cur.want += l + "\n"
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// parseExample splits a shell command line of the README into matdiff's
// arguments and its standard input.
func parseExample(t *testing.T, line string) (readmeExample, bool) {
	ex := readmeExample{cmd: line}
	words := shellWords(t, line)
	if i := indexOf(words, "|"); i >= 0 {
		feed := words[:i]
		words = words[i+1:]
		switch {
		case len(feed) == 2 && feed[0] == "echo":
			ex.stdin = feed[1] + "\n"
		case len(feed) == 2 && feed[0] == "printf":
			ex.stdin = strings.ReplaceAll(feed[1], `\n`, "\n")
		default:
			t.Fatalf("README: cannot run %q", line)
		}
	}
	if len(words) == 0 || words[0] != "matdiff" {
		return ex, false
	}
	ex.args = words[1:]
	return ex, true
}

func indexOf(words []string, w string) int {
	for i, x := range words {
		if x == w {
			return i
		}
	}
	return -1
}

// shellWords splits a command line as a POSIX shell does for the README's
// examples: words separated by blanks, '…' literal, "…" without
// substitutions, a backslash quoting the next character, | a word of its
// own.
func shellWords(t *testing.T, line string) []string {
	var words []string
	var w strings.Builder
	inWord := false
	end := func() {
		if inWord {
			words = append(words, w.String())
			w.Reset()
			inWord = false
		}
	}
	r := []rune(line)
	for i := 0; i < len(r); i++ {
		switch c := r[i]; c {
		case ' ', '\t':
			end()
		case '|':
			end()
			words = append(words, "|")
		case '\'':
			inWord = true
			j := i + 1
			for j < len(r) && r[j] != '\'' {
				j++
			}
			if j == len(r) {
				t.Fatalf("README: unterminated quote in %q", line)
			}
			w.WriteString(string(r[i+1 : j]))
			i = j
		case '"':
			inWord = true
			j := i + 1
			for j < len(r) && r[j] != '"' {
				if r[j] == '$' || r[j] == '`' {
					t.Fatalf("README: substitution in %q", line)
				}
				j++
			}
			if j == len(r) {
				t.Fatalf("README: unterminated quote in %q", line)
			}
			w.WriteString(string(r[i+1 : j]))
			i = j
		case '\\':
			inWord = true
			if i+1 < len(r) {
				i++
				w.WriteRune(r[i])
			}
		default:
			inWord = true
			w.WriteRune(c)
		}
	}
	end()
	return words
}

// numbers masks what depends on the random draws of a numeric check.
var numbers = regexp.MustCompile(`(max relative error|exceeds --tol [0-9.e+-]+|error) [0-9.]+e[-+][0-9]+`)

func maskNumbers(s string) string {
	return numbers.ReplaceAllString(maskErrors(s), "$1 <E>")
}

// TestREADMEExamples runs every `$ matdiff …` example of README.md through
// the root command, in process, and compares what it prints (standard
// output and standard error, interleaved as a terminal shows them) with
// what the README shows, so that the README cannot drift from matdiff.
// The numbers of a numeric check depend on the draws and are not compared.
func TestREADMEExamples(t *testing.T) {
	examples := readmeExamples(t, filepath.Join("..", "README.md"))
	if len(examples) < 40 {
		t.Fatalf("found %d examples in README.md; the reader is broken", len(examples))
	}
	for _, ex := range examples {
		var both bytes.Buffer
		Run(ex.args, strings.NewReader(ex.stdin), &both, &both)
		if got, want := maskNumbers(both.String()), maskNumbers(ex.want); got != want {
			t.Errorf("README.md:%d: $ %s\nprints:\n%s\nthe README shows:\n%s", ex.line, ex.cmd, got, want)
		}
	}
}

// layoutRow is a row of the README's table of layouts:
// | `matdiff ARGS` | `denominator` | `numerator` |.
var layoutRow = regexp.MustCompile("^\\| `matdiff ([^`]*)` \\| `([^`]*)` \\| `([^`]*)` \\|$")

// TestREADMELayoutTable runs every command of the README's table of
// layouts with and without --layout numerator.
func TestREADMELayoutTable(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for i, l := range strings.Split(string(b), "\n") {
		m := layoutRow.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		rows++
		args := shellWords(t, m[1])
		for _, c := range []struct {
			extra []string
			want  string
		}{{nil, m[2]}, {[]string{"--layout", "numerator"}, m[3]}} {
			out, errs, code := run("", append(append([]string{}, args...), c.extra...)...)
			if code != 0 || errs != "" || out != c.want+"\n" {
				t.Errorf("README.md:%d: matdiff %s %s prints %q (stderr %q, exit %d); the table shows %q",
					i+1, m[1], strings.Join(c.extra, " "), out, errs, code, c.want)
			}
		}
	}
	if rows < 5 {
		t.Fatalf("found %d rows of the layout table; the reader is broken", rows)
	}
}
