// Command gnet is the gnet v2 target: --threads event loops, each reading
// whole batches of pipelined requests, framing them with httpframe and
// answering with one write per batch.
package main

import (
	"fmt"
	"net"
	"os"
	"strconv"

	"github.com/panjf2000/gnet/v2"

	"evbench/targets/internal/control"
)

const name = "gnet"

func main() {
	opts := control.Parse(name, os.Args[1:], []string{"http", "echo"}, nil)
	ch := control.Start(name, map[string]any{"mode": opts.Mode, "threads": opts.Threads})

	port := opts.Port
	multi := opts.Threads > 1
	var reservation *portReservation
	if multi || port != 0 {
		// With SO_REUSEPORT gnet binds one listener per loop to the address
		// it was given; ":0" would give each loop a different port, and a
		// port another process holds with SO_REUSEPORT would be joined. So
		// the port is first bound exclusively and held (bound, not
		// listening) until gnet's own listeners have it (reserve.go). One
		// loop binds without SO_REUSEPORT itself: the reservation is then
		// only the check, released before gnet binds, so gnet's message on
		// a held port never comes after log lines of its own.
		var err error
		if reservation, err = reservePort(opts.Host, port); err != nil {
			fmt.Fprintf(os.Stderr, "%s: listen %s: %v\n", name, net.JoinHostPort(opts.Host, strconv.Itoa(port)), err)
			os.Exit(control.StartFailureCode(err))
		}
		port = reservation.port
		if !multi {
			reservation.release()
			reservation = nil
		}
	}

	srv := &server{echo: opts.Mode == "echo", ready: ch.Ready, reservation: reservation}
	ch.KeepServing(func() error {
		if srv.port != 0 {
			port = srv.port // a restart binds the port the first engine announced
		}
		addr := "tcp4://" + net.JoinHostPort(opts.Host, strconv.Itoa(port))
		if ip := net.ParseIP(opts.Host); ip != nil && ip.To4() == nil {
			addr = "tcp6://" + net.JoinHostPort(opts.Host, strconv.Itoa(port))
		}
		// gnet.Run returns only when the engine stops: a bind error, OnBoot
		// refusing to start, or an accept error (EMFILE), after which
		// KeepServing starts it again.
		return gnet.Run(srv, addr,
			gnet.WithMulticore(multi),
			gnet.WithNumEventLoop(opts.Threads),
			gnet.WithReusePort(multi),
			// A restart binds while the connections the stopped engine
			// closed sit in TIME_WAIT on this port.
			gnet.WithReuseAddr(true),
			gnet.WithTCPNoDelay(gnet.TCPNoDelay),
			// The first tick comes once every loop has been started; READY is
			// printed there (see server.OnTick).
			gnet.WithTicker(true),
			// gnet's default logger writes to stdout, which belongs to the
			// control channel.
			gnet.WithLogger(stderrLogger{}),
		)
	})
}
