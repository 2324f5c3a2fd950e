package testshared

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// ApacheArrowJS returns the folder of the apache-arrow npm package (the
// JavaScript Arrow implementation), installing it into the user cache on
// first use, after Debian's nodejs and npm when they are missing.
func ApacheArrowJS(t testing.TB) string {
	t.Helper()
	// Debian's nodejs and npm, installed when missing.
	DebianPackage(t, "node", "nodejs")
	npm := DebianPackage(t, "npm", "npm")
	dir, unlock := lockCacheDir(t, "apache-arrow-21.2.0")
	defer unlock()
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "apache-arrow", "package.json")); err != nil {
		out, err := exec.Command(npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", dir, "apache-arrow@21.2.0").CombinedOutput()
		if err != nil {
			t.Fatalf("npm install apache-arrow: %v\n%s", err, out)
		}
	}
	return dir
}
