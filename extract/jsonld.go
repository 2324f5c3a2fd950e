package extract

import (
	"encoding/json"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// JSON-LD: the page's objects parsed once, references resolved, the main object found.

var metaLDWrapper = strings.NewReplacer("<!--", "", "-->", "", "<![CDATA[", "", "]]>", "")

func (p *metaPage) addJSONLD(raw string) {
	raw = strings.TrimSpace(metaLDWrapper.Replace(raw))
	raw = strings.TrimPrefix(raw, "//")
	var v any
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		// Raw line breaks inside strings are the commonest hand-written
		// mistake; anything worse is skipped, never fatal.
		fixed := strings.NewReplacer("\n", " ", "\r", " ", "\t", " ").Replace(raw)
		dec = json.NewDecoder(strings.NewReader(fixed))
		dec.UseNumber()
		if dec.Decode(&v) != nil {
			return
		}
	}
	p.walkLD(v, 0, nil)
}

func (p *metaPage) walkLD(v any, depth int, parent map[string]any) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			p.walkLD(e, depth, parent)
		}
	case map[string]any:
		if g, ok := x["@graph"]; ok {
			p.walkLD(g, depth, parent)
		}
		if id := ldString(x["@id"]); id != "" && len(x) > 1 {
			if _, seen := p.ldIDs[id]; !seen {
				p.ldIDs[id] = x
			}
		}
		if _, ok := x["@type"]; ok {
			p.ld = append(p.ld, ldNode{obj: x, depth: depth, parent: parent})
		}
		for k, e := range x {
			if k == "@graph" || k == "@context" {
				continue
			}
			switch e.(type) {
			case map[string]any, []any:
				p.walkLD(e, depth+1, x)
			}
		}
	}
}

// ldBody returns the longest articleBody or reviewBody of the JSON-LD
// objects, for pages that ship their whole text there.
func (p *metaPage) ldBody() string {
	best := ""
	for _, n := range p.ld {
		for _, k := range []string{"articleBody", "reviewBody"} {
			if s, ok := n.obj[k].(string); ok && len(s) > len(best) {
				best = s
			}
		}
	}
	return best
}

// resolve follows a bare {"@id": …} reference, the way @graph documents
// (Yoast and the like) link authors and publishers.
func (p *metaPage) resolve(v any) any {
	if m, ok := v.(map[string]any); ok {
		if id := ldString(m["@id"]); id != "" && len(m) == 1 {
			if full, ok := p.ldIDs[id]; ok {
				return full
			}
		}
	}
	return v
}

func ldString(v any) string {
	switch x := v.(type) {
	case string:
		return metaSpace(html.UnescapeString(x))
	case json.Number:
		return x.String()
	case []any:
		for _, e := range x {
			if s := ldString(e); s != "" {
				return s
			}
		}
	}
	return ""
}

func ldTypes(obj map[string]any) []string {
	switch t := obj["@type"].(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func ldHasType(obj map[string]any, set map[string]bool) bool {
	for _, t := range ldTypes(obj) {
		if set[strings.ToLower(strings.TrimPrefix(t, "schema:"))] {
			return true
		}
	}
	return false
}

var (
	ldReviewTypes  = metaSet("review", "criticreview", "userreview", "employerreview", "recommendation")
	ldArticleTypes = metaSet("article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
		"opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle", "techarticle",
		"report", "socialmediaposting", "liveblogposting", "discussionforumposting", "posting", "creativework",
		"medicalscholarlyarticle", "satiricalarticle", "advertisercontentarticle", "howto", "recipe", "videoobject")
	ldPageTypes = metaSet("webpage", "itempage", "aboutpage", "collectionpage", "medicalwebpage", "qapage", "faqpage")
	ldSiteTypes = metaSet("website", "organization", "newsmediaorganization", "corporation", "localbusiness")
)

func metaSet(s ...string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, e := range s {
		m[e] = true
	}
	return m
}

// ldMain returns the objects describing the article itself, best first:
// a review before an article before a web page, shallower before nested.
func (p *metaPage) ldMain() []map[string]any {
	var out []map[string]any
	for _, set := range []map[string]bool{ldReviewTypes, ldArticleTypes, ldPageTypes} {
		for depth := 0; depth < 4; depth++ {
			for _, n := range p.ld {
				if n.depth == depth && ldHasType(n.obj, set) {
					out = append(out, n.obj)
				}
			}
		}
	}
	return out
}

// ldFirst returns the first non-empty string under one of keys in the main
// objects, trusting the best object fully before looking at the next.
func (p *metaPage) ldFirst(keys ...string) string {
	for _, obj := range p.ldMain() {
		for _, k := range keys {
			if s := ldString(p.resolve(obj[k])); s != "" {
				return s
			}
		}
	}
	return ""
}

// ldTitle returns the headline of the main JSON-LD object, or its name
// when the two differ and the name is the one <title> shows: Wikipedia
// puts the article's short description ("constitutional monarchy in
// Oceania") in headline and the title ("New Zealand") in name.
func (p *metaPage) ldTitle() string {
	for _, obj := range p.ldMain() {
		headline, name := ldString(p.resolve(obj["headline"])), ldString(p.resolve(obj["name"]))
		switch {
		case headline == "":
			if name != "" {
				return name
			}
		case name != "" && name != headline:
			if p.titleEvidence(name) > p.titleEvidence(headline) {
				return name
			}
			return headline
		default:
			return headline
		}
	}
	return ""
}

// titleEvidence counts the places a candidate title shows up on the page:
// inside <title>, as an h1.
func (p *metaPage) titleEvidence(s string) int {
	k := metaLooseKey(s)
	if k == "" {
		return 0
	}
	n := 0
	if strings.Contains(metaLooseKey(p.docTitle), k) {
		n++
	}
	for _, h := range p.heads {
		if h.Data == "h1" && metaLooseKey(metaNodeText(h)) == k {
			n++
			break
		}
	}
	return n
}

// dcTitle returns the Dublin Core title, which Readability trusts over
// OpenGraph, when it shares a word with <title>: CMS templates often leave
// DC.title at a site-wide value ("Pressemeldungen des …verbandes").
func (p *metaPage) dcTitle() string {
	s := p.tag("dc.title", "dc:title", "dcterms.title", "dcterm:title")
	if s == "" || p.docTitle == "" {
		return s
	}
	doc := metaWords(p.docTitle)
	for w := range metaWords(s) {
		if doc[w] {
			return s
		}
	}
	return ""
}

// ---- URL, site, title, description, language ----

func (p *metaPage) absURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || strings.HasPrefix(raw, "#") {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if p.base != nil {
		if strings.HasPrefix(raw, "//") && p.base.Scheme != "http" && p.base.Scheme != "https" {
			u.Scheme = "https"
		} else {
			u = p.base.ResolveReference(u)
		}
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}
