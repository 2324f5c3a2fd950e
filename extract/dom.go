package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Attribute, microdata and text helpers over html.Node.

func metaAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// metaAttr3 returns three attributes of n in one pass over them, each
// the first of its key as metaAttr would.
func metaAttr3(n *html.Node, k1, k2, k3 string) (v1, v2, v3 string) {
	var seen1, seen2, seen3 bool
	for _, a := range n.Attr {
		switch {
		case a.Key == k1 && !seen1:
			v1, seen1 = a.Val, true
		case a.Key == k2 && !seen2:
			v2, seen2 = a.Val, true
		case a.Key == k3 && !seen3:
			v3, seen3 = a.Val, true
		}
	}
	return v1, v2, v3
}

// metaItemprop reports whether an itemprop attribute of n lists one of
// props, as the selector [itemprop~=prop] does.
func metaItemprop(n *html.Node, props ...string) bool {
	for _, a := range n.Attr {
		if a.Key != "itemprop" {
			continue
		}
		for v := a.Val; v != ""; {
			tok := v
			if i := strings.IndexAny(v, " \t\r\n\f"); i >= 0 {
				tok, v = v[:i], v[i+1:]
			} else {
				v = ""
			}
			for _, prop := range props {
				if tok == prop {
					return true
				}
			}
		}
	}
	return false
}

// metaAttrIs reports whether an attribute key of n is val, as the
// selector [key=val] does.
func metaAttrIs(n *html.Node, key, val string) bool {
	for _, a := range n.Attr {
		if a.Key == key && a.Val == val {
			return true
		}
	}
	return false
}

// metaAttrHas reports whether an attribute key of n contains sub, as the
// selector [key*=sub] does.
func metaAttrHas(n *html.Node, key, sub string) bool {
	for _, a := range n.Attr {
		if a.Key == key && strings.Contains(a.Val, sub) {
			return true
		}
	}
	return false
}

// firstItemprop returns the first element whose itemprop lists prop, or nil.
func (p *metaPage) firstItemprop(prop string) *html.Node {
	for _, n := range p.nodes {
		if metaItemprop(n, prop) {
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

func metaClassTokens(n *html.Node) []string {
	t := strings.Fields(metaAttr(n, "class"))
	if id := metaAttr(n, "id"); id != "" {
		t = append(t, id)
	}
	return t
}

func metaHasAttr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func metaText(n *html.Node) string {
	var c metaCollapser
	c.text(n, false)
	return c.b.String()
}

// metaShortText returns n's text when it is short enough to be a byline or a
// date line; a long text means n wraps content and its children are asked.
func metaShortText(n *html.Node, max int) string {
	t := metaText(n)
	if len(t) > max {
		return ""
	}
	return t
}

// shortText is metaShortText, answering from the index when n's text is
// certainly too long.
func (p *metaPage) shortText(n *html.Node, max int) string {
	if in, ok := p.infoOf(n); ok && int(in.text) > max {
		return ""
	}
	return metaShortText(n, max)
}

// metaLines returns n's text with a line break at every <br> and block
// boundary and whitespace collapsed within lines, the shape a byline block
// has on screen ("By Jane Doe" over "May 3, 2025").
func metaLines(n *html.Node) string {
	var c metaCollapser
	c.text(n, true)
	return c.b.String()
}

// metaCollapser builds the text of a subtree with white space collapsed
// as it goes: runs of Unicode white space become one space, line breaks
// end lines, and empty lines and the spaces at either end of a line are
// dropped. That is metaSpace applied to every line of the raw text, in one
// pass and without the raw text.
type metaCollapser struct {
	b       strings.Builder
	pending byte // separator owed before the next non-space rune: 0, ' ' or '\n'
	inLine  bool // the current line has text
}

// text adds the text below n. With lines, <br> and block elements break
// lines; without, <br>, p, div and li only separate words, as in metaText.
func (c *metaCollapser) text(n *html.Node, lines bool) {
	switch n.Type {
	case html.TextNode:
		c.write(n.Data)
	case html.ElementNode:
		switch n.Data {
		case "script", "style", "noscript", "template":
			return
		case "br":
			c.brk(lines)
		case "p", "div", "li":
			c.brk(lines)
			if lines {
				defer c.brk(true)
			}
		case "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
			"section", "article", "header", "footer", "address", "blockquote", "figure", "figcaption", "table", "tr":
			if lines {
				c.brk(true)
				defer c.brk(true)
			}
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.text(ch, lines)
	}
}

// brk ends the current line, or is a space when lines is false.
func (c *metaCollapser) brk(lines bool) {
	switch {
	case !lines:
		c.space()
	case c.inLine:
		c.pending, c.inLine = '\n', false
	}
}

func (c *metaCollapser) space() {
	if c.inLine && c.pending == 0 {
		c.pending = ' '
	}
}

// write adds raw text; its line feeds are spaces, as everywhere in HTML.
func (c *metaCollapser) write(s string) {
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if unicode.IsSpace(r) {
			c.space()
			i += size
			continue
		}
		// Copy the whole run up to the next space at once.
		j := i + size
		for j < len(s) {
			r, size := rune(s[j]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(s[j:])
			}
			if unicode.IsSpace(r) {
				break
			}
			j += size
		}
		if c.pending != 0 && c.b.Len() > 0 {
			c.b.WriteByte(c.pending)
		}
		c.b.WriteString(s[i:j])
		c.pending, c.inLine = 0, true
		i = j
	}
}

// metaFirstLine returns the first line of a byline block with the label
// lines before it ("By" over "Jane Doe").
func metaFirstLine(t string) string {
	lines := strings.Split(t, "\n")
	for i, l := range lines {
		if !metaBylineLabel.MatchString(l) {
			return strings.Join(lines[:i+1], " ")
		}
	}
	return strings.Join(lines, " ")
}

// metaSpace collapses Unicode whitespace (NBSP included) to single spaces.
func metaSpace(s string) string {
	if !strings.ContainsFunc(s, unicode.IsSpace) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
