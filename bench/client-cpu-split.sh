#!/bin/bash
# User and system CPU per request of each HTTP client against the c-floor (server on CPU 1,
# client on CPU 0; 16 connections, 5 s, two rounds): where a generator's CPU goes, which is what
# decides how far io_uring can take it (docs/architecture.md, "Why the generator goal is out of
# reach"). Needs a built tree (npm install), wrk and GNU time. Prints one line per client and round.
set -u
cd "$(dirname "$0")/.."
port=${PORT:-18080}
node dist/cli.js target c-floor --port "$port" --cpus 1 </dev/null >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait 2>/dev/null' EXIT
sleep 2
url=http://127.0.0.1:$port/plaintext
for round in 1 2; do
  for client in epoll io_uring wrk; do
    if [ "$client" = wrk ]; then
      out=$({ /usr/bin/time -f "TIME %U %S" taskset -c 0 wrk -t1 -c16 -d5s "$url"; } 2>&1)
      requests=$(echo "$out" | grep -oP '^\s+\K\d+(?= requests in)')
    else
      out=$({ /usr/bin/time -f "TIME %U %S" node dist/cli.js load "$url" -c 16 -d 5s --warmup 0s --cpus 0 --backend "$client" --json -q; } 2>&1)
      requests=$(echo "$out" | grep -v '^TIME' | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).requests))')
    fi
    read -r user sys < <(echo "$out" | grep '^TIME' | tail -1 | cut -d' ' -f2-)
    awk -v r="$round" -v c="$client" -v n="$requests" -v u="$user" -v s="$sys" \
      'BEGIN { printf "round %s %-8s requests %d  user %.2f us/req  system %.2f us/req\n", r, c, n, u * 1e6 / n, s * 1e6 / n }'
  done
done
