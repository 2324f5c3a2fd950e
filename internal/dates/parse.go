// Package dates is the one date grammar of reviewpipe: extract finds
// dates in a page's text with the patterns of find.go, and transform
// parses what extract kept with Parse, so a date the finder takes is a
// date the parser reads.
package dates

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Precision says how much of a parsed date the page actually stated.
type Precision string

// Date precisions, from finest to coarsest; relative dates ("3 years ago")
// are only as good as the unit they were stated in.
const (
	PrecisionSecond   Precision = "second"
	PrecisionDay      Precision = "day"
	PrecisionMonth    Precision = "month"
	PrecisionYear     Precision = "year"
	PrecisionRelative Precision = "relative"
)

// maxFutureSkew allows a date a little after the fetch time, since a page's
// local midnight may be ahead of the fetcher's clock.
const maxFutureSkew = 36 * time.Hour

var (
	isoRe = regexp.MustCompile(`\b(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?`)
	ymdRe = regexp.MustCompile(`\b(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b`)
	dmyRe = regexp.MustCompile(`\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b`)
	// 31.10.23: the dotted day-first date with a two-digit year, which
	// German and Austrian sites print under their headlines.
	dmyShortRe = regexp.MustCompile(`\b(\d{1,2})\.(\d{1,2})\.(\d{2})\b`)
	// 16/03/2021 (day first, as most of the world writes it) or 03/16/2021
	// (month first, told apart only when the day is above 12).
	slashRe = regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})/(\d{4})\b`)
	// Tue Jan 28 15:28:56 CET 2020: the C library's date(1) and ctime
	// format, which Java and shell-built templates print.
	ctimeRe = regexp.MustCompile(`(?i)\b(?:mon|tue|wed|thu|fri|sat|sun)\s+([a-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(?:([A-Z]{3,5})\s+)?(\d{4})\b`)
	// 2021年3月16日 (Chinese, Japanese), 2021년 3월 16일 (Korean).
	cjkRe = regexp.MustCompile(`(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?`)
	// A year alone, in a phrase that says it is the publication's:
	// "Published in 2019", "© 2019" is not one.
	yearRe = regexp.MustCompile(`(?i)\b(?:published|posted|written|veröffentlicht|publié|publicado|pubblicato)\s+(?:in\s+|im\s+|en\s+|nel\s+)?((?:19|20)\d\d)\b`)
	relRe  = regexp.MustCompile(`(?i)\b(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(second|sec|minute|min|hour|hr|day|week|month|year|yr)s?\s+ago\b`)
	// The same in German ("vor 3 Tagen"), French ("il y a 2 jours") and
	// Spanish ("hace 3 días"); units are mapped by relUnits.
	relForeignRe = regexp.MustCompile(`(?i)(?:\bvor|\bil\s+y\s+a|\bhace)\s+(\d+|einem|einer|einen|un|une|una|uno)\s+(\pL+)`)
	clkRe        = regexp.MustCompile(`(?i)\b(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?`)
)

var smallNumbers = map[string]int{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
	"einem": 1, "einer": 1, "einen": 1, "un": 1, "une": 1, "una": 1, "uno": 1}

// relUnits maps the unit words of relative dates in German, French and
// Spanish to the English units parseRelative counts in.
var relUnits = map[string]string{
	"sekunde": "second", "sekunden": "second", "minute": "minute", "minuten": "minute", "stunde": "hour", "stunden": "hour",
	"tag": "day", "tagen": "day", "woche": "week", "wochen": "week", "monat": "month", "monaten": "month", "jahr": "year", "jahren": "year",
	"seconde": "second", "secondes": "second", "minutes": "minute", "heure": "hour", "heures": "hour", "jour": "day", "jours": "day",
	"semaine": "week", "semaines": "week", "mois": "month", "an": "year", "ans": "year", "année": "year", "années": "year",
	"segundo": "second", "segundos": "second", "minuto": "minute", "minutos": "minute", "hora": "hour", "horas": "hour",
	"día": "day", "días": "day", "dia": "day", "dias": "day", "semana": "week", "semanas": "week", "mes": "month", "meses": "month", "año": "year", "años": "year",
}

// monthNames maps lower-case month names and abbreviations in the
// languages of our corpora to month numbers.
var monthNames = buildMonthNames()

func buildMonthNames() map[string]time.Month {
	names := map[string]time.Month{}
	lists := [][]string{
		{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"},
		{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"},
		{"januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"},
		{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
		{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
		{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
		{"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"},
		{"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
		// Russian and Ukrainian write the day's month in the genitive:
		// "15 августа 2016", "3 березня 2022".
		{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
		{"січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня", "листопада", "грудня"},
	}
	for _, l := range lists {
		for i, n := range l {
			if _, dup := names[n]; !dup {
				names[n] = time.Month(i + 1)
			}
		}
	}
	for n, m := range map[string]time.Month{"sept": time.September, "mrz": time.March, "mär": time.March, "maerz": time.March,
		"okt": time.October, "dez": time.December, "fevrier": time.February, "aout": time.August, "decembre": time.December,
		"janv": time.January, "févr": time.February, "avr": time.April, "juil": time.July, "déc": time.December} {
		names[n] = m
	}
	return names
}

// monthAlt is the regexp alternation of every month name, longest first
// so "september" wins over "sep".
var monthAlt = func() string {
	names := make([]string, 0, len(monthNames))
	for n := range monthNames {
		names = append(names, regexp.QuoteMeta(n))
	}
	sortByLenDesc(names)
	return strings.Join(names, "|")
}()

// Day-month-year and month-day-year with a month name, and month-year.
var (
	dmyNameRe = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th|er)?\.?\s+(?:of\s+|de\s+)?(` + monthAlt + `)\.?,?\s+(?:de\s+)?(\d{4})\b`)
	mdyNameRe = regexp.MustCompile(`(?i)\b(` + monthAlt + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
	myNameRe  = regexp.MustCompile(`(?i)\b(` + monthAlt + `)\.?,?\s+(\d{4})\b`)
)

func sortByLenDesc(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && (len(s[j]) > len(s[j-1]) || len(s[j]) == len(s[j-1]) && s[j] < s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// Parse parses a date as pages write it — ISO 8601 / RFC 3339, numeric
// year-first or European day-first dates, dates with month names in
// English, German, French, Spanish, Italian, Dutch, Polish or Portuguese,
// CJK year-month-day dates, a year a phrase calls the publication's
// ("Published in 2019"), or a relative phrase such as "3 years ago", "vor 3
// Tagen", "il y a 2 jours" or "yesterday" resolved against fetchedAt — and returns it
// in UTC with the precision the text stated. Times without an offset are
// taken in loc. It reports false for text that holds no date, for
// impossible dates, and for dates after fetchedAt (when fetchedAt is set).
func Parse(raw string, fetchedAt time.Time, loc *time.Location) (time.Time, Precision, bool) {
	s := strings.TrimSpace(raw)
	if s == "" || len(s) > 200 {
		return time.Time{}, "", false
	}
	if loc == nil {
		loc = time.UTC
	}
	t, prec, ok := parseAbsolute(s, loc)
	if !ok {
		t, prec, ok = parseRelative(s, fetchedAt)
	}
	if !ok || t.Year() < 1900 {
		return time.Time{}, "", false
	}
	if !fetchedAt.IsZero() && t.After(fetchedAt.Add(maxFutureSkew)) {
		return time.Time{}, "", false
	}
	return t.UTC(), prec, true
}

func parseAbsolute(s string, loc *time.Location) (time.Time, Precision, bool) {
	if m := isoRe.FindStringSubmatch(s); m != nil {
		y, mo, d := atoi(m[1]), atoi(m[2]), atoi(m[3])
		if m[4] == "" {
			return date(y, mo, d, 0, 0, 0, 0, loc, PrecisionDay)
		}
		ns := 0
		if m[7] != "" {
			frac := (m[7] + "000000000")[:9]
			ns = atoi(frac)
		}
		zone := loc
		if m[8] != "" {
			var ok bool
			if zone, ok = parseZone(m[8]); !ok {
				return time.Time{}, "", false
			}
		}
		return date(y, mo, d, atoi(m[4]), atoi(m[5]), atoi(m[6]), ns, zone, PrecisionSecond)
	}
	if m := ymdRe.FindStringSubmatch(s); m != nil {
		return date(atoi(m[1]), atoi(m[2]), atoi(m[3]), 0, 0, 0, 0, loc, PrecisionDay)
	}
	if m := dmyRe.FindStringSubmatch(s); m != nil {
		return withClock(s, atoi(m[3]), atoi(m[2]), atoi(m[1]), loc)
	}
	if m := dmyShortRe.FindStringSubmatch(s); m != nil {
		return withClock(s, 2000+atoi(m[3]), atoi(m[2]), atoi(m[1]), loc)
	}
	if m := slashRe.FindStringSubmatch(s); m != nil {
		a, b := atoi(m[1]), atoi(m[2])
		if a <= 12 && b > 12 {
			a, b = b, a // month first: 03/16/2021
		}
		return withClock(s, atoi(m[3]), b, a, loc)
	}
	if m := ctimeRe.FindStringSubmatch(s); m != nil {
		if mo := monthNames[strings.ToLower(m[1])]; mo != 0 {
			zone := loc
			if z, ok := zoneAbbrevs[strings.ToUpper(m[6])]; ok {
				zone = time.FixedZone(m[6], z)
			}
			return date(atoi(m[7]), int(mo), atoi(m[2]), atoi(m[3]), atoi(m[4]), atoi(m[5]), 0, zone, PrecisionSecond)
		}
	}
	if m := cjkRe.FindStringSubmatch(s); m != nil {
		return date(atoi(m[1]), atoi(m[2]), atoi(m[3]), 0, 0, 0, 0, loc, PrecisionDay)
	}
	if m := mdyNameRe.FindStringSubmatch(s); m != nil {
		return withClock(s, atoi(m[3]), int(monthNames[strings.ToLower(m[1])]), atoi(m[2]), loc)
	}
	if m := dmyNameRe.FindStringSubmatch(s); m != nil {
		return withClock(s, atoi(m[3]), int(monthNames[strings.ToLower(m[2])]), atoi(m[1]), loc)
	}
	if m := myNameRe.FindStringSubmatch(s); m != nil {
		return date(atoi(m[2]), int(monthNames[strings.ToLower(m[1])]), 1, 0, 0, 0, 0, loc, PrecisionMonth)
	}
	if m := yearRe.FindStringSubmatch(s); m != nil {
		return date(atoi(m[1]), 1, 1, 0, 0, 0, 0, loc, PrecisionYear)
	}
	return time.Time{}, "", false
}

// withClock builds a day-precision date, or a second-precision one when the
// text also gives a clock time ("December 30, 2013 at 10:41 pm").
func withClock(s string, y, mo, d int, loc *time.Location) (time.Time, Precision, bool) {
	m := clkRe.FindStringSubmatch(s)
	if m == nil {
		return date(y, mo, d, 0, 0, 0, 0, loc, PrecisionDay)
	}
	h, mi, sec := atoi(m[1]), atoi(m[2]), atoi(m[3])
	ampm := strings.ToLower(strings.ReplaceAll(m[4], ".", ""))
	switch {
	case ampm == "pm" && h < 12:
		h += 12
	case ampm == "am" && h == 12:
		h = 0
	}
	if h > 23 || mi > 59 || sec > 59 {
		return date(y, mo, d, 0, 0, 0, 0, loc, PrecisionDay)
	}
	return date(y, mo, d, h, mi, sec, 0, loc, PrecisionSecond)
}

// date validates the fields before building the time, because time.Date
// silently normalizes "February 30" to March 2.
func date(y, mo, d, h, mi, sec, ns int, loc *time.Location, p Precision) (time.Time, Precision, bool) {
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 {
		return time.Time{}, "", false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, ns, loc)
	if t.Day() != d {
		return time.Time{}, "", false
	}
	return t, p, true
}

// zoneAbbrevs are the offsets, in seconds east of UTC, of the zone names
// ctime dates carry; an unknown name falls back to the caller's location.
var zoneAbbrevs = map[string]int{
	"UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 3600, "BST": 3600, "CET": 3600, "CEST": 7200, "MEZ": 3600, "MESZ": 7200,
	"EET": 7200, "EEST": 10800, "EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600, "JST": 9 * 3600,
}

// maxZoneOffset is the largest UTC offset in use (Kiribati's +14:00;
// the lowest is −12:00): a larger one is a typo or junk, and the date
// cannot be placed in time.
const maxZoneOffset = 14 * 3600

// parseZone reads "Z", "+02:00", "-0530" or "+02"; it reports false for
// minutes past 59 and offsets beyond ±14:00.
func parseZone(z string) (*time.Location, bool) {
	switch strings.ToUpper(z) {
	case "Z", "UTC", "GMT":
		return time.UTC, true
	}
	sign := 1
	if z[0] == '-' {
		sign = -1
	}
	digits := strings.ReplaceAll(z[1:], ":", "")
	h := atoi(digits[:2])
	m := 0
	if len(digits) >= 4 {
		m = atoi(digits[2:4])
	}
	if m > 59 || h*3600+m*60 > maxZoneOffset {
		return nil, false
	}
	return time.FixedZone("", sign*(h*3600+m*60)), true
}

// parseRelative resolves "3 years ago", "yesterday" and "today" against the
// fetch time; without a fetch time there is nothing to resolve against.
func parseRelative(s string, fetchedAt time.Time) (time.Time, Precision, bool) {
	if fetchedAt.IsZero() {
		return time.Time{}, "", false
	}
	low := strings.ToLower(s)
	switch {
	case containsWord(low, "yesterday", "gestern", "ayer", "ieri", "gisteren"):
		return fetchedAt.AddDate(0, 0, -1), PrecisionRelative, true
	case strings.Contains(low, "just now"), containsWord(low, "today", "heute", "aujourd'hui", "hoy", "oggi", "vandaag"):
		return fetchedAt, PrecisionRelative, true
	}
	m := relRe.FindStringSubmatch(low)
	if m == nil {
		f := relForeignRe.FindStringSubmatch(low)
		if f == nil || relUnits[f[2]] == "" {
			return time.Time{}, "", false
		}
		m = []string{f[0], f[1], relUnits[f[2]]}
	}
	n, ok := smallNumbers[m[1]]
	if !ok {
		n = atoi(m[1])
	}
	if n > 10000 {
		return time.Time{}, "", false
	}
	t := fetchedAt
	switch m[2] {
	case "second", "sec":
		t = t.Add(-time.Duration(n) * time.Second)
	case "minute", "min":
		t = t.Add(-time.Duration(n) * time.Minute)
	case "hour", "hr":
		t = t.Add(-time.Duration(n) * time.Hour)
	case "day":
		t = t.AddDate(0, 0, -n)
	case "week":
		t = t.AddDate(0, 0, -7*n)
	case "month":
		t = t.AddDate(0, -n, 0)
	case "year", "yr":
		t = t.AddDate(-n, 0, 0)
	}
	return t, PrecisionRelative, true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// containsWord reports whether one of words stands in s as a whole word.
func containsWord(s string, words ...string) bool {
	for _, w := range words {
		for i := strings.Index(s, w); i >= 0; {
			before := i == 0 || !isWordByte(s[i-1])
			end := i + len(w)
			after := end == len(s) || !isWordByte(s[end])
			if before && after {
				return true
			}
			j := strings.Index(s[i+1:], w)
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80
}
