package extract

import (
	"math"
	"regexp"
	"strings"

	"golang.org/x/net/html"

	"github.com/reviewpipe/reviewpipe/internal/dom"
)

// usersScoreDepth is how many ancestors are asked whether they hold
// readers' ratings: a widget's wrapper, its row, its list.
const usersScoreDepth = 4

// classMatches reports whether n's class or id matches re, asking the
// regexp only when one of the lower-case ASCII stems occurs: every
// element of a page is asked, and a regexp per element costs a fifth of
// an extraction.
func classMatches(n *html.Node, stems []string, re *regexp.Regexp) bool {
	for _, a := range []string{dom.Attr(n, "class"), dom.Attr(n, "id")} {
		if a == "" {
			continue
		}
		for _, st := range stems {
			if containsFoldASCII(a, st) {
				if re.MatchString(a) {
					return true
				}
				break
			}
		}
	}
	return false
}

// scoreBoxTextRe is the whole text of a score box: a number, optionally
// with its scale ("7.9", "8/10", "4 von 5", "85%").
var scoreBoxTextRe = regexp.MustCompile(`^\d{1,3}(?:[.,]\d{1,2})?(?:\s*(?:/|of|out of|von|sur|de|su)\s*\d{1,3})?\s*%?$`)

// scoreBoxCandidates is how many score boxes nearest the headline are
// read: the nearest few are the review's if any are; a long tail is a
// listing's (as for star widgets).
const scoreBoxCandidates = 12

// namedShortElements returns the body elements with at most maxText
// bytes of visible text whose class or id matches re (through
// classMatches), nearest the headline first, outside comments and
// furniture (rank). <time> elements are the page's dates and never one.
func (p *metaPage) namedShortElements(maxText int, stems []string, re *regexp.Regexp) []*html.Node {
	var cands []*html.Node
	for i, n := range p.nodes {
		// An element without ASCII text may still show star glyphs
		// ("★★★☆☆") on a page that has any.
		empty := p.info[i].text == 0 && !p.glyphs
		if p.info[i].flags&(nodeInBody|nodeFieldToken) != nodeInBody|nodeFieldToken || empty || int(p.info[i].text) > maxText || n.Data == "time" {
			continue
		}
		if classMatches(n, stems, re) && (p.info[i].text > 0 || strings.ContainsAny(dom.NodeText(n), "★☆⭐")) {
			cands = append(cands, n)
		}
	}
	return p.rank(cands)
}

// scoreBoxMaxText is the longest text a score box holds ("10 out of 10").
const scoreBoxMaxText = 14

// scoreBox finds a score shown as a bare number in an element named for
// it, nearest the headline, outside comments and furniture (the ranking
// of starWidget). A stated scale wins; a bare number's scale is read from
// its form: one decimal ("7.9", "10") or 6–10 is out of 10, 11–100 out of
// 100. A bare 0–5 without decimals could be stars or points and is left
// out, as are numbers in longer text.
func (p *metaPage) scoreBox() (rating, bool) {
	for i, n := range p.namedShortElements(scoreBoxMaxText, scoreBoxStems, scoreBoxClassRe) {
		if i == scoreBoxCandidates {
			break
		}
		if usersScore(n) {
			continue
		}
		if r, ok := scoreBoxOf(n); ok {
			return r, true
		}
	}
	return rating{}, false
}

func scoreBoxOf(n *html.Node) (rating, bool) {
	text := dom.Space(dom.NodeText(n))
	if _, _, ok := starGlyphs(text); ok {
		return parseRating(text) // "★★★☆☆" in a verdict box
	}
	if r, ok := schoolGrade(n, text); ok {
		return r, true
	}
	if !scoreBoxTextRe.MatchString(text) {
		return rating{}, false
	}
	if strings.ContainsAny(text, "/%") || strings.ContainsAny(text, "abcdefghijklmnopqrstuvwxyz") {
		return parseRating(text)
	}
	v, ok := decimal(text)
	if !ok {
		return rating{}, false
	}
	var best float64
	switch whole := v == math.Trunc(v); {
	case !whole && v <= 10, whole && v >= 6 && v <= 10:
		best = 10
	case whole && v > 10 && v <= 100:
		best = 100
	default:
		return rating{}, false
	}
	return rating{Raw: text, Value: &v, Best: &best}, true
}

// usersScore reports whether n or one of its nearest ancestors is named
// for readers' ratings.
func usersScore(n *html.Node) bool {
	for d := 0; n != nil && d <= usersScoreDepth; n, d = n.Parent, d+1 {
		if n.Type == html.ElementNode && (usersScoreRe.MatchString(dom.Attr(n, "class")) || usersScoreRe.MatchString(dom.Attr(n, "id"))) {
			return true
		}
	}
	return false
}

// schoolGradeWordRe matches the word German tests print beside a grade
// ("1,7 gut", "Note: 2,3 (gut)"): the grade is then on the school scale,
// 1 the best and 6 the worst, not a score out of 10.
var schoolGradeWordRe = regexp.MustCompile(`(?i)(?:^|[^\pL])(sehr gut|gut|befriedigend|ausreichend|mangelhaft|ungenügend)(?:$|[^\pL])`)

// schoolGradeRe is a German school grade: 1,0 to 6,0 with a decimal comma.
var schoolGradeRe = regexp.MustCompile(`^\(?([1-5],\d|6,0|[1-6])\)?$`)

// The German school scale: 1 is the best grade, 6 the worst.
const (
	schoolGradeBest  = 1
	schoolGradeWorst = 6
)

// schoolGrade reads a score box holding a German school grade, its grade
// word in the box or its parent ("1,7" beside "gut").
func schoolGrade(n *html.Node, text string) (rating, bool) {
	num := text
	if m := schoolGradeWordRe.FindStringIndex(text); m != nil {
		num = strings.TrimSpace(text[:m[0]] + text[m[1]:])
	}
	g := schoolGradeRe.FindStringSubmatch(strings.Trim(num, " :"))
	if g == nil || !schoolGradeWordRe.MatchString(text) && (n.Parent == nil || !schoolGradeWordRe.MatchString(dom.ShortText(n.Parent, 80))) {
		return rating{}, false
	}
	v, ok := decimal(g[1])
	if !ok {
		return rating{}, false
	}
	best, worst := float64(schoolGradeBest), float64(schoolGradeWorst)
	return rating{Raw: text, Value: &v, Best: &best, Worst: &worst}, true
}
