// Package crawl holds the sources: components that find pages and yield
// them, raw, to the extract stage. A source reads local files today; the
// web crawler and WARC reader live here too.
package crawl

import (
	"context"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// Source yields raw pages. Walk calls emit once per page, in a stable order,
// and returns ctx.Err() once ctx is done, nil when the source is exhausted,
// or the first error emit returns. A page the source could not read is
// emitted with Page.Err set rather than ending the walk.
type Source interface {
	Walk(ctx context.Context, emit func(*record.Page) error) error
}
