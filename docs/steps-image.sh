#!/usr/bin/env bash
# Renders the LaTeX derivation of `matdiff d/dA '||BAx||^2' --steps` to
# docs/steps.png (the image in the README): pdflatex, then pdftoppm,
# cropped to the ink. Needs pdflatex (texlive-latex-base), pdftoppm
# (poppler-utils) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
  printf '%s\n' '\documentclass{article}' '\usepackage{amsmath}' \
    '\usepackage[paperwidth=24cm,paperheight=12cm,margin=0.5cm]{geometry}' \
    '\pagestyle{empty}' '\begin{document}'
  go run . d/dA '||BAx||^2' --steps --format latex
  printf '%s\n' '\end{document}'
} >"$tmp/steps.tex"
(cd "$tmp" && pdflatex -interaction=nonstopmode -halt-on-error steps.tex >/dev/null)
dpi=200
pdftoppm -r $dpi -gray "$tmp/steps.pdf" "$tmp/page"
box=$(python3 - "$tmp"/page*.pgm <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
# P5 width height maxval, then bytes
parts = data.split(None, 4)
w, h = int(parts[1]), int(parts[2])
px = parts[4]
top, bottom, left, right = h, -1, w, -1
for y in range(h):
    row = px[y*w:(y+1)*w]
    ink = [x for x in range(w) if row[x] < 200]
    if ink:
        top, bottom = min(top, y), y
        left, right = min(left, ink[0]), max(right, ink[-1])
m = 20
print(max(0, left-m), max(0, top-m), right-left+2*m, bottom-top+2*m)
PY
)
read -r x y W H <<<"$box"
pdftoppm -r $dpi -png -singlefile -x "$x" -y "$y" -W "$W" -H "$H" "$tmp/steps.pdf" docs/steps
echo "docs/steps.png: ${W}x${H}"
