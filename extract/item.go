package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/reviewpipe/reviewpipe/internal/dates"
)

const (
	// maxQuotedNameWords: a quoted work's title is short; a longer quote
	// is a speaker's words.
	maxQuotedNameWords = 6
	// maxItemName, maxItemNameSpaces: longer is a sentence, not a name
	// ("Everything Everywhere All at Once" has five spaces).
	maxItemName       = 120
	maxItemNameSpaces = 12
)

// The item a review is about, for pages that do not name it in JSON-LD or
// microdata: it is read from the headline ("Her Review", "Review: Her
// (2013)", "‘Her’ review", "Why It’s Time You Finally Watch ‘Her’"), its
// type from the words of the headline and the text, its year from the
// headline or from the text's own description ("a 2013 science fiction
// film").

const reviewWord = `(?:review|reviews|reviewed|kritik|filmkritik|buchkritik|rezension|critique|crítica|critica|reseña|resena|recensione|recensie|recenzja|recension|anmeldelse|arvostelu)`

var (
	// "Film Threat Review: Her", "Review: Her (2013)", "Kritik: Oppenheimer".
	reviewPrefixRe = regexp.MustCompile(`(?i)^(?:[\p{L}\p{N}’'&.\- ]{0,30}\s)?` + reviewWord + `\s*(?:[:|–—]|\s-)\s*(.+)$`)
	// "Her Review", "Her review – Spike Jonze's …", "‘Her’ Movie Review",
	// "Her (2013) Review", "Her: A Review", "Elden Ring review".
	reviewSuffixRe = regexp.MustCompile(`(?i)^(.+?)\s*[:|–—-]?\s*(?:\ba\s+)?(?:(?:movie|film|book|game|album|tv|series|season\s+\d+|restaurant|product)\s+)?` + reviewWord + `\b\s*(?:[:|–—-].*)?$`)
	reviewOfRe     = regexp.MustCompile(`(?i)^` + reviewWord + `\s+(?:of|von|de|di)\s+(.+)$`)
	// One quoted title in a headline: ‘Her’, 'Her', “Her”, "Her", «Her», „Her“.
	quotedRe = regexp.MustCompile(`[‘'“"«„‚]([^‘’'“”"«»„‚]{1,80})[’'”"»“‘]`)
	// cueRe is a headline word that says the quoted title is a work:
	// "Why It’s Time You Finally Watch The Sci-Fi Romance ‘Her’".
	cueRe = regexp.MustCompile(`(?i)\b(?:watch|watching|read|reading|play|playing|listen|stream|streaming|film|movie|novel|book|album|series|show|season|game|sci-fi|romance|thriller|comedy|drama|horror|documentary|musical|sequel|remake|premiere|trailer)\b`)
	// kindWordRe is a kind of thing alone, as in "Book review: X" or
	// "Film Review: X": it is no name.
	kindWordRe = regexp.MustCompile(`(?i)^(?:(?:movie|film|book|game|video game|album|music|tv|series|restaurant|product|theatre|theater|concert|app|hotel|buch|livre|libro|disque|disco|película|pelicula|série|serie)s?)$`)
	// "Her (2014)": a name and a year, nothing else.
	nameYearRe = regexp.MustCompile(`^(.+?)\s*\(((?:19|20)\d\d)\)$`)
	yearRe     = regexp.MustCompile(`\s*\(((?:19|20)\d\d)\)`)
	// The text describing its subject: "a 2013 science fiction film".
	describedYearRe = regexp.MustCompile(`(?i)\b(?:a|an|the)\s+((?:19|20)\d\d)\s+(?:[\p{L}-]+\s+){0,4}(film|movie|picture|documentary|novel|book|memoir|video\s+game|game|album|series|show)\b`)
	// A release the text dates by the day of writing: "Dune launched
	// Thursday night on HBO Max", "whose finale began streaming on Hulu
	// yesterday", "hits theaters this Friday". Only release verbs that plot
	// summaries rarely use, and only a platform phrase ("on Hulu", "in
	// theaters") between verb and day, so "launched an attack on Monday"
	// does not read as a release.
	releasedNowRe = regexp.MustCompile(`(?i)\b(?:launched|launches|premiered|premieres|debuted|debuts|(?:began|begins|started|starts) streaming|(?:hits|hit|arrives in|opens in) (?:theaters|theatres|cinemas|shelves|stores))\s+(?:(?:on|in|at|via)\s+(?:[\p{L}+]+\s+){1,2})?(?:yesterday|today|tonight|this (?:week|weekend|morning|evening)|(?:this |last |on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b`)
)

// The hands-on forms of a review headline: "We Tried It: X", "Tested:
// X", "Hands-on: X", "Im Test: X", "Test: X", "X hands-on" and "X im
// Test" (with the
// name after a colon when one follows: "Raubfisch-Rute im Test: die
// Iaconelli Spinning Rod"); and a review tag in brackets, "[Rezi] X",
// "X [Rezension]".
var (
	handsOnPrefixRe  = regexp.MustCompile(`(?i)^(?:we tried it|i tried it|tried and tested|tested|hands[- ]on|first look|im (?:praxis|langzeit|dauer)?test|(?:praxis)?test|getestet|ausprobiert|probado|testé)\s*[:–—]\s*(.+)$`)
	handsOnSuffixRe  = regexp.MustCompile(`(?i)^(.+?)\s+(?:im\s+(?:praxis|langzeit|dauer)?test|hands[- ]on|first look)\b\s*(?:[:–—-]\s*(.*))?$`)
	bracketTagRe     = regexp.MustCompile(`(?i)\s*\[\s*(?:rezi|rezension|review|kritik|critique|reseña|test)\s*\]\s*`)
	leadingArticleRe = regexp.MustCompile(`(?i)^(?:der|die|das|the|le|la|les|el|los|las)\s+`)
)

// maxNameAfterColon: "X im Test: …" names the item after the colon only
// in a short phrase of capitalized words; otherwise it is the verdict
// ("… hands-on: the Retina display moment for headsets").
const maxNameAfterColon = 6

// itemFromTitle returns the name (and year, when the headline gives one)
// of the item a review headline is about, and whether the headline says it
// is a review; "" when it names none.
func itemFromTitle(title string) (name string, year *int32, review bool) {
	title = strings.TrimSpace(title)
	if title == "" {
		return "", nil, false
	}
	if t := bracketTagRe.ReplaceAllString(title, " "); t != title {
		n, y := cleanItemName(leadingName(strings.TrimSpace(t)))
		return n, y, n != ""
	}
	if m := handsOnPrefixRe.FindStringSubmatch(title); m != nil {
		n, y := cleanItemName(leadingName(m[1]))
		return n, y, n != ""
	}
	if m := handsOnSuffixRe.FindStringSubmatch(title); m != nil {
		part := m[1]
		if after := leadingArticleRe.ReplaceAllString(strings.TrimSpace(m[2]), ""); len(strings.Fields(after)) <= maxNameAfterColon && capitalized(after) {
			part = after
		}
		// What is tried out is a product: "Apple's Vision Pro" is
		// Apple's, named "Apple Vision Pro".
		n, y := cleanItemName(possessiveRe.ReplaceAllString(leadingName(part), "$1 "))
		return n, y, n != ""
	}
	if m := reviewOfRe.FindStringSubmatch(title); m != nil {
		n, y := cleanItemName(leadingName(m[1]))
		return n, y, n != ""
	}
	// "X Review: Y" names the item on either side: "Film Threat Review:
	// Her" after, "'Her' review: Spike Jonze's love story" before. Before
	// wins when it is quoted, when a dash follows ("Her review – …", the
	// subtitle style), or when what follows is a sentence, not a title.
	pre, suf := reviewPrefixRe.FindStringSubmatchIndex(title), reviewSuffixRe.FindStringSubmatch(title)
	if pre != nil && suf != nil {
		before, after := strings.TrimSpace(suf[1]), title[pre[2]:]
		head := strings.TrimRight(title[:pre[2]], " ")
		dash := strings.HasSuffix(head, "–") || strings.HasSuffix(head, "—") || strings.HasSuffix(head, "-")
		quoted := strings.IndexAny(before, "‘'“\"«„‚") == 0
		if !(quoted || dash || len(strings.Fields(after)) > 5) || kindWordRe.MatchString(before) {
			suf = nil
		}
	}
	if suf != nil {
		if n, y := cleanItemName(suf[1]); n != "" {
			return n, y, true
		}
	}
	if pre != nil {
		n, y := cleanItemName(leadingName(title[pre[2]:pre[3]]))
		return n, y, n != ""
	}
	if q := quotedRe.FindAllStringSubmatch(title, -1); len(q) == 1 && cueRe.MatchString(title) {
		// A quoted title is the item only in a headline about watching,
		// reading or playing something, not in one that quotes a speaker.
		if n, y := cleanItemName(q[0][1]); n != "" && len(strings.Fields(n)) <= maxQuotedNameWords && unicode.IsUpper([]rune(n)[0]) {
			return n, y, false
		}
	}
	if m := nameYearRe.FindStringSubmatch(title); m != nil {
		n, _ := cleanItemName(m[1])
		return n, yearOf(m[2]), false
	}
	return "", nil, false
}

// leadingName cuts the part after "Review:" down to the title it starts
// with: a quoted title ("'Oppenheimer' is a triumph"), else the text up to
// its creator ("The Overstory by Richard Powers", "Love is War - Sehnsucht
// von R. K. Lilley": a hyphen before the creator is the title's own) or,
// without one, up to a dash ("Strong & Beautiful - Pamela Reif").
func leadingName(s string) string {
	s = strings.TrimSpace(s)
	if m := quotedRe.FindStringSubmatchIndex(s); m != nil && m[0] == 0 {
		return s[m[2]:m[3]]
	}
	seps := []string{" – ", " — ", " - ", " | "}
	for _, by := range []string{" by ", " von "} {
		if i := strings.Index(s, by); i > 0 {
			s, seps = s[:i], []string{" – ", " — ", " | "}
		}
	}
	for _, sep := range seps {
		if i := strings.Index(s, sep); i > 0 {
			s = s[:i]
		}
	}
	return s
}

// qualifierRe matches what a review's headline says about the version
// reviewed, not its name: "Hades II early access", "X beta", "X preview".
var qualifierRe = regexp.MustCompile(`(?i)\s+(?:early access|beta|preview|demo|first impressions|impressions)$`)

// cleanItemName trims quotes and punctuation and takes out a "(2013)".
func cleanItemName(s string) (string, *int32) {
	var year *int32
	if m := yearRe.FindStringSubmatch(s); m != nil {
		year = yearOf(m[1])
		s = yearRe.ReplaceAllString(s, "")
	}
	s = strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`‘’'“”"«»„‚:;,.–—-|`, r)
	})
	if q := quotedRe.FindStringSubmatch(s); q != nil && len(q[0]) == len(s) {
		s = q[1]
	}
	if len(s) > maxItemName || strings.Count(s, " ") > maxItemNameSpaces {
		return "", nil // a sentence, not a title
	}
	if t := qualifierRe.ReplaceAllString(s, ""); t != "" {
		s = t
	}
	return s, year
}

func yearOf(s string) *int32 {
	y, err := strconv.Atoi(s)
	if err != nil {
		return nil
	}
	v := int32(y)
	return &v
}

// typeWords are the words that say what kind of thing a review is about,
// by schema.org type. The headline decides when it names the kind; else
// the text does, by a clear majority.
var typeWords = []struct {
	typ   string
	words []string
}{
	{"Movie", []string{"film", "films", "movie", "movies", "director", "directed", "screenplay", "cinematography", "cinema", "actor", "actress", "starring", "scene", "scenes", "trailer", "oscar", "filmkritik", "kino", "regisseur", "película", "pelicula", "cine", "réalisateur", "cinéma", "schauspieler"}},
	{"TVSeries", []string{"series", "season", "episode", "episodes", "showrunner", "tv", "serie", "staffel", "folge", "folgen", "episoden", "saison", "temporada"}},
	{"Book", []string{"novel", "novels", "book", "books", "author", "chapter", "chapters", "memoir", "prose", "paperback", "hardcover", "buchkritik", "roman", "buch", "autorin", "autor", "kapitel", "taschenbuch", "verlag", "seiten", "protagonistin", "livre", "libro", "isbn", "novela", "romans", "écrivain", "escritor", "prosa"}},
	{"VideoGame", []string{"game", "games", "gameplay", "player", "players", "console", "multiplayer", "quest", "controller", "playstation", "xbox", "nintendo"}},
	{"MusicAlbum", []string{"album", "albums", "track", "tracks", "song", "songs", "band", "vocals", "guitar", "lp", "chansons", "chanson", "canciones", "disque", "lieder"}},
	{"Restaurant", []string{"restaurant", "menu", "dish", "dishes", "chef", "dessert", "waiter", "cuisine", "dining", "starter", "starters"}},
	{"Product", []string{"battery", "price", "device", "specs", "warranty", "charging", "screen", "features"}},
	{"ComputerLanguage", []string{"compiler", "programming", "syntax", "compilers", "language", "languages", "stdlib", "toolchain"}},
}

// typeIndex maps each one-word entry of typeWords to the indexes of the
// types that list it.
var typeIndex = func() map[string][]int {
	idx := map[string][]int{}
	for i, tw := range typeWords {
		for _, w := range tw.words {
			idx[w] = append(idx[w], i)
		}
	}
	return idx
}()

// itemTypeBeside is itemType on the headline without the item's name:
// the name says nothing of its kind ("Squid Game" is a series), the
// headline's other words and the text decide.
func itemTypeBeside(title, name, body string) string {
	if name != "" {
		title = strings.Replace(title, name, "", 1)
	}
	return itemType(title, body)
}

// itemType guesses the schema.org type of a reviewed item from the
// headline and the text, "" when neither makes it clear.
func itemType(title, body string) string {
	lt := " " + strings.ToLower(title) + " "
	for _, tw := range typeWords {
		for _, w := range tw.words[:min(len(tw.words), 3)] {
			if strings.Contains(lt, " "+w+" ") {
				return tw.typ
			}
		}
	}
	counts := make([]int, len(typeWords))
	for w := range strings.FieldsFuncSeq(strings.ToLower(body), func(r rune) bool { return !unicode.IsLetter(r) }) {
		for _, i := range typeIndex[w] {
			counts[i]++
		}
	}
	best, second := -1, 0
	for i, c := range counts {
		switch {
		case best < 0 || c > counts[best]:
			if best >= 0 {
				second = counts[best]
			}
			best = i
		case c > second:
			second = c
		}
	}
	if best < 0 || counts[best] < 4 || counts[best] < 2*second {
		return ""
	}
	return typeWords[best].typ
}

// describedYear returns the year the text gives its subject in a
// description such as "Her is a 2013 science fiction film", nil when it
// gives none.
func describedYear(body string) *int32 {
	if m := describedYearRe.FindStringSubmatch(body); m != nil {
		return yearOf(m[1])
	}
	return nil
}

// releasedYear returns the publication year when the text says the item
// came out around the day of writing ("launched Thursday night"): a release
// the page states, which the page's date puts in a year. Nil otherwise.
func releasedYear(body, published string, fetched time.Time) *int32 {
	if published == "" || !releasedNowRe.MatchString(body) {
		return nil
	}
	t, _, ok := dates.Parse(published, fetched, time.UTC)
	if !ok {
		return nil
	}
	y := int32(t.Year())
	return &y
}

// capitalized reports whether s is words that each start with a capital
// letter or a digit, as names are written; "" is not.
func capitalized(s string) bool {
	words := strings.Fields(s)
	for _, w := range words {
		r := []rune(w)[0]
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return len(words) > 0
}
