package dates

import "regexp"

// The patterns extract looks for in a page's text, built from the same
// month names Parse reads, so every date they find parses. Each holds a
// digit, starts at most FindBefore bytes before its first digit and ends
// at most FindAfter bytes after it, which lets the finder run them only
// on the stretches of text around digits.
var (
	// ISO is an ISO 8601 date with an optional time and offset.
	ISO = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b`)
	// Visible are the absolute dates pages print: ISO, "March 6, 2019",
	// "6. März 2019", "6 de marzo de 2019", "06.03.2019", "06.03.19",
	// "06/03/2019", "2019/03/06". A slash date with a two-digit year
	// ("11/08/23") is not one: day first or month first, the year does not
	// tell, and Parse reads none.
	Visible = []*regexp.Regexp{
		ISO,
		regexp.MustCompile(`(?i)\b(?:` + monthAlt + `)\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b`),
		regexp.MustCompile(`(?i)\b\d{1,2}(?:st|nd|rd|th|er)?\.?\s+(?:of\s+|de\s+)?(?:` + monthAlt + `)\.?,?\s+(?:de\s+)?\d{4}\b`),
		regexp.MustCompile(`\b\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})\b|\b\d{1,2}/\d{1,2}/\d{4}\b`),
		regexp.MustCompile(`\b\d{4}/\d{1,2}/\d{1,2}\b`),
	}
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
