//go:build unix

package sinks

import (
	"errors"

	"golang.org/x/sys/unix"
)

// writable asks the kernel whether this process may create files in dir,
// without creating one (a dry run writes nothing).
func writable(dir string) error { return unix.Access(dir, unix.W_OK|unix.X_OK) }

// notDir reports a path one of whose ancestors is a file.
func notDir(err error) bool { return errors.Is(err, unix.ENOTDIR) }
