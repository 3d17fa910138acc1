package main

import (
	"errors"
	"net"
)

// extraAllocs is how many 1 KiB buffers each request throws away. 0 here; evbench's test of
// "compare across revisions" commits a revision with a larger value (a deliberate regression).
const extraAllocs = 0

func errorsIsClosed(err error) bool { return errors.Is(err, net.ErrClosed) }
