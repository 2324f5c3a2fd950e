package extract

import (
	"context"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/reviewpipe/reviewpipe/internal/confval"
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
		"<meta charset=\"iso-8859-1\"><p>caf\xe9 " + prose + "</p>",
		"\xff\xfe<\x00p\x00>\x00x\x00<\x00/\x00p\x00>\x00",
		"<p>Mit&shy;tel&shy;al&shy;ter " + prose + "</p><svg><script>s()</script></svg><noscript><script>n()</script></noscript>",
	}
	for _, s := range seeds {
		f.Add([]byte(s), "")
	}
	f.Add([]byte("<p>x</p>"), "text/html; charset=utf-8")
	f.Add([]byte("<p>x</p>"), "image/png")
	// A fuzz input is small, so any page that reaches the deadline is a
	// hang; the deadline turns it into a reject the test can see.
	cfg := DefaultConfig()
	cfg.Deadline = confval.Duration(5 * time.Second)
	ex, err := New(cfg, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, contentType string) {
		r, err := ex.Extract(context.Background(), &record.Page{URL: "https://example.com/a", Body: data, ContentType: contentType})
		if re, ok := record.AsReject(err); ok && (re.Reason == record.ReasonTimeout || re.Reason == record.ReasonPanic) {
			t.Fatalf("Extract: %v", err)
		}
		if err == nil && r == nil {
			t.Fatal("Extract returned neither a review nor an error")
		}
		if err != nil {
			return
		}
		if r.Body == "" {
			t.Fatal("Extract accepted a page with an empty body")
		}
		for name, s := range map[string]string{"body": r.Body, "title": record.Deref(r.Title), "site_name": record.Deref(r.SiteName)} {
			if !utf8.ValidString(s) {
				t.Fatalf("%s is not valid UTF-8: %q", name, s)
			}
		}
	})
}
