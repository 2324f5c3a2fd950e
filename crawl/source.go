// Package crawl holds the sources: components that find pages and yield
// them, raw, to the extract stage. A source reads local files today; the
// web crawler and WARC reader live here too.
package crawl

import (
	"context"
	"errors"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// Source yields raw pages. Walk calls emit once per page, in a stable order,
// and returns ctx.Err() once ctx is done, nil when the source is exhausted,
// or the first error emit returns. A page the source could not read is
// emitted with Page.Err set rather than ending the walk.
type Source interface {
	Walk(ctx context.Context, emit func(*record.Page) error) error
}

// ErrNoInput is wrapped by the error Walk returns when the source yielded
// nothing because its inputs failed: no file matched the paths, no start
// URL was answered. A source whose inputs answered but held no pages (an
// empty folder's glob is not that: it matches nothing) returns nil. The
// runner fails such a run rather than publish an empty one as a success.
var ErrNoInput = errors.New("no input")
