package main

import (
	"errors"
	"net"
	"sync"

	"evbench/targets/internal/control"
)

// echoBufSize is one read's worth; the kernel rarely hands more at once on
// loopback, and a pooled buffer of this size per live connection is the
// memory cost a goroutine-per-connection echo pays.
const echoBufSize = 32 << 10

var echoBufs = sync.Pool{New: func() any { b := make([]byte, echoBufSize); return &b }}

// serveEcho is the stdlib baseline for raw echo: one goroutine per
// connection, blocking reads and writes, every byte written back in order.
func serveEcho(ln net.Listener) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue // a transient accept failure (e.g. out of descriptors)
			}
			return err
		}
		go echoConn(c)
	}
}

func echoConn(c net.Conn) {
	defer c.Close()
	bp := echoBufs.Get().(*[]byte)
	defer echoBufs.Put(bp)
	buf := *bp
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
			control.Count(n)
		}
		if err != nil {
			return
		}
	}
}
