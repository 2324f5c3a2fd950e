package crawl

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"

	"github.com/reviewpipe/reviewpipe/internal/confval"
)

// WebConfig configures the `crawl` source, which fetches pages from the
// web with colly: from seed URLs, sitemaps and feeds, following links by
// rules, politely by default.
type WebConfig struct {
	// Seeds are the URLs the crawl starts from.
	Seeds []string `yaml:"seeds"`
	// Sitemaps are sitemap.xml URLs (urlset or sitemap index, .xml.gz too);
	// every page they list is a review page candidate.
	Sitemaps []string `yaml:"sitemaps"`
	// Feeds are RSS or Atom feed URLs whose item links are crawled.
	Feeds []string `yaml:"feeds"`
	// RobotsSitemaps reads the Sitemap: lines of each host's robots.txt.
	RobotsSitemaps bool `yaml:"robots_sitemaps"`
	// Hosts limits the crawl to these hosts (host or host:port); empty
	// means the hosts of the seeds, sitemaps and feeds.
	Hosts []string `yaml:"hosts"`
	// Follow says which links are crawled.
	Follow FollowConfig `yaml:"follow"`
	// ReviewPages are regular expressions over the normalized URL: pages
	// matching one are emitted for extraction, the others are only read
	// for links. Empty means every HTML page is emitted.
	ReviewPages []string `yaml:"review_pages"`
	// MaxDepth is how many links away from a seed the crawl goes (sitemap
	// and feed entries count as seeds); 0 is no limit, since a review
	// list's pagination is as deep as the site is old.
	MaxDepth int `yaml:"max_depth"`
	// MaxPages stops the crawl after this many fetched URLs; 0 is no limit.
	MaxPages int `yaml:"max_pages"`

	Politeness PolitenessConfig `yaml:"politeness"`

	// Frontier is where the frontier and state live: the local state
	// file, or Redis shared by several worker processes.
	Frontier FrontierConfig `yaml:"frontier"`

	// Timeout ends a request, body included, that takes longer.
	Timeout confval.Duration `yaml:"timeout"`
	// MaxBodyBytes fails a response whose body, after decompression, is
	// larger.
	MaxBodyBytes confval.ByteSize `yaml:"max_body_bytes"`
	// MaxAttempts is how often a URL is tried on 429, 5xx and network
	// errors; the waits between grow from RetryBase, doubling, to RetryMax.
	MaxAttempts int              `yaml:"max_attempts"`
	RetryBase   confval.Duration `yaml:"retry_base"`
	RetryMax    confval.Duration `yaml:"retry_max"`
	// MaxRetryAfter caps the wait a Retry-After header may ask for; a
	// longer one fails the URL instead of stalling the run.
	MaxRetryAfter confval.Duration `yaml:"max_retry_after"`
	// MaxRedirects is how many redirects a request follows.
	MaxRedirects int `yaml:"max_redirects"`
	// MaxURLBytes is the longest normalized URL the crawler queues; a
	// longer link is logged as skipped and not followed.
	MaxURLBytes confval.ByteSize `yaml:"max_url_bytes"`
	// ContentTypes are the media types emitted for extraction.
	ContentTypes []string `yaml:"content_types"`
	// StripParams are query parameters dropped from URLs ("utm_*" is a
	// prefix pattern); the others are sorted.
	StripParams []string `yaml:"strip_params"`
	// AllowPrivateNetworks lets the crawler connect to loopback, private,
	// link-local and metadata addresses, which it refuses by default.
	AllowPrivateNetworks bool `yaml:"allow_private_networks"`
	// State is the crawl state file (bbolt): per URL its validators and
	// content hash for conditional requests, and the frontier of a run in
	// progress, so a killed run resumes. Empty puts it in the first
	// sink's folder as _state/crawl.db.
	State string `yaml:"state"`
	// Workers is the number of requests in flight over all hosts.
	Workers int `yaml:"workers"`
}

// FollowConfig selects the links the crawler follows.
type FollowConfig struct {
	// Allow are regular expressions a link's normalized URL must match
	// (one of them); empty allows every link on the crawled hosts.
	Allow []string `yaml:"allow"`
	// Deny are regular expressions that exclude a link.
	Deny []string `yaml:"deny"`
	// Scopes are CSS selectors of the page parts links are taken from
	// (".review-list, .pagination"); empty means the whole page.
	Scopes []string `yaml:"scopes"`
}

// PolitenessConfig is how the crawler treats the sites it visits.
type PolitenessConfig struct {
	// ObeyRobots obeys robots.txt Disallow and Crawl-delay.
	ObeyRobots bool `yaml:"obey_robots"`
	// Delay is the minimum gap between two requests to one host, raised
	// by a longer Crawl-delay.
	Delay confval.Duration `yaml:"delay"`
	// Jitter adds a random 0..Jitter to each gap.
	Jitter confval.Duration `yaml:"jitter"`
	// PerHost is how many requests one host gets at a time.
	PerHost int `yaml:"per_host"`
	// UserAgent is sent with every request; "{contact}" becomes Contact.
	UserAgent string `yaml:"user_agent"`
	// Contact is a URL or mail address where site owners reach the
	// crawl's operator; required.
	Contact string `yaml:"contact"`
}

// defaultMaxURLBytes is longer than any link a site means people to
// follow (the sitemap protocol caps URLs at 2,048 characters, browsers and
// CDNs near 8 KB), so only generated junk — session blobs, links that
// repeat a path forever, data URLs — is left out.
const defaultMaxURLBytes = 4 << 10

// minMaxURLBytes keeps max_url_bytes from excluding ordinary URLs.
const minMaxURLBytes = 256

// DefaultWebConfig returns the `crawl` source defaults.
func DefaultWebConfig() WebConfig {
	return WebConfig{
		RobotsSitemaps: true,
		Politeness: PolitenessConfig{
			ObeyRobots: true,
			Delay:      confval.Duration(time.Second),
			Jitter:     confval.Duration(250 * time.Millisecond),
			PerHost:    1,
			UserAgent:  "reviewpipe/1 (+{contact})",
		},
		Timeout:       confval.Duration(30 * time.Second),
		MaxBodyBytes:  10 << 20,
		MaxAttempts:   4,
		RetryBase:     confval.Duration(time.Second),
		RetryMax:      confval.Duration(time.Minute),
		MaxRetryAfter: confval.Duration(10 * time.Minute),
		MaxRedirects:  10,
		MaxURLBytes:   defaultMaxURLBytes,
		ContentTypes:  []string{"text/html", "application/xhtml+xml"},
		StripParams:   append([]string(nil), DefaultStripParams...),
		Workers:       16,
		Frontier:      FrontierConfig{Type: frontierLocal, Lease: confval.Duration(defaultLease)},
	}
}

// Validate reports every invalid field as a *confval.FieldError.
func (c WebConfig) Validate() error {
	var errs []error
	if len(c.Seeds)+len(c.Sitemaps)+len(c.Feeds) == 0 {
		errs = append(errs, confval.Errorf("seeds", "give at least one of seeds, sitemaps or feeds"))
	}
	for _, list := range []struct {
		name string
		urls []string
	}{{"seeds", c.Seeds}, {"sitemaps", c.Sitemaps}, {"feeds", c.Feeds}} {
		for i, u := range list.urls {
			if _, err := NormalizeURL(u, nil); err != nil {
				errs = append(errs, confval.Errorf(fmt.Sprintf("%s[%d]", list.name, i), "%v", err))
			}
		}
	}
	for i, h := range c.Hosts {
		if strings.TrimSpace(h) == "" || strings.ContainsAny(h, "/ ") {
			errs = append(errs, confval.Errorf(fmt.Sprintf("hosts[%d]", i), "must be a host or host:port, got %q", h))
		}
	}
	errs = append(errs, regexpErrors("follow.allow", c.Follow.Allow)...)
	errs = append(errs, regexpErrors("follow.deny", c.Follow.Deny)...)
	errs = append(errs, regexpErrors("review_pages", c.ReviewPages)...)
	for i, s := range c.Follow.Scopes {
		if _, err := cascadia.ParseGroup(s); err != nil {
			errs = append(errs, confval.Errorf(fmt.Sprintf("follow.scopes[%d]", i), "bad CSS selector %q: %v", s, err))
		}
	}
	if c.MaxDepth < 0 {
		errs = append(errs, confval.Errorf("max_depth", "must not be negative, got %d", c.MaxDepth))
	}
	if c.MaxPages < 0 {
		errs = append(errs, confval.Errorf("max_pages", "must not be negative, got %d", c.MaxPages))
	}
	p := c.Politeness
	if p.Delay < 0 || p.Jitter < 0 {
		errs = append(errs, confval.Errorf("politeness.delay", "delay and jitter must not be negative"))
	}
	if p.PerHost < 1 {
		errs = append(errs, confval.Errorf("politeness.per_host", "must be at least 1, got %d", p.PerHost))
	}
	if strings.TrimSpace(p.UserAgent) == "" {
		errs = append(errs, confval.Errorf("politeness.user_agent", "must not be empty"))
	}
	if strings.TrimSpace(p.Contact) == "" {
		errs = append(errs, confval.Errorf("politeness.contact", "must give a URL or mail address where site owners reach you (it goes into the User-Agent)"))
	}
	if c.Timeout <= 0 {
		errs = append(errs, confval.Errorf("timeout", "must be positive, got %s", c.Timeout))
	}
	for _, fe := range confval.FieldErrors(c.Frontier.Validate()) {
		errs = append(errs, confval.Errorf("frontier."+fe.Field, "%s", fe.Msg))
	}
	if c.MaxBodyBytes <= 0 {
		errs = append(errs, confval.Errorf("max_body_bytes", "must be positive, got %d", c.MaxBodyBytes))
	}
	if c.MaxAttempts < 1 {
		errs = append(errs, confval.Errorf("max_attempts", "must be at least 1, got %d", c.MaxAttempts))
	}
	if c.RetryBase <= 0 || c.RetryMax < c.RetryBase {
		errs = append(errs, confval.Errorf("retry_base", "retry_base must be positive and retry_max at least retry_base"))
	}
	if c.MaxRetryAfter < 0 {
		errs = append(errs, confval.Errorf("max_retry_after", "must not be negative"))
	}
	if c.MaxRedirects < 0 {
		errs = append(errs, confval.Errorf("max_redirects", "must not be negative, got %d", c.MaxRedirects))
	}
	if c.MaxURLBytes < minMaxURLBytes {
		errs = append(errs, confval.Errorf("max_url_bytes", "must be at least %d, got %d", minMaxURLBytes, c.MaxURLBytes))
	}
	if len(c.ContentTypes) == 0 {
		errs = append(errs, confval.Errorf("content_types", "must list at least one media type"))
	}
	if c.Workers < 1 {
		errs = append(errs, confval.Errorf("workers", "must be at least 1, got %d", c.Workers))
	}
	return errors.Join(errs...)
}

func regexpErrors(field string, exprs []string) []error {
	var errs []error
	for i, e := range exprs {
		if _, err := regexp.Compile(e); err != nil {
			errs = append(errs, confval.Errorf(fmt.Sprintf("%s[%d]", field, i), "bad regular expression %q: %v", e, err))
		}
	}
	return errs
}

func compileAll(exprs []string) []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(exprs))
	for i, e := range exprs {
		out[i] = regexp.MustCompile(e)
	}
	return out
}

func matchAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

func (c WebConfig) userAgent() string {
	return strings.ReplaceAll(c.Politeness.UserAgent, "{contact}", c.Politeness.Contact)
}
