package extract

import (
	"strings"

	"golang.org/x/net/html"

	"github.com/reviewpipe/reviewpipe/internal/dom"
)

// The per-document index of metaPage: meta tags, the element walk, visible text lengths.

func (p *metaPage) addMeta(n *html.Node) {
	content, ok := dom.HasAttr(n, "content")
	if !ok {
		return
	}
	content = dom.Space(content)
	if content == "" {
		return
	}
	// itemprop metas are microdata and may belong to a comment; they
	// are read with their scope in microdata().
	for _, key := range []string{"name", "property", "http-equiv"} {
		v, _ := dom.HasAttr(n, key)
		for _, k := range strings.Fields(strings.ToLower(v)) {
			p.tags[k] = append(p.tags[k], content)
		}
	}
}

// index appends the elements under n to p.nodes with their info and
// returns the visible text size of n's subtree; hidden is for the inside
// of a script or style, whose text is never read.
func (p *metaPage) index(n *html.Node, st metaWalkState, hidden bool) int32 {
	var text int32
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			if !hidden {
				text += dom.NonSpace(c.Data)
				// ★ and ☆ are E2 98 85 and E2 98 86: one search for their
				// shared prefix, past the typographic quotes and dashes
				// (E2 80 …) most pages are full of.
				if !p.glyphs && strings.Contains(c.Data, "\xe2\x98") {
					p.glyphs = strings.Contains(c.Data, "★") || strings.Contains(c.Data, "☆")
				}
			}
		case html.ElementNode:
			text += p.indexElement(c, st, hidden)
		default:
			// goquery's Text and the text helpers below read only text
			// and element nodes; comments and doctypes hold none.
		}
	}
	return text
}

func (p *metaPage) indexElement(n *html.Node, parent metaWalkState, hidden bool) int32 {
	i := len(p.nodes)
	p.nodes = append(p.nodes, n)
	p.info = append(p.info, metaNodeInfo{})
	var flags uint8
	if parent.inBody {
		flags |= nodeInBody
	}

	st := metaWalkState{inBody: parent.inBody || n.Data == "body"}
	st.article = parent.article || n.Data == "article" || n.Data == "main" || dom.Attr(n, "role") == "main"
	kinds := p.tokenKinds(n)
	if kinds&tokBlock != 0 {
		flags |= nodeBlockToken
	}
	if kinds&tokField != 0 {
		flags |= nodeFieldToken
	}
	if n.Data != "body" && n.Data != "html" {
		st.comments = parent.comments || kinds&tokComment != 0 || strings.Contains(strings.ToLower(dom.Attr(n, "itemtype")), "comment")
		st.navRole = parent.navRole || n.Data == "nav"
		switch strings.ToLower(dom.Attr(n, "role")) {
		case "navigation", "banner", "contentinfo", "complementary":
			st.navRole = true
		}
		st.asideHF = parent.asideHF || n.Data == "aside" ||
			(n.Data == "header" || n.Data == "footer") && !metaArticleWords.matchParts(dom.Attr(n, "class"), dom.Attr(n, "id"))
		// The element's own tokens say what it holds ("author_header"),
		// not where it sits: they count for its descendants only.
		if st.comments {
			flags |= nodeInComments
		}
		if st.navRole || !parent.article && st.asideHF || parent.chromeTok {
			flags |= nodeChrome
		}
		st.chromeTok = parent.chromeTok || kinds&tokChrome != 0
	}

	switch n.Data {
	case "script", "style", "noscript", "template":
		hidden = true
	}
	text := p.index(n, st, hidden)
	p.info[i].end = int32(len(p.nodes) - 1)
	p.info[i].text = text
	p.info[i].flags = flags
	return text
}

// infoOf returns the index entry of n; ok is false for a node outside the
// document the page was built from.
func (p *metaPage) infoOf(n *html.Node) (metaNodeInfo, bool) {
	i, ok := p.order[n]
	if !ok {
		return metaNodeInfo{}, false
	}
	return p.info[i], true
}

// tag returns the first non-empty content among the meta keys, in key order.
func (p *metaPage) tag(keys ...string) string {
	for _, k := range keys {
		if v := p.tags[k]; len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// ---- JSON-LD ----
