#!/bin/bash
# The handbook's listen-queue advice, measured in a network namespace of its own (nothing on the
# host changes): net/http (or TARGET) takes a connect storm of N connections opened at once, with
# net.core.somaxconn and net.ipv4.tcp_max_syn_backlog at 4096 and at 65535, alternating, ROUNDS
# times. Per round: the namespace's ListenOverflows, ListenDrops and SYN retransmissions (nstat),
# connect errors and how many requests of the short window were answered. Root; a built tree.
set -u
cd "$(dirname "$0")/.."
target=${TARGET:-nethttp}
n=${N:-10000}
rounds=${ROUNDS:-3}
ns=scaling-scenario-somaxconn-$$
ip netns add "$ns"
trap 'ip netns del "$ns" 2>/dev/null' EXIT
ip -n "$ns" link set lo up
port=18790
for round in $(seq 1 "$rounds"); do
  for backlog in 4096 65535; do
    ip netns exec "$ns" sysctl -qw net.core.somaxconn="$backlog" net.ipv4.tcp_max_syn_backlog="$backlog"
    # The target exits when its stdin closes: hold it open with a sleep that outlives the round.
    # ip netns exec and taskset exec the target, so $! is the target's own pid.
    sleep 30 | ip netns exec "$ns" taskset -c 1 "build/targets/$target" --port "$port" --threads 1 --mode http >/dev/null 2>&1 &
    server=$!
    sleep 1
    ip netns exec "$ns" nstat -n >/dev/null  # reset nstat's history: the next call prints deltas
    out=$(ip netns exec "$ns" node dist/cli.js load "http://127.0.0.1:$port/plaintext" -c "$n" -R 1000 -d 2s --warmup 4s --timeout 10s --cpus 0 --json -q)
    counters=$(ip netns exec "$ns" nstat -z TcpExtListenOverflows TcpExtListenDrops TcpExtTCPSynRetrans | awk 'NR>1 {printf "%s %s  ", $1, $2}')
    summary=$(echo "$out" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);console.log(`answered ${j.requests} connect-errors ${j.errors.connect} timeouts ${j.errors.timeout}`)})')
    echo "round $round somaxconn $backlog $target N=$n: $counters $summary"
    kill "$server" 2>/dev/null
    wait "$server" 2>/dev/null
  done
done
