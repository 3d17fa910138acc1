package httpframe

import (
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// The Date header is formatted once a second by one goroutine and read with
// an atomic load on every response: formatting a time per request would be
// a measurable share of a plaintext answer.
var (
	dateLine  atomic.Pointer[[]byte]
	clockOnce sync.Once
)

// dateHeader returns the current "Date: <IMF-fixdate>\r\n" line.
func dateHeader() []byte {
	clockOnce.Do(startClock)
	return *dateLine.Load()
}

func formatDate(t time.Time) *[]byte {
	b := make([]byte, 0, len("Date: Mon, 02 Jan 2006 15:04:05 GMT\r\n"))
	b = append(b, "Date: "...)
	b = t.UTC().AppendFormat(b, http.TimeFormat)
	b = append(b, "\r\n"...)
	return &b
}

func startClock() {
	dateLine.Store(formatDate(time.Now()))
	go func() {
		for {
			// Wake just after each second boundary so the header changes
			// when the wall-clock second does, not up to a second late.
			now := time.Now()
			time.Sleep(now.Truncate(time.Second).Add(time.Second).Sub(now))
			dateLine.Store(formatDate(time.Now()))
		}
	}()
}
