// Command stdreader is the handbook's section 4.1 server: no net/http, a
// hand-rolled streaming HTTP/1.1 parser reading a bufio.Reader over each
// connection (one goroutine per connection) and answering through a
// bufio.Writer, with every per-connection buffer pooled. It has no raw
// echo mode.
package main

import (
	"errors"
	"fmt"
	"net"
	"os"

	"evbench/targets/internal/control"
)

const name = "stdreader"

func main() {
	opts := control.Parse(name, os.Args[1:], []string{"http"}, nil)
	ch := control.Start(name, map[string]any{"mode": opts.Mode, "threads": opts.Threads})

	ln, port := opts.Listen(name)
	ch.Ready(port)
	for {
		c, err := ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			os.Exit(1)
		}
		go serveConn(c)
	}
}
