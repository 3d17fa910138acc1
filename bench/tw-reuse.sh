#!/bin/bash
# The handbook's TIME_WAIT advice, measured between two network namespaces of its own joined by a
# veth link (nothing on the host changes): a new connection per request against net/http (or
# TARGET) at full speed, with the client namespace's net.ipv4.tcp_tw_reuse at 0 and at 1,
# alternating, ROUNDS times; the ephemeral range narrowed to PORTS ports so exhaustion shows
# within seconds. Per round: answers, connect errors, TIME_WAIT sockets on each side at the end.
set -u
cd "$(dirname "$0")/.."
target=${TARGET:-nethttp}
rounds=${ROUNDS:-2}
ports=${PORTS:-4000}
cli=scaling-scenario-twc-$$
srv=scaling-scenario-tws-$$
ip netns add "$cli"; ip netns add "$srv"
trap 'ip netns del "$cli" 2>/dev/null; ip netns del "$srv" 2>/dev/null' EXIT
ip link add "twc$$" netns "$cli" type veth peer name "tws$$" netns "$srv"
ip -n "$cli" addr add 10.222.0.1/24 dev "twc$$"; ip -n "$srv" addr add 10.222.0.2/24 dev "tws$$"
for n in "$cli" "$srv"; do ip -n "$n" link set lo up; done
ip -n "$cli" link set "twc$$" up; ip -n "$srv" link set "tws$$" up
ip netns exec "$cli" sysctl -qw net.ipv4.ip_local_port_range="40000 $((40000 + ports - 1))"
port=18792
tw() { ip netns exec "$1" cat /proc/net/sockstat | grep -oP 'tw \K\d+'; }
for round in $(seq 1 "$rounds"); do
  for reuse in 0 1; do
    ip netns exec "$cli" sysctl -qw net.ipv4.tcp_tw_reuse="$reuse"
    sleep 30 | ip netns exec "$srv" taskset -c 1 "build/targets/$target" --port "$port" --threads 1 --mode http --host 10.222.0.2 >/dev/null 2>&1 &
    server=$!
    sleep 1
    out=$(ip netns exec "$cli" node dist/cli.js load "http://10.222.0.2:$port/plaintext" -c 32 -d 4s --warmup 0s --no-keepalive --timeout 2s --cpus 0 --json -q)
    summary=$(echo "$out" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);console.log(`answered ${j.requests} (${Math.round(j.rps)}/s) connect-errors ${j.errors.connect} timeouts ${j.errors.timeout}`)})')
    echo "round $round tcp_tw_reuse $reuse $target ports $ports: $summary; TIME_WAIT client $(tw "$cli") server $(tw "$srv")"
    kill "$server" 2>/dev/null
    wait "$server" 2>/dev/null
    sleep 61 & wait $! # TIME_WAIT (60 s) of this round gone before the next
  done
done
