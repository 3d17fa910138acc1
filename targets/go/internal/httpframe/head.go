// Package httpframe frames HTTP/1.1 requests out of bytes already buffered
// and appends the benchmark contract's exact answers to an output buffer.
//
// The event-loop targets (gnet, evio) hand it whatever the socket delivered;
// stdreader uses the line-level pieces in this file over a bufio.Reader.
// Everything returned points into the caller's input where it can, so a
// request that needs no decoding costs no allocation.
package httpframe

import (
	"bytes"
)

// Limits shared by every Go target so they refuse the same requests.
const (
	// MaxHeaderBytes bounds the request line plus header lines (and, for
	// chunked bodies, the trailer section): over it the answer is 431.
	MaxHeaderBytes = 8 << 10
	// MaxBodyBytes bounds a request body: over it the answer is 413. It is
	// far above any scenario's body size and keeps a bad client from making
	// a target buffer without end.
	MaxBodyBytes = 64 << 20
)

// Error is a framing failure with the status code the server answers with
// before closing the connection.
type Error struct {
	Status int
	Reason string
}

func (e *Error) Error() string { return "httpframe: " + e.Reason }

// The three ways a request can be refused. They are values (not built per
// call) so refusing costs no allocation either.
var (
	ErrMalformed      = &Error{Status: 400, Reason: "malformed request"}
	ErrHeaderTooLarge = &Error{Status: 431, Reason: "header section over 8 KiB"}
	ErrBodyTooLarge   = &Error{Status: 413, Reason: "body over the limit"}
)

// Head is what the request line and header lines say about framing and
// connection reuse. Method and Target alias the input.
type Head struct {
	Method        []byte
	Target        []byte
	HTTP10        bool
	ContentLength int64 // -1 when absent
	Chunked       bool
	connClose     bool
	connKeepAlive bool
	sawTE         bool
}

// Reset prepares h for the next request without dropping anything it owns.
func (h *Head) Reset() {
	*h = Head{ContentLength: -1}
}

// Path is the target up to any '?', which is what routing compares.
func (h *Head) Path() []byte {
	if i := bytes.IndexByte(h.Target, '?'); i >= 0 {
		return h.Target[:i]
	}
	return h.Target
}

// Close reports whether the connection ends after this request's answer:
// HTTP/1.1 keeps it unless told "close"; HTTP/1.0 closes unless told
// "keep-alive".
func (h *Head) Close() bool {
	if h.HTTP10 {
		return !h.connKeepAlive || h.connClose
	}
	return h.connClose
}

// KeepAlive10 reports an HTTP/1.0 request that asked to keep the connection;
// its answer must say "Connection: keep-alive" or a 1.0 client closes.
func (h *Head) KeepAlive10() bool {
	return h.HTTP10 && h.connKeepAlive && !h.connClose
}

// Finish checks the header combination once every line has been seen.
// Content-Length together with Transfer-Encoding is the classic request
// smuggling shape; a benchmark target has no reason to guess, so it refuses.
func (h *Head) Finish() error {
	if h.Chunked && h.ContentLength >= 0 {
		return ErrMalformed
	}
	if h.Chunked && h.HTTP10 {
		return ErrMalformed
	}
	if h.ContentLength > MaxBodyBytes {
		return ErrBodyTooLarge
	}
	return nil
}

// TrimCRLF returns a line without its CRLF terminator. A bare LF is refused:
// accepting it would make this framer disagree with stricter peers about
// where a request ends.
func TrimCRLF(line []byte) ([]byte, bool) {
	n := len(line)
	if n < 2 || line[n-1] != '\n' || line[n-2] != '\r' {
		return nil, false
	}
	return line[:n-2], true
}

// ParseRequestLine reads "METHOD SP request-target SP HTTP/1.x" (without
// CRLF) into h.
func ParseRequestLine(line []byte, h *Head) error {
	sp1 := bytes.IndexByte(line, ' ')
	if sp1 <= 0 || !isToken(line[:sp1]) {
		return ErrMalformed
	}
	rest := line[sp1+1:]
	sp2 := bytes.IndexByte(rest, ' ')
	if sp2 <= 0 {
		return ErrMalformed
	}
	target, version := rest[:sp2], rest[sp2+1:]
	for _, c := range target {
		if c <= ' ' || c == 0x7f {
			return ErrMalformed
		}
	}
	switch string(version) { // no allocation: the compiler compares in place
	case "HTTP/1.1":
		h.HTTP10 = false
	case "HTTP/1.0":
		h.HTTP10 = true
	default:
		return ErrMalformed
	}
	h.Method, h.Target = line[:sp1], target
	return nil
}

// ParseHeaderLine reads one "name: value" line (without CRLF) and records
// the headers that matter for framing and connection reuse.
func ParseHeaderLine(line []byte, h *Head) error {
	if len(line) == 0 || line[0] == ' ' || line[0] == '\t' {
		return ErrMalformed // obsolete line folding is refused, as RFC 9112 allows
	}
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 || !isToken(line[:colon]) {
		return ErrMalformed
	}
	name, value := line[:colon], trimOWS(line[colon+1:])
	for _, c := range value {
		if (c < ' ' && c != '\t') || c == 0x7f {
			return ErrMalformed
		}
	}
	switch len(name) {
	case len("content-length"):
		if equalFold(name, "content-length") {
			return h.contentLength(value)
		}
	case len("transfer-encoding"):
		if equalFold(name, "transfer-encoding") {
			// Only "chunked" alone is understood; any other coding would
			// need decoding this server does not do.
			if h.sawTE || !equalFold(value, "chunked") {
				return ErrMalformed
			}
			h.sawTE, h.Chunked = true, true
		}
	case len("connection"):
		if equalFold(name, "connection") {
			h.connection(value)
		}
	}
	return nil
}

func (h *Head) contentLength(v []byte) error {
	if len(v) == 0 || len(v) > 18 { // 18 digits cannot overflow int64
		return ErrMalformed
	}
	var n int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return ErrMalformed
		}
		n = n*10 + int64(c-'0')
	}
	if h.ContentLength >= 0 && h.ContentLength != n {
		return ErrMalformed
	}
	h.ContentLength = n
	return nil
}

// connection scans the comma-separated options of a Connection header.
func (h *Head) connection(v []byte) {
	for len(v) > 0 {
		var opt []byte
		if i := bytes.IndexByte(v, ','); i >= 0 {
			opt, v = v[:i], v[i+1:]
		} else {
			opt, v = v, nil
		}
		opt = trimOWS(opt)
		switch {
		case equalFold(opt, "close"):
			h.connClose = true
		case equalFold(opt, "keep-alive"):
			h.connKeepAlive = true
		}
	}
}

func trimOWS(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// equalFold compares b with a lower-case ASCII literal, ignoring b's case.
func equalFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// tokenChars marks RFC 9110 tchar bytes: what methods and header names
// may be made of.
var tokenChars = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return
}()

func isToken(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if !tokenChars[c] {
			return false
		}
	}
	return true
}
