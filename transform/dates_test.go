package transform

import (
	"context"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// TestModifiedAt: modified_at is read like published_at and kept only
// when it is after the publication.
func TestModifiedAt(t *testing.T) {
	fetched := time.Date(2024, 6, 13, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ published, modified, want string }{
		{"2024-01-02", "2024-03-04T10:00:00+02:00", "2024-03-04T08:00:00Z"},
		{"2024-01-02", "2023-12-31", ""},                // before the publication: a template's date
		{"2024-01-02", "2024-01-02", ""},                // not after it
		{"", "2024-03-04", "2024-03-04T00:00:00Z"},      // no publication date to compare with
		{"2024-01-02", "2031-01-01", ""},                // after the fetch
		{"2024-01-02", "2024-03-04T10:00:00+99:99", ""}, // no such offset
	} {
		r := &record.Review{PublishedRaw: record.Str(tt.published), ModifiedRaw: tt.modified, FetchedAt: fetched}
		if err := (publishedDates{loc: time.UTC}).Apply(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		got := ""
		if r.ModifiedAt != nil {
			got = r.ModifiedAt.UTC().Format(time.RFC3339)
		}
		if got != tt.want {
			t.Errorf("published %q, modified %q: modified_at = %q, want %q", tt.published, tt.modified, got, tt.want)
		}
	}
}
