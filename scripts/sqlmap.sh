#!/usr/bin/env bash
# SQL injection scan: Debian's sqlmap at level 3 against a running Ladder (the compiled server on
# a throwaway DATA_DIR with demo data, 127.0.0.1 only): the queue filters and search (with an
# agent's session), the tracking link and the lost-link form, the complaint form's category,
# and the sign-in form. Fails if sqlmap reports any injectable parameter, or cannot run.
#
# Bounded runtime: --dbms=SQLite (we know the backend, so sqlmap skips other databases'
# payloads), --risk=1 (no OR-based or heavy-query payloads that could change data), a short
# --time-sec and a few threads. Every parameter is named with -p, so the session cookie is
# never fuzzed (it would only sign the scan out). The tamper script xforwardedfor gives each
# request a random client address (TRUST_PROXY is on for this server), so the per-address rate
# limits on sign-in and lost link do not turn the scan into a wall of 429s; the per-account
# sign-in limit still applies to the `password` field, which never reaches SQL anyway.
#
# Run with `npm run test:sqlmap` (builds first). SQLMAP_LEVEL, SQLMAP_THREADS override.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v sqlmap >/dev/null 2>&1; then
  echo "sqlmap is not installed: apt-get install -y sqlmap" >&2
  exit 2
fi
[ -f dist/src/server.js ] || { echo "dist/ is missing: run npm run build" >&2; exit 2; }

LEVEL="${SQLMAP_LEVEL:-3}"
THREADS="${SQLMAP_THREADS:-4}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ladder-sqlmap-XXXXXX")"
DATA="$WORK/data"
PORT="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
BASE="http://127.0.0.1:$PORT"
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "${KEEP_DATA:-0}" != "1" ] && [ "${FAILED:-0}" = "0" ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

env -i PATH="$PATH" HOME="${HOME:-/tmp}" DATA_DIR="$DATA" LOG_LEVEL=silent \
  node dist/src/cli.js demo --tickets 60 >/dev/null
env -i PATH="$PATH" HOME="${HOME:-/tmp}" DATA_DIR="$DATA" PORT="$PORT" HOST=127.0.0.1 LOG_LEVEL=error TRUST_PROXY=true \
  node dist/src/server.js >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "$BASE/healthz" >/dev/null || { echo "server did not start"; cat "$WORK/server.log"; exit 2; }

# An agent's session (demo account) for the queue.
COOKIE="$(node scripts/staff-sign-in.mjs "$BASE" agent1@demo.ladder.test ladder-demo-2026)"
[ -n "$COOKIE" ] || { echo "could not sign in the demo agent"; exit 2; }
# A real case number and tracking link (a fresh filing) for the tracking targets.
CASE="$(node -e "
  const D=require('better-sqlite3'); const db=new D(process.argv[1],{readonly:true});
  console.log(db.prepare('select case_number from tickets order by id limit 1').pluck().get())" "$DATA/ladder.db")"
OCCURRED="$(node -e "console.log(new Date(Date.now()-2*86400000+8*3600000).toISOString().slice(0,16))")"
TRACK="$(curl -s -o /dev/null -w '%{redirect_url}' -H "Origin: $BASE" -F category=refund_not_received -F provider=alipay \
  -F "occurred_at=$OCCURRED" -F amount=12.50 -F currency=CNY -F description='sqlmap scan case' -F desired_outcome=refund \
  -F name=Scan -F email=scan@example.com -F consent=yes "$BASE/complaints")"
TOKEN="${TRACK##*/}"
[ -n "$TOKEN" ] || { echo "could not file the scan's case"; exit 2; }

COMMON=(--batch --flush-session --disable-coloring --dbms=SQLite --level="$LEVEL" --risk=1 --threads="$THREADS"
  --time-sec=2 --timeout=15 --retries=1 --tamper=xforwardedfor --output-dir="$WORK/out" --ignore-code=401,403,404,409,413,415,422,429)

FAILED=0
scan() {
  local name="$1"; shift
  local log="$WORK/$name.log"
  local started=$SECONDS
  if ! sqlmap "${COMMON[@]}" "$@" >"$log" 2>&1; then
    echo "sqlmap: $name: sqlmap itself failed (see $log)"; tail -n 20 "$log"; FAILED=1; return
  fi
  if grep -Eqi "identified the following injection point|is vulnerable|parameter '.*' (appears to be|is) .*injectable" "$log" \
     && ! grep -qi "do not appear to be injectable" "$log"; then
    echo "sqlmap: $name: INJECTABLE"; grep -Ei "injectable|Parameter:|Type:|Payload:" "$log" | head -n 30; FAILED=1
  elif grep -qi "all tested parameters do not appear to be injectable" "$log"; then
    echo "sqlmap: $name: no injectable parameter ($((SECONDS - started)) s)"
  else
    echo "sqlmap: $name: no verdict from sqlmap (see $log)"; tail -n 15 "$log"; FAILED=1
  fi
}

scan queue -u "$BASE/queue?status=open&level=platform&category=refund_not_received&provider=1&assignee=me&overdue=1&q=refund&sort=due&cursor=x" \
  --cookie="$COOKIE" -p "status,level,category,provider,assignee,overdue,q,sort,cursor"
scan search -u "$BASE/queue?q=%E9%80%80%E6%AC%BE&status=all" --cookie="$COOKIE" -p q
scan track-link -u "$BASE/track/${TOKEN}*"
scan lost-link -u "$BASE/track" --data "case_number=$CASE&email=scan%40example.com" -H "Origin: $BASE" -p "case_number,email"
scan login -u "$BASE/login" --data "email=agent1%40demo.ladder.test&password=wrong" -H "Origin: $BASE" -p "email,password"
scan complaint-form -u "$BASE/complaints/new?category=refund_not_received" -p category

if [ "$FAILED" != "0" ]; then
  echo "sqlmap: FAILED (logs in $WORK)"
  exit 1
fi
echo "sqlmap: PASS: no injectable parameter found"
