package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

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

// TestStripSpans checks that dropping script and style content before
// parsing yields the tree parsed from the whole page, minus that content,
// and that JSON scripts and escape-state scripts are left alone.
func TestStripSpans(t *testing.T) {
	tests := []struct {
		name     string
		page     string
		kept     []string // must survive in the stripped bytes
		stripped []string // must not
	}{
		{
			name:     "scripts and styles",
			page:     `<html><head><style>p { color: red }</style><script>var a = "<p>not markup</p>";</script></head><body><p>Text</p><script src="x.js"></script><SCRIPT type="module">if (a < b && c > d) {}</SCRIPT ></body></html>`,
			kept:     []string{"<p>Text</p>", `<script src="x.js"></script>`},
			stripped: []string{"color: red", "not markup", "a < b"},
		},
		{
			name:     "json-ld kept, also entity-encoded",
			page:     `<head><script type="application/ld+json">{"@type":"Review"}</script><script type="application&#x2F;ld&#x2B;json">{"@type":"Movie"}</script><script type="application/json" id="state">{"a":1}</script></head><body><p>x</p></body>`,
			kept:     []string{`{"@type":"Review"}`, `{"@type":"Movie"}`, `{"a":1}`},
			stripped: nil,
		},
		{
			name: "script with an escape sequence is left whole",
			page: `<body><script><!-- document.write("<script>x()</script>"); --></script><p>After</p></body>`,
			kept: []string{`document.write`, "<p>After</p>"},
		},
		{
			name:     "script-looking text in comments, textareas and titles",
			page:     `<head><title><script>t</script></title></head><body><!-- <script> --><p>Kept one</p><textarea><script>u</script></textarea><p>Kept two</p><script>gone()</script></body>`,
			kept:     []string{"<p>Kept one</p>", "<p>Kept two</p>", "<script>t</script>", "<script>u</script>"},
			stripped: []string{"gone()"},
		},
		{
			name: "end tag must be followed by a delimiter in the parser too",
			page: `<body><script>var s = "</scripts>"; run();</script><p>Body</p></body>`,
			kept: []string{"<p>Body</p>"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var spans []span
			doc, err := sniffHTML([]byte(tt.page), "", &spans)
			if err != nil {
				t.Fatalf("sniffHTML: %v", err)
			}
			out := string(stripSpans(doc, spans))
			for _, s := range tt.kept {
				if !strings.Contains(out, s) {
					t.Errorf("stripped page lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tt.stripped {
				if strings.Contains(out, s) {
					t.Errorf("stripped page still holds %q:\n%s", s, out)
				}
			}
			if got, want := renderWithoutRaw(t, out), renderWithoutRaw(t, tt.page); got != want {
				t.Errorf("trees differ:\nstripped: %s\nwhole:    %s", got, want)
			}
		})
	}
}

// renderWithoutRaw parses page and renders it with script and style
// elements emptied, except JSON scripts, which stripSpans leaves whole.
func renderWithoutRaw(t *testing.T, page string) string {
	t.Helper()
	root, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.DataAtom == atom.Style || n.DataAtom == atom.Script && !strings.Contains(attr(n, "type"), "json")) {
			for c := n.FirstChild; c != nil; c = n.FirstChild {
				n.RemoveChild(c)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	var sb strings.Builder
	if err := html.Render(&sb, root); err != nil {
		t.Fatal(err)
	}
	return sb.String()
}

// FuzzStripSpans checks on arbitrary input that whatever sniffHTML accepts
// parses, after stripSpans, to the same tree outside script and style text.
func FuzzStripSpans(f *testing.F) {
	for _, s := range []string{
		`<p>a</p><script>x<y</script><style>p{}</style>`,
		`<script><!-- <script> --></script><p>b</p>`,
		`<script>a</scriptx><!--</script><p>c</p>`,
		`<title><script>t</script></title><textarea><script></textarea><p>d</p>`,
		`<svg><script>s()</script></svg><p>e</p>`,
		`<noscript><script>n()</script><p>f</p></noscript>`,
		`<script type="application/ld+json">{}</script><p>g</p>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, page string) {
		var spans []span
		doc, err := sniffHTML([]byte(page), "", &spans)
		if err != nil {
			return
		}
		out := string(stripSpans(doc, spans))
		if got, want := renderWithoutRaw(t, out), renderWithoutRaw(t, string(doc)); got != want {
			t.Errorf("trees differ for %q:\nstripped: %s\nwhole:    %s", page, got, want)
		}
	})
}
