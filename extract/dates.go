package extract

import (
	"iter"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/reviewpipe/reviewpipe/internal/dates"
	"github.com/reviewpipe/reviewpipe/internal/dom"
)

const (
	// maxHeaderText: the text after the headline that may hold the
	// byline's date; the header ends well before this many bytes.
	maxHeaderText = 300
	// sameDaySkew: a structured time and a printed day this close are one
	// date written in two time zones (a day either way of UTC).
	sameDaySkew = 48 * time.Hour
)

// The publication and modification dates as the page writes them.

var (
	metaISODate      = dates.ISO
	metaRelativeDate = dates.Relative
)

func metaLooksISO(s string) bool {
	return metaISODate.MatchString(s) && strings.Index(s, metaISODate.FindString(s)) == 0
}

// published returns the publication date as written and the kind of
// source it came from.
func (p *metaPage) published() (string, string) {
	s, src := p.structuredPublished()
	if s != "" {
		// A byline day that is the page's stated last change is the
		// update's, printed in place of the original.
		if v := p.bylineDay(); v != "" && !sameDay(s, v) && !sameDay(p.modifiedDate(), v) {
			// The day printed in the byline is the publication as
			// readers see it; structured data refines it to the second
			// only when it names the same day. Otherwise it is often a
			// migration's, a re-publication's or another zone's day.
			return v, SourceMarkup
		}
		return s, src
	}
	return p.visiblePublished()
}

// structuredPublished is the publication date JSON-LD, microdata or the
// meta tags give.
func (p *metaPage) structuredPublished() (string, string) {
	if s := p.ldFirst("datePublished", "dateCreated", "uploadDate"); s != "" {
		return s, SourceJSONLD
	}
	if s := p.microdataDate(); s != "" {
		return s, SourceMicrodata
	}
	if s := p.tag("article:published_time", "og:article:published_time", "og:published_time", "published_time",
		"article:published", "article.published", "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued",
		"dc.date.created", "dcterms.created", "dc.date", "dcterms.date", "citation_publication_date", "citation_date",
		"citation_online_date", "date", "pubdate", "publishdate", "publish-date", "publish_date", "pub_date",
		"publication_date", "originalpublicationdate", "og:pubdate", "datepublished", "release_date", "created", "date.created"); s != "" {
		return s, SourceMeta
	}
	return "", ""
}

// visiblePublished is the publication date the page prints: <time>
// elements and date-named elements nearest the headline, date lines
// after it, relative dates, and last the text around it.
func (p *metaPage) visiblePublished() (string, string) {
	var times []*html.Node
	for _, n := range p.nodes {
		if n.Data == "time" && !metaNotDateWords.matchParts(dom.Attr(n, "class"), dom.Attr(n, "itemprop")) {
			times = append(times, n)
		}
	}
	for _, n := range p.rank(times) {
		if v := strings.TrimSpace(dom.Attr(n, "datetime")); metaLooksISO(v) {
			return v, SourceMarkup
		}
	}
	ranked := p.rank(p.dateElements())
	for _, n := range ranked {
		if s := p.nodeDate(n); s != "" {
			return s, SourceMarkup
		}
	}
	if s := p.dateNearHeadline(); s != "" {
		return s, SourceMarkup
	}
	for _, n := range ranked {
		if t := p.shortText(n, 200); t != "" {
			if m := metaRelativeDate.FindString(t); m != "" {
				return m, SourceMarkup
			}
		}
	}
	if s := p.dateAroundHeadline(); s != "" {
		return s, SourceMarkup
	}
	// A byline element may carry the date after the name ("Author: Bo2man
	// am 29.12.2010, 13:36 Uhr").
	named, _, _ := p.bylineElements()
	for _, n := range p.rank(named) {
		if s := p.nodeDate(n); s != "" {
			return s, SourceMarkup
		}
	}
	if s := p.scriptStateDate(); s != "" {
		return s, SourceMeta
	}
	return "", ""
}

// scriptStateKeyRe finds a publication date in the state a page ships to
// its scripts (Next.js, Shopify, app frameworks): "publishedDate":
// "2016-11-04T20:37:27Z".
var scriptStateKeyRe = regexp.MustCompile(`"(?:datePublished|publishedDate|published_at|publishDate|publicationDate|first_published_at|publishedAt)"\s*:\s*"([^"]{10,40})"`)

// scriptStateDate is the last resort for pages that render their date
// with scripts: the first ISO publication date in a non-JSON-LD script's
// state. Scripts are read only when one holds the word.
func (p *metaPage) scriptStateDate() string {
	for _, n := range p.nodes {
		if n.Data != "script" || strings.Contains(strings.ToLower(dom.Attr(n, "type")), "ld+json") {
			continue
		}
		t := dom.NodeText(n)
		if !strings.Contains(t, "ublish") {
			continue
		}
		for _, m := range scriptStateKeyRe.FindAllStringSubmatch(t, maxScriptDates) {
			if metaLooksISO(m[1]) {
				return m[1]
			}
		}
	}
	return ""
}

// maxScriptDates bounds the dates read from one script: the page's own
// comes first in the state; later ones are related items'.
const maxScriptDates = 3

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
	if d := metaFirstPublishedDate(after); d != "" {
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
var metaDateCues = [2][]string{
	// publication
	{"veröffentlicht", "publiziert", "erschienen", "gepostet", "geschrieben", "gespeichert", "erstellt", "datum",
		"published", "posted", "written", "created", "publié", "mise en ligne", "publicado", "pubblicato",
		"pressemitteilung vom", "pressemeldung vom", "meldung vom", "mitteilung vom", "artikel vom", "beitrag vom", "sendung vom"},
	// revision: taken only when the text names no publication date
	{"aktualisiert", "geändert", "änderung", "Änderung", "updated", "edited", "modified", "mis à jour", "actualizado",
		"aggiornato", "stand:"},
}

// metaDateVerbs end a German sentence whose date comes before them: "… am
// 19. Mai 2010 um 23:03 Uhr gepostet". The date must end within 20 bytes.
// Publication verbs, then revision verbs, as metaDateCues.
var metaDateVerbs = [2][]string{{"gepostet", "veröffentlicht", "erschienen", "geschrieben"}, {"aktualisiert", "geändert"}}

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
	// A page that says both when it was published and when it was last
	// changed ("Letzte Änderung: 31.10.2023 … Erschienen am: 01.11.2023")
	// is published on the first.
	for kind := range metaDateCues {
		if d := cuedDateOf(t, low, metaDateCues[kind], metaDateVerbs[kind]); d != "" {
			return d
		}
	}
	return ""
}

// cuedDateOf returns the earliest date of t that one of cues introduces
// or one of verbs closes.
func cuedDateOf(t, low string, cues, verbs []string) string {
	best, at := "", len(t)+1
	consider := func(start, end, maxOff int) {
		if d, off := metaFirstDateAt(t[start:end]); d != "" && off <= maxOff && start+off < at {
			best, at = d, start+off
		}
	}
	for _, cue := range cues {
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
	for _, verb := range verbs {
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
func metaFirstDateAt(t string) (string, int) { return dates.First(t) }

// metaLastDateBefore returns a date in t that ends at most slack bytes
// before t's end, with no sentence end after it, and its offset.
func metaLastDateBefore(t string, slack int) (string, int) {
	best, at := "", -1
	for _, loc := range dates.FindAll(t) {
		if len(t)-loc[1] <= slack && !strings.ContainsAny(t[loc[1]:], ".!?\n") && (at < 0 || loc[0] > at) {
			best, at = t[loc[0]:loc[1]], loc[0]
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
	d, _ := metaFirstDateIn(t)
	return d
}

// metaFirstDateIn is metaFirstDate with the date's offset in t.
func metaFirstDateIn(t string) (string, int) {
	for start := 0; start < len(t); {
		d := strings.IndexAny(t[start:], "0123456789")
		if d < 0 {
			return "", -1
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
		if date, off := metaFirstDateAt(t[lo:hi]); date != "" {
			return date, lo + off
		}
		start = hi
	}
	return "", -1
}

// metaFirstPublishedDate is the first date of t not labelled as a
// revision ("Letzte Änderung: 31.10.2023", "Updated May 3"): the text
// after a headline may state the last change before the publication.
func metaFirstPublishedDate(t string) string {
	for from := 0; from < len(t); {
		d, off := metaFirstDateIn(t[from:])
		if d == "" {
			return ""
		}
		at := from + off
		if !revisionCueRe.MatchString(t[max(0, at-revisionCueReach):at]) {
			return d
		}
		from = at + len(d)
	}
	return ""
}

// revisionCueRe ends the text before a date that a revision label
// introduces.
var revisionCueRe = regexp.MustCompile(`(?i)(?:aktualisiert|geändert|änderung|updated|update|edited|modified|mis à jour|actualizado|aggiornato|stand)\s*(?:am|on|le|el|il)?\s*[:.]?\s*$`)

// revisionCueReach is how far before a date its revision label may start.
const revisionCueReach = 30

// The reach of a date around its first digit, as the date grammar
// defines it.
const (
	metaDateBefore = dates.FindBefore
	metaDateAfter  = dates.FindAfter
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
			if t := dom.Space(c.Data); t != "" {
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
		if v := strings.TrimSpace(dom.Attr(n, a)); metaLooksISO(v) {
			return v
		}
	}
	t := p.shortText(n, 200)
	if t == "" {
		return ""
	}
	best, _ := dates.First(t)
	return best
}

// dateNearHeadline scans the few lines after the headline, where themes
// without telling class names print "Posted on March 6, 2019".
func (p *metaPage) dateNearHeadline() string {
	if p.headline == nil {
		return ""
	}
	var buf strings.Builder
	for n := p.headline; n != nil && buf.Len() < maxHeaderText; {
		if n.NextSibling == nil {
			n = n.Parent
			if n == nil || n == p.scope || n.Data == "body" {
				break
			}
			continue
		}
		n = n.NextSibling
		if n.Type == html.ElementNode && (n.Data == "p" || n.Data == "div") && buf.Len() > 0 && len(dom.Text(n)) > 200 {
			break // reached the body text
		}
		buf.WriteString(" ")
		buf.WriteString(dom.Text(n))
	}
	t := buf.String()
	if len(t) > maxHeaderText {
		t = t[:300]
	}
	// The forms in order of exactness, the first form found winning.
	if locs := dates.FindAll(t); len(locs) > 0 {
		return t[locs[0][0]:locs[0][1]]
	}
	return ""
}

// modified returns the date the page says it was last changed, as
// written: JSON-LD dateModified of the article, microdata, then the meta
// tags publishers set for it. Visible "Updated" lines are not read: they
// are the published date's rival, not a source of their own.
func (p *metaPage) modified() (string, string) {
	if s := p.ldFirst("dateModified"); s != "" {
		return s, SourceJSONLD
	}
	for _, n := range p.nodes {
		if dom.Itemprop(n, "dateModified") && !p.inComments(n) && p.itemOfArticle(n) {
			for _, a := range []string{"content", "datetime", "value"} {
				if v := strings.TrimSpace(dom.Attr(n, a)); v != "" {
					return v, SourceMicrodata
				}
			}
		}
	}
	return p.tag("article:modified_time", "og:article:modified_time", "og:updated_time", "modified_time", "article:modified",
		"dc.date.modified", "dcterms.modified", "last-modified", "lastmod", "parsely-updated", "datemodified", "date.modified"), SourceMeta
}

func (p *metaPage) microdataDate() string {
	for _, n := range p.nodes {
		if !dom.Itemprop(n, "datePublished", "dateCreated") || p.inComments(n) || !p.itemOfArticle(n) {
			continue
		}
		for _, a := range []string{"content", "datetime", "value"} {
			if v := strings.TrimSpace(dom.Attr(n, a)); v != "" {
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
		if _, ok := dom.HasAttr(a, "itemscope"); ok {
			t := strings.ToLower(dom.Attr(a, "itemtype"))
			return t == "" || strings.Contains(t, "article") || strings.Contains(t, "posting") || strings.Contains(t, "review") ||
				strings.Contains(t, "webpage") || strings.Contains(t, "creativework") || strings.Contains(t, "blog")
		}
	}
	return true
}

// urlDatePatterns find the date that blogs and news sites put in their
// article URLs: /2014/05/18/, /2017/7/12/, /2020-02/19/, /20200102/,
// -20220124-, and a path segment that is a day-first date (/29-10-2021).
// Submatches are year, month, day, or (the last pattern) day, month, year.
var urlDatePatterns = []*regexp.Regexp{
	regexp.MustCompile(`/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|$|[^\d])`),
	regexp.MustCompile(`[/_-]((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)`),
	regexp.MustCompile(`/(0[1-9]|[12]\d|3[01])-(0[1-9]|1[0-2])-((?:19|20)\d\d)(?:/|$)`),
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
		for i, re := range urlDatePatterns {
			if m := re.FindStringSubmatch(path); m != nil {
				y, mo, d := m[1], m[2], m[3]
				if i == len(urlDatePatterns)-1 {
					y, d = d, y
				}
				return y + "-" + twoDigits(mo) + "-" + twoDigits(d)
			}
		}
	}
	return ""
}

// bylineDay returns the day the article's byline prints — a <time> or
// date-named element within bylineReach elements of the headline, in the
// article, not labelled as an update — when it states a day and no time
// of day; "" otherwise.
func (p *metaPage) bylineDay() string {
	if p.headline == nil {
		return ""
	}
	h := p.order[p.headline]
	for _, n := range p.rank(p.dateElementsIn(max(0, h-bylineReach), min(len(p.nodes), h+bylineReach+1))) {
		v := p.nodeDate(n)
		if v == "" {
			continue
		}
		if clockRe.MatchString(v) || updateLabelRe.MatchString(p.shortText(n, 200)) || updateLabelRe.MatchString(p.shortText(n.Parent, 200)) {
			return ""
		}
		return v
	}
	return ""
}

// bylineReach is how many elements from the headline a byline date may
// sit: a header holds the headline, a kicker, a deck, the byline and an
// image; further on are teasers and sidebars with their own dates.
const bylineReach = 20

var (
	// clockRe finds a time of day ("14:45", "T12:01").
	clockRe = regexp.MustCompile(`\d{1,2}:\d{2}`)
	// updateLabelRe finds a label that makes a date the last change's.
	updateLabelRe = regexp.MustCompile(`(?i)updated|update:|aktualisiert|geändert|modified|mis à jour|actualizado|atualizado|aggiornato|bijgewerkt|opdateret|oppdatert|uppdaterad|päivitetty|zaktualizowano|last edited`)
)

// modifiedDate is the last change the page states, "" if none.
func (p *metaPage) modifiedDate() string {
	s, _ := p.modified()
	return s
}

// sameDay reports whether the visible day v is, give or take the zone,
// the day the structured date s states: within a day of it, since a
// timestamp's UTC day and the publisher's local day differ by one around
// midnight, and the timestamp is then the more exact of the two. A
// numeric day that reads two ways ("11.03.17": 11 March or 3 November) is
// taken as agreeing: it cannot overrule a machine-readable date. "" states
// no day.
func sameDay(s, v string) bool {
	if s == "" {
		return false
	}
	if m := ambiguousNumericRe.FindStringSubmatch(v); m != nil {
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[2])
		if a <= 12 && b <= 12 && a != b {
			return true
		}
	}
	vt, _, ok := dates.Parse(v, time.Time{}, time.UTC)
	if !ok {
		return true // not a day we could use instead
	}
	st, _, ok := dates.Parse(s, time.Time{}, time.UTC)
	if !ok {
		return true
	}
	d := st.Sub(vt)
	return d > -sameDaySkew && d < sameDaySkew
}

// ambiguousNumericRe matches a numeric day-month or month-day date.
var ambiguousNumericRe = regexp.MustCompile(`^\s*(\d{1,2})[./](\d{1,2})[./]\d{2,4}\s*$`)

// dateElements returns the <time> elements and the elements whose class,
// id or itemprop names a date (not an update) in the body, in page order.
func (p *metaPage) dateElements() []*html.Node {
	return p.dateElementsIn(0, len(p.nodes))
}

// dateElementsIn is dateElements among p.nodes[from:to].
func (p *metaPage) dateElementsIn(from, to int) []*html.Node {
	var cands []*html.Node
	for i := from; i < to; i++ {
		n := p.nodes[i]
		if p.info[i].flags&nodeInBody == 0 || n.Data == "script" || n.Data == "style" {
			continue
		}
		if n.Data == "time" {
			cands = append(cands, n)
			continue
		}
		cls, id, prop := dom.Attr3(n, "class", "id", "itemprop")
		if (cls != "" || id != "" || prop != "") && metaDateWords.matchParts(cls, id, prop) && !metaNotDateWords.matchParts(cls, id, prop) {
			cands = append(cands, n)
		}
	}
	return cands
}

// twoDigits pads a one-digit month or day.
func twoDigits(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}
