// Command nethttp is the standard library target: net/http in HTTP mode
// and a goroutine-per-connection net.Listener echo in echo mode, the
// baselines the event-loop targets are measured against.
package main

import (
	"flag"
	"fmt"
	"maps"
	"net"
	"net/http"
	"os"
	"time"

	"evbench/targets/internal/control"
	"evbench/targets/internal/httpframe"
)

const name = "nethttp"

// alpn is what the TLS listener offers: HTTP/2 first, as net/http does by default.
var alpn = []string{"h2", "http/1.1"}

// serveHTTP serves plain HTTP/1.1, HTTP/1.1 and HTTP/2 over TLS (ALPN), or
// HTTP/1.1 and prior-knowledge HTTP/2 over TCP (--h2c, the standard
// library's own unencrypted HTTP/2 since Go 1.24: no x/net module).
func serveHTTP(srv *http.Server, ln net.Listener, t control.TLSOptions) error {
	if t.On() {
		srv.TLSConfig = t.Config(alpn...)
		return srv.ServeTLS(ln, "", "")
	}
	if t.H2C {
		srv.Protocols = new(http.Protocols)
		srv.Protocols.SetHTTP1(true)
		srv.Protocols.SetUnencryptedHTTP2(true)
	}
	return srv.Serve(ln)
}

func main() {
	var (
		bodyMode    string
		keepAlive   bool
		readTimeout time.Duration
		gcCtl       bool // handbook: the section 2.2 controller (gc_controller.go)
	)
	protocols := []string{control.ProtoH1, control.ProtoH1TLS, control.ProtoH2TLS, control.ProtoH2C}
	opts := control.ParseFor(name, os.Args[1:], []string{"http", "echo"}, protocols, func(fs *flag.FlagSet) {
		fs.StringVar(&bodyMode, "body", "readall", "how /echo reads the body: readall (io.ReadAll) or copy (io.Copy into a pooled bytes.Buffer)")
		fs.BoolVar(&keepAlive, "keepalive", true, "keep connections open between requests (false: SetKeepAlivesEnabled(false))")
		fs.DurationVar(&readTimeout, "read-timeout", 0, "http.Server.ReadTimeout (0: none)")
		fs.BoolVar(&gcCtl, "gc-controller", false, "raise GOGC while memory > 80 % of GOMEMLIMIT and GC > 15/min (handbook 2.2)")
	})
	if bodyMode != "readall" && bodyMode != "copy" {
		control.Fail(name, fmt.Sprintf("--body %q is unknown (readall or copy)", bodyMode))
	}
	if readTimeout < 0 {
		control.Fail(name, "--read-timeout must not be negative")
	}
	extra := map[string]any{
		"mode": opts.Mode, "threads": opts.Threads,
		"body": bodyMode, "keepalive": keepAlive, "readTimeout": readTimeout.String(),
	}
	maps.Copy(extra, opts.TLS.Facts(alpn...))
	if gcCtl { // handbook: its decisions are counted in every stats line
		extra["gcController"] = startGCController(os.Stderr)
	}
	ch := control.Start(name, extra)

	ln, port := opts.Listen(name)
	// The listener accepts from here on (the kernel queues connections
	// until Accept), so READY can be printed before serving starts.
	ch.Ready(port)

	var err error
	if opts.Mode == "echo" {
		err = serveEcho(ln)
	} else {
		srv := &http.Server{
			Handler:     newHandler(bodyMode == "copy"),
			ReadTimeout: readTimeout,
			// The header limit every Go target shares (net/http answers 431).
			MaxHeaderBytes: httpframe.MaxHeaderBytes,
		}
		srv.SetKeepAlivesEnabled(keepAlive)
		err = serveHTTP(srv, ln, opts.TLS)
	}
	fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
	os.Exit(1)
}
