package httpframe

import "bytes"

// Request is one framed request. Every slice aliases either the input given
// to Frame or the Framer's scratch buffer (a decoded chunked body), so it is
// valid only until the input is discarded or the next Frame call.
type Request struct {
	Head
	Body []byte
}

// Framer turns buffered bytes into requests. It keeps no state between calls
// except a scratch buffer reused for decoded chunked bodies, so the caller
// may hand it the same growing buffer again after more bytes arrive.
// One Framer per connection (or per event loop); it is not safe for
// concurrent use.
type Framer struct {
	chunked []byte
}

// Frame looks for one complete request at the start of buf.
//
//   - n > 0: req holds the request, which used buf[:n].
//   - n == 0 and err == nil: the request is incomplete. need, when > 0, is
//     the length buf must reach before another attempt can succeed, so the
//     caller can skip re-framing a large body one read at a time.
//   - err != nil: an *Error whose Status is the answer to send before
//     closing the connection.
func (f *Framer) Frame(buf []byte, req *Request) (n, need int, err error) {
	req.Head.Reset()
	req.Body = nil

	// RFC 9112 2.2: a server should ignore empty lines before a request
	// line (some clients send a CRLF after a POST body). They count toward
	// the header limit so a stream of them cannot grow the buffer forever.
	pos := 0
	for pos+1 < len(buf) && buf[pos] == '\r' && buf[pos+1] == '\n' {
		pos += 2
	}

	pos, err = f.head(buf, pos, &req.Head)
	if pos == 0 || err != nil {
		return 0, 0, err
	}

	switch {
	case req.Chunked:
		used, need, err := f.decodeChunked(buf[pos:])
		if used == 0 || err != nil {
			if need > 0 {
				need += pos
			}
			return 0, need, err
		}
		req.Body = f.chunked
		return pos + used, 0, nil
	case req.ContentLength > 0:
		end := pos + int(req.ContentLength)
		if len(buf) < end {
			return 0, end, nil
		}
		req.Body = buf[pos:end:end]
		return end, 0, nil
	default:
		return pos, 0, nil
	}
}

// head parses the request line and header lines starting at pos and returns
// the offset just past the empty line that ends them, or 0 when they are not
// all buffered yet.
func (f *Framer) head(buf []byte, pos int, h *Head) (int, error) {
	limit := min(len(buf), MaxHeaderBytes)
	first := true
	for {
		i := -1
		if pos < limit {
			i = bytes.IndexByte(buf[pos:limit], '\n')
		}
		if i < 0 {
			if len(buf) >= MaxHeaderBytes {
				return 0, ErrHeaderTooLarge
			}
			return 0, nil
		}
		line, ok := TrimCRLF(buf[pos : pos+i+1])
		pos += i + 1
		if !ok {
			return 0, ErrMalformed
		}
		if first {
			if err := ParseRequestLine(line, h); err != nil {
				return 0, err
			}
			first = false
			continue
		}
		if len(line) == 0 {
			return pos, h.Finish()
		}
		if err := ParseHeaderLine(line, h); err != nil {
			return 0, err
		}
	}
}

// decodeChunked decodes a chunked body (RFC 9112 7.1) at the start of b into
// f.chunked, returning how many bytes of b it used (0 while incomplete) and,
// when known, the length b must reach for the next step to progress.
func (f *Framer) decodeChunked(b []byte) (used, need int, err error) {
	f.chunked = f.chunked[:0]
	p := 0
	for {
		line, next, err := chunkLine(b, p)
		if next == 0 || err != nil {
			return 0, 0, err
		}
		size, err := ChunkSize(line)
		if err != nil {
			return 0, 0, err
		}
		p = next
		if size == 0 {
			break
		}
		if int64(len(f.chunked))+size > MaxBodyBytes {
			return 0, 0, ErrBodyTooLarge
		}
		end := p + int(size)
		if len(b) < end+2 {
			return 0, end + 2, nil
		}
		if b[end] != '\r' || b[end+1] != '\n' {
			return 0, 0, ErrMalformed
		}
		f.chunked = append(f.chunked, b[p:end]...)
		p = end + 2
	}
	// Trailer section: header lines up to an empty line. They are checked
	// for form and otherwise ignored; none of them can change framing.
	start := p
	for {
		line, next, err := chunkLine(b, p)
		if next == 0 || err != nil {
			return 0, 0, err
		}
		p = next
		if len(line) == 0 {
			return p, 0, nil
		}
		if p-start > MaxHeaderBytes {
			return 0, 0, ErrHeaderTooLarge
		}
		var ignored Head
		ignored.Reset()
		if err := ParseHeaderLine(line, &ignored); err != nil {
			return 0, 0, err
		}
	}
}

// chunkLine returns the CRLF-terminated line at b[p:] without its CRLF and
// the offset after it, or next == 0 when the line is not complete yet.
func chunkLine(b []byte, p int) (line []byte, next int, err error) {
	limit := min(len(b), p+MaxHeaderBytes)
	i := bytes.IndexByte(b[p:limit], '\n')
	if i < 0 {
		if limit-p >= MaxHeaderBytes {
			return nil, 0, ErrHeaderTooLarge
		}
		return nil, 0, nil
	}
	line, ok := TrimCRLF(b[p : p+i+1])
	if !ok {
		return nil, 0, ErrMalformed
	}
	return line, p + i + 1, nil
}

// ChunkSize parses "1*HEXDIG [ BWS ; chunk-ext ]". Extensions are allowed
// and ignored; they carry nothing this server acts on.
func ChunkSize(line []byte) (int64, error) {
	var size int64
	i := 0
	for ; i < len(line); i++ {
		c := line[i]
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			goto ext
		}
		size = size<<4 | int64(d)
		if size > MaxBodyBytes {
			return 0, ErrBodyTooLarge
		}
	}
ext:
	if i == 0 {
		return 0, ErrMalformed
	}
	rest := trimOWS(line[i:])
	if len(rest) > 0 && rest[0] != ';' {
		return 0, ErrMalformed
	}
	for _, c := range rest {
		if (c < ' ' && c != '\t') || c == 0x7f {
			return 0, ErrMalformed
		}
	}
	return size, nil
}
