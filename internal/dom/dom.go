// Package dom holds the attribute and text helpers over html.Node that
// the extractor's pickers share: attributes read in one pass, microdata
// itemprop tokens, an element's text as goquery gives it, collapsed, or
// with its line breaks.
package dom

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

func Attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// Attr3 returns three attributes of n in one pass over them, each
// the first of its key as Attr would.
func Attr3(n *html.Node, k1, k2, k3 string) (v1, v2, v3 string) {
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

// Itemprop reports whether an itemprop attribute of n lists one of
// props, as the selector [itemprop~=prop] does.
func Itemprop(n *html.Node, props ...string) bool {
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

// AttrIs reports whether an attribute key of n is val, as the
// selector [key=val] does.
func AttrIs(n *html.Node, key, val string) bool {
	for _, a := range n.Attr {
		if a.Key == key && a.Val == val {
			return true
		}
	}
	return false
}

// AttrHas reports whether an attribute key of n contains sub, as the
// selector [key*=sub] does.
func AttrHas(n *html.Node, key, sub string) bool {
	for _, a := range n.Attr {
		if a.Key == key && strings.Contains(a.Val, sub) {
			return true
		}
	}
	return false
}

func ClassTokens(n *html.Node) []string {
	t := strings.Fields(Attr(n, "class"))
	if id := Attr(n, "id"); id != "" {
		t = append(t, id)
	}
	return t
}

func HasAttr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func Text(n *html.Node) string {
	var c collapser
	c.text(n, false)
	return c.b.String()
}

// ShortText returns n's text when it is short enough to be a byline or a
// date line; a long text means n wraps content and its children are asked.
func ShortText(n *html.Node, max int) string {
	t := Text(n)
	if len(t) > max {
		return ""
	}
	return t
}

// Lines returns n's text with a line break at every <br> and block
// boundary and whitespace collapsed within lines, the shape a byline block
// has on screen ("By Jane Doe" over "May 3, 2025").
func Lines(n *html.Node) string {
	var c collapser
	c.text(n, true)
	return c.b.String()
}

// Space collapses Unicode whitespace (NBSP included) to single spaces.
func Space(s string) string {
	if !strings.ContainsFunc(s, unicode.IsSpace) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// collapser builds the text of a subtree with white space collapsed
// as it goes: runs of Unicode white space become one space, line breaks
// end lines, and empty lines and the spaces at either end of a line are
// dropped. That is Space applied to every line of the raw text, in one
// pass and without the raw text.
type collapser struct {
	b       strings.Builder
	pending byte // separator owed before the next non-space rune: 0, ' ' or '\n'
	inLine  bool // the current line has text
}

// text adds the text below n. With lines, <br> and block elements break
// lines; without, <br>, p, div and li only separate words, as in Text.
func (c *collapser) text(n *html.Node, lines bool) {
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
func (c *collapser) brk(lines bool) {
	switch {
	case !lines:
		c.space()
	case c.inLine:
		c.pending, c.inLine = '\n', false
	}
}

func (c *collapser) space() {
	if c.inLine && c.pending == 0 {
		c.pending = ' '
	}
}

// write adds raw text; its line feeds are spaces, as everywhere in HTML.
func (c *collapser) write(s string) {
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

// NonSpace counts the printable ASCII bytes of s. Space and its
// kin keep those whatever else they do, so no text built from s is
// shorter; other bytes are left out to keep the count cheap.
func NonSpace(s string) int32 {
	var n int32
	for i := 0; i < len(s); i++ {
		if s[i]-'!' < '~'-'!'+1 {
			n++
		}
	}
	return n
}

// NodeText is goquery's Selection.Text for one node: the text nodes
// below n, concatenated as they are.
func NodeText(n *html.Node) string {
	if n == nil {
		return ""
	}
	if c := n.FirstChild; c != nil && c.NextSibling == nil && c.Type == html.TextNode {
		return c.Data // the usual <title> and <script>
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
