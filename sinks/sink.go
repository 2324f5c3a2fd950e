// Package sinks writes review records to datasets. Every sink stages its
// output and makes it visible only on Commit, so a reader never sees a
// half-written file.
package sinks

import (
	"context"
	"errors"
	"fmt"
	"syscall"

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

// RunFileWriter is the optional capability of a sink whose dataset root
// keeps a folder per published run, _runs/<run-id>/, beside _manifests/:
// the run's summary.json and report.html. It is called after Commit.
type RunFileWriter interface {
	WriteRunFile(ctx context.Context, name string, data []byte) error
}

// SkipCounter is the optional capability of a sink that leaves out, in
// append mode, reviews its dataset already holds.
type SkipCounter interface {
	Skipped() int64
}

// RowsError is what Write returns when some rows of a batch concern only
// themselves and cannot be written (a partition folder the file system
// refuses); every other row of the batch was written, and the sink can
// still be committed. The caller records each as a reject. Any other
// error from Write concerns the run.
type RowsError struct {
	Rows []RowError
}

// RowError is one row Write left out: its index in the batch and why.
type RowError struct {
	Index int
	Err   error
}

func (e *RowsError) Error() string {
	if len(e.Rows) == 1 {
		return fmt.Sprintf("1 row not written: %v", e.Rows[0].Err)
	}
	return fmt.Sprintf("%d rows not written, the first: %v", len(e.Rows), e.Rows[0].Err)
}

// rowLevel reports whether err, from creating or opening a path made from
// a row's values, concerns that path alone: a name the file system will
// not take. Disk full, permissions and I/O errors concern the run.
func rowLevel(err error) bool {
	return errors.Is(err, syscall.ENAMETOOLONG) || errors.Is(err, syscall.EILSEQ) || errors.Is(err, syscall.EINVAL)
}
