package crawl

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// FetchOne fetches one page with the crawl's rules — robots.txt, the user
// agent, timeouts, retries, size and content-type limits, the
// private-network guard — as a crawl of that URL alone that follows no
// link and keeps no state. A page that could not be had comes back with
// Err set, naming the URL and what the fetch log says of it.
func FetchOne(ctx context.Context, cfg WebConfig, rawURL string, log *slog.Logger) *record.Page {
	cfg.Seeds, cfg.Sitemaps, cfg.Feeds = []string{rawURL}, nil, nil
	cfg.RobotsSitemaps, cfg.ReviewPages, cfg.Hosts = false, nil, nil
	cfg.MaxPages, cfg.MaxDepth, cfg.Workers = 1, 1, 1
	if err := cfg.Validate(); err != nil {
		return &record.Page{URL: rawURL, Source: rawURL, Err: fmt.Errorf("%s: %w", rawURL, err)}
	}
	dir, err := os.MkdirTemp("", "reviewpipe-fetch-")
	if err != nil {
		return &record.Page{URL: rawURL, Source: rawURL, Err: err}
	}
	defer os.RemoveAll(dir)
	w, err := NewWeb(cfg, filepath.Join(dir, "crawl.db"), log)
	if err != nil {
		return &record.Page{URL: rawURL, Source: rawURL, Err: fmt.Errorf("%s: %w", rawURL, err)}
	}
	defer w.Close()
	var last record.Fetch
	w.SetFetchLog(func(f record.Fetch) { last = f })
	var page *record.Page
	err = w.Walk(ctx, func(p *record.Page) error {
		page = p
		return nil
	})
	if page != nil {
		return page
	}
	if err == nil || errors.Is(err, ErrNoInput) {
		why := last.Outcome
		if last.Error != nil {
			why += ": " + *last.Error
		}
		if last.Status > 0 {
			why += fmt.Sprintf(" (HTTP %d)", last.Status)
		}
		err = fmt.Errorf("no page: %s", why)
	}
	return &record.Page{URL: rawURL, Source: rawURL, Err: fmt.Errorf("fetching %s: %w", rawURL, err)}
}
