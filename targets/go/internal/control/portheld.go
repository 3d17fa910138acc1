package control

import (
	"errors"
	"syscall"
)

// StartFailureCode is the exit status of a target that cannot start: 2 when
// the port is held by another process (the user's to fix, like a bad flag,
// and no benchmark ran), 1 for anything else.
func StartFailureCode(err error) int {
	if errors.Is(err, syscall.EADDRINUSE) {
		return 2
	}
	return 1
}
