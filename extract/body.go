package extract

import (
	"encoding/json"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/reviewpipe/reviewpipe/internal/record"
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
	ld := jsonLDBody(root, opts)
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
			if k := looseText(d); utf8.RuneCountInString(k) >= 20 {
				a.summaries = append(a.summaries, k)
			}
		}
	}
	text := a.mainText(title)
	// The page's substantial paragraphs replace the main pass's pick when
	// that is small, or when they hold more than twice its text: the pick
	// was then one block of an article the scoring saw as several (a
	// paywall box, a lead paragraph, one section of a page builder).
	if fb, size := a.fallbackNodes(title); size > text.runes() && (text.runes() < minBodyRunes || size > 2*text.runes()) {
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
			if c.DataAtom == atom.Form && textLen(c) < 1000 && !hasLongParagraph(c) {
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
	return c != nil && c.Type == html.TextNode && c.NextSibling == nil && len(c.Data) >= 1000 && strings.Contains(c.Data, "<p")
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
		if len(r.key) > 80 {
			r.key = normSpace(strings.ToValidUTF8(r.key[:80], ""))
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
		if c.DataAtom == atom.P && textLen(c) >= 150 {
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
		if c.DataAtom == atom.P && textLen(c) >= 150 || hasLongParagraph(c) {
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

// stat holds the per-element measures the scoring needs, computed once.
type stat struct {
	text, link, commas int
	// paras counts long, complete paragraphs: the safeguard that keeps a
	// wrapper of the article even when its class names sound like boilerplate.
	paras int
	// gparas counts the long paragraphs below n found by the scoring pass,
	// which skips condemned regions: comment threads do not count.
	gparas int
	// inl and inlCommas measure the text n holds outside its block
	// descendants, the way Readability turns a div of bare text into a
	// paragraph.
	inl, inlCommas int
	score          float64
	scored         bool
	hint           hint
	hinted         bool
}

type analysis struct {
	root  *html.Node
	body  *html.Node
	stats map[*html.Node]*stat
	// names caches the verdict on each class name: pages repeat a few
	// hundred names over thousands of elements.
	names map[string]hint
	// summaries are the page's descriptions in looseText form.
	summaries []string
	opts      bodyOptions
	slab      []stat
}

func newAnalysis(root *html.Node, opts bodyOptions) *analysis {
	a := &analysis{root: root, stats: make(map[*html.Node]*stat, 1024), names: make(map[string]hint, 256), opts: opts}
	a.measure(root, false)
	a.body = findBody(root)
	return a
}

func findBody(n *html.Node) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == atom.Body {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if b := findBody(c); b != nil {
			return b
		}
	}
	return nil
}

// measure fills text and link lengths bottom-up in one pass.
func (a *analysis) measure(n *html.Node, inLink bool) (text, link int) {
	if n.Type == html.TextNode {
		l := collapsedLen(n.Data)
		if inLink {
			return l, l
		}
		return l, 0
	}
	inLink = inLink || n.Type == html.ElementNode && n.DataAtom == atom.A
	paras, comma, inl, inlComma := 0, 0, 0, 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t, l := a.measure(c, inLink)
		text += t
		link += l
		switch c.Type {
		case html.ElementNode:
			cs := a.stats[c]
			paras += cs.paras
			comma += cs.commas
			switch {
			case c.DataAtom == atom.Br:
				inl++
			case !blockTags[c.DataAtom]:
				inl += cs.inl
				inlComma += cs.inlCommas
			}
		case html.TextNode:
			k := commas(c.Data)
			comma += k
			inl += t
			inlComma += k
		}
	}
	if n.Type == html.ElementNode || n.Type == html.DocumentNode {
		if n.DataAtom == atom.P && text >= 150 && float64(link) < 0.3*float64(text) {
			t := trailingText(n)
			if !strings.HasSuffix(t, "…") && !strings.HasSuffix(t, "...") && !strings.HasSuffix(t, "]") {
				paras++
			}
		}
		s := a.newStat()
		s.text, s.link, s.paras, s.commas, s.inl, s.inlCommas = text, link, paras, comma, inl, inlComma
		a.stats[n] = s
	}
	return text, link
}

// newStat hands out stats from slabs: one allocation per 256 elements
// rather than one per element.
func (a *analysis) newStat() *stat {
	if len(a.slab) == cap(a.slab) {
		a.slab = make([]stat, 0, 256)
	}
	a.slab = append(a.slab, stat{})
	return &a.slab[len(a.slab)-1]
}

// trailingText returns the last text of n that is not white space, trimmed
// on the right: enough to see how a paragraph ends without building it.
func trailingText(n *html.Node) string {
	for c := n.LastChild; c != nil; c = c.PrevSibling {
		switch c.Type {
		case html.TextNode:
			if t := strings.TrimRightFunc(c.Data, unicode.IsSpace); t != "" {
				return t
			}
		case html.ElementNode:
			if t := trailingText(c); t != "" {
				return t
			}
		}
	}
	return ""
}

func (a *analysis) st(n *html.Node) *stat {
	s := a.stats[n]
	if s == nil {
		s = a.newStat()
		a.stats[n] = s
	}
	return s
}

func (a *analysis) linkDensity(n *html.Node) float64 {
	s := a.st(n)
	if s.text == 0 {
		return 0
	}
	return float64(s.link) / float64(s.text)
}

// negKind grades how sure a class/id hint is that an element is not
// article text.
type negKind int

const (
	negNone negKind = iota
	// negWeak hints name layout regions (sidebar, header) that some themes
	// also put on wrappers around the article.
	negWeak
	// negNormal hints (meta, nav, widget) lose to a positive hint.
	negNormal
	// negStrong hints (comment, share, related, ad) always mean boilerplate.
	negStrong
)

type hint struct {
	pos     bool
	neg     negKind
	comment bool
	// marked is set by itemprop="articleBody"/"reviewBody": the page's
	// own statement that this is the text, which no class name overrides
	// (ids like "share-btns-container" land on such wrappers).
	marked bool
	// ad is set when the strong hint comes only from a BEM modifier for
	// ads ("TestReport__Section--Ads"): templates put those on the
	// sections of an article that may carry an ad slot.
	ad bool
	// side is set when a weak hint names a sidebar (aside, rail,
	// complementary): a region beside the article, never around it.
	side bool
	// heading is set when a weak hint comes only from class names that
	// name the head of a block ("card-header", "table-header"): inside
	// the article such a block is the head of one of its sections (an
	// accordion question, the first rows of a table), not the page's
	// masthead.
	heading bool
}

var (
	posExact  = wordSet("article", "content", "contents", "entry", "post", "story", "body", "text", "main", "review", "hentry", "prose", "blogpost", "articlebody", "reviewbody")
	posAffix  = []string{"article", "content", "story", "entry", "review"}
	posSuffix = []string{"content", "body", "text", "article", "entry", "story"}

	strongPrefix = []string{"comment", "disqus", "share", "sharing", "social", "related", "recommend",
		"newsletter", "subscri", "cookie", "consent", "gdpr", "advert", "adsby", "adslot", "adsense", "sponsor", "promo",
		"outbrain", "taboola", "popup", "modal", "signup", "login", "byline", "caption", "breadcrumb", "pagination",
		"pager", "tagcloud", "taglist", "readmore", "authorbio", "authorbox", "aboutauthor", "aboutthe",
		"bio", "readingtime", "likes", "syndication", "copyright", "disclaimer", "disclosure", "trending",
		"popular", "mostread", "recirc", "newsticker", "ticker", "cta", "factbox", "textbox"}
	adWords      = wordSet("ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising")
	strongExact  = wordSet("ad", "ads", "adv", "advert", "tags", "like", "follow", "subscribe", "rss", "email", "respond", "reply", "replies")
	strongSuffix = []string{"comments", "share", "sharing", "related", "tags", "byline", "social", "caption", "newsletter"}
	weakPrefix   = []string{"sidebar", "aside", "header", "footer", "masthead", "banner", "secondary", "complementary", "extra", "supplement", "rail", "topbar", "colophon"}
	weakSuffix   = []string{"sidebar", "header", "footer"}
	sideWords    = []string{"sidebar", "aside", "rail", "secondary", "complementary"}
	normalPrefix = []string{"nav", "menu", "widget", "meta", "date", "author", "toolbar", "tools", "skip", "jump", "donate", "sticky", "avatar", "profile", "shop", "search", "categor", "crumbs", "sitemap", "legal", "pagenav", "postnav", "infobox", "lightbox", "gallery", "thumb", "teaser", "more", "next", "prev", "branding"}
	normalExact  = wordSet("toc", "print", "tag", "time", "info", "links", "utility", "utilities", "noprint", "community", "shoutbox", "combx", "remark",
		"ratings", "vote", "votes")
	normalSuffix = []string{"nav", "menu", "widget", "meta", "metadata", "links", "date", "navigation"}
	flagWords    = wordSet("has", "with", "no", "without", "not", "enable", "enabled", "disable", "show", "hide", "allow", "use", "is", "can", "single", "front")
	stateWords   = wordSet("open", "closed", "enabled", "disabled", "on", "off", "active", "inactive", "visible", "loaded", "count")
)

func wordSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

func hasPrefixAny(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func hasSuffixAny(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasSuffix(s, p) {
			return true
		}
	}
	return false
}

// hintOf reads class, id and role the way Readability and trafilatura do,
// but on words rather than substrings, so that "address" is not an ad and
// "has-sidebar" on a page wrapper does not condemn the article. Class names
// of the form tag-X/category-X are taxonomy labels of the post, not
// descriptions of the element, and are ignored; so are state flags
// ("sd-sharing-enabled", "enable-pin-share").
func (a *analysis) hintOf(n *html.Node) hint {
	s := a.st(n)
	if s.hinted {
		return s.hint
	}
	s.hinted = true
	s.hint = computeHint(n, a.names)
	return s.hint
}

func computeHint(n *html.Node, cache map[string]hint) hint {
	var h hint
	var buf [12]string
	names := buf[:0]
	weakOther, weakHead := false, false
	for _, at := range n.Attr {
		switch at.Key {
		case "class", "id":
			// The id of a heading is most often its text made into an
			// anchor ("what-to-read-next"), which says nothing of its role.
			if at.Key == "id" && headingTags[n.DataAtom] {
				continue
			}
			for f := range strings.FieldsSeq(at.Val) {
				names = append(names, f)
			}
		case "role":
			switch strings.ToLower(at.Val) {
			case "navigation", "menu", "menubar", "search", "dialog", "alertdialog", "alert", "tablist", "toolbar":
				h.neg = negNormal
			case "complementary", "banner", "contentinfo":
				h.neg = max(h.neg, negWeak)
				weakOther = true
				h.side = h.side || strings.EqualFold(at.Val, "complementary")
			case "main", "article":
				h.pos = true
			}
		case "itemprop":
			switch strings.ToLower(at.Val) {
			case "articlebody", "reviewbody":
				h.pos, h.marked = true, true
			case "text":
				h.pos = true
			}
		}
	}
	switch n.DataAtom {
	case atom.Nav:
		h.neg = max(h.neg, negNormal)
	case atom.Aside, atom.Footer, atom.Header:
		h.neg = max(h.neg, negWeak)
		weakOther = true
		h.side = h.side || n.DataAtom == atom.Aside
	case atom.Article, atom.Main:
		h.pos = true
	}
	for _, name := range names {
		nh, ok := cache[name]
		if !ok {
			nh = nameHint(name)
			if cache != nil {
				cache[name] = nh
			}
		}
		h.pos = h.pos || nh.pos
		switch {
		case nh.neg == negStrong && h.neg != negStrong:
			h.ad = nh.ad
		case nh.neg == negStrong:
			h.ad = h.ad && nh.ad
		}
		h.neg = max(h.neg, nh.neg)
		h.comment = h.comment || nh.comment
		h.side = h.side || nh.side
		if nh.neg == negWeak {
			weakHead = weakHead || nh.heading
			weakOther = weakOther || !nh.heading
		}
	}
	h.heading = h.neg == negWeak && weakHead && !weakOther
	h.side = h.side && h.neg == negWeak
	return h
}

// nameHint judges one class name or id. A strong word anywhere condemns it
// ("related-content", "ad-wrapper") and so does a layout word
// ("entry-header"); otherwise the last word that means anything decides, as
// the head of an English compound does: "widget-post-content" is content,
// "post-meta" is meta.
func nameHint(name string) hint {
	lower := strings.ToLower(name)
	if strings.HasPrefix(lower, "tag-") && lower != "tag-links" || strings.HasPrefix(lower, "category-") {
		return hint{}
	}
	if i := strings.Index(name, "--"); i > 0 && allAdWords(classWords(name[i+2:])) {
		// A BEM modifier for ads on a block that is otherwise plain
		// ("Section--Ads") marks a block that may carry an ad slot.
		if nameHint(name[:i]).neg == negNone {
			return hint{neg: negStrong, ad: true}
		}
	}
	words := classWords(name)
	if len(words) == 0 || len(words) > 1 && (stateWords[words[len(words)-1]] || flagWords[words[0]]) {
		return hint{}
	}
	var h hint
	head, other := false, false
	// Compounds split by the class's own separators name what their
	// joined form does: "author-box" is an authorbox, "news-letter" a
	// newsletter; not in a name that also says content
	// ("entry-content-read-more" is the article).
	if !slices.ContainsFunc(words, isPosWord) {
		for i := 1; i < len(words); i++ {
			if j := words[i-1] + words[i]; hasPrefixAny(j, strongPrefix) && !hasPrefixAny(words[i-1], strongPrefix) {
				h.neg = negStrong
			}
		}
	}
	for _, w := range words {
		switch {
		case strings.HasPrefix(w, "commentar") || strings.HasPrefix(w, "commentat") || isCommentState(w):
			// commentary, commentator: opinion pieces, not reader comments;
			// commented, commentable: states of the post.
		case isCommentWord(w):
			h.neg, h.comment = negStrong, true
		case strongExact[w] || hasPrefixAny(w, strongPrefix) || hasSuffixAny(w, strongSuffix):
			h.neg = negStrong
			if strings.HasPrefix(w, "disqus") || w == "respond" || w == "reply" || w == "replies" {
				h.comment = true
			}
		case hasPrefixAny(w, weakPrefix) || hasSuffixAny(w, weakSuffix):
			h.neg = max(h.neg, negWeak)
			h.side = h.side || hasPrefixAny(w, sideWords) || strings.HasSuffix(w, "sidebar")
			if strings.HasPrefix(w, "header") || strings.HasSuffix(w, "header") {
				head = true
			} else {
				other = true
			}
		}
	}
	h.heading = h.neg == negWeak && head && !other
	h.side = h.side && h.neg == negWeak
	if h.neg != negNone {
		return h
	}
	for i := len(words) - 1; i >= 0; i-- {
		w := words[i]
		if isPosWord(w) {
			return hint{pos: true}
		}
		if normalExact[w] || hasPrefixAny(w, normalPrefix) || hasSuffixAny(w, normalSuffix) {
			return hint{neg: negNormal}
		}
	}
	return hint{}
}

// isPosWord reports whether one word of a class name says article text.
func isPosWord(w string) bool {
	return posExact[w] || hasPrefixAny(w, posAffix) || hasSuffixAny(w, posSuffix)
}

func allAdWords(words []string) bool {
	for _, w := range words {
		if !adWords[w] {
			return false
		}
	}
	return len(words) > 0
}

// commentStems begin the words for reader comments in the languages the
// corpus holds: comment(s), commentaire, commento, Kommentar(e), comentario,
// komentarz, reactie(s), reaction(s).
var commentStems = []string{"comment", "komment", "comentario", "komentar", "reactie", "reaction"}

// isCommentWord reports whether one word of a class name or id names reader
// comments ("comments", "kommentare", "fbcomments"), leaving out the
// commentary of opinion pieces.
func isCommentWord(w string) bool {
	if strings.HasPrefix(w, "commentar") || strings.HasPrefix(w, "commentat") {
		return false
	}
	if isCommentState(w) {
		return false
	}
	return hasPrefixAny(w, commentStems) || strings.HasSuffix(w, "comments")
}

// isCommentState recognises "commented", "commentable": a state of the
// post (it has or takes comments) that article wrappers carry, not a
// comment section.
func isCommentState(w string) bool {
	return strings.HasPrefix(w, "comment") && (strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "able"))
}

// splitWords splits a class name into lower-case words at any character
// that is not a letter or digit.
func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// classWords splits a raw class name into lower-case words, also at
// camelCase humps ("relatedPosts" → related, posts).
func classWords(s string) []string {
	var b strings.Builder
	prev := rune(0)
	for _, r := range s {
		if unicode.IsUpper(r) && unicode.IsLower(prev) {
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToLower(r))
		prev = r
	}
	return splitWords(b.String())
}

// boilerplate reports whether the hints of n condemn it, given the text of
// the region it is judged within. Only strong hints (comment, share, ad…)
// and layout hints (sidebar, footer…) condemn; the rest only weigh in the
// scoring. An element holding several long paragraphs or most of the region's
// text is the article's wrapper whatever its classes say, except for comment
// sections, which are long by nature.
func (a *analysis) boilerplate(n *html.Node, regionText int) bool {
	if n.DataAtom == atom.Body || n.DataAtom == atom.Html {
		return false
	}
	h := a.hintOf(n)
	if h.marked {
		return false
	}
	switch h.neg {
	case negNone, negNormal:
		return false
	case negWeak:
		if h.pos {
			return false
		}
	}
	if h.comment {
		// A thread that holds most of the page is what the page is (a
		// forum topic, a live ticker), not a section below an article.
		s := a.st(n)
		page := a.st(a.root)
		return !(s.text > 1000 && float64(s.text) >= 0.8*float64(page.text) && s.paras == page.paras)
	}
	if h.side {
		// A sidebar of prose (a live ticker, teasers with summaries) is
		// still a sidebar unless it holds most of the page's paragraphs.
		s, page := a.st(n), a.st(a.root)
		return !(s.paras >= 3 && 2*s.paras > page.paras || s.text > 500 && float64(s.text) >= 0.6*float64(regionText))
	}
	if h.ad && a.st(n).paras > 0 && a.insideMarked(n) {
		// Inside the body the page itself marks as the article, a section
		// of prose with an ad modifier is a section that may carry an ad
		// slot, not an ad.
		return false
	}
	return !a.holdsArticle(n, regionText)
}

// insideMarked reports whether an ancestor of n is marked as the article
// body by itemprop.
func (a *analysis) insideMarked(n *html.Node) bool {
	for p := n.Parent; p != nil && p.Type == html.ElementNode; p = p.Parent {
		if a.hintOf(p).marked {
			return true
		}
	}
	return false
}

func (a *analysis) holdsArticle(n *html.Node, regionText int) bool {
	s := a.st(n)
	return s.paras >= 3 || s.text > 500 && float64(s.text) >= 0.6*float64(regionText)
}

// blockTags end a block of text before and after them.
var blockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Dd: true, atom.Details: true, atom.Div: true, atom.Dl: true, atom.Dt: true,
	atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true, atom.Footer: true,
	atom.Form: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Header: true, atom.Hgroup: true, atom.Hr: true,
	atom.Li: true, atom.Main: true, atom.Nav: true, atom.Ol: true, atom.P: true,
	atom.Pre: true, atom.Section: true, atom.Table: true, atom.Tr: true, atom.Ul: true,
	atom.Summary: true, atom.Caption: true, atom.Center: true, atom.Body: true,
	atom.Html: true, atom.Tbody: true, atom.Thead: true, atom.Tfoot: true, atom.Menu: true,
}

var headingTags = map[atom.Atom]bool{atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true}

// tagInit is Readability's prior on an element as a container by its tag.
func tagInit(n *html.Node) float64 {
	switch n.DataAtom {
	case atom.Div, atom.Article, atom.Main:
		return 5
	case atom.Pre, atom.Td, atom.Blockquote:
		return 3
	case atom.Address, atom.Ol, atom.Ul, atom.Dl, atom.Dd, atom.Dt, atom.Li, atom.Form:
		return -3
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Th:
		return -5
	}
	return 0
}

func (a *analysis) classWeight(n *html.Node) float64 {
	h := a.hintOf(n)
	w := 0.0
	if h.pos {
		w += 25
	}
	if h.neg != negNone {
		w -= 25
	}
	return w
}

// paragraphSize returns the length and commas of n's text as a scoring
// unit: all of it for a paragraph, the text outside block children for a
// container (its bare text is a paragraph too); 0 when n is not one.
func (a *analysis) paragraphSize(n *html.Node) (runes, commas int) {
	switch n.DataAtom {
	case atom.P, atom.Pre:
		s := a.st(n)
		return s.text, s.commas
	case atom.Div, atom.Section, atom.Article, atom.Td, atom.Li, atom.Blockquote, atom.Dd,
		atom.Font, atom.Center, atom.Main, atom.Span, atom.Figure:
		s := a.st(n)
		return s.inl, s.inlCommas
	}
	return 0, 0
}

func commas(s string) int {
	n := 0
	for _, r := range s {
		switch r {
		case ',', '，', '、', '،':
			n++
		}
	}
	return n
}

// score walks the tree once, skipping regions whose hints condemn them, and
// credits each paragraph's weight to its ancestors as Readability does.
func (a *analysis) score(n *html.Node, cands *[]*html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if a.boilerplate(c, a.st(a.root).text) {
			continue
		}
		if runes, k := a.paragraphSize(c); runes >= 25 {
			s := 1 + float64(k) + min(float64(runes/100), 3)
			level := 0
			for p := c.Parent; p != nil && p.Type == html.ElementNode && level < 5; p = p.Parent {
				ps := a.st(p)
				if !ps.scored {
					ps.scored = true
					ps.score = tagInit(p) + a.classWeight(p)
					*cands = append(*cands, p)
				}
				switch level {
				case 0:
					ps.score += s
				case 1:
					ps.score += s / 2
				default:
					ps.score += s / float64(level*3)
				}
				level++
			}
		}
		if c.DataAtom == atom.P || c.DataAtom == atom.Pre {
			if cs := a.st(c); cs.paras > 0 {
				for p := c.Parent; p != nil; p = p.Parent {
					a.st(p).gparas++
				}
			}
			continue
		}
		a.score(c, cands)
	}
}

// topCandidate picks the main container as Readability does, including its
// corrections for articles split over several sibling containers, then
// checks the choice against where the page's long paragraphs are, because
// per-paragraph scoring alone can crown a dense table, a slider or one block
// of a page-builder layout.
func (a *analysis) topCandidate() []*html.Node {
	var cands []*html.Node
	a.score(a.root, &cands)
	if len(cands) == 0 {
		return nil
	}
	for _, c := range cands {
		s := a.st(c)
		s.score *= 1 - a.linkDensity(c)
	}
	sort.SliceStable(cands, func(i, j int) bool { return a.st(cands[i]).score > a.st(cands[j]).score })
	top := cands[0]
	topScore := a.st(top).score
	isRoot := func(n *html.Node) bool {
		return n == nil || n == a.body || n.Type != html.ElementNode || n.DataAtom == atom.Html
	}

	// Several near-equal candidates under one ancestor: the article is split.
	var alts [][]*html.Node
	for _, c := range cands[1:min(len(cands), 5)] {
		if topScore > 0 && a.st(c).score/topScore >= 0.75 {
			var anc []*html.Node
			for p := c.Parent; !isRoot(p); p = p.Parent {
				anc = append(anc, p)
			}
			alts = append(alts, anc)
		}
	}
	if len(alts) >= 3 {
		for p := top.Parent; !isRoot(p); p = p.Parent {
			n := 0
			for _, anc := range alts {
				for _, x := range anc {
					if x == p {
						n++
						break
					}
				}
			}
			if n >= 3 {
				top = p
				break
			}
		}
	}
	// Climb while the parent scores better: the paragraphs were spread over
	// several children of it.
	last := a.st(top).score
	threshold := last / 3
	for p := top.Parent; !isRoot(p); p = p.Parent {
		ps := a.st(p)
		if !ps.scored {
			continue
		}
		if ps.score < threshold {
			break
		}
		if ps.score > last {
			top = p
			break
		}
		last = ps.score
	}
	for p := top.Parent; !isRoot(p) && elementChildren(p) == 1; p = p.Parent {
		top = p
	}
	// Climb to an ancestor that holds clearly more of the page's long
	// paragraphs: the scoring can favour a dense table or list inside the
	// article over the article itself.
	total := a.st(a.root).text
	best := top
	for p := top.Parent; !isRoot(p); p = p.Parent {
		if a.boilerplate(p, total) {
			break
		}
		if ps := a.st(p); ps.gparas >= a.st(best).gparas+2 && a.linkDensity(p) < 0.35 {
			best = p
		}
	}
	top = best
	// The page's own itemprop="articleBody" around the candidate is the
	// article: the scoring picked a dense part of it (a gallery, a table).
	for p := top; !isRoot(p); p = p.Parent {
		if a.hintOf(p).marked {
			top = p
			break
		}
	}
	// A top candidate that holds under half of the page's long paragraphs
	// is a fragment (one block of a page built from many blocks, a slider):
	// use the deepest element that holds nearly all of them instead.
	if g := a.st(a.root).gparas; g >= 3 && a.st(top).gparas*2 < g {
		d := a.root
		for {
			var next *html.Node
			for c := d.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && a.st(c).gparas*10 >= g*9 && !a.navigation(c) {
					next = c
					break
				}
			}
			if next == nil {
				break
			}
			d = next
		}
		if d.Type == html.ElementNode && d.DataAtom != atom.Html {
			top = d
		}
	}
	if isRoot(top) || top.Parent == nil {
		return []*html.Node{top}
	}
	// Siblings that look like more of the article join it.
	ts := a.st(top)
	sibThreshold := max(10, ts.score*0.2)
	topClass := attr(top, "class")
	var out []*html.Node
	// ended is set by a condemned sibling after the article (a share bar,
	// an author box): loose paragraphs past it are the page's notes
	// (disclosures, policies), not more of the article.
	seen, ended := false, false
	for s := top.Parent.FirstChild; s != nil; s = s.NextSibling {
		if s.Type != html.ElementNode {
			continue
		}
		if s == top {
			out = append(out, s)
			seen = true
			continue
		}
		ss := a.st(s)
		bonus := 0.0
		if topClass != "" && attr(s, "class") == topClass {
			bonus = ts.score * 0.2
		}
		condemned := a.boilerplate(s, ts.text)
		if condemned && seen {
			ended = true
		}
		if ss.scored && ss.score+bonus >= sibThreshold && !condemned {
			out = append(out, s)
			continue
		}
		// A sibling of the article's own class (the next row of a page
		// builder) joins it even when it holds no scored paragraph: its
		// text is in lists or short lines, but it is the same kind of block.
		if bonus > 0 && !condemned && !ended && ss.text >= 150 && a.linkDensity(s) < 0.25 {
			out = append(out, s)
			continue
		}
		if s.DataAtom == atom.P && !condemned && !ended {
			ld := a.linkDensity(s)
			if ss.text > 80 && ld < 0.25 {
				out = append(out, s)
			} else if ss.text > 0 && ss.text <= 80 && ld == 0 && sentenceEnd.MatchString(textOf(s)) {
				out = append(out, s)
			}
		}
	}
	return out
}

// navigation reports whether n is a navigation region (a nav element or
// one named as menu or navigation): mega-menus hold teaser paragraphs of
// other articles, which are never the article of the page.
func (a *analysis) navigation(n *html.Node) bool {
	h := a.hintOf(n)
	return n.DataAtom == atom.Nav || h.neg >= negNormal && !h.pos
}

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

// leadWords name the standfirst that news templates put in the article
// header, outside the body container, though it is written by the author.
var leadWords = wordSet("lead", "lede", "intro", "excerpt", "standfirst", "summary", "abstract", "description", "vorspann", "teaser", "chapo", "chapeau", "entradilla", "bajada",
	"subtitle", "subheadline", "preface", "perex", "leader", "epigraph")

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
	for _, at := range n.Attr {
		if at.Key != "class" && at.Key != "id" && at.Key != "itemprop" {
			continue
		}
		for f := range strings.FieldsSeq(at.Val) {
			for _, w := range classWords(f) {
				if leadWords[w] {
					return true
				}
			}
		}
	}
	return false
}

// deckWords name the deck (standfirst, dek, subtitle) that templates put
// between the headline and the article text. The news words for a lead
// (lead, intro, teaser, excerpt, summary) are left out: news ledes that
// repeat the description are written as the article's first paragraph,
// and the trafilatura-eval truth counts them as text.
var deckWords = wordSet("deck", "dek", "lede", "subtitle", "subheading", "subhead", "subheadline", "strapline", "standfirst")

// isDeck reports whether n is named as a deck.
func isDeck(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.Div, atom.Section, atom.H2, atom.H3, atom.Span:
	default:
		return false
	}
	for _, at := range n.Attr {
		if at.Key != "class" && at.Key != "id" && at.Key != "itemprop" {
			continue
		}
		for f := range strings.FieldsSeq(at.Val) {
			for _, w := range classWords(f) {
				if deckWords[w] {
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
	if utf8.RuneCountInString(k) < 20 {
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

// mainText extracts the pruned text of the top candidate and its siblings.
func (a *analysis) mainText(title string) rendered {
	nodes := a.topCandidate()
	if len(nodes) == 0 {
		return rendered{}
	}
	if leads := a.lead(nodes[0]); len(leads) > 0 {
		nodes = append(leads, nodes...)
	}
	// A deck that repeats the description goes, but only while it is not
	// a full paragraph: a standfirst written as one is the article's
	// opening even when the page reuses it as its description.
	if len(a.summaries) > 0 {
		kept, prose := nodes[:0], false
		for _, n := range nodes {
			if !prose && isDeck(n) && a.st(n).paras == 0 && a.repeatsSummary(textOf(n)) {
				continue
			}
			kept = append(kept, n)
			prose = prose || n.DataAtom == atom.P && a.st(n).paras > 0 || a.dropDeck(n)
		}
		nodes = kept
	}
	region := 0
	for _, n := range nodes {
		region += a.st(n).text
	}
	w := newBlockWriter(a.opts)
	for _, n := range nodes {
		a.prune(n, region, title)
		w.walk(n)
	}
	return w.article()
}

// wholeText renders the whole cleaned body as it is: the last resort for
// pages so small or so flat that neither pass found a paragraph
// ("<body>Test</body>", a list of headings, a link around paragraphs),
// whose text is then all there is.
func (a *analysis) wholeText() rendered {
	if a.body == nil {
		return rendered{}
	}
	w := newBlockWriter(a.opts)
	w.walk(a.body)
	w.flush()
	return w.join(w.blocks)
}

// fallbackText collects every substantial paragraph of the page outside
// condemned regions: the safety net for pages whose structure defeats the
// container scoring (flat layouts, article split across many wrappers).
//
// It returns the blocks and their size in runes, so that they are
// rendered only when they are used.
func (a *analysis) fallbackNodes(title string) (nodes []*html.Node, size int) {
	total := a.st(a.root).text
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || a.boilerplate(c, total) {
				continue
			}
			switch c.DataAtom {
			case atom.P, atom.Pre, atom.Blockquote, atom.H2, atom.H3, atom.H4:
				// The measures decide first; only short blocks, which may
				// be labels or the title, are turned into text.
				s := a.st(c)
				if s.text < 60 && !headingTags[c.DataAtom] || s.text == 0 || a.linkDensity(c) >= 0.5 {
					continue
				}
				if s.text <= 300 || headingTags[c.DataAtom] {
					t := textOf(c)
					if utf8.RuneCountInString(t) < 60 && !headingTags[c.DataAtom] || t == "" || isBoilerText(t) || t == title {
						continue
					}
				}
				nodes = append(nodes, c)
				size += s.text
				continue
			}
			visit(c)
		}
	}
	visit(a.root)
	return nodes, size
}

// render writes nodes as the article's blocks.
func (a *analysis) render(nodes []*html.Node) rendered {
	w := newBlockWriter(a.opts)
	for _, n := range nodes {
		w.walk(n)
	}
	return w.article()
}

// prune removes boilerplate subtrees inside the chosen container, in the
// manner of trafilatura: condemned hints, link lists, captions, headline,
// byline and date lines, and blocks that are only a widget label.
func (a *analysis) prune(n *html.Node, region int, title string) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode && c.DataAtom == atom.Header && a.hintOf(c).neg != negStrong && !a.holdsArticle(c, region) {
			// The article's header goes but for its standfirst: the
			// headline, bylines and share bars around it are not text.
			if a.keepLeads(c); c.FirstChild == nil {
				n.RemoveChild(c)
			}
		} else if c.Type == html.ElementNode && a.prunable(c, region, title) {
			n.RemoveChild(c)
		} else if c.Type == html.ElementNode {
			a.prune(c, region, title)
		}
		c = next
	}
}

func (a *analysis) prunable(c *html.Node, region int, title string) bool {
	s := a.st(c)
	switch c.DataAtom {
	case atom.H1, atom.Figcaption, atom.Nav:
		return true
	case atom.Aside, atom.Footer:
		if !a.holdsArticle(c, region) {
			return true
		}

	case atom.Figure:
		if !hasDescendant(c, atom.P, atom.Blockquote, atom.Table, atom.Pre) {
			return true
		}
	}
	if a.boilerplate(c, region) && !a.hintOf(c).heading {
		return true
	}
	if h := a.hintOf(c); h.neg == negNormal && !h.pos && s.paras == 0 && s.text < 200 && s.commas < 3 {
		return true
	}
	if s.text == 0 {
		return false
	}
	if (c.DataAtom == atom.Ul || c.DataAtom == atom.Ol) && isSlideshow(c) {
		return true
	}
	switch c.DataAtom {
	case atom.Ul, atom.Ol, atom.Dl, atom.Div, atom.Section, atom.Table, atom.P, atom.Menu, atom.Li, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		// As in Readability, prose (many commas) is never a link list. A
		// list is judged as a whole: a linked item in a list of prose
		// items ("Here's our year in review!") is part of the prose. A
		// block that holds a long paragraph, or is named as content and
		// holds much text, is judged by its parts: the article's wrapper
		// is link-dense when the site puts its menus inside it.
		if s.commas < 10 && a.linkDensity(c) > 0.5 && !(c.DataAtom == atom.Li && c.Parent != nil && a.linkDensity(c.Parent) <= 0.5) &&
			!(c.DataAtom == atom.P && addressLink(c)) && s.paras == 0 && !(a.hintOf(c).pos && s.text > 1000) {
			return true
		}
	}
	if s.text <= 200 && blockTags[c.DataAtom] {
		t := textOf(c)
		if isBoilerText(t) {
			return true
		}
		if title != "" && headingTags[c.DataAtom] && strings.EqualFold(t, title) {
			return true
		}
	}
	return false
}

// isSlideshow reports whether list n holds the captions of a slideshow:
// five items or more, the first of which starts with its counter ("1/50",
// "1 of 50") over the number of items. Such galleries sit inside the
// article body of news sites but are a widget of their own.
func isSlideshow(n *html.Node) bool {
	items := 0
	var first *html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Li {
			if first == nil {
				first = c
			}
			items++
		}
	}
	if items < 5 {
		return false
	}
	t := firstText(first)
	if !strings.HasPrefix(t, "1") {
		return false
	}
	total := strconv.Itoa(items)
	for _, counter := range []string{"1/" + total, "1 / " + total, "1 of " + total} {
		if t == counter || strings.HasPrefix(t, counter+" ") {
			return true
		}
	}
	return false
}

// firstText returns the first text of n that is not white space, trimmed.
func firstText(n *html.Node) string {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			if t := strings.TrimSpace(c.Data); t != "" {
				return t
			}
		case html.ElementNode:
			if t := firstText(c); t != "" {
				return t
			}
		}
	}
	return ""
}

// addressLink reports whether paragraph n holds a single link whose text
// is its own address (a URL, an e-mail address): a reference the article
// gives, not navigation.
func addressLink(n *html.Node) bool {
	var link *html.Node
	k := 0
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil && k < 2; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.A {
				link = c
				k++
				continue
			}
			visit(c)
		}
	}
	visit(n)
	if k != 1 {
		return false
	}
	t := strings.ToLower(textOf(link))
	return !strings.Contains(t, " ") && (strings.Contains(t, "@") || strings.HasPrefix(t, "http") || strings.HasPrefix(t, "www."))
}

func hasDescendant(n *html.Node, tags ...atom.Atom) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		for _, t := range tags {
			if c.DataAtom == t {
				return true
			}
		}
		if hasDescendant(c, tags...) {
			return true
		}
	}
	return false
}

var (
	labelText = wordSet("advertisement", "advertisements", "advertising", "ad", "ads", "anzeige", "werbung", "sponsored",
		"sponsored content", "share", "share this", "share this article", "share this post", "share on", "like this",
		"like", "related", "related posts", "related articles", "related stories", "you might also like",
		"you may also like", "more stories", "recommended", "read more", "read next", "continue reading", "tags", "loading",
		"comments", "leave a comment", "leave a reply", "print", "email", "tweet", "pin", "pin it", "follow us",
		"subscribe", "share via", "more", "next", "previous", "next article", "previous article", "back to top",
		"click to share", "facebook", "twitter", "whatsapp", "linkedin", "reddit", "pinterest", "teilen", "mehr",
		// Headings of the further-reading and contact boxes that close
		// articles; the trafilatura-eval truth counts them as boilerplate.
		"related topics", "related tutorials", "related coverage", "related content", "related reading",
		"auch interessant", "das könnte sie auch interessieren", "schon gelesen", "lesen sie auch", "zum weiterlesen",
		"mehr zum thema", "mehr dazu", "weitere informationen", "weiterführende informationen", "weiterführende links",
		"kontakt", "ansprechpartner", "ansprechpartnerin", "le puede interesar", "lee también", "lire aussi", "à lire aussi",
		"à lire également", "leggi anche", "verwandte themen", "verwandte artikel", "ähnliche themen", "ähnliche artikel",
		"auch lesen", "weiterlesen", "mehr lesen", "zobacz również", "zobacz też", "czytaj też", "czytaj także",
		"über den autor", "über die autorin", "about the author", "originalpublikation", "originalartikel", "quellenangaben",
		"quellen ausblenden", "bild anzeigen", "zurück", "zurück zur übersicht", "zurück zur listenansicht")
	// labelPrefixes begin further-reading headings that name their topic
	// ("Mehr zum Thema Job und Karriere", "Lesen Sie auch die folgenden
	// Beiträge"); they count only on short blocks.
	labelPrefixes = []string{"mehr zum thema ", "lesen sie auch ", "weitere informationen zum ", "weitere informationen zur ",
		"weitere informationen zu ", "related stories", "related articles", "related posts", "das könnte dich", "das könnte sie",
		"das thema könnte", "mehr themen", "puedes ver:", "siguenos en", "síguenos en", "follow us on"}
	// creditPrefixes begin the credit and source lines of pictures and
	// the advertising labels set as a block of their own ("Foto: ATON",
	// "Quelle: Landesregierung", "Anzeige, enthält Affiliate Links").
	creditPrefixes = []string{"foto:", "fotos:", "photo:", "photos:", "photo by ", "photo credit", "bild:", "bilder:", "bild via ",
		"bildquelle", "titelbild", "beitragsbild", "quelle:", "quellen:", "source:", "credit:", "credits:", "crédit photo",
		"crédits photo", "image:", "image illustrative", "abbildung", "copyright ", "copyright:", "© ", "anzeige:", "anzeige,", "anzeige -"}
	readingTime = regexp.MustCompile(`(?i)^(\d+|one|two|three|five|ten)[ -](min|mins|minute|minutes)( read| reading time|)$|^(reading time|lesezeit):? \d+`)
	bylineText  = regexp.MustCompile(`^(?i:by|posted by|written by|words by|review by|von)\s+\p{Lu}[^.!?]{0,60}$|^(?i:published|posted|updated|last updated|posted on|published on|veröffentlicht)\b.{0,60}$`)
	dateText    = regexp.MustCompile(`(?i)^((mon|tues|wednes|thurs|fri|satur|sun)day,? )?((\d{1,2}(st|nd|rd|th)?\.? )?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-zä]*\.? \d{1,2}(st|nd|rd|th)?,? \d{4}|\d{1,2}(st|nd|rd|th)?\.? (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mär|mai|okt|dez)[a-zä]*\.? \d{4}|\d{1,4}[./-]\d{1,2}[./-]\d{2,4})(,? (at )?\d{1,2}:\d{2}( ?[ap]m)?)?$`)
)

// isBoilerText recognises blocks whose words are boilerplate whatever the
// markup around them: widget labels, reading-time labels, bylines, bare
// dates and copyright lines. Long blocks are prose and skip the checks.
func isBoilerText(t string) bool {
	if t == "" || len(t) > 300 {
		return false
	}
	l := strings.ToLower(strings.Trim(t, " -–—:|·•*»«>()[]?!.…"))
	if labelText[l] || l == "" {
		return true
	}
	if len(l) <= 60 && hasPrefixAny(l, labelPrefixes) || len(l) <= 100 && hasPrefixAny(l, creditPrefixes) {
		return true
	}
	if (strings.Contains(l, "©") || strings.Contains(l, "copyright") || strings.Contains(l, "(c)")) &&
		(strings.Contains(l, "all rights reserved") || strings.Contains(l, "alle rechte vorbehalten")) {
		return true
	}
	if len(l) > 80 {
		return false
	}
	// Cheap tests of what each pattern needs come first: most blocks are
	// neither dates nor bylines, and the patterns are slow.
	digit := strings.ContainsAny(l, "0123456789")
	if digit || strings.Contains(l, "min") {
		if readingTime.MatchString(l) {
			return true
		}
	}
	if digit && dateText.MatchString(l) {
		return true
	}
	return hasPrefixAny(l, bylineStarts) && len(strings.Fields(t)) <= 7 && bylineText.MatchString(t)
}

// bylineStarts are the lower-case beginnings bylineText requires.
var bylineStarts = []string{"by", "posted", "written", "words", "review", "von", "published", "updated", "last updated", "veröffentlicht"}

// jsonLDBody returns the longest articleBody or reviewBody of the page's
// JSON-LD when it looks complete (long, not cut with an ellipsis).
func jsonLDBody(root *html.Node, opts bodyOptions) rendered {
	best := ""
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Script {
			// Decoding is skipped for the scripts, most of them, that
			// cannot hold a body.
			if c := n.FirstChild; c != nil && strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") &&
				(strings.Contains(c.Data, "articleBody") || strings.Contains(c.Data, "reviewBody")) {
				var v any
				if json.Unmarshal([]byte(c.Data), &v) == nil {
					findBodies(v, &best)
				}
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(root)
	if utf8.RuneCountInString(best) < 500 {
		return rendered{}
	}
	t := strings.TrimSpace(best)
	if strings.HasSuffix(t, "…") || strings.HasSuffix(t, "...") || strings.HasSuffix(t, "[…]") {
		return rendered{}
	}
	w := newBlockWriter(opts)
	if strings.Contains(t, "<") {
		nodes, err := html.ParseFragment(strings.NewReader(t), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
		if err == nil {
			for _, n := range nodes {
				w.walk(n)
			}
			return w.article()
		}
	}
	w.addPlain(t)
	return w.join(w.blocks)
}

func findBodies(v any, best *string) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && (k == "articleBody" || k == "reviewBody") && len(s) > len(*best) {
				*best = s
			}
			findBodies(x, best)
		}
	case []any:
		for _, x := range v {
			findBodies(x, best)
		}
	}
}

// Reader comments.

var (
	commentItemID    = regexp.MustCompile(`^(?:li-|div-)?comment-?\d+$`)
	commentItemClass = wordSet("commentbody", "commentitem")
	// commentNouns name one reader comment; commentItemParts may follow
	// them in the class of the comment's element ("comment-item",
	// "kommentar_body", "single-comment").
	commentNouns     = wordSet("comment", "kommentar", "commentaire", "commento", "comentario", "komentarz", "komentar", "reactie", "reaction")
	commentItemParts = wordSet("item", "body", "container", "entry", "wrap", "wrapper", "single")
	commentMeta      = []string{"author", "meta", "date", "time", "reply", "avatar", "vcard", "says", "fn", "permalink",
		"edit", "like", "action", "footer", "header", "byline", "user", "name", "posted", "published", "report", "vote", "rating"}
)

// emptyPrefixes and emptyPhrases are the placeholders comment systems show
// for a thread without comments.
var (
	emptyPrefixes = []string{"no comments", "no responses", "no replies", "no reviews", "there are no comments",
		"there are no responses", "there are no replies", "there are no reviews"}
	emptyPhrases = []string{"be the first", "comments are closed", "comment is closed", "comments is closed",
		"comments are disabled", "comment is disabled", "keine kommentare", "noch keine", "aucun commentaire",
		"sin comentarios", "nessun commento", "geen reacties"}
)

// isEmptyComments recognises the placeholder text of an empty comment
// thread ("No comments yet. Be the first!").
func isEmptyComments(text string) bool {
	l := strings.ToLower(text)
	return hasPrefixAny(l, emptyPrefixes) || containsAny(l, emptyPhrases)
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// isCommentItem recognises the element of one comment by the markers
// comment systems put on it: schema.org Comment, the class names of
// WordPress-style and generic templates, comment-NNN ids, or being an item
// of a list named for comments.
func isCommentItem(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Li, atom.Article, atom.Div, atom.Section, atom.Blockquote, atom.Dd:
	default:
		return false
	}
	for _, at := range n.Attr {
		switch at.Key {
		case "itemtype":
			if strings.Contains(at.Val, "Comment") && !strings.Contains(at.Val, "CommentAction") {
				return true
			}
		case "class":
			for f := range strings.FieldsSeq(strings.ToLower(at.Val)) {
				if commentItemClass[f] || isCommentItemClass(f) {
					return true
				}
			}
		case "id":
			if commentItemID.MatchString(strings.ToLower(at.Val)) {
				return true
			}
		}
	}
	if n.DataAtom == atom.Li && n.Parent != nil && (n.Parent.DataAtom == atom.Ol || n.Parent.DataAtom == atom.Ul) {
		for _, at := range n.Parent.Attr {
			if at.Key != "class" && at.Key != "id" {
				continue
			}
			for f := range strings.FieldsSeq(strings.ToLower(at.Val)) {
				if !containsAny(f, commentStems) {
					continue
				}
				if w := splitWords(f); len(w) > 0 && isCommentWord(w[0]) && !strings.Contains(f, "recent") {
					return true
				}
			}
		}
	}
	return false
}

// commentItemStarts are the beginnings isCommentItemClass requires: a
// comment noun or "single".
var commentItemStarts = []string{"comment", "kommentar", "commento", "comentario", "komentar", "reactie", "reaction", "single"}

// isCommentItemClass recognises the class of one comment's element: a
// comment noun in any of the corpus languages, alone or with one part word.
func isCommentItemClass(f string) bool {
	// Most class names name no comment at all: they are let go before
	// being split.
	if !hasPrefixAny(f, commentItemStarts) {
		return false
	}
	w := splitWords(f)
	switch len(w) {
	case 1:
		return commentNouns[w[0]]
	case 2:
		return commentNouns[w[0]] && commentItemParts[w[1]] || w[0] == "single" && commentNouns[w[1]]
	}
	return false
}

func isCommentMeta(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Footer, atom.Header, atom.Time, atom.Cite, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	for _, at := range n.Attr {
		if at.Key != "class" && at.Key != "itemprop" {
			continue
		}
		for _, w := range splitWords(strings.ToLower(at.Val)) {
			if hasPrefixAny(w, commentMeta) {
				return true
			}
		}
	}
	return false
}

// findComments returns the page's reader comments in page order. A marked
// element that has no text of its own outside other marked elements and
// their meta lines is a wrapper (WordPress puts li.comment around
// article.comment-body), so only the innermost element carrying the text
// counts, while replies nested in a comment count on their own. Forms were
// removed by clean, so a comment form can never be counted.
func findComments(root *html.Node) []record.Comment {
	var items []*html.Node
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if isCommentItem(c) {
				items = append(items, c)
			}
			visit(c)
		}
	}
	visit(root)
	if len(items) == 0 {
		return nil
	}
	isItem := make(map[*html.Node]bool, len(items))
	for _, n := range items {
		isItem[n] = true
	}
	var out []record.Comment
	for _, n := range items {
		c, ok := readComment(n, isItem)
		if ok {
			out = append(out, c)
		}
	}
	return out
}

func readComment(item *html.Node, isItem map[*html.Node]bool) (record.Comment, bool) {
	var (
		own                   strings.Builder
		author, date, content *html.Node
	)
	var walk func(n *html.Node, inMeta bool)
	walk = func(n *html.Node, inMeta bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				if !inMeta {
					own.WriteString(c.Data)
					own.WriteByte(' ')
				}
			case html.ElementNode:
				if isItem[c] {
					continue
				}
				meta := inMeta || isCommentMeta(c)
				if author == nil && isAuthorNode(c) {
					author = c
				}
				if date == nil && c.DataAtom == atom.Time {
					date = c
				}
				if content == nil && isContentNode(c) {
					content = c
				}
				if c.DataAtom == atom.Br || blockTags[c.DataAtom] {
					own.WriteByte(' ')
				}
				walk(c, meta)
			}
		}
	}
	walk(item, false)
	text := normSpace(own.String())
	if content != nil {
		var w blockWriter
		w.walk(content)
		if t := w.plain(); t != "" {
			text = t
		}
	}
	if strings.IndexFunc(text, unicode.IsLetter) < 0 || isEmptyComments(text) {
		return record.Comment{}, false
	}
	var c record.Comment
	c.Body = text
	if author != nil {
		c.Author = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(textOf(author), ":"), "says"), "said"))
	}
	if date != nil {
		c.Published = attr(date, "datetime")
		if c.Published == "" {
			c.Published = textOf(date)
		}
	}
	return c, true
}

func isAuthorNode(n *html.Node) bool {
	for _, at := range n.Attr {
		switch at.Key {
		case "itemprop":
			if strings.EqualFold(at.Val, "author") || strings.EqualFold(at.Val, "creator") {
				return true
			}
		case "class":
			for f := range strings.FieldsSeq(strings.ToLower(at.Val)) {
				if f == "fn" || f == "comment-author" || f == "author" || f == "username" || f == "user-name" || f == "comment-author-name" || f == "author-name" {
					return true
				}
			}
		}
	}
	return false
}

func isContentNode(n *html.Node) bool {
	for _, at := range n.Attr {
		switch at.Key {
		case "itemprop":
			if strings.EqualFold(at.Val, "text") || strings.EqualFold(at.Val, "commentText") {
				return true
			}
		case "class":
			for f := range strings.FieldsSeq(strings.ToLower(at.Val)) {
				switch f {
				case "comment-content", "comment-text", "comment_text", "comment_content", "commenttext", "comment-body-text", "comment-message":
					return true
				}
			}
		}
	}
	return false
}
