package extract

import (
	"cmp"
	"encoding/json"
	"iter"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
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
	releaseYear           *int32

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
	var m meta

	m.CanonicalURL = p.canonical()
	m.SiteName = p.siteName()
	m.Title = p.visibleHeadline(p.title(m.SiteName, m.CanonicalURL))
	if m.SiteName == "" {
		m.SiteName = p.titleSiteSuffix(m.Title)
	}
	p.locateHeadline(m.Title)
	m.Description = p.description()
	m.summaries = p.summaries()
	m.Language = p.language()
	m.Published = p.published()
	m.Modified = p.modified()
	if m.Published == "" {
		m.Published = urlDate(m.CanonicalURL, pageURL)
	}
	m.Authors = p.authors(m.SiteName)
	p.review(&m)
	p.userRating(&m)
	m.kind = p.kindSignals(m.Title, cmp.Or(m.CanonicalURL, pageURL))
	m.headWork, m.sectionType, m.releaseYear = p.creatorWork(), sectionType(cmp.Or(m.CanonicalURL, pageURL)), p.releaseYear()
	return m
}

// metaPage holds the per-document indexes the field pickers share, so the
// tree is walked a handful of times rather than once per field.
type metaPage struct {
	doc  *goquery.Document
	base *url.URL

	tags  map[string][]string // <meta> name/property/http-equiv → contents, in page order
	ld    []ldNode            // every JSON-LD object, in page order
	ldIDs map[string]map[string]any

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

	headline *html.Node // the element holding the article headline
	scope    *html.Node // the article container around the headline
}

type ldNode struct {
	obj    map[string]any
	depth  int            // 0 for top-level and @graph members
	parent map[string]any // enclosing object, to find what a nested Review is about
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
	p := &metaPage{doc: doc, tags: map[string][]string{}, ldIDs: map[string]map[string]any{}, words: make(map[string]uint8, 256)}
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
			if _, ok := metaHasAttr(n, "href"); ok && base == nil {
				base = n
			}
		case "title":
			if title == nil {
				title = n
			}
		case "meta":
			p.addMeta(n)
		case "script":
			if t := metaAttr(n, "type"); strings.Contains(strings.ToLower(t), "ld+json") {
				p.addJSONLD(metaNodeText(n))
			}
		case "h1", "h2", "h3":
			p.heads = append(p.heads, n)
		}
	}
	if base != nil {
		if b, err := url.Parse(strings.TrimSpace(metaAttr(base, "href"))); err == nil {
			if p.base != nil {
				b = p.base.ResolveReference(b)
			}
			p.base = b
		}
	}
	if title != nil {
		p.docTitle = metaSpace(metaNodeText(title))
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

func (p *metaPage) addMeta(n *html.Node) {
	content, ok := metaHasAttr(n, "content")
	if !ok {
		return
	}
	content = metaSpace(content)
	if content == "" {
		return
	}
	// itemprop metas are microdata and may belong to a comment; they
	// are read with their scope in microdata().
	for _, key := range []string{"name", "property", "http-equiv"} {
		v, _ := metaHasAttr(n, key)
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
				text += metaNonSpace(c.Data)
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
	st.article = parent.article || n.Data == "article" || n.Data == "main" || metaAttr(n, "role") == "main"
	kinds := p.tokenKinds(n)
	if kinds&tokBlock != 0 {
		flags |= nodeBlockToken
	}
	if n.Data != "body" && n.Data != "html" {
		st.comments = parent.comments || kinds&tokComment != 0 || strings.Contains(strings.ToLower(metaAttr(n, "itemtype")), "comment")
		st.navRole = parent.navRole || n.Data == "nav"
		switch strings.ToLower(metaAttr(n, "role")) {
		case "navigation", "banner", "contentinfo", "complementary":
			st.navRole = true
		}
		st.asideHF = parent.asideHF || n.Data == "aside" ||
			(n.Data == "header" || n.Data == "footer") && !metaArticleWords.matchParts(metaAttr(n, "class"), metaAttr(n, "id"))
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

// metaNonSpace counts the printable ASCII bytes of s. metaSpace and its
// kin keep those whatever else they do, so no text built from s is
// shorter; other bytes are left out to keep the count cheap.
func metaNonSpace(s string) int32 {
	var n int32
	for i := 0; i < len(s); i++ {
		if s[i]-'!' < '~'-'!'+1 {
			n++
		}
	}
	return n
}

// metaNodeText is goquery's Selection.Text for one node: the text nodes
// below n, concatenated as they are.
func metaNodeText(n *html.Node) string {
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

var metaLDWrapper = strings.NewReplacer("<!--", "", "-->", "", "<![CDATA[", "", "]]>", "")

func (p *metaPage) addJSONLD(raw string) {
	raw = strings.TrimSpace(metaLDWrapper.Replace(raw))
	raw = strings.TrimPrefix(raw, "//")
	var v any
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		// Raw line breaks inside strings are the commonest hand-written
		// mistake; anything worse is skipped, never fatal.
		fixed := strings.NewReplacer("\n", " ", "\r", " ", "\t", " ").Replace(raw)
		dec = json.NewDecoder(strings.NewReader(fixed))
		dec.UseNumber()
		if dec.Decode(&v) != nil {
			return
		}
	}
	p.walkLD(v, 0, nil)
}

func (p *metaPage) walkLD(v any, depth int, parent map[string]any) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			p.walkLD(e, depth, parent)
		}
	case map[string]any:
		if g, ok := x["@graph"]; ok {
			p.walkLD(g, depth, parent)
		}
		if id := ldString(x["@id"]); id != "" && len(x) > 1 {
			if _, seen := p.ldIDs[id]; !seen {
				p.ldIDs[id] = x
			}
		}
		if _, ok := x["@type"]; ok {
			p.ld = append(p.ld, ldNode{obj: x, depth: depth, parent: parent})
		}
		for k, e := range x {
			if k == "@graph" || k == "@context" {
				continue
			}
			switch e.(type) {
			case map[string]any, []any:
				p.walkLD(e, depth+1, x)
			}
		}
	}
}

// resolve follows a bare {"@id": …} reference, the way @graph documents
// (Yoast and the like) link authors and publishers.
func (p *metaPage) resolve(v any) any {
	if m, ok := v.(map[string]any); ok {
		if id := ldString(m["@id"]); id != "" && len(m) == 1 {
			if full, ok := p.ldIDs[id]; ok {
				return full
			}
		}
	}
	return v
}

func ldString(v any) string {
	switch x := v.(type) {
	case string:
		return metaSpace(html.UnescapeString(x))
	case json.Number:
		return x.String()
	case []any:
		for _, e := range x {
			if s := ldString(e); s != "" {
				return s
			}
		}
	}
	return ""
}

func ldTypes(obj map[string]any) []string {
	switch t := obj["@type"].(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func ldHasType(obj map[string]any, set map[string]bool) bool {
	for _, t := range ldTypes(obj) {
		if set[strings.ToLower(strings.TrimPrefix(t, "schema:"))] {
			return true
		}
	}
	return false
}

var (
	ldReviewTypes  = metaSet("review", "criticreview", "userreview", "employerreview", "recommendation")
	ldArticleTypes = metaSet("article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
		"opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle", "techarticle",
		"report", "socialmediaposting", "liveblogposting", "discussionforumposting", "posting", "creativework",
		"medicalscholarlyarticle", "satiricalarticle", "advertisercontentarticle", "howto", "recipe", "videoobject")
	ldPageTypes = metaSet("webpage", "itempage", "aboutpage", "collectionpage", "medicalwebpage", "qapage", "faqpage")
	ldSiteTypes = metaSet("website", "organization", "newsmediaorganization", "corporation", "localbusiness")
)

func metaSet(s ...string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, e := range s {
		m[e] = true
	}
	return m
}

// ldMain returns the objects describing the article itself, best first:
// a review before an article before a web page, shallower before nested.
func (p *metaPage) ldMain() []map[string]any {
	var out []map[string]any
	for _, set := range []map[string]bool{ldReviewTypes, ldArticleTypes, ldPageTypes} {
		for depth := 0; depth < 4; depth++ {
			for _, n := range p.ld {
				if n.depth == depth && ldHasType(n.obj, set) {
					out = append(out, n.obj)
				}
			}
		}
	}
	return out
}

// ldFirst returns the first non-empty string under one of keys in the main
// objects, trusting the best object fully before looking at the next.
func (p *metaPage) ldFirst(keys ...string) string {
	for _, obj := range p.ldMain() {
		for _, k := range keys {
			if s := ldString(p.resolve(obj[k])); s != "" {
				return s
			}
		}
	}
	return ""
}

// ldTitle returns the headline of the main JSON-LD object, or its name
// when the two differ and the name is the one <title> shows: Wikipedia
// puts the article's short description ("constitutional monarchy in
// Oceania") in headline and the title ("New Zealand") in name.
func (p *metaPage) ldTitle() string {
	for _, obj := range p.ldMain() {
		headline, name := ldString(p.resolve(obj["headline"])), ldString(p.resolve(obj["name"]))
		switch {
		case headline == "":
			if name != "" {
				return name
			}
		case name != "" && name != headline:
			if p.titleEvidence(name) > p.titleEvidence(headline) {
				return name
			}
			return headline
		default:
			return headline
		}
	}
	return ""
}

// titleEvidence counts the places a candidate title shows up on the page:
// inside <title>, as an h1.
func (p *metaPage) titleEvidence(s string) int {
	k := metaLooseKey(s)
	if k == "" {
		return 0
	}
	n := 0
	if strings.Contains(metaLooseKey(p.docTitle), k) {
		n++
	}
	for _, h := range p.heads {
		if h.Data == "h1" && metaLooseKey(metaNodeText(h)) == k {
			n++
			break
		}
	}
	return n
}

// dcTitle returns the Dublin Core title, which Readability trusts over
// OpenGraph, when it shares a word with <title>: CMS templates often leave
// DC.title at a site-wide value ("Pressemeldungen des …verbandes").
func (p *metaPage) dcTitle() string {
	s := p.tag("dc.title", "dc:title", "dcterms.title", "dcterm:title")
	if s == "" || p.docTitle == "" {
		return s
	}
	doc := metaWords(p.docTitle)
	for w := range metaWords(s) {
		if doc[w] {
			return s
		}
	}
	return ""
}

// ---- URL, site, title, description, language ----

func (p *metaPage) absURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || strings.HasPrefix(raw, "#") {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if p.base != nil {
		if strings.HasPrefix(raw, "//") && p.base.Scheme != "http" && p.base.Scheme != "https" {
			u.Scheme = "https"
		} else {
			u = p.base.ResolveReference(u)
		}
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

func (p *metaPage) canonical() string {
	var got string
	for _, n := range p.nodes {
		if n.Data != "link" {
			continue
		}
		rel, ok := metaHasAttr(n, "rel")
		href, ok2 := metaHasAttr(n, "href")
		if !ok || !ok2 {
			continue
		}
		for _, r := range strings.Fields(strings.ToLower(rel)) {
			if r == "canonical" {
				if got = p.absURL(href); got != "" {
					return got
				}
				break // an unusable href: the next link may do
			}
		}
	}
	if got = p.absURL(p.tag("og:url")); got != "" {
		return got
	}
	for _, obj := range p.ldMain() {
		for _, k := range []string{"url", "mainEntityOfPage"} {
			v := p.resolve(obj[k])
			s := ldString(v)
			if o, ok := v.(map[string]any); ok {
				s = ldString(o["@id"])
				if s == "" {
					s = ldString(o["url"])
				}
			}
			if got = p.absURL(s); got != "" {
				return got
			}
		}
	}
	return ""
}

func (p *metaPage) siteName() string {
	if s := p.tag("og:site_name"); s != "" {
		return s
	}
	for _, obj := range p.ldMain() {
		if pub, ok := p.resolve(obj["publisher"]).(map[string]any); ok {
			if s := ldString(pub["name"]); s != "" {
				return s
			}
		}
		if site, ok := p.resolve(obj["isPartOf"]).(map[string]any); ok && ldHasType(site, ldSiteTypes) {
			if s := ldString(site["name"]); s != "" {
				return s
			}
		}
	}
	for _, set := range []map[string]bool{metaSet("website"), ldSiteTypes} {
		for _, n := range p.ld {
			if n.depth == 0 && ldHasType(n.obj, set) {
				if s := ldString(n.obj["name"]); s != "" {
					return s
				}
			}
		}
	}
	return p.tag("application-name", "apple-mobile-web-app-title", "publisher", "dc.publisher", "citation_publisher")
}

// metaTitleSeps are the separators sites put between a headline and their
// name; a plain hyphen only counts with spaces around it.
var metaTitleSeps = regexp.MustCompile(`\s+(?:\||-|–|—|·|•|»|«|›|‹|::|:|/|\\|~)\s+|\s*[|»›]\s*`)

// metaSplitTitle splits a <title>-like string into its segments.
func metaSplitTitle(s string) []string {
	var parts []string
	for _, seg := range metaTitleSeps.Split(s, -1) {
		if seg = strings.TrimSpace(seg); seg != "" {
			parts = append(parts, seg)
		}
	}
	return parts
}

// metaLooseKey reduces a string to lowercase letters and digits, so that
// "Reel Thoughts" matches "reelthoughts.blog" and "ReelThoughts".
func metaLooseKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// metaSiteLike says whether a title segment names the site rather than the
// article: it matches the site name or the host's registrable label.
func metaSiteLike(seg, siteName, host string) bool {
	k := metaLooseKey(seg)
	if k == "" {
		return false
	}
	if sk := metaLooseKey(siteName); sk != "" && (k == sk || strings.HasPrefix(k, sk) && len(k)-len(sk) <= 4 || strings.HasPrefix(sk, k) && len(k) >= 4) {
		return true
	}
	host = strings.TrimPrefix(strings.ToLower(host), "www.")
	if host != "" {
		if k == metaLooseKey(host) {
			return true
		}
		if i := strings.Index(host, "."); i > 0 && len(host[:i]) >= 3 && k == metaLooseKey(host[:i]) {
			return true
		}
	}
	return false
}

// metaStripSite removes leading and trailing segments that name the site.
func metaStripSite(title, siteName, host string) string {
	parts := metaSplitTitle(title)
	if len(parts) < 2 {
		return title
	}
	for len(parts) > 1 && metaSiteLike(parts[len(parts)-1], siteName, host) {
		parts = parts[:len(parts)-1]
	}
	for len(parts) > 1 && metaSiteLike(parts[0], siteName, host) {
		parts = parts[1:]
	}
	if len(parts) == len(metaSplitTitle(title)) {
		return title
	}
	// Rejoin with the separators the page used, by locating the kept span.
	first, last := parts[0], parts[len(parts)-1]
	i := strings.Index(title, first)
	j := strings.LastIndex(title, last)
	if i < 0 || j < i {
		return strings.Join(parts, " - ")
	}
	return strings.TrimSpace(title[i : j+len(last)])
}

// siteHeadings returns the loose keys of the h1s that link to the site's
// home page: the logo heading of blog themes ("<h1><a href="/">Salsa-Figuren
// - Rueda in Berlin</a></h1>"), whose text is the site's name.
func (p *metaPage) siteHeadings() map[string]bool {
	var keys map[string]bool
	for _, n := range p.heads {
		if n.Data != "h1" {
			continue
		}
		i := p.order[n]
		for j := i + 1; j <= int(p.info[i].end); j++ {
			a := p.nodes[j]
			if a.Data != "a" {
				continue
			}
			href := strings.TrimSpace(metaAttr(a, "href"))
			if u, err := url.Parse(href); href != "" && err == nil && (u.Path == "/" || u.Path == "") && u.RawQuery == "" && u.Fragment == "" && (u.Host == "" || p.base == nil || strings.EqualFold(strings.TrimPrefix(u.Hostname(), "www."), strings.TrimPrefix(p.base.Hostname(), "www."))) {
				if k := metaLooseKey(metaNodeText(n)); k != "" {
					if keys == nil {
						keys = map[string]bool{}
					}
					keys[k] = true
				}
			}
			break
		}
	}
	return keys
}

// metaStripSpans removes leading or trailing title segments that together
// spell one of the site's names (loose keys).
func metaStripSpans(title string, names map[string]bool) string {
	if len(names) == 0 {
		return title
	}
	parts := metaSplitTitle(title)
	for i := 1; i < len(parts); i++ {
		if names[metaLooseKey(strings.Join(parts[i:], " "))] {
			return metaStripTrailing(title, parts[i])
		}
	}
	for j := len(parts) - 1; j >= 1; j-- {
		if names[metaLooseKey(strings.Join(parts[:j], " "))] {
			if k := strings.Index(title, parts[j]); k > 0 {
				return strings.TrimSpace(title[k:])
			}
		}
	}
	return title
}

// metaCJKSiteTail is the site name Chinese and Japanese sites glue to the
// headline without spaces: "…英雄的城！-新华网", "…新台阶_科技_腾讯网".
var metaCJKSiteTail = regexp.MustCompile(`([\p{Han}\p{Hiragana}\p{Katakana}！？。」）])\s*(?:[-_|｜]\s*[^-_|｜\s]{1,12}\s*)+$`)

// metaStripCJKSite removes such a tail when the headline before it is
// longer than the tail.
func metaStripCJKSite(title string) string {
	loc := metaCJKSiteTail.FindStringSubmatchIndex(title)
	if loc == nil {
		return title
	}
	head := title[:loc[3]]
	if utf8.RuneCountInString(head) <= 2*utf8.RuneCountInString(title[loc[3]:]) {
		return title
	}
	return strings.TrimSpace(head)
}

func (p *metaPage) host(canonical string) string {
	for _, raw := range []string{canonical, p.baseString()} {
		if u, err := url.Parse(raw); err == nil && u.Hostname() != "" {
			return u.Hostname()
		}
	}
	return ""
}

func (p *metaPage) baseString() string {
	if p.base == nil {
		return ""
	}
	return p.base.String()
}

func (p *metaPage) title(siteName, canonical string) string {
	host := p.host(canonical)
	docTitle := p.docTitle
	siteHeads := p.siteHeads
	clean := func(s string) string {
		s = metaSpace(html.UnescapeString(s))
		return metaStripCJKSite(metaStripSpans(metaStripSite(s, siteName, host), siteHeads))
	}
	structured := []string{
		p.ldTitle(),
		p.dcTitle(),
		p.tag("og:title"),
		p.tag("twitter:title", "twitter:text:title", "parsely-title", "sailthru.title", "citation_title", "title"),
		metaSpace(metaNodeText(p.firstItemprop("headline"))),
	}
	for _, s := range structured {
		if s = clean(s); s != "" && !metaSiteLike(s, siteName, host) {
			return p.headingWithin(s)
		}
	}
	// Without structured data, an h1 in the content beats <title>, which
	// carries site names in too many shapes to strip reliably.
	var h1s []string
	for _, n := range p.heads {
		if n.Data != "h1" || p.chrome(n) || p.inComments(n) {
			continue
		}
		if t := metaSpace(metaNodeText(n)); t != "" && len(t) < 300 && !metaSiteLike(t, siteName, host) {
			h1s = append(h1s, t)
		}
	}
	if t := p.headingWithin(docTitle); t != docTitle {
		return t
	}
	if t := clean(docTitle); t != docTitle || len(metaSplitTitle(docTitle)) < 2 {
		if t != "" {
			return t
		}
	}
	if len(h1s) == 1 {
		return h1s[0]
	}
	// An unknown site name: drop a short last segment, as readers do.
	parts := metaSplitTitle(docTitle)
	if n := len(parts); n >= 2 && len(strings.Fields(parts[n-1])) <= 4 && len(strings.Fields(parts[n-1])) < len(strings.Fields(docTitle))/2 {
		return metaStripTrailing(docTitle, parts[n-1])
	}
	return docTitle
}

// visibleHeadline returns the headline the page prints over its article
// in place of title when the two are the same headline: the same words but
// for typography ("Korsetts - Shops" printed "Korsetts – Shops", "..."
// printed "…"), the title with a kicker or tail added around it
// ("Olympische Spiele in Paris - Getränke per Schiff ins Stadtzentrum"
// over the printed "Getränke per Schiff ins Stadtzentrum"), or the title
// cut short for search results ("… Hong Kong leader..." printed in full,
// "Ultium Cells erhöht Gigafactory-Kapazität" printed "… in Tennessee").
// What readers see is the headline; meta titles are rewritten for search
// and social cards. The page's one h1 counts even inside a header, where
// many templates put it. A printed headline with other words (a rewrite)
// does not replace the title: on the Readability pages that loses more
// than it gains.
func (p *metaPage) visibleHeadline(title string) string {
	if title == "" {
		return title
	}
	if h := p.headingAtEdge(title); h != "" {
		return h
	}
	var h1, h1Head string
	for _, n := range p.heads {
		if n.Data != "h1" || p.inComments(n) {
			continue
		}
		t := metaSpace(metaNodeText(n))
		if t == "" || len(t) > 300 || p.siteHeads[metaLooseKey(t)] {
			continue
		}
		if h1 != "" && h1 != t {
			return title // several headings: no telling which
		}
		h1, h1Head = t, strings.Trim(metaSpace(metaHeadlineText(n)), " :|-–—·•")
	}
	if h1 == "" {
		return title
	}
	// The h1 marks up a kicker or a subtitle beside the headline
	// (<span class="dachzeile">, <small class="article-subtitle">): the
	// headline is the rest, when the title is a version of the whole h1
	// or of the rest.
	if h1Head != "" && h1Head != h1 {
		hw, tw := metaWords(h1Head), metaWords(title)
		if len(hw) >= 2 && (metaSubset(tw, metaWords(h1)) || metaSubset(hw, tw)) {
			return h1Head
		}
	}
	if h1 == title {
		return title
	}
	hk, tk := metaLooseKey(h1), metaLooseKey(title)
	if hk == tk {
		return h1
	}
	tw, hw := metaWords(title), metaWords(h1)
	if len(hw) >= 3 && metaSubset(hw, tw) {
		return h1
	}
	// The printed headline says more than the title. A kicker glued in
	// front ("Immobilienkrise" + headline, from a <span> of the h1) or a
	// site name or date after a separator is no part of the headline.
	sepOnlyInH1 := strings.ContainsAny(h1, "|•·»") && !strings.ContainsAny(title, "|•·»")
	if len(tw) >= 2 && len(hw) > len(tw) && metaSubset(tw, hw) && !strings.HasSuffix(hk, tk) && !sepOnlyInH1 {
		return h1
	}
	if len(hw) < 3 {
		return title
	}
	// The title names the site or its section, not the article ("Home",
	// "Pressemitteilungen", "Handball Schweiz", an id), while the h1 is a
	// headline.
	if metaIDLike(title) || len(tw) <= 2 && len(hw) >= 4 && metaShared(tw, hw) <= 1 && !sepOnlyInH1 && !strings.ContainsAny(h1, "–—") {
		return h1
	}
	// <title> is the h1, word for word, and only the social-card or
	// JSON-LD title says otherwise: two of the page's three voices agree.
	// Not when <title> has segments (one of them may be the blog's name,
	// printed as its h1) or the h1 glues a kicker before the title.
	if hk == metaLooseKey(p.docTitle) && len(metaSplitTitle(p.docTitle)) == 1 && !strings.HasSuffix(hk, tk) {
		return h1
	}
	return title
}

// headingAtEdge returns an h1 that is the title without a short tail
// ("Ferienhaus Feinen" in "Ferienhaus Feinen (40222) - Ferienhaus
// Lierfeld", "… nach Singapur" in "… nach Singapur, Thailand") or without
// a kicker ending in a separator ("SONNENENERGIE: Der WindRebell" over
// "Der WindRebell"): the part the page prints as its heading is the
// headline, the rest is site, place or section. Other h1s on the page
// (a category, the site logo) do not matter here, since the one found
// shares the title's words in order.
func (p *metaPage) headingAtEdge(title string) string {
	tt := metaTokens(title)
	if len(tt) < 3 {
		return ""
	}
	for _, n := range p.heads {
		if n.Data != "h1" || p.inComments(n) {
			continue
		}
		h := metaSpace(metaNodeText(n))
		ht := metaTokens(h)
		k := len(ht)
		if k < 2 || k >= len(tt) {
			continue
		}
		if slices.Equal(ht, tt[:k]) && len(tt)-k <= 5 && k >= len(tt)-k {
			return h
		}
		if slices.Equal(ht, tt[len(tt)-k:]) && len(tt)-k <= 3 {
			// The kicker must end in a separator: "Der WindRebell" is no
			// headline of "Kampf um Der WindRebell".
			lastKicker := tt[len(tt)-k-1]
			low := strings.ToLower(title)
			if i := strings.Index(low, lastKicker); i >= 0 {
				rest := strings.TrimLeftFunc(low[i+len(lastKicker):], unicode.IsSpace)
				if rest != "" && strings.ContainsRune(":|–—-»/", []rune(rest)[0]) {
					return h
				}
			}
		}
	}
	return ""
}

// metaTokens is the lower-cased words of s in order.
func metaTokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// metaKickerWords name the parts of an h1 that are not its headline: the
// kicker or topic line over it, a subtitle under it.
var metaKickerWords = regexp.MustCompile(`(?i)kicker|dachzeile|roofline|topline|overline|eyebrow|spitzmarke|subtitle|subline|topic-?label|titleheader|h1small|fake-h[1-6]`)

// metaHiddenWords mark text only screen readers get, such as the ": "
// between a kicker and the headline.
var metaHiddenWords = regexp.MustCompile(`(?i)visually-?hidden|invisible|sr-only|screen-reader|hiddendash`)

// metaHeadlineText returns the text of heading n without its kicker and
// subtitle elements, or "" when it has none.
func metaHeadlineText(n *html.Node) string {
	var b strings.Builder
	cut := false
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case c.Type != html.ElementNode:
			case c.Data == "small" || metaKickerWords.MatchString(metaAttr(c, "class")):
				cut = true
				b.WriteByte(' ')
			case metaHiddenWords.MatchString(metaAttr(c, "class")) || metaAttr(c, "aria-hidden") == "true":
				b.WriteByte(' ')
			default:
				walk(c)
			}
		}
	}
	walk(n)
	if !cut {
		return ""
	}
	return b.String()
}

// metaShared counts the words a and b have in common.
func metaShared(a, b map[string]bool) int {
	n := 0
	for w := range a {
		if b[w] {
			n++
		}
	}
	return n
}

var metaIDRe = regexp.MustCompile(`^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$`)

// metaIDLike reports whether a title is a UUID, which CMSs leave in
// og:title when the editor never set one.
func metaIDLike(s string) bool { return metaIDRe.MatchString(strings.TrimSpace(s)) }

// metaSubset reports whether every word of a is in b.
func metaSubset(a, b map[string]bool) bool {
	for w := range a {
		if !b[w] {
			return false
		}
	}
	return true
}

// metaWords is the set of lower-cased words of s.
func metaWords(s string) map[string]bool {
	w := map[string]bool{}
	for f := range strings.FieldsFuncSeq(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		w[f] = true
	}
	return w
}

// headingWithin returns the page heading that a title with separators
// wraps ("Blog » Archive » Headline" around the h1 "Headline"), the
// longest if several do; else the title itself. Whatever the site calls
// itself, the heading it prints over the article is the headline.
func (p *metaPage) headingWithin(title string) string {
	parts := metaSplitTitle(title)
	if len(parts) < 2 {
		return title
	}
	spans := map[string]bool{}
	for i := range parts {
		for j := i + 1; j <= len(parts); j++ {
			if i == 0 && j == len(parts) {
				continue
			}
			spans[metaLooseKey(strings.Join(parts[i:j], " "))] = true
		}
	}
	best := ""
	for _, n := range p.heads {
		if n.Data == "h3" || p.inComments(n) || p.chrome(n) {
			continue
		}
		t := metaSpace(metaNodeText(n))
		if k := metaLooseKey(t); k != "" && spans[k] && !p.siteHeads[k] && len(t) > len(best) {
			best = t
		}
	}
	if best == "" {
		return title
	}
	return best
}

func metaStripTrailing(title, seg string) string {
	i := strings.LastIndex(title, seg)
	if i <= 0 {
		return title
	}
	return strings.TrimSpace(strings.TrimRightFunc(title[:i], func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("|-–—·•»«:/\\~", r)
	}))
}

// titleSiteSuffix guesses the site name from a <title> that carries one
// beside the headline, for pages that state it nowhere else.
func (p *metaPage) titleSiteSuffix(headline string) string {
	docTitle := p.docTitle
	parts := metaSplitTitle(docTitle)
	if len(parts) < 2 {
		return ""
	}
	hk := metaLooseKey(headline)
	last, first := parts[len(parts)-1], parts[0]
	switch {
	case metaLooseKey(last) != hk && strings.Contains(metaLooseKey(docTitle[:strings.LastIndex(docTitle, last)]), hk) && len(strings.Fields(last)) <= 5:
		return last
	case metaLooseKey(first) != hk && strings.Contains(metaLooseKey(docTitle[len(first):]), hk) && len(strings.Fields(first)) <= 5:
		return first
	}
	return ""
}

func (p *metaPage) description() string {
	if s := p.tag("description", "og:description", "twitter:description", "dc.description", "dcterms.description"); s != "" {
		return s
	}
	return p.ldFirst("description")
}

// summaries returns every description the page states, in the order
// description() prefers them, duplicates included.
func (p *metaPage) summaries() []string {
	var out []string
	for _, k := range []string{"description", "og:description", "twitter:description", "dc.description", "dcterms.description"} {
		out = append(out, p.tags[k]...)
	}
	if s := p.ldFirst("description"); s != "" {
		out = append(out, s)
	}
	return out
}

func (p *metaPage) language() string {
	for _, h := range p.nodes {
		if h.Data != "html" {
			continue
		}
		for _, a := range []string{"lang", "xml:lang"} {
			if v := metaAttr(h, a); strings.TrimSpace(v) != "" {
				return strings.TrimSpace(v)
			}
		}
		break
	}
	if s := p.tag("og:locale", "content-language", "language", "dc.language", "dcterms.language"); s != "" {
		return s
	}
	if s := p.ldFirst("inLanguage"); s != "" {
		return s
	}
	for _, n := range p.ld {
		if s := ldString(n.obj["inLanguage"]); s != "" {
			return s
		}
	}
	return ""
}

// ---- page regions ----

var (
	// metaChromeWords mark site furniture around the article: its dates are
	// today's date, archive months and other posts' dates.
	metaChromeWords = regexp.MustCompile(`(?i)header|footer|masthead|top-?bar|breadcrumb|` + metaBlockWords)
	// metaBlockWords mark furniture that also appears inside an article.
	metaBlockWords    = `sidebar|widget|^nav|[-_]nav|menu|related|recommend|popular|trending|newsletter|promo|teaser|more-stories|yarpp|share`
	metaBlockChrome   = regexp.MustCompile(`(?i)` + metaBlockWords)
	metaModifierToken = regexp.MustCompile(`(?i)^(has|with|no|is|show|hide|without)[-_]`)
	// metaArticleWords keep a header or footer that belongs to the post itself.
	metaArticleWords = newHintMatcher(`(?i)entry|post|article|story|single|content|title`,
		[]string{"entry", "post", "article", "story", "single", "content", "title"}, nil, nil)
	metaCommentWords   = regexp.MustCompile(`(?i)^(comments?|commentlist|comment-list|comments-area|comment-\w+|respond|replies|disqus_thread|discussion|reactions|responses)$|^comment[-_]|[-_]comments?$`)
	metaContainerWords = regexp.MustCompile(`(?i)^(hentry|h-entry|post|entry|article|story|single-post|type-post|blog-post|post-content|article-content)$`)
)

// Kinds of class tokens, as tokenKinds reports them.
const (
	tokChrome    uint8 = 1 << iota // furniture around the article (metaChromeWords)
	tokBlock                       // furniture also found inside it (metaBlockChrome)
	tokComment                     // a comment thread (metaCommentWords)
	tokContainer                   // an article container (metaContainerWords)
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
	if !metaIsASCII(tok) {
		return metaTokenKindRE(tok)
	}
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

var metaTokenWords = newMetaWordSet(map[string]uint8{
	"entry": wordArticle, "post": wordArticle, "article": wordArticle, "story": wordArticle, "single": wordArticle,
	"content": wordArticle, "title": wordArticle,
	"-nav": wordBlock, "_nav": wordBlock, "sidebar": wordBlock, "widget": wordBlock, "menu": wordBlock, "related": wordBlock,
	"recommend": wordBlock, "popular": wordBlock, "trending": wordBlock, "newsletter": wordBlock, "promo": wordBlock,
	"teaser": wordBlock, "more-stories": wordBlock, "yarpp": wordBlock, "share": wordBlock,
	"header": wordChrome, "footer": wordChrome, "masthead": wordChrome, "topbar": wordChrome, "top-bar": wordChrome,
	"breadcrumb": wordChrome,
})

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
	key := strings.ToLower(metaSpace(title))
	var first *html.Node
	for _, sel := range []string{"h1", "h2", "h3", "headline"} {
		for _, n := range p.heads {
			if sel == "headline" {
				break // searched below
			}
			if n.Data != sel || p.inComments(n) {
				continue
			}
			t := strings.ToLower(metaSpace(metaNodeText(n)))
			if key != "" && (t == key || len(t) > 8 && strings.Contains(key, t) || len(key) > 8 && strings.Contains(t, key)) {
				p.headline = n
				break
			}
			if first == nil && sel == "h1" && !p.chrome(n) && t != "" {
				first = n
			}
		}
		if sel == "headline" {
			for _, n := range p.nodes {
				if !metaItemprop(n, "headline") || p.inComments(n) {
					continue
				}
				if t := strings.ToLower(metaSpace(metaNodeText(n))); key != "" && (t == key || len(t) > 8 && strings.Contains(key, t) || len(key) > 8 && strings.Contains(t, key)) {
					p.headline = n
					break
				}
			}
		}
		if p.headline != nil {
			break
		}
	}
	if p.headline == nil {
		p.headline = first
	}
	if p.headline == nil {
		for _, n := range p.nodes {
			if n.Data == "article" || n.Data == "main" || metaAttrIs(n, "role", "main") {
				p.scope = n
				break
			}
		}
		return
	}
	for a, depth := p.headline.Parent, 0; a != nil && a.Type == html.ElementNode && a.Data != "body"; a, depth = a.Parent, depth+1 {
		if a.Data == "article" || a.Data == "main" || metaAttr(a, "role") == "main" || p.isArticle(a) {
			p.scope = a
			return
		}
		if depth == 3 && p.scope == nil {
			p.scope = a
		}
	}
}

func (p *metaPage) isArticle(n *html.Node) bool {
	if t := strings.ToLower(metaAttr(n, "itemtype")); strings.Contains(t, "article") || strings.Contains(t, "posting") || strings.Contains(t, "review") {
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

const metaMonths = `jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|aug(?:ust|\.)?|sep(?:t|tember|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?` +
	`|januar|februar|märz|maerz|mär|mrz|mai|juni|juli|okt(?:ober|\.)?|dez(?:ember|\.)?` +
	`|janvier|janv\.?|février|fevrier|févr\.?|mars|avril|avr\.?|juin|juillet|juil\.?|août|aout|septembre|octobre|novembre|décembre|decembre|déc\.?` +
	`|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre` +
	`|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre`

var (
	metaISODate      = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b`)
	metaVisibleDates = []*regexp.Regexp{
		metaISODate,
		regexp.MustCompile(`(?i)\b(?:` + metaMonths + `)\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b`),
		regexp.MustCompile(`(?i)\b\d{1,2}(?:st|nd|rd|th)?\.?\s+(?:of\s+|de\s+)?(?:` + metaMonths + `)\.?,?\s+(?:de\s+)?\d{4}\b`),
		regexp.MustCompile(`\b\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})\b`),
		regexp.MustCompile(`\b\d{4}/\d{1,2}/\d{1,2}\b`),
	}
	metaRelativeDate = regexp.MustCompile(`(?i)\b(?:\d+|an?|one)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago\b`)
	metaDateWords    = newHintMatcher(`(?i)date|time|posted|publish|pubdate|timestamp|dateline|datum|fecha|byline|meta|(^|[-_])on$`,
		[]string{"date", "time", "posted", "publish", "datum", "fecha", "byline", "meta"}, []string{"on"}, nil)
	metaNotDateWords = newHintMatcher(`(?i)update|modif|edited|runtime|reading-?time|read-?time`,
		[]string{"update", "modif", "edited", "runtime", "reading-time", "readingtime", "read-time", "readtime"}, nil, nil)
)

func metaLooksISO(s string) bool {
	return metaISODate.MatchString(s) && strings.Index(s, metaISODate.FindString(s)) == 0
}

func (p *metaPage) published() string {
	if s := p.ldFirst("datePublished", "dateCreated", "uploadDate"); s != "" {
		return s
	}
	if s := p.microdataDate(); s != "" {
		return s
	}
	if s := p.tag("article:published_time", "og:article:published_time", "og:published_time", "published_time",
		"article:published", "article.published", "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued",
		"dc.date.created", "dcterms.created", "dc.date", "dcterms.date", "citation_publication_date", "citation_date",
		"citation_online_date", "date", "pubdate", "publishdate", "publish-date", "publish_date", "pub_date",
		"publication_date", "originalpublicationdate", "og:pubdate", "datepublished", "release_date", "created", "date.created"); s != "" {
		return s
	}
	var times []*html.Node
	for _, n := range p.nodes {
		if n.Data == "time" && !metaNotDateWords.matchParts(metaAttr(n, "class"), metaAttr(n, "itemprop")) {
			times = append(times, n)
		}
	}
	for _, n := range p.rank(times) {
		if v := strings.TrimSpace(metaAttr(n, "datetime")); metaLooksISO(v) {
			return v
		}
	}
	var cands []*html.Node
	for i, n := range p.nodes {
		if p.info[i].flags&nodeInBody == 0 || n.Data == "script" || n.Data == "style" {
			continue
		}
		if n.Data == "time" {
			cands = append(cands, n)
			continue
		}
		cls, id, prop := metaAttr3(n, "class", "id", "itemprop")
		if (cls != "" || id != "" || prop != "") && metaDateWords.matchParts(cls, id, prop) && !metaNotDateWords.matchParts(cls, id, prop) {
			cands = append(cands, n)
		}
	}
	ranked := p.rank(cands)
	for _, n := range ranked {
		if s := p.nodeDate(n); s != "" {
			return s
		}
	}
	if s := p.dateNearHeadline(); s != "" {
		return s
	}
	for _, n := range ranked {
		if t := p.shortText(n, 200); t != "" {
			if m := metaRelativeDate.FindString(t); m != "" {
				return m
			}
		}
	}
	return p.dateAroundHeadline()
}

// dateAroundHeadline is the last resort for pages that print their date
// without markup or class names to go by ("Gespeichert von human am 7. Juli
// 2019", "Aktuell 10.11.2021 Geflüchtete in Belarus…"): the first
// day-precision date in the text right after the headline, else just
// before it (a dateline over the headline, "23.01.2022 - Dorothea Wierer…").
// Without a headline the start of the article, else of the body, stands
// in. Comments and site furniture are skipped.
func (p *metaPage) dateAroundHeadline() string {
	start := p.headline
	if start == nil {
		start = p.scope
	}
	if start == nil {
		start = p.body()
	}
	if start == nil {
		return ""
	}
	after := p.textFrom(start, 1500, false)
	if d := metaFirstDate(after); d != "" {
		return d
	}
	if p.headline != nil {
		if d := metaFirstDate(p.textFrom(start, 200, true)); d != "" {
			return d
		}
	}
	return p.cuedDate()
}

// metaDateCues are the words that introduce a publication (or revision)
// date in running text ("Dieser Beitrag wurde am", "last edited",
// "Aktualisiert:", "Letzte Änderung:", "Stand:", "Pressemitteilung vom",
// "Mise en ligne le"), in ASCII-lowered form; the date must follow within
// 24 bytes with no sentence end between.
var metaDateCues = []string{"veröffentlicht", "publiziert", "erschienen", "gepostet", "geschrieben", "gespeichert",
	"aktualisiert", "geändert", "änderung", "Änderung", "erstellt", "datum", "published", "posted", "updated", "edited",
	"modified", "written", "created", "publié", "mis à jour", "mise en ligne", "publicado", "actualizado", "pubblicato",
	"aggiornato", "stand:", "pressemitteilung vom", "pressemeldung vom", "meldung vom", "mitteilung vom",
	"artikel vom", "beitrag vom", "sendung vom"}

// metaDateVerbs end a German sentence whose date comes before them: "… am
// 19. Mai 2010 um 23:03 Uhr gepostet". The date must end within 20 bytes.
var metaDateVerbs = []string{"gepostet", "veröffentlicht", "erschienen", "geschrieben", "aktualisiert", "geändert"}

// cuedDate is the last resort of all: the first date anywhere in the
// page's text (comments skipped, post footers kept) that a publication or
// revision phrase introduces, such as a post footer's "wurde am 19. Mai
// 2010 um 23:03 Uhr gepostet" or a wiki's "last edited 2019-11-10". A bare
// date far from the headline may be anything (an event, a related post);
// one the page calls its publication is the page's. The cue words are
// found first and the date patterns run only on the bytes around them, so
// a page of 30 KB costs a few substring searches.
func (p *metaPage) cuedDate() string {
	body := p.body()
	if body == nil {
		return ""
	}
	t := strings.Join(p.textParts(body, 30000, false, tokComment), " ")
	low := metaLowerASCII(t) // same length and offsets as t
	best, at := "", len(t)+1
	consider := func(start, end, maxOff int) {
		if d, off := metaFirstDateAt(t[start:end]); d != "" && off <= maxOff && start+off < at {
			best, at = d, start+off
		}
	}
	for _, cue := range metaDateCues {
		for k := range metaWordOccurrences(low, cue) {
			if k >= at {
				break
			}
			// The date starts within 24 bytes after the cue, in the same
			// sentence.
			end := k + len(cue)
			gap := low[end:min(len(low), end+24)]
			if cut := strings.IndexAny(gap, ".!?\n"); cut >= 0 {
				gap = gap[:cut]
			}
			consider(end, min(len(t), end+len(gap)+40), len(gap))
		}
	}
	for _, verb := range metaDateVerbs {
		for k := range metaWordOccurrences(low, verb) {
			start := max(0, k-70)
			if d, off := metaLastDateBefore(t[start:k], 20); d != "" && start+off < at {
				best, at = d, start+off
			}
		}
	}
	return best
}

// metaFirstDateAt is metaFirstDate with the offset of the date in t.
func metaFirstDateAt(t string) (string, int) {
	best, at := "", -1
	for _, re := range metaVisibleDates {
		if loc := re.FindStringIndex(t); loc != nil && (at < 0 || loc[0] < at) {
			best, at = t[loc[0]:loc[1]], loc[0]
		}
	}
	return best, at
}

// metaLastDateBefore returns a date in t that ends at most slack bytes
// before t's end, with no sentence end after it, and its offset.
func metaLastDateBefore(t string, slack int) (string, int) {
	best, at := "", -1
	for _, re := range metaVisibleDates {
		for _, loc := range re.FindAllStringIndex(t, -1) {
			if len(t)-loc[1] <= slack && !strings.ContainsAny(t[loc[1]:], ".!?\n") && (at < 0 || loc[0] > at) {
				best, at = t[loc[0]:loc[1]], loc[0]
			}
		}
	}
	return best, at
}

// metaWordOccurrences yields the offsets at which word stands in low as a
// whole word (see metaWordEdges), in order.
func metaWordOccurrences(low, word string) iter.Seq[int] {
	return func(yield func(int) bool) {
		for from := 0; from < len(low); {
			k := strings.Index(low[from:], word)
			if k < 0 {
				return
			}
			k += from
			from = k + len(word)
			if metaWordEdges(low, k, k+len(word)) && !yield(k) {
				return
			}
		}
	}
}

// metaWordEdges reports whether low[i:j] is a whole word: no letter (or
// multi-byte character) right before i or right after j.
func metaWordEdges(low string, i, j int) bool {
	isLetter := func(b byte) bool { return b >= 'a' && b <= 'z' || b >= 0x80 }
	return (i == 0 || !isLetter(low[i-1])) && (j >= len(low) || !isLetter(low[j]))
}

// metaLowerASCII lowers the ASCII letters of s only, so offsets into the
// result are offsets into s.
func metaLowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// body returns the <body> element, or nil.
func (p *metaPage) body() *html.Node {
	for _, n := range p.nodes {
		if n.Data == "body" {
			return n
		}
	}
	return nil
}

// metaFirstDate returns the earliest visible date pattern in t.
//
// Every date pattern holds a digit, starts at most metaDateBefore bytes
// before its first one and ends at most metaDateAfter bytes after it (the
// text is whitespace-collapsed), so the patterns run only on the stretches
// of text around digits, in order, and stop at the first stretch with a
// date: on a long text without dates that skips most of the bytes.
func metaFirstDate(t string) string {
	for start := 0; start < len(t); {
		d := strings.IndexAny(t[start:], "0123456789")
		if d < 0 {
			return ""
		}
		d += start
		lo, hi := max(0, d-metaDateBefore), min(len(t), d+metaDateAfter)
		// Extend the stretch while digits follow within its reach.
		for {
			next := strings.IndexAny(t[hi:], "0123456789")
			if next < 0 || next > metaDateBefore {
				break
			}
			hi = min(len(t), hi+next+metaDateAfter)
		}
		if date, _ := metaFirstDateAt(t[lo:hi]); date != "" {
			return date
		}
		start = hi
	}
	return ""
}

// The reach of a date around its first digit: "septiembre de 6" at most
// before, "2019-03-06T10:00:00.123+02:00" at most after.
const (
	metaDateBefore = 28
	metaDateAfter  = 40
)

// textFrom collects up to max bytes of the visible text that follows n in
// document order (n's own text included), or that precedes it when
// backward, skipping scripts, styles, comment threads and furniture.
func (p *metaPage) textFrom(n *html.Node, max int, backward bool) string {
	return strings.Join(p.textParts(n, max, backward, tokComment|tokBlock), " ")
}

// textParts is textFrom with the text nodes apart, in reading order,
// skipping the elements whose class tokens are of one of the kinds skip.
func (p *metaPage) textParts(n *html.Node, max int, backward bool, skip uint8) []string {
	var parts []string
	size := 0
	var visit func(c *html.Node) bool // false once full
	visit = func(c *html.Node) bool {
		switch c.Type {
		case html.TextNode:
			if t := metaSpace(c.Data); t != "" {
				parts = append(parts, t)
				size += len(t) + 1
			}
			return size < max
		case html.ElementNode:
			switch c.Data {
			case "script", "style", "noscript", "template", "svg", "select", "nav":
				return true
			}
			if in, ok := p.infoOf(c); ok && in.text == 0 {
				return true
			}
			if p.tokenKinds(c)&skip != 0 {
				return true
			}
		}
		if backward {
			for k := c.LastChild; k != nil; k = k.PrevSibling {
				if !visit(k) {
					return false
				}
			}
			return true
		}
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			if !visit(k) {
				return false
			}
		}
		return true
	}
	if !backward && !visit(n) {
		return parts
	}
	for cur := n; cur != nil && cur.Data != "body"; cur = cur.Parent {
		sib := cur.NextSibling
		if backward {
			sib = cur.PrevSibling
		}
		for sib != nil {
			if !visit(sib) {
				goto done
			}
			if backward {
				sib = sib.PrevSibling
			} else {
				sib = sib.NextSibling
			}
		}
	}
done:
	if backward {
		for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
			parts[i], parts[j] = parts[j], parts[i]
		}
	}
	return parts
}

// nodeDate returns an absolute date stated by n: a machine-readable
// attribute, else the first date pattern in its (short) text.
func (p *metaPage) nodeDate(n *html.Node) string {
	for _, a := range []string{"datetime", "content", "title", "data-date"} {
		if v := strings.TrimSpace(metaAttr(n, a)); metaLooksISO(v) {
			return v
		}
	}
	t := p.shortText(n, 200)
	if t == "" {
		return ""
	}
	best, at := "", len(t)+1
	for _, re := range metaVisibleDates {
		if loc := re.FindStringIndex(t); loc != nil && loc[0] < at {
			best, at = t[loc[0]:loc[1]], loc[0]
		}
	}
	return best
}

// dateNearHeadline scans the few lines after the headline, where themes
// without telling class names print "Posted on March 6, 2019".
func (p *metaPage) dateNearHeadline() string {
	if p.headline == nil {
		return ""
	}
	var buf strings.Builder
	for n := p.headline; n != nil && buf.Len() < 300; {
		if n.NextSibling == nil {
			n = n.Parent
			if n == nil || n == p.scope || n.Data == "body" {
				break
			}
			continue
		}
		n = n.NextSibling
		if n.Type == html.ElementNode && (n.Data == "p" || n.Data == "div") && buf.Len() > 0 && len(metaText(n)) > 200 {
			break // reached the body text
		}
		buf.WriteString(" ")
		buf.WriteString(metaText(n))
	}
	t := buf.String()
	if len(t) > 300 {
		t = t[:300]
	}
	for _, re := range metaVisibleDates {
		if m := re.FindString(t); m != "" {
			return m
		}
	}
	return ""
}

// modified returns the date the page says it was last changed, as
// written: JSON-LD dateModified of the article, microdata, then the meta
// tags publishers set for it. Visible "Updated" lines are not read: they
// are the published date's rival, not a source of their own.
func (p *metaPage) modified() string {
	if s := p.ldFirst("dateModified"); s != "" {
		return s
	}
	for _, n := range p.nodes {
		if metaItemprop(n, "dateModified") && !p.inComments(n) && p.itemOfArticle(n) {
			for _, a := range []string{"content", "datetime", "value"} {
				if v := strings.TrimSpace(metaAttr(n, a)); v != "" {
					return v
				}
			}
		}
	}
	return p.tag("article:modified_time", "og:article:modified_time", "og:updated_time", "modified_time", "article:modified",
		"dc.date.modified", "dcterms.modified", "last-modified", "lastmod", "parsely-updated", "datemodified", "date.modified")
}

func (p *metaPage) microdataDate() string {
	for _, n := range p.nodes {
		if !metaItemprop(n, "datePublished", "dateCreated") || p.inComments(n) || !p.itemOfArticle(n) {
			continue
		}
		for _, a := range []string{"content", "datetime", "value"} {
			if v := strings.TrimSpace(metaAttr(n, a)); v != "" {
				return v
			}
		}
		got := p.nodeDate(n)
		if got == "" {
			got = p.shortText(n, 80)
		}
		if got != "" {
			return got
		}
	}
	return ""
}

// itemOfArticle reports whether an itemprop belongs to the article (or to
// no declared item), not to a comment, product offer or other post.
func (p *metaPage) itemOfArticle(n *html.Node) bool {
	for a := n.Parent; a != nil && a.Type == html.ElementNode; a = a.Parent {
		if _, ok := metaHasAttr(a, "itemscope"); ok {
			t := strings.ToLower(metaAttr(a, "itemtype"))
			return t == "" || strings.Contains(t, "article") || strings.Contains(t, "posting") || strings.Contains(t, "review") ||
				strings.Contains(t, "webpage") || strings.Contains(t, "creativework") || strings.Contains(t, "blog")
		}
	}
	return true
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

// metaMaybeBy reports whether t has one of the words that metaByPhrase
// starts with (by, von, par, por, door, av, af in any case) followed by ':'
// or ASCII white space, which every match of it has: the regexp is slow,
// and most lines have none.
func metaMaybeBy(t string) bool {
	for rest := t; ; {
		k := strings.IndexByte(rest, ':')
		if k < 0 {
			break
		}
		// A label: "Autor: …", "Text: …".
		w := strings.TrimRight(rest[:k], " \t")
		if i := strings.LastIndexAny(w, " \t\n·|•,–—-"); i >= 0 {
			w = w[i+1:]
		}
		if metaBylineLabels[strings.ToLower(w)] {
			return true
		}
		rest = rest[k+1:]
	}
	for i := 0; i+2 < len(t); i++ {
		var k int
		switch t[i] | 0x20 {
		case 'b':
			if t[i+1]|0x20 == 'y' {
				k = 2
			}
		case 'a':
			if c := t[i+1] | 0x20; c == 'v' || c == 'f' {
				k = 2
			}
		case 'v':
			if strings.EqualFold(t[i:min(i+3, len(t))], "von") {
				k = 3
			}
		case 'p':
			if w := t[i:min(i+3, len(t))]; strings.EqualFold(w, "par") || strings.EqualFold(w, "por") {
				k = 3
			}
		case 'd':
			if strings.EqualFold(t[i:min(i+4, len(t))], "door") {
				k = 4
			}
		}
		if k > 0 && i+k < len(t) {
			switch t[i+k] {
			case ':', ' ', '\t', '\n', '\f', '\r':
				return true
			}
		}
	}
	return false
}

// metaCountries end the publisher addresses that author metas sometimes
// hold.
var metaCountries = metaSet("germany", "deutschland", "austria", "österreich", "switzerland", "schweiz", "suisse",
	"france", "italy", "italia", "spain", "españa", "usa", "united states", "uk", "united kingdom", "netherlands")

// metaBylineLabels are the words metaByPhrase takes before a colon.
var metaBylineLabels = metaSet("autor", "autorin", "autoren", "author", "verfasser", "verfasserin", "text",
	"redaktion", "interview", "reporter", "reporterin")

// metaByName returns the name of the first "By …" phrase of t, without a
// month name that begins the date run on after it.
func metaByName(t string) (string, bool) {
	m := metaByPhrase.FindStringSubmatchIndex(t)
	if m == nil {
		return "", false
	}
	name := t[m[2]:m[3]]
	if metaLeadDay.MatchString(t[m[3]:]) {
		if loc := metaTrailMonth.FindStringIndex(name); loc != nil {
			name = name[:loc[0]]
		}
	}
	// "Text von Christian Seiler Illustration von Markus Roost": the next
	// credit's role word ends the name.
	if loc := metaRoleWord.FindStringIndex(name); loc != nil && loc[0] > 0 {
		name = strings.TrimSpace(name[:loc[0]])
	}
	return name, true
}

var metaRoleWord = regexp.MustCompile(`\s(?:Illustrationen?|Illustration|Fotos?|Bilder|Grafik|Kamera|Video|Photos?|Photography|Illustrations?)\b`)

// ---- authors ----

var (
	metaAuthorWords = newHintMatcher(`(?i)author|byline|by-?line|(^|[-_])by([-_]|$)|posted-?by|writer|contributor|creator|reporter|journalist|autor|auteur|(^|[-_])fn$|vcard|username`,
		[]string{"author", "byline", "by-line", "postedby", "posted-by", "writer", "contributor", "creator", "reporter",
			"journalist", "autor", "auteur", "vcard", "username"},
		[]string{"fn"},
		[]string{"by"}, // (^|[-_])by([-_]|$) is decided by the regexp
	)
	metaNotAuthorWords = regexp.MustCompile(`(?i)avatar|image|photo|img|bio|description|desc$|about|comment|social|follow|more|other|box-wrap|url$|label|title`)
	// metaByPhrase finds "By Jane Doe" and "Posted by Jane Doe and John Roe"
	// in byline and post-footer text.
	// The name never runs across a line break: what follows one is the
	// next line of the byline block (a date, a role).
	metaByPhrase = regexp.MustCompile(`(?i:(?:^|[\s·|•,–—-])(?:(?:posted|written|published|reviewed|words|text|story)?\s*(?:by|von|par|por|door|av|af)[:\s]+|(?:autor(?:in|en)?|author|verfasser(?:in)?|text|redaktion|interview|reporter(?:in)?)\s*:\s*))((?:\p{Lu}[\p{L}\p{M}'’.-]*\.?)(?:[^\S\n]+(?:(?:van|von|de|der|den|da|del|della|di|du|le|la|bin|al|ter|and|&|und|et|y)[^\S\n]+)?\p{Lu}[\p{L}\p{M}'’.-]*){0,5})`)
	// metaMonth is a capitalised month name, English or German, which
	// a byline run into its date ("By Jane Doe May 3, 2025") glues to the name.
	metaMonth      = `(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Januar|Februar|März|Mai|Juni|Juli|Oktober|Dezember)`
	metaTrailMonth = regexp.MustCompile(`\s` + metaMonth + `\.?$`)
	metaLeadDay    = regexp.MustCompile(`^\.?\s*\d{1,2}(?:\D|$)`)
	metaLeadBy     = regexp.MustCompile(`(?i)^(?:(?:posted|written|published|reviewed|words|text|story|article|review|photos?|geschrieben|verfasst|ein beitrag|beitrag)\s+)?(?:by|von|par|por|door|av|af|author|autor|autorin|auteur|byline|written by)\b\s*[:\-–—]?\s*`)
	// metaCutAuthor marks where a byline stops naming people: a month and
	// day, a date, a separator, or a label glued on without space
	// ("LammersPublished").
	metaCutAuthor     = regexp.MustCompile(`\s` + metaMonth + `\.?\s\d{1,2}(?:\D|$)|(?:Published|Updated|Posted|Last updated|Modified|Veröffentlicht|Publiziert|Aktualisiert|Erstellt|Publié|Mis à jour|Publicado|Follow|Read more|Share|Email|Contact)|\s[|·•/]\s?|[|·•/]|\s[-–—]\s|\s[-–—]$|(?:^|\s)\d|\s(?:on|at|in|am|um|le|el|il|on)\s|\(|\[|\n`)
	metaURLish        = regexp.MustCompile(`(?i)^\S*(?:://|^www\.|@\S+\.\w)\S*$`)
	metaSplitAuthors  = regexp.MustCompile(`\s*(?:,|;|\s&\s|\sand\s|\sund\s|\set\s|\sy\s|\se\s|\sen\s|\soch\s|\sog\s|\sim\s+(?:Gespräch|Interview)\s+mit\s|\sin\s+conversation\s+with\s)\s*`)
	metaGenericAuthor = metaSet("staff", "admin", "administrator", "editor", "editors", "editorial", "editorial staff", "editorial team",
		"team", "redaktion", "redacción", "rédaction", "redazione", "webmaster", "guest", "anonymous", "unknown", "user",
		"contributor", "contributors", "staff writer", "staff reporter", "news desk", "newsdesk", "desk", "the editors",
		"guest author", "guest post", "author", "by", "posted", "wordpress", "root", "null", "none", "n/a", "site admin",
		"press release", "press", "agency", "agencies", "online", "web", "home", "reply", "share", "comments", "comment",
		"organization", "person", "people", "no author", "publisher", "e-mail", "email", "verifizierte", "text", "texte", "stand", "datum", "date", "cookies", "cookie",
		"inhalt", "inhalten", "gründen", "artikel", "artikel von", "foto", "fotos", "bild", "quelle", "source", "office")
	// metaNotNameWords never occur in a person's name but often in the
	// link texts and labels around bylines.
	metaNotNameWords = metaSet("more", "posts", "post", "all", "view", "articles", "article", "beiträge", "beitrag", "alle", "mehr",
		"weitere", "read", "see", "profile", "website", "follow", "contact", "about", "the", "of", "this", "our", "your", "my",
		"min", "minutes", "ago", "share", "comments", "reply", "login", "sign", "subscribe", "home", "news", "blog",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
		"gesponserte", "sponsored", "updates", "app-updates", "wer", "deinen", "unsere", "unser",
		"zur", "zum", "artikelübersicht", "übersicht", "startseite", "zurück", "zuletzt", "geändert",
		"pexels", "unsplash", "pixabay", "shutterstock", "istock", "getty", "imago", "pressemitteilung")
)

// metaCleanAuthors turns a byline string into person names: labels, dates
// and role words dropped, several names split apart. lenient admits
// all-lowercase handles, for sources that are certainly author fields.
func metaCleanAuthors(raw string, lenient bool) []string {
	s := metaSpace(html.UnescapeString(raw))
	if metaURLish.MatchString(s) {
		return nil // article:author and friends often hold a profile URL
	}
	s = metaLeadBy.ReplaceAllString(s, "")
	if loc := metaCutAuthor.FindStringIndex(s); loc != nil {
		s = s[:loc[0]]
	}
	parts := metaSplitAuthors.Split(s, -1)
	if n := len(parts); n > 1 && metaCountries[strings.ToLower(strings.Trim(parts[n-1], " ."))] {
		// "Olympia-Verlag GmbH, Nürnberg, Germany": a publisher's
		// address; its name is what stands before the first comma.
		name, _, _ := strings.Cut(s, ",")
		if name = strings.TrimSpace(name); metaValidName(name, lenient) {
			return []string{name}
		}
		return nil
	}
	var out []string
	for _, part := range parts {
		part = strings.Trim(metaLeadBy.ReplaceAllString(strings.TrimSpace(part), ""), " .:,;-–—'\"“”©")
		if metaValidName(part, lenient) {
			out = append(out, metaHandleName(part))
		}
	}
	return out
}

// The last part has four letters or more, so domains ("przepisy.pl",
// "hessenschau.de") stay as they are.
var metaDottedHandle = regexp.MustCompile(`^\p{Ll}{2,}(?:\.\p{Ll}{2,}){0,2}\.\p{Ll}{4,}$`)

// metaHandleName turns a CMS login of the "first.last" kind, which author
// metas give in place of the name, into the name it spells: "robert.stitz"
// is "Robert Stitz". Other names are returned as they are.
func metaHandleName(s string) string {
	if !metaDottedHandle.MatchString(s) {
		return s
	}
	parts := strings.Split(s, ".")
	for i, w := range parts {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		parts[i] = string(r)
	}
	return strings.Join(parts, " ")
}

func metaValidName(s string, lenient bool) bool {
	if s == "" || len(s) > 60 || metaGenericAuthor[strings.ToLower(s)] {
		return false
	}
	if low := strings.ToLower(s); !strings.Contains(low, " ") && (strings.Contains(low, "admin") || strings.Contains(low, "wordpress")) {
		return false // "wordpressadmin", "siteadmin": the CMS account, not a person
	}
	words := strings.Fields(s)
	// A handle in a certain author field may carry digits and underscores
	// ("freeman1984", "ThE_PaiN"); elsewhere they mark ids, counts and dates.
	bad := "@/\\<>{}=_#|:?!©®0123456789"
	if lenient && len(words) == 1 && metaHandleLike(s) {
		bad = "@/\\<>{}=#|:?!©®"
	}
	if strings.ContainsAny(s, bad) || strings.Contains(strings.ToLower(s), "www.") {
		return false
	}
	if len(words) > 5 {
		return false
	}
	upperStart, letters := 0, 0
	for _, w := range words {
		if metaNotNameWords[strings.ToLower(strings.Trim(w, ".,"))] {
			return false
		}
		if unicode.IsUpper([]rune(w)[0]) {
			upperStart++
		}
	}
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < 2 {
		return false
	}
	// Names are capitalised in every script that has case; a run of
	// lowercase words is a label or a sentence fragment, though a single
	// lowercase handle in an author field is what the page calls its author.
	return upperStart > 0 || !metaHasCase(s) || lenient && len(words) == 1
}

// metaHandleLike reports whether a token with digits reads as a user name
// ("freeman1984", "delta201") rather than an id ("CC7567"): more letters
// than digits.
func metaHandleLike(s string) bool {
	letters, digits := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		}
	}
	return letters >= 3 && letters > digits
}

func metaHasCase(s string) bool {
	for _, r := range s {
		if unicode.IsUpper(r) || unicode.IsLower(r) {
			return true
		}
	}
	return false
}

func metaDedupe(names []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		k := strings.ToLower(n)
		if !seen[k] {
			seen[k] = true
			out = append(out, n)
		}
	}
	return out
}

// authors tries the sources in order of trust. A result that only repeats
// the site name is kept as a fallback: it is the author on a personal blog
// but a placeholder on a magazine, and a later source tells them apart.
func (p *metaPage) authors(siteName string) []string {
	var fallback []string
	host := p.host(p.canonical())
	sources := []func() []string{p.ldAuthorNames, p.metaAuthors, p.microdataAuthors, p.visibleAuthors}
	for i, source := range sources {
		names := metaDedupe(source())
		if len(names) == 0 {
			continue
		}
		// JSON-LD often lists the first of several authors the meta tags
		// name: the longer list that includes it wins.
		if i == 0 {
			if more := metaDedupe(p.metaAuthors()); len(more) > len(names) && metaIncludes(more, names) {
				names = more
			}
		}
		// The site or its publisher named as the author is what a CMS
		// fills in when nobody signed: a byline further down may name the
		// person, else the organization is all there is.
		if metaAllOrgs(names, siteName, host) {
			if fallback == nil {
				fallback = names
			}
			continue
		}
		return names
	}
	return fallback
}

var (
	metaDomainRe = regexp.MustCompile(`(?i)\.(?:com|de|at|ch|it|org|net|fr|es|eu|info|co\.uk|uk|io)\b`)
	metaOrgRe    = regexp.MustCompile(`(?i)\be\.\s?v\b|\bgmbh\b|\bag$|\bverlag\b|stiftung\b|verband\b|redaktion\b|\beditorial\b|\bteam$|magazin\b|zeitung\b|\bonline$|\bmedia$|\bpress$|\bnews$`)
)

// metaIncludes reports whether every name of sub is in names, ignoring case.
func metaIncludes(names, sub []string) bool {
	for _, s := range sub {
		found := false
		for _, n := range names {
			if strings.EqualFold(n, s) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// metaAllOrgs reports whether every name is the site's own or an
// organization's: the site name or host, a domain ("stol.it"), a legal
// form or newsroom word ("Hanns-Seidel-Stiftung e.V", "JuraForum.de-
// Redaktion", "IT Finanzmagazin"), or an acronym alone ("DITIB").
func metaAllOrgs(names []string, siteName, host string) bool {
	for _, n := range names {
		upper := len(strings.Fields(n)) == 1 && len(n) >= 3 && strings.ToUpper(n) == n && strings.ToLower(n) != n
		if !(metaSiteLike(n, siteName, host) || metaDomainRe.MatchString(n) || metaOrgRe.MatchString(n) || upper) {
			return false
		}
	}
	return true
}

func (p *metaPage) ldAuthorNames() []string {
	for _, obj := range p.ldMain() {
		for _, k := range []string{"author", "creator"} {
			if names := p.ldAuthors(obj[k]); len(names) > 0 {
				return names
			}
		}
	}
	return nil
}

func (p *metaPage) metaAuthors() []string {
	var names []string
	for _, k := range []string{"author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator", "citation_author", "byl", "twitter:data1"} {
		for _, v := range p.tags[k] {
			if k == "twitter:data1" && !strings.EqualFold(p.tag("twitter:label1"), "written by") {
				continue
			}
			if k == "citation_author" {
				// Bibliographic metas give one "Last, First" per tag.
				if n := strings.TrimSpace(v); metaValidName(strings.ReplaceAll(n, ",", ""), true) {
					names = append(names, n)
				}
				continue
			}
			names = append(names, metaCleanAuthors(v, true)...)
		}
		if len(names) > 0 {
			return names
		}
	}
	return nil
}

func (p *metaPage) ldAuthors(v any) []string {
	v = p.resolve(v)
	switch x := v.(type) {
	case string:
		return metaCleanAuthors(x, true)
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, p.ldAuthors(e)...)
		}
		return out
	case map[string]any:
		if ldHasType(x, ldSiteTypes) {
			return nil
		}
		name := ldString(x["name"])
		if name == "" {
			name = metaSpace(ldString(x["givenName"]) + " " + ldString(x["familyName"]))
		}
		return metaCleanAuthors(name, true)
	}
	return nil
}

func (p *metaPage) microdataAuthors() []string {
	var names []string
	for i, n := range p.nodes {
		if len(names) > 0 {
			break
		}
		if !metaItemprop(n, "author", "creator") || p.inComments(n) || !p.itemOfArticle(n) {
			continue
		}
		if v := strings.TrimSpace(metaAttr(n, "content")); v != "" {
			names = metaCleanAuthors(v, true)
			continue
		}
		var nm *html.Node
		for j := i + 1; j <= int(p.info[i].end); j++ {
			if metaItemprop(p.nodes[j], "name") {
				nm = p.nodes[j]
				break
			}
		}
		if nm != nil {
			v := strings.TrimSpace(metaAttr(nm, "content"))
			if v == "" {
				v = metaNodeText(nm)
			}
			names = metaCleanAuthors(v, true)
			continue
		}
		if t := p.shortText(n, 120); t != "" {
			names = metaCleanAuthors(t, false)
		}
	}
	return names
}

// metaBylineLabel is a byline element that holds only its label, the name
// following as a sibling: <h5>Autor:</h5>Peter Maahn.
var metaBylineLabel = regexp.MustCompile(`(?i)^(?:by|von|par|por|door|author|autor|autorin|auteur|written by|posted by|geschrieben von|verfasst von)\s*:?$`)

// visibleAuthors reads bylines: elements named for authors, rel=author and
// author-archive links, and "By …" phrases in date lines and post footers.
func (p *metaPage) visibleAuthors() []string {
	var named, phrased []*html.Node
	lenient := map[*html.Node]bool{}
	for i, n := range p.nodes {
		if p.info[i].flags&nodeInBody == 0 || len(n.Attr) == 0 && n.Data != "byline" && n.Data != "address" {
			continue // nothing below would take it
		}
		switch n.Data {
		case "script", "style", "img", "input", "textarea", "button", "form", "select", "link", "meta", "svg":
			continue
		}
		cls, id, testid := metaAttr3(n, "class", "id", "data-testid")
		switch {
		case metaRelAuthor(metaAttr(n, "rel")),
			n.Data == "a" && metaAuthorHref(metaAttr(n, "href")):
			named = append(named, n)
			lenient[n] = true
		case n.Data == "byline" || n.Data == "address" && !p.chrome(n),
			metaAuthorWords.matchParts(cls, id, testid) && !metaNotAuthorAll(n):
			named = append(named, n)
			// An element that is the name ("author vcard fn", "username")
			// may hold a lowercase handle: "oz", "rasos".
			lenient[n] = metaNameElement(n)
		case metaDateWords.matchParts(cls, id, testid):
			phrased = append(phrased, n)
		}
	}
	// Texts keep their line breaks: a byline block puts the name and the
	// date on lines of their own, and a name never runs across them.
	byName := func(t string) []string {
		name, ok := metaByName(t)
		if !ok {
			return nil
		}
		// In running text "von" + a capitalized word is mostly German
		// prose ("die Haltung von Zweinutzungshühnern"); a one-word name
		// counts only on a line of its own ("06.11.2023 13:30 von Olga").
		if !strings.ContainsAny(strings.TrimSpace(name), " \t") && len(metaFirstLine(t)) > 40 {
			return nil
		}
		return metaCleanAuthors(name, false)
	}
	for _, n := range p.rank(named) {
		t := metaLines(n)
		if t == "" {
			continue
		}
		if metaBylineLabel.MatchString(t) && n.Parent != nil {
			t = metaLines(n.Parent)
		}
		if len(t) > 80 {
			// A wrapper (an author box, a whole meta line): only a "By"
			// phrase in it names the author; its parts are candidates too.
			if names := byName(t); len(names) > 0 {
				return names
			}
			continue
		}
		if first := metaFirstLine(t); first != t {
			if names := metaCleanAuthors(first, lenient[n]); len(names) > 0 {
				return names
			}
		}
		if names := metaCleanAuthors(t, lenient[n]); len(names) > 0 {
			return names
		}
		if names := byName(t); len(names) > 0 {
			return names
		}
	}
	for _, n := range p.rank(phrased) {
		if t := metaLines(n); t != "" && len(t) <= 300 {
			if names := byName(t); len(names) > 0 {
				return names
			}
		}
	}
	if p.scope != nil {
		// Last resort: a "by X" line right around the headline, or in the
		// post's own paragraphs ("This entry was posted … by Liam").
		var lines []*html.Node
		if i, ok := p.order[p.scope]; ok {
			for j := i + 1; j <= int(p.info[i].end); j++ {
				switch n := p.nodes[j]; n.Data {
				case "p", "div", "span", "footer", "small", "address":
					if p.info[j].text > 200 {
						continue // metaLines would be longer still
					}
					if t := metaLines(n); t != "" && len(t) <= 200 && metaMaybeBy(t) && metaByPhrase.MatchString(t) {
						lines = append(lines, n)
					}
				}
			}
		}
		for _, n := range p.rank(lines) {
			if names := byName(metaLines(n)); len(names) > 0 && p.nearHeadlineOrEnd(n) {
				return names
			}
		}
	}
	return p.unmarkedByline()
}

// metaDateName is a date line that ends with the author, without a "by":
// "11.12.2019 - Amelie Loevenich", "04.02.2022 | 13:10 Uhr | Uta
// Helkenberg".
var metaDateName = regexp.MustCompile(`^\s*\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}(?:\s*[,|·•–-]?\s*\d{1,2}[:.]\d{2}(?:\s*Uhr)?)?\s*[|·•–-]\s*(\p{Lu}[^|·•–\n]{2,40})$`)

// unmarkedByline finds the bylines that carry no class to go by, just
// around the headline or at the article's end: a date line that ends with
// a name, or a label element ("Autor", "Von:") followed by the name.
func (p *metaPage) unmarkedByline() []string {
	if p.scope == nil && p.headline == nil {
		return nil
	}
	root := p.scope
	if root == nil {
		root = p.headline.Parent
	}
	i, ok := p.order[root]
	if !ok {
		return nil
	}
	end := int(p.info[i].end)
	// The positions nearHeadlineOrEnd admits: around the headline and the
	// scope's last elements; the rest of a long article is not walked.
	var spans [][2]int
	if p.headline != nil {
		h := p.order[p.headline]
		spans = append(spans, [2]int{max(i+1, h-15), min(end, h+25)})
	}
	spans = append(spans, [2]int{max(i+1, end-25), end})
	for _, sp := range spans {
		for j := sp[0]; j <= sp[1]; j++ {
			if names := p.unmarkedBylineAt(j); len(names) > 0 {
				return names
			}
		}
	}
	return nil
}

// unmarkedBylineAt is unmarkedByline's test of element j.
func (p *metaPage) unmarkedBylineAt(j int) []string {
	n := p.nodes[j]
	if p.info[j].text > 100 || p.info[j].text == 0 || p.inComments(n) {
		return nil
	}
	t := metaText(n)
	switch {
	case t == "":
		return nil
	case t[0] >= '0' && t[0] <= '9':
		if m := metaDateName.FindStringSubmatch(t); m != nil {
			return metaCleanAuthors(m[1], false)
		}
		return nil
	case len(t) > 24 || !metaBylineLabel.MatchString(t):
		return nil
	}
	for sib := n.NextSibling; sib != nil; sib = sib.NextSibling {
		st := metaSpace(metaNodeText(sib))
		if st == "" {
			continue
		}
		if len(st) <= 60 {
			return metaCleanAuthors(st, false)
		}
		return nil
	}
	return nil
}

// metaNameElement reports whether one of n's class tokens says n is the
// name itself rather than a box around it.
func metaNameElement(n *html.Node) bool {
	for _, t := range metaClassTokens(n) {
		switch strings.ToLower(t) {
		case "fn", "author-name", "author_name", "authorname", "username", "user-name", "nickname", "p-author", "p-name":
			return true
		}
	}
	return false
}

// metaNotAuthorAll rejects elements whose every class token is an
// author-box part that never holds the bare name (avatar, bio, …).
func metaNotAuthorAll(n *html.Node) bool {
	toks := metaClassTokens(n)
	if t := metaAttr(n, "data-testid"); t != "" {
		toks = append(toks, t)
	}
	if len(toks) == 0 {
		return false
	}
	for _, t := range toks {
		if metaAuthorWords.MatchString(t) && !metaNotAuthorWords.MatchString(t) {
			return false
		}
	}
	return true
}

// nearHeadlineOrEnd limits free "by X" phrases to the byline position
// (just around the headline) and the post footer (the article's tail).
func (p *metaPage) nearHeadlineOrEnd(n *html.Node) bool {
	o := p.order[n]
	if p.headline != nil {
		if d := o - p.order[p.headline]; d >= -15 && d <= 25 {
			return true
		}
	}
	last := 0 // the scope's last descendant element
	if i, ok := p.order[p.scope]; ok && int(p.info[i].end) > i {
		last = int(p.info[i].end)
	}
	return last-o <= 25
}

// ---- review rating and reviewed item ----

func (p *metaPage) review(m *meta) {
	for _, n := range p.ld {
		if !ldHasType(n.obj, ldReviewTypes) {
			continue
		}
		if r, ok := p.resolve(n.obj["reviewRating"]).(map[string]any); ok {
			m.RatingRaw = ldString(r["ratingValue"])
			m.RatingValue = metaNum(m.RatingRaw)
			m.RatingBest = metaNum(ldString(r["bestRating"]))
			m.RatingWorst = metaNum(ldString(r["worstRating"]))
		}
		item, _ := p.resolve(n.obj["itemReviewed"]).(map[string]any)
		if item == nil && n.parent != nil && !ldHasType(n.parent, ldReviewTypes) && !ldHasType(n.parent, ldPageTypes) {
			item = n.parent // a Review listed under the thing's "review" key
		}
		if item != nil {
			m.ItemName = ldString(item["name"])
			if ts := ldTypes(item); len(ts) > 0 {
				m.ItemType = strings.TrimPrefix(ts[0], "schema:")
			}
			for _, k := range []string{"dateCreated", "datePublished", "releaseDate", "copyrightYear", "startDate"} {
				if y := metaYear(ldString(item[k])); y != nil {
					m.ItemYear = y
					break
				}
			}
		}
		if m.RatingRaw != "" || m.ItemName != "" {
			break
		}
	}
	if m.RatingRaw == "" && m.ItemName == "" {
		p.microdataReview(m)
	}
	// A star widget or a score box stands in for a rating that no
	// structured data gives.
	if m.RatingRaw == "" {
		if r, ok := p.starWidget(); ok {
			m.RatingRaw, m.RatingValue, m.RatingBest, m.RatingWorst = r.Raw, r.Value, r.Best, r.Worst
		} else if r, ok := p.scoreBox(); ok {
			m.RatingRaw, m.RatingValue, m.RatingBest, m.RatingWorst = r.Raw, r.Value, r.Best, r.Worst
		}
	}
}

func (p *metaPage) microdataReview(m *meta) {
	var scope *goquery.Selection
	for _, n := range p.nodes {
		if _, ok := metaHasAttr(n, "itemscope"); ok && (metaAttrHas(n, "itemtype", "Review") || metaAttrHas(n, "itemtype", "review")) {
			scope = goquery.NewDocumentFromNode(n).Selection
			break
		}
	}
	if scope == nil {
		return
	}
	val := func(s *goquery.Selection) string {
		for _, a := range []string{"content", "value", "datetime"} {
			if v, ok := s.Attr(a); ok && strings.TrimSpace(v) != "" {
				return strings.TrimSpace(v)
			}
		}
		return metaSpace(s.Text())
	}
	if m.RatingRaw == "" {
		r := scope.Find("[itemprop~=reviewRating]").First()
		if r.Length() == 0 {
			r = scope
		}
		if v := r.Find("[itemprop~=ratingValue]").First(); v.Length() > 0 {
			m.RatingRaw = val(v)
			m.RatingValue = metaNum(m.RatingRaw)
			if b := r.Find("[itemprop~=bestRating]").First(); b.Length() > 0 {
				m.RatingBest = metaNum(val(b))
			}
			if w := r.Find("[itemprop~=worstRating]").First(); w.Length() > 0 {
				m.RatingWorst = metaNum(val(w))
			}
		}
	}
	if m.ItemName == "" {
		if it := scope.Find("[itemprop~=itemReviewed]").First(); it.Length() > 0 {
			if nm := it.Find("[itemprop~=name]").First(); nm.Length() > 0 {
				m.ItemName = val(nm)
			} else {
				m.ItemName = val(it)
			}
			if t := it.AttrOr("itemtype", ""); t != "" {
				m.ItemType = t[strings.LastIndexAny(t, "/#")+1:]
			}
			if d := it.Find("[itemprop~=dateCreated], [itemprop~=datePublished], [itemprop~=copyrightYear]").First(); d.Length() > 0 {
				m.ItemYear = metaYear(val(d))
			}
		}
	}
}

var metaYearRe = regexp.MustCompile(`\b(1[89]\d\d|20\d\d)\b`)

func metaYear(s string) *int32 {
	m := metaYearRe.FindString(s)
	if m == "" {
		return nil
	}
	y, _ := strconv.Atoi(m)
	v := int32(y)
	return &v
}

func metaNum(s string) *float64 {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", "."))
	if s == "" {
		return nil
	}
	f, ok := decimal(s)
	if !ok {
		return nil
	}
	return &f
}

// metaSpace collapses Unicode whitespace (NBSP included) to single spaces.
func metaSpace(s string) string {
	if !strings.ContainsFunc(s, unicode.IsSpace) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

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

// urlDatePatterns find the date that blogs and news sites put in their
// article URLs: /2014/05/18/, /2020-02/19/, /20200102/, -20220124-.
var urlDatePatterns = []*regexp.Regexp{
	regexp.MustCompile(`/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|$|[^\d])`),
	regexp.MustCompile(`[/_-]((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)`),
}

// urlDate returns the publication day an article's URL states, as
// YYYY-MM-DD, "" when it states none: the last resort when the page
// itself gives no date. Of a web.archive.org URL only the archived URL
// counts, not the capture time.
func urlDate(urls ...string) string {
	for _, raw := range urls {
		if raw == "" {
			continue
		}
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "http" && u.Scheme != "https" {
			// A saved file's folders ("archive/2024/05/18/") say when it
			// was saved, not when it was published.
			continue
		}
		path := u.EscapedPath()
		if strings.EqualFold(u.Hostname(), "web.archive.org") {
			// /web/20080731095558/http://host/2008/07/29/post
			if i := strings.Index(path, "/http"); i >= 0 {
				path = path[i:]
			} else {
				continue
			}
		}
		for _, re := range urlDatePatterns {
			if m := re.FindStringSubmatch(path); m != nil {
				return m[1] + "-" + m[2] + "-" + m[3]
			}
		}
	}
	return ""
}
