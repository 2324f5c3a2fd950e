package extract

import (
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// siteRules holds the compiled per-site rules. Selectors are compiled once
// at construction; they are read-only afterwards, so an Extractor stays
// safe for concurrent use.
type siteRules []compiledRule

type compiledRule struct {
	hosts     []string // lower case; a leading "*." means subdomains only
	body      cascadia.Selector
	remove    []cascadia.Selector
	title     cascadia.Selector
	author    cascadia.Selector
	published cascadia.Selector
	rating    cascadia.Selector
}

// compileRules compiles validated rules.
func compileRules(rules []SiteRule) (siteRules, error) {
	out := make(siteRules, 0, len(rules))
	compile := func(s string) (cascadia.Selector, error) {
		if s == "" {
			return nil, nil
		}
		return cascadia.Compile(s)
	}
	for _, r := range rules {
		c := compiledRule{}
		for _, h := range r.Hosts {
			c.hosts = append(c.hosts, strings.ToLower(strings.TrimSuffix(h, ".")))
		}
		var err error
		for _, f := range []struct {
			dst *cascadia.Selector
			src string
		}{{&c.body, r.Body}, {&c.title, r.Title}, {&c.author, r.Author}, {&c.published, r.Published}, {&c.rating, r.Rating}} {
			if *f.dst, err = compile(f.src); err != nil {
				return nil, err
			}
		}
		for _, s := range r.Remove {
			sel, err := compile(s)
			if err != nil {
				return nil, err
			}
			c.remove = append(c.remove, sel)
		}
		out = append(out, c)
	}
	return out, nil
}

// match returns the first rule for host, or nil.
func (rs siteRules) match(host string) *compiledRule {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "" {
		return nil
	}
	for i := range rs {
		for _, h := range rs[i].hosts {
			if sub, ok := strings.CutPrefix(h, "*."); ok {
				if strings.HasSuffix(host, "."+sub) {
					return &rs[i]
				}
			} else if host == h || strings.HasSuffix(host, "."+h) {
				return &rs[i]
			}
		}
	}
	return nil
}

// pageHost is the host rules are matched against: the page's URL, or,
// for saved files without a web address, the URL the page declares.
func pageHost(doc *goquery.Document, pageURL string) string {
	if u, err := url.Parse(pageURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	for _, sel := range []string{`link[rel="canonical"]`, `meta[property="og:url"]`} {
		s := doc.Find(sel).First()
		v, _ := s.Attr("href")
		if v == "" {
			v, _ = s.Attr("content")
		}
		if u, err := url.Parse(strings.TrimSpace(v)); err == nil && u.Hostname() != "" {
			return u.Hostname()
		}
	}
	return ""
}

// removeAll deletes what the rule's remove selectors match.
func (c *compiledRule) removeAll(doc *goquery.Document) {
	for _, sel := range c.remove {
		doc.FindMatcher(sel).Remove()
	}
}

// applyMeta overrides m's fields with what the rule's selectors find and
// returns the names of the selectors that found nothing.
func (c *compiledRule) applyMeta(doc *goquery.Document, m *meta) (misses []string) {
	if c.title != nil {
		if t := ruleText(doc.FindMatcher(c.title).First()); t != "" {
			m.Title = t
			m.sources.set(fieldTitle, SourceRule, true)
		} else {
			misses = append(misses, "title")
		}
	}
	if c.author != nil {
		var names []string
		doc.FindMatcher(c.author).Each(func(_ int, s *goquery.Selection) {
			if t := ruleText(s); t != "" {
				names = append(names, metaCleanAuthors(t, true)...)
			}
		})
		if len(names) > 0 {
			m.Authors = names
			m.sources.set(fieldAuthors, SourceRule, true)
		} else {
			misses = append(misses, "author")
		}
	}
	if c.published != nil {
		s := doc.FindMatcher(c.published).First()
		v := ""
		for _, a := range []string{"datetime", "content"} {
			if x, ok := s.Attr(a); ok && strings.TrimSpace(x) != "" {
				v = strings.TrimSpace(x)
				break
			}
		}
		if v == "" {
			v = ruleText(s)
		}
		if v != "" {
			m.Published = v
			m.sources.set(fieldPublished, SourceRule, true)
		} else {
			misses = append(misses, "published")
		}
	}
	if c.rating != nil {
		s := doc.FindMatcher(c.rating).First()
		raw := ruleText(s)
		if raw == "" {
			raw, _ = s.Attr("content")
		}
		if raw != "" {
			rt, _ := parseRating(raw)
			m.setRating(rt, SourceRule)
		} else {
			misses = append(misses, "rating")
		}
	}
	return misses
}

// bodyNodesOrNil is bodyNodes for a page that may have no rule.
func (c *compiledRule) bodyNodesOrNil(doc *goquery.Document) []*html.Node {
	if c == nil {
		return nil
	}
	return c.bodyNodes(doc)
}

// bodyNodes returns the elements the body selector picks, in page order;
// renderNodes skips those nested in another.
func (c *compiledRule) bodyNodes(doc *goquery.Document) []*html.Node {
	if c.body == nil {
		return nil
	}
	return doc.FindMatcher(c.body).Nodes
}

func ruleText(s *goquery.Selection) string {
	return strings.Join(strings.Fields(s.Text()), " ")
}
