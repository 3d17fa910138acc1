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
	if multi && port == 0 {
		// With SO_REUSEPORT gnet binds one listener per loop to the address
		// it was given; ":0" would give each loop a different port. So a
		// free port is chosen first and held (bound, not listening) until
		// gnet's own listeners have it.
		var err error
		if reservation, err = reservePort(opts.Host); err != nil {
			fmt.Fprintf(os.Stderr, "%s: reserving a port: %v\n", name, err)
			os.Exit(1)
		}
		port = reservation.port
	}

	srv := &server{echo: opts.Mode == "echo", ready: ch.Ready, reservation: reservation}
	addr := "tcp4://" + net.JoinHostPort(opts.Host, strconv.Itoa(port))
	if ip := net.ParseIP(opts.Host); ip != nil && ip.To4() == nil {
		addr = "tcp6://" + net.JoinHostPort(opts.Host, strconv.Itoa(port))
	}
	err := gnet.Run(srv, addr,
		gnet.WithMulticore(multi),
		gnet.WithNumEventLoop(opts.Threads),
		gnet.WithReusePort(multi),
		gnet.WithTCPNoDelay(gnet.TCPNoDelay),
		// The first tick comes once every loop has been started; READY is
		// printed there (see server.OnTick).
		gnet.WithTicker(true),
		// gnet's default logger writes to stdout, which belongs to the
		// control channel.
		gnet.WithLogger(stderrLogger{}),
	)
	// gnet.Run returns only when the engine stops. This target never asks
	// it to (exiting is the control channel's job), so a return is a
	// failure: a bind error, or OnBoot refusing to start.
	if err == nil {
		err = fmt.Errorf("engine stopped")
	}
	fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
	os.Exit(1)
}
