package extract

import (
	"strings"

	"golang.org/x/net/html"

	"github.com/reviewpipe/reviewpipe/internal/dom"
)

// Attribute, microdata and text helpers over html.Node.

// firstItemprop returns the first element whose itemprop lists prop, or nil.
func (p *metaPage) firstItemprop(prop string) *html.Node {
	for _, n := range p.nodes {
		if dom.Itemprop(n, prop) {
			return n
		}
	}
	return nil
}

// metaRelAuthor reports whether a rel value lists "author" (any case)
// among its space-separated words.
func metaRelAuthor(rel string) bool {
	for rel != "" {
		tok := rel
		if i := strings.IndexByte(rel, ' '); i >= 0 {
			tok, rel = rel[:i], rel[i+1:]
		} else {
			rel = ""
		}
		if strings.EqualFold(tok, "author") {
			return true
		}
	}
	return false
}

// metaAuthorHref reports whether a link goes to an author archive.
func metaAuthorHref(href string) bool {
	if !strings.Contains(href, "/") {
		return false
	}
	h := strings.ToLower(href)
	return strings.Contains(h, "/author/") || strings.Contains(h, "/authors/") || strings.Contains(h, "/autor/")
}

// shortText is metaShortText, answering from the index when n's text is
// certainly too long.
func (p *metaPage) shortText(n *html.Node, max int) string {
	if in, ok := p.infoOf(n); ok && int(in.text) > max {
		return ""
	}
	return dom.ShortText(n, max)
}
