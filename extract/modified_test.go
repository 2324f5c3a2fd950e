package extract

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestModified reads the date a page says it was last changed.
func TestModified(t *testing.T) {
	tests := []struct{ name, head, body, want string }{
		{"json-ld dateModified", `<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-01-02","dateModified":"2024-03-04T10:00:00Z"}</script>`, "", "2024-03-04T10:00:00Z"},
		{"meta tag", `<meta property="article:modified_time" content="2023-05-06T07:08:09+02:00">`, "", "2023-05-06T07:08:09+02:00"},
		{"og:updated_time", `<meta property="og:updated_time" content="2022-02-02">`, "", "2022-02-02"},
		{"microdata", "", `<article itemscope itemtype="https://schema.org/Article"><h1>T</h1><meta itemprop="dateModified" content="2021-07-08"></article>`, "2021-07-08"},
		{"none", `<meta property="article:published_time" content="2024-01-02">`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := `<html><head><title>T</title>` + tt.head + `</head><body>` + tt.body + `<p>Text.</p></body></html>`
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
			if err != nil {
				t.Fatal(err)
			}
			if got := extractMeta(doc, "https://example.org/x").Modified; got != tt.want {
				t.Errorf("modified = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCuedDatePrefersPublication: a page that states when it was last
// changed before it states when it was published is published on the
// latter; a revision date stands in only when no publication date is
// stated.
func TestCuedDatePrefersPublication(t *testing.T) {
	para := strings.Repeat("Ein langer Absatz über die Ausstellung und ihre Bilder, ohne jedes Datum. ", 5)
	for _, tt := range []struct{ footer, want string }{
		{"Letzte Änderung: 31.10.2023 - 14:49:39 Erschienen am: 01.11.2023 Lesungen: 61", "01.11.2023"},
		{"Diese Seite wurde zuletzt am 29. Januar 2020 um 13:22 Uhr geändert.", "29. Januar 2020"},
	} {
		page := `<html><body><div class="content"><h1>Die Ausstellung</h1><p>` + para + `</p><p>` + para + `</p></div><div class="info">` + tt.footer + `</div></body></html>`
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		if got := extractMeta(doc, "https://example.org/ausstellung").Published; got != tt.want {
			t.Errorf("published %q, want %q (footer %q)", got, tt.want, tt.footer)
		}
	}
}

// TestScriptStateDate: a page that renders its date with scripts gives it
// in the state it ships them, read only when the page states no other.
func TestScriptStateDate(t *testing.T) {
	state := `<script id="__NEXT_DATA__" type="application/json">{"props":{"review":{"publishedDate":"2016-11-04T20:37:27Z","updatedDate":"2016-11-05T20:39:47Z"}}}</script>`
	for _, tt := range []struct{ name, head, want string }{
		{"only the script state", state, "2016-11-04T20:37:27Z"},
		{"a meta date wins", `<meta property="article:published_time" content="2016-11-03">` + state, "2016-11-03"},
		{"not a date", `<script>var x = {"publishedDate":"yesterday at noon"};</script>`, ""},
	} {
		page := `<html><head>` + tt.head + `</head><body><h1>Great service</h1><p>` + strings.Repeat("The box arrived on time and everything was fresh. ", 6) + `</p></body></html>`
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		if got := extractMeta(doc, "https://reviews.example/r/581cf1892ae760087cadbf17").Published; got != tt.want {
			t.Errorf("%s: published %q, want %q", tt.name, got, tt.want)
		}
	}
}
