package extract

import (
	"net/url"
	"strings"

	"github.com/reviewpipe/reviewpipe/internal/dom"
	"github.com/reviewpipe/reviewpipe/internal/jsonld"
)

// maxLDDepth: nodes deeper than this are parts of parts (an offer's
// seller's address), never the page's own review or article.
const maxLDDepth = 4

// JSON-LD: what the field pickers ask of the objects internal/jsonld
// parsed once per page — the main object, its first value of some keys,
// its title, the body shipped in it.

// ldBody returns the longest articleBody or reviewBody of the JSON-LD
// objects, for pages that ship their whole text there.
func (p *metaPage) ldBody() string {
	best := ""
	for _, n := range p.ld.Nodes {
		for _, k := range []string{"articleBody", "reviewBody"} {
			if s, ok := n.Obj[k].(string); ok && len(s) > len(best) {
				best = s
			}
		}
	}
	return best
}

var (
	ldReviewTypes  = jsonld.Set("review", "criticreview", "userreview", "employerreview", "recommendation")
	ldArticleTypes = jsonld.Set("article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
		"opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle", "techarticle",
		"report", "socialmediaposting", "liveblogposting", "discussionforumposting", "posting", "creativework",
		"medicalscholarlyarticle", "satiricalarticle", "advertisercontentarticle", "howto", "recipe", "videoobject")
	ldPageTypes = jsonld.Set("webpage", "itempage", "aboutpage", "collectionpage", "medicalwebpage", "qapage", "faqpage")
	ldSiteTypes = jsonld.Set("website", "organization", "newsmediaorganization", "corporation", "localbusiness")
)

// ldMain returns the objects describing the article itself, best first:
// a review before an article before a web page, shallower before nested.
func (p *metaPage) ldMain() []map[string]any {
	var out []map[string]any
	for _, set := range []map[string]bool{ldReviewTypes, ldArticleTypes, ldPageTypes} {
		for depth := 0; depth < maxLDDepth; depth++ {
			for _, n := range p.ld.Nodes {
				if n.Depth == depth && jsonld.HasType(n.Obj, set) {
					out = append(out, n.Obj)
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
			if s := jsonld.String(p.ld.Resolve(obj[k])); s != "" {
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
		headline, name := jsonld.String(p.ld.Resolve(obj["headline"])), jsonld.String(p.ld.Resolve(obj["name"]))
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
		if h.Data == "h1" && metaLooseKey(dom.NodeText(h)) == k {
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
