package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// Runs end to end: syndicated copies, crawls, appends, interrupted and
// streamed runs, inspect, file URLs.

// TestRunMarksSyndicatedCopies runs the pipeline over an original review,
// a copy of it on another site and another review of the same film: in one
// run, and split over two runs that share the duplicate state.
func TestRunMarksSyndicatedCopies(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("testdata", "syndicated"))
	if err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, out, state string, files ...string) {
		t.Helper()
		var paths []string
		for _, f := range files {
			paths = append(paths, strconv.Quote(filepath.Join(dir, f)))
		}
		cfg := writeConfig(t, fmt.Sprintf(`
sources:
  - type: files
    paths: [%s]
transform:
  min_words: 50
  duplicates:
    state: %q
sinks:
  - type: parquet
    path: %q
pipeline:
  workers: 1
`, strings.Join(paths, ", "), state, filepath.Join(out, "reviews")))
		if code, _, stderr := runCLI(t, "run", "-c", cfg); code != exitOK {
			t.Fatalf("run exit code %d; stderr:\n%s", code, stderr)
		}
	}
	// duplicates returns site → the site of the review it copies ("" for
	// originals), read back with DuckDB.
	duplicates := func(t *testing.T, out string) map[string]string {
		t.Helper()
		db := openDuckDB(t)
		rows, err := db.Query(fmt.Sprintf(`SELECT r.site, coalesce(o.site, CASE WHEN r.duplicate_of IS NULL THEN '' ELSE 'unknown ' || r.duplicate_of END)
			FROM read_parquet('%[1]s', union_by_name = true) r
			LEFT JOIN (SELECT DISTINCT review_id, site FROM read_parquet('%[1]s', union_by_name = true)) o ON o.review_id = r.duplicate_of`,
			filepath.Join(out, "reviews", "**", "*.parquet")))
		if err != nil {
			t.Fatalf("query: %v", err)
		}
		defer rows.Close()
		got := map[string]string{}
		for rows.Next() {
			var site, of string
			if err := rows.Scan(&site, &of); err != nil {
				t.Fatal(err)
			}
			got[site] = of
		}
		return got
	}
	want := map[string]string{"reelnotes.example": "", "moviewire.example": "reelnotes.example", "otherview.example": ""}

	t.Run("one run", func(t *testing.T) {
		out := t.TempDir()
		run(t, out, filepath.Join(out, "state.tsv"), "a-original.html", "b-copy.html", "c-other.html")
		if got := duplicates(t, out); !maps.Equal(got, want) {
			t.Errorf("copies = %v, want %v", got, want)
		}
	})
	t.Run("copy in a later run", func(t *testing.T) {
		out := t.TempDir()
		state := filepath.Join(out, "_state", "simhash.tsv")
		run(t, out, state, "a-original.html", "c-other.html")
		run(t, out, state, "b-copy.html", "a-original.html")
		got := duplicates(t, out)
		if !maps.Equal(got, want) {
			t.Errorf("copies = %v, want %v", got, want)
		}
		data, err := os.ReadFile(state)
		if err != nil {
			t.Fatalf("reading state: %v", err)
		}
		if n := strings.Count(string(data), "\n"); n != 2 {
			t.Errorf("state holds %d fingerprints, want 2 (the originals):\n%s", n, data)
		}
	})
}

// TestRunCrawl runs the CLI with a crawl source against a loopback site
// serving the mixed test pages, twice, and reads the reviews and the
// fetch log back with DuckDB: the second run asks conditionally and adds
// no review.
func TestRunCrawl(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("testdata", "mixed"))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var links strings.Builder
	var pages []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".html") {
			pages = append(pages, e.Name())
			fmt.Fprintf(&links, `<a href="/pages/%s">%s</a> `, e.Name(), e.Name())
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "User-agent: *\nDisallow: /admin\n") })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<html><body>%s<a href="/admin">admin</a></body></html>`, links.String())
	})
	mux.Handle("/pages/", http.StripPrefix("/pages/", http.FileServer(http.Dir(dir))))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	out := t.TempDir()
	cfg := writeConfig(t, fmt.Sprintf(`
sources:
  - type: crawl
    seeds: [%q]
    review_pages: ['/pages/']
    allow_private_networks: true
    politeness:
      delay: 0s
      jitter: 0s
      contact: https://example.org/crawler
sinks:
  - type: parquet
    path: %q
`, srv.URL+"/", filepath.Join(out, "reviews")))
	for run := 1; run <= 2; run++ {
		// The mixed pages include an empty one and a PDF: rejects.
		if code, _, stderr := runCLI(t, "run", "-c", cfg); code != exitOK && code != exitRejects {
			t.Fatalf("run %d exit code %d; stderr:\n%s", run, code, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "_state", "crawl.db")); err != nil {
		t.Errorf("no crawl state beside the dataset: %v", err)
	}
	db := openDuckDB(t)
	var reviews, rejects int
	reviewGlob := filepath.Join(out, "reviews", "*.parquet")
	if err := db.QueryRow(fmt.Sprintf(`SELECT count(*) FROM read_parquet('%s')`, reviewGlob)).Scan(&reviews); err != nil {
		t.Fatal(err)
	}
	if rg, _ := filepath.Glob(filepath.Join(out, "rejects", "*.parquet")); len(rg) > 0 {
		db.QueryRow(fmt.Sprintf(`SELECT count(*) FROM read_parquet('%s')`, filepath.Join(out, "rejects", "*.parquet"))).Scan(&rejects)
	}
	// truncated.html is a copy of good.html under the same canonical URL.
	if reviews+rejects != len(pages)-1 {
		t.Errorf("%d reviews + %d rejects over two runs, want the %d distinct pages once", reviews, rejects, len(pages)-1)
	}
	rows, err := db.Query(fmt.Sprintf(`SELECT outcome, count(*) FROM read_parquet('%s') GROUP BY outcome`, filepath.Join(out, "pages", "*.parquet")))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	outcomes := map[string]int{}
	for rows.Next() {
		var o string
		var n int
		if err := rows.Scan(&o, &n); err != nil {
			t.Fatal(err)
		}
		outcomes[o] = n
	}
	t.Logf("fetch log over two runs: %v", outcomes)
	if outcomes["emitted"] != len(pages)-1 || outcomes["not_modified"] < len(pages) || outcomes["disallowed"] != 2 {
		t.Errorf("fetch log outcomes %v: want %d emitted (first run), at least %d not_modified (second), 2 disallowed", outcomes, len(pages)-1, len(pages))
	}
}

// TestRunAppendThreeTimes runs the sample site three times into one
// dataset in the default append mode: DuckDB counts every review once, and
// each run left a manifest and the _SUCCESS marker names the last.
func TestRunAppendThreeTimes(t *testing.T) {
	out := t.TempDir()
	t.Setenv("REVIEWPIPE_OUT", out)
	for run := 1; run <= 3; run++ {
		if code, _, stderr := runCLI(t, "run", "-c", filepath.Join("..", "..", "pipeline.yaml")); code != exitOK {
			t.Fatalf("run %d exit code %d; stderr:\n%s", run, code, stderr)
		}
	}
	db := openDuckDB(t)
	var rows, ids, comments, commentKeys int
	q := fmt.Sprintf(`SELECT count(*), count(DISTINCT review_id) FROM read_parquet('%s')`, filepath.Join(out, "reviews", "**", "*.parquet"))
	if err := db.QueryRow(q).Scan(&rows, &ids); err != nil {
		t.Fatal(err)
	}
	q = fmt.Sprintf(`SELECT count(*), count(DISTINCT (review_id, position)) FROM read_parquet('%s')`, filepath.Join(out, "comments", "**", "*.parquet"))
	if err := db.QueryRow(q).Scan(&comments, &commentKeys); err != nil {
		t.Fatal(err)
	}
	if rows == 0 || rows != ids || comments != commentKeys {
		t.Errorf("after three appends: %d review rows for %d review ids, %d comment rows for %d comments; want each once", rows, ids, comments, commentKeys)
	}
	manifests, _ := filepath.Glob(filepath.Join(out, "_manifests", "*.json"))
	if len(manifests) != 3 {
		t.Errorf("%d manifests, want one per run: %v", len(manifests), manifests)
	}
	var success struct {
		RunID string `json:"run_id"`
	}
	data, err := os.ReadFile(filepath.Join(out, "_SUCCESS"))
	if err != nil || json.Unmarshal(data, &success) != nil || success.RunID == "" {
		t.Errorf("_SUCCESS = %q, %v; want the last run's id", data, err)
	}
}

// TestRunHelperProcess is the run TestRunKilledDuringWrite kills.
func TestRunHelperProcess(t *testing.T) {
	cfg := os.Getenv("REVIEWPIPE_HELPER_CONFIG")
	if cfg == "" {
		t.Skip("helper process for TestRunKilledDuringWrite")
	}
	os.Exit(run(context.Background(), []string{"run", "-c", cfg}, os.Stdout, os.Stderr))
}

// TestRunKilledDuringWrite kills a run with SIGKILL while it writes (a
// crawl of a slow site), checks that DuckDB finds no file to read, then
// runs again: the next run cleans up, resumes the crawl and publishes every
// page once.
func TestRunKilledDuringWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	good, err := os.ReadFile(filepath.Join("testdata", "mixed", "good.html"))
	if err != nil {
		t.Fatal(err)
	}
	const pages = 40
	var served atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		for i := range pages {
			fmt.Fprintf(&b, `<a href="/review/%d">r</a>`, i)
		}
		fmt.Fprintf(w, "<html><body>%s</body></html>", b.String())
	})
	mux.HandleFunc("/review/", func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		time.Sleep(30 * time.Millisecond)
		// Each page its own review: a canonical URL and a title of its own.
		page := strings.ReplaceAll(string(good), "https://northlight.example/reviews/the-long-quiet", "http://"+r.Host+r.URL.Path)
		page = strings.Replace(page, "<title>", "<title>"+r.URL.Path+" ", 1)
		fmt.Fprint(w, page)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	out := t.TempDir()
	cfg := writeConfig(t, fmt.Sprintf(`
sources:
  - type: crawl
    seeds: [%q]
    review_pages: ['/review/']
    allow_private_networks: true
    politeness: {delay: 0s, jitter: 0s, per_host: 2, contact: https://example.org/crawler}
sinks:
  - type: parquet
    path: %q
pipeline:
  batch_size: 5
`, srv.URL+"/", filepath.Join(out, "reviews")))
	cmd := exec.Command(os.Args[0], "-test.run=^TestRunHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "REVIEWPIPE_HELPER_CONFIG="+cfg)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for served.Load() < pages/2 && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if n := served.Load(); n >= pages {
		t.Fatalf("the run served all %d pages before the kill", n)
	}
	visible, _ := filepath.Glob(filepath.Join(out, "*", "*.parquet"))
	if len(visible) != 0 {
		t.Errorf("the killed run left readable files: %v", visible)
	}
	if staged, _ := filepath.Glob(filepath.Join(out, "*", ".part-*")); len(staged) == 0 {
		t.Errorf("the run was killed before it wrote anything; the test proves nothing")
	}
	db := openDuckDB(t)
	glob := filepath.Join(out, "reviews", "**", "*.parquet")
	var n int
	if err := db.QueryRow(fmt.Sprintf(`SELECT count(*) FROM read_parquet('%s')`, glob)).Scan(&n); err == nil {
		t.Errorf("DuckDB read %d rows after the kill, want no file to read", n)
	}
	if code, _, stderr := runCLI(t, "run", "-c", cfg); code != exitOK {
		t.Fatalf("second run exit code %d; stderr:\n%s", code, stderr)
	}
	var rows, ids int
	if err := db.QueryRow(fmt.Sprintf(`SELECT count(*), count(DISTINCT review_id) FROM read_parquet('%s')`, glob)).Scan(&rows, &ids); err != nil {
		t.Fatal(err)
	}
	if rows != pages || ids != pages {
		t.Errorf("after the second run: %d rows, %d review ids; want %d each", rows, ids, pages)
	}
	if hidden, _ := filepath.Glob(filepath.Join(out, "*", ".part-*")); len(hidden) != 0 {
		t.Errorf("temporaries of the killed run are still there: %v", hidden)
	}
}

// TestRunStreamsArrowToStdout runs the sample site with an arrow sink on
// "-" and reads what the run printed with apache-arrow, the JavaScript
// Arrow implementation.
func TestRunStreamsArrowToStdout(t *testing.T) {
	abs, err := filepath.Abs(filepath.Join("..", "..", "examples", "site"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, fmt.Sprintf("sources:\n  - type: files\n    paths: [%q]\ntransform:\n  min_words: 50\nsinks:\n  - type: arrow\n    path: \"-\"\n", abs))
	code, stdout, stderr := runCLI(t, "run", "-c", cfg)
	if code != exitOK {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
	}
	// An Arrow IPC stream starts with the continuation marker and ends
	// with the end-of-stream marker.
	if !strings.HasPrefix(stdout, "\xff\xff\xff\xff") || !strings.HasSuffix(stdout, "\xff\xff\xff\xff\x00\x00\x00\x00") {
		t.Fatalf("stdout is no Arrow IPC stream (%d bytes, starts %q)", len(stdout), stdout[:min(len(stdout), 16)])
	}
	if !strings.Contains(stderr, "outputs=stdout") {
		t.Errorf("the run summary does not name stdout as the output:\n%s", stderr)
	}
	pkg := testshared.ApacheArrowJS(t)
	stream := filepath.Join(t.TempDir(), "reviews.arrows")
	if err := os.WriteFile(stream, []byte(stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("node", "-e", `const {tableFromIPC} = require(process.argv[1] + '/node_modules/apache-arrow');
const t = tableFromIPC(require('fs').readFileSync(process.argv[2]));
console.log(t.numRows + ' ' + t.getChild('title').get(0));`, pkg, stream).CombinedOutput()
	if err != nil {
		t.Fatalf("apache-arrow reading the stream: %v\n%s", err, out)
	}
	var n int
	fmt.Sscan(string(out), &n)
	if !strings.Contains(stderr, fmt.Sprintf("written=%d", n)) || n == 0 {
		t.Errorf("apache-arrow read %q from the stream; the run says:\n%s", out, stderr)
	}
}

// TestInspect runs the sample pipeline and inspects its output folder.
func TestInspect(t *testing.T) {
	out := t.TempDir()
	t.Setenv("REVIEWPIPE_OUT", out)
	if code, _, stderr := runCLI(t, "run", "-c", filepath.Join("..", "..", "pipeline.yaml")); code != exitOK {
		t.Fatalf("run: %d\n%s", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "inspect", filepath.Join(out, "reviews"))
	if code != exitOK {
		t.Fatalf("inspect exit code %d; stderr:\n%s", code, stderr)
	}
	db := openDuckDB(t)
	var n, nullTitles int
	if err := db.QueryRow(fmt.Sprintf(`SELECT count(*), count(*) - count(description) FROM read_parquet('%s')`, filepath.Join(out, "reviews", "**", "*.parquet"))).Scan(&n, &nullTitles); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		out + ": 1 runs, last complete run ",
		fmt.Sprintf("reviews: %d rows in ", n),
		"published_year=",
		"description          VARCHAR, null",
		"published_at         TIMESTAMP (µs, UTC), null",
		fmt.Sprintf("%.1f%%", 100*float64(nullTitles)/float64(n)),
		"comments: ",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, stdout)
		}
	}
	if code, _, stderr := runCLI(t, "inspect", t.TempDir()); code != exitFailed || !strings.Contains(stderr, "no reviewpipe runs") {
		t.Errorf("inspect of an empty folder: exit %d, stderr %q", code, stderr)
	}
}

// TestRunFileURL writes to a dataset given as a file:// URL.
func TestRunFileURL(t *testing.T) {
	abs, err := filepath.Abs(filepath.Join("..", "..", "examples", "site"))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cfg := writeConfig(t, fmt.Sprintf("sources:\n  - type: files\n    paths: [%q]\nsinks:\n  - type: parquet\n    path: %q\n", abs, "file://"+filepath.ToSlash(filepath.Join(out, "reviews"))))
	if code, _, stderr := runCLI(t, "run", "-c", cfg); code != exitOK {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
	}
	if files, _ := filepath.Glob(filepath.Join(out, "reviews", "*.parquet")); len(files) == 0 {
		t.Errorf("no Parquet file under %s", filepath.Join(out, "reviews"))
	}
}
