package testshared

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/reviewpipe/reviewpipe/internal/filelock"
)

// ApacheArrowJS returns the folder of the apache-arrow npm package (the
// JavaScript Arrow implementation), installing it into the user cache on
// first use, after Debian's nodejs and npm when they are missing.
func ApacheArrowJS(t testing.TB) string {
	t.Helper()
	// Debian's nodejs and npm, installed when missing.
	DebianPackage(t, "node", "nodejs")
	npm := DebianPackage(t, "npm", "npm")
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "reviewpipe-test", "apache-arrow-21.2.0")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// Test packages run in parallel: one installs, the others wait.
	lock, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	unlock, err := filelock.Lock(lock)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "apache-arrow", "package.json")); err != nil {
		out, err := exec.Command(npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", dir, "apache-arrow@21.2.0").CombinedOutput()
		if err != nil {
			t.Fatalf("npm install apache-arrow: %v\n%s", err, out)
		}
	}
	return dir
}
