//go:build !unix

package sinks

// writable cannot be asked without writing on this system; the run itself
// reports a folder it cannot write.
func writable(string) error { return nil }

func notDir(error) bool { return false }
