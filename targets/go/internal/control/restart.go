package control

import (
	"fmt"
	"os"
	"sync/atomic"
	"syscall"
	"time"
)

// restartPause is the rest between an engine stopping and its restart: long
// enough for closed connections to free descriptors, short enough that a
// client sees a brief refusal rather than a dead target. An engine that
// stops again within a second doubles it, up to maxRestartPause, so a
// lasting failure (the port taken meanwhile) does not spin or flood stderr.
const (
	restartPause    = 100 * time.Millisecond
	maxRestartPause = 5 * time.Second
)

var restarts atomic.Uint64

// KeepServing runs serve until it returns, and runs it again when it
// returns after READY. gnet and evio stop their whole engine when accept
// fails, and accept fails with EMFILE when the process is at its descriptor
// limit; a benchmark target must survive that (docs/architecture.md), so
// the engine is started again on the same port, counted as
// extra.engineRestarts. Every connection open at the stop is lost: the
// libraries close them all. A return before READY is a start-up failure
// (a bind error): exit with its message, 2 when the port is held.
func (c *Channel) KeepServing(serve func() error) {
	pause := restartPause
	for {
		started := time.Now()
		err := serve()
		if err == nil {
			err = fmt.Errorf("engine stopped")
		}
		if !c.isReady() {
			fmt.Fprintf(os.Stderr, "%s: %v\n", c.name, err)
			c.exit(StartFailureCode(err))
			return
		}
		restarts.Add(1)
		if time.Since(started) < time.Second {
			pause = min(2*pause, maxRestartPause)
		} else {
			pause = restartPause
		}
		fmt.Fprintf(os.Stderr, "%s: %v; starting the engine again in %v\n", c.name, err, pause)
		time.Sleep(pause)
	}
}

func (c *Channel) isReady() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ready
}

// fdLimit is the soft RLIMIT_NOFILE in force (Go raises it to the hard
// limit at start since Go 1.19), or -1 when it cannot be read.
func fdLimit() int64 {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return -1
	}
	return int64(r.Cur)
}
