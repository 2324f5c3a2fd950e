// Package extract turns a raw HTML page into a review record: the article
// body without boilerplate, and the metadata the page offers (title,
// authors, dates, site name, language, canonical URL, comments).
package extract

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// Name identifies this extractor and its version in the extractor column,
// so that rows from different extractor versions can be told apart.
const Name = "reviewpipe/1"

// Extractor is the goquery-based extractor. It is safe for concurrent use:
// all per-page state lives on the stack of Extract.
type Extractor struct {
	cfg Config
	log *slog.Logger
}

// New returns an Extractor for a validated cfg.
func New(cfg Config, log *slog.Logger) (*Extractor, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Extractor{cfg: cfg, log: log.With("component", "extract")}, nil
}

// Extract builds a review from p. A page that is not usable HTML or holds no
// article text yields a *record.RejectError; p is not retained.
func (e *Extractor) Extract(ctx context.Context, p *record.Page) (*record.Review, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if e.cfg.MaxPageBytes > 0 && int64(len(p.Body)) > int64(e.cfg.MaxPageBytes) {
		return nil, record.Rejectf(record.ReasonTooLarge, "%d bytes exceeds max_page_bytes %d", len(p.Body), e.cfg.MaxPageBytes)
	}
	if err := checkHTML(p.Body, p.ContentType); err != nil {
		return nil, err
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.Body))
	if err != nil {
		return nil, fmt.Errorf("parsing html: %w", err)
	}

	m := extractMeta(doc, p.URL)
	b := extractBody(doc, &m)
	if strings.TrimSpace(b.Text) == "" {
		return nil, record.Rejectf(record.ReasonNoBody, "no article text found")
	}

	r := &record.Review{
		URL:              p.URL,
		CanonicalURL:     record.Str(m.CanonicalURL),
		SiteName:         record.Str(m.SiteName),
		Title:            record.Str(m.Title),
		Authors:          m.Authors,
		PublishedRaw:     record.Str(m.Published),
		FetchedAt:        p.FetchedAt,
		Description:      record.Str(m.Description),
		Body:             b.Text,
		RatingRaw:        record.Str(m.RatingRaw),
		RatingValue:      m.RatingValue,
		RatingBest:       m.RatingBest,
		RatingWorst:      m.RatingWorst,
		ItemName:         record.Str(m.ItemName),
		ItemType:         record.Str(m.ItemType),
		ItemYear:         m.ItemYear,
		Comments:         b.Comments,
		CommentCount:     int32(len(b.Comments)),
		Extractor:        Name,
		Source:           p.Source,
		DeclaredLanguage: m.Language,
	}
	if m.CanonicalURL != "" {
		r.URL = m.CanonicalURL
	}
	if u, err := url.Parse(r.URL); err == nil {
		r.Site = record.Str(strings.ToLower(u.Hostname()))
	}
	return r, nil
}
