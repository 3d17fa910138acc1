package main

import (
	"fmt"
	"os"
	"time"

	"github.com/panjf2000/gnet/v2"
	"golang.org/x/sys/unix"

	"evbench/targets/internal/control"
	"evbench/targets/internal/httpframe"
)

// server is the gnet event handler for both modes.
type server struct {
	gnet.BuiltinEventEngine
	echo        bool
	ready       func(port int)
	reservation *portReservation
	port        int
}

// conn is the per-connection HTTP state, owned by one event loop.
type conn struct {
	framer httpframe.Framer
	out    []byte
	need   int // inbound length below which framing cannot progress
}

// maxKeptOut bounds the reply buffer a connection keeps between batches;
// a larger one (a big echo) is dropped so idle connections stay small.
const maxKeptOut = 64 << 10

func (s *server) OnBoot(eng gnet.Engine) gnet.Action {
	port, err := listenerPort(eng)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		return gnet.Shutdown
	}
	s.port = port
	// The first listener now holds the port, so the reservation can go;
	// the other loops' SO_REUSEPORT listeners bind next to it.
	if s.reservation != nil {
		s.reservation.release()
		s.reservation = nil // a restarted engine boots again: release once
	}
	return gnet.None
}

// OnTick's first call means the engine has started every loop.
func (s *server) OnTick() (time.Duration, gnet.Action) {
	s.ready(s.port)
	// Nothing else is done on ticks; a long delay keeps the ticker asleep.
	return time.Hour, gnet.None
}

func (s *server) OnOpen(c gnet.Conn) ([]byte, gnet.Action) {
	if !s.echo {
		c.SetContext(&conn{})
	}
	return nil, gnet.None
}

func (s *server) OnTraffic(c gnet.Conn) gnet.Action {
	if s.echo {
		// Everything read is written back; Write copies what the socket
		// does not take into gnet's outbound buffer.
		buf, _ := c.Next(-1)
		c.Write(buf)
		control.Count(len(buf))
		return holdBack(c)
	}
	st := c.Context().(*conn)
	if st.need > 0 && c.InboundBuffered() < st.need {
		return gnet.None // a body is still arriving; nothing can be framed yet
	}
	// Peek leaves the bytes in gnet's inbound buffer: a partial request
	// stays there and is seen again, extended, on the next event.
	in, _ := c.Peek(-1)
	out, b := st.framer.Serve(in, st.out[:0])
	if len(out) > 0 {
		c.Write(out)
	}
	if cap(out) <= maxKeptOut {
		st.out = out[:0]
	} else {
		st.out = nil
	}
	if b.Consumed > 0 {
		// Guarded: gnet's Discard(0) discards everything buffered.
		c.Discard(b.Consumed)
	}
	st.need = b.Need
	control.Count(b.Requests)
	if b.Close {
		return gnet.Close
	}
	return holdBack(c)
}

// listenerPort reads the bound port from a duplicate of the engine's
// listener descriptor (gnet offers no other view of it).
func listenerPort(eng gnet.Engine) (int, error) {
	fd, err := eng.Dup()
	if err != nil {
		return 0, fmt.Errorf("duplicating the listener: %w", err)
	}
	defer unix.Close(fd)
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return 0, fmt.Errorf("getsockname: %w", err)
	}
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return a.Port, nil
	case *unix.SockaddrInet6:
		return a.Port, nil
	}
	return 0, fmt.Errorf("listener has a %T address", sa)
}
