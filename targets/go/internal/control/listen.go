package control

import (
	"fmt"
	"net"
	"os"
	"strconv"
)

// Listen opens the TCP listener of a goroutine-per-connection target on
// --host:--port, or reports why it cannot on stderr and exits (2 when the
// port is held, StartFailureCode). It returns
// the listener and the port it really got (for READY when --port 0). The
// listener sheds connections at the descriptor limit instead of failing
// (shed.go).
func (o Options) Listen(name string) (net.Listener, int) {
	ln, err := net.Listen("tcp", net.JoinHostPort(o.Host, strconv.Itoa(o.Port)))
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(StartFailureCode(err))
	}
	return newSheddingListener(ln), ln.Addr().(*net.TCPAddr).Port
}
