package main

import (
	"fmt"
	"os"
	"reflect"
	"sync"

	"github.com/panjf2000/gnet/v2"
	"golang.org/x/sys/unix"

	"evbench/targets/internal/httpframe"
)

// gnet keeps reading a connection whatever its outbound buffer holds, so a
// peer that pipelines requests and never reads makes the buffer grow without
// end (issue 28: 3.5 GiB in 20 s). Above pauseOutputAt the connection stops
// being read until gnet has written everything; past closeOutputAt (room for
// the largest single answer, an echo of a maximal body) it is closed.
const (
	pauseOutputAt = 64 << 10 // as the native server's high-water mark
	closeOutputAt = pauseOutputAt + httpframe.MaxBodyBytes + 1<<20
)

var pauseUnavailable sync.Once

// holdBack applies both caps after a write; it returns gnet.Close past the
// second one.
func holdBack(c gnet.Conn) gnet.Action {
	pending := c.OutboundBuffered()
	if pending < pauseOutputAt {
		return gnet.None
	}
	if pending > closeOutputAt {
		return gnet.Close
	}
	if err := stopReading(c); err != nil {
		pauseUnavailable.Do(func() {
			fmt.Fprintf(os.Stderr, "%s: cannot pause a connection that does not read (%v); closing past %d bytes instead\n",
				name, err, closeOutputAt)
		})
	}
	return gnet.None
}

// stopReading leaves only EPOLLOUT on the connection in its loop's epoll set.
// gnet offers no pause, but in level-triggered mode (the default, used here)
// its own write path puts EPOLLIN back (Poller.ModRead) once the outbound
// buffer is empty, so reading resumes exactly when the output has drained.
// The loop's epoll descriptor is read from gnet's eventloop (poller.fd) by
// reflection: the pinned gnet v2.9.7 keeps it there, and registers each
// connection with its descriptor as the event's data, which is kept.
func stopReading(c gnet.Conn) error {
	epfd, err := loopPollerFd(c.EventLoop())
	if err != nil {
		return err
	}
	fd := c.Fd()
	ev := unix.EpollEvent{Events: unix.EPOLLOUT, Fd: int32(fd)}
	return unix.EpollCtl(epfd, unix.EPOLL_CTL_MOD, fd, &ev)
}

func loopPollerFd(el gnet.EventLoop) (int, error) {
	v := reflect.ValueOf(el)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return 0, fmt.Errorf("gnet's event loop is a %s", v.Kind())
	}
	p := v.FieldByName("poller")
	if !p.IsValid() || p.Kind() != reflect.Pointer || p.IsNil() {
		return 0, fmt.Errorf("gnet's event loop has no poller field")
	}
	fd := p.Elem().FieldByName("fd")
	if !fd.IsValid() || fd.Kind() != reflect.Int {
		return 0, fmt.Errorf("gnet's poller has no fd field")
	}
	return int(fd.Int()), nil
}
