package testshared

import (
	"os"
	"os/exec"
	"testing"
)

// DebianPackage returns the path of binary, installing the Debian package
// pkg with apt-get when it is missing (as root, or through sudo without a
// password). Where it cannot be installed the test skips, or fails under
// CI, saying which package it needs.
func DebianPackage(t testing.TB, binary, pkg string) string {
	t.Helper()
	if p, err := exec.LookPath(binary); err == nil {
		return p
	}
	_, unlock := lockCacheDir(t, "apt")
	defer unlock()
	if p, err := exec.LookPath(binary); err == nil {
		return p // another package installed it while we waited
	}
	var prefix []string
	if os.Geteuid() != 0 {
		prefix = []string{"sudo", "-n"}
	}
	run := func(args ...string) ([]byte, error) {
		args = append(prefix, args...)
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		return cmd.CombinedOutput()
	}
	t.Logf("installing the Debian package %s (for %s) with apt-get", pkg, binary)
	out, err := run("apt-get", "update", "-qq")
	if err == nil {
		out, err = run("apt-get", "install", "-y", "-qq", "--no-install-recommends", pkg)
	}
	p, lookErr := exec.LookPath(binary)
	if err != nil || lookErr != nil {
		msg := "the Debian package " + pkg + " (" + binary + ") is needed and could not be installed: "
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s%v %v\n%s", msg, err, lookErr, out)
		}
		t.Skipf("%s%v %v", msg, err, lookErr)
	}
	return p
}
