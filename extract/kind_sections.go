package extract

import (
	"cmp"
	"slices"
	"strings"

	"github.com/reviewpipe/reviewpipe/internal/dom"
	"github.com/reviewpipe/reviewpipe/internal/jsonld"
)

// The sections a page files itself under, read from its own vocabulary:
// the <title> segments beside the headline ("… | Restaurant Reviews | St.
// Louis"), article:section and JSON-LD articleSection, the keywords, and
// JSON-LD breadcrumbs. A section named for reviews says the article is
// one, and its other words say what kind of thing it reviews.

// maxArticleKeywords: a longer keyword list is the site's whole
// vocabulary ("spieletests, gaming, … previews, reviews"), repeated on
// every page, not the article's tags.
const maxArticleKeywords = 10

// maxTagText: a tag is a word or a few ("Film Reviews"), not a link text.
const maxTagText = 40

// maxSectionNames bounds how many section names are read: keyword lists
// run long, and only the first few are the editors' section.
const maxSectionNames = 20

// sections returns the page's section names other than its headline.
func (p *metaPage) sections(title string) []string {
	var out []string
	add := func(s string) {
		s = dom.Space(s)
		if s != "" && len(out) < maxSectionNames && metaLooseKey(s) != metaLooseKey(title) {
			out = append(out, s)
		}
	}
	if parts := metaSplitTitle(p.docTitle); len(parts) >= 3 {
		// With two segments the second is the site; with more, the ones
		// between headline and site are sections.
		for _, s := range parts[1 : len(parts)-1] {
			add(s)
		}
	}
	add(p.tag("article:section"))
	keywords := func(list []string) {
		var ks []string
		for _, s := range list {
			ks = append(ks, strings.Split(s, ",")...)
		}
		if len(ks) <= maxArticleKeywords {
			for _, k := range ks {
				add(k)
			}
		}
	}
	for _, obj := range p.ldMain() {
		for _, s := range ldStrings(p.ld.Resolve(obj["articleSection"])) {
			add(s)
		}
		keywords(ldStrings(p.ld.Resolve(obj["keywords"])))
	}
	keywords([]string{p.tag("keywords")})
	// The post's own tags (rel=tag links outside comments): "Film
	// Reviews", "Books", "Kino".
	var tags []string
	for i, n := range p.nodes {
		if n.Data == "a" && p.info[i].text <= maxTagText && dom.AttrHas(n, "rel", "tag") && !p.inComments(n) {
			tags = append(tags, dom.NodeText(n))
		}
	}
	keywords(tags)
	for _, n := range p.ld.Nodes {
		if jsonld.HasType(n.Obj, ldBreadcrumbTypes) {
			for _, el := range ldStrings(n.Obj["itemListElement"]) {
				add(el)
			}
		}
	}
	return out
}

var ldBreadcrumbTypes = jsonld.Set("breadcrumblist")

// ldStrings returns a JSON-LD value as strings: a string, the strings of
// a list, or the names of listed objects (breadcrumb items).
func ldStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, ldStrings(e)...)
		}
		return out
	case map[string]any:
		if s := jsonld.String(x["name"]); s != "" {
			return []string{s}
		}
		if item, ok := x["item"].(map[string]any); ok {
			return ldStrings(item)
		}
	}
	return nil
}

// reviewSection reports whether one of the sections files reviews, and
// returns the type its words name ("Restaurant Reviews" → Restaurant).
func reviewSection(sections []string) (bool, string) {
	for _, s := range sections {
		if !reviewSectionRe.MatchString(strings.TrimSpace(s)) {
			continue
		}
		typ := ""
		for _, w := range strings.Fields(strings.ToLower(s)) {
			if t := typeBySection[w]; t != "" {
				typ = t
			}
		}
		return true, typ
	}
	return false, ""
}

// sortByLenDesc sorts longest first, so that an alternation tries
// "restaurants" before "restaurant".
func sortByLenDesc(s []string) {
	slices.SortFunc(s, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
}
