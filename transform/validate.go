package transform

import (
	"context"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// validator rejects reviews that cannot be useful rows: no body text after
// normalization, or fewer words than configured.
type validator struct {
	minWords int
}

func (v validator) Apply(_ context.Context, r *record.Review) error {
	if r.Body == "" {
		return record.Rejectf(record.ReasonNoBody, "body is empty after normalization")
	}
	if r.WordCount < int64(v.minWords) {
		return record.Rejectf(record.ReasonInvalid, "body has %d words, min_words is %d", r.WordCount, v.minWords)
	}
	if r.URL == "" {
		return record.Rejectf(record.ReasonInvalid, "no url")
	}
	if r.FetchedAt.IsZero() {
		// Relative dates resolve against it and readers filter on it; a
		// zero time would read back as a date in the 18th century.
		return record.Rejectf(record.ReasonInvalid, "no fetch time")
	}
	return nil
}
