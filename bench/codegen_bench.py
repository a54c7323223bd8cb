"""Benchmarks of the code that `matdiff codegen` writes, side by side with
PyTorch autograd in one run: float64 on the CPU, one thread for torch and
for NumPy's BLAS. Usage: python3 bench/codegen_bench.py path/to/matdiff
(see bench/codegen_bench.sh). Prints a Markdown table."""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

torch.set_num_threads(1)
torch.manual_seed(0)
MATDIFF = sys.argv[1] if len(sys.argv) > 1 else "matdiff"
TMP = tempfile.mkdtemp()


def load(lang, expr, *flags):
    """The function matdiff writes for expr."""
    src = subprocess.run([MATDIFF, "codegen", "--lang", lang, *flags, expr],
                         check=True, capture_output=True, text=True).stdout
    ns = {}
    exec(compile(src, expr, "exec"), ns)
    return ns["f"]


def best(fn, reps=5, budget=20.0):
    """The best of reps timings of fn() (fewer when one takes long)."""
    times = []
    start = time.perf_counter()
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
        if time.perf_counter() - start > budget:
            break
    return min(times)


def ms(t):
    return f"{t * 1e3:.3g} ms"


rows = []


def row(name, ours, theirs, goal, what):
    ratio = theirs / ours
    rows.append((name, ms(ours), ms(theirs), f"{ratio:.3g}×", goal(ratio), what))


def t64(*shape):
    return torch.randn(*shape, dtype=torch.float64)


# Hessians against torch.autograd.functional.hessian.
n = 2048
A, x = t64(n, n), t64(n)
f = load("torch", "x^T A x", "--wrt", "x", "--hessian", "x")
ours = best(lambda: f(x, A))
theirs = best(lambda: torch.autograd.functional.hessian(lambda v: v @ (A @ v), x, vectorize=True), reps=3)
row("Hessian of `x^T A x`, n = 2048", ours, theirs, lambda r: "met (≥ 10×)" if r >= 10 else "not met (< 10×)",
    "value, gradient and Hessian vs `hessian(vectorize=True)`")

X, y, w = t64(2048, 256), torch.sign(t64(2048)), t64(256) * 0.1
f = load("torch", "sum(log(1 + exp(-y .* (X w))))", "--wrt", "w", "--hessian", "w")
ours = best(lambda: f(y, X, w))
theirs = best(lambda: torch.autograd.functional.hessian(
    lambda v: torch.log(1 + torch.exp(-y * (X @ v))).sum(), w, vectorize=True), reps=3)
row("Hessian of `sum(log(1 + exp(-y .* (X w))))`, X 2048×256", ours, theirs,
    lambda r: "met (≥ 10×)" if r >= 10 else "not met (< 10×)", "value, gradient and Hessian")

x = t64(2048)
try:
    f = load("torch", "logsumexp(x)", "--hessian", "x")
    ours = best(lambda: f(x))
    theirs = best(lambda: torch.autograd.functional.hessian(lambda v: torch.logsumexp(v, 0), x, vectorize=True), reps=3)
    row("Hessian of `logsumexp(x)`, n = 2048", ours, theirs,
        lambda r: "met (≥ 10×)" if r >= 10 else "not met (< 10×)", "value, gradient and Hessian")
except subprocess.CalledProcessError as err:
    rows.append(("Hessian of `logsumexp(x)`", "—", "—", "—", "not run", err.stderr.strip()))


def autograd(fn, *params):
    """Forward and backward with torch autograd."""
    ps = [p.detach().requires_grad_(True) for p in params]
    v = fn(*ps)
    return torch.autograd.grad(v, ps)


# Gradients against torch autograd (forward and backward).
n = 2000
B, A, x = t64(n, n), t64(n, n), t64(n)
f = load("torch", "||B A x||^2", "--wrt", "A")
ours = best(lambda: f(B, A, x))
theirs = best(lambda: autograd(lambda a: torch.sum((B @ (a @ x)) ** 2), A))
row("gradient of `||B A x||^2` by A, n = 2000", ours, theirs,
    lambda r: "met (≥ 1×)" if r >= 0.95 else "not met", "value and gradient")

mlp = "||W2 tanh(W1 x + b1) + b2 - y||^2"
W2, W1, x, b1, b2, y = t64(256, 1024) * 0.03, t64(1024, 1024) * 0.03, t64(1024), t64(1024), t64(256), t64(256)
f = load("torch", mlp, "--wrt", "W1,W2")
ours = best(lambda: f(W2, W1, x, b1, b2, y), reps=20)
theirs = best(lambda: autograd(lambda w1, w2: torch.sum((w2 @ torch.tanh(w1 @ x + b1) + b2 - y) ** 2), W1, W2), reps=20)
row("MLP gradients by W1, W2 (1024 in, 1024 hidden, 256 out)", ours, theirs,
    lambda r: "met (≥ 1×)" if r >= 0.95 else "not met", "value and both gradients")

# The cheap-gradient ratio: time(value and gradients) / time(value).
ratios = []
fv = load("torch", mlp, "--wrt", "")
value = best(lambda: fv(W2, W1, x, b1, b2, y), reps=20)
ratios.append(("MLP, value and the gradients by W1, W2, b1, b2", load("torch", mlp, "--wrt", "W1,W2,b1,b2"),
               (W2, W1, x, b1, b2, y), value))
X, y, w = t64(4096, 1024), t64(4096), t64(1024)
fv = load("torch", "||X w - y||^2", "--wrt", "")
value = best(lambda: fv(X, w, y), reps=20)
ratios.append(("least squares `||X w - y||^2`, X 4096×1024, gradient by w", load("torch", "||X w - y||^2", "--wrt", "w"),
               (X, w, y), value))

print("| benchmark | matdiff codegen (torch) | torch autograd | speed-up | goal | measures |")
print("|---|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
print()
print("| cheap-gradient ratio | value alone | value and gradients | ratio | goal (≤ 4) |")
print("|---|---|---|---|---|")
for name, g, args, value in ratios:
    both = best(lambda: g(*args), reps=20)
    r = both / value
    print(f"| {name} | {ms(value)} | {ms(both)} | {r:.2f} | {'met' if r <= 4 else 'not met'} |")
