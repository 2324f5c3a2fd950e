//go:build unix

// Package filelock takes advisory locks on files, so that runs sharing a
// state file or a dataset do not trample each other.
package filelock

import (
	"errors"
	"os"
	"syscall"
)

// ErrLocked is returned by TryLock when another holder has the lock.
var ErrLocked = errors.New("locked by another process")

// Lock takes an exclusive advisory lock on f, waiting for other holders;
// the returned func releases it.
func Lock(f *os.File) (func(), error) {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return nil, err
	}
	return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }, nil
}

// TryLock is Lock without the wait: ErrLocked when another holder has it.
func TryLock(f *os.File) (func(), error) {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrLocked
		}
		return nil, err
	}
	return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }, nil
}
