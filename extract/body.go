package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// Sizes the body pass decides by, in runes or bytes of text.
const (
	// minSummaryRunes: a description shorter than this ("Review") says too
	// little to recognise it repeated as the article's lead.
	minSummaryRunes = 20
	// fallbackGain: the page's substantial paragraphs replace the main
	// pick when they hold more than this many times its text.
	fallbackGain = 2
	// maxFormText: a form with less text than this (and no long paragraph)
	// is a search box or a newsletter sign-up, not an article in a form.
	maxFormText = 1000
	// minNoscriptArticle: a <noscript> holding at least this much markup
	// with paragraphs is the article for readers without scripts; image
	// fallbacks and tracking pixels are much shorter.
	minNoscriptArticle = 1000
	// replacementKeyLen: the first bytes of a replaced block's text are
	// enough to find it again and keep the key small.
	replacementKeyLen = 80
	// longParagraph: a paragraph this long is prose, whatever its
	// container's class says (two or three sentences).
	longParagraph = 150
)

// body is what the page says in its own words: the article text, blocks
// separated by one blank line, and the reader comments in page order.
type body struct {
	Text string
	// Markdown is the same blocks as Markdown, set only when
	// bodyOptions.Markdown asks for it.
	Markdown string
	Comments []record.Comment
}

// extractBody finds the article text of doc and its reader comments. It
// works on the parsed tree in place (the metadata has been read by then), in
// passes that each touch every node a bounded number of times: clean out
// what is never text, pick the main container by Readability-style scoring,
// prune boilerplate inside it, and fall back to the page's substantial
// paragraphs when the container holds too little.
func extractBody(doc *goquery.Document, m *meta, opts bodyOptions) body {
	if doc == nil || len(doc.Nodes) == 0 {
		return body{}
	}
	root := doc.Nodes[0]
	var ld rendered
	if m != nil {
		ld = jsonLDBody(m.ldBody, opts)
	}
	var noscripts []*html.Node
	cleanTree(root, &noscripts)
	restoreNoscripts(noscripts)
	comments := findComments(root)

	title := ""
	if m != nil {
		title = normSpace(m.Title)
	}
	a := newAnalysis(root, opts)
	if m != nil {
		for _, d := range m.summaries {
			if k := looseText(d); utf8.RuneCountInString(k) >= minSummaryRunes {
				a.summaries = append(a.summaries, k)
			}
		}
	}
	text := a.mainText(title)
	// The page's substantial paragraphs replace the main pass's pick when
	// that is small, or when they hold more than twice its text: the pick
	// was then one block of an article the scoring saw as several (a
	// paywall box, a lead paragraph, one section of a page builder).
	if fb, size := a.fallbackNodes(title); size > text.runes() && (text.runes() < minBodyRunes || size > fallbackGain*text.runes()) {
		if r := a.render(fb); r.runes() > text.runes() {
			text = r
		}
	}
	if ld.Text != "" && text.runes() < ld.runes()/2 {
		text = ld
	}
	if text.Text == "" {
		text = a.wholeText()
	}
	return body{Text: text.Text, Markdown: text.Markdown, Comments: comments}
}

// minBodyRunes is the size below which the main pass is assumed to have
// picked a teaser or a widget rather than the article.
const minBodyRunes = 250

// dropTags never hold article text (or hold it only as a duplicate, like
// noscript), so they go before any scoring sees them. MathML is not among
// them: its text is the formula the article states.
var dropTags = map[atom.Atom]bool{
	atom.Head: true, atom.Script: true, atom.Style: true, atom.Noscript: true,
	atom.Template: true, atom.Svg: true, atom.Iframe: true,
	atom.Object: true, atom.Embed: true, atom.Canvas: true, atom.Video: true,
	atom.Audio: true, atom.Button: true, atom.Input: true, atom.Select: true,
	atom.Textarea: true, atom.Option: true, atom.Map: true, atom.Link: true,
	atom.Meta: true, atom.Dialog: true, atom.Frameset: true, atom.Applet: true,
}

// clean removes comments, non-text elements, hidden elements and small
// forms. Hidden elements go because readers never see them (hidden SEO
// links, collapsed templates); forms go because they are comment, search
// and newsletter boxes, except the page-wide forms of some frameworks,
// which hold the whole page and are kept.
func clean(n *html.Node) { cleanTree(n, nil) }

// cleanTree is clean that, when keep is not nil, leaves in place and
// collects the noscript elements that may hold the article (see
// restoreNoscripts) instead of removing them.
func cleanTree(n *html.Node, keep *[]*html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch c.Type {
		case html.CommentNode:
			n.RemoveChild(c)
		case html.ElementNode:
			if keep != nil && c.DataAtom == atom.Noscript && noscriptMarkup(c) {
				*keep = append(*keep, c)
				break
			}
			if dropTags[c.DataAtom] || isHidden(c) {
				n.RemoveChild(c)
				break
			}
			cleanTree(c, keep)
			if c.DataAtom == atom.Form && textLen(c) < maxFormText && !hasLongParagraph(c) {
				n.RemoveChild(c)
			}
		}
		c = next
	}
}

// noscriptMarkup reports whether noscript element n holds enough markup to
// be an article: the parser keeps its content as raw text, and image
// fallbacks and tracking pixels are short.
func noscriptMarkup(n *html.Node) bool {
	c := n.FirstChild
	return c != nil && c.Type == html.TextNode && c.NextSibling == nil && len(c.Data) >= minNoscriptArticle && strings.Contains(c.Data, "<p")
}

// restoreNoscripts replaces each of the noscript elements ns (collected by
// cleanTree, still in the tree) by its parsed content when that holds a
// long paragraph the rest of the page does not show: blogs that render
// the article from a script template keep the only readable copy in
// noscript. Otherwise the element goes, as clean would have removed it.
func restoreNoscripts(ns []*html.Node) {
	if len(ns) == 0 {
		return
	}
	type repl struct {
		at    *html.Node // an empty text node where the noscript was
		nodes []*html.Node
		key   string // the start of its first long paragraph
	}
	var todo []repl
	root := ns[0]
	for root.Parent != nil {
		root = root.Parent
	}
	for _, n := range ns {
		// Each noscript leaves an empty text node to insert at: the shown
		// text is read with every noscript out of the tree.
		at := &html.Node{Type: html.TextNode}
		parent := n.Parent
		parent.InsertBefore(at, n)
		parent.RemoveChild(n)
		frag, err := html.ParseFragment(strings.NewReader(n.FirstChild.Data), parent)
		if err != nil {
			continue
		}
		wrap := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
		for _, f := range frag {
			wrap.AppendChild(f)
		}
		cleanTree(wrap, nil)
		p := firstLongParagraph(wrap)
		if p == nil {
			continue
		}
		r := repl{at: at, key: textOf(p)}
		if len(r.key) > replacementKeyLen {
			r.key = normSpace(strings.ToValidUTF8(r.key[:replacementKeyLen], ""))
		}
		for c := wrap.FirstChild; c != nil; c = wrap.FirstChild {
			wrap.RemoveChild(c)
			r.nodes = append(r.nodes, c)
		}
		todo = append(todo, r)
	}
	if len(todo) == 0 {
		return
	}
	shown := textOf(root)
	for _, r := range todo {
		if strings.Contains(shown, r.key) {
			continue
		}
		for _, c := range r.nodes {
			r.at.Parent.InsertBefore(c, r.at)
		}
	}
}

// firstLongParagraph returns the first paragraph of at least 150 runes
// below n, or nil.
func firstLongParagraph(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.P && textLen(c) >= longParagraph {
			return c
		}
		if p := firstLongParagraph(c); p != nil {
			return p
		}
	}
	return nil
}

var (
	offscreen = regexp.MustCompile(`(?:left|top|text-indent):-\d{3,}`)
	hiddenCls = map[string]bool{"hidden": true, "hide": true, "d-none": true, "sr-only": true,
		"screen-reader-text": true, "visually-hidden": true, "visuallyhidden": true,
		"element-invisible": true, "invisible": true, "is-hidden": true, "u-hidden": true}
)

func hasLongParagraph(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.P && textLen(c) >= longParagraph || hasLongParagraph(c) {
			return true
		}
	}
	return false
}

func isHidden(n *html.Node) bool {
	for _, at := range n.Attr {
		switch strings.ToLower(at.Key) {
		case "hidden":
			return true
		case "aria-hidden":
			if strings.EqualFold(strings.TrimSpace(at.Val), "true") {
				return true
			}
		case "style":
			s := strings.ToLower(strings.Join(strings.Fields(at.Val), ""))
			if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") || offscreen.MatchString(s) {
				return true
			}
		case "class":
			for f := range strings.FieldsSeq(strings.ToLower(at.Val)) {
				if hiddenCls[f] {
					return true
				}
			}
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, at := range n.Attr {
		if at.Key == key {
			return at.Val
		}
	}
	return ""
}

// textLen is the length in runes of n's text with whitespace runs counted
// as one, the measure every threshold here is in.
func textLen(n *html.Node) int {
	total := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			total += collapsedLen(n.Data)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return total
}

func collapsedLen(s string) int {
	n, space := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				n++
			}
			space = true
			continue
		}
		space = false
		n++
	}
	return n
}

// textOf returns n's text with whitespace collapsed, trimmed.
func textOf(n *html.Node) string {
	var sb strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			sb.WriteString(n.Data)
			return
		}
		sep := n.Type == html.ElementNode && (n.DataAtom == atom.Br || blockTags[n.DataAtom])
		if sep {
			sb.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if sep {
			sb.WriteByte(' ')
		}
	}
	walk(n)
	return normSpace(sb.String())
}

// normSpace collapses runs of white space in s to one space and trims it.
// Text that is already so, most of it, is returned without copying.
func normSpace(s string) string {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c == ' ' && prevSpace || c != ' ' && c <= ' ' && (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			return string(appendCollapsed(make([]byte, 0, len(s)), []byte(s)))
		}
		prevSpace = c == ' '
	}
	if prevSpace && s != "" {
		return strings.TrimRight(s, " ")
	}
	return s
}
