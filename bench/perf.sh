#!/usr/bin/env bash
# bench/perf.sh: matdiff's own performance goals, measured on this
# machine. It writes the block between the perf markers of BENCHMARKS.md
# (and nothing else of that file) and prints it:
#
#   - the benchmark families of derive/bench_test.go at n = 10 … 30 000,
#     in process (`go test -bench`, under the binary's collector settings,
#     pipeline.TuneCollector), with the growth from one size to the next;
#   - the hostile set (the inputs of cmd/hostile_test.go) through every
#     command, as whole processes of the static binary: wall time and peak
#     memory;
#   - start-up: a whole `matdiff d/dA '||BAx||^2'` against a Go hello-world,
#     run side by side (alternating), with hello-worlds linking matdiff's
#     libraries and matdiff whose main returns as it begins;
#   - `matdiff batch` throughput on 10 000 typical lines;
#
# and marks each goal met or not. The machine may be shared with other
# jobs: every number is the median of COUNT runs (start-up: STARTS runs),
# and the load average is printed with them.
#
#   bench/perf.sh
#   COUNT=5 STARTS=500 bench/perf.sh
#
# bench/compare.sh runs it after the SymPy comparison (SYMPY=0
# bench/compare.sh runs only this). Needs Go, python3 and /usr/bin/time.
set -euo pipefail

cd "$(dirname "$0")/.."
OUT=${OUT:-BENCHMARKS.md}
COUNT=${COUNT:-3}
STARTS=${STARTS:-200}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

export CGO_ENABLED=0 # the static binary of the README
go build -o "$WORK/matdiff" .
MATDIFF=$WORK/matdiff
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# --- in process -------------------------------------------------------------
echo "perf.sh: Go benchmarks ($COUNT runs each)" >&2
# Round by round, every size once per round: the host's speed drifts over
# minutes, and the growth from one size to the next compares runs made
# close together.
go test -c -o "$WORK/derive.test" ./derive
for i in $(seq "$COUNT"); do
	(cd derive && "$WORK/derive.test" -test.run '^$' -test.bench '^Benchmark(Chain|LeastSquares)$' -test.benchtime 0.5s) >>"$WORK/go.txt"
done

# median NAME UNIT prints the median of UNIT over the runs of benchmark NAME.
median_of() {
	awk -v name="$1" -v unit="$2" '$1 ~ "^" name "-[0-9]+$" { for (i = 2; i < NF; i++) if ($(i+1) == unit) print $i }' "$WORK/go.txt" |
		sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit; m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.0f\n", m }'
}
ms() { awk -v ns="$1" 'BEGIN { v = ns / 1e6; if (v < 1) printf "%.3f", v; else if (v < 100) printf "%.2f", v; else printf "%.0f", v }'; }

FAM=$WORK/families.md
{
	echo "| family | n | CPU time (median) | wall time (median) | allocs/op | growth in CPU time from the previous size |"
	echo "|---|---:|---:|---:|---:|---|"
} >"$FAM"
declare -A NS
for fam in Chain LeastSquares; do
	case $fam in
	Chain) label='`\|\|A1 … An x\|\|^2` by A(n/2)'; sizes="10 100 1000 10000 30000" ;;
	LeastSquares) label='`Σ \|\|Ai x - bi\|\|^2` by x'; sizes="10 100 1000 10000 20000" ;;
	esac
	prev=""
	prevn=""
	for n in $sizes; do
		ns=$(median_of "Benchmark$fam/n=$n" cpu-ns/op)
		wall=$(median_of "Benchmark$fam/n=$n" ns/op)
		allocs=$(median_of "Benchmark$fam/n=$n" allocs/op)
		NS[$fam$n]=$ns
		growth="–"
		if [ -n "$prev" ]; then
			growth=$(awk -v a="$ns" -v b="$prev" -v n="$n" -v m="$prevn" 'BEGIN { printf "×%.1f for ×%g of n (exponent %.2f)", a / b, n / m, log(a / b) / log(n / m) }')
		fi
		echo "| $label | $n | $(ms "$ns") ms | $(ms "$wall") ms | $allocs | $growth |" >>"$FAM"
		prev=$ns
		prevn=$n
	done
done
echo "| $label | 30000 | – | – | – | longer than the parser's 512 KiB input limit |" >>"$FAM"

# --- hostile set ------------------------------------------------------------
echo "perf.sh: hostile set" >&2
python3 - "$WORK" <<'EOF'
import sys
w, n = sys.argv[1], 10000
sets = {
    "product": " ".join(["x^T x"] * 5000),
    "scalars": "alpha x^T y " * 2500,
    "nested": "y^T " + "A (" * n + "x" + ")" * n,
    "sumprod": " + ".join(f"c{i}^T A{i} B{i} x" for i in range(n)),
    "quadratics": " + ".join(f"alpha{i % 7} x^T A{i} x" for i in range(n)),
    "diags": "sum(" + "diag(y) " * (n // 2) + " ".join(f"diag(y{i}) A" for i in range(n // 2)) + " x)",
    "pairs": "sum(" + " + ".join(["x .* y1"] + [f"y{i} .* y{i + 1}" for i in range(1, n // 2)]) + ")",
    "tanh": "sum(" + "tanh(" * n + "x" + ")" * n + ")",
    "hadamard": "sum(" + "x .* (" * n + "x" + ")" * n + ")",
    "expsig": "sum(" + "exp(" * 3000 + "x" + ")" * 3000 + ") + " + "sigmoid(" * 3000 + "alpha" + ")" * 3000,
}
fractions = scalarsums = "x"
for i in range(3000):
    fractions = f"x{i}/(1 + alpha) - alpha y{i}/(1 + alpha)^2 + A ({fractions})"
    scalarsums = f"beta (1 - gamma) B y{i} + gamma B y{i} + A ({scalarsums})"
sets["fractions"], sets["scalarsums"] = f"z^T ({fractions})", f"z^T ({scalarsums})"
shared = coefs = scaled = insums = "x"
for i in range(5000):
    shared = f"alpha y{i} + alpha A ({shared})"
    coefs = f"y{i} - 2 A ({coefs})"
    scaled = f"(2 alpha y{i}) .* (A ({scaled}))"
    insums = f"y{i} .* (x + {insums})"
sets["shared"], sets["coefs"], sets["scaled"], sets["insums"] = f"z^T ({shared})", f"z^T ({coefs})", f"sum({scaled})", f"sum({insums})"
trace, quotients, divisions, tsums, exps, multiples, inverses, powers, chains = "X", "x", "1", "X", "x", "x", "A + x x^T", "A + x x^T", "x y^T"
for i in range(3000):
    inverses = f"({inverses})^-T B{i}"
    powers = f"({powers})^2 + B{i}"
    chains = f"(A{i % 3} {chains})^T + B"
    exps = f"exp(y{i}) .* ({exps}) + y{i}"
    multiples = f"(x^T y{i}) ({multiples}) + y{i}"
    tsums = f"({tsums})^T + A{i}"
    trace = f"A{i} ({trace}) B{i}"
    quotients = f"({quotients}) ./ (1 + y{i})"
    divisions = f"({divisions})/(alpha{i} + x^T x)"
sets["trace"], sets["quotients"], sets["divisions"], sets["tsums"], sets["exps"], sets["multiples"] = f"tr({trace})", f"sum({quotients})", divisions, f"tr({tsums})", f"sum({exps})", f"z^T ({multiples})"
sets["inverses"], sets["powers"], sets["chains"] = f"y^T ({inverses}) z", f"y^T ({powers}) z", f"tr({chains})"
doubled = "x"
for i in range(12):
    doubled = f"A{i % 3} (({doubled}) .* y{i % 3}) - ({doubled})/2"
sets["doubled"] = f"sum({doubled})"
sets["doubled13"] = f"sum(A0 (({doubled}) .* y0) - ({doubled})/2)"
for k, v in sets.items():
    open(f"{w}/{k}.txt", "w").write(v)
    open(f"{w}/{k}.batch", "w").write("d/dx " + v + "\n")
EOF
HOST=$WORK/hostile.md
{
	echo "| input | parse | simplify | d/dx | grad | check d/dx | batch | codegen |"
	echo "|---|---|---|---|---|---|---|---|"
} >"$HOST"
slow=0
big=0
worst_t=0
worst_m=0
for k in product scalars nested sumprod quadratics diags pairs tanh hadamard expsig fractions scalarsums shared coefs scaled insums trace quotients divisions tsums exps multiples inverses powers chains doubled doubled13; do
	case $k in
	product) label='5 000-factor product of 1×1 runs `x^T x x^T x …`' ;;
	scalars) label='`alpha x^T y` × 2 500 (5 000 factors)' ;;
	nested) label='chain nested 10^4 deep `y^T A (A (… (A x)…))`' ;;
	sumprod) label='10^4-term sum `Σ ci^T Ai Bi x`' ;;
	quadratics) label='10^4-term sum `Σ alpha(i mod 7) x^T Ai x`' ;;
	diags) label='10^4 diagonal matrices in a chain `sum(diag(y) … diag(y1) A … x)`' ;;
	pairs) label='5 000 products sharing operands `sum(x .* y1 + y1 .* y2 + …)`' ;;
	tanh) label='`sum(tanh(…tanh(x)…))`, 10^4 deep' ;;
	hadamard) label='`sum(x .* (x .* (… x)))`, 10^4 deep' ;;
	expsig) label='`exp` and `sigmoid` composed 3 000 deep' ;;
	fractions) label='fractions sharing a denominator, nested 3 000 deep `z^T (x/(1 + alpha) - alpha y/(1 + alpha)^2 + A (…))`' ;;
	scalarsums) label='scalar sums to distribute, nested 3 000 deep `z^T (beta (1 - gamma) B y + gamma B y + A (…))`' ;;
	shared) label='sums sharing a scalar, nested 5 000 deep `z^T (alpha y + alpha A (…))`' ;;
	coefs) label='sums with a coefficient, nested 5 000 deep `z^T (y - 2 A (…))`' ;;
	scaled) label='scaled elementwise products, nested 5 000 deep `sum((2 alpha y) .* (A (…)))`' ;;
	insums) label='sums in elementwise products, nested 5 000 deep `sum(y .* (x + y .* (x + …)))`' ;;
	trace) label='the trace of a 6 001-factor chain `tr(A2999 (… (A0 X B0) …) B2999)`' ;;
	quotients) label='elementwise quotients nested 3 000 deep `sum((… (x ./ (1 + y0)) …) ./ (1 + y2999))`' ;;
	divisions) label='divisions nested 3 000 deep `(…(1/(alpha0 + x^T x))…)/(alpha2999 + x^T x)`' ;;
	tsums) label='transposed sums nested 3 000 deep `tr((…(X^T + A0)^T …)^T + A2999)`' ;;
	exps) label='elementwise products with exp nested 3 000 deep `sum(exp(y) .* (… ) + y)`' ;;
	multiples) label='multiples of sums nested 3 000 deep `z^T ((x^T y2999) (… (x^T y0) x + y0 …) + y2999)`' ;;
	chains) label='transposed chains nested 3 000 deep `tr((A2 (… (A0 x y^T)^T + B …))^T + B)`' ;;
	powers) label='matrix powers nested 3 000 deep `y^T ((… ((A + x x^T)^2 + B0)^2 …)^2 + B2999) z`' ;;
	doubled) label='levels used twice, nested 12 deep `sum(A2 ((…) .* y2) - (…)/2)`, 2^12 copies of x in 86 KB' ;;
	doubled13) label='levels used twice, nested 13 deep `sum(A0 ((…) .* y0) - (…)/2)`, 2^13 copies of x in 172 KB' ;;
	inverses) label='inverse transposes nested 3 000 deep `y^T ((… ((A + x x^T)^-T B0)^-T …)^-T B2999) z`' ;;
	esac
	row="| $label"
	for cmd in parse simplify d/dx grad "check d/dx" batch codegen; do
		for i in $(seq "$COUNT"); do
			status=0
			if [ "$cmd" = batch ]; then
				/usr/bin/time -f "%U %S %e %M" -o "$WORK/t" "$MATDIFF" batch "$WORK/$k.batch" >/dev/null 2>"$WORK/err" || status=$?
			else
				# shellcheck disable=SC2086
				/usr/bin/time -f "%U %S %e %M" -o "$WORK/t" "$MATDIFF" $cmd - <"$WORK/$k.txt" >/dev/null 2>"$WORK/err" || status=$?
			fi
			tail -1 "$WORK/t" | awk '{ printf "%.2f %s %s\n", $1 + $2, $3, $4 }'
		done | sort -g | awk '{ t[NR] = $1; w[NR] = $2; m[NR] = $3 } END { i = int((NR + 1) / 2); print t[i], w[i], m[i] }' >"$WORK/med"
		read -r secs wsecs kb <"$WORK/med"
		what="ok"
		if grep -q "limit error" "$WORK/err"; then
			what="limit"
		elif [ -s "$WORK/err" ] && grep -q "matdiff:" "$WORK/err"; then
			what="error"
		fi
		mb=$((kb / 1024))
		row="$row | $what, ${secs} s (${wsecs} s), ${mb} MB"
		awk -v s="$secs" 'BEGIN { exit !(s >= 1) }' && slow=$((slow + 1))
		[ "$mb" -ge 200 ] && big=$((big + 1))
		worst_t=$(awk -v a="$worst_t" -v b="$secs" 'BEGIN { print (b > a) ? b : a }')
		[ "$mb" -gt "$worst_m" ] && worst_m=$mb
	done
	echo "$row |" >>"$HOST"
done

# --- start-up ---------------------------------------------------------------
echo "perf.sh: start-up ($STARTS runs each, alternating)" >&2
mkdir -p "$WORK/hello"
cat >"$WORK/hello/main.go" <<'EOF'
package main

import "fmt"

func main() { fmt.Println("hello, world") }
EOF
printf 'module hello\n\ngo 1.21\n' >"$WORK/hello/go.mod"
(cd "$WORK/hello" && go build -o "$WORK/hello/hello" .)
# The same hello-world linking net/http (which matdiff serve needs): what
# that package's initialisation alone costs any Go program.
mkdir -p "$WORK/hellohttp"
cat >"$WORK/hellohttp/main.go" <<'EOF'
package main

import (
	"fmt"
	_ "net/http"
)

func main() { fmt.Println("hello, world") }
EOF
printf 'module hello\n\ngo 1.21\n' >"$WORK/hellohttp/go.mod"
(cd "$WORK/hellohttp" && go build -o "$WORK/hellohttp/hello" .)
# The same hello-world linking the libraries matdiff is built on (cobra,
# participle, gonum) by blank imports: what their initialisation and size
# cost any program made of them. It is built inside the module, for its
# dependencies (go ignores a directory whose name begins with _).
DEPS=$(mktemp -d -p . _perfhello.XXXXXX)
trap 'rm -rf "$WORK" "$DEPS"' EXIT
cat >"$DEPS/main.go" <<'EOF'
package main

import (
	"fmt"

	_ "github.com/alecthomas/participle/v2"
	_ "github.com/spf13/cobra"
	_ "gonum.org/v1/gonum/mat"
)

func main() { fmt.Println("hello, world") }
EOF
go build -o "$WORK/hellodeps" "./$DEPS"
# matdiff itself, with a main that returns as it begins: the binary
# loaded and its packages initialised (net/http's too, for serve), the
# start-up that comes before any of matdiff's work.
sed 's/^func main() {$/func main() {\n\tif len(os.Args) > 1 \&\& os.Args[1] == "exit-at-main" {\n\t\treturn\n\t}/' main.go >"$DEPS/main.go"
grep -q exit-at-main "$DEPS/main.go" || { echo "perf.sh: main.go has no func main() { line" >&2; exit 1; }
go build -o "$WORK/matdiffinit" "./$DEPS"
rm -rf "$DEPS"
CGO_ENABLED=1 go build -o "$WORK/matdiff-dynamic" . 2>/dev/null || cp "$MATDIFF" "$WORK/matdiff-dynamic"
python3 - "$STARTS" "$WORK/hello/hello" "$MATDIFF" "$WORK/matdiff-dynamic" "$WORK/hellohttp/hello" "$WORK/hellodeps" "$WORK/matdiffinit" >"$WORK/start.txt" <<'EOF'
import subprocess, sys, time, statistics
runs, hello, static, dynamic, hellohttp, hellodeps, init = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7]
cmds = {"hello": [hello], "hellohttp": [hellohttp], "hellodeps": [hellodeps], "init": [init, "exit-at-main"], "static": [static, "d/dA", "||BAx||^2"], "dynamic": [dynamic, "d/dA", "||BAx||^2"], "version": [static, "version"]}
ts = {k: [] for k in cmds}
for _ in range(runs):
    for k, c in cmds.items():
        t = time.perf_counter()
        subprocess.run(c, stdout=subprocess.DEVNULL, check=True)
        ts[k].append(time.perf_counter() - t)
for k in cmds:
    print(k, "%.3f" % (statistics.median(ts[k]) * 1e3))
EOF
start() { awk -v k="$1" '$1 == k { print $2 }' "$WORK/start.txt"; }
hello_ms=$(start hello)
hellohttp_ms=$(start hellohttp)
hellodeps_ms=$(start hellodeps)
init_ms=$(start init)
static_ms=$(start static)
dynamic_ms=$(start dynamic)
version_ms=$(start version)
start_ratio=$(awk -v a="$static_ms" -v b="$hello_ms" 'BEGIN { printf "%.2f", a / b }')
deps_ratio=$(awk -v a="$hellodeps_ms" -v b="$hello_ms" 'BEGIN { printf "%.2f", a / b }')
http_ratio=$(awk -v a="$hellohttp_ms" -v b="$hello_ms" 'BEGIN { printf "%.2f", a / b }')
init_ratio=$(awk -v a="$init_ms" -v b="$hello_ms" 'BEGIN { printf "%.2f", a / b }')
linkage=$(file "$MATDIFF" | grep -o 'statically linked\|dynamically linked' || echo "?")
size_mb=$(awk -v b="$(stat -c %s "$MATDIFF")" 'BEGIN { printf "%.1f", b / 1048576 }')
hello_mb=$(awk -v b="$(stat -c %s "$WORK/hello/hello")" 'BEGIN { printf "%.1f", b / 1048576 }')

# --- batch ------------------------------------------------------------------
echo "perf.sh: batch" >&2
python3 - >"$WORK/batch.txt" <<'EOF'
lines = ["d/dx x^T x", "d/dx x^T A x", "d/dA ||BAx||^2", "d/dx^T A x", "d2/dx2 x^T A x", "d/dalpha alpha^2", "d/dW sum(tanh(W x))"]
for i in range(10000):
    print(lines[i % len(lines)])
EOF
jobs_flag=""
batch_help=$("$MATDIFF" batch --help 2>&1 || true)
case $batch_help in *--jobs*) jobs_flag=yes ;; esac
batch_rate() { # ARGS…: median derivatives per wall second and per CPU second
	for i in $(seq "$COUNT"); do
		/usr/bin/time -f "%e %U %S" -o "$WORK/bt" "$MATDIFF" batch "$@" "$WORK/batch.txt" >/dev/null
		tail -1 "$WORK/bt"
	done | sort -g | awk '{ w[NR] = $1; c[NR] = $2 + $3 } END { i = int((NR + 1) / 2); printf "%.0f/s (%.0f per CPU second)\n", 10000 / w[i], 10000 / c[i] }'
}
rate_all=$(batch_rate)
rate_one=""
[ -n "$jobs_flag" ] && rate_one=$(batch_rate --jobs 1)

# --- the page ---------------------------------------------------------------
model=$(lscpu 2>/dev/null | awk -F: '/Model name/ { sub(/^ +/, "", $2); print $2; exit }')
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
ls10k=${NS[LeastSquares10000]}
ch10k=${NS[Chain10000]}
ls_exp=$(awk -v a="${NS[LeastSquares20000]}" -v b="$ls10k" 'BEGIN { printf "%.2f", log(a / b) / log(2) }')
ch_exp=$(awk -v a="${NS[Chain30000]}" -v b="$ch10k" 'BEGIN { printf "%.2f", log(a / b) / log(3) }')
verdict() { if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "not met"; fi; }
{
	echo "<!-- perf begin: written by bench/perf.sh; do not edit by hand -->"
	echo
	echo "Run on $(date -u '+%Y-%m-%d %H:%M UTC'): $(nproc) CPUs ($model), $(go version | cut -d' ' -f3-4),"
	echo "commit $(git rev-parse --short HEAD). The machine is shared with other jobs (load average"
	echo "$load_start at the start, $load_end at the end), so every number is a median: of $COUNT runs"
	echo "in process and for the hostile set and batch, of $STARTS alternating runs for start-up; with"
	echo "other jobs running the times of single runs vary by a factor of 2 or more."
	echo
	echo "### In process"
	echo
	cat "$FAM"
	echo
	echo "\`go test -bench '^Benchmark(Chain|LeastSquares)\$' -benchtime 0.5s ./derive\`, $COUNT rounds of every size:"
	echo "parse, infer, derive, simplify and print one derivative, under the collector settings"
	echo "of the matdiff binary (\`pipeline.TuneCollector\`: GOGC=400, a soft limit of 160 MiB)."
	echo "CPU time (cpu-ns/op, every thread of the process, the garbage collector's too) is what"
	echo "the goals are judged on: on a shared machine wall time mostly measures the other jobs."
	echo
	echo "### The hostile set"
	echo
	cat "$HOST"
	echo
	echo "Whole processes of the static binary with the default limits (1 048 576 nodes, 5 s);"
	echo "each cell: what it answered (ok: a result; limit: a limit error; error: another error"
	echo "message, e.g. no instance inside the domain for \`check\`), median CPU time (user and"
	echo "system) with the wall time in parentheses, peak resident memory (\`/usr/bin/time\`)."
	echo "The 5 s budget is wall time: on a loaded machine it ends work that an idle one finishes. \`cmd/TestHostileInputs\` feeds the same set and the"
	echo "fuzz corpora through every command and checks that each returns."
	echo
	echo "### Start-up"
	echo
	echo "| process | median |"
	echo "|---|---:|"
	echo "| Go hello-world (static, $hello_mb MB) | $hello_ms ms |"
	echo "| the same hello-world linking net/http (as \`matdiff serve\` does) | $hellohttp_ms ms |"
	echo "| the same hello-world linking cobra, participle and gonum (blank imports), matdiff's libraries | $hellodeps_ms ms |"
	echo "| matdiff with a \`main\` that returns as it begins (the binary loaded, its packages initialised) | $init_ms ms |"
	echo "| \`matdiff d/dA '||BAx||^2'\`, static (CGO_ENABLED=0, $linkage, $size_mb MB) | $static_ms ms |"
	echo "| the same, built with cgo (dynamically linked) | $dynamic_ms ms |"
	echo "| \`matdiff version\`, static | $version_ms ms |"
	echo
	echo "### Batch"
	echo
	if [ -n "$jobs_flag" ]; then
		echo "\`matdiff batch\` of 10 000 typical lines: $rate_all with the default"
		echo "\`--jobs\` ($(nproc) CPUs), $rate_one with \`--jobs 1\`."
	else
		echo "\`matdiff batch\` of 10 000 typical lines: $rate_all (one core)."
	fi
	echo
	echo "### Goals"
	echo
	echo "- n = 10 000 least squares under 100 ms in process: **$(verdict "$ls10k < 100e6")** ($(ms "$ls10k") ms)."
	echo "- The 10 000-factor chain under 50 ms: **$(verdict "$ch10k < 50e6")** ($(ms "$ch10k") ms)."
	echo "- Linear to n = 30 000: time exponent $ch_exp for the chain from 10 000 to 30 000 and"
	echo "  $ls_exp for least squares from 10 000 to 20 000 (30 000 terms exceed the input limit):"
	echo "  **$(verdict "$ch_exp < 1.2 && $ls_exp < 1.2")** (met when both are below 1.2)."
	echo "- Every hostile input answers or fails with a limit error in under 1 s (CPU) and 200 MB:"
	echo "  **$(verdict "$slow == 0 && $big == 0")** ($slow cells of 1 s or more, $big of 200 MB or more;"
	echo "  slowest ${worst_t} s, largest ${worst_m} MB)."
	echo "- A whole small process within 1.5× of a Go hello-world: **$(verdict "$start_ratio <= 1.5")**"
	echo "  (${start_ratio}×; a hello-world linking only matdiff's libraries takes ${deps_ratio}×, one"
	echo "  linking only net/http ${http_ratio}×, and matdiff whose \`main\` returns as it begins"
	echo "  ${init_ratio}×)."
	if [ -n "$jobs_flag" ]; then
		echo "- Batch at least 30 000 typical derivatives/s on 2 cores: **$(verdict "${rate_all%%/*} >= 30000")** ($rate_all)."
	else
		echo "- Batch at least 30 000 typical derivatives/s on 2 cores: **not met** ($rate_all; this binary has no \`--jobs\`)."
	fi
	echo
	echo "<!-- perf end -->"
} >"$WORK/section.md"

python3 - "$OUT" "$WORK/section.md" <<'EOF'
import os, re, sys
path, section = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
pat = re.compile(r"<!-- perf begin.*?<!-- perf end -->", re.S)
if pat.search(text):
    text = pat.sub(lambda m: section, text)
else:
    text = text.rstrip("\n") + "\n\n## Performance goals (`bench/perf.sh`)\n\n" + section + "\n"
open(path, "w").write(text)
EOF
cat "$WORK/section.md"
