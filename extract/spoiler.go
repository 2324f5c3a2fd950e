package extract

import (
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/reviewpipe/reviewpipe/internal/dom"
)

var (
	// spoilerRe finds the ways reviews mark a spoiler section, in the
	// languages of the corpora.
	spoilerRe = regexp.MustCompile(`(?i)\b(?:spoiler\s*(?:warning|alert|ahead|below|zone)|spoilers?\s+(?:ahead|below|follow|warning|alert)|(?:major|mild|heavy|some|minor|contains?|with|light)\s+spoilers?|spoilerwarnung|spoiler-?warnung|achtung,?\s+spoiler|vorsicht,?\s+spoiler|attention,?\s+spoilers?|alerte\s+spoiler|alerta\s+(?:de\s+)?spoiler|contiene\s+spoilers?|attenzione\s+spoiler)\b|\[\s*spoilers?\s*\]`)
	// noSpoilerRe is the opposite promise: "spoiler-free", "no spoilers".
	noSpoilerRe = regexp.MustCompile(`(?i)\b(?:spoiler[\s-]*free|spoilerfrei|no\s+(?:major\s+|real\s+|big\s+)?spoilers?|without\s+spoilers?|sans\s+spoilers?|sin\s+spoilers?|senza\s+spoiler|ohne\s+spoiler)\b`)
)

// spoilerText reports whether a review's text marks a spoiler section: a
// warning ("Spoiler warning", "Spoilers ahead", "[Spoilers]", "Achtung,
// Spoiler") that is not the opposite promise ("spoiler-free review", "no
// major spoilers").
func spoilerText(body string) bool {
	if !strings.Contains(strings.ToLower(body), "spoiler") {
		return false
	}
	for _, loc := range spoilerRe.FindAllStringIndex(body, -1) {
		from := max(0, loc[0]-12)
		if !noSpoilerRe.MatchString(body[from:loc[1]]) {
			return true
		}
	}
	return false
}

// spoilerBlock reports whether the page holds a spoiler block, hidden until
// clicked: an element whose class has the word spoiler ("spoiler",
// "su-spoiler", "spoiler-box") and whose text says spoiler ("WARNING:
// Major spoilers"). It must run before the body extraction, which removes
// hidden elements.
func spoilerBlock(doc *goquery.Document) bool {
	if doc == nil || len(doc.Nodes) == 0 {
		return false
	}
	var visit func(*html.Node) bool
	visit = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if cls := attr(c, "class"); (strings.Contains(cls, "spoiler") || strings.Contains(cls, "Spoiler")) && isSpoilerBlock(c, cls) {
				return true
			}
			if visit(c) {
				return true
			}
		}
		return false
	}
	return visit(doc.Nodes[0])
}

// isSpoilerBlock reports whether element n, whose class attribute cls
// mentions spoilers, is a spoiler block of this page.
func isSpoilerBlock(n *html.Node, cls string) bool {
	// A client-side template shown only for some posts says nothing of
	// this one.
	if _, cond := dom.HasAttr(n, "v-if"); cond {
		return false
	}
	for f := range strings.FieldsSeq(cls) {
		// Collapsible-box widgets are named spoilers too ("su-spoiler"
		// around "Credits"): the block must also say it is one.
		if w := classWords(f); (containsWord(w, "spoiler") || containsWord(w, "spoilers")) && strings.Contains(strings.ToLower(textContent(n)), "spoiler") {
			return true
		}
	}
	return false
}

func containsWord(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}
