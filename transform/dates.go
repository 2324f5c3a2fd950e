package transform

import (
	"context"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/dates"
	"github.com/reviewpipe/reviewpipe/internal/record"
)

// publishedDates parses published_raw into published_at (UTC) and its precision.
// An unparsable, impossible or future date leaves published_at null: a
// wrong date is worse for analytics than a missing one.
type publishedDates struct {
	loc *time.Location
}

func (d publishedDates) Apply(_ context.Context, r *record.Review) error {
	r.PublishedAt, r.PublishedPrecision, r.ModifiedAt = nil, nil, nil
	if r.PublishedRaw != nil {
		if t, prec, ok := dates.Parse(*r.PublishedRaw, r.FetchedAt, d.loc); ok {
			r.PublishedAt = &t
			r.PublishedPrecision = record.Str(string(prec))
		}
	}
	// A change is after the publication; a "modified" date before it is
	// a template's or a migration's, and says nothing.
	if t, _, ok := dates.Parse(r.ModifiedRaw, r.FetchedAt, d.loc); ok && (r.PublishedAt == nil || t.After(*r.PublishedAt)) {
		r.ModifiedAt = &t
	}
	return nil
}

// comments turns the page's reader comments into rows of the comments
// dataset: text normalized like the body, dates read like published_at.
// It runs after identify, which gives the review_id they join on.
type comments struct {
	loc *time.Location
}

func (c comments) Apply(_ context.Context, r *record.Review) error {
	r.CommentRows = r.CommentRows[:0]
	for i, cm := range r.Comments {
		row := record.CommentRow{ReviewID: r.ReviewID, Position: int32(i), Body: NormalizeBody(cm.Body)}
		row.Author = record.Str(NormalizeLine(cm.Author))
		row.PublishedRaw = record.Str(NormalizeLine(cm.Published))
		if row.PublishedRaw != nil {
			if t, _, ok := dates.Parse(*row.PublishedRaw, r.FetchedAt, c.loc); ok {
				t = t.UTC().Truncate(time.Microsecond)
				row.PublishedAt = &t
			}
		}
		r.CommentRows = append(r.CommentRows, row)
	}
	if len(r.CommentRows) == 0 {
		r.CommentRows = nil
	}
	return nil
}
