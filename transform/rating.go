package transform

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// normalizeRating checks the rating's numbers and puts rating_value on the
// 0–1 scale. For the star and point scales reviews use (worst 0 or 1, or
// unstated) it is value / best: "4 of 5" is 0.8 whether or not the widget
// could show zero stars, so the same verdict lands on the same number on
// every site. Other scales (−5…+5) are mapped min–max: (value − worst) /
// (best − worst).
//
// Numbers a page cannot mean are no rating: a value or bound that is not a
// finite number (JSON-LD "NaN", "1e999"), a scale whose best is not above
// its worst ("1e999 out of 0"), a value outside its own scale. The numeric
// fields are then all null, rating_raw keeps what the page said, and the
// reason goes to r.Notes for the log, so no column ever holds NaN, ±Inf or
// a value its scale excludes.
func normalizeRating(_ context.Context, r *record.Review) error {
	var why string
	r.Rating, why = normalizeScale(r.RatingValue, r.RatingBest, r.RatingWorst)
	if why != "" {
		r.RatingValue, r.RatingBest, r.RatingWorst = nil, nil, nil
		r.Notes = append(r.Notes, "rating dropped: "+why)
	}
	r.UserRating, why = normalizeScale(r.UserRatingValue, r.UserRatingBest, r.UserRatingWorst)
	if why != "" {
		r.UserRatingCount = nil
		r.Notes = append(r.Notes, "user rating dropped: "+why)
	}
	return nil
}

// normalizeScale puts value on the 0–1 scale as normalizeRating explains,
// or says why the numbers are unusable ("" when they are fine or absent).
func normalizeScale(value, bestp, worstp *float64) (*float64, string) {
	if why := scaleProblem(value, bestp, worstp); why != "" || value == nil || bestp == nil {
		return nil, why
	}
	v, best, worst := *value, *bestp, 0.0
	if worstp != nil {
		worst = *worstp
	}
	n := (v - worst) / (best - worst)
	return &n, ""
}

// scaleProblem says why a rating's numbers are unusable, "" when they are
// fine or absent.
func scaleProblem(value, bestp, worstp *float64) string {
	for _, f := range []struct {
		name string
		v    *float64
	}{{"value", value}, {"best", bestp}, {"worst", worstp}} {
		if f.v != nil && !finite(*f.v) {
			return fmt.Sprintf("%s is %v", f.name, *f.v)
		}
	}
	if bestp == nil {
		return ""
	}
	best, worst := *bestp, 0.0
	if worstp != nil {
		worst = *worstp
	}
	// A scale may run downwards (school grades: 1 best, 6 worst); it
	// must not be empty.
	if best == worst {
		return fmt.Sprintf("scale %v to %v is empty", worst, best)
	}
	lo, hi := min(best, worst), max(best, worst)
	if value != nil && (*value < lo || *value > hi) {
		return fmt.Sprintf("value %v is outside its scale %v to %v", *value, worst, best)
	}
	return ""
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// Years an item_year may hold. Printed works start long before film, so
// the floor is generous; a release more than maxItemYearAhead years after
// the fetch is an id or a typo, not an announcement.
const (
	minItemYear      = 1000
	maxItemYearAhead = 10
)

// checkItemYear nulls an item_year no page can mean, with the reason in
// r.Notes.
func checkItemYear(_ context.Context, r *record.Review) error {
	if r.ItemYear != nil {
		now := r.FetchedAt
		if now.IsZero() {
			now = time.Now()
		}
		if y := int(*r.ItemYear); y < minItemYear || y > now.Year()+maxItemYearAhead {
			r.Notes = append(r.Notes, fmt.Sprintf("item_year dropped: %d is not a plausible year", y))
			r.ItemYear = nil
		}
	}
	return nil
}
