package extract

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/reviewpipe/reviewpipe/internal/dom"
	"github.com/reviewpipe/reviewpipe/internal/jsonld"
)

// The review fields structured data gives: the reviewer's rating and the item.

// review reads the reviewer's rating and the item from the first JSON-LD
// Review that gives either, else from microdata, else a star widget or a
// score box; the page kind decides later whether they stand.
func (p *metaPage) review(m *meta) {
	for _, n := range p.ld.Nodes {
		if !jsonld.HasType(n.Obj, ldReviewTypes) {
			continue
		}
		if r, ok := p.ld.Resolve(n.Obj["reviewRating"]).(map[string]any); ok {
			m.RatingRaw = jsonld.String(r["ratingValue"])
			m.RatingValue = metaNum(m.RatingRaw)
			m.RatingBest = metaNum(jsonld.String(r["bestRating"]))
			m.RatingWorst = metaNum(jsonld.String(r["worstRating"]))
		}
		item, _ := p.ld.Resolve(n.Obj["itemReviewed"]).(map[string]any)
		if item == nil && n.Parent != nil && !jsonld.HasType(n.Parent, ldReviewTypes) && !jsonld.HasType(n.Parent, ldPageTypes) {
			item = n.Parent // a Review listed under the thing's "review" key
		}
		if item != nil {
			m.ItemName = jsonld.String(item["name"])
			if ts := jsonld.Types(item); len(ts) > 0 {
				m.ItemType = strings.TrimPrefix(ts[0], "schema:")
			}
			for _, k := range []string{"dateCreated", "datePublished", "releaseDate", "copyrightYear", "startDate"} {
				if y := metaYear(jsonld.String(item[k])); y != nil {
					m.ItemYear = y
					break
				}
			}
		}
		if m.RatingRaw != "" || m.ItemName != "" {
			m.itemSources(SourceJSONLD)
			break
		}
	}
	if m.RatingRaw == "" && m.ItemName == "" {
		p.microdataReview(m)
		m.itemSources(SourceMicrodata)
	}
	// A star widget or a score box stands in for a rating that no
	// structured data gives.
	if m.RatingRaw == "" {
		if r, ok := p.starWidget(); ok {
			m.setRating(r, SourceMarkup)
		} else if r, ok := p.scoreBox(); ok {
			m.setRating(r, SourceMarkup)
		} else if r, ok := p.ratingTag(); ok {
			m.setRating(r, SourceMarkup)
		}
	}
}

// setRating makes r the reviewer's rating, read from a source of kind src.
func (m *meta) setRating(r rating, src string) {
	m.RatingRaw, m.RatingValue, m.RatingBest, m.RatingWorst = r.Raw, r.Value, r.Best, r.Worst
	m.sources.set(fieldRating, src, r.Raw != "")
}

// itemSources records src for the rating and item fields structured data
// filled.
func (m *meta) itemSources(src string) {
	for f, present := range map[string]bool{fieldRating: m.RatingRaw != "", fieldItemName: m.ItemName != "",
		fieldItemType: m.ItemType != "", fieldItemYear: m.ItemYear != nil} {
		if present {
			m.sources.set(f, src, true)
		}
	}
}

func (p *metaPage) microdataReview(m *meta) {
	var scope *goquery.Selection
	for _, n := range p.nodes {
		if _, ok := dom.HasAttr(n, "itemscope"); ok && (dom.AttrHas(n, "itemtype", "Review") || dom.AttrHas(n, "itemtype", "review")) {
			scope = goquery.NewDocumentFromNode(n).Selection
			break
		}
	}
	if scope == nil {
		return
	}
	val := func(s *goquery.Selection) string {
		for _, a := range []string{"content", "value", "datetime"} {
			if v, ok := s.Attr(a); ok && strings.TrimSpace(v) != "" {
				return strings.TrimSpace(v)
			}
		}
		return dom.Space(s.Text())
	}
	if m.RatingRaw == "" {
		r := scope.Find("[itemprop~=reviewRating]").First()
		if r.Length() == 0 {
			r = scope
		}
		if v := r.Find("[itemprop~=ratingValue]").First(); v.Length() > 0 {
			m.RatingRaw = val(v)
			m.RatingValue = metaNum(m.RatingRaw)
			if b := r.Find("[itemprop~=bestRating]").First(); b.Length() > 0 {
				m.RatingBest = metaNum(val(b))
			}
			if w := r.Find("[itemprop~=worstRating]").First(); w.Length() > 0 {
				m.RatingWorst = metaNum(val(w))
			}
		}
	}
	if m.ItemName == "" {
		if it := scope.Find("[itemprop~=itemReviewed]").First(); it.Length() > 0 {
			if nm := it.Find("[itemprop~=name]").First(); nm.Length() > 0 {
				m.ItemName = val(nm)
			} else {
				m.ItemName = val(it)
			}
			if t := it.AttrOr("itemtype", ""); t != "" {
				m.ItemType = t[strings.LastIndexAny(t, "/#")+1:]
			}
			if d := it.Find("[itemprop~=dateCreated], [itemprop~=datePublished], [itemprop~=copyrightYear]").First(); d.Length() > 0 {
				m.ItemYear = metaYear(val(d))
			}
		}
	}
}

var metaYearRe = regexp.MustCompile(`\b(1[89]\d\d|20\d\d)\b`)

func metaYear(s string) *int32 {
	m := metaYearRe.FindString(s)
	if m == "" {
		return nil
	}
	y, _ := strconv.Atoi(m)
	v := int32(y)
	return &v
}

func metaNum(s string) *float64 {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", "."))
	if s == "" {
		return nil
	}
	f, ok := decimal(s)
	if !ok {
		return nil
	}
	return &f
}
