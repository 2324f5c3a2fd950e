package extract

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/reviewpipe/reviewpipe/internal/dom"
)

// minHeadlinePart: a shorter text found inside a headline ("Her",
// "Review") matches by chance.
const minHeadlinePart = 8

// Where an element sits: comments, furniture, the headline and the
// ranking of candidates near it (the words are in vocab.go).

// Kinds of class tokens, as tokenKinds reports them.
const (
	tokChrome    uint8 = 1 << iota // furniture around the article (metaChromeWords)
	tokBlock                       // furniture also found inside it (metaBlockChrome)
	tokComment                     // a comment thread (metaCommentWords)
	tokContainer                   // an article container (metaContainerWords)
	tokField                       // holds a stem of the field pickers' names (fieldStems)
)

// tokenKinds returns the kinds of n's class tokens and id together (of
// the first class and id attributes, as metaAttr reads them).
func (p *metaPage) tokenKinds(n *html.Node) uint8 {
	var kinds uint8
	var class, id bool
	for _, a := range n.Attr {
		switch {
		case a.Key == "class" && !class:
			class = true
			if metaIsASCII(a.Val) {
				v := a.Val
				for v != "" {
					i := strings.IndexAny(v, " \t\n\v\f\r")
					if i < 0 {
						kinds |= p.tokenKind(v)
						break
					}
					if i > 0 {
						kinds |= p.tokenKind(v[:i])
					}
					v = v[i+1:]
				}
				continue
			}
			for _, tok := range strings.Fields(a.Val) {
				kinds |= p.tokenKind(tok)
			}
		case a.Key == "id" && !id:
			id = true
			if a.Val != "" {
				kinds |= p.tokenKind(a.Val)
			}
		}
	}
	return kinds
}

// tokenKind memoizes metaTokenKind for the page.
func (p *metaPage) tokenKind(tok string) uint8 {
	k, ok := p.words[tok]
	if !ok {
		k = metaTokenKind(tok)
		p.words[tok] = k
	}
	return k
}

// metaTokenKind classifies one class token or id. It says what the
// metaChromeWords, metaBlockChrome, metaModifierToken, metaArticleWords,
// metaCommentWords and metaContainerWords regexps say, without running
// them on ASCII tokens, where (?i) is plain ASCII case folding.
func metaTokenKind(tok string) uint8 {
	var field uint8
	for _, st := range fieldStems {
		if containsFoldASCII(tok, st) {
			field = tokField
			break
		}
	}
	if !metaIsASCII(tok) {
		return metaTokenKindRE(tok) | field
	}
	return metaTokenKindASCII(tok) | field
}

// fieldStems are the stems of every class or id a field picker asks
// about with namedShortElements (score boxes, release lines): an
// element without one is not asked.
var fieldStems = append(append([]string{}, scoreBoxStems...), releaseYearStems...)

// metaTokenKindASCII is metaTokenKind for an ASCII token.
func metaTokenKindASCII(tok string) uint8 {
	low := strings.ToLower(tok)
	var k uint8
	w := metaTokenWords.scan(low)
	if w&wordArticle == 0 && !metaModifierASCII(low) {
		if w&wordBlock != 0 || strings.HasPrefix(low, "nav") {
			k |= tokBlock | tokChrome
		} else if w&wordChrome != 0 {
			k |= tokChrome
		}
	}
	if metaCommentASCII(low) && !strings.Contains(low, "count") && !strings.Contains(low, "link") {
		k |= tokComment
	}
	switch low {
	case "hentry", "h-entry", "post", "entry", "article", "story", "single-post", "type-post", "blog-post", "post-content", "article-content":
		k |= tokContainer
	}
	return k
}

// Word kinds in metaTokenWords.
const (
	wordArticle = 1 << iota // metaArticleWords
	wordBlock               // metaBlockChrome, less ^nav
	wordChrome              // the rest of metaChromeWords
)

// metaWordSet finds which of a fixed set of words occur in a text, in one
// pass over the text rather than one search per word: at each byte only
// the words starting with that byte are compared.
type metaWordSet struct {
	byFirst [256][]metaWord
}

type metaWord struct {
	word string
	bits uint8
}

func newMetaWordSet(words map[string]uint8) *metaWordSet {
	ws := &metaWordSet{}
	for w, bits := range words {
		ws.byFirst[w[0]] = append(ws.byFirst[w[0]], metaWord{w, bits})
	}
	return ws
}

// scan returns the bits of every word that occurs in s.
func (ws *metaWordSet) scan(s string) uint8 {
	var bits uint8
	for i := 0; i < len(s); i++ {
		for _, w := range ws.byFirst[s[i]] {
			if strings.HasPrefix(s[i:], w.word) {
				bits |= w.bits
			}
		}
	}
	return bits
}

// metaTokenKindRE is metaTokenKind by the regexps, for tokens with
// non-ASCII letters, which (?i) folds in ways strings.ToLower does not.
func metaTokenKindRE(tok string) uint8 {
	var k uint8
	keep := !metaArticleWords.re.MatchString(tok) && !metaModifierToken.MatchString(tok)
	if keep && metaChromeWords.MatchString(tok) {
		k |= tokChrome
	}
	if keep && metaBlockChrome.MatchString(tok) {
		k |= tokBlock
	}
	if metaCommentWords.MatchString(tok) && !strings.Contains(strings.ToLower(tok), "count") && !strings.Contains(strings.ToLower(tok), "link") {
		k |= tokComment
	}
	if metaContainerWords.MatchString(tok) {
		k |= tokContainer
	}
	return k
}

func metaModifierASCII(low string) bool {
	for _, w := range []string{"has", "with", "no", "is", "show", "hide", "without"} {
		if len(low) > len(w) && strings.HasPrefix(low, w) && (low[len(w)] == '-' || low[len(w)] == '_') {
			return true
		}
	}
	return false
}

func metaCommentASCII(low string) bool {
	switch low {
	case "comment", "comments", "commentlist", "comment-list", "comments-area", "respond", "replies", "disqus_thread",
		"discussion", "reactions", "responses":
		return true
	}
	// comment-\w+ is covered by the comment[-_] prefix.
	return strings.HasPrefix(low, "comment-") || strings.HasPrefix(low, "comment_") ||
		strings.HasSuffix(low, "-comment") || strings.HasSuffix(low, "_comment") ||
		strings.HasSuffix(low, "-comments") || strings.HasSuffix(low, "_comments")
}

func metaIsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// inComments reports whether n sits in a comment thread, whose names and
// dates belong to readers, not to the article: whether n or an ancestor
// below <body> has a comment class, id or itemtype.
func (p *metaPage) inComments(n *html.Node) bool {
	if in, ok := p.infoOf(n); ok {
		return in.flags&nodeInComments != 0
	}
	return false
}

// chrome reports whether n sits in site furniture rather than in the post:
// whether below <body>, n or an ancestor is a <nav>, has a navigation,
// banner, contentinfo or complementary role, or, outside an <article>
// or <main>, is an <aside> or a header or footer not named for the post;
// or an ancestor (not n: its own name says what it holds, "author_header",
// not where) has a furniture class or id.
func (p *metaPage) chrome(n *html.Node) bool {
	if in, ok := p.infoOf(n); ok {
		return in.flags&nodeChrome != 0
	}
	return false
}

// locateHeadline finds the element showing the headline and the article
// container around it; visible bylines and dates are ranked by distance
// to them, since they sit next to the headline on nearly every template.
func (p *metaPage) locateHeadline(title string) {
	key := strings.ToLower(dom.Space(title))
	var first *html.Node
	for _, sel := range []string{"h1", "h2", "h3"} {
		for _, n := range p.heads {
			if n.Data != sel || p.inComments(n) {
				continue
			}
			t := strings.ToLower(dom.Space(dom.NodeText(n)))
			if sameHeadline(t, key) {
				p.headline = n
				break
			}
			if first == nil && sel == "h1" && !p.chrome(n) && t != "" {
				first = n
			}
		}
		if p.headline != nil {
			break
		}
	}
	if p.headline == nil {
		for _, n := range p.nodes {
			if dom.Itemprop(n, "headline") && !p.inComments(n) && sameHeadline(strings.ToLower(dom.Space(dom.NodeText(n))), key) {
				p.headline = n
				break
			}
		}
	}
	if p.headline == nil {
		p.headline = first
	}
	p.scope = p.articleScope()
}

// sameHeadline reports whether a heading's text t (lower-cased) is the
// headline key, or holds it, or is held by it, beyond a few letters.
func sameHeadline(t, key string) bool {
	return key != "" && (t == key || len(t) > minHeadlinePart && strings.Contains(key, t) || len(key) > minHeadlinePart && strings.Contains(t, key))
}

// articleScope returns the article container around the headline: the
// nearest article, main or article-named ancestor, else the ancestor three
// levels up; without a headline, the page's first article or main.
func (p *metaPage) articleScope() *html.Node {
	if p.headline == nil {
		for _, n := range p.nodes {
			if n.Data == "article" || n.Data == "main" || dom.AttrIs(n, "role", "main") {
				return n
			}
		}
		return nil
	}
	var scope *html.Node
	for a, depth := p.headline.Parent, 0; a != nil && a.Type == html.ElementNode && a.Data != "body"; a, depth = a.Parent, depth+1 {
		if a.Data == "article" || a.Data == "main" || dom.Attr(a, "role") == "main" || p.isArticle(a) {
			return a
		}
		if depth == 3 && scope == nil {
			scope = a
		}
	}
	return scope
}

func (p *metaPage) isArticle(n *html.Node) bool {
	if t := strings.ToLower(dom.Attr(n, "itemtype")); strings.Contains(t, "article") || strings.Contains(t, "posting") || strings.Contains(t, "review") {
		return true
	}
	return p.tokenKinds(n)&tokContainer != 0
}

func metaContains(anc, n *html.Node) bool {
	for a := n; a != nil; a = a.Parent {
		if a == anc {
			return true
		}
	}
	return false
}

// contains reports whether n is anc or below it.
func (p *metaPage) contains(anc, n *html.Node) bool {
	i, ok := p.order[anc]
	j, ok2 := p.order[n]
	if !ok || !ok2 {
		return metaContains(anc, n)
	}
	return i <= j && j <= int(p.info[i].end)
}

// rank orders candidate elements for visible bylines and dates: inside
// the article and after the headline first, nearest first; then inside the
// article before the headline; then the rest of the page. Comments and
// site furniture are dropped.
func (p *metaPage) rank(nodes []*html.Node) []*html.Node {
	type scored struct {
		n           *html.Node
		group, dist int
	}
	var s []scored
	h := -1
	if p.headline != nil {
		h = p.order[p.headline]
	}
	for _, n := range nodes {
		if p.inComments(n) {
			continue
		}
		in := p.scope != nil && p.contains(p.scope, n)
		if !in && p.chrome(n) {
			continue
		}
		if in && p.chromeWithin(n) {
			continue
		}
		o := p.order[n]
		c := scored{n: n, group: 2, dist: o}
		switch {
		case in && h >= 0 && o >= h:
			c.group, c.dist = 0, o-h
		case in && h >= 0:
			c.group, c.dist = 1, h-o
		case in:
			c.group = 0
		}
		s = append(s, c)
	}
	sort.SliceStable(s, func(i, j int) bool {
		return s[i].group < s[j].group || s[i].group == s[j].group && s[i].dist < s[j].dist
	})
	out := make([]*html.Node, len(s))
	for i, c := range s {
		out[i] = c.n
	}
	return out
}

// chromeWithin applies the furniture test only between n and the article
// container, for related-post and share blocks inside the article.
func (p *metaPage) chromeWithin(n *html.Node) bool {
	for a := n; a != nil && a != p.scope && a.Type == html.ElementNode; a = a.Parent {
		if a.Data == "nav" {
			return true
		}
		if a == n {
			continue
		}
		if in, ok := p.infoOf(a); ok && in.flags&nodeBlockToken != 0 {
			// A wrapper around the headline is the article, whatever its
			// name (one blog theme calls its content column "sidebar").
			if p.headline != nil && metaContains(a, p.headline) {
				continue
			}
			return true
		}
	}
	return false
}

// ---- dates ----

// hintMatcher is a case-insensitive regexp over class/id strings, answered
// by plain substring tests where they decide. It is asked about every
// element of every page, and the regexp made it the extractor's hottest
// spot. On lower-cased ASCII text, where (?i) is plain ASCII case folding,
// each of words is a match, and so is each of suffixes ending the text
// after '-', '_' or nothing (the regexp's (^|[-_])x$); every other match
// contains one of hints, and only then is the regexp run. None of them
// holds a space. Text with other bytes goes to the regexp, since (?i)
// folds some letters (ſ, K) in ways strings.ToLower does not.
type hintMatcher struct {
	re       *regexp.Regexp
	set      *metaWordSet // the words (hintWord) and the hints (hintHint)
	suffixes []string
}

const (
	hintWord = 1 << iota
	hintHint
)

// newHintMatcher compiles expr, which must start with (?i), and indexes
// the words and hints.
func newHintMatcher(expr string, words, suffixes, hints []string) hintMatcher {
	set := map[string]uint8{}
	for _, w := range words {
		set[w] |= hintWord
	}
	for _, h := range hints {
		set[h] |= hintHint
	}
	return hintMatcher{re: regexp.MustCompile(expr), set: newMetaWordSet(set), suffixes: suffixes}
}

// MatchString reports whether s matches the regexp.
func (m hintMatcher) MatchString(s string) bool {
	return m.matchParts(s)
}

// matchParts reports whether the parts joined by single spaces match,
// without joining them unless the regexp must be run: as no word or hint
// holds a space, one is in the joined text only if it is in a part, and a
// suffix can end it only at the end of the last part.
func (m hintMatcher) matchParts(parts ...string) bool {
	for _, part := range parts {
		if !metaIsASCII(part) {
			return m.re.MatchString(strings.Join(parts, " "))
		}
	}
	hinted := false
	for i, part := range parts {
		if part == "" {
			continue
		}
		low := strings.ToLower(part)
		bits := m.set.scan(low)
		if bits&hintWord != 0 {
			return true
		}
		if i == len(parts)-1 {
			for _, x := range m.suffixes {
				if j := len(low) - len(x); strings.HasSuffix(low, x) && (j == 0 && i == 0 || j > 0 && (low[j-1] == '-' || low[j-1] == '_')) {
					return true
				}
			}
		}
		hinted = hinted || bits&hintHint != 0
	}
	if !hinted {
		return false
	}
	return m.re.MatchString(strings.Join(parts, " "))
}
