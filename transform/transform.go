// Package transform normalizes extracted reviews: text, dates, language,
// identifiers, hashes and word counts, and validates the result. Each
// concern lives in its own file; Standard chains them in a fixed order.
package transform

import (
	"context"
	"errors"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// Transform edits r in place. Returning a *record.RejectError turns the
// review into a reject; returning ErrDrop filters it out silently (for
// deliberate filters only, never for bad data). Implementations must be
// safe for concurrent use.
type Transform interface {
	Apply(ctx context.Context, r *record.Review) error
}

// ErrDrop tells the runner to discard a review on purpose.
var ErrDrop = errors.New("transform: drop review")

// Func adapts a function to the Transform interface.
type Func func(ctx context.Context, r *record.Review) error

// Apply calls f.
func (f Func) Apply(ctx context.Context, r *record.Review) error { return f(ctx, r) }

// Chain applies transforms in order and stops at the first error.
type Chain []Transform

// Apply runs every transform of c on r.
func (c Chain) Apply(ctx context.Context, r *record.Review) error {
	for _, t := range c {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := t.Apply(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// Standard returns the default chain for cfg: text normalization, dates,
// language, rating scale, identity (ids, hashes, word count), then validation. The order
// matters: hashes and word counts are taken from the normalized body, and
// validation sees the final record.
func Standard(cfg Config) (Chain, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	loc, err := cfg.location()
	if err != nil {
		return nil, err
	}
	return Chain{
		Func(normalizeText),
		publishedDates{loc: loc},
		Func(normalizeLanguage),
		Func(normalizeRating),
		Func(checkItemYear),
		Func(identify),
		comments{loc: loc},
		validator{minWords: cfg.MinWords, required: cfg.Required, keepKinds: cfg.KeepKinds},
	}, nil
}
