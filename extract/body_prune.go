package extract

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Sizes that tell page furniture from prose, in bytes of text.
const (
	// maxTeaserText: a linked block up to this long is a teaser of
	// another page (a headline and a line), not part of the article.
	maxTeaserText = 300
	// maxWidgetText: a block of this little text that is mostly links
	// or labels is a widget.
	maxWidgetText = 200
	// minHintedArticle: a block whose class says article and holds more
	// than this is kept even when it looks like a list of links.
	minHintedArticle = 1000
	// minLinkListItems: fewer links than this are a sentence's links, not
	// a list of other pages.
	minLinkListItems = 5
	// maxBoilerText: longer blocks are prose and skip the furniture checks.
	maxBoilerText = 300
	// maxLabelText, maxCreditText: a widget label ("Share this") or a
	// photo credit line is a short line.
	maxLabelText  = 60
	maxCreditText = 100
	// maxShortBoiler: the reading-time, bare-date and byline checks apply
	// to lines up to this long.
	maxShortBoiler = 80
	// maxBylineWords: "By Jane Doe and John Roe | Staff writers" fits.
	maxBylineWords = 7
	// minKeptBlock: a block of the fallback pass shorter than this (and
	// not a heading) is a caption or a label.
	minKeptBlock = 60
	// maxLinkShare: a block whose text is half links or more is navigation.
	maxLinkShare = 0.5
	// minProseCommas: Readability's test for prose — a short block with
	// fewer commas than this and no paragraph is furniture.
	minProseCommas = 3
)

// The main text: rendering the chosen container and pruning boilerplate inside it.

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
				if s.text < minKeptBlock && !headingTags[c.DataAtom] || s.text == 0 || a.linkDensity(c) >= maxLinkShare {
					continue
				}
				if s.text <= maxTeaserText || headingTags[c.DataAtom] {
					t := textOf(c)
					if utf8.RuneCountInString(t) < minKeptBlock && !headingTags[c.DataAtom] || t == "" || isBoilerText(t) || t == title {
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
	if h := a.hintOf(c); h.neg == negNormal && !h.pos && s.paras == 0 && s.text < maxWidgetText && s.commas < minProseCommas {
		return true
	}
	if s.text == 0 {
		return false
	}
	if (c.DataAtom == atom.Ul || c.DataAtom == atom.Ol) && isSlideshow(c) {
		return true
	}
	if a.linkList(c) {
		return true
	}
	if s.text <= maxWidgetText && blockTags[c.DataAtom] {
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

// linkList reports whether block c is a list of links. As in Readability,
// prose (many commas) is never a link list. A list is judged as a whole:
// a linked item in a list of prose items ("Here's our year in review!")
// is part of the prose. A block that holds a long paragraph, or is named
// as content and holds much text, is judged by its parts: the article's
// wrapper is link-dense when the site puts its menus inside it.
func (a *analysis) linkList(c *html.Node) bool {
	switch c.DataAtom {
	case atom.Ul, atom.Ol, atom.Dl, atom.Div, atom.Section, atom.Table, atom.P, atom.Menu, atom.Li, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
	default:
		return false
	}
	s := a.st(c)
	if s.commas >= 10 || s.paras != 0 || a.linkDensity(c) <= 0.5 {
		return false
	}
	if c.DataAtom == atom.Li && c.Parent != nil && a.linkDensity(c.Parent) <= 0.5 {
		return false
	}
	return !(c.DataAtom == atom.P && addressLink(c)) && !(a.hintOf(c).pos && s.text > minHintedArticle)
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
	if items < minLinkListItems {
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
	if t == "" || len(t) > maxBoilerText {
		return false
	}
	l := strings.ToLower(strings.Trim(t, " -–—:|·•*»«>()[]?!.…"))
	if labelText[l] || l == "" {
		return true
	}
	if len(l) <= maxLabelText && hasPrefixAny(l, labelPrefixes) || len(l) <= maxCreditText && hasPrefixAny(l, creditPrefixes) {
		return true
	}
	if (strings.Contains(l, "©") || strings.Contains(l, "copyright") || strings.Contains(l, "(c)")) &&
		(strings.Contains(l, "all rights reserved") || strings.Contains(l, "alle rechte vorbehalten")) {
		return true
	}
	if len(l) > maxShortBoiler {
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
	return hasPrefixAny(l, bylineStarts) && len(strings.Fields(t)) <= maxBylineWords && bylineText.MatchString(t)
}

// bylineStarts are the lower-case beginnings bylineText requires.
var bylineStarts = []string{"by", "posted", "written", "words", "review", "von", "published", "updated", "last updated", "veröffentlicht"}
