package transform

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

func TestNormalizeBody(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"nbsp and runs", "A\u00a0 film\t\tabout\nlove.", "A film about love."},
		{"paragraphs", "\n\nOne.\n\n\n\nTwo  words.\n\n", "One.\n\nTwo words."},
		{"zero width", "Sam\u200bantha\u00ad and the\ufeff OS", "Samantha and the OS"},
		{"nfc", "Cafe\u0301", "Caf\u00e9"},
		{"crlf", "One.\r\n\r\nTwo.", "One.\n\nTwo."},
		{"ideographic space", "a\u3000b\u2009c", "a b c"},
		{"blank only", " \u00a0\n\n\u200b ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeBody(tt.in); got != tt.want {
				t.Errorf("NormalizeBody(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLanguageCode(t *testing.T) {
	for in, want := range map[string]string{"en": "en", "en-US": "en", "EN_gb": "en", "de-DE": "de", "eng": "", "x-default": "", "": "", "1a": ""} {
		if got := LanguageCode(in); got != want {
			t.Errorf("LanguageCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStandard(t *testing.T) {
	chain, err := Standard(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	fetched := time.Date(2024, 6, 13, 12, 0, 0, 0, time.UTC)
	r := &record.Review{
		URL:              "https://example.org/reviews/her",
		CanonicalURL:     record.Str("https://example.org/reviews/her"),
		Title:            record.Str("  Her\u00a0Review "),
		Authors:          []string{" Jamie  Lammers", "jamie lammers", ""},
		PublishedRaw:     record.Str("Published 3 years ago"),
		FetchedAt:        fetched,
		Body:             "One two\u00a0three.\n\nFour.",
		DeclaredLanguage: "en-US",
	}
	if err := chain.Apply(context.Background(), r); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if got := record.Deref(r.Title); got != "Her Review" {
		t.Errorf("title = %q", got)
	}
	if strings.Join(r.Authors, "|") != "Jamie Lammers" {
		t.Errorf("authors = %q, want one deduplicated name", r.Authors)
	}
	if r.WordCount != 4 {
		t.Errorf("word_count = %d, want 4", r.WordCount)
	}
	if r.PublishedAt == nil || !r.PublishedAt.Equal(fetched.AddDate(-3, 0, 0)) {
		t.Errorf("published_at = %v", r.PublishedAt)
	}
	if got := record.Deref(r.PublishedPrecision); got != "relative" {
		t.Errorf("published_precision = %q", got)
	}
	if got := record.Deref(r.Language); got != "en" {
		t.Errorf("language = %q", got)
	}
	if r.ReviewID != ReviewID("https://example.org/reviews/her") || len(r.ReviewID) != 32 {
		t.Errorf("review_id = %q", r.ReviewID)
	}
	if r.ContentHash != ContentHash("One two three.\n\nFour.") {
		t.Errorf("content_hash not taken from the normalized body")
	}
	if got := record.Deref(r.Site); got != "example.org" {
		t.Errorf("site = %q", got)
	}

	empty := &record.Review{URL: "https://example.org/x", Body: "\u200b \n\n"}
	if _, ok := record.AsReject(chain.Apply(context.Background(), empty)); !ok {
		t.Errorf("empty body: want a reject")
	}
}

func TestNormalizeRating(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name               string
		value, best, worst *float64
		want               *float64
		dropped            bool // the numeric fields are nulled as impossible
	}{
		{"four of five", f(4), f(5), nil, f(0.8), false},
		{"stars with worst 1", f(4), f(5), f(1), f(0.75), false}, // (4 − 1) / (5 − 1), the corpus convention
		{"signed scale", f(0), f(5), f(-5), f(0.5), false},
		{"ten point", f(8.5), f(10), f(0), f(0.85), false},
		{"top", f(5), f(5), nil, f(1), false},
		{"no best", f(4), nil, nil, nil, false},
		{"above best", f(7), f(5), nil, nil, true},
		{"below worst", f(0), f(5), f(1), nil, true},
		{"degenerate scale", f(1), f(1), f(1), nil, true},
		{"zero scale", f(1e300), f(0), nil, nil, true},
		{"downward scale (school grades)", f(1.7), f(1), f(6), f(0.86), false},
		{"empty scale", f(3), f(5), f(5), nil, true},
		{"value outside a downward scale", f(7), f(1), f(6), nil, true},
		{"NaN value", f(math.NaN()), f(5), nil, nil, true},
		{"infinite value", f(math.Inf(1)), f(5), nil, nil, true},
		{"infinite best", f(4), f(math.Inf(1)), nil, nil, true},
		{"NaN worst", f(4), f(5), f(math.NaN()), nil, true},
		{"minus infinity without a scale", f(math.Inf(-1)), nil, nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &record.Review{RatingValue: tt.value, RatingBest: tt.best, RatingWorst: tt.worst, Rating: f(0.5)}
			if err := normalizeRating(context.Background(), r); err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.want == nil && r.Rating != nil:
				t.Errorf("rating = %v, want null", *r.Rating)
			case tt.want != nil && (r.Rating == nil || math.Abs(*r.Rating-*tt.want) > 1e-9):
				t.Errorf("rating = %v, want %v", r.Rating, *tt.want)
			}
			nulled := r.RatingValue == nil && r.RatingBest == nil && r.RatingWorst == nil
			if nulled != tt.dropped || tt.dropped != (len(r.Notes) == 1) {
				t.Errorf("value, best, worst = %v, %v, %v, notes %q; want them dropped: %v", r.RatingValue, r.RatingBest, r.RatingWorst, r.Notes, tt.dropped)
			}
		})
	}
}

// TestNormalizeUserRating: the users' rating is normalized and checked
// like the reviewer's, and an impossible one takes its count with it.
func TestNormalizeUserRating(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	n := int64(40)
	r := &record.Review{UserRatingValue: f(4.5), UserRatingBest: f(5), UserRatingCount: &n}
	normalizeRating(context.Background(), r)
	if r.UserRating == nil || *r.UserRating != 0.9 || r.UserRatingCount == nil {
		t.Errorf("user rating %v (count %v), want 0.9 (40)", r.UserRating, r.UserRatingCount)
	}
	r = &record.Review{UserRatingValue: f(97.7), UserRatingBest: f(5), UserRatingCount: &n}
	normalizeRating(context.Background(), r)
	if r.UserRating != nil || r.UserRatingCount != nil || len(r.Notes) != 1 {
		t.Errorf("out of scale: user rating %v, count %v, notes %q; want none, none, one note", r.UserRating, r.UserRatingCount, r.Notes)
	}
}

func TestNormalizeMarkdown(t *testing.T) {
	in := "## Title\u00a0here  \r\n\r\n\r\n- one\n  - nested\u200b\n\n```\ncode  x\n```\n\n"
	want := "## Title here\n\n- one\n  - nested\n\n```\ncode  x\n```"
	if got := NormalizeMarkdown(in); got != want {
		t.Errorf("NormalizeMarkdown = %q, want %q", got, want)
	}
}

func TestRequiredFields(t *testing.T) {
	base := func() *record.Review {
		return &record.Review{URL: "https://example.com/r", FetchedAt: time.Date(2024, 6, 13, 12, 0, 0, 0, time.UTC),
			Body: "A body of a few words, enough of them.", Title: record.Str("Her Review")}
	}
	tests := []struct {
		required []string
		edit     func(*record.Review)
		wantErr  string
	}{
		{nil, nil, ""},
		{[]string{"title"}, nil, ""},
		{[]string{"title", "authors", "published_at"}, nil, "missing required authors, published_at"},
		{[]string{"authors"}, func(r *record.Review) { r.Authors = []string{"Jamie Lammers"} }, ""},
		{[]string{"rating"}, func(r *record.Review) { r.RatingValue, r.RatingBest = ptr(4.0), ptr(5.0) }, ""},
		{[]string{"item_name"}, nil, "missing required item_name"},
	}
	for _, tt := range tests {
		cfg := DefaultConfig()
		cfg.Required = tt.required
		chain, err := Standard(cfg)
		if err != nil {
			t.Fatalf("Standard(%v): %v", tt.required, err)
		}
		r := base()
		if tt.edit != nil {
			tt.edit(r)
		}
		err = chain.Apply(context.Background(), r)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("required %v: %v, want no reject", tt.required, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("required %v: %v, want a reject saying %q", tt.required, err, tt.wantErr)
		}
		if re, ok := record.AsReject(err); tt.wantErr != "" && ok && re.Reason != record.ReasonInvalid {
			t.Errorf("required %v: reason %s, want invalid", tt.required, re.Reason)
		}
	}
	cfg := DefaultConfig()
	cfg.Required = []string{"title", "body_text", "rating"}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), `required[1]: unknown column "body_text"`) {
		t.Errorf("Validate with an unknown required column: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }
