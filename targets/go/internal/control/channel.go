package control

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
)

// Channel owns the process's stdout: the READY line and the answers to
// "stats" go through one mutex so they never interleave.
type Channel struct {
	name     string
	mu       sync.Mutex
	out      io.Writer
	exit     func(int)
	sampler  *sampler
	versions map[string]string
	extra    map[string]any
	ready    bool
	profile  *profiler // the window's profiles while one is being taken
}

// Start begins serving the control channel on stdin/stdout and exits the
// process on EOF of stdin (so a target never outlives its runner) or on
// SIGTERM/SIGINT. extra holds fixed facts reported under "extra" in every
// stats line. Start it before binding, so a runner that gives up during
// start-up still ends the process by closing stdin.
func Start(name string, extra map[string]any) *Channel {
	c := newChannel(name, os.Stdout, os.Exit, extra)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-sig
		c.exit(0)
	}()
	go c.serve(os.Stdin)
	return c
}

func newChannel(name string, out io.Writer, exit func(int), extra map[string]any) *Channel {
	return &Channel{
		name:     name,
		out:      out,
		exit:     exit,
		sampler:  newSampler(),
		versions: linkedVersions(),
		extra:    extra,
	}
}

// Ready prints "READY <port>" once; later calls do nothing, so a target
// with several loops can call it from whichever starts first.
func (c *Channel) Ready(port int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ready {
		return
	}
	c.ready = true
	// os.Stdout is unbuffered: one Write is one line, flushed.
	fmt.Fprintf(c.out, "READY %d\n", port)
}

// serve answers each "stats" line with one JSON line and exits on EOF.
func (c *Channel) serve(in io.Reader) {
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		cmd, arg, _ := strings.Cut(line, " ")
		switch cmd {
		case "stats":
			c.writeStats()
		case "profile-start":
			c.answer(c.profileStart(strings.TrimSpace(arg)))
		case "profile-stop":
			c.answer(c.profileStop())
		case "":
		default:
			fmt.Fprintf(os.Stderr, "%s: unknown control command %q\n", c.name, cmd)
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: control channel: %v\n", c.name, err)
	}
	c.exit(0)
}

func (c *Channel) writeStats() {
	c.mu.Lock()
	defer c.mu.Unlock()
	line, err := json.Marshal(c.sampler.read(c.versions, c.extra))
	if err != nil {
		// Only a non-encodable value in extra can get here; say so rather
		// than print a half line the runner would choke on.
		fmt.Fprintf(os.Stderr, "%s: stats: %v\n", c.name, err)
		line = []byte(`{"runtime":"go","error":"stats encoding failed"}`)
	}
	c.out.Write(append(line, '\n'))
}

// answer writes one JSON line under the stdout mutex.
func (c *Channel) answer(v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	line, err := json.Marshal(v)
	if err != nil {
		line = []byte(fmt.Sprintf(`{"error":%q}`, err.Error()))
	}
	c.out.Write(append(line, '\n'))
}

// profileStart answers "profile-start <prefix>": the CPU profile runs until
// profile-stop. The answer is {"started": prefix} or {"error": why}.
func (c *Channel) profileStart(prefix string) any {
	if c.profile != nil {
		return map[string]string{"error": "a profile is already being taken"}
	}
	p, err := startProfile(prefix, newSampler())
	if err != nil {
		return map[string]string{"error": err.Error()}
	}
	c.profile = p
	return map[string]string{"started": prefix}
}

// profileStop answers "profile-stop" with the files written (ProfileFiles)
// or {"error": why}.
func (c *Channel) profileStop() any {
	if c.profile == nil {
		return map[string]string{"error": "no profile is being taken (profile-start first)"}
	}
	p := c.profile
	c.profile = nil
	files, err := p.stop(newSampler())
	if err != nil {
		return map[string]string{"error": err.Error()}
	}
	return files
}
