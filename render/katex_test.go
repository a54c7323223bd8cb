package render

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/matdiff/matdiff/parser"
)

// katexScript renders every string of a JSON list read from standard input
// with KaTeX, in strict mode, and prints the ones it rejects with the
// reason, one per line.
const katexScript = `
const katex = require(process.env.KATEX || 'katex');
const all = JSON.parse(require('fs').readFileSync(0, 'utf8'));
for (const s of all) {
  try { katex.renderToString(s, {throwOnError: true, strict: 'error'}); }
  catch (e) { console.log(JSON.stringify(s) + ': ' + e.message); }
}
`

// TestKaTeX checks that every LaTeX string of the tests compiles in KaTeX.
// It needs node and the katex package: set KATEX to the package's folder
// (npm install katex; KATEX=$PWD/node_modules/katex), or have katex where
// node resolves it. Without them the test is skipped.
func TestKaTeX(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	if os.Getenv("KATEX") == "" {
		if exec.Command(node, "-e", "require.resolve('katex')").Run() != nil {
			t.Skip("katex is not installed; set KATEX to its folder")
		}
	}
	all := latexStrings()
	in, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "-e", katexScript)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	if s := strings.TrimSpace(string(out)); s != "" {
		t.Errorf("KaTeX rejects:\n%s", s)
	}
	t.Logf("%d LaTeX strings compile in KaTeX", len(all))
}

// latexStrings returns the LaTeX of every hand-built case (bold and plain)
// and of every parsed input.
func latexStrings() []string {
	var all []string
	for _, c := range cases {
		all = append(all, LaTeX(c.e, nil), Config{Format: FormatLaTeX, Plain: true}.Expr(c.e))
	}
	for _, src := range inputs {
		if e, err := parser.ParseExpr(src); err == nil {
			all = append(all, LaTeX(e, nil))
		}
	}
	return all
}
