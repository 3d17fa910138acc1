package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"sync"

	"evbench/targets/internal/control"
	"evbench/targets/internal/httpframe"
)

// state is everything one connection needs; it is pooled so that a new
// connection reuses the buffers of a closed one instead of allocating.
type state struct {
	br   *bufio.Reader
	bw   *bufio.Writer
	line []byte       // method and target, copied out of the reader's buffer
	body bytes.Buffer // the request body (decoded when chunked)
	out  []byte       // one answer's status line and headers
}

// The reader buffer is the header limit: a header line that does not fit
// is refused with 431 (bufio.ErrBufferFull), as the event-loop framer does.
const (
	readBufSize  = httpframe.MaxHeaderBytes
	writeBufSize = 16 << 10
	maxPooled    = 1 << 20 // a body buffer grown past this is not kept
)

var states = sync.Pool{New: func() any {
	return &state{
		br: bufio.NewReaderSize(nil, readBufSize),
		bw: bufio.NewWriterSize(nil, writeBufSize),
	}
}}

func serveConn(c net.Conn) {
	st := states.Get().(*state)
	st.br.Reset(c)
	st.bw.Reset(c)
	defer func() {
		c.Close()
		st.br.Reset(nil) // drop the reference to the closed connection
		st.bw.Reset(nil)
		if st.body.Cap() > maxPooled {
			st.body = bytes.Buffer{}
		}
		states.Put(st)
	}()
	for {
		var h httpframe.Head
		if err := st.readHead(&h); err != nil {
			st.refuse(err)
			return
		}
		if err := st.readBody(&h); err != nil {
			st.refuse(err)
			return
		}
		route := httpframe.RouteOf(h.Method, h.Path())
		closeAfter := h.Close()
		if route == httpframe.RouteEcho {
			// The head is built apart and the body written from its own
			// buffer: a large body is handed to the socket, not copied.
			st.out = httpframe.AppendEchoHead(st.out[:0], st.body.Len(), closeAfter, h.KeepAlive10())
			st.bw.Write(st.out)
			st.bw.Write(st.body.Bytes())
		} else {
			if httpframe.IsHead(h.Method) {
				st.out = httpframe.AppendHeadOnly(st.out[:0], route, closeAfter, h.KeepAlive10())
			} else {
				st.out = httpframe.AppendAnswer(st.out[:0], route, nil, closeAfter, h.KeepAlive10())
			}
			st.bw.Write(st.out)
		}
		control.Count(1)
		// Flush only when no further request is already buffered: answers
		// to a pipelined batch leave in one write.
		if closeAfter || st.br.Buffered() == 0 {
			if err := st.bw.Flush(); err != nil || closeAfter {
				return
			}
		}
	}
}

// refuse answers a framing error and gives up on the connection; a
// network error or a clean EOF between requests just closes it.
func (st *state) refuse(err error) {
	var fe *httpframe.Error
	switch {
	case errors.As(err, &fe):
	case errors.Is(err, bufio.ErrBufferFull):
		fe = httpframe.ErrHeaderTooLarge
	default:
		return
	}
	st.out = httpframe.AppendError(st.out[:0], fe)
	st.bw.Write(st.out)
	st.bw.Flush()
}

// readLine returns the next CRLF-terminated line without its CRLF. The
// slice aliases the reader's buffer until the next read.
func (st *state) readLine() ([]byte, error) {
	raw, err := st.br.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, io.EOF) && len(raw) > 0 {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	line, ok := httpframe.TrimCRLF(raw)
	if !ok {
		return nil, httpframe.ErrMalformed
	}
	return line, nil
}

// readHead streams the request line and headers into h, line by line,
// holding the whole section to the same 8 KiB as the event-loop framer.
func (st *state) readHead(h *httpframe.Head) error {
	h.Reset()
	total := 0
	var line []byte
	var err error
	// Empty lines before a request line are ignored (RFC 9112 2.2).
	for {
		if line, err = st.readLine(); err != nil {
			return err
		}
		total += len(line) + 2
		if len(line) > 0 {
			break
		}
		if total > httpframe.MaxHeaderBytes {
			return httpframe.ErrHeaderTooLarge
		}
	}
	if err := httpframe.ParseRequestLine(line, h); err != nil {
		return err
	}
	// Method and target alias the reader's buffer, which the next lines
	// may overwrite: keep them in the connection's own scratch.
	st.line = append(append(st.line[:0], h.Method...), h.Target...)
	h.Method, h.Target = st.line[:len(h.Method)], st.line[len(h.Method):]
	for {
		if line, err = st.readLine(); err != nil {
			return err
		}
		if total += len(line) + 2; total > httpframe.MaxHeaderBytes {
			return httpframe.ErrHeaderTooLarge
		}
		if len(line) == 0 {
			return h.Finish()
		}
		if err := httpframe.ParseHeaderLine(line, h); err != nil {
			return err
		}
	}
}

// readBody reads the body announced by h into st.body.
func (st *state) readBody(h *httpframe.Head) error {
	st.body.Reset()
	switch {
	case h.Chunked:
		return st.readChunked()
	case h.ContentLength > 0:
		// io.CopyN hands a LimitReader to bytes.Buffer.ReadFrom: the body
		// streams from the socket straight into the pooled buffer.
		st.body.Grow(int(h.ContentLength))
		_, err := io.CopyN(&st.body, st.br, h.ContentLength)
		return err
	}
	return nil
}

// readChunked decodes a chunked body (RFC 9112 7.1) from the stream.
func (st *state) readChunked() error {
	for {
		line, err := st.readLine()
		if err != nil {
			return err
		}
		size, err := httpframe.ChunkSize(line)
		if err != nil {
			return err
		}
		if size == 0 {
			break
		}
		if int64(st.body.Len())+size > httpframe.MaxBodyBytes {
			return httpframe.ErrBodyTooLarge
		}
		if _, err := io.CopyN(&st.body, st.br, size); err != nil {
			return err
		}
		if line, err = st.readLine(); err != nil {
			return err
		}
		if len(line) != 0 {
			return httpframe.ErrMalformed
		}
	}
	// Trailer fields are checked for form and ignored.
	total := 0
	for {
		line, err := st.readLine()
		if err != nil {
			return err
		}
		if len(line) == 0 {
			return nil
		}
		if total += len(line) + 2; total > httpframe.MaxHeaderBytes {
			return httpframe.ErrHeaderTooLarge
		}
		var ignored httpframe.Head
		ignored.Reset()
		if err := httpframe.ParseHeaderLine(line, &ignored); err != nil {
			return err
		}
	}
}
