// Package control is what every Go target shares with the runner: the
// common command line, the READY line and the stdin control channel that
// answers "stats" with the process's own counters.
package control

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Options are the flags every target accepts (docs/architecture.md).
type Options struct {
	Port    int
	Threads int
	Mode    string // "http" or "echo"
	Host    string
	TLS     TLSOptions
}

// Parse reads the common flags plus any a target registers through extra,
// and exits with status 2 and one line on stderr on an unknown flag, a bad
// value or a stray argument. modes lists the modes the target supports; a
// mode outside it is refused the same way, so "--mode echo" on a target
// without echo fails before anything is bound.
func Parse(name string, args []string, modes []string, extra func(*flag.FlagSet)) Options {
	return ParseFor(name, args, modes, []string{ProtoH1}, extra)
}

// ParseFor is Parse for a target that speaks more than plain HTTP/1.1:
// protocols lists what it speaks (ProtoH1, ProtoH1TLS, ProtoH2TLS, ProtoH2C);
// --tls-cert/--tls-key or --h2c asking for one outside it exit 2 the same way.
func ParseFor(name string, args []string, modes, protocols []string, extra func(*flag.FlagSet)) Options {
	opts, err := parse(name, args, modes, extra)
	if err == nil {
		err = opts.TLS.check(opts.Mode, protocols)
	}
	if err != nil {
		Fail(name, err.Error())
	}
	return opts
}

// Fail prints one diagnostic line on stderr and exits with status 2, the
// contract's code for bad input.
func Fail(name, msg string) {
	fmt.Fprintf(os.Stderr, "%s: %s\n", name, msg)
	os.Exit(2)
}

func parse(name string, args []string, modes []string, extra func(*flag.FlagSet)) (Options, error) {
	var o Options
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// The flag package would print its whole usage; the contract wants one
	// line, which Parse prints from the returned error.
	fs.SetOutput(io.Discard)
	fs.IntVar(&o.Port, "port", 0, "TCP port to listen on (0 picks a free one)")
	fs.IntVar(&o.Threads, "threads", 1, "event loops (event-loop targets); goroutine targets take parallelism from GOMAXPROCS")
	fs.StringVar(&o.Mode, "mode", "http", "http or echo")
	fs.StringVar(&o.Host, "host", "127.0.0.1", "address to bind")
	o.TLS.register(fs)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.Port < 0 || o.Port > 65535 {
		return o, fmt.Errorf("--port %d is out of range 0-65535", o.Port)
	}
	if o.Threads < 1 || o.Threads > 1024 {
		return o, fmt.Errorf("--threads %d is out of range 1-1024", o.Threads)
	}
	if o.Host == "" {
		return o, fmt.Errorf("--host is empty")
	}
	supported := false
	for _, m := range modes {
		supported = supported || m == o.Mode
	}
	if !supported {
		if o.Mode == "http" || o.Mode == "echo" {
			return o, fmt.Errorf("--mode %s is not supported by this target (supported: %s)", o.Mode, strings.Join(modes, ", "))
		}
		return o, fmt.Errorf("--mode %q is unknown (http or echo)", o.Mode)
	}
	return o, nil
}
