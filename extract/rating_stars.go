package extract

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"

	"github.com/reviewpipe/reviewpipe/internal/dom"
)

// maxStarWidgets: the star widgets nearest the headline that are read;
// further ones are other records' in a listing.
const maxStarWidgets = 12

// starWidget finds the rating a page shows as a star widget: a label for
// screen readers or a tooltip ("4.5 out of 5 stars", aria-label or title),
// a data-rating attribute, a class name that encodes the score, or a row
// of star icons counted full, half and empty. Widgets in comment threads
// and site furniture are ignored, and the one nearest the headline wins,
// since listings of other reviews carry widgets of their own.
func (p *metaPage) starWidget() (rating, bool) {
	var cands []*html.Node
	for i, n := range p.nodes {
		if p.info[i].flags&nodeInBody == 0 || len(n.Attr) == 0 {
			continue
		}
		cls, id := dom.Attr(n, "class"), dom.Attr(n, "id")
		if cls == "" && id == "" {
			continue
		}
		if containsStar(cls) || containsFoldASCII(cls, "rating") || containsFoldASCII(id, "rating") || dom.Attr(n, "data-rating") != "" {
			cands = append(cands, n)
		}
	}
	// The nearest few are the review's if any are; a long tail is a
	// listing's.
	for i, n := range p.rank(cands) {
		if i == maxStarWidgets {
			break
		}
		if r, ok := starWidgetOf(n); ok {
			return r, true
		}
	}
	return rating{}, false
}

func starWidgetOf(n *html.Node) (rating, bool) {
	for _, a := range []string{"aria-label", "title", "data-title"} {
		if v := dom.Attr(n, a); v != "" && starLabel(v) {
			if r, ok := parseRating(v); ok && r.Best != nil {
				return r, true
			}
		}
	}
	if v := dom.Attr(n, "data-rating"); v != "" {
		if f, ok := decimal(v); ok {
			best := 5.0
			if b, ok := decimal(firstAttr(n, "data-max", "data-best", "data-scale", "data-out-of")); ok && b > 0 {
				best = b
			}
			if f >= 0 && f <= best {
				return rating{Raw: v, Value: &f, Best: &best}, true
			}
		}
	}
	for _, tok := range dom.ClassTokens(n) {
		if m := starClassRe.FindStringSubmatch(tok); m != nil {
			v, _ := strconv.ParseFloat(m[1], 64)
			switch {
			case m[2] != "":
				v += float64(m[2][0]-'0') / 10
			case v > 5 && v <= 50 && int(v)%5 == 0:
				v /= 10 // rating-45: tenths of a star
			}
			if v <= 5 {
				best := 5.0
				return rating{Raw: tok, Value: &v, Best: &best}, true
			}
		}
	}
	return countedStars(n)
}

// containsStar reports whether a class attribute speaks of stars: "star"
// in any case, but not "start" ("startseite", "starter-kit").
func containsStar(s string) bool {
	for i := 0; i+4 <= len(s); i++ {
		if (s[i]|0x20) == 's' && (s[i+1]|0x20) == 't' && (s[i+2]|0x20) == 'a' && (s[i+3]|0x20) == 'r' &&
			(i+4 == len(s) || (s[i+4]|0x20) != 't') {
			return true
		}
	}
	return false
}

// containsFoldASCII reports whether s contains the lower-case ASCII word
// sub in any case, without allocating (every element's class is asked).
func containsFoldASCII(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for ; j < len(sub); j++ {
			c := s[i+j]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}

// starLabel says whether a label is about stars or a rating rather than,
// say, a "3 of 12 photos" caption.
func starLabel(s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(s, "star") || strings.Contains(s, "rat") || strings.Contains(s, "stern") || strings.Contains(s, "étoile") || strings.Contains(s, "estrella")
}

func firstAttr(n *html.Node, keys ...string) string {
	for _, k := range keys {
		if v := dom.Attr(n, k); v != "" {
			return v
		}
	}
	return ""
}

// countedStars reads a row of 3 to 10 star icons below n: full ones
// ("star full", "filled", "on", "active", "fa-star"), half ones and empty
// ones ("empty", "off", "outline", "fa-star-o"); the row's length is the
// scale. A row without any full or half star is a blank widget.
func countedStars(n *html.Node) (rating, bool) {
	var full, half, total int
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		icon := c
		if !strings.Contains(strings.ToLower(dom.Attr(icon, "class")), "star") {
			// <span><i class="fa fa-star"></i></span>: one level down.
			if k := firstElement(c); k != nil && strings.Contains(strings.ToLower(dom.Attr(k, "class")), "star") {
				icon = k
			} else {
				continue
			}
		}
		cls := " " + strings.ToLower(strings.NewReplacer("-", " ", "_", " ").Replace(dom.Attr(icon, "class"))) + " "
		total++
		switch {
		case strings.Contains(cls, " half ") || strings.Contains(cls, "half"):
			half++
		case strings.Contains(cls, " empty ") || strings.Contains(cls, " off ") || strings.Contains(cls, " outline ") ||
			strings.Contains(cls, " star o ") || strings.Contains(cls, " blank ") || strings.Contains(cls, " inactive "):
		case strings.Contains(cls, " full ") || strings.Contains(cls, " filled ") || strings.Contains(cls, " on ") ||
			strings.Contains(cls, " active ") || strings.Contains(cls, " selected ") || strings.Contains(cls, " fa star ") || strings.Contains(cls, " fas "):
			full++
		default:
			return rating{}, false // icons that do not say whether they are lit
		}
	}
	if total < 3 || total > 10 || full+half == 0 {
		return rating{}, false
	}
	v, best := float64(full)+0.5*float64(half), float64(total)
	raw := strconv.FormatFloat(v, 'f', -1, 64) + "/" + strconv.Itoa(total) + " stars"
	return rating{Raw: raw, Value: &v, Best: &best}, true
}

func firstElement(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			return c
		}
	}
	return nil
}
