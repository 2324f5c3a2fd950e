// Package testshared locates the shared evaluation data (../shared next to
// the repository) for tests and benchmarks. Where the data is absent a test
// skips with a clear message, except under CI=true, where it fails: CI must
// never pass by skipping the corpora.
package testshared

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Dir returns the path of the shared data folder, or skips (fails under
// CI=true) when it is missing. REVIEWPIPE_SHARED overrides the location.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("REVIEWPIPE_SHARED")
	if dir == "" {
		_, file, _, _ := runtime.Caller(0)
		// internal/testshared/testshared.go → repository root → ../shared
		dir = filepath.Join(filepath.Dir(file), "..", "..", "..", "shared")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		msg := "shared data not found at " + dir + " (set REVIEWPIPE_SHARED or place ../shared next to the repository)"
		if os.Getenv("CI") == "true" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	return dir
}

// Path returns a path inside the shared folder, skipping or failing like Dir
// when it is missing.
func Path(tb testing.TB, elem ...string) string {
	tb.Helper()
	p := filepath.Join(append([]string{Dir(tb)}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		msg := "shared data missing: " + p
		if os.Getenv("CI") == "true" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	return p
}
