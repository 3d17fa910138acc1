package control

import (
	"bytes"
	"encoding/json"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer lets the test read what the channel wrote from another
// goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestStatsLinesAndEOF(t *testing.T) {
	out := &lockedBuffer{}
	exited := make(chan int, 1)
	c := newChannel("test", out, func(code int) { exited <- code }, map[string]any{"mode": "http"})
	c.Ready(4242)
	c.Ready(4243) // only the first READY is printed
	Count(3)

	go c.serve(strings.NewReader("stats\n\nstats\n"))
	select {
	case code := <-exited:
		if code != 0 {
			t.Fatalf("EOF exit code %d", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("EOF on stdin did not exit")
	}

	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 3 || lines[0] != "READY 4242" {
		t.Fatalf("stdout: %q", out.String())
	}
	for _, line := range lines[1:] {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not JSON: %q: %v", line, err)
		}
		if m["runtime"] != "go" {
			t.Errorf("runtime = %v", m["runtime"])
		}
		for _, k := range []string{"gcCycles", "gcPauseNs", "allocBytes", "allocObjects", "heapBytes", "requests"} {
			if _, ok := m[k].(float64); !ok {
				t.Errorf("%s is not a number: %v", k, m[k])
			}
		}
		if m["requests"].(float64) < 3 {
			t.Errorf("requests = %v, want >= 3", m["requests"])
		}
		if m["heapBytes"].(float64) <= 0 || m["allocBytes"].(float64) <= 0 {
			t.Errorf("heap figures are zero: %v", line)
		}
		v, _ := m["versions"].(map[string]any)
		if s, _ := v["go"].(string); !strings.HasPrefix(s, "go") {
			t.Errorf("versions.go = %v", v["go"])
		}
		x, _ := m["extra"].(map[string]any)
		for _, k := range []string{"goroutines", "mappedBytes", "gomaxprocs"} {
			if _, ok := x[k].(float64); !ok {
				t.Errorf("extra.%s is not a number: %v", k, x[k])
			}
		}
		if x["mode"] != "http" {
			t.Errorf("extra.mode = %v", x["mode"])
		}
	}
}

func TestGCPausesAreCounted(t *testing.T) {
	s := newSampler()
	before := s.read(nil, nil)
	for range 3 {
		runtime.GC()
	}
	after := s.read(nil, nil)
	if after.GCCycles < before.GCCycles+3 {
		t.Fatalf("gc cycles %d -> %d", before.GCCycles, after.GCCycles)
	}
	if after.GCPauseNs <= before.GCPauseNs {
		t.Fatalf("gc pause total did not grow: %d -> %d", before.GCPauseNs, after.GCPauseNs)
	}
}

func TestParse(t *testing.T) {
	o, err := parse("t", []string{"--port", "0", "--threads", "2", "--mode", "echo", "--host", "::1"}, []string{"http", "echo"}, nil)
	if err != nil || o.Port != 0 || o.Threads != 2 || o.Mode != "echo" || o.Host != "::1" {
		t.Fatalf("%+v %v", o, err)
	}
	if o, _ := parse("t", nil, []string{"http"}, nil); o.Host != "127.0.0.1" || o.Mode != "http" || o.Threads != 1 {
		t.Fatalf("defaults: %+v", o)
	}
	for _, args := range [][]string{
		{"--bogus"},
		{"--port", "70000"},
		{"--port", "x"},
		{"--threads", "0"},
		{"--mode", "udp"},
		{"--mode", "echo"}, // not in this target's modes
		{"stray"},
	} {
		_, err := parse("t", args, []string{"http"}, nil)
		if err == nil {
			t.Errorf("%v accepted", args)
		} else if strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: message is not one line: %q", args, err)
		}
	}
}
