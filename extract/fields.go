package extract

import (
	"cmp"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/reviewpipe/reviewpipe/internal/dom"
	"github.com/reviewpipe/reviewpipe/internal/jsonld"
)

// meta is what a page says about itself, gathered before the body is
// extracted so the body extractor can use the title and authors as hints.
// Strings are "" and pointers nil when the page does not say.
type meta struct {
	CanonicalURL string
	SiteName     string
	Title        string
	Description  string
	// summaries holds every description the page gives (meta, Open Graph,
	// Twitter, JSON-LD), so the body extractor can tell a deck that only
	// repeats one of them.
	summaries []string
	// Published is the raw date text as the page gives it (ISO value,
	// visible date or relative phrase); normalizing it is the transform
	// stage's job, where the fetch time is known.
	Published string
	// Modified is the raw date the page says it was last changed.
	Modified string
	Language string
	Authors  []string

	RatingRaw                            string
	RatingValue, RatingBest, RatingWorst *float64
	ItemName, ItemType                   string
	ItemYear                             *int32

	// kind is what the page's structured data, headline and address say
	// about its kind; extract decides it once the rating and item are known.
	kind kindSignals
	// What the page offers for the item of a review that names none in
	// structured data (itemhead.go): the work of a "Creator: Work" title,
	// the type its address files it under, the release year its header
	// shows.
	headWork, sectionType string
	sectionTypeSource     string        // SourceURL or SourceMeta (a reviews section's name)
	sectionsType          string        // the type any section's words give ("Books")
	releaseYear           func() *int32 // read only for a review: most pages are none

	// ldBody is the longest articleBody or reviewBody of the JSON-LD.
	ldBody string

	// sources says which kind of source gave each field its value.
	sources fieldSources

	// The users' aggregate rating (userrating.go), on its own scale.
	UserRatingValue, UserRatingBest, UserRatingWorst *float64
	UserRatingCount                                  *int64
}

// extractMeta reads doc without modifying it. Sources are tried from the
// most deliberate (JSON-LD, microdata, meta tags) to the most incidental
// (visible bylines and date lines), because publishers fill structured data
// for search engines with more care than they lay out their templates.
func extractMeta(doc *goquery.Document, pageURL string) meta {
	p := newMetaPage(doc, pageURL)
	m := meta{sources: fieldSources{}}
	var src string

	m.CanonicalURL = p.canonical()
	m.SiteName, src = p.siteName()
	m.sources.set(fieldSiteName, src, m.SiteName != "")
	title, src := p.title(m.SiteName, m.CanonicalURL)
	if m.Title = p.visibleHeadline(title); m.Title != title {
		src = SourceMarkup
	}
	m.sources.set(fieldTitle, src, m.Title != "")
	if m.SiteName == "" {
		m.SiteName = p.titleSiteSuffix(m.Title)
		m.sources.set(fieldSiteName, SourceMeta, m.SiteName != "")
	}
	p.locateHeadline(m.Title)
	m.Description = p.description()
	m.ldBody = p.ldBody()
	m.summaries = p.summaries()
	m.Language = p.language()
	m.Published, src = p.published()
	if m.Published == "" {
		m.Published, src = urlDate(m.CanonicalURL, pageURL), SourceURL
	}
	m.sources.set(fieldPublished, src, m.Published != "")
	m.Modified, src = p.modified()
	m.sources.set(fieldModified, src, m.Modified != "")
	m.Authors, src = p.authors(m.SiteName)
	m.sources.set(fieldAuthors, src, len(m.Authors) > 0)
	p.review(&m)
	p.userRating(&m)
	sections := p.sections(m.Title)
	m.kind = p.kindSignals(m.Title, cmp.Or(m.CanonicalURL, pageURL), sections)
	m.headWork, m.releaseYear = p.creatorWork(m.SiteName, m.CanonicalURL), p.releaseYear
	m.sectionType, m.sectionTypeSource = sectionType(cmp.Or(m.CanonicalURL, pageURL)), SourceURL
	if m.sectionType == "" {
		_, m.sectionType = reviewSection(sections)
		m.sectionTypeSource = SourceMeta
	}
	m.sectionsType = sectionsType(sections)
	return m
}

// metaPage holds the per-document indexes the field pickers share, so the
// tree is walked a handful of times rather than once per field.
type metaPage struct {
	doc  *goquery.Document
	base *url.URL

	tags map[string][]string // <meta> name/property/http-equiv → contents, in page order
	ld   jsonld.Doc          // every JSON-LD object, in page order

	// nodes lists the element nodes in document order; order maps a node
	// to its index there and in info, which holds what the pickers ask
	// about every element, worked out in the one walk that builds them.
	nodes    []*html.Node
	order    map[*html.Node]int
	info     []metaNodeInfo
	words    map[string]uint8 // class token → tok* kinds, since tokens repeat
	docTitle string           // the first <title>, whitespace collapsed
	heads    []*html.Node     // h1, h2 and h3 elements in document order

	siteHeads map[string]bool // loose keys of the h1s naming the site (siteHeadings)

	glyphs   bool       // some visible text holds a star glyph (★, ☆)
	headline *html.Node // the element holding the article headline
	scope    *html.Node // the article container around the headline
}

// metaNodeInfo is what the index knows about one element.
type metaNodeInfo struct {
	end   int32 // index of its last descendant element (its own if none)
	text  int32 // printable ASCII bytes of its visible text: no metaText or metaLines of it is shorter
	flags uint8
}

const (
	nodeInBody     uint8 = 1 << iota // a descendant of <body> (what "body *" selects)
	nodeInComments                   // inComments
	nodeChrome                       // chrome
	nodeBlockToken                   // one of its own class tokens is in-article furniture (chromeWithin)
	nodeFieldToken                   // its class or id holds a field picker's stem (fieldStems)
)

// metaWalkState carries what an element inherits from its ancestors.
// The region tests stop at <body> and <html>, so below those elements
// everything but inBody and article starts afresh.
type metaWalkState struct {
	inBody    bool
	comments  bool // inside a comment thread
	navRole   bool // a <nav> or a navigation/banner/contentinfo/complementary role
	asideHF   bool // an <aside>, or a header or footer not named for the post
	chromeTok bool // an element whose class or id names furniture
	article   bool // an <article>, <main> or role=main (not reset at <body>)
}

func newMetaPage(doc *goquery.Document, pageURL string) *metaPage {
	p := &metaPage{doc: doc, tags: map[string][]string{}, words: make(map[string]uint8, 256)}
	p.base, _ = url.Parse(strings.TrimSpace(pageURL))
	count := 0
	for _, n := range doc.Nodes {
		count += metaCountElements(n)
	}
	p.nodes = make([]*html.Node, 0, count)
	p.info = make([]metaNodeInfo, 0, count)
	for _, n := range doc.Nodes {
		p.index(n, metaWalkState{}, false)
	}
	p.order = make(map[*html.Node]int, len(p.nodes))
	for i, n := range p.nodes {
		p.order[n] = i
	}
	var base, title *html.Node
	for _, n := range p.nodes {
		switch n.Data {
		case "base":
			if _, ok := dom.HasAttr(n, "href"); ok && base == nil {
				base = n
			}
		case "title":
			if title == nil {
				title = n
			}
		case "meta":
			p.addMeta(n)
		case "script":
			if t := dom.Attr(n, "type"); strings.Contains(strings.ToLower(t), "ld+json") {
				p.ld.Add(dom.NodeText(n))
			}
		case "h1", "h2", "h3":
			p.heads = append(p.heads, n)
		}
	}
	if base != nil {
		if b, err := url.Parse(strings.TrimSpace(dom.Attr(base, "href"))); err == nil {
			if p.base != nil {
				b = p.base.ResolveReference(b)
			}
			p.base = b
		}
	}
	if title != nil {
		p.docTitle = dom.Space(dom.NodeText(title))
	}
	p.siteHeads = p.siteHeadings()
	return p
}

// metaCountElements counts the elements below n, to size the index.
func metaCountElements(n *html.Node) int {
	count := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			count += 1 + metaCountElements(c)
		}
	}
	return count
}
