package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/reviewpipe/reviewpipe/internal/runstats"
	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// sampleSiteServer serves the bundled sample site's HTML pages under
// /<site>/<path>, an index linking them all, a link to a missing page (a
// 404) and the empty page of testdata/mixed (a reject). Each response
// waits delay, so a crawl lasts long enough to watch.
func sampleSiteServer(t *testing.T, delay time.Duration) (*httptest.Server, int) {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", "examples", "site"))
	if err != nil {
		t.Fatal(err)
	}
	var links strings.Builder
	pages := 0
	err = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".html") {
			rel, _ := filepath.Rel(root, p)
			fmt.Fprintf(&links, `<a href="/site/%s">%s</a> `, filepath.ToSlash(rel), rel)
			pages++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	mixed, _ := filepath.Abs(filepath.Join("testdata", "mixed"))
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "User-agent: *\nAllow: /\n") })
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<html><body>%s<a href="/site/gone.html">gone</a> <a href="/mixed/empty.html">empty</a></body></html>`, links.String())
	})
	mux.Handle("/site/", http.StripPrefix("/site/", http.FileServer(http.Dir(root))))
	mux.Handle("/mixed/", http.StripPrefix("/mixed/", http.FileServer(http.Dir(mixed))))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(delay)
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, pages
}

// crawlConfig writes a config crawling srv into out, with extra YAML
// appended.
func crawlConfig(t *testing.T, srv *httptest.Server, out, extra string) string {
	t.Helper()
	return writeConfig(t, fmt.Sprintf(`
sources:
  - type: crawl
    seeds: [%q]
    review_pages: ['/site/', '/mixed/']
    allow_private_networks: true
    politeness:
      delay: 0s
      jitter: 0s
      per_host: 4
      contact: https://example.org/crawler
sinks:
  - type: parquet
    path: %q
%s`, srv.URL+"/", filepath.Join(out, "reviews"), extra))
}

// readSummary returns the summary.json of the run that wrote out.
func readSummary(t *testing.T, out, runID string) runstats.Summary {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, "_runs", runID, "summary.json"))
	if err != nil {
		t.Fatalf("the run's summary: %v", err)
	}
	sum, err := runstats.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// runIDOf finds the run id in a run's log.
func runIDOf(t *testing.T, stderr string) string {
	t.Helper()
	_, rest, ok := strings.Cut(stderr, `msg="run finished" run_id=`)
	if !ok {
		_, rest, ok = strings.Cut(stderr, `msg="run finished with rejected pages" run_id=`)
	}
	if !ok {
		t.Fatalf("no final line in:\n%s", stderr)
	}
	return strings.Fields(rest)[0]
}

// duckCount counts the rows of a dataset folder, 0 when it has no file.
func duckCount(t *testing.T, dir string) int64 {
	t.Helper()
	db := openDuckDB(t)
	var n int64
	if err := db.QueryRow(fmt.Sprintf(`SELECT count(*) FROM read_parquet('%s')`, filepath.Join(dir, "**", "*.parquet"))).Scan(&n); err != nil {
		t.Fatalf("counting %s: %v", dir, err)
	}
	return n
}

// TestRunSummaryMatchesDatasets crawls a local site (reviews, a reject, a
// 404) and checks summary.json against what DuckDB reads in the datasets,
// the metrics textfile against the summary, and the final log line.
func TestRunSummaryMatchesDatasets(t *testing.T) {
	srv, pages := sampleSiteServer(t, 0)
	out := t.TempDir()
	prom := filepath.Join(out, "metrics", "reviewpipe.prom")
	os.MkdirAll(filepath.Dir(prom), 0o755)
	cfg := crawlConfig(t, srv, out, fmt.Sprintf("metrics:\n  textfile: %q\n", prom))
	code, _, stderr := runCLI(t, "run", "-c", cfg)
	if code != exitRejects {
		t.Fatalf("exit %d, want %d (the empty page is a reject); stderr:\n%s", code, exitRejects, stderr)
	}
	sum := readSummary(t, out, runIDOf(t, stderr))
	reviews, rejects, fetches := duckCount(t, filepath.Join(out, "reviews")), duckCount(t, filepath.Join(out, "rejects")), duckCount(t, filepath.Join(out, "pages"))
	if sum.Records.Written != reviews || int64(pages) != reviews {
		t.Errorf("summary says %d written, DuckDB reads %d reviews, the site has %d", sum.Records.Written, reviews, pages)
	}
	if sum.Rejects.Total != rejects || rejects == 0 {
		t.Errorf("summary says %d rejects, DuckDB reads %d", sum.Rejects.Total, rejects)
	}
	if sum.Fetches.Total != fetches || sum.Fetches.ByStatus["404"] == 0 || sum.Fetches.ByStatus["200"] == 0 {
		t.Errorf("summary says %d fetches (%v), DuckDB reads %d", sum.Fetches.Total, sum.Fetches.ByStatus, fetches)
	}
	if sum.Status != runstats.StatusRejects || len(sum.Reviews.RatingBins) == 0 || len(sum.Reviews.PublishedMonths) == 0 ||
		len(sum.Reviews.FieldSources["rating"]) == 0 || sum.Stages["extract"].Count == 0 || len(sum.Fetches.Series) == 0 {
		t.Errorf("summary lacks figures: status %s, rating bins %v, months %v, sources %v, stages %v, series %v",
			sum.Status, sum.Reviews.RatingBins, sum.Reviews.PublishedMonths, sum.Reviews.FieldSources, sum.Stages, sum.Fetches.Series)
	}
	for _, want := range []string{fmt.Sprintf("written=%d", reviews), fmt.Sprintf("rejected=%d", rejects), fmt.Sprintf("fetches=%d", fetches), "skipped_present=0"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the final log line lacks %s:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "_runs", sum.RunID, "report.html")); err != nil {
		t.Errorf("no report.html beside the summary: %v", err)
	}
	checkTextfile(t, prom, sum)
}

// checkTextfile parses the metrics textfile as node-exporter does and
// checks it says what the summary says.
func checkTextfile(t *testing.T, path string, sum runstats.Summary) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("metrics textfile: %v", err)
	}
	defer f.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(f)
	if err != nil {
		t.Fatalf("the textfile does not parse: %v", err)
	}
	value := func(name, label, want string) float64 {
		for _, m := range families[name].GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == want {
					if c := m.GetCounter(); c != nil {
						return c.GetValue()
					}
					return m.GetGauge().GetValue()
				}
			}
		}
		return -1
	}
	if got := value("reviewpipe_records_total", "state", "written"); got != float64(sum.Records.Written) {
		t.Errorf("reviewpipe_records_total{state=written} = %v, want %d", got, sum.Records.Written)
	}
	if got := value("reviewpipe_fetch_status_total", "code", "404"); got != float64(sum.Fetches.ByStatus["404"]) {
		t.Errorf("reviewpipe_fetch_status_total{code=404} = %v, want %d", got, sum.Fetches.ByStatus["404"])
	}
	if h := families["reviewpipe_fetch_duration_seconds"].GetMetric(); len(h) != 1 || h[0].GetHistogram().GetSampleCount() == 0 {
		t.Errorf("reviewpipe_fetch_duration_seconds = %v, want a histogram of the fetches", h)
	}
	if h := families["reviewpipe_stage_duration_seconds"].GetMetric(); len(h) < 3 {
		t.Errorf("reviewpipe_stage_duration_seconds has %d stages, want extract, transform, write, commit", len(h))
	}
	for _, name := range []string{"reviewpipe_last_success_timestamp_seconds", "reviewpipe_run_duration_seconds", "reviewpipe_last_run_timestamp_seconds"} {
		if len(families[name].GetMetric()) != 1 {
			t.Errorf("textfile lacks %s", name)
		}
	}
}

// TestRunAppendSummaryCountsSkipped runs the sample site twice into one
// append dataset: the second run writes nothing, and says so.
func TestRunAppendSummaryCountsSkipped(t *testing.T) {
	out := t.TempDir()
	var first runstats.Summary
	for run := 1; run <= 2; run++ {
		code, _, stderr := runCLI(t, "run", "-o", out, "--quiet")
		if code != exitOK {
			t.Fatalf("run %d: exit %d; stderr:\n%s", run, code, stderr)
		}
		sum := readSummary(t, out, runIDOf(t, stderr))
		if run == 1 {
			first = sum
			continue
		}
		if sum.Records.Written != 0 || sum.Records.SkippedPresent != first.Records.Written || first.Records.Written == 0 {
			t.Errorf("second run: written %d, skipped %d; want 0 and the first run's %d", sum.Records.Written, sum.Records.SkippedPresent, first.Records.Written)
		}
		if want := fmt.Sprintf("written=0 skipped_present=%d", first.Records.Written); !strings.Contains(stderr, want) {
			t.Errorf("final line lacks %q:\n%s", want, stderr)
		}
	}
	if n := duckCount(t, filepath.Join(out, "reviews")); n != first.Records.Written {
		t.Errorf("DuckDB reads %d reviews after two runs, want %d", n, first.Records.Written)
	}
}

// TestProgressLogOffTerminal checks the periodic stats line of a run whose
// stderr is not a terminal.
func TestProgressLogOffTerminal(t *testing.T) {
	srv, _ := sampleSiteServer(t, 60*time.Millisecond)
	out := t.TempDir()
	cfg := crawlConfig(t, srv, out, "")
	// Two requests at a time, 60 ms each: the crawl takes half a second.
	code, _, stderr := runCLI(t, "run", "-c", cfg, "--set", "log.progress_interval=100ms", "--set", "sources[0].politeness.per_host=2")
	if code != exitRejects {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	lines := strings.Count(stderr, "msg=progress")
	if lines < 2 || !strings.Contains(stderr, "pages_per_s=") || !strings.Contains(stderr, "fetches=") {
		t.Errorf("%d progress lines, want several with rates and fetches:\n%s", lines, stderr)
	}
	code, _, stderr = runCLI(t, "run", "-c", cfg, "--set", "log.progress_interval=100ms", "--quiet", "-o", t.TempDir())
	if code > exitRejects || strings.Contains(stderr, "msg=progress") {
		t.Errorf("--quiet: exit %d, progress lines in:\n%s", code, stderr)
	}
}

// summaryJSON is a helper for the report tests: the summary of a crawl.
func summaryJSON(t *testing.T) (string, runstats.Summary) {
	t.Helper()
	srv, _ := sampleSiteServer(t, 0)
	out := t.TempDir()
	code, _, stderr := runCLI(t, "run", "-c", crawlConfig(t, srv, out, ""))
	if code != exitRejects {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	id := runIDOf(t, stderr)
	return filepath.Join(out, "_runs", id), readSummary(t, out, id)
}

// TestReportCommand renders a run's report again, from the output folder,
// the run's folder and the summary file.
func TestReportCommand(t *testing.T) {
	dir, sum := summaryJSON(t)
	out := filepath.Dir(filepath.Dir(dir))
	for _, path := range []string{out, dir, filepath.Join(dir, "summary.json")} {
		code, stdout, stderr := runCLI(t, "report", path, "-o", "-")
		if code != exitOK || !strings.Contains(stdout, "<svg") || !strings.Contains(stdout, sum.RunID) {
			t.Errorf("report %s: exit %d, %d bytes; stderr %s", path, code, len(stdout), stderr)
		}
	}
	os.Remove(filepath.Join(dir, "report.html"))
	if code, _, stderr := runCLI(t, "report", out); code != exitOK {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "report.html")); err != nil {
		t.Errorf("report did not write report.html beside the summary: %v", err)
	}
	if code, _, stderr := runCLI(t, "report", t.TempDir()); code != exitFailed || !strings.Contains(stderr, "no summary.json") {
		t.Errorf("report of an empty folder: exit %d, %s", code, stderr)
	}
	var bad runstats.Summary
	data, _ := json.Marshal(bad)
	p := filepath.Join(t.TempDir(), "summary.json")
	os.WriteFile(p, data, 0o644)
	if code, _, stderr := runCLI(t, "report", p); code != exitFailed || !strings.Contains(stderr, "schema version") {
		t.Errorf("report of a foreign summary: exit %d, %s", code, stderr)
	}
}

// TestCLIHelperProcess runs the CLI with the arguments in
// REVIEWPIPE_HELPER_ARGS, for tests that need a process of its own.
func TestCLIHelperProcess(t *testing.T) {
	raw := os.Getenv("REVIEWPIPE_HELPER_ARGS")
	if raw == "" {
		t.Skip("helper process for the terminal tests")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	os.Exit(run(t.Context(), args, os.Stdout, os.Stderr))
}

// statusLine is one redraw of the live status line.
var statusLine = regexp.MustCompile(`\r\x1b\[Kread (\d+) · extracted \d+ · rejected \d+ · written \d+ · [\d.]+ pages/s · queue \d+ · \S+ · fetches \d+`)

// TestProgressLineOnTerminal runs a crawl with its output on a
// pseudo-terminal: the status line is redrawn as pages arrive, then
// cleared, and the run's summary follows.
func TestProgressLineOnTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	srv, _ := sampleSiteServer(t, 60*time.Millisecond)
	cfg := crawlConfig(t, srv, t.TempDir(), "")
	args, _ := json.Marshal([]string{"run", "-c", cfg, "--set", "sources[0].politeness.per_host=1"})
	cmd := exec.Command(os.Args[0], "-test.run=^TestCLIHelperProcess$")
	cmd.Env = append(os.Environ(), "REVIEWPIPE_HELPER_ARGS="+string(args))
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 200})
	if err != nil {
		t.Fatalf("starting on a pseudo-terminal: %v", err)
	}
	defer tty.Close()
	var buf bytes.Buffer
	_, err = io.Copy(&buf, tty)
	if err != nil && !errors.Is(err, syscall.EIO) { // EIO: the child closed the terminal
		t.Fatalf("reading the terminal: %v", err)
	}
	if err := cmd.Wait(); err != nil && cmd.ProcessState.ExitCode() != exitRejects {
		t.Fatalf("run: %v\n%s", err, buf.String())
	}
	screen := buf.String()
	lines := statusLine.FindAllStringSubmatch(screen, -1)
	if len(lines) < 3 {
		t.Fatalf("%d status lines, want the line redrawn several times:\n%q", len(lines), screen)
	}
	if lines[0][1] == lines[len(lines)-1][1] {
		t.Errorf("the status line never moved: first %q, last %q", lines[0][0], lines[len(lines)-1][0])
	}
	last := strings.LastIndex(screen, "\r\x1b[K")
	if end := strings.Index(screen[last:], "run finished"); end < 0 || statusLine.MatchString(screen[last:]) {
		t.Errorf("the status line is not cleared before the summary:\n%q", screen[last:])
	}
}

// TestEmptyDatasetsQueryable runs the sample site (no rejects, no crawl):
// every dataset, the empty rejects and pages included, answers DuckDB's
// queries as the README writes them.
func TestEmptyDatasetsQueryable(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI(t, "run", "-o", out, "-q"); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	db := openDuckDB(t)
	for ds, want := range map[string]int{"reviews": 8, "comments": -1, "rejects": 0, "pages": 0} {
		var n int
		q := fmt.Sprintf(`SELECT count(*) FROM read_parquet('%s', hive_partitioning = true)`, filepath.Join(out, ds, "**", "*.parquet"))
		if err := db.QueryRow(q).Scan(&n); err != nil || want >= 0 && n != want {
			t.Errorf("%s: %d rows, %v; want %d", ds, n, err, want)
		}
	}
	var reason sql.NullString
	q := fmt.Sprintf(`SELECT max(reason) FROM read_parquet('%s')`, filepath.Join(out, "rejects", "**", "*.parquet"))
	if err := db.QueryRow(q).Scan(&reason); err != nil || reason.Valid {
		t.Errorf("a column of the empty rejects dataset: %v, %v", reason, err)
	}
}

// TestMetricsPushgateway pushes a run's metrics to a real Pushgateway
// (Debian's prometheus-pushgateway, installed by the test when missing)
// and reads them back from its /metrics.
func TestMetricsPushgateway(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Pushgateway")
	}
	bin := testshared.DebianPackage(t, "prometheus-pushgateway", "prometheus-pushgateway")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	gw := exec.Command(bin, "--web.listen-address="+addr, "--persistence.file=")
	var gwLog bytes.Buffer
	gw.Stdout, gw.Stderr = &gwLog, &gwLog
	if err := gw.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gw.Process.Kill(); gw.Wait() })
	url := "http://" + addr
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(url + "/-/ready"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Since(start) > 10*time.Second {
			t.Fatalf("the Pushgateway did not start:\n%s", gwLog.String())
		}
	}
	out := t.TempDir()
	code, _, stderr := runCLI(t, "run", "-q", "-o", out, "--set", "metrics.pushgateway="+url, "--set", "metrics.job=nightly")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("the Pushgateway's metrics: %v", err)
	}
	found := false
	for _, m := range families["reviewpipe_records_total"].GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		if labels["job"] == "nightly" && labels["state"] == "written" && m.GetCounter().GetValue() == 8 {
			found = true
		}
	}
	if !found {
		t.Errorf("the Pushgateway holds no reviewpipe_records_total{job=nightly,state=written} 8: %v", families["reviewpipe_records_total"])
	}
}
