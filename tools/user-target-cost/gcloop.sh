#!/bin/bash
# Build: go build -o gcloop . ; run from this folder. Alternating, pinned to CPU 1: CPU seconds (user+sys) of the loop with and without gctrace;
# the trace goes to a pipe read by cat, as the harness reads it.
for i in 1 2 3 4 5 6; do
  for mode in off on; do
    if [ $mode = on ]; then export GODEBUG=gctrace=1; else unset GODEBUG; fi
    n=$(/usr/bin/time -o t-$mode -f "%U %S" taskset -c 1 ./gcloop 2> >(cat > err-$mode))
    echo "$mode gc=$n cpu=$(awk '{print $1+$2}' t-$mode) lines=$(wc -l < err-$mode)"
  done
done
