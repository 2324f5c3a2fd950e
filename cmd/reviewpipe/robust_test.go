package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// reviewHTML is a small review page whose body passes every default
// check; canonical may be "".
func reviewHTML(title, canonical string, n int) string {
	link := ""
	if canonical != "" {
		link = fmt.Sprintf(`<link rel="canonical" href="%s">`, canonical)
	}
	return fmt.Sprintf(`<!DOCTYPE html><html lang="en"><head><title>%s</title>%s</head><body><article><h1>%s</h1>`+
		`<p>Review number %d. %s</p></article></body></html>`, title, link, title, n,
		strings.Repeat("The film is patient and warm, and its lead carries every scene with ease. ", 8))
}

// readCount runs a count query over a dataset glob with DuckDB.
func readCount(t *testing.T, query string) int {
	t.Helper()
	var n int
	if err := openDuckDB(t).QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestRunCrawlLongURLsAndHosts crawls a site whose pages link to a 40 KB
// URL, to a 253-byte host name and to an IDN host with long labels, and
// whose reviews declare canonical URLs on such hosts, into a dataset
// partitioned by site: the run completes and publishes every review, and
// the long URL is in the fetch log with its reason.
func TestRunCrawlLongURLsAndHosts(t *testing.T) {
	longHost := strings.Repeat("a", 63) + "." + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 61)
	idnHost := strings.Repeat("ü", 40) + "." + strings.Repeat("ñ", 40) + ".example"
	longPath := "/pages/" + strings.Repeat("x", 40<<10)
	canonicals := []string{"", "https://" + longHost + "/review/1", "https://" + idnHost + "/review/2", "https://example.org/review/3"}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		for i := range canonicals {
			fmt.Fprintf(&b, `<a href="/pages/%d">%d</a> `, i, i)
		}
		fmt.Fprintf(&b, `<a href="%s">long</a> <a href="https://%s/x">long host</a> <a href="https://%s/y">idn</a>`, longPath, longHost, idnHost)
		fmt.Fprintf(w, `<html><body>%s</body></html>`, b.String())
	})
	mux.HandleFunc("/pages/", func(w http.ResponseWriter, r *http.Request) {
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/pages/%d", &i); err != nil || i >= len(canonicals) {
			t.Errorf("requested %.80s…", r.URL.Path)
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, reviewHTML(fmt.Sprintf("Review %d", i), canonicals[i], i))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	out := t.TempDir()
	cfg := writeConfig(t, fmt.Sprintf(`
sources:
  - type: crawl
    seeds: [%q]
    review_pages: ['/pages/']
    allow_private_networks: true
    politeness: {delay: 0s, jitter: 0s, contact: https://example.org/crawler}
sinks:
  - type: parquet
    path: %q
    partition_by: [site, published_year]
`, srv.URL+"/", filepath.Join(out, "reviews")))
	if code, _, stderr := runCLI(t, "run", "-c", cfg); code != exitOK {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "_SUCCESS")); err != nil {
		t.Fatalf("not published: %v", err)
	}
	reviews := filepath.Join(out, "reviews", "**", "*.parquet")
	if n := readCount(t, fmt.Sprintf(`SELECT count(*) FROM read_parquet('%s')`, reviews)); n != len(canonicals) {
		t.Errorf("%d reviews, want %d", n, len(canonicals))
	}
	// Ordinary values still filter through the Hive keys.
	q := fmt.Sprintf(`SELECT count(*) FROM read_parquet('%s', hive_partitioning = true) WHERE site = 'example.org'`, reviews)
	if n := readCount(t, q); n != 1 {
		t.Errorf("site = 'example.org' through the partition key: %d rows, want 1", n)
	}
	q = fmt.Sprintf(`SELECT count(*) FROM read_parquet('%s') WHERE outcome = 'skipped' AND length(url) > 40000 AND error LIKE '%%max_url_bytes%%'`,
		filepath.Join(out, "pages", "*.parquet"))
	if n := readCount(t, q); n != 1 {
		t.Errorf("fetch log: %d skipped rows for the 40 KB URL, want 1", n)
	}
}

// TestRunExitCodeNoInput: a files source whose glob matches nothing and a
// crawl whose every seed is blocked both exit 4 and publish nothing; a
// site that answers with no review pages is a success.
func TestRunExitCodeNoInput(t *testing.T) {
	empty := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><p>Nothing reviewed yet.</p></body></html>`)
	}))
	defer empty.Close()
	tests := []struct {
		name   string
		source string
		want   int
	}{
		{"glob matches nothing", `{type: files, paths: [%[1]s/nowhere/**/*.html]}`, exitNoInput},
		{"every seed blocked", `{type: crawl, seeds: ["http://127.0.0.1:9/", "http://169.254.169.254/latest"], politeness: {contact: https://example.org/c}}`, exitNoInput},
		{"every seed fails", `{type: crawl, seeds: ["http://127.0.0.1:9/"], allow_private_networks: true, max_attempts: 1, politeness: {contact: https://example.org/c}}`, exitNoInput},
		{"empty site", `{type: crawl, seeds: ["` + empty.URL + `/"], review_pages: ['/reviews/'], allow_private_networks: true, politeness: {delay: 0s, contact: https://example.org/c}}`, exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			// A published run before: _SUCCESS must still name it after.
			before := []byte(`{"run_id":"earlier"}` + "\n")
			if err := os.WriteFile(filepath.Join(out, "_SUCCESS"), before, 0o644); err != nil {
				t.Fatal(err)
			}
			cfg := writeConfig(t, fmt.Sprintf("sources:\n  - "+tt.source+"\nsinks:\n  - {type: parquet, path: %[1]s/reviews}\n", out))
			code, _, stderr := runCLI(t, "run", "-c", cfg)
			if code != tt.want {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, tt.want, stderr)
			}
			got, _ := os.ReadFile(filepath.Join(out, "_SUCCESS"))
			if touched := string(got) != string(before); touched != (tt.want == exitOK) {
				t.Errorf("_SUCCESS rewritten: %v, want %v (now %q)", touched, tt.want == exitOK, got)
			}
			if tt.want == exitNoInput && !strings.Contains(stderr, "no input") {
				t.Errorf("stderr does not say why:\n%s", stderr)
			}
		})
	}
}
