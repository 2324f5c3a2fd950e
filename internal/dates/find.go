package dates

import (
	"regexp"
	"strings"
)

// The patterns extract looks for in a page's text, read with the same
// month names as Parse, so every date they find parses. Each holds a
// digit, starts at most FindBefore bytes before its first digit and ends
// at most FindAfter bytes after it, which lets a finder run them only on
// the stretches of text around digits.
var (
	// ISO is an ISO 8601 date with an optional time and offset.
	ISO = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b`)
	// numericDates are "06.03.2019", "06.03.19", "06/03/2019" and
	// "2019/03/06". A slash date with a two-digit year ("11/08/23") is
	// not one: day first or month first, the year does not tell, and
	// Parse reads none.
	numericDates = regexp.MustCompile(`\b\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})\b|\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{4}/\d{1,2}/\d{1,2}\b`)
	// The month-name forms, "March 6, 2019" and "6. März 2019", "6 de
	// marzo de 2019", with any word where the month stands: the word is
	// looked up in the month table, which is cheaper than an alternation
	// of a hundred names in the regexp. Submatch 1 is the word.
	monthDayYear = regexp.MustCompile(`(?i)\b(\pL{3,12})\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b`)
	dayMonthYear = regexp.MustCompile(`(?i)\b\d{1,2}(?:st|nd|rd|th|er)?\.?\s+(?:of\s+|de\s+)?(\pL{3,12})\.?,?\s+(?:de\s+)?\d{4}\b`)
	// Relative is an English relative date ("3 days ago").
	Relative = regexp.MustCompile(`(?i)\b(?:\d+|an?|one)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago\b`)
)

// The reach of a date around its first digit: "septiembre de 6" at most
// before, "2019-03-06T10:00:00.123+02:00" at most after ("października"
// is 12 letters, 13 bytes).
const (
	FindBefore = 28
	FindAfter  = 40
)

// FindAll returns the locations of the absolute dates in t, of every
// form, ordered by where each form found them (not by offset).
func FindAll(t string) [][]int {
	var out [][]int
	out = append(out, ISO.FindAllStringIndex(t, -1)...)
	for _, re := range []*regexp.Regexp{monthDayYear, dayMonthYear} {
		for _, m := range re.FindAllStringSubmatchIndex(t, -1) {
			if _, ok := monthNames[strings.ToLower(t[m[2]:m[3]])]; ok {
				out = append(out, m[:2])
			}
		}
	}
	return append(out, numericDates.FindAllStringIndex(t, -1)...)
}

// First returns the earliest absolute date in t and its offset, "" and -1
// when t holds none.
func First(t string) (string, int) {
	best, at := "", -1
	for _, loc := range FindAll(t) {
		if at < 0 || loc[0] < at {
			best, at = t[loc[0]:loc[1]], loc[0]
		}
	}
	return best, at
}
