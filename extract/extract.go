// Package extract turns a raw HTML page into a review record: the article
// body without boilerplate, and the metadata the page offers (title,
// authors, dates, site name, language, canonical URL, comments).
package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// Name identifies this extractor and its version in the extractor column,
// so that rows from different extractor versions can be told apart.
const Name = "reviewpipe/1"

// Extractor is the goquery-based extractor. It is safe for concurrent use:
// its config and compiled rules are read-only, and all per-page state
// lives on the stack of Extract.
type Extractor struct {
	cfg   Config
	rules siteRules
	log   *slog.Logger
}

// parserDepthError is how golang.org/x/net/html reports a document nested
// past its limit of 512 open elements; it exports no error value for it.
const parserDepthError = "open stack of elements exceeds"

// New returns an Extractor for a validated cfg.
func New(cfg Config, log *slog.Logger) (*Extractor, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rules, err := compileRules(cfg.Sites)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Extractor{cfg: cfg, rules: rules, log: log.With("component", "extract")}, nil
}

// Extract builds a review from p. A page that is not usable HTML, holds no
// article text or takes longer than the configured deadline yields a
// *record.RejectError; p is not retained after Extract returns, except by
// an extraction abandoned at its deadline, which finishes in the
// background.
func (e *Extractor) Extract(ctx context.Context, p *record.Page) (*record.Review, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if e.cfg.MaxPageBytes > 0 && int64(len(p.Body)) > int64(e.cfg.MaxPageBytes) {
		return nil, record.Rejectf(record.ReasonTooLarge, "%d bytes exceeds max_page_bytes %s", len(p.Body), e.cfg.MaxPageBytes)
	}
	if e.cfg.Deadline <= 0 {
		return e.extract(ctx, p)
	}
	// The heuristics are plain CPU work with no cancellation points inside,
	// so the deadline is enforced from outside: the caller gets its answer
	// on time and the worker moves on. The abandoned goroutine checks ctx
	// between phases and stops at the next one.
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, time.Duration(e.cfg.Deadline))
	defer cancel()
	timeout := func() error {
		return record.Rejectf(record.ReasonTimeout, "extraction took longer than the deadline of %s", e.cfg.Deadline)
	}
	type result struct {
		r   *record.Review
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- result{nil, &record.RejectError{Reason: record.ReasonPanic, Detail: fmt.Sprintf("%v\n%s", v, debug.Stack())}}
			}
		}()
		r, err := e.extract(ctx, p)
		done <- result{r, err}
	}()
	select {
	case res := <-done:
		if res.err != nil && parent.Err() == nil && errors.Is(res.err, context.DeadlineExceeded) {
			return nil, timeout() // the work noticed the deadline first
		}
		return res.r, res.err
	case <-ctx.Done():
		if err := parent.Err(); err != nil {
			return nil, err
		}
		return nil, timeout()
	}
}

// extract does the work of Extract, checking ctx between phases.
func (e *Extractor) extract(ctx context.Context, p *record.Page) (*record.Review, error) {
	doc, err := parsePage(p)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rule := e.rules.match(pageHost(doc, p.URL))
	if rule != nil {
		rule.removeAll(doc)
	}
	m := extractMeta(doc, p.URL)
	var misses []string
	if rule != nil {
		misses = rule.applyMeta(doc, &m)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	spoilers := spoilerBlock(doc)
	// Infobox facts are read only on pages that may name an item (most
	// pages are not reviews, and reading every short line costs a tenth of
	// an extraction); they must be read before the body prunes the lines.
	head := headlineItemOf(m.Title)
	var facts []record.Fact
	if m.ItemName != "" || head.name != "" {
		facts = itemFacts(doc)
	}
	b, bodyMissed := e.body(doc, rule, &m)
	if bodyMissed {
		misses = append(misses, "body")
	}
	if strings.TrimSpace(b.Text) == "" {
		return nil, record.Rejectf(record.ReasonNoBody, "no article text found")
	}
	kind := m.decideReview(head, b.Text, facts, p.FetchedAt)
	r := m.review(p, b, kind)
	r.HasSpoilerWarning = spoilers || spoilerText(b.Text)
	r.ItemFacts = itemFactsFor(m, facts)
	r.RuleFallbacks = misses
	return r, nil
}

// parsePage decodes and parses the page's bytes: UTF-16 first (all NUL
// bytes to the sniffer), then the sniffer's checks on the bytes as they
// came (binary data is not decoded), then the declared or sniffed charset.
func parsePage(p *record.Page) (*goquery.Document, error) {
	raw := p.Body
	utf16 := bytes.HasPrefix(raw, []byte("\xff\xfe")) || bytes.HasPrefix(raw, []byte("\xfe\xff"))
	if utf16 {
		raw, _ = toUTF8(raw, p.ContentType)
	}
	var spans []span
	raw, err := sniffHTML(raw, p.ContentType, &spans)
	if err != nil {
		return nil, err
	}
	raw = stripSpans(raw, spans)
	if !utf16 {
		raw, _ = toUTF8(raw, p.ContentType)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(raw))
	if err != nil {
		if strings.Contains(err.Error(), parserDepthError) {
			return nil, record.Rejectf(record.ReasonTooDeep, "elements nested deeper than the HTML parser's limit of 512")
		}
		return nil, fmt.Errorf("parsing html: %w", err)
	}
	return doc, nil
}

// body returns the article text: the site rule's selection, else the
// heuristics; missed says a rule's body selector found nothing.
func (e *Extractor) body(doc *goquery.Document, rule *compiledRule, m *meta) (b body, missed bool) {
	opts := bodyOptions{Markdown: e.cfg.Markdown}
	if nodes := rule.bodyNodesOrNil(doc); len(nodes) > 0 {
		b = renderNodes(nodes, opts)
		b.Comments = findComments(doc.Get(0))
	}
	if strings.TrimSpace(b.Text) != "" {
		return b, false
	}
	return extractBody(doc, m, opts), rule != nil && rule.body != nil
}

// headlineItem is what itemFromTitle reads from the headline.
type headlineItem struct {
	name   string
	year   *int32
	review bool // the headline says it is a review ("X review")
}

func headlineItemOf(title string) headlineItem {
	n, y, r := itemFromTitle(title)
	return headlineItem{n, y, r}
}

// decideReview settles the page's kind once the text is known, and with
// it the review's own fields: a headline item the text bears out, a
// rating stated in the text, and the item's missing parts; on a page that
// is not a review they are cleared.
func (m *meta) decideReview(head headlineItem, text string, facts []record.Fact, fetched time.Time) string {
	if m.ItemName == "" && head.name != "" {
		// A headline's quoted title or "Name (2014)" is an item only when
		// the text reads as a review of some kind of thing; "… Review"
		// says so itself.
		if typ := itemTypeBeside(m.Title, head.name, text); head.review || typ != "" {
			m.ItemName, m.ItemType, m.ItemYear = head.name, typ, head.year
			m.sources.set(fieldItemName, SourceHeadline, true)
			m.sources.set(fieldItemType, SourceText, typ != "")
			m.sources.set(fieldItemYear, SourceHeadline, head.year != nil)
		}
	}
	if m.RatingRaw == "" {
		if rt, ok := textRating(text); ok {
			m.setRating(rt, SourceText)
		}
	}
	// The headline names the item when "X review" says so, or when the
	// text reads as a review of the kind of thing its quoted title or
	// "Name (2013)" names (accepted above).
	headItem := head.name != "" && m.ItemName == head.name
	m.kind.reviewText = mentionsReviewUnit(text)
	kind := m.kind.decide(m.RatingRaw != "", headItem)
	if kind != KindReview {
		// Rating and item are a review's own: a roundup's scores, a
		// recipe's or shop's user ratings are not the page's verdict.
		m.RatingRaw, m.RatingValue, m.RatingBest, m.RatingWorst = "", nil, nil, nil
		m.ItemName, m.ItemType, m.ItemYear = "", "", nil
		for _, f := range []string{fieldRating, fieldItemName, fieldItemType, fieldItemYear} {
			m.sources.set(f, "", false)
		}
	} else {
		m.completeItem(text, facts, fetched)
	}
	return kind
}

// review builds the record from the decided fields.
func (m *meta) review(p *record.Page, b body, kind string) *record.Review {
	r := &record.Review{
		URL:              p.URL,
		CanonicalURL:     record.Str(m.CanonicalURL),
		SiteName:         record.Str(m.SiteName),
		Title:            record.Str(m.Title),
		Authors:          m.Authors,
		PublishedRaw:     record.Str(m.Published),
		ModifiedRaw:      m.Modified,
		FetchedAt:        p.FetchedAt,
		Description:      record.Str(m.Description),
		Body:             b.Text,
		PageKind:         kind,
		IsReview:         kind == KindReview,
		BodyMarkdown:     record.Str(b.Markdown),
		RatingRaw:        record.Str(m.RatingRaw),
		RatingValue:      m.RatingValue,
		RatingBest:       m.RatingBest,
		RatingWorst:      m.RatingWorst,
		UserRatingValue:  m.UserRatingValue,
		UserRatingBest:   m.UserRatingBest,
		UserRatingWorst:  m.UserRatingWorst,
		UserRatingCount:  m.UserRatingCount,
		ItemName:         record.Str(m.ItemName),
		ItemType:         record.Str(m.ItemType),
		ItemYear:         m.ItemYear,
		Comments:         b.Comments,
		CommentCount:     int32(len(b.Comments)),
		FieldSources:     m.sources.list(),
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
	return r
}

// itemFactsFor keeps the infobox facts only on pages about an item: on
// others "Address:" and "Price:" lines are shop and footer text.
func itemFactsFor(m meta, facts []record.Fact) []record.Fact {
	if m.ItemName == "" || len(facts) == 0 {
		return nil
	}
	return facts
}
