package transform

import (
	"context"
	"math"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// normalizeRating puts rating_value on the 0–1 scale. For the star and
// point scales reviews use (worst 0 or 1, or unstated) it is value / best:
// "4 of 5" is 0.8 whether or not the widget could show zero stars, so the
// same verdict lands on the same number on every site. Other scales
// (−5…+5) are mapped min–max: (value − worst) / (best − worst). A value
// outside its own scale or a degenerate scale leaves rating null and keeps
// the raw fields, so the row still shows what the page said.
func normalizeRating(_ context.Context, r *record.Review) error {
	r.Rating = nil
	if r.RatingValue == nil || r.RatingBest == nil {
		return nil
	}
	v, best, worst := *r.RatingValue, *r.RatingBest, 0.0
	if r.RatingWorst != nil {
		worst = *r.RatingWorst
	}
	if !finite(v) || !finite(best) || !finite(worst) || best <= worst || v < worst || v > best {
		return nil
	}
	if worst == 1 {
		worst = 0
	}
	n := (v - worst) / (best - worst)
	r.Rating = &n
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
