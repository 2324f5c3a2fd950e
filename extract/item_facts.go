package extract

import (
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// maxFactLine: an infobox line ("Release date: 18 December 2013 (USA)")
// is short; longer is a paragraph.
const maxFactLine = 240

// factKeys maps the labels of review infoboxes ("Director:", "Regie:",
// "Laufzeit:") to one English key per fact, so that item_facts can be
// queried across sites and languages.
var factKeys = map[string]string{
	"director": "Director", "directed by": "Director", "directors": "Director", "regie": "Director", "réalisateur": "Director", "réalisation": "Director", "dirección": "Director", "director/a": "Director", "regia": "Director",
	"starring": "Starring", "cast": "Starring", "stars": "Starring", "darsteller": "Starring", "besetzung": "Starring", "avec": "Starring", "reparto": "Starring", "interpreti": "Starring",
	"writer": "Writer", "writers": "Writer", "written by": "Writer", "screenplay": "Writer", "screenplay by": "Writer", "drehbuch": "Writer", "scénario": "Writer", "guion": "Writer", "sceneggiatura": "Writer",
	"genre": "Genre", "genres": "Genre", "género": "Genre", "genere": "Genre",
	"producer": "Producer", "produced by": "Producer", "produktion": "Producer",
	"music": "Music", "music by": "Music", "composer": "Music", "musik": "Music", "musique": "Music",
	"runtime": "Runtime", "running time": "Runtime", "run time": "Runtime", "length": "Runtime", "duration": "Runtime", "laufzeit": "Runtime", "länge": "Runtime", "durée": "Runtime", "duración": "Runtime", "durata": "Runtime",
	"rated": "Rated", "mpaa rating": "Rated", "mpaa": "Rated", "certificate": "Rated", "certification": "Rated", "fsk": "Rated", "altersfreigabe": "Rated",
	"release date": "Release date", "released": "Release date", "release": "Release date", "in theaters": "Release date", "kinostart": "Release date", "sortie": "Release date", "date de sortie": "Release date", "estreno": "Release date", "uscita": "Release date",
	"erscheinungsdatum": "Release date", "erscheinungstermin": "Release date", "veröffentlichung": "Release date", "parution": "Release date", "publication date": "Release date",
	"studio": "Studio", "distributor": "Distributor", "verleih": "Distributor", "distribution": "Distributor",
	"country": "Country", "produktionsland": "Country", "pays": "Country", "país": "Country",
	"author": "Author", "autor": "Author", "auteur": "Author", "autore": "Author",
	"publisher": "Publisher", "verlag": "Publisher", "éditeur": "Publisher", "editorial": "Publisher", "editore": "Publisher",
	"pages": "Pages", "seiten": "Pages", "seitenzahl": "Pages", "páginas": "Pages", "pagine": "Pages", "isbn": "ISBN",
	"platform": "Platform", "platforms": "Platform", "plattform": "Platform", "plattformen": "Platform", "plateforme": "Platform", "plataforma": "Platform",
	"developer": "Developer", "entwickler": "Developer", "développeur": "Developer", "desarrollador": "Developer",
	"price": "Price", "preis": "Price", "prix": "Price", "precio": "Price", "prezzo": "Price",
	"cuisine": "Cuisine", "küche": "Cuisine", "address": "Address", "adresse": "Address", "opening hours": "Opening hours", "öffnungszeiten": "Opening hours",
	"label": "Label", "format": "Format",
}

var (
	factLineRe = regexp.MustCompile(`^\s*([\pL][\pL./ ]{1,24}?)\s*:\s*(\S.{0,199})$`)
	// "Rated R", "Rated PG-13": the MPAA certificate standing alone.
	ratedRe = regexp.MustCompile(`^\s*Rated\s+(G|PG|PG-13|R|NC-17|NR|Not Rated|Unrated|TV-MA|TV-14|TV-PG)\s*$`)
	// "126 minutes", "126 min.", "2h 6m", "2 hrs 6 mins".
	runtimeRe = regexp.MustCompile(`(?i)^\s*(\d{2,3}\s*(?:minutes|mins?\.?|minuten|minutos|minuti)|\d\s*(?:h|hrs?|hours?)\.?\s*\d{1,2}\s*(?:m|mins?|minutes)\.?)\s*$`)
)

// maxFacts bounds item_facts: an infobox has a dozen lines, and a page
// that yields more is a listing, not an infobox.
const maxFacts = 30

// itemFacts reads the infobox lines of a review — "Director: Spike Jonze",
// "Starring: …", "Genre: …", a lone "Rated R" or "126 minutes", label and
// value table rows, dt/dd pairs — in page order, one fact per key (the
// first). It reads doc before the body extraction prunes it, because
// infoboxes are short lines the body leaves out.
func itemFacts(doc *goquery.Document) []record.Fact {
	var facts []record.Fact
	seen := map[string]bool{}
	add := func(key, value string) {
		value = strings.TrimSpace(value)
		if key == "" || value == "" || seen[key] || len(facts) >= maxFacts+1 {
			return
		}
		seen[key] = true
		facts = append(facts, record.Fact{Key: key, Value: value})
	}
	line := func(s string) {
		s = normSpace(s)
		if s == "" || len(s) > maxFactLine || !strings.ContainsAny(s, ":0123456789") && !strings.HasPrefix(s, "Rated") {
			return
		}
		if m := ratedRe.FindStringSubmatch(s); m != nil {
			add("Rated", m[1])
			return
		}
		if m := runtimeRe.FindStringSubmatch(s); m != nil {
			add("Runtime", m[1])
			return
		}
		if m := factLineRe.FindStringSubmatch(s); m != nil {
			add(factKeys[strings.ToLower(strings.TrimSpace(m[1]))], m[2])
		}
	}
	doc.Find("p, li, dt, tr, div").Each(func(_ int, s *goquery.Selection) {
		n := s.Get(0)
		switch n.Data {
		case "div":
			// Blog editors lay infoboxes out as <div>s of <br> lines; a
			// div holding blocks is read through them instead.
			if !hasBlockChild(n) {
				for l := range strings.SplitSeq(textContent(n), "\n") {
					line(l)
				}
			}
		case "tr":
			cells := s.ChildrenFiltered("th, td")
			if cells.Length() == 2 {
				add(factKeys[strings.ToLower(strings.TrimSuffix(normSpace(cells.Eq(0).Text()), ":"))], normSpace(cells.Eq(1).Text()))
			}
		case "dt":
			if dd := s.NextFiltered("dd"); dd.Length() > 0 {
				add(factKeys[strings.ToLower(strings.TrimSuffix(normSpace(s.Text()), ":"))], normSpace(dd.Text()))
			}
		default:
			// Infoboxes are often one paragraph of lines ("Rated R<br>126
			// minutes"); textContent turns the <br>s into newlines.
			for l := range strings.SplitSeq(textContent(n), "\n") {
				line(l)
			}
		}
	})
	if len(facts) > maxFacts {
		return nil
	}
	return facts
}

// hasBlockChild reports whether n holds a block element (blockTags):
// such a <div> is a container, not a run of lines.
func hasBlockChild(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && blockTags[c.DataAtom] {
			return true
		}
	}
	return false
}

// typeByFacts maps infobox keys to the type of item they describe: an
// ISBN is a book's, a platform a game's, a director a film's.
var typeByFacts = []struct{ key, typ string }{
	{"ISBN", "Book"}, {"Pages", "Book"}, {"Platform", "VideoGame"}, {"Developer", "VideoGame"},
	{"Director", "Movie"}, {"Starring", "Movie"}, {"Cuisine", "Restaurant"}, {"Opening hours", "Restaurant"}, {"Label", "MusicAlbum"},
}

// factsType returns the type the infobox's keys name, "" if none does.
func factsType(facts []record.Fact) string {
	for _, tf := range typeByFacts {
		for _, f := range facts {
			if f.Key == tf.key {
				return tf.typ
			}
		}
	}
	return ""
}

// factsYear returns the year of the infobox's release date, nil if none.
func factsYear(facts []record.Fact) *int32 {
	for _, f := range facts {
		if f.Key == "Release date" {
			if y := fourDigitYearRe.FindString(f.Value); y != "" {
				return yearOf(y)
			}
		}
	}
	return nil
}
