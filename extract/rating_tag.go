package extract

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/reviewpipe/reviewpipe/internal/dom"
)

// Blogs often rate by tagging the post with a number and the blog's own
// unit ("4Weingummis", "4 Sterne", "3.5 stars"), the tags of all ratings
// listed in a label cloud or a category list on the same page. The
// post's own tag gives the value, and the tags of the same unit the page
// lists give the scale.

// ratingTagRe is a tag that is a number and a unit word: "4Weingummis",
// "4.5 Sterne", "3 stars".
var ratingTagRe = regexp.MustCompile(`^(\d{1,2}(?:[.,]5)?)\s*(\pL{3,30})$`)

// Bounds of a tag scale: at least minTagScaleValues distinct values make a
// scale (one "4 stars" tag alone tells nothing of the best), and no blog
// rates beyond maxTagScale icons.
const (
	minTagScaleValues = 3
	maxTagScale       = 10
)

// ratingTag returns the rating the post's own tags give on the scale of
// the same-unit tags the page lists; false when it gives none.
func (p *metaPage) ratingTag() (rating, bool) {
	var own []string // the post's tags (rel=tag) that read as ratings
	for i, n := range p.nodes {
		if n.Data == "a" && p.info[i].text <= maxTagText && dom.AttrHas(n, "rel", "tag") && !p.inComments(n) {
			if t := dom.Space(dom.NodeText(n)); ratingTagRe.MatchString(t) {
				own = append(own, t)
			}
		}
	}
	if len(own) != 1 {
		return rating{}, false // none, or several ratings: no telling
	}
	m := ratingTagRe.FindStringSubmatch(own[0])
	unit := strings.ToLower(m[2])
	values := map[float64]bool{} // the values of that unit the page lists
	for i, n := range p.nodes {
		if n.Data != "a" || p.info[i].text > maxTagText {
			continue
		}
		if t := ratingTagRe.FindStringSubmatch(dom.Space(dom.NodeText(n))); t != nil && strings.ToLower(t[2]) == unit {
			if v, err := strconv.ParseFloat(strings.Replace(t[1], ",", ".", 1), 64); err == nil {
				values[v] = true
			}
		}
	}
	best := 0.0
	for v := range values {
		best = max(best, v)
	}
	if len(values) < minTagScaleValues || best > maxTagScale {
		return rating{}, false
	}
	v, _ := strconv.ParseFloat(strings.Replace(m[1], ",", ".", 1), 64)
	return rating{Raw: own[0], Value: &v, Best: &best}, true
}
