package main

import (
	"fmt"
	"net"

	"golang.org/x/sys/unix"
)

// portReservation is a socket bound to the port but never listening. It is
// bound WITHOUT SO_REUSEPORT, so a port another process holds fails here
// with EADDRINUSE, even when that process listens with SO_REUSEPORT (which
// would otherwise let gnet's listeners silently join its group and share its
// connections, issue 28). Only after the bind does it set SO_REUSEPORT:
// the kernel checks the flag of the sockets already bound when a new one
// binds, so gnet's listeners (which set it) may then join this port. There
// is no window between the check and the hold: the exclusive bind is both.
// Not listening, it never receives a connection itself.
type portReservation struct {
	fd   int
	port int
}

// reservePort binds host:port (0: a free port the kernel picks).
func reservePort(host string, port int) (*portReservation, error) {
	ip := net.ParseIP(host)
	if ip == nil {
		addrs, err := net.LookupIP(host)
		if err != nil || len(addrs) == 0 {
			return nil, fmt.Errorf("resolving %q: %v", host, err)
		}
		ip = addrs[0]
	}
	family, sa := unix.AF_INET, unix.Sockaddr(nil)
	if ip4 := ip.To4(); ip4 != nil {
		a := &unix.SockaddrInet4{Port: port}
		copy(a.Addr[:], ip4)
		sa = a
	} else {
		family = unix.AF_INET6
		a := &unix.SockaddrInet6{Port: port}
		copy(a.Addr[:], ip.To16())
		sa = a
	}
	fd, err := unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("socket: %w", err)
	}
	// SO_REUSEADDR, as gnet's own listeners: connections of an earlier run
	// in TIME_WAIT do not hold the port, a listener does.
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("SO_REUSEADDR: %w", err)
	}
	if err := unix.Bind(fd, sa); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("bind: %w", err)
	}
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEPORT, 1); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("SO_REUSEPORT: %w", err)
	}
	bound, err := unix.Getsockname(fd)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("getsockname: %w", err)
	}
	r := &portReservation{fd: fd}
	switch a := bound.(type) {
	case *unix.SockaddrInet4:
		r.port = a.Port
	case *unix.SockaddrInet6:
		r.port = a.Port
	}
	return r, nil
}

func (r *portReservation) release() {
	if r.fd >= 0 {
		unix.Close(r.fd)
		r.fd = -1
	}
}
