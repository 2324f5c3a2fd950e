// Package sinks writes review records to datasets. Every sink stages its
// output and makes it visible only on Commit, so a reader never sees a
// half-written file.
package sinks

import (
	"context"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// Sink writes batches of reviews. Write may be called many times, then
// exactly one of Commit or Abort. Output becomes visible only when Commit
// returns nil; Abort discards everything written. A Sink is used by one
// goroutine at a time.
type Sink interface {
	Write(ctx context.Context, batch []record.Review) error
	Commit(ctx context.Context) error
	Abort() error
}

// RejectWriter is the optional capability of a sink that also keeps the
// rejects dataset; it follows the same Commit/Abort contract.
type RejectWriter interface {
	WriteRejects(ctx context.Context, batch []record.Reject) error
}

// FetchWriter is the optional capability of a sink that also keeps the
// pages dataset, the crawl's fetch log; same Commit/Abort contract.
type FetchWriter interface {
	WriteFetches(ctx context.Context, batch []record.Fetch) error
}
