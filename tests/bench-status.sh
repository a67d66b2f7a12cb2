#!/bin/sh
# bench-status.sh — how `modelwatch status --once` compares with curl
# fetching the same 50 status pages in parallel from the same loopback
# server, with a bare libsoup + json-glib program that fetches and parses
# them (bench-bare-fetcher), and with libsoup alone fetching them without
# parsing or a proxy resolver (bench-bare-fetcher --floor, the floor of
# the HTTP library): wall time, CPU time (user + system) and peak RSS,
# medians.
#
#   bench-status.sh MODELWATCH DIR_SERVER [SAMPLES [BARE_FETCHER]]
#
# BARE_FETCHER defaults to bench-bare-fetcher next to DIR_SERVER.
#
# Each sample runs a command BATCH times in a row under /usr/bin/time
# (whose clock ticks in 10 ms) and divides by BATCH; the table shows the
# median of SAMPLES samples. Peak RSS is the largest of one batch. The
# defaults (MW_BENCH_SAMPLES=15, MW_BENCH_BATCH=20) resolve 0.5 ms a run
# and take about half a minute.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

modelwatch=${1:-${MODELWATCH_BIN:-}}
server=${2:-}
samples=${3:-${MW_BENCH_SAMPLES:-15}}
batch=${MW_BENCH_BATCH:-20}
bare=${4:-$(dirname "$server")/bench-bare-fetcher}
providers=50
here=$(cd "$(dirname "$0")" && pwd)
fixtures=${G_TEST_SRCDIR:-$here}/fixtures

if [ -z "$modelwatch" ] || [ -z "$server" ]; then
  echo "usage: $0 MODELWATCH DIR_SERVER [SAMPLES]" >&2
  exit 64
fi
for tool in /usr/bin/time curl "$bare"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench-status: $tool is missing" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/modelwatch-bench.XXXXXX")
server_pid=""
cleanup () {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# 50 pages made of real captures in turn. "small" (the default): the two
# Anthropic summaries (2 KB, all clear and two open incidents), the size
# of an AI provider's page. "mixed": every third page is the 30 KB
# Cloudflare page (maintenances, many components), for a parse-heavy run.
pages=${MW_BENCH_PAGES:-small}
case $pages in
  small) set -- statuspage-anthropic-summary.json statuspage-anthropic-summary-two-incidents-trimmed.json \
                statuspage-anthropic-summary.json ;;
  mixed) set -- statuspage-anthropic-summary.json statuspage-anthropic-summary-two-incidents-trimmed.json \
                statuspage-cloudflare-summary-replicate.json ;;
  *) echo "bench-status: MW_BENCH_PAGES is small or mixed" >&2; exit 64 ;;
esac
i=1
while [ $i -le $providers ]; do
  id=$(printf 'p%02d' $i)
  mkdir -p "$tmp/www/$id/api/v2"
  case $(( i % 3 )) in
    0) f=$1 ;; 1) f=$2 ;; *) f=$3 ;;
  esac
  cp "$fixtures/$f" "$tmp/www/$id/api/v2/summary.json"
  i=$(( i + 1 ))
done

"$server" "$tmp/www" >"$tmp/port" 2>"$tmp/server.log" &
server_pid=$!
n=0
while [ ! -s "$tmp/port" ] && [ $n -lt 50 ]; do sleep 0.1; n=$(( n + 1 )); done
port=$(head -n1 "$tmp/port")
[ -n "$port" ] || { echo "bench-status: the server did not start" >&2; exit 1; }

# The catalog and curl's list of the same URLs.
{
  printf '{"version": 1, "providers": [\n'
  i=1
  while [ $i -le $providers ]; do
    id=$(printf 'p%02d' $i)
    [ $i -gt 1 ] && printf ',\n'
    printf '{"id": "%s", "name": "Provider %s", "status_page": {"url": "http://127.0.0.1:%s/%s", "platform": "statuspage"},' \
      "$id" "$id" "$port" "$id"
    printf ' "models": [{"id": "model", "name": "Model %s", "components": ["k8w3r06qmzrp", "c"], "match": ["Model %s"]}]}' "$id" "$id"
    i=$(( i + 1 ))
  done
  printf '\n]}\n'
} >"$tmp/catalog.json"

i=1
: >"$tmp/curl.cfg"
: >"$tmp/urls"
while [ $i -le $providers ]; do
  printf 'url = "http://127.0.0.1:%s/p%02d/api/v2/summary.json"\noutput = "/dev/null"\n' "$port" $i >>"$tmp/curl.cfg"
  printf 'http://127.0.0.1:%s/p%02d/api/v2/summary.json\n' "$port" $i >>"$tmp/urls"
  i=$(( i + 1 ))
done

mkdir -p "$tmp/config" "$tmp/cache" "$tmp/data" "$tmp/state"
export XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" XDG_DATA_HOME="$tmp/data" XDG_STATE_HOME="$tmp/state"
export DBUS_SESSION_BUS_ADDRESS=disabled:

printf '{"version": 1, "providers": []}\n' >"$tmp/empty.json"
mw0_cmd="\"$modelwatch\" status --once --json --catalog \"$tmp/empty.json\" >/dev/null"
mw_cmd="\"$modelwatch\" status --once --json --catalog \"$tmp/catalog.json\" >/dev/null; [ \$? -le 3 ]"
curl_cmd="curl --parallel --parallel-immediate --parallel-max $providers --no-progress-meter -sS -K \"$tmp/curl.cfg\""
bare_cmd="\"$bare\" \"$tmp/urls\""
floor_cmd="\"$bare\" --floor \"$tmp/urls\""

# Both work before anything is timed (and warm the page cache).
sh -c "$mw_cmd" || { echo "bench-status: modelwatch failed" >&2; exit 1; }
sh -c "$curl_cmd" || { echo "bench-status: curl failed" >&2; exit 1; }
sh -c "$bare_cmd" || { echo "bench-status: bench-bare-fetcher failed" >&2; exit 1; }
sh -c "$floor_cmd" || { echo "bench-status: bench-bare-fetcher --floor failed" >&2; exit 1; }
"$modelwatch" status --once --json --catalog "$tmp/catalog.json" >"$tmp/check.json" || true
ok=$(grep -c '"error" : null' "$tmp/check.json" || true)
[ "$ok" -eq $providers ] || { echo "bench-status: only $ok of $providers pages were read" >&2; exit 1; }

# sample NAME COMMAND: one line "wall cpu rss" (seconds per run, KiB).
sample () {
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" sh -c "n=0; while [ \$n -lt $batch ]; do $2 || exit 1; n=\$(( n + 1 )); done"
  awk -v b=$batch '{ printf "%.6f %.6f %d\n", $1 / b, ($2 + $3) / b, $4 }' "$tmp/time" >>"$tmp/$1"
}

: >"$tmp/mw"
: >"$tmp/mw0"
: >"$tmp/curl"
: >"$tmp/bare"
: >"$tmp/floor"
s=1
while [ $s -le "$samples" ]; do
  sample mw "$mw_cmd"
  sample curl "$curl_cmd"
  sample mw0 "$mw0_cmd"
  sample bare "$bare_cmd"
  sample floor "$floor_cmd"
  s=$(( s + 1 ))
done

# median FILE COLUMN
median () {
  sort -n -k"$2,$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

mw_wall=$(median "$tmp/mw" 1); mw_cpu=$(median "$tmp/mw" 2); mw_rss=$(median "$tmp/mw" 3)
z_wall=$(median "$tmp/mw0" 1); z_cpu=$(median "$tmp/mw0" 2); z_rss=$(median "$tmp/mw0" 3)
cu_wall=$(median "$tmp/curl" 1); cu_cpu=$(median "$tmp/curl" 2); cu_rss=$(median "$tmp/curl" 3)
b_wall=$(median "$tmp/bare" 1); b_cpu=$(median "$tmp/bare" 2); b_rss=$(median "$tmp/bare" 3)
f_wall=$(median "$tmp/floor" 1); f_cpu=$(median "$tmp/floor" 2); f_rss=$(median "$tmp/floor" 3)

echo "modelwatch status --once --json --catalog <50 providers> vs curl --parallel --parallel-max 50 and bench-bare-fetcher (same 50 URLs)"
echo "pages: $pages ($(du -cb "$tmp"/www/*/api/v2/summary.json | tail -n1 | cut -f1) bytes in all); loopback server: mw-dir-server; $samples samples of $batch runs each; medians per run"
awk -v mw="$mw_wall" -v cw="$cu_wall" -v mc="$mw_cpu" -v cc="$cu_cpu" -v mr="$mw_rss" -v cr="$cu_rss" \
    -v bw="$b_wall" -v bc="$b_cpu" -v br="$b_rss" \
    -v zw="$z_wall" -v zc="$z_cpu" -v zr="$z_rss" \
    -v fw="$f_wall" -v fc="$f_cpu" -v fr="$f_rss" '
function r(a, b) { return b > 0 ? a / b : 0 }
BEGIN {
  printf "%-20s %11s %11s %7s %8s %11s %7s %11s %11s\n", "", "modelwatch", "curl", "/curl", "target", "bare", "/bare", "floor", "mw, 0 pages"
  printf "%-20s %8.1f ms %8.1f ms %6.2fx %8s %8.1f ms %6.2fx %8.1f ms %8.1f ms\n", "wall time", mw * 1000, cw * 1000, r(mw, cw), "<=1.25x", bw * 1000, r(mw, bw), fw * 1000, zw * 1000
  printf "%-20s %8.1f ms %8.1f ms %6.2fx %8s %8.1f ms %6.2fx %8.1f ms %8.1f ms\n", "CPU time (user+sys)", mc * 1000, cc * 1000, r(mc, cc), "<=1.5x", bc * 1000, r(mc, bc), fc * 1000, zc * 1000
  printf "%-20s %7.1f MiB %7.1f MiB %6.2fx %8s %7.1f MiB %6.2fx %7.1f MiB %7.1f MiB\n", "peak RSS", mr / 1024, cr / 1024, r(mr, cr), "-", br / 1024, r(mr, br), fr / 1024, zr / 1024
  printf "(bare: bench-bare-fetcher, libsoup 3 + json-glib, one thread; its own ratio to curl: wall %.2fx, CPU %.2fx)\n", r(bw, cw), r(bc, cc)
  printf "(floor: bench-bare-fetcher --floor, libsoup 3 alone, no parsing, no proxy resolver: wall %.2fx, CPU %.2fx of curl)\n", r(fw, cw), r(fc, cc)
}'
