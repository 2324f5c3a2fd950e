package crawl

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html/charset"
)

// xmlLinks is what a sitemap or feed lists: pages, and for a sitemap
// index, further sitemaps.
type xmlLinks struct {
	Pages    []string
	Sitemaps []string
}

// parseXMLLinks reads a sitemap (urlset), a sitemap index, an RSS feed or
// an Atom feed; kind names the root element it found.
func parseXMLLinks(body []byte) (links xmlLinks, kind string, err error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.CharsetReader = charset.NewReaderLabel
	dec.Strict = false
	var stack []string
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return links, kind, fmt.Errorf("XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if kind == "" {
				switch name {
				case "urlset", "sitemapindex", "rss", "feed", "rdf":
					kind = name
				default:
					return links, name, fmt.Errorf("root element <%s> is no sitemap, RSS or Atom feed", t.Name.Local)
				}
			}
			stack = append(stack, name)
			text.Reset()
			if name == "link" && kind == "feed" {
				rel, href := "alternate", ""
				for _, a := range t.Attr {
					switch strings.ToLower(a.Name.Local) {
					case "rel":
						rel = strings.ToLower(a.Value)
					case "href":
						href = a.Value
					}
				}
				if href != "" && rel == "alternate" && parentIs(stack, "entry") {
					links.Pages = append(links.Pages, strings.TrimSpace(href))
				}
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			name := strings.ToLower(t.Name.Local)
			v := strings.TrimSpace(text.String())
			switch {
			case name == "loc" && parentIs(stack, "url"):
				links.Pages = append(links.Pages, v)
			case name == "loc" && parentIs(stack, "sitemap"):
				links.Sitemaps = append(links.Sitemaps, v)
			case name == "link" && (kind == "rss" || kind == "rdf") && parentIs(stack, "item") && v != "":
				links.Pages = append(links.Pages, v)
			}
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			text.Reset()
		}
	}
	if kind == "" {
		return links, "", fmt.Errorf("empty XML document")
	}
	return links, kind, nil
}

// parentIs reports whether the element below the top of stack is name.
func parentIs(stack []string, name string) bool {
	return len(stack) >= 2 && stack[len(stack)-2] == name
}
