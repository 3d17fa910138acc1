// Command evio is the evio target: --threads loops sharing one listener,
// each framing the bytes evio hands it with httpframe and answering a batch
// of pipelined requests with one write.
package main

import (
	"net"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/tidwall/evio"

	"evbench/targets/internal/control"
	"evbench/targets/internal/httpframe"
)

const name = "evio"

// conn is the per-connection HTTP state. evio hands Data one read at a
// time and keeps nothing, so the unframed tail of the input lives here.
type conn struct {
	framer httpframe.Framer
	in     []byte
	out    []byte
	need   int // input length below which framing cannot progress
}

// Buffers bigger than this (a large echo) are released after use so idle
// connections stay small.
const maxKept = 64 << 10

func main() {
	opts := control.Parse(name, os.Args[1:], []string{"http", "echo"}, nil)
	ch := control.Start(name, map[string]any{"mode": opts.Mode, "threads": opts.Threads})
	echo := opts.Mode == "echo"

	var port atomic.Int64
	var events evio.Events
	events.NumLoops = opts.Threads
	events.Serving = func(s evio.Server) evio.Action {
		port.Store(int64(s.Addrs[0].(*net.TCPAddr).Port))
		return evio.None
	}
	// evio fires Tick first from loop 0 once the loops run: the listener
	// is then being served, which is when READY is due.
	events.Tick = func() (time.Duration, evio.Action) {
		ch.Ready(int(port.Load()))
		return time.Hour, evio.None
	}
	events.Opened = func(c evio.Conn) ([]byte, evio.Options, evio.Action) {
		if !echo {
			c.SetContext(&conn{})
		}
		// evio copies every read into a fresh slice unless told it may
		// reuse its loop buffer; every byte kept past Data is copied here
		// anyway, so reuse is safe and saves an allocation per read.
		return nil, evio.Options{ReuseInputBuffer: true}, evio.None
	}
	events.Data = func(c evio.Conn, in []byte) ([]byte, evio.Action) {
		if echo {
			// evio copies out into the connection's own buffer before
			// the loop buffer is reused.
			control.Count(len(in))
			return in, evio.None
		}
		return serveHTTP(c.Context().(*conn), in)
	}

	ch.KeepServing(func() error {
		p := opts.Port
		if served := port.Load(); served != 0 {
			p = int(served) // a restart binds the port first announced
		}
		// evio.Serve returns when its loops stop: a bind error, or an
		// accept error (EMFILE), after which KeepServing starts it again.
		return evio.Serve(events, "tcp://"+net.JoinHostPort(opts.Host, strconv.Itoa(p)))
	})
}

// serveHTTP frames what has arrived and answers every complete request.
func serveHTTP(st *conn, in []byte) ([]byte, evio.Action) {
	if st.need > 0 && len(st.in)+len(in) < st.need {
		// A body is still arriving; keep it without re-framing.
		st.in = append(st.in, in...)
		return nil, evio.None
	}
	data := in
	if len(st.in) > 0 {
		// A partial request was left over: extend it. Otherwise frame the
		// loop's buffer in place with no copy at all.
		st.in = append(st.in, in...)
		data = st.in
	}
	out, b := st.framer.Serve(data, st.out[:0])
	rest := data[b.Consumed:]
	switch {
	case b.Close || len(rest) == 0:
		st.in = keep(st.in)
	case len(st.in) == 0:
		// The leftover aliases evio's loop buffer, which the next read
		// overwrites: copy it out.
		st.in = append(st.in, rest...)
	default:
		st.in = append(st.in[:0], rest...) // slide the partial request to the front
	}
	st.need = b.Need
	control.Count(b.Requests)
	// evio copies out before the next Data call, so the same buffer can be
	// reused next time.
	st.out = keep(out)
	if b.Close {
		return out, evio.Close
	}
	return out, evio.None
}

func keep(b []byte) []byte {
	if cap(b) > maxKept {
		return nil
	}
	return b[:0]
}
