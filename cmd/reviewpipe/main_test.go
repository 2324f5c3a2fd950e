package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/reviewpipe/reviewpipe/internal/dates"
	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// runCLI runs the command in-process and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pipeline.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func openDuckDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatalf("opening duckdb: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestRunSampleSite runs the repository's own pipeline.yaml (the bundled
// sample site) into a temporary folder and reads the result with DuckDB.
func TestRunSampleSite(t *testing.T) {
	out := t.TempDir()
	t.Setenv("REVIEWPIPE_OUT", out)
	code, _, stderr := runCLI(t, "run", "-c", filepath.Join("..", "..", "pipeline.yaml"))
	if code != exitOK {
		t.Fatalf("run exit code %d, want 0; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "run finished") || !strings.Contains(stderr, "rejected=0") {
		t.Errorf("summary missing from stderr:\n%s", stderr)
	}
	pages, err := filepath.Glob(filepath.Join("..", "..", "examples", "site", "*", "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var want int
	err = filepath.WalkDir(filepath.Join("..", "..", "examples", "site"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".html.gz")) {
			want++
		}
		return err
	})
	if err != nil || want == 0 {
		t.Fatalf("counting sample pages: %d, %v (%v)", want, err, pages)
	}
	if !strings.Contains(stderr, fmt.Sprintf("written=%d", want)) {
		t.Errorf("summary does not say written=%d:\n%s", want, stderr)
	}

	db := openDuckDB(t)
	glob := filepath.Join(out, "reviews", "**", "*.parquet")
	types := map[string]string{}
	rows, err := db.Query(fmt.Sprintf("DESCRIBE SELECT * FROM read_parquet('%s')", glob))
	if err != nil {
		t.Fatalf("DESCRIBE: %v", err)
	}
	for rows.Next() {
		var name, typ string
		var null, key, def, extra sql.NullString
		if err := rows.Scan(&name, &typ, &null, &key, &def, &extra); err != nil {
			t.Fatal(err)
		}
		types[name] = typ
	}
	rows.Close()
	for col, want := range map[string]string{
		"published_at": "TIMESTAMP WITH TIME ZONE", "fetched_at": "TIMESTAMP WITH TIME ZONE",
		"authors": "VARCHAR[]", "word_count": "BIGINT", "item_year": "INTEGER", "comment_count": "INTEGER",
		"rating": "DOUBLE", "title": "VARCHAR", "body": "VARCHAR", "simhash": "BIGINT", "duplicate_of": "VARCHAR",
	} {
		if types[col] != want {
			t.Errorf("column %s has type %q, want %q", col, types[col], want)
		}
	}

	var n, withTitle, withBody, emptyStrings, badIDs int
	q := fmt.Sprintf(`SELECT count(*), count(title), count(*) FILTER (WHERE word_count > 50),
		count(*) FILTER (WHERE title = '' OR site_name = '' OR language = '' OR list_contains(authors, '')),
		count(*) FILTER (WHERE length(review_id) <> 32 OR length(content_hash) <> 64)
		FROM read_parquet('%s')`, glob)
	if err := db.QueryRow(q).Scan(&n, &withTitle, &withBody, &emptyStrings, &badIDs); err != nil {
		t.Fatalf("query: %v", err)
	}
	if n != want || withTitle != want || withBody != want {
		t.Errorf("rows=%d titled=%d with body=%d, want %d each", n, withTitle, withBody, want)
	}
	if emptyStrings != 0 || badIDs != 0 {
		t.Errorf("%d rows use empty strings for unknown values, %d rows have malformed ids", emptyStrings, badIDs)
	}

	// The comments dataset joins its reviews on review_id: as many rows
	// per review as comment_count says.
	var commented, mismatched, orphans, comments int
	q = fmt.Sprintf(`WITH r AS (SELECT review_id, comment_count FROM read_parquet('%s')),
		c AS (SELECT review_id, count(*) AS n FROM read_parquet('%s') GROUP BY review_id)
		SELECT count(*) FILTER (WHERE r.comment_count > 0),
			count(*) FILTER (WHERE r.review_id IS NOT NULL AND coalesce(c.n, 0) <> r.comment_count),
			count(*) FILTER (WHERE r.review_id IS NULL),
			coalesce(sum(c.n), 0)
		FROM r FULL JOIN c USING (review_id)`, glob, filepath.Join(out, "comments", "**", "*.parquet"))
	if err := db.QueryRow(q).Scan(&commented, &mismatched, &orphans, &comments); err != nil {
		t.Fatalf("comments join: %v", err)
	}
	if commented == 0 || mismatched != 0 || orphans != 0 {
		t.Errorf("comments join: %d reviews with comments (%d comments), %d whose comment rows differ from comment_count, %d comments without a review",
			commented, comments, mismatched, orphans)
	}
}

// TestSampleSiteExpected checks the bundled sample pages against the
// records examples/site/expected.json says they must produce.
func TestSampleSiteExpected(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "site", "expected.json"))
	if err != nil {
		t.Fatalf("reading expected.json: %v", err)
	}
	var expected map[string]struct {
		URL          string   `json:"url"`
		SiteName     string   `json:"site_name"`
		Title        string   `json:"title"`
		Authors      []string `json:"authors"`
		Published    string   `json:"published"`
		Language     string   `json:"language"`
		CommentCount int      `json:"comment_count"`
		StartsWith   string   `json:"body_starts_with"`
		EndsWith     string   `json:"body_ends_with"`
		MustNot      []string `json:"body_must_not_contain"`
	}
	if err := json.Unmarshal(data, &expected); err != nil {
		t.Fatalf("decoding expected.json: %v", err)
	}
	for rel, want := range expected {
		t.Run(rel, func(t *testing.T) {
			got := extractOne(t, filepath.Join("..", "..", "examples", "site", filepath.FromSlash(rel)))
			check := func(field, got, want string) {
				if testshared.NormSpace(got) != testshared.NormSpace(want) {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
			check("url", str(got["url"]), want.URL)
			check("site_name", str(got["site_name"]), want.SiteName)
			check("title", str(got["title"]), want.Title)
			check("language", str(got["language"]), want.Language)
			check("authors", fmt.Sprint(got["authors"]), fmt.Sprint(anySlice(want.Authors)))
			if fmt.Sprint(got["comment_count"]) != fmt.Sprint(want.CommentCount) {
				t.Errorf("comment_count = %v, want %d", got["comment_count"], want.CommentCount)
			}
			checkDate(t, str(got["published_at"]), want.Published)
			body := testshared.NormSpace(str(got["body"]))
			if !strings.HasPrefix(body, testshared.NormSpace(want.StartsWith)) {
				t.Errorf("body starts %q, want %q", body[:min(60, len(body))], want.StartsWith)
			}
			if !strings.HasSuffix(body, testshared.NormSpace(want.EndsWith)) {
				t.Errorf("body ends %q, want %q", body[max(0, len(body)-60):], want.EndsWith)
			}
			for _, s := range want.MustNot {
				if strings.Contains(body, testshared.NormSpace(s)) {
					t.Errorf("body contains boilerplate %q", s)
				}
			}
		})
	}
}

// TestSeedPagesEndToEnd runs `reviewpipe extract` on the seed pages and
// checks the record fields after transform, dates included.
func TestSeedPagesEndToEnd(t *testing.T) {
	fetched := time.Date(2024, 6, 13, 12, 0, 0, 0, time.UTC)
	for _, c := range testshared.SeedCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			// The seed pages say "3 years ago" relative to their capture;
			// give the file that mtime so relative dates resolve the same.
			page := filepath.Join(t.TempDir(), c.Name+".html")
			data, err := os.ReadFile(c.HTMLPath)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(page, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(page, fetched, fetched); err != nil {
				t.Fatal(err)
			}
			got := extractOne(t, page)
			want := c.Expected
			if str(got["canonical_url"]) != want.URL || str(got["url"]) != want.URL {
				t.Errorf("url = %q, canonical_url = %q, want %q", got["url"], got["canonical_url"], want.URL)
			}
			if str(got["site_name"]) != want.SiteName {
				t.Errorf("site_name = %q, want %q", got["site_name"], want.SiteName)
			}
			if str(got["title"]) != want.Title {
				t.Errorf("title = %q, want %q", got["title"], want.Title)
			}
			var wantAuthors []any
			if want.Author != nil {
				wantAuthors = []any{*want.Author}
			}
			if fmt.Sprint(got["authors"]) != fmt.Sprint(wantAuthors) && !(got["authors"] == nil && wantAuthors == nil) {
				t.Errorf("authors = %v, want %v", got["authors"], wantAuthors)
			}
			if str(got["language"]) != want.Language {
				t.Errorf("language = %q, want %q", got["language"], want.Language)
			}
			if fmt.Sprint(got["comment_count"]) != fmt.Sprint(want.CommentCount) {
				t.Errorf("comment_count = %v, want %d", got["comment_count"], want.CommentCount)
			}
			switch {
			case want.Published != nil:
				checkDate(t, str(got["published_at"]), *want.Published)
			case want.PublishedRelative != nil:
				// Only a relative date: it must resolve against the fetch time.
				wantAt, _, ok := dates.Parse(*want.PublishedRelative, fetched, time.UTC)
				if !ok {
					t.Fatalf("cannot resolve %q", *want.PublishedRelative)
				}
				checkDate(t, str(got["published_at"]), wantAt.Format(time.RFC3339))
			default:
				if got["published_at"] != nil {
					t.Errorf("published_at = %v, want null", got["published_at"])
				}
			}
			checkItem(t, got, want)
			checkRating(t, got, want)
			wc, _ := got["word_count"].(float64)
			if lo, hi := float64(want.BodyWordCount)*0.98, float64(want.BodyWordCountWithOptional)*1.02; wc < lo || wc > hi {
				t.Errorf("word_count = %v, want %d..%d", wc, want.BodyWordCount, want.BodyWordCountWithOptional)
			}
			body := str(got["body"])
			if strings.Contains(body, "\u00a0") || strings.Contains(body, "\n\n\n") {
				t.Errorf("body is not normalized")
			}
		})
	}
}

// checkDate compares an RFC 3339 timestamp with an expected ISO date or
// datetime at the precision the expectation gives: instants when it has an
// offset, the calendar day when it is a bare date.
func checkDate(t *testing.T, got, want string) {
	t.Helper()
	if want == "" {
		if got != "" {
			t.Errorf("published_at = %q, want null", got)
		}
		return
	}
	g, err := time.Parse(time.RFC3339Nano, got)
	if err != nil {
		t.Errorf("published_at = %q, want %s", got, want)
		return
	}
	if len(want) == len("2006-01-02") {
		if g.UTC().Format("2006-01-02") != want {
			t.Errorf("published_at = %s, want the day %s", got, want)
		}
		return
	}
	w, err := time.Parse(time.RFC3339Nano, want)
	if err != nil {
		t.Fatalf("bad expected date %q", want)
	}
	if !g.Equal(w) {
		t.Errorf("published_at = %s, want %s", got, want)
	}
}

func extractOne(t *testing.T, file string) map[string]any {
	t.Helper()
	code, stdout, stderr := runCLI(t, "extract", file)
	if code != exitOK {
		t.Fatalf("extract %s: exit %d\nstdout: %s\nstderr: %s", file, code, stdout, stderr)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("extract output is not one JSON object: %v\n%s", err, stdout)
	}
	return got
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func anySlice(s []string) []any {
	if s == nil {
		return nil
	}
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// TestRunRejectsBadPages feeds a folder with a good page and three broken
// ones: the run goes on, counts the rejects by reason, writes them to the
// rejects dataset and exits 3.
func TestRunRejectsBadPages(t *testing.T) {
	out := t.TempDir()
	abs, err := filepath.Abs(filepath.Join("testdata", "mixed"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, fmt.Sprintf(`
sources:
  - type: files
    paths: [%q]
sinks:
  - type: parquet
    path: %q
`, abs, filepath.Join(out, "reviews")))
	code, _, stderr := runCLI(t, "run", "-c", cfg)
	if code != exitRejects {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", code, exitRejects, stderr)
	}
	for _, want := range []string{"read=4", "extracted=1", "rejected=3", "written=1", "extract/empty=1", "extract/not_html=1", "extract/truncated=1"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("summary lacks %q:\n%s", want, stderr)
		}
	}
	db := openDuckDB(t)
	rows, err := db.Query(fmt.Sprintf(`SELECT regexp_extract(source, '[^/]+$'), stage, reason, detail FROM read_parquet('%s') ORDER BY 1`, filepath.Join(out, "rejects", "*.parquet")))
	if err != nil {
		t.Fatalf("reading rejects: %v", err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var file, stage, reason string
		var detail sql.NullString
		if err := rows.Scan(&file, &stage, &reason, &detail); err != nil {
			t.Fatal(err)
		}
		got = append(got, file+" "+stage+" "+reason)
		if reason != "empty" && !detail.Valid {
			t.Errorf("%s: reject has no detail", file)
		}
	}
	want := []string{"empty.html extract empty", "report.html extract not_html", "truncated.html extract truncated"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rejects:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestValidateReportsEveryProblem checks that validate lists three distinct
// mistakes with their lines and that run refuses the same file.
func TestValidateReportsEveryProblem(t *testing.T) {
	cfg := writeConfig(t, `sources:
  - type: files
    paths: [pages]
    base_ulr: https://example.org/
sinks:
  - type: parquet
    path: out/reviews
    compression: rar
pipeline:
  batch_size: 0
`)
	code, _, stderr := runCLI(t, "validate", "-c", cfg)
	if code != exitUsage {
		t.Errorf("validate exit code %d, want %d", code, exitUsage)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`pipeline\.yaml:4:5: sources\[0\]\.base_ulr: unknown key "base_ulr" \(did you mean "base_url"\?\)`),
		regexp.MustCompile(`pipeline\.yaml:8:18: sinks\[0\]\.compression: unknown codec "rar"`),
		regexp.MustCompile(`pipeline\.yaml:10:15: pipeline\.batch_size: must be at least 1`),
		regexp.MustCompile(`3 problem\(s\)`),
	} {
		if !want.MatchString(stderr) {
			t.Errorf("validate output lacks %s:\n%s", want, stderr)
		}
	}
	code, _, stderr = runCLI(t, "run", "-c", cfg)
	if code != exitUsage || !strings.Contains(stderr, "not starting") {
		t.Errorf("run on an invalid config: exit %d, stderr:\n%s", code, stderr)
	}
}

func TestValidateGood(t *testing.T) {
	code, stdout, stderr := runCLI(t, "validate", "-c", filepath.Join("..", "..", "pipeline.yaml"))
	if code != exitOK || !strings.Contains(stdout, "ok") {
		t.Errorf("validate pipeline.yaml: exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestSchemaListsEveryColumn(t *testing.T) {
	code, stdout, _ := runCLI(t, "schema")
	if code != exitOK {
		t.Fatalf("schema exit %d", code)
	}
	for _, col := range []string{"review_id", "url", "canonical_url", "site", "site_name", "title", "authors", "published_at", "fetched_at", "language", "body", "word_count", "rating_raw", "rating_value", "rating_best", "rating", "item_name", "item_type", "item_year", "comment_count", "content_hash", "extractor"} {
		if !regexp.MustCompile(`(?m)^  ` + col + ` `).MatchString(stdout) {
			t.Errorf("schema lacks column %s", col)
		}
	}
}

// TestExtractKeepsOrder checks that extract prints one line per file in
// the order given, rejects included, although it works in parallel.
func TestExtractKeepsOrder(t *testing.T) {
	files := []string{"truncated.html", "good.html", "empty.html", "good.html", "report.html"}
	args := []string{"extract", "--url", "https://fallback.example/page"}
	for _, f := range files {
		args = append(args, filepath.Join("testdata", "mixed", f))
	}
	code, stdout, stderr := runCLI(t, args...)
	if code != exitRejects {
		t.Errorf("exit %d, want %d (rejects); stderr: %s", code, exitRejects, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != len(files) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(files), stdout)
	}
	for i, line := range lines {
		var got map[string]any
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if src := str(got["source"]); !strings.HasSuffix(src, files[i]) {
			t.Errorf("line %d source = %q, want %s", i+1, src, files[i])
		}
		_, rejected := got["reject"]
		if rejected != (files[i] != "good.html") {
			t.Errorf("line %d (%s): rejected = %v", i+1, files[i], rejected)
		}
		if !rejected && str(got["url"]) != "https://northlight.example/reviews/the-long-quiet" {
			t.Errorf("canonical URL should win over --url: %q", got["url"])
		}
	}
}

// TestRunInterrupted checks that a cancelled run (SIGINT/SIGTERM cancel the
// root context) exits 130 and leaves no file a reader would pick up.
func TestRunInterrupted(t *testing.T) {
	out := t.TempDir()
	abs, err := filepath.Abs(filepath.Join("..", "..", "examples", "site"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, fmt.Sprintf("sources:\n  - type: files\n    paths: [%q]\nsinks:\n  - type: parquet\n    path: %q\n", abs, filepath.Join(out, "reviews")))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	if code := run(ctx, []string{"run", "-c", cfg}, &stdout, &stderr); code != exitInterrupted {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", code, exitInterrupted, stderr.String())
	}
	err = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			t.Errorf("interrupted run left %s", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestExtractMarkdownOption checks that body_markdown is null by default
// and filled when extract.markdown is on.
func TestExtractMarkdownOption(t *testing.T) {
	page := filepath.Join("testdata", "mixed", "good.html")
	if got := extractOne(t, page); got["body_markdown"] != nil {
		t.Errorf("body_markdown = %v by default, want null", got["body_markdown"])
	}
	cfg := writeConfig(t, "sources:\n  - type: files\n    paths: [x]\nsinks:\n  - type: parquet\n    path: out/reviews\nextract:\n  markdown: true\n")
	code, stdout, stderr := runCLI(t, "extract", "-c", cfg, page)
	if code != exitOK {
		t.Fatalf("extract: exit %d: %s", code, stderr)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	md := str(got["body_markdown"])
	if !strings.Contains(md, "There is a moment, about forty minutes into The Long Quiet") || !strings.Contains(md, "\n\n") {
		t.Errorf("body_markdown = %q", md)
	}
}

// checkItem compares item_name, item_type and item_year with the seed's
// item_reviewed.
func checkItem(t *testing.T, got map[string]any, want testshared.SeedExpected) {
	t.Helper()
	if want.ItemReviewed == nil {
		if got["item_name"] != nil {
			t.Errorf("item_name = %v, want null", got["item_name"])
		}
		return
	}
	if str(got["item_name"]) != want.ItemReviewed.Name || str(got["item_type"]) != want.ItemReviewed.Type {
		t.Errorf("item = %q (%q), want %q (%q)", got["item_name"], got["item_type"], want.ItemReviewed.Name, want.ItemReviewed.Type)
	}
	wantYear := "<nil>"
	if want.ItemReviewed.Year != nil {
		wantYear = fmt.Sprint(*want.ItemReviewed.Year)
	}
	if gotYear := fmt.Sprint(got["item_year"]); gotYear != wantYear {
		t.Errorf("item_year = %s, want %s", gotYear, wantYear)
	}
}

// checkRating compares the normalized rating with the seed's, and checks
// that rating_raw is what the page states. The raw form may differ from
// the seed's when the page states the same verdict twice (seed 000: "Letter
// Grade: A", later raised to "five stars"; both are 1.0).
func checkRating(t *testing.T, got map[string]any, want testshared.SeedExpected) {
	t.Helper()
	if want.Rating == nil {
		if got["rating"] != nil || got["rating_raw"] != nil {
			t.Errorf("rating = %v (%v), want null", got["rating"], got["rating_raw"])
		}
		return
	}
	n, ok := got["rating"].(float64)
	if !ok || math.Abs(n-want.Rating.Normalized) > 1e-9 {
		t.Errorf("rating = %v, want %v", got["rating"], want.Rating.Normalized)
	}
	if raw := str(got["rating_raw"]); raw == "" || !strings.Contains(str(got["body"]), raw) {
		t.Errorf("rating_raw = %q, want a form the body states (the seed has %q)", raw, want.Rating.Raw)
	}
	if got["rating_value"] == nil || got["rating_best"] == nil {
		t.Errorf("rating_value, rating_best = %v, %v, want both", got["rating_value"], got["rating_best"])
	}
}

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
		"description          STRING, null",
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
