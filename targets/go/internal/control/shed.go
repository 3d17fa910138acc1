package control

import (
	"errors"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"time"
)

// shedPause is the rest before accepting again when no descriptor could be
// freed to shed a connection: the loop never spins on EMFILE.
const shedPause = 10 * time.Millisecond

var shed atomic.Uint64

// sheddingListener keeps serving at the descriptor limit. Accept failing
// with EMFILE or ENFILE leaves the pending connection in the kernel's queue:
// net/http would back off for up to a second per attempt, fasthttp and a
// plain accept loop would stop. Instead the spare descriptor is closed, the
// pending connection accepted and closed at once (the client sees a clean
// close, not a hang), the spare taken back, and Accept goes on. Shed
// connections are counted as extra.errEmfile.
type sheddingListener struct {
	net.Listener
	spare *os.File
}

func newSheddingListener(ln net.Listener) *sheddingListener {
	spare, _ := os.Open(os.DevNull) // nil when even this fails: then only the pause applies
	return &sheddingListener{Listener: ln, spare: spare}
}

func (l *sheddingListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err == nil || !(errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE)) {
			return c, err
		}
		shed.Add(1)
		if l.spare == nil {
			time.Sleep(shedPause)
			l.spare, _ = os.Open(os.DevNull)
			continue
		}
		l.spare.Close()
		l.spare = nil
		if c, err := l.Listener.Accept(); err == nil {
			c.Close()
		} else {
			time.Sleep(shedPause)
		}
		l.spare, _ = os.Open(os.DevNull)
	}
}

func (l *sheddingListener) Close() error {
	if l.spare != nil {
		l.spare.Close()
	}
	return l.Listener.Close()
}
