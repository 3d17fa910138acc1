package main

import (
	"fmt"
	"os"
)

// stderrLogger routes gnet's messages to stderr: stdout carries only READY
// and stats lines. Debug chatter is dropped; a benchmark run has no use for
// it and it would cost time on the loops.
type stderrLogger struct{}

func (stderrLogger) Debugf(string, ...any) {}

func (stderrLogger) Infof(format string, args ...any)  { logf("info", format, args...) }
func (stderrLogger) Warnf(format string, args ...any)  { logf("warn", format, args...) }
func (stderrLogger) Errorf(format string, args ...any) { logf("error", format, args...) }
func (stderrLogger) Fatalf(format string, args ...any) {
	logf("fatal", format, args...)
	os.Exit(1)
}

func logf(level, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s: gnet %s: %s\n", name, level, fmt.Sprintf(format, args...))
}
