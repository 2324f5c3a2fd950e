package extract

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// TestFieldSources checks that the record names the kind of source each
// field's winner came from, one page per source.
func TestFieldSources(t *testing.T) {
	para := strings.Repeat("<p>The film follows a lonely writer who falls for an operating system, and the film is tender, funny and sad by turns; the performances carry it.</p>", 4)
	ld := func(json string) string { return `<script type="application/ld+json">` + json + `</script>` }
	tests := []struct {
		name, url, head, body string
		rules                 []SiteRule
		want                  map[string]string
	}{
		{
			name: "structured data",
			url:  "https://films.example/reviews/her",
			head: `<title>Her review | Films</title>` + ld(`{"@type":"Review","headline":"Her review","datePublished":"2014-01-10","dateModified":"2014-02-01",
				"author":{"@type":"Person","name":"Ann Critic"},"publisher":{"@type":"Organization","name":"Films"},
				"itemReviewed":{"@type":"Movie","name":"Her","dateCreated":"2013"},"reviewRating":{"ratingValue":"4","bestRating":"5"}}`),
			body: `<article><h1>Her review</h1>` + para + `</article>`,
			want: map[string]string{"title": SourceJSONLD, "site_name": SourceJSONLD, "authors": SourceJSONLD, "published": SourceJSONLD,
				"modified": SourceJSONLD, "rating": SourceJSONLD, "item_name": SourceJSONLD, "item_type": SourceJSONLD, "item_year": SourceJSONLD},
		},
		{
			name: "meta tags and visible markup",
			url:  "https://films.example/her-review",
			head: `<title>Her review</title><meta property="og:title" content="Her review"><meta property="og:site_name" content="Films">
				<meta property="article:published_time" content="2014-01-10T08:00:00Z">`,
			body: `<article><h1>Her review</h1><p class="byline">By <a rel="author" href="/authors/ann">Ann Critic</a></p>
				<div class="rating" data-rating="4" aria-label="Rating: 4 out of 5 stars">★★★★☆</div>` + para + `</article>`,
			want: map[string]string{"title": SourceMeta, "site_name": SourceMeta, "authors": SourceMarkup, "published": SourceMeta,
				"rating": SourceMarkup, "item_name": SourceHeadline, "item_type": SourceText},
		},
		{
			name: "text and address",
			url:  "https://blog.example/2014/01/10/her-review/",
			head: `<title>Her review</title>`,
			body: `<article><h1>Her review</h1>` + para + `<p>Rating: 8/10</p></article>`,
			want: map[string]string{"title": SourceMeta, "published": SourceURL, "rating": SourceText, "item_name": SourceHeadline, "item_type": SourceText},
		},
		{
			name:  "site rule",
			url:   "https://films.example/her-review",
			head:  `<title>Her review</title><meta property="article:published_time" content="2014-01-10">`,
			body:  `<article><h1>Her review</h1><span class="who">Ann Critic</span><span class="score">3/5</span>` + para + `</article>`,
			rules: []SiteRule{{Hosts: []string{"films.example"}, Title: "h1", Author: ".who", Rating: ".score"}},
			want: map[string]string{"title": SourceRule, "authors": SourceRule, "published": SourceMeta, "rating": SourceRule,
				"item_name": SourceHeadline, "item_type": SourceText},
		},
		{
			name: "a roundup keeps no rating or item source",
			url:  "https://films.example/best-films-2014",
			head: `<title>The 10 best films of 2014</title>` + ld(`{"@type":"ItemList","numberOfItems":10}`),
			body: `<article><h1>The 10 best films of 2014</h1>` + para + `<p>Rating: 8/10</p></article>`,
			want: map[string]string{"title": SourceMeta},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Sites = tt.rules
			ex, err := New(cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			page := `<html><head>` + tt.head + `</head><body>` + tt.body + `</body></html>`
			r, err := ex.Extract(context.Background(), &record.Page{URL: tt.url, Body: []byte(page), FetchedAt: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, s := range r.FieldSources {
				got[s.Field] = s.Source
			}
			for field, want := range tt.want {
				if got[field] != want {
					t.Errorf("%s from %q, want %q (all: %v)", field, got[field], want, got)
				}
			}
			for field := range got {
				if _, ok := tt.want[field]; !ok {
					t.Errorf("unexpected source for %s: %q", field, got[field])
				}
			}
		})
	}
}
