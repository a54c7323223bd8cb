#!/usr/bin/env bash
# bench/compare.sh: matdiff against SymPy on the benchmark families of
# derive/bench_test.go, in process and as whole processes, plus the peak
# memory and median wall time of one `matdiff d/dA '||BAx||^2'`. It writes
# the results between the compare.sh markers of BENCHMARKS.md (and nothing
# else of that file) and prints them.
#
#   bench/compare.sh              # all sizes: 10, 100, 1000, 10000
#   SIZES="10 100" bench/compare.sh
#   TIMEOUT=60 RUNS=50 bench/compare.sh
#   SYMPY=0 bench/compare.sh      # only matdiff's own goals (bench/perf.sh)
#
# At the end it runs bench/perf.sh, which writes the tables of matdiff's
# performance goals (in process to n = 30 000, the hostile set, start-up
# against a Go hello-world, batch throughput).
#
# Needs Go, python3; installs python3-sympy and time with apt-get when they
# are missing (and uses hyperfine when apt has it).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
if [ "${SYMPY:-1}" = 0 ]; then
	exec bench/perf.sh
fi
SIZES=${SIZES:-"10 100 1000 10000"}
TIMEOUT=${TIMEOUT:-60} # seconds SymPy gets per size
RUNS=${RUNS:-50}       # runs of the single-process measurement
OUT=${OUT:-BENCHMARKS.md}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

apt_install() {
	if command -v apt-get >/dev/null; then
		(apt-get update -qq && apt-get install -y -qq "$@") >/dev/null 2>&1 || true
	fi
}
python3 -c 'import sympy' 2>/dev/null || apt_install python3-sympy
python3 -c 'import sympy' || { echo "compare.sh: SymPy is not available" >&2; exit 1; }
[ -x /usr/bin/time ] || apt_install time
command -v hyperfine >/dev/null || apt_install hyperfine

CGO_ENABLED=0 go build -o "$WORK/matdiff" .
MATDIFF=$WORK/matdiff
SYMPY="python3 $ROOT/bench/sympy_bench.py"

# now_ns prints the monotonic-enough wall clock in nanoseconds.
now_ns() { date +%s%N; }

# ms formats nanoseconds as milliseconds.
ms() { awk -v ns="$1" 'BEGIN { v = ns / 1e6; if (v < 1) printf "%.3f", v; else if (v < 100) printf "%.2f", v; else printf "%.0f", v }'; }

# ratio a b prints a/b as "123×".
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "–"; else { r = a / b; if (r >= 10) printf "%.0f×", r; else printf "%.1f×", r } }'; }

# expr FAMILY N writes the matdiff expression to $WORK/expr and prints wrt.
expr() {
	python3 - "$1" "$2" "$WORK/expr" <<'EOF'
import sys
fam, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if fam == "chain":
    e = "||" + " ".join(f"A{i+1}" for i in range(n)) + " x||^2"
    w = f"A{(n + 1) // 2}"
elif fam == "ls":
    e = " + ".join(f"||A{i+1} x - b{i+1}||^2" for i in range(n))
    w = "x"
else:
    e = "sum(" + "tanh(" * n + "x" + ")" * n + ")"
    w = "x"
open(path, "w").write(e)
print(w)
EOF
}

# --- in process: Go benchmarks --------------------------------------------
echo "compare.sh: Go benchmarks" >&2
sizes_re=$(tr ' ' '|' <<<"$SIZES")
go test -run '^$' -bench "^Benchmark(Chain|LeastSquares|Tanh|TanhLimit)\$/^n=($sizes_re)\$" -benchtime 1s ./derive >"$WORK/go.txt"
go test -run '^$' -bench '^BenchmarkTanhLimit$' -benchtime 3x ./derive >>"$WORK/go.txt"
# go_ns NAME N prints ns/op of BenchmarkNAME/n=N (or of NAME when N is empty).
go_ns() {
	local pat="^Benchmark$1/n=$2-"
	[ -z "$2" ] && pat="^Benchmark$1-"
	awk -v pat="$pat" '$0 ~ pat { for (i = 1; i < NF; i++) if ($(i+1) == "ns/op") print $i }' "$WORK/go.txt"
}
go_field() { # NAME N UNIT
	awk -v pat="^Benchmark$1/n=$2-" -v unit="$3" '$0 ~ pat { for (i = 1; i < NF; i++) if ($(i+1) == unit) print $i }' "$WORK/go.txt"
}

# --- rows -------------------------------------------------------------------
TABLE=$WORK/table.md
{
	echo "| family | n | matdiff in process | allocs/op | output bytes | SymPy in process | ratio | matdiff process | SymPy process | ratio |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$TABLE"
for fam in chain ls tanh; do
	case $fam in
	chain) gname=Chain label='`\|\|A1 … An x\|\|^2` by A(n/2)' ;;
	ls) gname=LeastSquares label='`Σ \|\|Ai x - bi\|\|^2` by x' ;;
	tanh) gname=Tanh label='`sum(tanh(…tanh(x)…))` by x' ;;
	esac
	sympy_dead=""     # set once SymPy timed out in process
	sympy_dead_proc="" # and as a process
	for n in $SIZES; do
		echo "compare.sh: $fam n=$n" >&2
		wrt=$(expr "$fam" "$n")
		gns=$(go_ns "$gname" "$n")
		allocs=$(go_field "$gname" "$n" allocs/op)
		bytes=$(go_field "$gname" "$n" bytes/op | awk '{ printf "%d", $1 }')
		if [ -z "$gns" ] && [ "$fam" = tanh ]; then
			gns=$(go_ns TanhLimit "")
			gin="limit error, $(ms "$gns") ms"
			allocs="–"
			bytes="–"
		else
			gin="$(ms "$gns") ms"
		fi
		# SymPy in process.
		if [ -n "$sympy_dead" ]; then
			sin="timeout"
			sratio="–"
		elif res=$(timeout "$TIMEOUT" $SYMPY "$fam" "$n" 2>/dev/null); then
			sns=$(awk '{ printf "%.0f", $1 * 1e9 }' <<<"$res")
			sin="$(ms "$sns") ms"
			sratio=$(ratio "$sns" "$gns")
		else
			sin="timeout (${TIMEOUT} s)"
			sratio="> $(ratio "$((TIMEOUT * 1000000000))" "$gns")"
			sympy_dead=1
		fi
		# Whole processes.
		t0=$(now_ns)
		status=0
		"$MATDIFF" "d/d$wrt" - <"$WORK/expr" >/dev/null 2>&1 || status=$?
		mpns=$(($(now_ns) - t0))
		mp="$(ms "$mpns") ms"
		[ "$status" = 0 ] || mp="exit $status, $mp"
		if [ -n "$sympy_dead_proc" ]; then
			sp="timeout"
			pratio="–"
		else
			t0=$(now_ns)
			if timeout "$TIMEOUT" $SYMPY "$fam" "$n" --once >/dev/null 2>&1; then
				spns=$(($(now_ns) - t0))
				sp="$(ms "$spns") ms"
				pratio=$(ratio "$spns" "$mpns")
			else
				sp="timeout (${TIMEOUT} s)"
				pratio="> $(ratio "$((TIMEOUT * 1000000000))" "$mpns")"
				sympy_dead_proc=1
			fi
		fi
		echo "| $label | $n | $gin | $allocs | $bytes | $sin | $sratio | $mp | $sp | $pratio |" >>"$TABLE"
	done
done

# --- one process: d/dA ||BAx||^2 --------------------------------------------
echo "compare.sh: one process" >&2
rss=$(/usr/bin/time -v "$MATDIFF" d/dA '||BAx||^2' 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }')
if command -v hyperfine >/dev/null; then
	hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$WORK/hf.json" "$MATDIFF d/dA '||BAx||^2'" >/dev/null 2>&1
	median=$(python3 -c "import json,sys; print('%.2f' % (json.load(open(sys.argv[1]))['results'][0]['median'] * 1e3))" "$WORK/hf.json")
	how="hyperfine, $RUNS runs"
else
	for i in $(seq "$RUNS"); do
		t0=$(now_ns)
		"$MATDIFF" d/dA '||BAx||^2' >/dev/null
		echo $(($(now_ns) - t0))
	done | sort -n >"$WORK/runs.txt"
	median=$(awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m / 1e6 }' "$WORK/runs.txt")
	how="shell loop, $RUNS runs"
fi
t0=$(now_ns)
python3 -c "from sympy import MatrixSymbol, symbols
m, n, p = symbols('m n p')
A, B, x = MatrixSymbol('A', n, p), MatrixSymbol('B', m, n), MatrixSymbol('x', p, 1)
print(((B*A*x).T*(B*A*x)).diff(A))" >/dev/null
sympy_one=$(($(now_ns) - t0))

# --- the machine --------------------------------------------------------------
model=$(lscpu 2>/dev/null | awk -F: '/Model name/ { sub(/^ +/, "", $2); print $2; exit }')
mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
load=$(cut -d' ' -f1-3 /proc/loadavg)

{
	echo "<!-- compare.sh begin: written by bench/compare.sh; do not edit by hand -->"
	echo
	echo "Run on $(date -u '+%Y-%m-%d %H:%M UTC'): $(nproc) CPUs ($model), $mem of memory,"
	echo "$(go version | cut -d' ' -f3-4), Python $(python3 -c 'import platform; print(platform.python_version())'),"
	echo "SymPy $(python3 -c 'import sympy; print(sympy.__version__)'); load average at the end: $load."
	echo
	cat "$TABLE"
	echo
	echo "In process: Go's \`go test -bench\` (parse, infer, derive, simplify, print; mean of as many"
	echo "runs as fit in 1 s) against a Python loop over building the SymPy expression, \`.diff\`"
	echo "and \`str\` (at least 1 s, at least one run). Process: one \`matdiff d/dX - < expr\`"
	echo "against one \`python3 bench/sympy_bench.py FAMILY N --once\`, start-up included."
	echo "SymPy gets ${TIMEOUT} s per size; after a timeout the larger sizes are not run."
	echo "Ratios are SymPy's time over matdiff's."
	echo
	echo "One process, \`matdiff d/dA '||BAx||^2'\`: median wall time $median ms ($how),"
	echo "peak resident memory $((rss / 1024)) MB ($rss kB, \`/usr/bin/time -v\`);"
	echo "the same derivative in one \`python3 -c\` with SymPy: $(ms "$sympy_one") ms."
	echo
	echo "<!-- compare.sh end -->"
} >"$WORK/section.md"

# Replace the marked block of BENCHMARKS.md, or append a section with it.
python3 - "$OUT" "$WORK/section.md" <<'EOF'
import os, re, sys
path, section = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
pat = re.compile(r"<!-- compare.sh begin.*?<!-- compare.sh end -->", re.S)
if pat.search(text):
    text = pat.sub(lambda m: section, text)
else:
    text = text.rstrip("\n") + "\n\n## matdiff and SymPy (`bench/compare.sh`)\n\n" + section + "\n"
open(path, "w").write(text)
EOF
cat "$WORK/section.md"

bench/perf.sh
