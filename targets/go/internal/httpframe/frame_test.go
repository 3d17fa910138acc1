package httpframe

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// serveAll feeds input to a Framer the way an event loop does: bytes
// accumulate in a buffer, consumed bytes are dropped, and the answers are
// concatenated.
func serveAll(t *testing.T, chunks [][]byte) (out []byte, requests int, closed bool) {
	t.Helper()
	var f Framer
	var buf []byte
	for _, c := range chunks {
		buf = append(buf, c...)
		o, b := f.Serve(buf, nil)
		out = append(out, o...)
		requests += b.Requests
		buf = buf[b.Consumed:]
		if b.Close {
			return out, requests, true
		}
	}
	if len(buf) != 0 {
		t.Fatalf("%d bytes left unframed: %q", len(buf), buf)
	}
	return out, requests, false
}

// stripDate removes Date lines so answers compare across a second boundary.
func stripDate(b []byte) string {
	var sb strings.Builder
	for _, line := range strings.SplitAfter(string(b), "\r\n") {
		if !strings.HasPrefix(line, "Date: ") {
			sb.WriteString(line)
		}
	}
	return sb.String()
}

const (
	wantPlain = "HTTP/1.1 200 OK\r\nServer: evbench\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!"
	want404   = "HTTP/1.1 404 Not Found\r\nServer: evbench\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nNot Found"
)

func wantEcho(body string) string {
	return fmt.Sprintf("HTTP/1.1 200 OK\r\nServer: evbench\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
}

var cases = []struct {
	name, in, want string
}{
	{"plaintext", "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n", wantPlain},
	{"query", "GET /plaintext?a=b HTTP/1.1\r\nHost: x\r\n\r\n", wantPlain},
	{"notfound", "GET /nope HTTP/1.1\r\n\r\n", want404},
	{"wrong method", "POST /plaintext HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi", want404},
	{"echo", "POST /echo HTTP/1.1\r\ncontent-length: 5\r\n\r\nhello", wantEcho("hello")},
	{"echo empty", "POST /echo HTTP/1.1\r\n\r\n", wantEcho("")},
	{"chunked", "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1;x\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n", wantEcho("hello world")},
	{"chunked upper hex", "POST /echo HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n", wantEcho("0123456789")},
	{"leading crlf", "\r\n\r\nGET /plaintext HTTP/1.1\r\n\r\n", wantPlain},
}

func TestEveryByteBoundary(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for split := 0; split <= len(c.in); split++ {
				out, n, _ := serveAll(t, [][]byte{[]byte(c.in[:split]), []byte(c.in[split:])})
				if got := stripDate(out); got != c.want || n != 1 {
					t.Fatalf("split at %d: %d requests, got %q want %q", split, n, got, c.want)
				}
			}
			// And one byte per read, the worst a client can do.
			var chunks [][]byte
			for i := range len(c.in) {
				chunks = append(chunks, []byte{c.in[i]})
			}
			if out, _, _ := serveAll(t, chunks); stripDate(out) != c.want {
				t.Fatalf("byte at a time: got %q", out)
			}
		})
	}
}

func TestPipelinedBatchOneOutput(t *testing.T) {
	var in, want strings.Builder
	for i := range 16 {
		c := cases[i%len(cases)]
		in.WriteString(c.in)
		want.WriteString(c.want)
	}
	var f Framer
	out, b := f.Serve([]byte(in.String()), nil)
	if b.Requests != 16 || b.Consumed != in.Len() || b.Close {
		t.Fatalf("batch: %+v", b)
	}
	if stripDate(out) != want.String() {
		t.Fatalf("pipelined answers differ:\n%q", out)
	}
}

func TestConnectionSemantics(t *testing.T) {
	for _, c := range []struct {
		in        string
		close     bool
		keepAlive string
	}{
		{"GET /plaintext HTTP/1.1\r\nConnection: close\r\n\r\n", true, "Connection: close\r\n"},
		{"GET /plaintext HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n", true, "Connection: close\r\n"},
		{"GET /plaintext HTTP/1.0\r\n\r\n", true, "Connection: close\r\n"},
		{"GET /plaintext HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", false, "Connection: keep-alive\r\n"},
		{"GET /plaintext HTTP/1.1\r\n\r\n", false, ""},
	} {
		var f Framer
		// A request after a closing one must never be answered.
		in := c.in + "GET /plaintext HTTP/1.1\r\n\r\n"
		out, b := f.Serve([]byte(in), nil)
		if b.Close != c.close {
			t.Errorf("%q: close=%v", c.in, b.Close)
		}
		if c.keepAlive != "" && !bytes.Contains(out, []byte(c.keepAlive)) {
			t.Errorf("%q: answer lacks %q: %q", c.in, c.keepAlive, out)
		}
		wantReqs := 2
		if c.close {
			wantReqs = 1
		}
		if b.Requests != wantReqs {
			t.Errorf("%q: %d requests answered, want %d", c.in, b.Requests, wantReqs)
		}
	}
}

func TestLargeBody(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	head := fmt.Sprintf("POST /echo HTTP/1.1\r\nContent-Length: %d\r\n\r\n", len(body))
	in := append([]byte(head), body...)
	var f Framer
	// Delivered in 64 KiB reads, as a socket would; the need hint must
	// point at the end of the body once the head is parsed.
	var buf, out []byte
	for off := 0; off < len(in); off += 64 << 10 {
		buf = append(buf, in[off:min(off+64<<10, len(in))]...)
		o, b := f.Serve(buf, nil)
		out = append(out, o...)
		buf = buf[b.Consumed:]
		if b.Requests == 0 && len(buf) > len(head) && b.Need != len(in) {
			t.Fatalf("need %d, want %d", b.Need, len(in))
		}
	}
	if !bytes.HasSuffix(out, body) || !bytes.Contains(out, []byte("Content-Length: 1048576\r\n")) {
		t.Fatalf("1 MiB echo wrong (%d bytes out)", len(out))
	}

	// The same body chunked in 4 KiB chunks.
	var chunked bytes.Buffer
	chunked.WriteString("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
	for off := 0; off < len(body); off += 4096 {
		fmt.Fprintf(&chunked, "%x\r\n%s\r\n", 4096, body[off:off+4096])
	}
	chunked.WriteString("0\r\n\r\n")
	o, b := f.Serve(chunked.Bytes(), nil)
	if b.Requests != 1 || !bytes.HasSuffix(o, body) {
		t.Fatalf("chunked 1 MiB: %+v", b)
	}
}

func TestRefusals(t *testing.T) {
	for _, c := range []struct {
		name, in string
		status   int
	}{
		{"no version", "GET /plaintext\r\n\r\n", 400},
		{"bad version", "GET /plaintext HTTP/2.0\r\n\r\n", 400},
		{"space in target", "GET /a b HTTP/1.1\r\n\r\n", 400},
		{"bad method", "G(T /plaintext HTTP/1.1\r\n\r\n", 400},
		{"bare lf", "GET /plaintext HTTP/1.1\n\n", 400},
		{"no colon", "GET / HTTP/1.1\r\nHost\r\n\r\n", 400},
		{"space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400},
		{"folded", "GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n", 400},
		{"ctl in value", "GET / HTTP/1.1\r\nA: b\x01\r\n\r\n", 400},
		{"bad length", "POST /echo HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", 400},
		{"two lengths", "POST /echo HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400},
		{"length and chunked", "POST /echo HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
		{"gzip coding", "POST /echo HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400},
		{"bad chunk size", "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
		{"chunk without crlf", "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcd\r\n0\r\n\r\n", 400},
		{"huge length", "POST /echo HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", 413},
		{"huge chunk", "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffff\r\n", 413},
		{"oversize header", "GET / HTTP/1.1\r\nX: " + strings.Repeat("a", MaxHeaderBytes) + "\r\n\r\n", 431},
		{"oversize unfinished", "GET / HTTP/1.1\r\nX: " + strings.Repeat("a", MaxHeaderBytes), 431},
		{"endless empty lines", strings.Repeat("\r\n", MaxHeaderBytes), 431},
	} {
		t.Run(c.name, func(t *testing.T) {
			var f Framer
			out, b := f.Serve([]byte(c.in), nil)
			want := fmt.Sprintf("HTTP/1.1 %d ", c.status)
			if !b.Close || b.Requests != 0 || !bytes.HasPrefix(out, []byte(want)) ||
				!bytes.Contains(out, []byte("Connection: close\r\n")) {
				t.Fatalf("%+v %q", b, out)
			}
		})
	}
}

func TestHeaderJustUnderLimitIsServed(t *testing.T) {
	prefix := "GET /plaintext HTTP/1.1\r\nX: "
	in := prefix + strings.Repeat("a", MaxHeaderBytes-len(prefix)-4) + "\r\n\r\n"
	if len(in) != MaxHeaderBytes {
		t.Fatalf("test input is %d bytes", len(in))
	}
	out, n, _ := serveAll(t, [][]byte{[]byte(in)})
	if n != 1 || stripDate(out) != wantPlain {
		t.Fatalf("%q", out)
	}
}

func TestIncompleteIsNotAnError(t *testing.T) {
	for _, in := range []string{"", "\r", "GET", "GET /plaintext HTTP/1.1\r", "POST /echo HTTP/1.1\r\nContent-Length: 4\r\n\r\nab",
		"POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab", "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: 1\r\n"} {
		var f Framer
		out, b := f.Serve([]byte(in), nil)
		if len(out) != 0 || b.Close || b.Consumed != 0 {
			t.Errorf("%q: %+v %q", in, b, out)
		}
	}
}

func TestDateHeaderFormat(t *testing.T) {
	var f Framer
	out, _ := f.Serve([]byte("GET /plaintext HTTP/1.1\r\n\r\n"), nil)
	i := bytes.Index(out, []byte("Date: "))
	if i < 0 || !bytes.Contains(out[i:], []byte(" GMT\r\n")) {
		t.Fatalf("no IMF-fixdate Date header: %q", out)
	}
}

func BenchmarkPipelined16(b *testing.B) {
	in := bytes.Repeat([]byte("GET /plaintext HTTP/1.1\r\nHost: localhost\r\nUser-Agent: wrk\r\n\r\n"), 16)
	var f Framer
	out := make([]byte, 0, 4096)
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		out, _ = f.Serve(in, out[:0])
	}
}
