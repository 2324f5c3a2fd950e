package testshared

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// S3 is an S3-compatible server (versitygw with its POSIX backend) on
// 127.0.0.1, stopped when the test ends. Its buckets are the folders of
// Root, so a test can check objects as files.
type S3 struct {
	Endpoint          string // http://127.0.0.1:PORT
	Root              string
	AccessKey, Secret string
}

// StartS3 builds versitygw from the Go module proxy into the user cache on
// first use and starts it with a bucket per name in buckets. Where it
// cannot be built the test skips, or fails under CI.
func StartS3(t testing.TB, buckets ...string) *S3 {
	t.Helper()
	bindir, unlock := lockCacheDir(t, "bin")
	bin := filepath.Join(bindir, "versitygw")
	if _, err := os.Stat(bin); err != nil {
		cmd := exec.Command("go", "install", "github.com/versity/versitygw/cmd/versitygw@v1.8.0")
		cmd.Env = append(os.Environ(), "GOBIN="+bindir, "GOFLAGS=-mod=mod")
		if out, err := cmd.CombinedOutput(); err != nil {
			unlock()
			if os.Getenv("CI") == "true" {
				t.Fatalf("installing versitygw: %v\n%s", err, out)
			}
			t.Skipf("versitygw could not be installed (%v): the S3 path is not tested", err)
		}
	}
	unlock()

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	s := &S3{Endpoint: "http://" + addr, Root: t.TempDir(), AccessKey: "reviewpipe", Secret: "reviewpipe-secret"}
	for _, b := range buckets {
		if err := os.MkdirAll(filepath.Join(s.Root, b), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "--access", s.AccessKey, "--secret", s.Secret, "--port", addr, "posix", s.Root)
	var log bytes.Buffer // the gateway's request log, shown when the test fails
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("versitygw log:\n%s", log.String())
		}
	})
	for deadline := time.Now().Add(15 * time.Second); ; {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("versitygw did not listen on %s", addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", s.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", s.Secret)
	t.Setenv("AWS_REGION", "us-east-1")
	return s
}
