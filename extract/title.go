package extract

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/reviewpipe/reviewpipe/internal/dom"
	"github.com/reviewpipe/reviewpipe/internal/jsonld"
)

// Sizes by which a title is told from the site's name and furniture.
const (
	// siteNameSlack: "Variety" and "Variety.com" or "VarietyUS" name one
	// site: a key this many bytes longer still matches, and a key this
	// long can match as a prefix.
	siteNameSlack = 4
	// maxHeadingText: a heading element with more text is no headline.
	maxHeadingText = 300
	// maxSiteWords: an unknown site name after the last separator is
	// short ("The Guardian", "Film Threat").
	maxSiteWords = 4
	// maxSiteSegmentWords: a segment that repeats outside the headline may
	// be a section or site name up to this long ("Arts & Culture | NPR").
	maxSiteSegmentWords = 5
	// minHeadlineWords: fewer words match too many headings by chance.
	minHeadlineWords = 3
	// maxKickerWords, maxTitlePrefixWords: a heading that is the title's
	// start may leave this many words (a kicker or site name) after it; one
	// that is its end may leave fewer before it.
	maxKickerWords      = 5
	maxTitlePrefixWords = 3
)

// Canonical URL, site name, title and headline, description and language.

func (p *metaPage) canonical() string {
	var got string
	for _, n := range p.nodes {
		if n.Data != "link" {
			continue
		}
		rel, ok := dom.HasAttr(n, "rel")
		href, ok2 := dom.HasAttr(n, "href")
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
			v := p.ld.Resolve(obj[k])
			s := jsonld.String(v)
			if o, ok := v.(map[string]any); ok {
				s = jsonld.String(o["@id"])
				if s == "" {
					s = jsonld.String(o["url"])
				}
			}
			if got = p.absURL(s); got != "" {
				return got
			}
		}
	}
	return ""
}

func (p *metaPage) siteName() (string, string) {
	if s := p.tag("og:site_name"); s != "" {
		return s, SourceMeta
	}
	for _, obj := range p.ldMain() {
		if pub, ok := p.ld.Resolve(obj["publisher"]).(map[string]any); ok {
			if s := jsonld.String(pub["name"]); s != "" {
				return s, SourceJSONLD
			}
		}
		if site, ok := p.ld.Resolve(obj["isPartOf"]).(map[string]any); ok && jsonld.HasType(site, ldSiteTypes) {
			if s := jsonld.String(site["name"]); s != "" {
				return s, SourceJSONLD
			}
		}
	}
	for _, set := range []map[string]bool{jsonld.Set("website"), ldSiteTypes} {
		for _, n := range p.ld.Nodes {
			if n.Depth == 0 && jsonld.HasType(n.Obj, set) {
				if s := jsonld.String(n.Obj["name"]); s != "" {
					return s, SourceJSONLD
				}
			}
		}
	}
	return p.tag("application-name", "apple-mobile-web-app-title", "publisher", "dc.publisher", "citation_publisher"), SourceMeta
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
	if sk := metaLooseKey(siteName); sk != "" && (k == sk || strings.HasPrefix(k, sk) && len(k)-len(sk) <= siteNameSlack || strings.HasPrefix(sk, k) && len(k) >= siteNameSlack) {
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
			href := strings.TrimSpace(dom.Attr(a, "href"))
			if u, err := url.Parse(href); href != "" && err == nil && (u.Path == "/" || u.Path == "") && u.RawQuery == "" && u.Fragment == "" && (u.Host == "" || p.base == nil || strings.EqualFold(strings.TrimPrefix(u.Hostname(), "www."), strings.TrimPrefix(p.base.Hostname(), "www."))) {
				if k := metaLooseKey(dom.NodeText(n)); k != "" {
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

func (p *metaPage) title(siteName, canonical string) (string, string) {
	host := p.host(canonical)
	docTitle := p.docTitle
	siteHeads := p.siteHeads
	clean := func(s string) string {
		s = dom.Space(html.UnescapeString(s))
		return metaStripCJKSite(metaStripSpans(metaStripSite(s, siteName, host), siteHeads))
	}
	structured := []struct{ title, source string }{
		{p.ldTitle(), SourceJSONLD},
		{p.dcTitle(), SourceMeta},
		{p.tag("og:title"), SourceMeta},
		{p.tag("twitter:title", "twitter:text:title", "parsely-title", "sailthru.title", "citation_title", "title"), SourceMeta},
		{dom.Space(dom.NodeText(p.firstItemprop("headline"))), SourceMicrodata},
	}
	for _, c := range structured {
		if s := clean(c.title); s != "" && !metaSiteLike(s, siteName, host) && !metaSlugLike(s) {
			if h := p.headingWithin(s); h != s {
				return h, SourceMarkup
			}
			return s, c.source
		}
	}
	// Without structured data, an h1 in the content beats <title>, which
	// carries site names in too many shapes to strip reliably.
	var h1s []string
	for _, n := range p.heads {
		if n.Data != "h1" || p.chrome(n) || p.inComments(n) {
			continue
		}
		if t := dom.Space(dom.NodeText(n)); t != "" && len(t) < maxHeadingText && !metaSiteLike(t, siteName, host) {
			h1s = append(h1s, t)
		}
	}
	if t := p.headingWithin(docTitle); t != docTitle {
		return t, SourceMarkup
	}
	if t := clean(docTitle); t != docTitle || len(metaSplitTitle(docTitle)) < 2 {
		if t != "" {
			return t, SourceMeta
		}
	}
	if len(h1s) == 1 {
		return h1s[0], SourceMarkup
	}
	// An unknown site name: drop a short last segment, as readers do.
	parts := metaSplitTitle(docTitle)
	if n := len(parts); n >= 2 && len(strings.Fields(parts[n-1])) <= maxSiteWords && len(strings.Fields(parts[n-1])) < len(strings.Fields(docTitle))/2 {
		return metaStripTrailing(docTitle, parts[n-1]), SourceMeta
	}
	return docTitle, SourceMeta
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
	h1, h1Head, ok := p.theH1()
	if !ok {
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
	if p.h1IsHeadline(h1, title) {
		return h1
	}
	return title
}

// theH1 returns the text of the page's one <h1> (outside comments, not
// the site's name), and its text without kicker and subtitle parts; ok is
// false when there is none or several differ.
func (p *metaPage) theH1() (h1, h1Head string, ok bool) {
	for _, n := range p.heads {
		if n.Data != "h1" || p.inComments(n) {
			continue
		}
		t := dom.Space(dom.NodeText(n))
		if t == "" || len(t) > maxHeadingText || p.siteHeads[metaLooseKey(t)] {
			continue
		}
		if h1 != "" && h1 != t {
			return "", "", false // several headings: no telling which
		}
		h1, h1Head = t, strings.Trim(dom.Space(metaHeadlineText(n)), " :|-–—·•")
	}
	return h1, h1Head, h1 != ""
}

// h1IsHeadline decides whether the printed h1, other than the meta title,
// is the same headline as printed, or the headline where the title only
// names the site.
func (p *metaPage) h1IsHeadline(h1, title string) bool {
	hk, tk := metaLooseKey(h1), metaLooseKey(title)
	if hk == tk {
		return true
	}
	tw, hw := metaWords(title), metaWords(h1)
	if len(hw) >= minHeadlineWords && metaSubset(hw, tw) {
		return true
	}
	// The printed headline says more than the title. A kicker glued in
	// front ("Immobilienkrise" + headline, from a <span> of the h1) or a
	// site name or date after a separator is no part of the headline.
	sepOnlyInH1 := strings.ContainsAny(h1, "|•·»") && !strings.ContainsAny(title, "|•·»")
	if len(tw) >= 2 && len(hw) > len(tw) && metaSubset(tw, hw) && !strings.HasSuffix(hk, tk) && !sepOnlyInH1 {
		return true
	}
	if len(hw) < minHeadlineWords {
		return false
	}
	// The title names the site or its section, not the article ("Home",
	// "Pressemitteilungen", "Handball Schweiz", an id), while the h1 is a
	// headline.
	if metaIDLike(title) || len(tw) <= 2 && len(hw) >= 4 && metaShared(tw, hw) <= 1 && !sepOnlyInH1 && !strings.ContainsAny(h1, "–—") {
		return true
	}
	// <title> is the h1, word for word, and only the social-card or
	// JSON-LD title says otherwise: two of the page's three voices agree.
	// Not when <title> has segments (one of them may be the blog's name,
	// printed as its h1) or the h1 glues a kicker before the title.
	return hk == metaLooseKey(p.docTitle) && len(metaSplitTitle(p.docTitle)) == 1 && !strings.HasSuffix(hk, tk)
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
	if len(tt) < minHeadlineWords {
		return ""
	}
	for _, n := range p.heads {
		if n.Data != "h1" || p.inComments(n) {
			continue
		}
		h := dom.Space(dom.NodeText(n))
		ht := metaTokens(h)
		k := len(ht)
		if k < 2 || k >= len(tt) {
			continue
		}
		if slices.Equal(ht, tt[:k]) && len(tt)-k <= maxKickerWords && k >= len(tt)-k {
			return h
		}
		if slices.Equal(ht, tt[len(tt)-k:]) && len(tt)-k <= maxTitlePrefixWords {
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
			case c.Data == "small" || metaKickerWords.MatchString(dom.Attr(c, "class")):
				cut = true
				b.WriteByte(' ')
			case metaHiddenWords.MatchString(dom.Attr(c, "class")) || dom.Attr(c, "aria-hidden") == "true":
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

// metaSlugRe matches an address slug ("adac-kindersitztest-herbst-2018"):
// lower-case words joined by two or more hyphens or underscores. A CMS
// that fills og:title with the slug gives no headline there.
var metaSlugRe = regexp.MustCompile(`^[\p{Ll}\d]+(?:[-_][\p{Ll}\d]+){2,}$`)

func metaSlugLike(s string) bool { return metaSlugRe.MatchString(s) }

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
		t := dom.Space(dom.NodeText(n))
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
	case metaLooseKey(last) != hk && strings.Contains(metaLooseKey(docTitle[:strings.LastIndex(docTitle, last)]), hk) && len(strings.Fields(last)) <= maxSiteSegmentWords:
		return last
	case metaLooseKey(first) != hk && strings.Contains(metaLooseKey(docTitle[len(first):]), hk) && len(strings.Fields(first)) <= maxSiteSegmentWords:
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
			if v := dom.Attr(h, a); strings.TrimSpace(v) != "" {
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
	for _, n := range p.ld.Nodes {
		if s := jsonld.String(n.Obj["inLanguage"]); s != "" {
			return s
		}
	}
	return ""
}

// ---- page regions ----
