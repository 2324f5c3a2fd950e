package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
	"github.com/reviewpipe/reviewpipe/sinks"
	"github.com/reviewpipe/reviewpipe/transform"
)

// pagesSource yields n pages whose body names their number.
type pagesSource struct {
	n       int
	emitted atomic.Int64
}

func (s *pagesSource) Walk(ctx context.Context, emit func(*record.Page) error) error {
	for i := range s.n {
		if err := ctx.Err(); err != nil {
			return err
		}
		p := &record.Page{URL: fmt.Sprintf("https://x.example/%d", i), Source: fmt.Sprint(i), Body: []byte(fmt.Sprint(i))}
		if i%10 == 9 {
			p.Err = record.Rejectf(record.ReasonUnreadable, "disk said no")
		}
		if err := emit(p); err != nil {
			return err
		}
		s.emitted.Add(1)
	}
	return nil
}

// scriptedExtractor rejects, fails or panics on chosen pages.
type scriptedExtractor struct{ block chan struct{} }

func (e scriptedExtractor) Extract(ctx context.Context, p *record.Page) (*record.Review, error) {
	if e.block != nil {
		select {
		case <-e.block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	switch string(p.Body) {
	case "1":
		return nil, record.Rejectf(record.ReasonNotHTML, "starts with %%PDF")
	case "2":
		return nil, errors.New("surprise")
	case "3":
		panic("boom")
	}
	return &record.Review{URL: p.URL, Body: "text of " + string(p.Body)}, nil
}

// memSink keeps what it is given and how it ended. It refuses the rows
// whose body ends in " 6", as a sink refuses a row it cannot store.
type memSink struct {
	reviews, rejects int
	committed        bool
	aborted          bool
}

func (s *memSink) Write(_ context.Context, b []record.Review) error {
	var refused []sinks.RowError
	for i := range b {
		if strings.HasSuffix(b[i].Body, " 6") {
			refused = append(refused, sinks.RowError{Index: i, Err: errors.New("file name too long")})
		}
	}
	s.reviews += len(b) - len(refused)
	if refused != nil {
		return &sinks.RowsError{Rows: refused}
	}
	return nil
}
func (s *memSink) WriteRejects(_ context.Context, b []record.Reject) error {
	s.rejects += len(b)
	return nil
}
func (s *memSink) Commit(context.Context) error { s.committed = true; return nil }
func (s *memSink) Abort() error                 { s.aborted = true; return nil }

func newTestRunner(src *pagesSource, ex Extractor, sink *memSink, chain transform.Transform) *Runner {
	return &Runner{
		sources:    []namedSource{{"test", src}},
		extractor:  ex,
		transforms: chain,
		sinks:      []namedSink{{"mem", sink}},
		workers:    4,
		queue:      2,
		batch:      7,
		log:        discardLogger(),
		runID:      "test",
	}
}

func TestRunnerCountsAndCommits(t *testing.T) {
	src := &pagesSource{n: 100}
	sink := &memSink{}
	drop := transform.Func(func(_ context.Context, r *record.Review) error {
		if strings.HasSuffix(r.Body, " 4") {
			return transform.ErrDrop
		}
		if strings.HasSuffix(r.Body, " 5") {
			return record.Rejectf(record.ReasonInvalid, "too short")
		}
		return nil
	})
	sum, err := newTestRunner(src, scriptedExtractor{}, sink, drop).Run(context.Background())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	// 10 unreadable at the source, 3 at extract (reject, error, panic), 1
	// at transform, 1 dropped, 1 refused by the sink.
	if sum.Read != 100 || sum.Rejected != 15 || sum.Dropped != 1 || sum.Written != 84 {
		t.Errorf("summary = %+v", sum)
	}
	want := "extract/failed=1,extract/not_html=1,extract/panic=1,sink/unwritable=1,source/unreadable=10,transform/invalid=1"
	if got := strings.Join(sum.ReasonCounts(), ","); got != want {
		t.Errorf("reasons = %s, want %s", got, want)
	}
	if sink.reviews != 84 || sink.rejects != 15 || !sink.committed || sink.aborted {
		t.Errorf("sink = %+v", sink)
	}
}

func TestRunnerCancelAborts(t *testing.T) {
	src := &pagesSource{n: 1000}
	sink := &memSink{}
	block := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	r := newTestRunner(src, scriptedExtractor{block: block}, sink, transform.Chain{})
	done := make(chan error, 1)
	go func() {
		_, err := r.Run(ctx)
		done <- err
	}()
	// With workers blocked, the source can run ahead only by the channel
	// capacity: memory is bounded by the queue, not by the page count.
	time.Sleep(50 * time.Millisecond)
	if n := src.emitted.Load(); n > int64(r.queue+r.workers+1) {
		t.Errorf("source ran %d pages ahead of blocked workers (queue %d, workers %d)", n, r.queue, r.workers)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run after cancel: %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if !sink.aborted || sink.committed {
		t.Errorf("after cancel the sink must be aborted, not committed: %+v", sink)
	}
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
