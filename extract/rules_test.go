package extract

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

const rulePage = `<!DOCTYPE html><html lang="en"><head><title>Site chrome title</title>
<link rel="canonical" href="https://www.reviews.example/films/harbour">
<meta property="og:title" content="Wrong headline from OG"></head><body>
<header><nav><a href="/">Home</a></nav><div class="today">Monday, June 3, 2024</div></header>
<div class="layout">
 <div class="promo-text"><p>Subscribe to the Harbour Post for the best reviews, every day of the week, delivered straight to your inbox with no delay at all, and for free.</p></div>
 <div class="xq-main">
  <h2 class="xq-head">Harbour Lights, reviewed</h2>
  <span class="xq-who">Maria Lopez</span> <span class="xq-when" data-ts="2024-05-30">May 30, 2024</span>
  <div class="xq-score">7/10</div>
  <div class="xq-txt"><p>The film opens on a quiet dock at dawn, and for a long while nothing much happens, which is precisely the point of what follows.</p>
  <p>By the end, the harbour has become a character in its own right, and the lights of the title mean something different to every person on screen.</p>
  <div class="xq-inline-ad"><p>Sponsored: the best ferry deals of the season, only this week, while supplies last at all participating ports.</p></div></div>
 </div>
</div></body></html>`

func TestSiteRules(t *testing.T) {
	tests := []struct {
		name       string
		rule       SiteRule
		url        string
		wantTitle  string
		wantAuthor string
		wantDate   string
		wantRating string
		bodyHas    []string
		bodyLacks  []string
		fallbacks  string
	}{
		{
			name: "every selector, host matched via the canonical URL",
			rule: SiteRule{Hosts: []string{"reviews.example"}, Body: ".xq-txt", Remove: []string{".xq-inline-ad"},
				Title: ".xq-head", Author: ".xq-who", Published: ".xq-when", Rating: ".xq-score"},
			url:        "file:///tmp/harbour.html",
			wantTitle:  "Harbour Lights, reviewed",
			wantAuthor: "Maria Lopez",
			wantDate:   "May 30, 2024",
			wantRating: "7/10",
			bodyHas:    []string{"The film opens on a quiet dock", "lights of the title"},
			bodyLacks:  []string{"Sponsored", "Subscribe"},
		},
		{
			name:      "selectors that match nothing fall back and are reported",
			rule:      SiteRule{Hosts: []string{"*.reviews.example"}, Body: ".gone", Title: ".gone-too"},
			url:       "https://www.reviews.example/films/harbour",
			wantTitle: "Wrong headline from OG",
			bodyHas:   []string{"The film opens on a quiet dock"},
			fallbacks: "title,body",
		},
		{
			name:      "rule for another host does not apply",
			rule:      SiteRule{Hosts: []string{"other.example"}, Title: ".xq-head"},
			url:       "https://www.reviews.example/films/harbour",
			wantTitle: "Wrong headline from OG",
			bodyHas:   []string{"The film opens on a quiet dock"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Sites = []SiteRule{tt.rule}
			ex, err := New(cfg, nil)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			r, err := ex.Extract(context.Background(), &record.Page{URL: tt.url, Body: []byte(rulePage), FetchedAt: time.Now()})
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if got := record.Deref(r.Title); got != tt.wantTitle {
				t.Errorf("title = %q, want %q", got, tt.wantTitle)
			}
			if tt.wantAuthor != "" && strings.Join(r.Authors, "|") != tt.wantAuthor {
				t.Errorf("authors = %q, want %q", r.Authors, tt.wantAuthor)
			}
			if tt.wantDate != "" && record.Deref(r.PublishedRaw) != tt.wantDate {
				t.Errorf("published_raw = %q, want %q", record.Deref(r.PublishedRaw), tt.wantDate)
			}
			if tt.wantRating != "" {
				if record.Deref(r.RatingRaw) != tt.wantRating || r.RatingValue == nil || *r.RatingValue != 7 || r.RatingBest == nil || *r.RatingBest != 10 {
					t.Errorf("rating = %q %v %v, want %q 7 10", record.Deref(r.RatingRaw), r.RatingValue, r.RatingBest, tt.wantRating)
				}
			}
			for _, s := range tt.bodyHas {
				if !strings.Contains(r.Body, s) {
					t.Errorf("body lacks %q:\n%s", s, r.Body)
				}
			}
			for _, s := range tt.bodyLacks {
				if strings.Contains(r.Body, s) {
					t.Errorf("body has %q:\n%s", s, r.Body)
				}
			}
			if got := strings.Join(r.RuleFallbacks, ","); got != tt.fallbacks {
				t.Errorf("rule fallbacks = %q, want %q", got, tt.fallbacks)
			}
		})
	}
}

func TestSiteRulesValidate(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Sites = []SiteRule{{Body: "div[", Hosts: nil}, {Hosts: []string{"http://x.example/"}, Title: "h1"}, {Hosts: []string{"y.example"}}}
	err := cfg.Validate()
	if err == nil {
		t.Fatal("want errors")
	}
	for _, want := range []string{"sites[0].hosts", "sites[0].body: invalid CSS selector", "sites[1].hosts[0]", "sites[2]: sets no selector"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("errors lack %q:\n%v", want, err)
		}
	}
}

func TestDeadline(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Deadline = 1 // one nanosecond: no page can make it
	ex, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	page := []byte("<html><body><article>" + strings.Repeat("<p>Long enough text to parse, with commas, and more words.</p>", 5000) + "</article></body></html>")
	_, err = ex.Extract(context.Background(), &record.Page{URL: "https://x.example/", Body: page, FetchedAt: time.Now()})
	re, ok := record.AsReject(err)
	if !ok || re.Reason != record.ReasonTimeout {
		t.Errorf("Extract past its deadline: %v, want a timeout reject", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ex.Extract(ctx, &record.Page{URL: "https://x.example/", Body: page}); err != context.Canceled {
		t.Errorf("Extract with a cancelled context: %v, want context.Canceled", err)
	}
}
