package crawl

import (
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsRules is one host's robots.txt, read once per run.
type robotsRules struct {
	once  sync.Once
	group *robotstxt.Group // nil: everything allowed
	delay time.Duration
	maps  []string
	err   error // why the file could not be read (then all is allowed)
}

func (r *robotsRules) allowed(path string) bool {
	return r.group == nil || r.group.Test(path)
}

// parseRobots interprets a robots.txt response the way robotstxt's
// FromStatusAndBytes does (4xx: all allowed, 5xx: all disallowed) for the
// user agent token agent.
func parseRobots(status int, body []byte, agent string) *robotsRules {
	rules := &robotsRules{}
	data, err := robotstxt.FromStatusAndBytes(status, body)
	if err != nil {
		rules.err = err
		return rules
	}
	rules.group = data.FindGroup(agent)
	if rules.group != nil {
		rules.delay = rules.group.CrawlDelay
	}
	rules.maps = data.Sitemaps
	return rules
}
