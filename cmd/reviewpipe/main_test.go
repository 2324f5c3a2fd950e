package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
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
