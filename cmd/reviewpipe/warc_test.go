package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gocloud.dev/blob"

	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// wgetMirror mirrors the sample site server with Debian's wget, writing
// the pages to a folder and the whole exchange to a WARC file; it returns
// both.
func wgetMirror(t *testing.T) (saved, warc string) {
	t.Helper()
	wget := testshared.DebianPackage(t, "wget", "wget")
	srv, _ := sampleSiteServer(t, 0)
	dir := t.TempDir()
	saved, warc = filepath.Join(dir, "saved"), filepath.Join(dir, "site")
	cmd := exec.Command(wget, "--recursive", "--level=3", "--no-verbose", "--no-host-directories",
		"--directory-prefix="+saved, "--warc-file="+warc, "--no-warc-keep-log", srv.URL+"/")
	out, err := cmd.CombinedOutput()
	// wget exits 8 when a link answered 404 (the sample site has one).
	if err != nil && cmd.ProcessState.ExitCode() != 8 {
		t.Fatalf("wget: %v\n%s", err, out)
	}
	return saved, warc + ".warc.gz"
}

// reviewKeys returns the review_id/content_hash pairs of a dataset's
// pages that declare their own address, sorted. (The site's index page
// declares none: wget saves "/" as index.html, so the two sources give it
// different addresses and ids by design.)
func reviewKeys(t *testing.T, dir string) []string {
	t.Helper()
	rows, err := openDuckDB(t).Query(fmt.Sprintf(`SELECT review_id || '/' || content_hash FROM read_parquet('%s')
		WHERE url LIKE 'https://%%.example/%%' ORDER BY 1`, filepath.Join(dir, "**", "*.parquet")))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		rows.Scan(&k)
		keys = append(keys, k)
	}
	return keys
}

// TestWARCMatchesSavedPages mirrors a local site with wget --warc-file and
// checks that the warc source gives the same records (review ids and
// content hashes) as the files source on the pages wget saved.
func TestWARCMatchesSavedPages(t *testing.T) {
	saved, warc := wgetMirror(t)
	if _, err := os.Stat(warc); err != nil {
		t.Fatalf("wget wrote no WARC: %v", err)
	}
	fromWARC, fromFiles := t.TempDir(), t.TempDir()
	cfg := writeConfig(t, fmt.Sprintf("sources:\n  - type: warc\n    paths: [%q]\nsinks:\n  - type: parquet\n    path: %q\n", warc, filepath.Join(fromWARC, "reviews")))
	code, _, stderr := runCLI(t, "run", "-q", "-c", cfg)
	if code != exitOK && code != exitRejects {
		t.Fatalf("warc run: exit %d: %s", code, stderr)
	}
	for _, want := range []string{`msg="archive read"`, "skipped_request=", "skipped_status_404=", "skipped_warcinfo=1"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the archive's log line lacks %s:\n%s", want, stderr)
		}
	}
	cfg = writeConfig(t, fmt.Sprintf("sources:\n  - type: files\n    paths: [%q]\nsinks:\n  - type: parquet\n    path: %q\n", saved, filepath.Join(fromFiles, "reviews")))
	if code, _, stderr := runCLI(t, "run", "-q", "-c", cfg); code != exitOK && code != exitRejects {
		t.Fatalf("files run: exit %d: %s", code, stderr)
	}
	a, b := reviewKeys(t, filepath.Join(fromWARC, "reviews")), reviewKeys(t, filepath.Join(fromFiles, "reviews"))
	if len(a) < 7 || !slices.Equal(a, b) {
		t.Errorf("the WARC gave %d records, the saved pages %d; they differ:\n%v\n%v", len(a), len(b), a, b)
	}
}

// TestWARCFromS3 reads the same archive from a real S3-compatible server
// (versitygw) by a glob URL: the same records as from the local file.
func TestWARCFromS3(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an S3 server")
	}
	_, warc := wgetMirror(t)
	srv := testshared.StartS3(t, "warcs")
	query := "?endpoint=" + srv.Endpoint + "&use_path_style=true&region=us-east-1"
	ctx := t.Context()
	b, err := blob.OpenBucket(ctx, "s3://warcs"+query)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(warc)
	if err := b.WriteAll(ctx, "crawls/2026/site.warc.gz", data, nil); err != nil {
		t.Fatal(err)
	}
	b.WriteAll(ctx, "crawls/2026/notes.txt", []byte("not an archive"), nil)
	b.Close()

	local, remote := t.TempDir(), t.TempDir()
	for dir, path := range map[string]string{local: warc, remote: "s3://warcs/crawls/**/*.warc.gz" + query} {
		cfg := writeConfig(t, fmt.Sprintf("sources:\n  - type: warc\n    paths: [%q]\nsinks:\n  - type: parquet\n    path: %q\n", path, filepath.Join(dir, "reviews")))
		if code, _, stderr := runCLI(t, "run", "-q", "-c", cfg); code != exitOK && code != exitRejects {
			t.Fatalf("warc run of %s: exit %d: %s", path, code, stderr)
		}
	}
	a, c := reviewKeys(t, filepath.Join(local, "reviews")), reviewKeys(t, filepath.Join(remote, "reviews"))
	if len(a) < 7 || !slices.Equal(a, c) {
		t.Errorf("local archive %d records, the same from S3 %d; they differ", len(a), len(c))
	}
	cfg := writeConfig(t, fmt.Sprintf("sources:\n  - type: warc\n    paths: [%q]\nsinks:\n  - type: parquet\n    path: %q\n", "s3://warcs/none/*.warc.gz"+query, filepath.Join(t.TempDir(), "reviews")))
	if code, _, stderr := runCLI(t, "run", "-q", "-c", cfg); code != exitNoInput || !strings.Contains(stderr, "no archive matches") {
		t.Errorf("a glob matching no object: exit %d: %s", code, stderr)
	}
}
