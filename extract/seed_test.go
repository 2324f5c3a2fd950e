package extract

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// TestSeedPages checks the extractor against the hand-built reconstructions
// of the five seed pages. The URL passed in is a file:// URL, so everything
// the test checks must come from the page itself.
func TestSeedPages(t *testing.T) {
	ex, err := New(DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range testshared.SeedCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			data, err := os.ReadFile(c.HTMLPath)
			if err != nil {
				t.Fatalf("reading page: %v", err)
			}
			p := &record.Page{URL: "file://" + c.HTMLPath, Source: c.HTMLPath, FetchedAt: time.Date(2024, 6, 13, 12, 0, 0, 0, time.UTC), Body: data}
			r, err := ex.Extract(context.Background(), p)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			want := c.Expected
			body := testshared.NormSpace(r.Body)
			if got := testshared.NormSpace(want.BodyStartsWith); !strings.HasPrefix(body, got) {
				t.Errorf("body starts with %q, want %q", prefix(body, 80), got)
			}
			if got := testshared.NormSpace(want.BodyEndsWith); !strings.HasSuffix(body, got) {
				t.Errorf("body ends with %q, want %q", suffix(body, 80), got)
			}
			for _, s := range want.BodyMustContain {
				if !strings.Contains(body, testshared.NormSpace(s)) {
					t.Errorf("body lacks %q", s)
				}
			}
			for _, s := range want.BodyMustNotContain {
				if strings.Contains(body, testshared.NormSpace(s)) {
					t.Errorf("body contains boilerplate %q", s)
				}
			}
			if n, lo, hi := len(strings.Fields(r.Body)), want.BodyWordCount, want.BodyWordCountWithOptional; n < lo*98/100 || n > hi*102/100 {
				t.Errorf("word count %d, want %d..%d", n, lo, hi)
			}
			if !strings.Contains(r.Body, "\n\n") {
				t.Errorf("body has no paragraph breaks")
			}
			if got := record.Deref(r.CanonicalURL); got != want.URL {
				t.Errorf("canonical_url = %q, want %q", got, want.URL)
			}
			if r.URL != want.URL {
				t.Errorf("url = %q, want %q", r.URL, want.URL)
			}
			if got := record.Deref(r.SiteName); got != want.SiteName {
				t.Errorf("site_name = %q, want %q", got, want.SiteName)
			}
			if got := testshared.NormSpace(record.Deref(r.Title)); got != want.Title {
				t.Errorf("title = %q, want %q", got, want.Title)
			}
			var wantAuthors []string
			if want.Author != nil {
				wantAuthors = []string{*want.Author}
			}
			if strings.Join(r.Authors, "|") != strings.Join(wantAuthors, "|") {
				t.Errorf("authors = %q, want %q", r.Authors, wantAuthors)
			}
			if want.Published == nil && want.PublishedRelative == nil && r.PublishedRaw != nil {
				t.Errorf("published_raw = %q, want none", *r.PublishedRaw)
			}
			if (want.Published != nil || want.PublishedRelative != nil) && r.PublishedRaw == nil {
				t.Errorf("published_raw missing, want %v", want.Published)
			}
			if int(r.CommentCount) != want.CommentCount {
				t.Errorf("comment_count = %d, want %d", r.CommentCount, want.CommentCount)
			}
			if !strings.HasPrefix(r.DeclaredLanguage, want.Language) {
				t.Errorf("declared language = %q, want %q", r.DeclaredLanguage, want.Language)
			}
		})
	}
}

func prefix(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func suffix(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
