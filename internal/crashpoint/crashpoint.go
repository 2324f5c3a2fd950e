// Package crashpoint lets tests kill the process with SIGKILL at a named
// point of a run, to prove that a crash at any instant loses nothing. It
// is inert unless the environment variable REVIEWPIPE_CRASHPOINT is set:
// "name" kills at the first time Hit(name) is called, "name#N" at the
// Nth. Operators never set it; the kill tests in cmd/reviewpipe do.
package crashpoint

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// Env is the environment variable that arms a crash point.
const Env = "REVIEWPIPE_CRASHPOINT"

var (
	once   sync.Once
	armed  string
	nth    int
	mu     sync.Mutex
	passes int
)

func load() {
	v := os.Getenv(Env)
	name, n, ok := strings.Cut(v, "#")
	armed, nth = name, 1
	if ok {
		if i, err := strconv.Atoi(n); err == nil && i > 0 {
			nth = i
		}
	}
}

// Hit kills the process with SIGKILL when name is the armed point and
// this is its Nth call; otherwise it returns at once.
func Hit(name string) {
	once.Do(load)
	if armed == "" || name != armed {
		return
	}
	mu.Lock()
	passes++
	kill := passes == nth
	mu.Unlock()
	if kill {
		// SIGKILL, not exit: no deferred call, flush or signal handler
		// may run, as when the machine loses power or the OOM killer
		// strikes.
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is on its way
	}
}
