package dom

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func parse(t *testing.T, s string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader("<html><body>" + s + "</body></html>"))
	if err != nil {
		t.Fatal(err)
	}
	return doc.LastChild.LastChild.FirstChild // the element under <body>
}

func TestTextHelpers(t *testing.T) {
	n := parse(t, `<div class="byline  vcard" itemprop="author name">By<br> Jane&nbsp;Doe <span>May 3,  2025</span><script>x()</script></div>`)
	if got := Attr(n, "class"); got != "byline  vcard" {
		t.Errorf("Attr = %q", got)
	}
	if !Itemprop(n, "name") || Itemprop(n, "nam") {
		t.Errorf("Itemprop reads tokens, not substrings")
	}
	if got := ClassTokens(n); strings.Join(got, ",") != "byline,vcard" {
		t.Errorf("ClassTokens = %q", got)
	}
	if got := Text(n); got != "By Jane Doe May 3, 2025" {
		t.Errorf("Text = %q", got)
	}
	if got := Lines(n); got != "By\nJane Doe May 3, 2025" {
		t.Errorf("Lines = %q", got)
	}
	if got := Space("  a \u00a0 b\n"); got != "a b" {
		t.Errorf("Space = %q", got)
	}
	if got := NonSpace("a b\u00a0c"); got != 3 {
		t.Errorf("NonSpace = %d, want 3 (printable ASCII only)", got)
	}
}
