// Allocates 64 KiB buffers in a loop with a small live heap: thousands of GC cycles, to weigh
// what GODEBUG=gctrace=1 (one line per cycle on stderr) costs per cycle.
package main

import (
	"fmt"
	"os"
	"runtime"
)

var sink []byte

func main() {
	for i := 0; i < 400000; i++ {
		sink = make([]byte, 64<<10)
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Fprintln(os.Stdout, m.NumGC)
}
