package crawl

import (
	"slices"
	"strings"
	"testing"

	"github.com/reviewpipe/reviewpipe/internal/confval"
)

func TestParseXMLLinks(t *testing.T) {
	tests := []struct {
		name, doc, kind string
		pages, maps     []string
		err             bool
	}{
		{"urlset", `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc> https://a/1 </loc><lastmod>2024-01-01</lastmod></url><url><loc>https://a/2</loc></url></urlset>`,
			"urlset", []string{"https://a/1", "https://a/2"}, nil, false},
		{"index", `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://a/s1.xml.gz</loc></sitemap></sitemapindex>`,
			"sitemapindex", nil, []string{"https://a/s1.xml.gz"}, false},
		{"rss", `<rss version="2.0"><channel><link>https://a/</link><item><title>x</title><link>https://a/r/1</link></item></channel></rss>`,
			"rss", []string{"https://a/r/1"}, nil, false},
		{"atom", `<feed xmlns="http://www.w3.org/2005/Atom"><link href="https://a/"/><entry><link rel="alternate" href="https://a/e/1"/><link rel="edit" href="https://a/edit/1"/></entry><entry><link href="https://a/e/2"/></entry></feed>`,
			"feed", []string{"https://a/e/1", "https://a/e/2"}, nil, false},
		{"latin-1 declared", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><urlset><url><loc>https://a/caf\xe9</loc></url></urlset>",
			"urlset", []string{"https://a/café"}, nil, false},
		{"html is no sitemap", `<html><body>hi</body></html>`, "html", nil, nil, true},
		{"empty", ``, "", nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			links, kind, err := parseXMLLinks([]byte(tt.doc))
			if (err != nil) != tt.err || kind != tt.kind || !slices.Equal(links.Pages, tt.pages) || !slices.Equal(links.Sitemaps, tt.maps) {
				t.Errorf("parseXMLLinks = %v %v %q, %v; want %v %v %q, error %v", links.Pages, links.Sitemaps, kind, err, tt.pages, tt.maps, tt.kind, tt.err)
			}
		})
	}
}

func TestWebConfigValidate(t *testing.T) {
	cfg := DefaultWebConfig()
	cfg.Seeds = []string{"ftp://x/"}
	cfg.Follow.Allow = []string{"("}
	cfg.Follow.Scopes = []string{"div["}
	cfg.Politeness.PerHost = 0
	cfg.MaxAttempts = 0
	err := cfg.Validate()
	var fields []string
	for _, fe := range confval.FieldErrors(err) {
		fields = append(fields, fe.Field)
	}
	want := []string{"seeds[0]", "follow.allow[0]", "follow.scopes[0]", "politeness.per_host", "politeness.contact", "max_attempts"}
	if !slices.Equal(fields, want) {
		t.Errorf("Validate fields = %v, want %v (%v)", fields, want, err)
	}
	ok := DefaultWebConfig()
	ok.Seeds = []string{"https://example.com/"}
	ok.Politeness.Contact = "mailto:ops@example.com"
	if err := ok.Validate(); err != nil {
		t.Errorf("Validate(defaults + seed + contact) = %v", err)
	}
	if !strings.Contains(ok.userAgent(), "mailto:ops@example.com") {
		t.Errorf("User-Agent %q lacks the contact", ok.userAgent())
	}
}

func FuzzParseXMLLinks(f *testing.F) {
	f.Add([]byte(`<urlset><url><loc>https://a/1</loc></url></urlset>`))
	f.Add([]byte(`<feed><entry><link href="x"/></entry></feed>`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		parseXMLLinks(doc) // must not panic or hang
	})
}
