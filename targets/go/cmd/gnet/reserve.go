package main

import (
	"fmt"
	"net"

	"golang.org/x/sys/unix"
)

// portReservation is a socket bound with SO_REUSEPORT but never listening:
// it takes a free port from the kernel and keeps any other program from
// taking it, while sockets that also set SO_REUSEPORT (gnet's listeners,
// same user) may still bind it. Not listening, it never receives a
// connection itself.
type portReservation struct {
	fd   int
	port int
}

func reservePort(host string) (*portReservation, error) {
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
		a := &unix.SockaddrInet4{}
		copy(a.Addr[:], ip4)
		sa = a
	} else {
		family = unix.AF_INET6
		a := &unix.SockaddrInet6{}
		copy(a.Addr[:], ip.To16())
		sa = a
	}
	fd, err := unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("socket: %w", err)
	}
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEPORT, 1); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("SO_REUSEPORT: %w", err)
	}
	if err := unix.Bind(fd, sa); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("bind: %w", err)
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
