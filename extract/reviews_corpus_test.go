package extract

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/evalscore"
	"github.com/reviewpipe/reviewpipe/internal/record"
	"github.com/reviewpipe/reviewpipe/internal/testshared"
	"github.com/reviewpipe/reviewpipe/transform"
)

// reviewsCorpusFetch is the fetch time the corpus pages are read at: after
// every page's publication, so no date is refused as future.
var reviewsCorpusFetch = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// isoDay finds the day an ISO date states before any zone conversion.
var isoDay = regexp.MustCompile(`\b(\d{4}-\d{2}-\d{2})`)

// reviewsCorpusGot runs extract and the standard transforms on one page
// and puts the result in the truth's terms. A rejected page is no review.
func reviewsCorpusGot(t *testing.T, ex *Extractor, chain transform.Chain, path, pageURL string) (evalscore.ReviewGot, bool) {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p := &record.Page{URL: pageURL, Source: path, Body: body, FetchedAt: reviewsCorpusFetch}
	r, err := ex.Extract(context.Background(), p)
	if err == nil {
		err = chain.Apply(context.Background(), r)
	}
	if err != nil {
		t.Logf("rejected: %v", err)
		return evalscore.ReviewGot{}, false
	}
	g := evalscore.ReviewGot{
		IsReview: r.IsReview, PageKind: r.PageKind,
		Title: record.Deref(r.Title), Authors: r.Authors, Rating: r.Rating,
		ItemName: record.Deref(r.ItemName), ItemType: record.Deref(r.ItemType),
	}
	if r.ItemYear != nil {
		y := int(*r.ItemYear)
		g.ItemYear = &y
	}
	if r.PublishedAt != nil {
		g.Published = r.PublishedAt.UTC().Format("2006-01-02")
		// The truth gives the day as the publisher shows it; an ISO date
		// with an offset states that day before the UTC conversion.
		if m := isoDay.FindStringSubmatch(record.Deref(r.PublishedRaw)); m != nil {
			g.Published = m[1]
		}
	}
	return g, r.UserRating != nil
}

// TestReviewsCorpus scores the review fields on corpus/reviews by the
// rules of its README and prints every figure; reviewsCorpusFloors holds
// them.
func TestReviewsCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test skipped in -short mode")
	}
	s, userRated := scoreReviewPages(t, testshared.Path(t, "corpus", "reviews"))
	t.Logf("pages with a users' aggregate rating, by true page kind: %v", userRated)
	if userRated["recipe"] < 30 {
		t.Errorf("users' ratings on %d of the 40 recipes (each has an AggregateRating), want at least 30", userRated["recipe"])
	}
	checkReviewFloors(t, s)
}

// TestOwnReviewPages scores the same fields, by the same rules and floors,
// on the labelled pages of testdata/reviews: review and non-review pages
// written for this project in the templates of common publishing systems
// (WordPress, Blogger, Drupal, news sites with JSON-LD, shops, recipe
// sites, forums, indexes), in English, German, French and Spanish.
func TestOwnReviewPages(t *testing.T) {
	s, _ := scoreReviewPages(t, filepath.Join("testdata", "reviews"))
	checkReviewFloors(t, s)
}

// scoreReviewPages extracts every page of a labelled folder (truth.json
// and pages/) and scores it, logging each miss; it returns the score and
// the pages with a users' rating by true page kind.
func scoreReviewPages(t *testing.T, dir string) (*evalscore.ReviewScore, map[string]int) {
	t.Helper()
	truth, err := evalscore.LoadReviewTruth(dir)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := New(DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	chain, err := transform.Standard(transform.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var s evalscore.ReviewScore
	userRated := map[string]int{} // page kind → pages with a users' rating
	for _, want := range truth {
		t.Run(want.ID, func(t *testing.T) {
			got, userRating := reviewsCorpusGot(t, ex, chain, filepath.Join(dir, want.File), want.URL)
			if userRating {
				userRated[want.PageKind]++
			}
			s.Add(want, got)
			logReviewMisses(t, want, got)
		})
	}
	t.Logf("%s (%d pages): %s", dir, len(truth), s.Report())
	return &s, userRated
}

// logReviewMisses logs what the extractor got wrong on one page.
func logReviewMisses(t *testing.T, want evalscore.ReviewTruth, got evalscore.ReviewGot) {
	t.Helper()
	if want.Rating != nil && (got.Rating == nil || math.Abs(*got.Rating-want.Rating.Normalized) > 0.01) {
		t.Logf("rating %v, want %v (%s)", optFloat(got.Rating), want.Rating.Normalized, want.Rating.Raw)
	}
	if got.Rating != nil && (want.Rating == nil || !want.IsReview) {
		t.Logf("false rating %.3f (page kind %s)", *got.Rating, want.PageKind)
	}
	if got.PageKind != want.PageKind {
		t.Logf("page kind %s, want %s", got.PageKind, want.PageKind)
	}
	if w := want.Published; w != nil && got.Published != *w || w == nil && got.Published != "" {
		t.Logf("published %q, want %v", got.Published, optStr(want.Published))
	}
	if want.Item != nil {
		t.Logf("item %q %q %v, want %q %q %v", got.ItemName, got.ItemType, optYear(got.ItemYear), want.Item.Name, want.Item.Type, optYear(want.Item.Year))
	}
}

// checkReviewFloors fails the test for every field below its floor.
func checkReviewFloors(t *testing.T, s *evalscore.ReviewScore) {
	t.Helper()
	for field, floor := range reviewsCorpusFloors {
		if acc, _, _, ok := s.Ratio(field); ok && acc < floor {
			t.Errorf("%s accuracy %.3f below floor %.2f", field, acc, floor)
		}
	}
}

// reviewsCorpusFloors are issue 13's targets (is_review, rating found and
// no false rating, item name, type and year), and a little below the
// figures of 2026-12-04 elsewhere, so a change that loses ground fails. A
// year the item never had is as wrong as a missed one: "no false year"
// holds reviews whose truth states none.
var reviewsCorpusFloors = map[string]float64{
	"is_review": 0.95, "page_kind": 0.77, "rating found": 0.95, "no false rating": 0.98,
	"item name": 0.90, "item type": 0.90, "item year (stated)": 0.85, "no false year": 0.95,
	"title": 0.86, "authors": 0.70, "published": 0.83,
}

// deref shows an optional year in a log line.
func optYear(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// optStr shows an optional string in a log line.
func optStr(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

// optFloat shows an optional number in a log line.
func optFloat(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
