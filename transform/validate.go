package transform

import (
	"context"
	"slices"
	"strings"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// The years a fetch time may hold: no page was fetched before the web,
// and RFC 3339 (the JSON Lines sink's timestamps) ends with 9999.
const (
	minFetchYear     = 1990
	maxTimestampYear = 9999
)

// validator rejects reviews that cannot be useful rows: no body text after
// normalization, or fewer words than configured.
type validator struct {
	minWords  int
	required  []string
	keepKinds []string
}

func (v validator) Apply(_ context.Context, r *record.Review) error {
	if len(v.keepKinds) > 0 && !slices.Contains(v.keepKinds, r.PageKind) {
		return record.Rejectf(record.ReasonKind, "page_kind %s is not in transform.keep_kinds", r.PageKind)
	}
	if r.Body == "" {
		return record.Rejectf(record.ReasonNoBody, "body is empty after normalization")
	}
	if r.WordCount < int64(v.minWords) {
		return record.Rejectf(record.ReasonInvalid, "body has %d words, min_words is %d", r.WordCount, v.minWords)
	}
	if r.URL == "" {
		return record.Rejectf(record.ReasonInvalid, "no url")
	}
	var missing []string
	for _, f := range v.required {
		if !present(r, f) {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return record.Rejectf(record.ReasonInvalid, "missing required %s", strings.Join(missing, ", "))
	}
	if r.FetchedAt.IsZero() {
		// Relative dates resolve against it and readers filter on it; a
		// zero time would read back as a date in the 18th century.
		return record.Rejectf(record.ReasonInvalid, "no fetch time")
	}
	if y := r.FetchedAt.Year(); y < minFetchYear || y > maxTimestampYear {
		// Every format must hold it: JSON's RFC 3339 stops at year 9999.
		return record.Rejectf(record.ReasonInvalid, "fetch time %s is out of range", r.FetchedAt.Format("2006-01-02"))
	}
	return nil
}

// present reports whether column f of r has a value (see
// RequirableFields).
func present(r *record.Review, f string) bool {
	switch f {
	case "canonical_url":
		return r.CanonicalURL != nil
	case "site":
		return r.Site != nil
	case "site_name":
		return r.SiteName != nil
	case "title":
		return r.Title != nil
	case "authors":
		return len(r.Authors) > 0
	case "published_at":
		return r.PublishedAt != nil
	case "language":
		return r.Language != nil
	case "description":
		return r.Description != nil
	case "rating":
		return r.Rating != nil
	case "rating_value":
		return r.RatingValue != nil
	case "item_name":
		return r.ItemName != nil
	case "item_type":
		return r.ItemType != nil
	case "item_year":
		return r.ItemYear != nil
	case "item_facts":
		return len(r.ItemFacts) > 0
	}
	return true
}
