//go:build unix

package extract

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used. On a shared machine wall
// time per op says more about the neighbours than about the detector; the
// benchmark reports both.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
