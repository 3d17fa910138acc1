// Package conformance builds every Go target and checks it against the
// target contract of docs/architecture.md over real loopback connections.
package conformance

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var targets = []struct {
	name    string
	echo    bool
	threads []string
}{
	{"nethttp", true, []string{"1"}},
	{"gnet", true, []string{"1", "2"}},
	{"evio", true, []string{"1", "2"}},
	{"fasthttp", false, []string{"1"}},
	{"stdreader", false, []string{"1"}},
}

// build compiles one command into dir; the build cache keeps reruns fast.
func build(t *testing.T, dir, name string) string {
	t.Helper()
	bin := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/"+name)
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", name, err, out)
	}
	return bin
}

// proc is a running target with its control channel.
type proc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines *bufio.Scanner
	addr  string
	done  chan error
}

func start(t *testing.T, bin string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--port", "0"}, args...)...)
	cmd.Stderr = os.Stderr
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, stdin: stdin, lines: bufio.NewScanner(stdout), done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	ready := make(chan string, 1)
	go func() {
		if p.lines.Scan() {
			ready <- p.lines.Text()
		}
		close(ready)
	}()
	select {
	case line := <-ready:
		var port int
		if _, err := fmt.Sscanf(line, "READY %d", &port); err != nil || port == 0 {
			t.Fatalf("first stdout line %q is not READY <port>", line)
		}
		p.addr = fmt.Sprintf("127.0.0.1:%d", port)
	case <-time.After(10 * time.Second):
		t.Fatal("no READY line")
	}
	return p
}

func (p *proc) stats(t *testing.T) map[string]any {
	t.Helper()
	fmt.Fprintln(p.stdin, "stats")
	if !p.lines.Scan() {
		t.Fatal("no stats line")
	}
	var m map[string]any
	if err := json.Unmarshal(p.lines.Bytes(), &m); err != nil {
		t.Fatalf("stats line %q: %v", p.lines.Text(), err)
	}
	return m
}

// stop closes stdin; the contract says the target exits 0 at once.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	p.stdin.Close()
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("exit after stdin EOF: %v", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("still running 3 s after stdin EOF")
	}
}

// dialer opens one connection to the target under test: plain TCP, or TLS
// (tls_test.go), so the same checks run over each protocol a target speaks.
type dialer func(addr string) (net.Conn, error)

func tcpDial(addr string) (net.Conn, error) { return net.Dial("tcp", addr) }

func dial(t *testing.T, addr string, d dialer) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := d(addr)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return c, bufio.NewReader(c)
}

// expect reads one response and checks it against the contract.
func expect(t *testing.T, br *bufio.Reader, status int, ctype, body string, wantClose bool) {
	t.Helper()
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("reading response: %v", err)
	}
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	h := resp.Header
	switch {
	case resp.StatusCode != status:
		t.Fatalf("status %d, want %d", resp.StatusCode, status)
	case h.Get("Content-Type") != ctype:
		t.Fatalf("Content-Type %q, want %q", h.Get("Content-Type"), ctype)
	case h.Get("Content-Length") != fmt.Sprint(len(body)):
		t.Fatalf("Content-Length %q, want %d", h.Get("Content-Length"), len(body))
	case h.Get("Server") != "evbench":
		t.Fatalf("Server %q", h.Get("Server"))
	case !strings.HasSuffix(h.Get("Date"), " GMT"):
		t.Fatalf("Date %q", h.Get("Date"))
	case string(got) != body:
		t.Fatalf("body %q, want %q", truncate(got), truncate([]byte(body)))
	case resp.Close != wantClose:
		t.Fatalf("Connection close = %v, want %v", resp.Close, wantClose)
	}
}

func truncate(b []byte) string {
	if len(b) > 64 {
		return string(b[:64]) + "..."
	}
	return string(b)
}

func expectEOF(t *testing.T, br *bufio.Reader) {
	t.Helper()
	if b, err := br.ReadByte(); err == nil {
		t.Fatalf("connection still open after close (read %q)", b)
	}
}

const (
	getPlain = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n"
	hello    = "Hello, World!"
	text     = "text/plain"
	octet    = "application/octet-stream"
)

// expectHead reads the answer to a HEAD request: the head GET would get,
// Content-Length included, and no body (the next answer on the connection
// must parse right after it).
func expectHead(t *testing.T, br *bufio.Reader, status int, length string) {
	t.Helper()
	resp, err := http.ReadResponse(br, &http.Request{Method: "HEAD"})
	if err != nil {
		t.Fatalf("reading the HEAD answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != status || resp.Header.Get("Content-Length") != length {
		t.Fatalf("HEAD: status %d Content-Length %q, want %d %q", resp.StatusCode, resp.Header.Get("Content-Length"), status, length)
	}
}

func checkHTTP(t *testing.T, addr string, d dialer) {
	c, br := dial(t, addr, d)
	defer c.Close()

	io.WriteString(c, getPlain)
	expect(t, br, 200, text, hello, false)

	io.WriteString(c, "HEAD /plaintext HTTP/1.1\r\nHost: x\r\n\r\nHEAD /nope HTTP/1.1\r\nHost: x\r\n\r\n"+getPlain)
	expectHead(t, br, 200, "13")
	expectHead(t, br, 404, "9")
	expect(t, br, 200, text, hello, false)

	io.WriteString(c, "GET /nope?x=1 HTTP/1.1\r\nHost: x\r\n\r\n")
	expect(t, br, 404, text, "Not Found", false)
	io.WriteString(c, "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
	expect(t, br, 404, text, "Not Found", false)

	body := bytes.Repeat([]byte("evbench!"), 128<<10/8)
	fmt.Fprintf(c, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", len(body))
	c.Write(body)
	expect(t, br, 200, octet, string(body), false)

	io.WriteString(c, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4;e=1\r\ndefg\r\n0\r\nT: 1\r\n\r\n")
	expect(t, br, 200, octet, "abcdefg", false)

	// 16 pipelined requests in one write, answered in order.
	var batch strings.Builder
	for i := range 16 {
		if i%2 == 0 {
			batch.WriteString(getPlain)
		} else {
			fmt.Fprintf(&batch, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n%02d", i)
		}
	}
	io.WriteString(c, batch.String())
	for i := range 16 {
		if i%2 == 0 {
			expect(t, br, 200, text, hello, false)
		} else {
			expect(t, br, 200, octet, fmt.Sprintf("%02d", i), false)
		}
	}

	// One byte per write.
	for i := range len(getPlain) {
		c.Write([]byte{getPlain[i]})
		time.Sleep(time.Millisecond)
	}
	expect(t, br, 200, text, hello, false)

	// Connection: close is honoured, and nothing after it is answered.
	io.WriteString(c, "GET /plaintext HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	expect(t, br, 200, text, hello, true)
	expectEOF(t, br)

	// HTTP/1.0 without keep-alive closes too.
	c2, br2 := dial(t, addr, d)
	defer c2.Close()
	io.WriteString(c2, "GET /plaintext HTTP/1.0\r\n\r\n")
	expect(t, br2, 200, text, hello, true)
	expectEOF(t, br2)

	// A malformed request gets 400 (or a plain close), never a hang.
	c3, br3 := dial(t, addr, d)
	defer c3.Close()
	io.WriteString(c3, "NOT A REQUEST\r\n\r\n")
	if resp, err := http.ReadResponse(br3, nil); err == nil {
		if resp.StatusCode != 400 {
			t.Fatalf("malformed request: status %d", resp.StatusCode)
		}
		io.Copy(io.Discard, resp.Body)
	}
	expectEOF(t, br3)
}

func checkEcho(t *testing.T, addr string) int {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	data := bytes.Repeat([]byte("0123456789"), 50_000)
	go c.Write(data)
	got := make([]byte, len(data))
	if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("echo: %v", err)
	}
	return len(data)
}

func TestTargets(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs every target")
	}
	dir := t.TempDir()
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			bin := build(t, dir, tg.name)
			for _, threads := range tg.threads {
				t.Run("http-threads-"+threads, func(t *testing.T) {
					p := start(t, bin, "--threads", threads, "--mode", "http")
					checkHTTP(t, p.addr, tcpDial)
					m := p.stats(t)
					// checkHTTP gets 27 answers; the malformed request is not one.
					if n, _ := m["requests"].(float64); n != 27 {
						t.Fatalf("requests counted %v, want 27", m["requests"])
					}
					if m["runtime"] != "go" {
						t.Fatalf("runtime %v", m["runtime"])
					}
					p.stop(t)
				})
			}
			t.Run("echo", func(t *testing.T) {
				if !tg.echo {
					cmd := exec.Command(bin, "--port", "0", "--mode", "echo")
					var stderr bytes.Buffer
					cmd.Stderr = &stderr
					err := cmd.Run()
					if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || stderr.Len() == 0 {
						t.Fatalf("--mode echo: %v, stderr %q; want exit 2 with a message", err, stderr.String())
					}
					return
				}
				p := start(t, bin, "--threads", "1", "--mode", "echo")
				n := checkEcho(t, p.addr)
				if got, _ := p.stats(t)["requests"].(float64); int(got) != n {
					t.Fatalf("echoed bytes counted %v, want %d", got, n)
				}
				p.stop(t)
			})
			t.Run("bad flags", func(t *testing.T) {
				err := exec.Command(bin, "--no-such-flag").Run()
				if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
					t.Fatalf("unknown flag: %v, want exit 2", err)
				}
			})
		})
	}
}
