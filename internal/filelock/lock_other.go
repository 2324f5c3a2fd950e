//go:build !unix

package filelock

import (
	"errors"
	"os"
)

// ErrLocked is returned by TryLock when another holder has the lock.
var ErrLocked = errors.New("locked by another process")

// Lock is a no-op where advisory locks are not available: runs that share
// a file must not overlap there.
func Lock(*os.File) (func(), error) { return func() {}, nil }

// TryLock is a no-op like Lock.
func TryLock(*os.File) (func(), error) { return func() {}, nil }
