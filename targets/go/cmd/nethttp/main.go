// Command nethttp is the standard library target: net/http in HTTP mode
// and a goroutine-per-connection net.Listener echo in echo mode, the
// baselines the event-loop targets are measured against.
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"evbench/targets/internal/control"
	"evbench/targets/internal/httpframe"
)

const name = "nethttp"

func main() {
	var (
		bodyMode    string
		keepAlive   bool
		readTimeout time.Duration
		gcCtl       bool // handbook: the section 2.2 controller (gc_controller.go)
	)
	opts := control.Parse(name, os.Args[1:], []string{"http", "echo"}, func(fs *flag.FlagSet) {
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
		err = srv.Serve(ln)
	}
	fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
	os.Exit(1)
}
