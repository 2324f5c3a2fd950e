package sinks

import (
	"container/heap"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/parquet-go/parquet-go"
)

// sortRows is how many rows a sorted Parquet file sorts in memory at a
// time before it spills them as a sorted run to a temporary file.
const sortRows = 10_000

// sortMergeChunk is how many rows the merge reads from each run at a
// time: enough to amortize the reader, small enough that a file of a
// hundred runs holds a few MB of rows in the merge.
const sortMergeChunk = 64

// sortMergeFanIn is the most runs merged at once. The merge holds a page
// per column per run (64 KB buffers), so more runs are first merged in
// groups of this many into longer runs: a few more passes over the
// temporary files for very large files, memory that stays the same.
const sortMergeFanIn = 8

// sortRunPageBytes caps the pages of the runs' temporary files, so the
// merge, which holds one page per column per run, stays small however
// many runs a file has.
const sortRunPageBytes = 64 << 10

// sortedEncoder writes a Parquet file whose rows are in cmp order as a
// whole. Rows are sorted sortRows at a time and spilled as runs to
// temporary files; Close merges the runs through a heap into the output
// writer, which flushes a row group every row_group_rows. Memory is one
// run's rows plus sortMergeChunk rows per run and the output's row group,
// never the whole file: parquet-go's SortingWriter merges the runs into a
// single row group held in memory, which grew with the file's rows.
type sortedEncoder[T any] struct {
	out  *parquet.GenericWriter[T]
	cmp  func(a, b *T) int
	buf  []T
	runs []*os.File
	// runRows is sortRows; tests lower it to make many runs.
	runRows int
	opts    []parquet.WriterOption // the runs' writer options
}

func newSortedEncoder[T any](w io.Writer, cmp func(a, b *T) int, opts []parquet.WriterOption) *sortedEncoder[T] {
	runOpts := append(slices.Clip(opts), parquet.PageBufferSize(sortRunPageBytes), parquet.Compression(&parquet.Snappy))
	return &sortedEncoder[T]{out: parquet.NewGenericWriter[T](w, opts...), cmp: cmp, opts: runOpts, runRows: sortRows}
}

func (e *sortedEncoder[T]) Write(rows []T) (int, error) {
	for i := range rows {
		e.buf = append(e.buf, rows[i])
		if len(e.buf) >= e.runRows {
			if err := e.spill(); err != nil {
				return i, err
			}
		}
	}
	return len(rows), nil
}

func (e *sortedEncoder[T]) sortBuf() {
	slices.SortStableFunc(e.buf, func(a, b T) int { return e.cmp(&a, &b) })
}

// spill writes the buffered rows, sorted, as a run to a temporary file.
func (e *sortedEncoder[T]) spill() error {
	if len(e.buf) == 0 {
		return nil
	}
	e.sortBuf()
	f, err := e.newRun()
	if err != nil {
		return err
	}
	e.runs = append(e.runs, f)
	w := parquet.NewGenericWriter[T](f, e.opts...)
	if _, err := w.Write(e.buf); err != nil {
		return fmt.Errorf("writing a sort run: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("writing a sort run: %w", err)
	}
	clear(e.buf) // drop the references the rows hold
	e.buf = e.buf[:0]
	return nil
}

func (e *sortedEncoder[T]) Close() (err error) {
	defer func() {
		for _, f := range e.runs {
			f.Close()
		}
		e.runs = nil
	}()
	if len(e.runs) == 0 {
		// One run: sort it in memory, no merge.
		e.sortBuf()
		if _, err := e.out.Write(e.buf); err != nil {
			return err
		}
		e.buf = nil
		return e.out.Close()
	}
	if err := e.spill(); err != nil {
		return err
	}
	e.buf = nil
	for len(e.runs) > sortMergeFanIn {
		if err := e.mergePass(); err != nil {
			return err
		}
	}
	if err := merge(e.out, e.runs, e.cmp); err != nil {
		return err
	}
	return e.out.Close()
}

// mergePass merges each group of sortMergeFanIn consecutive runs into one
// run, in order, so equal rows keep the order they were written in and
// every pass divides the runs by the fan-in.
func (e *sortedEncoder[T]) mergePass() (err error) {
	var next []*os.File
	defer func() {
		if err != nil {
			e.runs = append(next, e.runs...) // for Close to release
		}
	}()
	for len(e.runs) > 0 {
		group := e.runs[:min(sortMergeFanIn, len(e.runs))]
		f, err := e.newRun()
		if err != nil {
			return err
		}
		next = append(next, f)
		w := parquet.NewGenericWriter[T](f, e.opts...)
		if err := merge(w, group, e.cmp); err != nil {
			return err
		}
		if err := w.Close(); err != nil {
			return fmt.Errorf("writing a sort run: %w", err)
		}
		for _, r := range group {
			r.Close()
		}
		e.runs = e.runs[len(group):]
	}
	e.runs = next
	return nil
}

// newRun creates the temporary file of a run. It is unlinked at once: a
// killed process leaves no temporary behind.
func (e *sortedEncoder[T]) newRun() (*os.File, error) {
	f, err := os.CreateTemp("", "reviewpipe-sort-*")
	if err != nil {
		return nil, fmt.Errorf("creating a sort run: %w", err)
	}
	os.Remove(f.Name())
	return f, nil
}

// merge writes the rows of runs to w in cmp order; of equal rows the
// earlier run's first, so the sort is stable across runs too.
func merge[T any](w *parquet.GenericWriter[T], runs []*os.File, cmp func(a, b *T) int) error {
	h := &runHeap[T]{cmp: cmp}
	var readers []*parquet.GenericReader[T]
	defer func() {
		for _, r := range readers {
			r.Close() // returns its page buffers to parquet-go's pools
		}
	}()
	for i, f := range runs {
		st, err := f.Stat()
		if err != nil {
			return fmt.Errorf("reading a sort run: %w", err)
		}
		pf, err := parquet.OpenFile(f, st.Size())
		if err != nil {
			return fmt.Errorf("reading a sort run: %w", err)
		}
		r := &runReader[T]{r: parquet.NewGenericReader[T](pf), run: i, buf: make([]T, sortMergeChunk)}
		readers = append(readers, r.r)
		if ok, err := r.next(); err != nil {
			return err
		} else if ok {
			h.runs = append(h.runs, r)
		}
	}
	heap.Init(h)
	out := make([]T, 0, sortMergeChunk)
	for h.Len() > 0 {
		r := h.runs[0]
		out = append(out, r.buf[r.at])
		if len(out) == cap(out) {
			if _, err := w.Write(out); err != nil {
				return err
			}
			clear(out)
			out = out[:0]
		}
		r.at++
		if ok, err := r.next(); err != nil {
			return err
		} else if ok {
			heap.Fix(h, 0)
		} else {
			heap.Pop(h)
		}
	}
	_, err := w.Write(out)
	return err
}

// runReader reads one sorted run a chunk at a time.
type runReader[T any] struct {
	r       *parquet.GenericReader[T]
	run     int
	buf     []T
	at, n   int
	drained bool
}

// next makes buf[at] the run's next row, reporting false at its end.
func (r *runReader[T]) next() (bool, error) {
	if r.at < r.n {
		return true, nil
	}
	if r.drained {
		return false, nil
	}
	clear(r.buf)
	n, err := r.r.Read(r.buf)
	r.at, r.n = 0, n
	if errors.Is(err, io.EOF) {
		r.drained = true
	} else if err != nil {
		return false, fmt.Errorf("reading a sort run: %w", err)
	}
	return n > 0, nil
}

// runHeap orders the runs by their current rows, then by run number.
type runHeap[T any] struct {
	runs []*runReader[T]
	cmp  func(a, b *T) int
}

func (h *runHeap[T]) Len() int { return len(h.runs) }
func (h *runHeap[T]) Less(i, j int) bool {
	a, b := h.runs[i], h.runs[j]
	if c := h.cmp(&a.buf[a.at], &b.buf[b.at]); c != 0 {
		return c < 0
	}
	return a.run < b.run
}
func (h *runHeap[T]) Swap(i, j int) { h.runs[i], h.runs[j] = h.runs[j], h.runs[i] }
func (h *runHeap[T]) Push(x any)    { h.runs = append(h.runs, x.(*runReader[T])) }
func (h *runHeap[T]) Pop() any {
	r := h.runs[len(h.runs)-1]
	h.runs = h.runs[:len(h.runs)-1]
	return r
}
