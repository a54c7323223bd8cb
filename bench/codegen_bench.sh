#!/usr/bin/env bash
# Benchmarks the code of `matdiff codegen` against PyTorch autograd, side
# by side in one run (float64, CPU, one thread). Needs Debian's
# python3-numpy and python3-torch (or MATDIFF_PYTHON). Prints the table
# of BENCHMARKS.md's "Code generation" section.
set -euo pipefail
cd "$(dirname "$0")/.."
go build -o /tmp/matdiff-bench .
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
"${MATDIFF_PYTHON:-/usr/bin/python3}" bench/codegen_bench.py /tmp/matdiff-bench
