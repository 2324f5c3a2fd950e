package extract

import (
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
func (p *metaPage) creatorWork() string {
	for _, t := range []string{p.tag("og:title"), p.tag("twitter:title"), p.docTitle} {
		_, work, ok := strings.Cut(t, ": ")
		work = strings.TrimSpace(work)
		if !ok || work == "" {
			continue
		}
		for _, h := range p.heads {
			if h.Data == "h1" && metaLooseKey(metaSpace(metaNodeText(h))) == metaLooseKey(work) {
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
	if len(q) != 1 {
		return ""
	}
	name := strings.ReplaceAll(strings.TrimSpace(q[0][1]), "\u02bc", "'")
	if n := len(strings.Fields(name)); n == 0 || n > maxQuotedItemWords {
		return ""
	}
	return name
}

// inWordApostropheRe matches an apostrophe between two letters.
var inWordApostropheRe = regexp.MustCompile(`(\pL)['’](\pL)`)

// maxQuotedItemWords: a longer quotation is a line someone said, not a
// title.
const maxQuotedItemWords = 8

// typeBySection maps the path segments sites file reviews under to the
// schema.org type of what they review: the page's own vocabulary.
var typeBySection = map[string]string{
	"albums": "MusicAlbum", "album": "MusicAlbum", "music": "MusicAlbum", "musik": "MusicAlbum", "musique": "MusicAlbum",
	"movies": "Movie", "movie": "Movie", "films": "Movie", "film": "Movie", "kino": "Movie", "cinema": "Movie", "cine": "Movie",
	"books": "Book", "book": "Book", "buch": "Book", "buecher": "Book", "bucher": "Book", "livres": "Book", "libros": "Book", "libri": "Book",
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
	segs := strings.Split(strings.ToLower(u.Path), "/")
	for _, s := range segs[:max(0, len(segs)-1)] { // not the page's own slug
		if t := typeBySection[s]; t != "" {
			typ = t
		}
	}
	return typ
}

// releaseYearClassRe matches the class or id of an element showing the
// item's release year in a review's header ("year", "release-year",
// "release-date", "erscheinungsjahr").
var releaseYearClassRe = regexp.MustCompile(`(?i)(^|[-_\s])(year|release|released|release-year|release-date|erscheinungsjahr|annee)($|[-_\s])`)

// releaseYearStems are the stems every releaseYearClassRe match holds.
var releaseYearStems = []string{"year", "releas", "erscheinungsjahr", "annee"}

var fourDigitYearRe = regexp.MustCompile(`\b(1[89]\d\d|20\d\d)\b`)

// releaseYear returns the year an element named for the release shows,
// nearest the headline, outside comments and furniture; never a date of
// the page itself (those sit in <time> and date-named elements).
func (p *metaPage) releaseYear() *int32 {
	for i, n := range p.namedShortElements(maxReleaseText, releaseYearStems, releaseYearClassRe) {
		if i == releaseYearCandidates {
			break
		}
		if m := fourDigitYearRe.FindString(metaNodeText(n)); m != "" {
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
// header's release line (not after the fetch) or the text's description.
func (m *meta) completeItem(text string, fetched time.Time) {
	if m.ItemName == "" {
		m.ItemName = m.headWork
		m.sources.set(fieldItemName, SourceMeta, m.ItemName != "")
		if m.ItemName == "" {
			m.ItemName = reviewQuoted(m.Title)
			m.sources.set(fieldItemName, SourceHeadline, m.ItemName != "")
		}
	}
	if m.ItemName == "" {
		return
	}
	if m.ItemType == "" {
		m.ItemType = m.sectionType
		m.sources.set(fieldItemType, m.sectionTypeSource, m.ItemType != "")
	}
	if m.ItemType == "" {
		m.ItemType = itemType(m.Title, text)
		m.sources.set(fieldItemType, SourceText, m.ItemType != "")
	}
	if m.ItemYear == nil && m.releaseYear != nil && (fetched.IsZero() || int(*m.releaseYear) <= fetched.Year()) {
		m.ItemYear = m.releaseYear
		m.sources.set(fieldItemYear, SourceMarkup, true)
	}
	if m.ItemYear == nil {
		m.ItemYear = describedYear(text)
		m.sources.set(fieldItemYear, SourceText, m.ItemYear != nil)
	}
}

// releaseYearCandidates is how many release lines nearest the headline
// are read: the review's header holds one; further ones are other
// records' in a listing.
const releaseYearCandidates = 6

// maxReleaseText: a release line is short ("• 2017", "Released 2002").
const maxReleaseText = 40
