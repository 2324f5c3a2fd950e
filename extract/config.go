package extract

import (
	"errors"
	"fmt"
	"strings"

	"github.com/andybalholm/cascadia"

	"github.com/reviewpipe/reviewpipe/internal/confval"
)

// Config holds the extractor's knobs.
type Config struct {
	// MaxPageBytes rejects pages larger than this (0: no limit).
	MaxPageBytes confval.ByteSize `yaml:"max_page_bytes"`
	// Deadline bounds the extraction of one page (0: no limit), so one
	// pathological page cannot stall a run; a page over it is rejected.
	Deadline confval.Duration `yaml:"deadline"`
	// Markdown also renders the body as Markdown, in body_markdown.
	Markdown bool `yaml:"markdown"`
	// Sites are per-site rules: CSS selectors that win over the heuristics
	// on the hosts they name.
	Sites []SiteRule `yaml:"sites"`
}

// SiteRule tells the extractor where things are on the pages of some
// hosts. Every selector is optional; one that matches nothing on a page
// falls back to the heuristics and is counted in the run summary, so a
// rule broken by a site redesign shows up instead of silently degrading.
type SiteRule struct {
	// Hosts the rule applies to: "example.com" matches that host and its
	// subdomains ("www.example.com"); "*.example.com" only subdomains.
	Hosts []string `yaml:"hosts"`
	// Body selects the article body; all matches are joined in page order.
	Body string `yaml:"body"`
	// Remove selects elements to delete before anything is extracted.
	Remove []string `yaml:"remove"`
	// Title, Author, Published and Rating select the elements holding those
	// fields. Author may match several elements, one per author. Published
	// reads a datetime or content attribute before the text.
	Title     string `yaml:"title"`
	Author    string `yaml:"author"`
	Published string `yaml:"published"`
	Rating    string `yaml:"rating"`
}

// DefaultConfig returns the extractor defaults.
func DefaultConfig() Config {
	return Config{MaxPageBytes: 16 << 20, Deadline: confval.Duration(10e9)}
}

// Validate reports every invalid field as a *confval.FieldError.
func (c Config) Validate() error {
	var errs []error
	if c.MaxPageBytes < 0 {
		errs = append(errs, confval.Errorf("max_page_bytes", "must not be negative, got %d", c.MaxPageBytes))
	}
	if c.Deadline < 0 {
		errs = append(errs, confval.Errorf("deadline", "must not be negative, got %s", c.Deadline))
	}
	for i, s := range c.Sites {
		prefix := fmt.Sprintf("sites[%d]", i)
		if len(s.Hosts) == 0 {
			errs = append(errs, confval.Errorf(prefix+".hosts", "must name at least one host"))
		}
		for j, h := range s.Hosts {
			if h = strings.TrimPrefix(h, "*."); h == "" || strings.ContainsAny(h, "/:* ") {
				errs = append(errs, confval.Errorf(fmt.Sprintf("%s.hosts[%d]", prefix, j), "want a host name such as example.com or *.example.com, got %q", s.Hosts[j]))
			}
		}
		check := func(field, sel string) {
			if sel == "" {
				return
			}
			if _, err := cascadia.ParseGroup(sel); err != nil {
				errs = append(errs, confval.Errorf(prefix+"."+field, "invalid CSS selector %q: %v", sel, err))
			}
		}
		check("body", s.Body)
		for j, r := range s.Remove {
			check(fmt.Sprintf("remove[%d]", j), r)
		}
		check("title", s.Title)
		check("author", s.Author)
		check("published", s.Published)
		check("rating", s.Rating)
		if s.Body == "" && len(s.Remove) == 0 && s.Title == "" && s.Author == "" && s.Published == "" && s.Rating == "" {
			errs = append(errs, confval.Errorf(prefix, "sets no selector: give at least one of body, remove, title, author, published, rating"))
		}
	}
	return errors.Join(errs...)
}
