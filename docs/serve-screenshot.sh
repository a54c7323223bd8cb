#!/usr/bin/env bash
# Makes docs/serve.png (the screenshot in the README): builds matdiff,
# starts `matdiff serve` on 127.0.0.1, and lets headless Chromium render
# the page of d/dA ||BAx||^2 with its derivation open. Needs chromium
# (Debian: apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
chromium=${MATDIFF_CHROMIUM:-chromium}
port=${PORT:-18765}
tmp=$(mktemp -d)
go build -o "$tmp/matdiff" .
"$tmp/matdiff" serve --addr "127.0.0.1:$port" 2>"$tmp/serve.log" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.1
done
"$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --user-data-dir="$tmp/profile" --window-size=1000,1180 --virtual-time-budget=10000 \
  --screenshot="$PWD/docs/serve.png" \
  "http://127.0.0.1:$port/?wrt=A&expr=%7C%7CBAx%7C%7C%5E2&tab=steps" >/dev/null 2>&1
echo "docs/serve.png written"
