package extract

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

const (
	// maxRatingText: a rating is a short phrase ("4 out of 5 stars",
	// "Note : 8/10"); longer text is a sentence that mentions numbers.
	maxRatingText = 200
	// maxVerdictBytes, maxVerdictRunes: a verdict line ("Rating: ★★★★☆")
	// is short; the byte bound keeps glyph-heavy lines in.
	maxVerdictBytes = 320
	maxVerdictRunes = 80
)

// rating is a score as a review states it: the words it used and the
// numbers they stand for on the review's own scale. Best and worst are nil
// when the text does not say them (a bare "7.5").
type rating struct {
	Raw                string
	Value, Best, Worst *float64
}

// Letter grades are read as US grade points (A = 4, B = 3, C = 2, D = 1,
// F = 0, plus or minus a third) on a 0–4 scale, with A+ capped at 4: a
// review graded "A" is as good as the scale goes, whether or not the site
// uses pluses, so A and A+ both normalize to 1, B+ to 0.83, F to 0.
var gradePoints = map[byte]float64{'A': 4, 'B': 3, 'C': 2, 'D': 1, 'E': 0, 'F': 0}

// numberWords are the spelled-out counts reviews use for stars and points.
var numberWords = map[string]float64{
	"zero": 0, "no": 0, "half": 0.5, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
	"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}

const numPat = `(\d+(?:[.,]\d+)?(?:\s*½|\s+1/2)?|½|(?:` + wordNumPat + `)(?:\s+and\s+a\s+half)?)`

const wordNumPat = `zero|no|half|one|a|an|two|three|four|five|six|seven|eight|nine|ten`

var (
	// "8.5/10", "4 out of 5", "3 of 5 stars", "7,5 von 10", "4 sur 5".
	outOfRe = regexp.MustCompile(`(?i)(?:^|[^\w.,])` + numPat + `\s*(?:/|out\s+of|of|von|sur|de|su|van|z|из)\s*(\d+(?:[.,]\d+)?|` + wordNumPat + `)(?:\s*(?:stars?|points?|sterne|étoiles|estrellas))?\b`)
	// "4.5 stars", "five stars", "3½ stars", "four and a half stars".
	starsRe = regexp.MustCompile(`(?i)(?:^|[^\w.,])` + numPat + `[\s-]*(?:stars?|sterne?|étoiles?|estrellas?)\b`)
	// "Letter Grade: A", "Grade: B+", "B-" alone.
	gradeRe     = regexp.MustCompile(`(?i)\bgrade\s*[:=-]?\s*([A-F][+-]?)(?:[^\w+-]|$)`)
	bareGradeRe = regexp.MustCompile(`^\s*([A-F][+-]?)\s*$`)
	// "two thumbs up", "thumbs down", "one thumb up, one thumb down".
	thumbsRe = regexp.MustCompile(`(?i)\b(?:(two|both|one|a)\s+)?thumbs?\s+(up|down)\b`)
	// "Rating: 7.5", "Score 85", "7.5" alone: a value without its scale.
	labelledNumRe = regexp.MustCompile(`(?i)\b(?:rating|score|note|wertung|bewertung|punkte|verdict)\s*[:=-]?\s*(\d+(?:[.,]\d+)?)\s*(%?)`)
	halfRe        = regexp.MustCompile(`(\d)\s+1/2\b`)
	bareNumRe     = regexp.MustCompile(`^\s*(\d+(?:[.,]\d+)?)\s*(%?)\s*$`)
)

// parseRating reads a score from the text a page gives for it: a rating
// widget's label, a verdict line ("Rating: 4/5", "Letter Grade: A",
// "★★★½"), or a field a site rule selected. It reports false when the
// text states no score. Raw is s itself, trimmed.
func parseRating(s string) (rating, bool) {
	raw := strings.Join(strings.Fields(s), " ")
	r := rating{Raw: raw}
	if raw == "" || utf8.RuneCountInString(raw) > maxRatingText {
		return r, false
	}
	set := func(v, best, worst float64) (rating, bool) {
		r.Value, r.Best, r.Worst = &v, &best, &worst
		return r, true
	}
	// "3 1/2 stars" is three and a half, not one of two.
	halves := halfRe.ReplaceAllString(raw, "$1½")
	if v, best, ok := starGlyphs(raw); ok {
		return set(v, best, 0)
	}
	if m := outOfRe.FindStringSubmatch(halves); m != nil {
		v, ok1 := spelledNumber(m[1])
		best, ok2 := spelledNumber(m[2])
		if ok1 && ok2 && best > 0 && best <= 100 && v <= best {
			return set(v, best, 0)
		}
	}
	if m := gradeRe.FindStringSubmatch(raw); m != nil {
		return set(grade(m[1]), 4, 0)
	}
	if m := bareGradeRe.FindStringSubmatch(raw); m != nil {
		return set(grade(m[1]), 4, 0)
	}
	if m := starsRe.FindStringSubmatch(halves); m != nil {
		if v, ok := spelledNumber(m[1]); ok && v <= 5 {
			return set(v, 5, 0)
		}
	}
	if m := thumbsRe.FindStringSubmatch(raw); m != nil {
		return thumbs(r, strings.ToLower(m[1]), strings.ToLower(m[2]))
	}
	for _, re := range []*regexp.Regexp{labelledNumRe, bareNumRe} {
		if m := re.FindStringSubmatch(raw); m != nil {
			v, ok := decimal(m[1])
			if !ok {
				continue
			}
			if m[2] == "%" {
				if v > 100 {
					return r, false
				}
				return set(v, 100, 0)
			}
			r.Value = &v
			return r, true
		}
	}
	return r, false
}

// starGlyphs counts a row of star characters: filled ★ (and ✭ ✮ ✯ ⭐),
// half ½ or ⯨, empty ☆. Without empty stars the scale is five.
func starGlyphs(s string) (value, best float64, ok bool) {
	var full, half, empty int
	other := 0
	for _, r := range s {
		switch r {
		case '★', '✭', '✮', '✯', '⭐', '✪':
			full++
		case '½', '⯨', '⯪':
			half++
		case '☆', '✩':
			empty++
		case ' ', '\u00a0', '\ufe0f':
		default:
			other++
		}
	}
	if full+half == 0 && empty == 0 || full+half+empty > 10 || other > 0 && full+empty == 0 {
		return 0, 0, false
	}
	if other > 0 {
		// Glyphs inside words ("4★ hotel"): only a pure row counts.
		if strings.ContainsAny(s, "0123456789") {
			return 0, 0, false
		}
	}
	best = float64(full + half + empty)
	if empty == 0 || best < 5 {
		best = 5
	}
	return float64(full) + 0.5*float64(half), best, true
}

// spelledNumber reads "4", "4.5", "3½", "3 1/2", "½", "four", "four and a
// half".
func spelledNumber(s string) (float64, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	half := 0.0
	switch {
	case strings.HasSuffix(s, "½"):
		half, s = 0.5, strings.TrimSpace(strings.TrimSuffix(s, "½"))
	case strings.HasSuffix(s, " 1/2"):
		half, s = 0.5, strings.TrimSpace(strings.TrimSuffix(s, " 1/2"))
	case strings.HasSuffix(s, " and a half"):
		half, s = 0.5, strings.TrimSuffix(s, " and a half")
	}
	if s == "" {
		return half, half > 0
	}
	if v, ok := numberWords[s]; ok {
		return v + half, true
	}
	v, ok := decimal(s)
	return v + half, ok
}

// decimal reads a number written with a point or a decimal comma. Only
// finite numbers count: ParseFloat also takes "NaN", "Inf" and "1e999"
// (as +Inf), which no rating means.
func decimal(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(s), ",", "."), 64)
	return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
}

// grade returns the grade points of a letter grade ("B+" = 3.33).
func grade(g string) float64 {
	g = strings.ToUpper(g)
	v := gradePoints[g[0]]
	if len(g) > 1 && v > 0 {
		switch g[1] {
		case '+':
			v += 1.0 / 3
		case '-':
			v -= 1.0 / 3
		}
	}
	return min(v, 4)
}

// thumbs reads the thumb verdicts of film critics: "two thumbs up" is the
// best of a two-thumb scale, "one thumb up" the middle, "thumbs down" the
// worst; a single thumb is a yes/no scale of one.
func thumbs(r rating, count, dir string) (rating, bool) {
	best := 1.0
	if count == "two" || count == "both" || count == "one" {
		best = 2
	}
	v := 0.0
	if dir == "up" {
		v = best
		if count == "one" {
			v = 1
		}
	}
	worst := 0.0
	r.Value, r.Best, r.Worst = &v, &best, &worst
	return r, true
}

var (
	// verdictRe is a short block that labels a score ("Letter Grade: A",
	// "Our rating: 4/5", "Wertung: 8 von 10"); pureRatingRe one that is
	// nothing but a score on a rating scale ("4.5 stars", "8/10").
	verdictRe    = regexp.MustCompile(`(?i)^(?:(?:our|my|final|overall|the|meine|mein|unsere|unser|mon|ma|notre|mi|nuestra|nuestro|la|le)\s+)?(?:letter\s+)?(?:rating|score|grade|verdict|note|wertung|bewertung|gesamtwertung|urteil|fazit|puntuación|puntuacion|nota|voto|valoración|calificación)\s*[:=–-]?\s*(.{1,40})$`)
	pureRatingRe = regexp.MustCompile(`(?i)^` + numPat + `\s*(?:[\s-]*stars?|/\s*(?:5|10|20|100)|out\s+of\s+(?:4|5|10|100|four|five|ten)(?:\s+stars)?)\s*[.!]?$`)
	// sentenceRatingRe finds a score stated in a sentence of prose: "I
	// give it four stars", "rated it 8/10", "bring my rating up to five
	// stars".
	sentenceRatingRe = regexp.MustCompile(`(?i)\b(?:give|gives|gave|giving|rate|rated|rating|award|awarded|deserves?|earns?|earned|up\s+to)\b[^.!?;:]{0,50}?(?:^|[^\w.,])(` +
		numPat + `[\s-]*(?:stars?|out\s+of\s+(?:\d+|` + wordNumPat + `)|/\s*\d+))`)
)

// textRating finds the score a review states in its text, for pages that
// give it in no markup: a short verdict block ("Letter Grade: A",
// "Rating: 4/5", "★★★½") or a sentence of prose ("I give it four stars").
// When a review states several, the last one wins: reviewers revise
// ("I originally rated this film 4.5 stars … up to five stars"), and a
// verdict closes a review.
func textRating(body string) (rating, bool) {
	var last rating
	found := false
	for block := range strings.SplitSeq(body, "\n\n") {
		block = strings.TrimSpace(block)
		if block == "" {
			continue
		}
		if len(block) <= maxVerdictBytes && utf8.RuneCountInString(block) <= maxVerdictRunes {
			if !mayBeVerdict(block) {
				continue
			}
			if _, _, glyphs := starGlyphs(block); glyphs || verdictRe.MatchString(block) || pureRatingRe.MatchString(block) {
				if r, ok := parseRating(block); ok && r.Best != nil {
					last, found = r, true
				}
				continue
			}
			// A short closing sentence may give the score: "All told, I
			// would give it 3 out of 5 stars."
		}
		// The regexp has no literal to anchor on; most paragraphs hold
		// none of the words a stated score needs.
		if !mayStateScore(block) {
			continue
		}
		for _, m := range sentenceRatingRe.FindAllStringSubmatch(block, -1) {
			if r, ok := parseRating(m[1]); ok && r.Best != nil {
				last, found = r, true
			}
		}
	}
	return last, found
}

// mayStateScore is a cheap test for what sentenceRatingRe needs: a verb
// that gives a score and a scale word or a number over a number.
func mayStateScore(s string) bool {
	scale := strings.Contains(s, "star") || strings.Contains(s, "Star") || strings.Contains(s, "out of") || digitSlash(s)
	if !scale {
		return false
	}
	for _, v := range []string{"give", "Give", "gave", "Gave", "rat", "Rat", "award", "Award", "deserv", "earn", "up to"} {
		if strings.Contains(s, v) {
			return true
		}
	}
	return false
}

// digitSlash reports whether s holds a digit, a slash and a digit ("8/10",
// "4 / 5").
func digitSlash(s string) bool {
	for i := strings.IndexByte(s, '/'); i >= 0; {
		j, k := i-1, i+1
		for j >= 0 && s[j] == ' ' {
			j--
		}
		for k < len(s) && s[k] == ' ' {
			k++
		}
		if j >= 0 && k < len(s) && '0' <= s[j] && s[j] <= '9' && '0' <= s[k] && s[k] <= '9' {
			return true
		}
		n := strings.IndexByte(s[i+1:], '/')
		if n < 0 {
			break
		}
		i += 1 + n
	}
	return false
}

// mayBeVerdict is a cheap test for what a verdict block needs: a digit, a
// star, or the word for a grade, stars or thumbs.
func mayBeVerdict(s string) bool {
	if strings.ContainsAny(s, "0123456789★☆⭐✭✮✯✪✩½") {
		return true
	}
	for _, w := range []string{"star", "Star", "STAR", "rade", "RADE", "humb"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
