package testshared

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// SeedCase is one page of fixtures/seed-pages with its expected record.
type SeedCase struct {
	Name     string
	HTMLPath string
	Expected SeedExpected
}

// SeedExpected mirrors NNN.expected.json.
type SeedExpected struct {
	URL               string  `json:"url"`
	SiteName          string  `json:"site_name"`
	Title             string  `json:"title"`
	Author            *string `json:"author"`
	Published         *string `json:"published"`
	PublishedRelative *string `json:"published_relative"`
	Language          string  `json:"language"`
	ItemReviewed      *struct {
		Name string `json:"name"`
		Year *int   `json:"year"`
		Type string `json:"type"`
	} `json:"item_reviewed"`
	Rating *struct {
		Raw        string  `json:"raw"`
		Normalized float64 `json:"normalized"`
	} `json:"rating"`
	CommentCount              int      `json:"comment_count"`
	BodyStartsWith            string   `json:"body_starts_with"`
	BodyEndsWith              string   `json:"body_ends_with"`
	BodyMustContain           []string `json:"body_must_contain"`
	BodyMustNotContain        []string `json:"body_must_not_contain"`
	BodyMayContain            []string `json:"body_may_contain"`
	BodyWordCount             int      `json:"body_word_count"`
	BodyWordCountWithOptional int      `json:"body_word_count_with_optional"`
	BodyText                  string   `json:"body_text"`
}

// SeedCases loads every fixtures/seed-pages case.
func SeedCases(tb testing.TB) []SeedCase {
	tb.Helper()
	dir := Path(tb, "fixtures", "seed-pages")
	files, err := filepath.Glob(filepath.Join(dir, "*.expected.json"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no seed cases in %s: %v", dir, err)
	}
	sort.Strings(files)
	var cases []SeedCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatalf("reading %s: %v", f, err)
		}
		var c SeedCase
		if err := json.Unmarshal(data, &c.Expected); err != nil {
			tb.Fatalf("decoding %s: %v", f, err)
		}
		c.Name = strings.TrimSuffix(filepath.Base(f), ".expected.json")
		c.HTMLPath = filepath.Join(dir, c.Name+".html")
		cases = append(cases, c)
	}
	return cases
}

// NormSpace splits s on Unicode whitespace (NBSP included) and joins the
// fields with one space, the comparison the fixtures prescribe.
func NormSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
