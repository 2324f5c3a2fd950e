package extract

import (
	"context"
	"testing"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// FuzzExtract feeds arbitrary bytes through the whole extractor: whatever the
// input, Extract must return a review or an error, never panic.
func FuzzExtract(f *testing.F) {
	seeds := []string{
		"",
		"<p>x</p>",
		"<html><body><article><h1>T</h1><p>" + prose + "</p><p>" + prose + "</p></article></body></html>",
		"<html><body><div class=\"entry-content\"><p>Text, text, text.</p><div class=\"sharedaddy\">Share this:</div></div><ol class=\"comment-list\"><li class=\"comment\"><p>Hi</p><ol class=\"children\"><li class=\"comment\"><p>Yo</p></li></ol></li></ol></body></html>",
		"<html><body><p>Text</p><div cla",
		"<p>x</p><!-- open comment",
		"<p>x</p><script>var a = '<div>';",
		"<?xml version=\"1.0\"?><rss><channel></channel></rss>",
		"%PDF-1.4",
		"{\"a\": 1}",
		"<script type=\"application/ld+json\">{\"articleBody\": \"" + prose + prose + prose + prose + "\"}</script><p>t</p>",
		"<table><tr><td>" + prose + "<br><br>" + prose + "</td></tr></table>",
		"<div hidden><p>" + prose + "</p></div><form><p>" + prose + "</p></form>",
		"<p>a < b</p><!-- x --!><p>c</p>",
	}
	for _, s := range seeds {
		f.Add([]byte(s), "")
	}
	f.Add([]byte("<p>x</p>"), "text/html; charset=utf-8")
	f.Add([]byte("<p>x</p>"), "image/png")
	ex, err := New(DefaultConfig(), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, contentType string) {
		r, err := ex.Extract(context.Background(), &record.Page{URL: "https://example.com/a", Body: data, ContentType: contentType})
		if err == nil && r == nil {
			t.Fatal("Extract returned neither a review nor an error")
		}
		if err == nil && r.Body == "" {
			t.Fatal("Extract accepted a page with an empty body")
		}
	})
}
