package extract

import (
	"math"
	"strings"

	"github.com/reviewpipe/reviewpipe/internal/jsonld"
)

// userRating reads the users' aggregate rating a page publishes in
// JSON-LD (aggregateRating on the product, recipe, film or place the page
// is about), the shallowest first: it belongs in user_rating, never in
// the reviewer's rating. The scale is schema.org's default, 1 to 5, where
// the page states none.
func (p *metaPage) userRating(m *meta) {
	for depth := 0; depth < maxLDDepth; depth++ {
		for _, n := range p.ld.Nodes {
			if n.Depth != depth {
				continue
			}
			agg, _ := p.ld.Resolve(n.Obj["aggregateRating"]).(map[string]any)
			if agg == nil && jsonld.HasType(n.Obj, ldAggregateTypes) {
				agg = n.Obj
			}
			if agg == nil {
				continue
			}
			v := metaNum(jsonld.String(agg["ratingValue"]))
			if v == nil {
				continue
			}
			best, worst := metaNum(jsonld.String(agg["bestRating"])), metaNum(jsonld.String(agg["worstRating"]))
			if best == nil {
				five := 5.0
				best = &five
			}
			m.UserRatingValue, m.UserRatingBest, m.UserRatingWorst = v, best, worst
			m.sources.set(fieldUserRating, SourceJSONLD, true)
			for _, k := range []string{"ratingCount", "reviewCount"} {
				if c := metaNum(strings.ReplaceAll(jsonld.String(agg[k]), ",", "")); c != nil && *c >= 0 && *c <= math.MaxInt32 && *c == math.Trunc(*c) {
					n := int64(*c)
					m.UserRatingCount = &n
					break
				}
			}
			return
		}
	}
}
