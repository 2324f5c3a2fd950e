package extract

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/html"

	"github.com/reviewpipe/reviewpipe/internal/dom"
	"github.com/reviewpipe/reviewpipe/internal/jsonld"
)

// Sizes of names and bylines, in bytes unless said otherwise.
const (
	// maxNameLen: a person's name, even with a middle name and a suffix,
	// is shorter; longer is a sentence or a list.
	maxNameLen = 60
	// maxNameWords: "Juan Carlos de la Fuente" has five words.
	maxNameWords = 5
	// minNameLetters, minLenientLetters: an initial alone is no name; from
	// looser sources (handles, meta tags) three letters are needed.
	minNameLetters    = 2
	minLenientLetters = 3
	// maxBylineBlock: a byline element with more text holds the article.
	maxBylineBlock = 300
	// maxBylineLine: "By Jane Doe, Staff Writer · 5 min read" fits.
	maxBylineLine = 80
	// maxOneWordByline: a one-word name is trusted only from a short line;
	// after a longer first line it is a word of a sentence.
	maxOneWordByline = 40
	// maxFooterByline: a byline at the article's end ("Jane Doe is a
	// staff writer at …") is one or two sentences.
	maxFooterByline = 200
	// maxUnmarkedByline: a byline without a class ("By Jane Doe, May 3")
	// is a short line; longer is the article's sentence.
	maxUnmarkedByline = 100
	// maxBylineLabel: "Written by", "Text:", "Von" — labels are short.
	maxBylineLabel = 24
	// bylineBefore, bylineAfter: how many elements before and after the
	// headline (or before the article's end) a byline may sit; headers
	// put kicker, headline, deck, image and byline within this span.
	bylineBefore = 15
	bylineAfter  = 25
)

// Authors: structured sources, bylines near the headline, name cleaning.

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
var metaCountries = wordSet("germany", "deutschland", "austria", "österreich", "switzerland", "schweiz", "suisse",
	"france", "italy", "italia", "spain", "españa", "usa", "united states", "uk", "united kingdom", "netherlands")

// metaBylineLabels are the words metaByPhrase takes before a colon.
var metaBylineLabels = wordSet("autor", "autorin", "autoren", "author", "verfasser", "verfasserin", "text",
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
	metaGenericAuthor = wordSet("staff", "admin", "administrator", "editor", "editors", "editorial", "editorial staff", "editorial team",
		"team", "redaktion", "redacción", "rédaction", "redazione", "webmaster", "guest", "anonymous", "unknown", "user",
		"contributor", "contributors", "staff writer", "staff reporter", "news desk", "newsdesk", "desk", "the editors",
		"guest author", "guest post", "author", "by", "posted", "wordpress", "root", "null", "none", "n/a", "site admin",
		"press release", "press", "agency", "agencies", "online", "web", "home", "reply", "share", "comments", "comment",
		"organization", "person", "people", "no author", "publisher", "e-mail", "email", "verifizierte", "text", "texte", "stand", "datum", "date", "cookies", "cookie",
		"inhalt", "inhalten", "gründen", "artikel", "artikel von", "foto", "fotos", "bild", "quelle", "source", "office")
	// metaNotNameWords never occur in a person's name but often in the
	// link texts and labels around bylines.
	metaNotNameWords = wordSet("more", "posts", "post", "all", "view", "articles", "article", "beiträge", "beitrag", "alle", "mehr",
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
	s := dom.Space(html.UnescapeString(raw))
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
	if s == "" || len(s) > maxNameLen || metaGenericAuthor[strings.ToLower(s)] {
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
	if len(words) > maxNameWords {
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
	if letters < minNameLetters {
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
	return letters >= minLenientLetters && letters > digits
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
func (p *metaPage) authors(siteName string) ([]string, string) {
	var fallback []string
	var fallbackSource string
	host := p.host(p.canonical())
	sources := []struct {
		names  func() []string
		source string
	}{{p.ldAuthorNames, SourceJSONLD}, {p.metaAuthors, SourceMeta}, {p.microdataAuthors, SourceMicrodata}, {p.visibleAuthors, SourceMarkup}}
	for i, source := range sources {
		names, src := metaDedupe(source.names()), source.source
		if len(names) == 0 {
			continue
		}
		// JSON-LD often lists the first of several authors the meta tags
		// name: the longer list that includes it wins.
		if i == 0 {
			if more := metaDedupe(p.metaAuthors()); len(more) > len(names) && metaIncludes(more, names) {
				names, src = more, SourceMeta
			}
		}
		// The site or its publisher named as the author is what a CMS
		// fills in when nobody signed: a byline further down may name the
		// person, else the organization is all there is.
		if metaAllOrgs(names, siteName, host) {
			if fallback == nil {
				fallback, fallbackSource = names, src
			}
			continue
		}
		return names, src
	}
	return fallback, fallbackSource
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
	v = p.ld.Resolve(v)
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
		if jsonld.HasType(x, ldSiteTypes) {
			return nil
		}
		name := jsonld.String(x["name"])
		if name == "" {
			name = dom.Space(jsonld.String(x["givenName"]) + " " + jsonld.String(x["familyName"]))
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
		if !dom.Itemprop(n, "author", "creator") || p.inComments(n) || !p.itemOfArticle(n) {
			continue
		}
		if v := strings.TrimSpace(dom.Attr(n, "content")); v != "" {
			names = metaCleanAuthors(v, true)
			continue
		}
		var nm *html.Node
		for j := i + 1; j <= int(p.info[i].end); j++ {
			if dom.Itemprop(p.nodes[j], "name") {
				nm = p.nodes[j]
				break
			}
		}
		if nm != nil {
			v := strings.TrimSpace(dom.Attr(nm, "content"))
			if v == "" {
				v = dom.NodeText(nm)
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
	named, phrased, lenient := p.bylineElements()
	for _, n := range p.rank(named) {
		if names := namedAuthors(n, lenient[n]); len(names) > 0 {
			return names
		}
	}
	for _, n := range p.rank(phrased) {
		if t := dom.Lines(n); t != "" && len(t) <= maxBylineBlock {
			if names := byLineNames(t); len(names) > 0 {
				return names
			}
		}
	}
	if names := p.byLineInPost(); len(names) > 0 {
		return names
	}
	return p.unmarkedByline()
}

// bylineElements returns the body's elements named for authors (lenient
// marks those that are the name itself, which may be a lowercase handle)
// and its date lines, which may hold a "By" phrase.
func (p *metaPage) bylineElements() (named, phrased []*html.Node, lenient map[*html.Node]bool) {
	lenient = map[*html.Node]bool{}
	for i, n := range p.nodes {
		if p.info[i].flags&nodeInBody == 0 || len(n.Attr) == 0 && n.Data != "byline" && n.Data != "address" {
			continue // nothing below would take it
		}
		switch n.Data {
		case "script", "style", "img", "input", "textarea", "button", "form", "select", "link", "meta", "svg":
			continue
		}
		cls, id, testid := dom.Attr3(n, "class", "id", "data-testid")
		switch {
		case metaRelAuthor(dom.Attr(n, "rel")),
			n.Data == "a" && metaAuthorHref(dom.Attr(n, "href")):
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
	return named, phrased, lenient
}

// namedAuthors reads the names an author-named element gives. Texts keep
// their line breaks: a byline block puts the name and the date on lines
// of their own, and a name never runs across them.
func namedAuthors(n *html.Node, lenient bool) []string {
	t := dom.Lines(n)
	if t == "" {
		return nil
	}
	if metaBylineLabel.MatchString(t) && n.Parent != nil {
		t = dom.Lines(n.Parent)
	}
	if len(t) > maxBylineLine {
		// A wrapper (an author box, a whole meta line): only a "By"
		// phrase in it names the author; its parts are candidates too.
		return byLineNames(t)
	}
	if first := metaFirstLine(t); first != t {
		if names := metaCleanAuthors(first, lenient); len(names) > 0 {
			return names
		}
	}
	if names := metaCleanAuthors(t, lenient); len(names) > 0 {
		return names
	}
	return byLineNames(t)
}

// byLineNames returns the names of a "By …" phrase in t. In running text
// "von" + a capitalized word is mostly German prose ("die Haltung von
// Zweinutzungshühnern"); a one-word name counts only on a line of its own
// ("06.11.2023 13:30 von Olga").
func byLineNames(t string) []string {
	name, ok := metaByName(t)
	if !ok {
		return nil
	}
	if !strings.ContainsAny(strings.TrimSpace(name), " \t") && len(metaFirstLine(t)) > maxOneWordByline {
		return nil
	}
	return metaCleanAuthors(name, false)
}

// byLineInPost is the last resort: a "by X" line right around the
// headline, or in the post's own paragraphs ("This entry was posted … by
// Liam").
func (p *metaPage) byLineInPost() []string {
	if p.scope == nil {
		return nil
	}
	var lines []*html.Node
	if i, ok := p.order[p.scope]; ok {
		for j := i + 1; j <= int(p.info[i].end); j++ {
			switch n := p.nodes[j]; n.Data {
			case "p", "div", "span", "footer", "small", "address":
				if p.info[j].text > maxFooterByline {
					continue // metaLines would be longer still
				}
				if t := dom.Lines(n); t != "" && len(t) <= maxFooterByline && metaMaybeBy(t) && metaByPhrase.MatchString(t) {
					lines = append(lines, n)
				}
			}
		}
	}
	for _, n := range p.rank(lines) {
		if names := byLineNames(dom.Lines(n)); len(names) > 0 && p.nearHeadlineOrEnd(n) {
			return names
		}
	}
	return nil
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
	if p.info[j].text > maxUnmarkedByline || p.info[j].text == 0 || p.inComments(n) {
		return nil
	}
	t := dom.Text(n)
	switch {
	case t == "":
		return nil
	case t[0] >= '0' && t[0] <= '9':
		if m := metaDateName.FindStringSubmatch(t); m != nil {
			return metaCleanAuthors(m[1], false)
		}
		return nil
	case len(t) > maxBylineLabel || !metaBylineLabel.MatchString(t):
		return nil
	}
	for sib := n.NextSibling; sib != nil; sib = sib.NextSibling {
		st := dom.Space(dom.NodeText(sib))
		if st == "" {
			continue
		}
		if len(st) <= maxNameLen {
			return metaCleanAuthors(st, false)
		}
		return nil
	}
	return nil
}

// metaNameElement reports whether one of n's class tokens says n is the
// name itself rather than a box around it.
func metaNameElement(n *html.Node) bool {
	for _, t := range dom.ClassTokens(n) {
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
	toks := dom.ClassTokens(n)
	if t := dom.Attr(n, "data-testid"); t != "" {
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
		if d := o - p.order[p.headline]; d >= -bylineBefore && d <= bylineAfter {
			return true
		}
	}
	last := 0 // the scope's last descendant element
	if i, ok := p.order[p.scope]; ok && int(p.info[i].end) > i {
		last = int(p.info[i].end)
	}
	return last-o <= bylineAfter
}

// ---- review rating and reviewed item ----

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
