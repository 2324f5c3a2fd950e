package extract

import (
	"github.com/reviewpipe/reviewpipe/internal/dom"
	"github.com/reviewpipe/reviewpipe/internal/record"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// More sources of the item reviewed, for review pages whose structured
// data and headline pattern name none: the "Creator: Work" title of music
// and book sites, the one quoted title of a review's headline, the type
// its address files it under, the release year its header shows.

// creatorWork returns the work of a "Creator: Work" meta title whose
// second part the page prints as its <h1> ("Birthing Hips: Urge to Merge"
// over <h1>Urge to Merge</h1>): the h1 is the item, the part before the
// colon its artist or author.
func (p *metaPage) creatorWork(siteName, canonical string) string {
	host := p.host(canonical)
	for _, t := range []string{p.tag("og:title"), p.tag("twitter:title"), p.docTitle} {
		creator, work, ok := strings.Cut(t, ": ")
		work = strings.TrimSpace(work)
		if !ok || work == "" || metaSiteLike(strings.TrimSpace(creator), siteName, host) {
			continue // "Daring Fireball: The iPhone 16e" is the site's name and a headline
		}
		for _, h := range p.heads {
			if h.Data == "h1" && metaLooseKey(dom.Space(dom.NodeText(h))) == metaLooseKey(work) {
				return work
			}
		}
	}
	return ""
}

// reviewQuoted returns the one quoted title of a review's headline
// ("The new 'Dune' is a great start …", "'Shōgun' Exits Not With a Bang"):
// on a page already known to be a review, a quoted title is what it
// reviews. A headline quoting two titles, or a sentence, names none.
func reviewQuoted(title string) string {
	// An apostrophe between letters ("can't", "Spike's") opens no quote.
	title = inWordApostropheRe.ReplaceAllString(title, "${1}\u02bc${2}")
	q := quotedRe.FindAllStringSubmatch(title, -1)
	if len(q) == 0 {
		// Chinese and Japanese quote names in corner brackets:
		// 「Palm Phone」の実機チェック.
		q = cjkQuotedRe.FindAllStringSubmatch(title, -1)
	}
	if len(q) != 1 {
		return ""
	}
	name := strings.ReplaceAll(strings.TrimSpace(q[0][1]), "\u02bc", "'")
	if n := len(strings.Fields(name)); n == 0 || n > maxQuotedItemWords {
		return ""
	}
	return name
}

// cjkQuotedRe matches a name in corner brackets.
var cjkQuotedRe = regexp.MustCompile(`[「『]([^」』]{1,80})[」』]`)

// thoughtsOnRe matches a personal review's headline that names its
// subject without the word review: "Thoughts on Zig", "First impressions
// of the Pixel 9", "Notes on Dune".
var thoughtsOnRe = regexp.MustCompile(`(?i)^(?:some\s+|my\s+|a\s+few\s+|first\s+|final\s+)?(?:thoughts|notes|impressions|musings)\s+(?:on|about|of)\s+(.+)$`)

// handsOnRe matches a headline that reports trying a thing out; what is
// tried out without a stated kind is a product, as is a loaned review
// unit.
var handsOnRe = regexp.MustCompile(`(?i)\b(?:we|i) tried( it)?\b|\bhands[- ]on\b|\btested\b|\bim (?:praxis|langzeit|dauer)?test\b|実機|使ってみた|試してみた`)

// inWordApostropheRe matches an apostrophe between two letters.
var inWordApostropheRe = regexp.MustCompile(`(\pL)['’](\pL)`)

// maxQuotedItemWords: a longer quotation is a line someone said, not a
// title.
const maxQuotedItemWords = 8

// typeBySection maps the path segments sites file reviews under to the
// schema.org type of what they review: the page's own vocabulary.
var typeBySection = map[string]string{
	"albums": "MusicAlbum", "album": "MusicAlbum", "music": "MusicAlbum", "musik": "MusicAlbum", "musique": "MusicAlbum",
	"movies": "Movie", "movie": "Movie", "films": "Movie", "film": "Movie", "kino": "Movie", "cinema": "Movie", "cine": "Movie", "cinéma": "Movie", "filme": "Movie", "películas": "Movie",
	"books": "Book", "book": "Book", "novels": "Book", "novel": "Book", "romane": "Book", "roman": "Book", "livre": "Book", "libro": "Book", "buch": "Book", "buecher": "Book", "bucher": "Book", "livres": "Book", "libros": "Book", "libri": "Book",
	"games": "VideoGame", "game": "VideoGame", "spiele": "VideoGame", "jeux": "VideoGame", "videogames": "VideoGame",
	"tv": "TVSeries", "series": "TVSeries", "serien": "TVSeries", "shows": "TVSeries",
	"restaurants": "Restaurant", "restaurant": "Restaurant", "dining": "Restaurant",
	"hotels": "Hotel", "hotel": "Hotel",
	"products": "Product", "gear": "Product", "gadgets": "Product",
	"apps": "SoftwareApplication", "software": "SoftwareApplication",
}

// sectionType returns the type the address's section names, the last
// such segment winning ("/reviews/albums/x" → MusicAlbum).
func sectionType(pageURL string) string {
	u, err := url.Parse(pageURL)
	if err != nil {
		return ""
	}
	typ := ""
	segs := strings.Split(strings.ToLower(strings.TrimSuffix(u.Path, "/")), "/")
	for _, s := range segs[:max(0, len(segs)-1)] { // not the page's own slug
		if t := typeBySection[s]; t != "" {
			typ = t
		}
	}
	// A review's own slug may say what it reviews: "dune-movie-hbo-review".
	if slug := segs[len(segs)-1]; typ == "" && reviewSlugRe.MatchString(slug) {
		for _, w := range strings.FieldsFunc(slug, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
			if t := typeBySection[w]; t != "" {
				return t
			}
		}
	}
	return typ
}

// reviewSlugRe matches a slug that calls its page a review.
var reviewSlugRe = regexp.MustCompile(`(?i)(^|[-_])(review|rezension|kritik|critique)([-_.]|$)`)

var fourDigitYearRe = regexp.MustCompile(`\b(1[89]\d\d|20\d\d)\b`)

// releaseYear returns the year an element named for the release shows,
// nearest the headline, outside comments and furniture; never a date of
// the page itself (those sit in <time> and date-named elements).
func (p *metaPage) releaseYear() *int32 {
	for i, n := range p.namedShortElements(maxReleaseText, releaseYearStems, releaseYearClassRe) {
		if i == releaseYearCandidates {
			break
		}
		if m := fourDigitYearRe.FindString(dom.NodeText(n)); m != "" {
			y, _ := strconv.Atoi(m)
			v := int32(y)
			return &v
		}
	}
	return nil
}

// completeItem fills what a review's item lacks once the page is known
// to be a review: its name from a "Creator: Work" title or the headline's
// one quoted title; its type from structured data (already set), the
// address's section, or the headline's and text's words; its year from the
// header's release line (not after the fetch), the text's description, or
// a release the text dates by the day of writing.
func (m *meta) completeItem(text string, facts []record.Fact, fetched time.Time) {
	if m.ItemName == "" {
		m.ItemName = m.headWork
		m.sources.set(fieldItemName, SourceMeta, m.ItemName != "")
		if m.ItemName == "" {
			m.ItemName = reviewQuoted(m.Title)
			if t := thoughtsOnRe.FindStringSubmatch(m.Title); m.ItemName == "" && t != nil {
				m.ItemName, _ = cleanItemName(leadingName(t[1]))
			}
			if m.ItemName == "" {
				m.ItemName = headlineSubject(m.Title)
			}
			m.sources.set(fieldItemName, SourceHeadline, m.ItemName != "")
		}
	}
	// A review's type and year stand even when its name cannot be read:
	// "a restaurant review" is worth knowing.
	if m.ItemType == "" {
		m.ItemType = m.sectionType
		m.sources.set(fieldItemType, m.sectionTypeSource, m.ItemType != "")
	}
	if m.ItemType == "" {
		m.ItemType = m.sectionsType
		m.sources.set(fieldItemType, SourceMeta, m.ItemType != "")
	}
	if m.ItemType == "" {
		m.ItemType = factsType(facts)
		m.sources.set(fieldItemType, SourceMarkup, m.ItemType != "")
	}
	if m.ItemType == "" {
		m.ItemType = placeType(m.ItemName)
		m.sources.set(fieldItemType, SourceHeadline, m.ItemType != "")
	}
	if m.ItemType == "" {
		m.ItemType = itemTypeBeside(m.Title, m.ItemName, text)
		m.sources.set(fieldItemType, SourceText, m.ItemType != "")
	}
	if m.ItemType == "" && (handsOnRe.MatchString(m.Title) || m.kind.reviewText) {
		m.ItemType = "Product"
		m.sources.set(fieldItemType, SourceHeadline, true)
	}
	if y := m.releaseYearOf(); m.ItemYear == nil && y != nil && (fetched.IsZero() || int(*y) <= fetched.Year()) {
		m.ItemYear = y
		m.sources.set(fieldItemYear, SourceMarkup, true)
	}
	if y := factsYear(facts); m.ItemYear == nil && y != nil && (fetched.IsZero() || int(*y) <= fetched.Year()) {
		m.ItemYear = y
		m.sources.set(fieldItemYear, SourceMarkup, true)
	}
	if m.ItemYear == nil {
		m.ItemYear = describedYear(text)
		m.sources.set(fieldItemYear, SourceText, m.ItemYear != nil)
	}
	if m.ItemYear == nil {
		m.ItemYear = releasedYear(text, m.Published, fetched)
		m.sources.set(fieldItemYear, SourceText, m.ItemYear != nil)
	}
}

// releaseYearCandidates is how many release lines nearest the headline
// are read: the review's header holds one; further ones are other
// records' in a listing.
const releaseYearCandidates = 6

// maxReleaseText: a release line is short ("• 2017", "Released 2002").
const maxReleaseText = 40

// maxNameHeadlineWords: a review's headline this short ("The iPhone 16e")
// is the name of what it reviews.
const maxNameHeadlineWords = 4

var (
	// subjectRe matches a review headline whose subject is a name in
	// capitals before a copula or a verb of verdict: "Apple's Vision Pro
	// is the Retina display moment for headsets", "Levels Nigerian
	// Cuisine Serves Some of St. Louis' Most Thrilling Fare".
	subjectRe = regexp.MustCompile(`^((?:[\p{Lu}\d][\p{L}\d’'.+&-]*\s+){0,4}[\p{Lu}\d][\p{L}\d’'.+&-]*)\s+(?i:is|are|was|ist|sind|est|es|serves|offers|brings|delivers|makes|gets|takes|shines|impresses|excels|falls|proves|returns|opens|stuns|goes|gives|lands|nails|struggles|succeeds|fails|feels|looks|sounds|tastes|works|wins|remains|stays|becomes|turns|raises|sets|keeps|has|does|can|will)\s+\S`)
	// possessiveRe matches a maker's possessive: "Apple's", "Sony’s".
	possessiveRe = regexp.MustCompile(`^([\p{Lu}][\p{L}\d]*)['’]s\s+`)
	leadingTheRe = regexp.MustCompile(`(?i)^(?:the|a|an)\s+`)
)

// headlineSubject returns the name a review's headline consists of, or
// opens with as its subject ("The iPhone 16e" → "iPhone 16e", "Apple's
// Vision Pro is …" → "Apple Vision Pro"), "" when it has none: a short
// headline is a name, and a review's subject is what it reviews.
func headlineSubject(title string) string {
	if strings.ContainsAny(title, ":|–—?!") {
		return ""
	}
	if len(strings.Fields(title)) <= maxNameHeadlineWords {
		n, _ := cleanItemName(leadingTheRe.ReplaceAllString(title, ""))
		return n
	}
	m := subjectRe.FindStringSubmatch(title)
	if m == nil || leadingTheRe.MatchString(m[1]) {
		return ""
	}
	n, _ := cleanItemName(possessiveRe.ReplaceAllString(m[1], "$1 "))
	return n
}

// placeWords name the kind of a place in its own name: "Hotel Alma
// Barcelona", "Osteria Lupa", "Café Central".
var placeWords = map[string]string{
	"hotel": "Hotel", "hostel": "Hotel", "resort": "Hotel", "inn": "Hotel", "lodge": "Hotel", "motel": "Hotel",
	"restaurant": "Restaurant", "café": "Restaurant", "cafe": "Restaurant", "bistro": "Restaurant", "brasserie": "Restaurant",
	"osteria": "Restaurant", "trattoria": "Restaurant", "pizzeria": "Restaurant", "diner": "Restaurant", "taverna": "Restaurant",
	"ristorante": "Restaurant", "gasthaus": "Restaurant", "steakhouse": "Restaurant", "noodle": "Restaurant",
}

// placeType returns the type of place a name says it is, "" if none.
func placeType(name string) string {
	for _, w := range strings.Fields(strings.ToLower(name)) {
		if t := placeWords[w]; t != "" {
			return t
		}
	}
	return ""
}

// sectionsType returns the type the first section naming a kind of
// thing gives ("Books", "Kino", "Restaurant Reviews"), "" if none does.
func sectionsType(sections []string) string {
	for _, s := range sections {
		for _, w := range strings.Fields(strings.ToLower(s)) {
			if t := typeBySection[w]; t != "" {
				return t
			}
		}
	}
	return ""
}

// releaseYearOf is the release line's year, nil without a page to read.
func (m *meta) releaseYearOf() *int32 {
	if m.releaseYear == nil {
		return nil
	}
	return m.releaseYear()
}
