package testshared

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/reviewpipe/reviewpipe/internal/filelock"
)

// lockCacheDir makes the folder sub of the user cache's reviewpipe-test
// and takes its lock: test packages run in parallel, and one installs a
// tool there while the others wait. unlock releases it.
func lockCacheDir(t testing.TB, sub string) (dir string, unlock func()) {
	t.Helper()
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir = filepath.Join(cache, "reviewpipe-test", sub)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	release, err := filelock.Lock(lock)
	if err != nil {
		lock.Close()
		t.Fatal(err)
	}
	return dir, func() {
		release()
		lock.Close()
	}
}
