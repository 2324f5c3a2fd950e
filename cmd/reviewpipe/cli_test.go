package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// TestHelpAndVersion: every command's help has a description and examples
// and exits 0, on stdout; --version names the build.
func TestHelpAndVersion(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"run", "-h"}, {"run", "--help"}, {"extract", "--help"}, {"validate", "-h"},
		{"inspect", "-h"}, {"report", "-h"}, {"schema", "-h"}, {"help", "run"}} {
		code, stdout, stderr := runCLI(t, args...)
		if code != exitOK || !strings.Contains(stdout, "Usage:") || stderr != "" {
			t.Errorf("%v: exit %d, stdout %d bytes, stderr %q", args, code, len(stdout), stderr)
		}
		if args[0] != "--help" && !strings.Contains(stdout, "Examples:") {
			t.Errorf("%v: help has no examples:\n%s", args, stdout)
		}
	}
	code, stdout, _ := runCLI(t, "--version")
	if code != exitOK || !strings.HasPrefix(stdout, "reviewpipe "+record.Version()) {
		t.Errorf("--version: exit %d, %q", code, stdout)
	}
	if code, _, stderr := runCLI(t, "run", "--no-such-flag"); code != exitUsage || !strings.Contains(stderr, "unknown flag") {
		t.Errorf("a bad flag: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCLI(t); code != exitUsage || !strings.Contains(stderr, "Available Commands") {
		t.Errorf("no command: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "run", "--log-level", "loud"); code != exitUsage || !strings.Contains(stderr, "level") {
		t.Errorf("a bad --log-level: exit %d, %q", code, stderr)
	}
}

// TestDryRun lists the inputs and checks the outputs without writing; an
// output under a file fails at once, naming it.
func TestDryRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	start := time.Now()
	code, stdout, stderr := runCLI(t, "run", "--dry-run", "-o", out, "--limit", "3")
	if code != exitOK {
		t.Fatalf("dry run: exit %d; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{"valid", "8 file(s); the first 3:", "writable", "nothing was read, fetched or written"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, stdout)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the dry run created %s (%v)", out, err)
	}
	blocker := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(blocker, []byte("x"), 0o644)
	code, stdout, stderr = runCLI(t, "run", "--dry-run", "-o", filepath.Join(blocker, "out"))
	if code != exitFailed || !strings.Contains(stderr, blocker+" is a file, not a folder") || !strings.Contains(stdout, "FAILS") {
		t.Errorf("dry run into a file's path: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("two dry runs took %s; a dry run must fail fast", d)
	}
}

// TestExtractInputs extracts a page from a local server, a folder and
// stdin, in each output format.
func TestExtractInputs(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "mixed", "good.html"))
	if err != nil {
		t.Fatal(err)
	}
	var hits int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
			return
		}
		hits++
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(good)
	}))
	defer srv.Close()
	cfg := writeConfig(t, fmt.Sprintf("sources:\n  - type: crawl\n    seeds: [%q]\n    allow_private_networks: true\n    politeness: {delay: 0s, jitter: 0s, contact: https://example.org/c}\nsinks:\n  - type: parquet\n    path: out/reviews\n", srv.URL))

	code, stdout, stderr := runCLI(t, "extract", "-c", cfg, srv.URL+"/reviews/the-long-quiet", srv.URL+"/private/x")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != exitRejects || len(lines) != 2 || hits != 1 {
		t.Fatalf("extract of two URLs: exit %d, %d lines, %d page requests; stderr %s", code, len(lines), hits, stderr)
	}
	var first, second map[string]any
	json.Unmarshal([]byte(lines[0]), &first)
	json.Unmarshal([]byte(lines[1]), &second)
	if str(first["title"]) == "" || second["reject"] == nil || !strings.Contains(lines[1], "disallowed") {
		t.Errorf("URL results: %s\n%s", lines[0], lines[1])
	}

	dir := t.TempDir()
	for _, name := range []string{"b.html", "a.htm", "notes.txt"} {
		os.WriteFile(filepath.Join(dir, name), good, 0o644)
	}
	code, stdout, stderr = runCLI(t, "extract", dir, "--format", "text")
	if code != exitOK || strings.Count(stdout, "The Long Quiet") < 2 || !strings.Contains(stdout, "\n---\n") || strings.Contains(stdout, "notes.txt") {
		t.Errorf("extract of a folder as text: exit %d; stderr %s\n%s", code, stderr, stdout)
	}

	var out, errb bytes.Buffer
	code = runIO(context.Background(), []string{"extract", "-", "--format", "markdown", "--url", "https://x.example/r"}, bytes.NewReader(good), &out, &errb)
	if code != exitOK || !strings.HasPrefix(out.String(), "# ") || !strings.Contains(out.String(), "- **URL:**") {
		t.Errorf("extract from stdin as markdown: exit %d; stderr %s\n%s", code, errb.String(), out.String())
	}
	if code, _, stderr := runCLI(t, "extract", "--format", "yaml", dir); code != exitFailed || !strings.Contains(stderr, "unknown format") {
		t.Errorf("an unknown format: exit %d, %s", code, stderr)
	}
}
