package httpframe

// Batch is what Serve did with one buffer of input.
type Batch struct {
	Consumed int  // bytes of input fully handled; the caller discards them
	Requests int  // requests answered (an error answer is not counted)
	Close    bool // close the connection once the output is written
	Need     int  // when > 0, input (after discarding Consumed) must reach this length before calling again
}

// Serve frames every complete request in in, appends the answers to out in
// order and returns the grown out. A batch of pipelined requests thus
// becomes one buffer and one write. A partial request at the end is left
// unconsumed for the next call. A framing error appends the error answer
// and asks to close; the unparsed rest of the input is dropped.
func (f *Framer) Serve(in, out []byte) ([]byte, Batch) {
	var (
		b   Batch
		req Request
	)
	for b.Consumed < len(in) {
		n, need, err := f.Frame(in[b.Consumed:], &req)
		if err != nil {
			e, ok := err.(*Error)
			if !ok {
				e = ErrMalformed
			}
			out = AppendError(out, e)
			b.Consumed, b.Close = len(in), true
			return out, b
		}
		if n == 0 {
			b.Need = need
			return out, b
		}
		out = AppendResponse(out, &req)
		b.Consumed += n
		b.Requests++
		if req.Close() {
			// Bytes after a closing request are never answered.
			b.Consumed, b.Close = len(in), true
			return out, b
		}
	}
	return out, b
}
