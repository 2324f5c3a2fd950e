package extract

import (
	"strings"
	"testing"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

func TestCheckHTML(t *testing.T) {
	page := "<!DOCTYPE html><html><head><title>T</title></head><body><p>Hello, world.</p></body></html>"
	tests := []struct {
		name        string
		body        string
		contentType string
		want        record.Reason // "" means accepted
		detail      string        // substring of the reject detail
	}{
		{name: "valid page", body: page},
		{name: "no closing html or body", body: "<html><body><p>Fine without end tags."},
		{name: "fragment", body: "<p>Just a paragraph</p>"},
		{name: "bom and whitespace", body: "\xef\xbb\xbf\n  " + page + "\n\n"},
		{name: "xhtml with xml declaration", body: `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><body><p>x</p></body></html>`},
		{name: "less-than in text", body: "<p>a < b and c <= d</p>"},
		{name: "bang comment end", body: "<p>x</p><!-- ad --!><p>y</p>"},
		{name: "empty comment", body: "<p>x</p><!--><p>y</p>"},
		{name: "quoted gt in attribute", body: `<p title="a > b">x</p>`},
		{name: "script with markup inside", body: "<script>document.write('<div>')</script><p>x</p>"},
		{name: "upper-case raw text elements", body: "<TITLE>T</Title><SCRIPT>var a = '<p>';</ScRiPt><P>x</P>"},
		{name: "html content type with charset", body: page, contentType: "text/html; charset=utf-8"},
		{name: "octet-stream is sniffed", body: page, contentType: "application/octet-stream"},

		{name: "empty", body: "", want: record.ReasonEmpty, detail: "no bytes"},
		{name: "whitespace only", body: " \n\t ", want: record.ReasonEmpty, detail: "whitespace"},
		{name: "skeleton only", body: "<!DOCTYPE html><html><head></head><body></body></html>", want: record.ReasonEmpty, detail: "no content"},
		{name: "comment only", body: "<!-- nothing here -->", want: record.ReasonEmpty},

		{name: "pdf", body: "%PDF-1.7\n1 0 obj", want: record.ReasonNotHTML, detail: "starts with %PDF"},
		{name: "png", body: "\x89PNG\r\n\x1a\n\x00\x00", want: record.ReasonNotHTML, detail: "PNG"},
		{name: "jpeg", body: "\xff\xd8\xff\xe0\x00\x10JFIF", want: record.ReasonNotHTML, detail: "JPEG"},
		{name: "gif", body: "GIF89a\x01\x00", want: record.ReasonNotHTML, detail: "GIF89a"},
		{name: "zip", body: "PK\x03\x04\x14\x00", want: record.ReasonNotHTML, detail: "ZIP"},
		{name: "gzip", body: "\x1f\x8b\x08\x00\x00\x00", want: record.ReasonNotHTML, detail: "gzip"},
		{name: "nul bytes", body: "<html>\x00\x00\x00</html>", want: record.ReasonNotHTML, detail: "NUL"},
		{name: "json object", body: `{"title": "<b>x</b>"}`, want: record.ReasonNotHTML, detail: "JSON"},
		{name: "json array", body: `[1, 2, 3]`, want: record.ReasonNotHTML, detail: "JSON"},
		{name: "plain text", body: "Just some text.\nNo tags here.", want: record.ReasonNotHTML, detail: "plain text"},
		{name: "rss", body: `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>`, want: record.ReasonNotHTML, detail: "<rss>"},
		{name: "atom", body: `<?xml version="1.0"?><!-- feed --><feed xmlns="http://www.w3.org/2005/Atom"></feed>`, want: record.ReasonNotHTML, detail: "<feed>"},
		{name: "pdf content type", body: page, contentType: "application/pdf", want: record.ReasonNotHTML, detail: "application/pdf"},
		{name: "image content type", body: page, contentType: "image/png", want: record.ReasonNotHTML, detail: "image/png"},

		{name: "cut inside tag", body: `<html><body><p>Text</p><div cla`, want: record.ReasonTruncated, detail: `unclosed tag "<div cla"`},
		{name: "cut inside attribute value", body: `<p>x</p><a href="https://exa`, want: record.ReasonTruncated, detail: "unclosed tag"},
		{name: "cut inside end tag", body: `<p>x</p></bo`, want: record.ReasonTruncated, detail: `"</bo"`},
		{name: "cut after lone lt", body: "<p>x</p><", want: record.ReasonTruncated},
		{name: "trailing whitespace after cut", body: "<p>x</p><span\n\n  ", want: record.ReasonTruncated},
		{name: "unclosed comment", body: "<p>x</p><!-- start of footer", want: record.ReasonTruncated, detail: "unclosed comment"},
		{name: "unterminated script", body: "<p>x</p><script>var a = 1;", want: record.ReasonTruncated, detail: "<script>"},
		{name: "unterminated style", body: "<style>p { color: red }", want: record.ReasonTruncated, detail: "<style>"},
		{name: "unterminated upper-case script", body: "<p>x</p><SCRIPT>var a = '</scrip';", want: record.ReasonTruncated, detail: "<script>"},
		{name: "cut inside doctype", body: "<!DOCTYPE ht", want: record.ReasonTruncated, detail: "declaration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkHTML([]byte(tt.body), tt.contentType)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("checkHTML = %v, want nil", err)
				}
				return
			}
			re, ok := record.AsReject(err)
			if !ok {
				t.Fatalf("checkHTML = %v, want a *RejectError with reason %s", err, tt.want)
			}
			if re.Reason != tt.want {
				t.Errorf("reason = %s (%s), want %s", re.Reason, re.Detail, tt.want)
			}
			if !strings.Contains(re.Detail, tt.detail) {
				t.Errorf("detail = %q, want it to contain %q", re.Detail, tt.detail)
			}
		})
	}
}

// TestCheckHTMLLargeValid guards the scanner against false rejects and
// quadratic behaviour on a large valid page.
func TestCheckHTMLLargeValid(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("<html><body>")
	for range 20000 {
		sb.WriteString(`<p class="x">Some <a href="/y?a=1&b=2">text</a> here.</p><!-- c --><script>if (a < b) {}</script>`)
	}
	if err := checkHTML([]byte(sb.String()), "text/html"); err != nil {
		t.Fatalf("checkHTML = %v, want nil", err)
	}
}
