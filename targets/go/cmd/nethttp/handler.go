package main

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"

	"evbench/targets/internal/control"
	"evbench/targets/internal/httpframe"
)

// Header values are shared slices set straight into the header map:
// Header().Set would canonicalise the key and build a new slice per request.
var (
	serverValue    = []string{httpframe.ServerName}
	textPlain      = []string{"text/plain"}
	octetStream    = []string{"application/octet-stream"}
	plaintextLen   = []string{strconv.Itoa(len(httpframe.PlaintextBody))}
	notFoundLen    = []string{strconv.Itoa(len(httpframe.NotFoundBody))}
	plaintextBytes = []byte(httpframe.PlaintextBody)
	notFoundBytes  = []byte(httpframe.NotFoundBody)
)

// bufPool holds the bytes.Buffers of the "copy" body variant (handbook 3.3):
// a buffer that has grown to a body's size is reused by later requests.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooled keeps a rare huge body from pinning its buffer in the pool.
const maxPooled = 4 << 20

type handler struct {
	copyBody bool
}

func newHandler(copyBody bool) http.Handler { return &handler{copyBody: copyBody} }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr["Server"] = serverValue
	// net/http adds Date itself, formatted once per request.
	// The same body limit as the other Go targets; over it: 413.
	r.Body = http.MaxBytesReader(w, r.Body, httpframe.MaxBodyBytes)
	switch httpframe.RouteOf(r.Method, r.URL.Path) {
	case httpframe.RoutePlaintext:
		hdr["Content-Type"] = textPlain
		hdr["Content-Length"] = plaintextLen
		w.Write(plaintextBytes)
	case httpframe.RouteEcho:
		if h.copyBody {
			h.echoCopy(w, r)
		} else {
			h.echoReadAll(w, r)
		}
		return // echo counts itself: a failed body read is not an answer
	default:
		hdr["Content-Type"] = textPlain
		hdr["Content-Length"] = notFoundLen
		w.WriteHeader(http.StatusNotFound)
		w.Write(notFoundBytes)
	}
	control.Count(1)
}

// echoReadAll is the handbook's io.ReadAll variant: a fresh slice per body.
func (h *handler) echoReadAll(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		bodyFailed(w, err)
		return
	}
	writeEcho(w, body)
}

// echoCopy is the handbook's io.Copy variant into a pooled bytes.Buffer
// (io.Copy uses the buffer's ReadFrom, so no 32 KiB copy buffer either).
func (h *handler) echoCopy(w http.ResponseWriter, r *http.Request) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooled {
			bufPool.Put(buf)
		}
	}()
	if r.ContentLength > 0 {
		buf.Grow(int(min(r.ContentLength, maxPooled)))
	}
	if _, err := io.Copy(buf, r.Body); err != nil {
		bodyFailed(w, err)
		return
	}
	writeEcho(w, buf.Bytes())
}

// bodyFailed answers a body that could not be read whole: too large (413)
// or cut short or malformed (400). The connection is not reused.
func bodyFailed(w http.ResponseWriter, err error) {
	status := http.StatusBadRequest
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		status = http.StatusRequestEntityTooLarge
	}
	w.Header()["Connection"] = []string{"close"}
	http.Error(w, http.StatusText(status), status)
}

func writeEcho(w http.ResponseWriter, body []byte) {
	hdr := w.Header()
	hdr["Content-Type"] = octetStream
	hdr["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.Write(body)
	control.Count(1)
}
