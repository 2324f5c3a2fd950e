package bench

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	readability "github.com/go-shiori/go-readability"
	htmldate "github.com/markusmobius/go-htmldate"
	trafilatura "github.com/markusmobius/go-trafilatura"

	"github.com/reviewpipe/reviewpipe/extract"
	"github.com/reviewpipe/reviewpipe/internal/dates"
	"github.com/reviewpipe/reviewpipe/internal/evalscore"
	"github.com/reviewpipe/reviewpipe/internal/record"
)

// Page is one benchmark input, already decompressed. Extractors must not
// modify or retain Body.
type Page struct {
	URL       string
	Body      []byte
	FetchedAt time.Time
}

// Output is what an extractor found on a page, reduced to what the
// benchmark scores.
type Output struct {
	// Body is the plain-text article body.
	Body  string
	Title string
	// Authors are the extracted author names or bylines.
	Authors []string
	// Days are the calendar days (YYYY-MM-DD) the extractor's publication
	// date may stand for: the day in the zone it was written in and in UTC.
	Days []string
}

// Extractor is one contestant. Extract must be safe for concurrent use. An
// error means the extractor produced nothing for the page (a rejection or a
// failure); the benchmark scores it as an empty body.
type Extractor interface {
	Name() string
	Extract(ctx context.Context, p Page) (Output, error)
}

// Extractors returns the contestants in table order.
func Extractors() ([]Extractor, error) {
	ours, err := NewReviewpipe()
	if err != nil {
		return nil, err
	}
	return []Extractor{
		ours,
		Trafilatura{},
		Trafilatura{Fallback: true},
		Readability{},
		HTMLDate{},
	}, nil
}

// DateOnly is implemented by contestants that find only the publication
// date: the benchmark scores their dates and nothing else.
type DateOnly interface {
	DateOnly()
}

// Reviewpipe runs this repository's extractor and parses its raw date with
// the transform stage's date parser.
type Reviewpipe struct {
	ex *extract.Extractor
}

// NewReviewpipe returns the reviewpipe contestant with the default config.
func NewReviewpipe() (*Reviewpipe, error) {
	ex, err := extract.New(extract.DefaultConfig(), nil)
	if err != nil {
		return nil, fmt.Errorf("creating reviewpipe extractor: %w", err)
	}
	return &Reviewpipe{ex: ex}, nil
}

// Name implements Extractor.
func (*Reviewpipe) Name() string { return "reviewpipe" }

// Extract implements Extractor.
func (r *Reviewpipe) Extract(ctx context.Context, p Page) (Output, error) {
	rev, err := r.ex.Extract(ctx, &record.Page{URL: p.URL, Body: p.Body, FetchedAt: p.FetchedAt})
	if err != nil {
		return Output{}, err
	}
	out := Output{Body: rev.Body, Title: record.Deref(rev.Title), Authors: rev.Authors}
	if raw := record.Deref(rev.PublishedRaw); raw != "" {
		if d, ok := evalscore.WrittenDay(raw); ok {
			out.Days = append(out.Days, d)
		}
		if t, _, ok := dates.Parse(raw, p.FetchedAt, time.UTC); ok {
			out.Days = append(out.Days, t.UTC().Format(time.DateOnly))
		}
	}
	return out, nil
}

// Trafilatura runs go-trafilatura with comments excluded, as its own
// comparison does, with or without its readability/dom-distiller fallback.
type Trafilatura struct {
	Fallback bool
}

// Name implements Extractor.
func (t Trafilatura) Name() string {
	if t.Fallback {
		return "go-trafilatura+fallback"
	}
	return "go-trafilatura"
}

// Extract implements Extractor.
func (t Trafilatura) Extract(_ context.Context, p Page) (Output, error) {
	u, _ := url.Parse(p.URL)
	res, err := trafilatura.Extract(bytes.NewReader(p.Body), trafilatura.Options{
		OriginalURL:     u,
		EnableFallback:  t.Fallback,
		ExcludeComments: true,
	})
	if err != nil {
		return Output{}, err
	}
	out := Output{Body: res.ContentText, Title: res.Metadata.Title}
	for _, a := range strings.Split(res.Metadata.Author, ";") {
		if a = strings.TrimSpace(a); a != "" {
			out.Authors = append(out.Authors, a)
		}
	}
	out.Days = days(res.Metadata.Date)
	return out, nil
}

// HTMLDate runs go-htmldate, the date finder go-trafilatura uses, on its
// own: the original (publication) date, extensive search on, as
// go-trafilatura calls it. It is the bar issue 13 set for our dates.
type HTMLDate struct{}

// Name implements Extractor.
func (HTMLDate) Name() string { return "go-htmldate" }

// DateOnly implements DateOnly.
func (HTMLDate) DateOnly() {}

// Extract implements Extractor.
func (HTMLDate) Extract(_ context.Context, p Page) (Output, error) {
	res, err := htmldate.FromReader(bytes.NewReader(p.Body), htmldate.Options{URL: p.URL, UseOriginalDate: true, MaxDate: p.FetchedAt})
	if err != nil {
		return Output{}, err
	}
	return Output{Days: days(res.DateTime)}, nil
}

// Readability runs go-readability.
type Readability struct{}

// Name implements Extractor.
func (Readability) Name() string { return "go-readability" }

// Extract implements Extractor.
func (Readability) Extract(_ context.Context, p Page) (Output, error) {
	u, _ := url.Parse(p.URL)
	art, err := readability.FromReader(bytes.NewReader(p.Body), u)
	if err != nil {
		return Output{}, err
	}
	out := Output{Body: art.TextContent, Title: art.Title}
	if art.Byline != "" {
		out.Authors = []string{art.Byline}
	}
	if art.PublishedTime != nil {
		out.Days = days(*art.PublishedTime)
	}
	return out, nil
}

// days returns t's calendar day in its own zone and in UTC.
func days(t time.Time) []string {
	if t.IsZero() {
		return nil
	}
	d := []string{t.Format(time.DateOnly)}
	if u := t.UTC().Format(time.DateOnly); u != d[0] {
		d = append(d, u)
	}
	return d
}

// SafeExtract calls e.Extract and turns a panic into an error that names
// the page; panicked reports whether it did.
func SafeExtract(ctx context.Context, e Extractor, p Page) (out Output, panicked bool, err error) {
	defer func() {
		if v := recover(); v != nil {
			out, panicked, err = Output{}, true, fmt.Errorf("%s panicked on %q: %v", e.Name(), p.URL, v)
		}
	}()
	out, err = e.Extract(ctx, p)
	return out, false, err
}
