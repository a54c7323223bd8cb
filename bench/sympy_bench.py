"""The benchmark families of derive/bench_test.go in SymPy's matrix
expressions, for bench/compare.sh.

    python3 sympy_bench.py FAMILY N          # in process: seconds per derivative
    python3 sympy_bench.py FAMILY N --once   # one derivative (time the process)

FAMILY is chain (||A1 ... An x||^2 by A(n/2)), ls (sum of ||Ai x - bi||^2
by x) or tanh (sum(tanh(...tanh(x)...)) by x, as 1^T applied tanh).
"""
import sys
import time

from sympy import Add, MatrixSymbol, OneMatrix, symbols, tanh

k = symbols("k")


def chain(n):
    As = [MatrixSymbol(f"A{i + 1}", k, k) for i in range(n)]
    x = MatrixSymbol("x", k, 1)
    p = As[0]
    for a in As[1:]:
        p = p * a
    y = p * x
    return y.T * y, As[(n + 1) // 2 - 1]


def ls(n):
    x = MatrixSymbol("x", k, 1)
    terms = []
    for i in range(n):
        r = MatrixSymbol(f"A{i + 1}", k, k) * x - MatrixSymbol(f"b{i + 1}", k, 1)
        terms.append(r.T * r)
    return Add(*terms), x


def tanh_nest(n):
    x = MatrixSymbol("x", k, 1)
    e = x
    for _ in range(n):
        e = e.applyfunc(tanh)
    return OneMatrix(1, k) * e, x


FAMILIES = {"chain": chain, "ls": ls, "tanh": tanh_nest}


def once(fam, n):
    e, w = FAMILIES[fam](n)
    return str(e.diff(w))


def main():
    sys.setrecursionlimit(1_000_000)
    fam, n = sys.argv[1], int(sys.argv[2])
    if "--once" in sys.argv:
        out = once(fam, n)
        print(len(out))
        return
    # In process: repeat for at least one second (at least once) and
    # report the mean time of one derivative, from building the expression
    # to the printed result, like the Go benchmark.
    runs, total = 0, 0.0
    while runs == 0 or total < 1.0:
        t0 = time.perf_counter()
        out = once(fam, n)
        total += time.perf_counter() - t0
        runs += 1
    print(f"{total / runs:.9f} {len(out)}")


if __name__ == "__main__":
    main()
