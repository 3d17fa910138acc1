#!/bin/bash
# The native generator's user-space memory per connection held, at each level given
# (default 1000 5000 10000 19000): one native-standalone server (CPU 1), one `load` per level
# (CPU 0), one connection sending at 10 req/s and the rest held idle. Prints one line per level
# from load --json (connections.memory and connections.connect). RATE=8k paces the connects.
set -u
cd "$(dirname "$0")/../.."
coproc SRV { exec taskset -c 1 ./build/targets/native-standalone/native-standalone --port 0; }
read -r line <&"${SRV[0]}"
port=${line#READY }
trap 'kill $SRV_PID 2>/dev/null' EXIT
for n in "${@:-1000 5000 10000 19000}"; do
  for level in $n; do
    node dist/cli.js load "http://127.0.0.1:$port/plaintext" -c "$level" -t 1 --active 1 -R 10 -d 2 --warmup 4 --cpus 0 -q --json ${RATE:+--connect-rate $RATE} |
      node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s),c=j.connections,k=c.connect;console.log(`${j.settings.connections} connections: ${c.memory.perConnectionBytes.toFixed(0)} B each (RSS +${c.memory.rssAfterBytes-c.memory.rssBeforeBytes} B); ${k.firstOpened} opened in ${k.rampS.toFixed(3)} s, ${k.rampCpuS>0?(k.firstOpened/k.rampCpuS).toFixed(0):"-"} per CPU-s, connect p99 ${k.latencyUs.p99} us`)})'
  done
done
