package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The lead: standfirst, deck and lead paragraphs before the main text.

var sentenceEnd = regexp.MustCompile(`\.( |$)`)

func elementChildren(n *html.Node) int {
	k := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			k++
		} else if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
			return 2
		}
	}
	return k
}

// lead returns the standfirst blocks before first (an abstract, a lead
// with its picture credit), if they sit within a few levels of it in the
// same article: those of the nearest level that has any, in page order.
// Author boxes and navigation on the way are skipped, so that the
// description of an author is not taken for the article's lead; a full
// paragraph inside a header element is a lead whatever its class.
func (a *analysis) lead(first *html.Node) []*html.Node {
	anc := first
	for range 5 {
		if anc.Parent == nil || anc.Parent.Type != html.ElementNode || anc.Parent.DataAtom == atom.Body {
			return nil
		}
		anc = anc.Parent
		var found []*html.Node
		a.leadsBefore(anc, first, false, &found)
		if len(found) > 0 {
			return found
		}
	}
	return nil
}

// standfirst reports whether c is a standfirst block: one named as a lead
// ("article-teaser", "intro") and not condemned by other hints, or, in the
// article's header (inHead), a full paragraph whatever its class, or the
// subtitle of an <hgroup>. Either way it is a short, unlinked text.
func (a *analysis) standfirst(c *html.Node, inHead bool) bool {
	lead := isLead(c)
	if h := a.hintOf(c); h.neg == negStrong || h.neg == negNormal && !h.pos && !lead {
		return false
	}
	subtitle := c.Parent != nil && c.Parent.DataAtom == atom.Hgroup && headingTags[c.DataAtom] && c.DataAtom != atom.H1
	if !lead && !(inHead && (c.DataAtom == atom.P && a.st(c).paras > 0 || subtitle)) {
		return false
	}
	s := a.st(c)
	return s.text >= 40 && s.text <= 1000 && a.linkDensity(c) < 0.3
}

// leadsBefore appends to found, in page order, the standfirst blocks below
// n that come before stop (nil: all of n), and reports whether stop was
// reached. Headers are where leads live, so layout hints do not bar the
// way; widgets and author boxes do, unless named leads ("article-teaser").
// inHead says that n is inside a header.
func (a *analysis) leadsBefore(n, stop *html.Node, inHead bool, found *[]*html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c == stop {
			return true
		}
		if c.Type != html.ElementNode || c.DataAtom == atom.Nav {
			continue
		}
		if a.standfirst(c, inHead) {
			*found = append(*found, c)
			continue
		}
		if h := a.hintOf(c); h.neg == negStrong || h.neg == negNormal && !h.pos && !isLead(c) {
			continue
		}
		if a.leadsBefore(c, stop, inHead || c.DataAtom == atom.Header, found) {
			return true
		}
	}
	return false
}

// keepLeads reduces header h to the standfirst blocks it holds, removing
// everything else.
func (a *analysis) keepLeads(h *html.Node) {
	var leads []*html.Node
	a.leadsBefore(h, nil, true, &leads)
	for c := h.FirstChild; c != nil; c = h.FirstChild {
		h.RemoveChild(c)
	}
	for _, l := range leads {
		if l.Parent != nil {
			l.Parent.RemoveChild(l)
		}
		h.AppendChild(l)
	}
}

func isLead(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.Div, atom.Section, atom.H2, atom.Header:
	default:
		return false
	}
	return namedBy(n, leadWords)
}

// isDeck reports whether n is named as a deck.
func isDeck(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.Div, atom.Section, atom.H2, atom.H3, atom.Span:
	default:
		return false
	}
	return namedBy(n, deckWords)
}

// namedBy reports whether a word of n's class, id or itemprop is in words.
func namedBy(n *html.Node, words map[string]bool) bool {
	for _, at := range n.Attr {
		if at.Key != "class" && at.Key != "id" && at.Key != "itemprop" {
			continue
		}
		for f := range strings.FieldsSeq(at.Val) {
			for _, w := range classWords(f) {
				if words[w] {
					return true
				}
			}
		}
	}
	return false
}

// looseText reduces s to lower-case letters and digits separated by single
// spaces, for comparing texts whatever their punctuation and markup.
func looseText(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// repeatsSummary reports whether t says what one of the page's descriptions
// says: one holds the other and the shorter is at least half the longer
// (a description often adds a line to the deck, "Our X review.").
func (a *analysis) repeatsSummary(t string) bool {
	k := looseText(t)
	if utf8.RuneCountInString(k) < minSummaryRunes {
		return false
	}
	for _, d := range a.summaries {
		short, long := k, d
		if len(short) > len(long) {
			short, long = long, short
		}
		if 2*len(short) >= len(long) && strings.Contains(long, short) {
			return true
		}
	}
	return false
}

// dropDeck removes, from the part of n before the first long paragraph, the
// deck blocks that repeat the page's description: a summary written for
// search results and link previews, not the article. It reports whether
// the article text was reached.
func (a *analysis) dropDeck(n *html.Node) bool {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			if isDeck(c) && a.st(c).paras == 0 && a.repeatsSummary(textOf(c)) {
				n.RemoveChild(c)
			} else if c.DataAtom == atom.P && a.st(c).paras > 0 || a.dropDeck(c) {
				return true
			}
		}
		c = next
	}
	return false
}
