package extract

import (
	"slices"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The content score's constants, those of Mozilla Readability, whose
// tests our body extraction is measured on.
const (
	// minScoredParagraph: shorter paragraphs ("Share", "Advertisement")
	// add no score.
	minScoredParagraph = 25
	// scoredAncestors: a paragraph's score reaches this many ancestors,
	// halved and then divided further at each level.
	scoredAncestors = 5
	// minAlternatives: this many other top candidates sharing an ancestor
	// make the ancestor the article.
	minAlternatives = 3
	// minSiblingScore, siblingShare: a sibling of the top candidate joins
	// the article when it scores at least the larger of these (an absolute
	// floor and a fifth of the top score); siblingShare is also the bonus
	// a sibling of the top's class gets.
	minSiblingScore = 10
	siblingShare    = 0.2
)

// Readability-style candidate scoring: per-node statistics, scores, the top candidate.

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
		if runes, k := a.paragraphSize(c); runes >= minScoredParagraph {
			s := 1 + float64(k) + min(float64(runes/100), 3)
			level := 0
			for p := c.Parent; p != nil && p.Type == html.ElementNode && level < scoredAncestors; p = p.Parent {
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
	top := a.splitArticle(cands)
	top = a.climbScores(top)
	top = a.climbParagraphs(top)
	// The page's own itemprop="articleBody" around the candidate is the
	// article: the scoring picked a dense part of it (a gallery, a table).
	for p := top; !a.isRoot(p); p = p.Parent {
		if a.hintOf(p).marked {
			top = p
			break
		}
	}
	top = a.wholeArticle(top)
	if a.isRoot(top) || top.Parent == nil {
		return []*html.Node{top}
	}
	return a.withSiblings(top)
}

// isRoot reports whether n is above any candidate: the body, the document.
func (a *analysis) isRoot(n *html.Node) bool {
	return n == nil || n == a.body || n.Type != html.ElementNode || n.DataAtom == atom.Html
}

// splitArticle returns the best candidate, or the ancestor three of the
// next near-equal candidates share: the article is then split in parts.
func (a *analysis) splitArticle(cands []*html.Node) *html.Node {
	top := cands[0]
	topScore := a.st(top).score
	var alts [][]*html.Node
	for _, c := range cands[1:min(len(cands), 5)] {
		if topScore > 0 && a.st(c).score/topScore >= 0.75 {
			var anc []*html.Node
			for p := c.Parent; !a.isRoot(p); p = p.Parent {
				anc = append(anc, p)
			}
			alts = append(alts, anc)
		}
	}
	if len(alts) < minAlternatives {
		return top
	}
	for p := top.Parent; !a.isRoot(p); p = p.Parent {
		n := 0
		for _, anc := range alts {
			if slices.Contains(anc, p) {
				n++
			}
		}
		if n >= minAlternatives {
			return p
		}
	}
	return top
}

// climbScores climbs while the parent scores better (the paragraphs were
// spread over several children of it), then through single-child
// wrappers.
func (a *analysis) climbScores(top *html.Node) *html.Node {
	last := a.st(top).score
	threshold := last / 3
	for p := top.Parent; !a.isRoot(p); p = p.Parent {
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
	for p := top.Parent; !a.isRoot(p) && elementChildren(p) == 1; p = p.Parent {
		top = p
	}
	return top
}

// climbParagraphs climbs to an ancestor that holds clearly more of the
// page's long paragraphs: the scoring can favour a dense table or list
// inside the article over the article itself.
func (a *analysis) climbParagraphs(top *html.Node) *html.Node {
	total := a.st(a.root).text
	best := top
	for p := top.Parent; !a.isRoot(p); p = p.Parent {
		if a.boilerplate(p, total) {
			break
		}
		if ps := a.st(p); ps.gparas >= a.st(best).gparas+2 && a.linkDensity(p) < 0.35 {
			best = p
		}
	}
	return best
}

// wholeArticle replaces a top candidate that holds under half of the
// page's long paragraphs — a fragment (one block of a page built from
// many blocks, a slider) — with the deepest element that holds nearly all
// of them.
func (a *analysis) wholeArticle(top *html.Node) *html.Node {
	g := a.st(a.root).gparas
	if g < minAlternatives || a.st(top).gparas*2 >= g {
		return top
	}
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
		return d
	}
	return top
}

// withSiblings returns top with the siblings that look like more of the
// article, in page order.
func (a *analysis) withSiblings(top *html.Node) []*html.Node {
	ts := a.st(top)
	sibThreshold := max(minSiblingScore, ts.score*siblingShare)
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
		bonus := 0.0
		if topClass != "" && attr(s, "class") == topClass {
			bonus = ts.score * siblingShare
		}
		condemned := a.boilerplate(s, ts.text)
		if condemned && seen {
			ended = true
		}
		if a.joinsArticle(s, bonus, sibThreshold, condemned, ended) {
			out = append(out, s)
		}
	}
	return out
}

// joinsArticle decides one sibling of the article's container.
func (a *analysis) joinsArticle(s *html.Node, bonus, threshold float64, condemned, ended bool) bool {
	ss := a.st(s)
	if ss.scored && ss.score+bonus >= threshold && !condemned {
		return true
	}
	// A sibling of the article's own class (the next row of a page
	// builder) joins it even when it holds no scored paragraph: its text
	// is in lists or short lines, but it is the same kind of block.
	if bonus > 0 && !condemned && !ended && ss.text >= 150 && a.linkDensity(s) < 0.25 {
		return true
	}
	if s.DataAtom != atom.P || condemned || ended {
		return false
	}
	ld := a.linkDensity(s)
	return ss.text > 80 && ld < 0.25 || ss.text > 0 && ss.text <= 80 && ld == 0 && sentenceEnd.MatchString(textOf(s))
}

// navigation reports whether n is a navigation region (a nav element or
// one named as menu or navigation): mega-menus hold teaser paragraphs of
// other articles, which are never the article of the page.
func (a *analysis) navigation(n *html.Node) bool {
	h := a.hintOf(n)
	return n.DataAtom == atom.Nav || h.neg >= negNormal && !h.pos
}
