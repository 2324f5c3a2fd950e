package sinks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"

	"github.com/parquet-go/parquet-go"

	"github.com/reviewpipe/reviewpipe/internal/crashpoint"
)

// The staging of one dataset's files: written to hidden temporaries,
// rolled by rows and bytes, one open file per partition, finished,
// renamed into place at commit and deleted on abort. ParquetSink drives
// one of these per dataset (reviews, comments, rejects, pages).

// manifestFiles describes the files the dataset published this run.
func (d *parquetDataset[T]) manifestFiles(root string) ([]ManifestFile, error) {
	var out []ManifestFile
	for i, p := range d.published {
		sum, size, err := fileSHA256(p)
		if err != nil {
			return nil, err
		}
		out = append(out, ManifestFile{Dataset: d.name, Path: relPath(root, p), Rows: d.publishedRows[i], Bytes: size, SHA256: sum})
	}
	return out, nil
}

func (d *parquetDataset[T]) lock()                   { d.mu.Lock() }
func (d *parquetDataset[T]) unlock()                 { d.mu.Unlock() }
func (d *parquetDataset[T]) failed() error           { return d.err }
func (d *parquetDataset[T]) setState(s parquetState) { d.state = s }
func (d *parquetDataset[T]) setMaxBytes(n int64)     { d.maxFileBytes = n }
func (d *parquetDataset[T]) directory() string       { return d.dir }
func (d *parquetDataset[T]) datasetName() string     { return d.name }
func (d *parquetDataset[T]) summary() (string, int, int64) {
	return d.dir, len(d.published), d.totalRows
}

type parquetState int

const (
	parquetOpen parquetState = iota
	parquetCommitted
	parquetAborted
)

// parquetDataset stages the files of one dataset directory. Its mutex
// guards every field; methods ending in Locked expect it held.
type parquetDataset[T any] struct {
	dir         string
	runID       string
	maxFileRows int64
	// maxFileBytes rolls a file once this much of it is written; the
	// encoders write a row group (or record batch, gzip block) at a time,
	// so a file ends at most one of those over. 0: no limit.
	maxFileBytes int64
	opts         []parquet.WriterOption

	mu            sync.Mutex
	state         parquetState
	err           error                      // first write failure; the dataset can then only be discarded
	curs          map[string]*parquetFile[T] // the files being written, by partition ("" when unpartitioned)
	finished      []*parquetFile[T]          // closed and fsynced temporaries awaiting Commit
	published     []string                   // final names renamed during Commit, for rollback
	publishedRows []int64                    // rows of each published file
	name          string                     // the dataset's name in manifests
	format        fileFormat
	codec         string            // the config's compression, for the formats that are not parquet
	meta          map[string]string // the files' key/value metadata, for Arrow (Parquet has it in opts)
	// partition gives a row's Hive partition path ("site=x/published_year=2024"),
	// nil for an unpartitioned dataset; order sorts a batch before it is
	// written, nil to keep it as it came.
	partition func(*T) string
	// maxPartBytes caps the length of a partition path (0: no cap): object
	// stores limit a key's length, and a row whose folder would pass it is
	// left out like one the file system refuses.
	maxPartBytes int
	order        func(a, b *T) int
	sorting      *fileSort[T] // the Parquet files' sort order (nulls last), nil for none
	seq          int          // number of the next file
	totalRows    int64
}

// parquetFile is one staged file. The *os.File is nil once finished.
type parquetFile[T any] struct {
	tmp, final string
	f          *os.File
	w          rowEncoder[T]
	rows       int64
	bytes      countingWriter // what the encoder handed to the file so far
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func newParquetDataset[T any](name, dir, runID string, maxFileRows int64, opts []parquet.WriterOption) *parquetDataset[T] {
	var zero T
	opts = append(slices.Clip(opts), parquetSingleCodec(reflect.TypeOf(zero))...)
	return &parquetDataset[T]{name: name, dir: dir, runID: runID, maxFileRows: maxFileRows, opts: opts, format: formatParquet}
}

// parquetWriteChunk bounds the rows encoded between two ctx checks, so a
// large batch still stops promptly on cancellation.
const parquetWriteChunk = 4096

func (d *parquetDataset[T]) write(ctx context.Context, batch []T) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch {
	case d.state == parquetCommitted:
		return fmt.Errorf("parquet sink: write to %q after commit", d.dir)
	case d.state == parquetAborted:
		return fmt.Errorf("parquet sink: write to %q after abort", d.dir)
	case d.err != nil:
		return fmt.Errorf("parquet sink: write after a failed write: %w", d.err)
	}
	// Rows are handled by their index in batch, so that a row this
	// dataset cannot take is reported as the caller's row.
	idx := make([]int, len(batch))
	for i := range idx {
		idx[i] = i
	}
	if d.order != nil {
		slices.SortStableFunc(idx, func(a, b int) int { return d.order(&batch[a], &batch[b]) })
	}
	gather := func(idx []int) []T {
		rows := make([]T, len(idx))
		for i, j := range idx {
			rows[i] = batch[j]
		}
		return rows
	}
	written := false
	if d.partition == nil {
		if d.order == nil {
			return d.writePartLocked(ctx, "", batch, &written)
		}
		return d.writePartLocked(ctx, "", gather(idx), &written)
	}
	var parts []string
	groups := map[string][]int{}
	for _, i := range idx {
		p := d.partition(&batch[i])
		if _, ok := groups[p]; !ok {
			parts = append(parts, p)
		}
		groups[p] = append(groups[p], i)
	}
	var left []RowError
	for _, p := range parts {
		var err error
		if d.maxPartBytes > 0 && len(p) > d.maxPartBytes {
			err = &partitionPathError{fmt.Errorf("partition path of %d bytes is longer than the %d the store's keys leave for it", len(p), d.maxPartBytes)}
		} else {
			err = d.writePartLocked(ctx, p, gather(groups[p]), &written)
		}
		var pe *partitionPathError
		if errors.As(err, &pe) {
			for _, i := range groups[p] {
				left = append(left, RowError{Index: i, Err: err})
			}
			continue
		}
		if err != nil {
			return err
		}
	}
	if len(left) > 0 {
		slices.SortFunc(left, func(a, b RowError) int { return a.Index - b.Index })
		return &RowsError{Rows: left}
	}
	return nil
}

// partitionPathError is a partition folder the file system refuses by its
// name alone (too long, an encoding it does not take): the rows of that
// partition cannot be written, every other row can.
type partitionPathError struct{ err error }

func (e *partitionPathError) Error() string { return e.err.Error() }
func (e *partitionPathError) Unwrap() error { return e.err }

// writePartLocked appends rows to the open file of partition part,
// rolling files at maxFileRows; written says whether any row of the
// caller's batch is in a file yet.
func (d *parquetDataset[T]) writePartLocked(ctx context.Context, part string, batch []T, written *bool) error {
	for ; len(batch) > 0; *written = true {
		if err := ctx.Err(); err != nil {
			if *written {
				// Part of the batch is in the file: committing it would
				// publish a batch the caller believes failed.
				d.err = fmt.Errorf("writing to %q: batch interrupted: %w", d.dir, err)
			}
			return err
		}
		cur := d.curs[part]
		if cur == nil {
			f, err := d.openLocked(part)
			var pe *partitionPathError
			if errors.As(err, &pe) {
				// Only a new folder fails so: no row of this partition is
				// in a file, and the dataset is fine.
				return err
			}
			if err != nil {
				d.err = err
				return err
			}
			if d.curs == nil {
				d.curs = map[string]*parquetFile[T]{}
			}
			d.curs[part] = f
			cur = f
		}
		n := min(int64(len(batch)), d.maxFileRows-cur.rows, parquetWriteChunk)
		if err := cur.write(batch[:n]); err != nil {
			d.err = err
			return err
		}
		d.totalRows += n
		batch = batch[n:]
		if cur.rows >= d.maxFileRows || d.maxFileBytes > 0 && cur.bytes.n >= d.maxFileBytes {
			if err := d.finishPartLocked(part); err != nil {
				d.err = err
				return err
			}
		}
	}
	return nil
}

// openLocked creates the next temporary file. It refuses a run id whose
// final file already exists, because Commit would otherwise replace a file
// published by an earlier run.
func (d *parquetDataset[T]) openLocked(part string) (_ *parquetFile[T], err error) {
	dir := filepath.Join(d.dir, filepath.FromSlash(part))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		err = fmt.Errorf("creating dataset directory %q: %w", dir, err)
		if part != "" && rowLevel(err) {
			return nil, &partitionPathError{err}
		}
		return nil, err
	}
	name := fmt.Sprintf("part-%s-%05d%s", d.runID, d.seq, d.format.ext())
	pf := &parquetFile[T]{
		final: filepath.Join(dir, name),
		tmp:   filepath.Join(dir, "."+name+".tmp"),
	}
	if _, err := os.Lstat(pf.final); err == nil {
		return nil, fmt.Errorf("creating %q: file exists: run id %q was used before", pf.final, d.runID)
	}
	f, err := os.OpenFile(pf.tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("creating temporary %s file: %w", d.format, err)
	}
	pf.f = f
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("creating parquet writer for %q: panic: %v", pf.tmp, r)
		}
		if err != nil {
			_ = f.Close()
			_ = os.Remove(pf.tmp)
		}
	}()
	pf.bytes.w = f
	if pf.w, err = newEncoder[T](d.format, d.codec, &pf.bytes, d.opts, d.meta, d.sorting); err != nil {
		return nil, fmt.Errorf("creating %s writer for %q: %w", d.format, pf.tmp, err)
	}
	d.seq++
	return pf, nil
}

func (pf *parquetFile[T]) write(rows []T) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("encoding rows into %q: panic: %v", pf.tmp, r)
		}
	}()
	n, err := pf.w.Write(rows)
	pf.rows += int64(n)
	if err != nil {
		return fmt.Errorf("encoding rows into %q: %w", pf.tmp, err)
	}
	if n != len(rows) {
		return fmt.Errorf("encoding rows into %q: wrote %d of %d rows", pf.tmp, n, len(rows))
	}
	return nil
}

// ensureFileLocked gives a dataset that got no row this run one file with
// no rows and the full schema, so a reader's glob finds a file and the
// columns (DuckDB fails on a glob that matches nothing). A partitioned
// dataset's file goes under the partition folders of null values
// (__HIVE_DEFAULT_PARTITION__), so every file has the same Hive keys.
func (d *parquetDataset[T]) ensureFileLocked() error {
	if d.totalRows > 0 || len(d.finished) > 0 || len(d.curs) > 0 {
		return nil
	}
	part := ""
	if d.partition != nil {
		var zero T
		part = d.partition(&zero)
	}
	f, err := d.openLocked(part)
	if err != nil {
		return err
	}
	if d.curs == nil {
		d.curs = map[string]*parquetFile[T]{}
	}
	d.curs[part] = f
	return nil
}

// finishLocked writes the footer of the current file, fsyncs and closes it,
// and queues it for publishing.
func (d *parquetDataset[T]) finishLocked() error {
	parts := make([]string, 0, len(d.curs))
	for p := range d.curs {
		parts = append(parts, p)
	}
	slices.Sort(parts)
	for _, p := range parts {
		if err := d.finishPartLocked(p); err != nil {
			return err
		}
	}
	return nil
}

// finishPartLocked finishes the open file of one partition.
func (d *parquetDataset[T]) finishPartLocked(part string) error {
	pf := d.curs[part]
	if pf == nil {
		return nil
	}
	if err := pf.close(); err != nil {
		return err
	}
	delete(d.curs, part)
	d.finished = append(d.finished, pf)
	return nil
}

func (pf *parquetFile[T]) close() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("writing parquet footer to %q: panic: %v", pf.tmp, r)
		}
	}()
	if err := pf.w.Close(); err != nil {
		return fmt.Errorf("writing parquet footer to %q: %w", pf.tmp, err)
	}
	if err := pf.f.Sync(); err != nil {
		return fmt.Errorf("syncing %q: %w", pf.tmp, err)
	}
	f := pf.f
	pf.f = nil
	if err := f.Close(); err != nil {
		return fmt.Errorf("closing %q: %w", pf.tmp, err)
	}
	return nil
}

// publishLocked renames the finished temporaries to their final names and
// fsyncs the directory so the renames survive a crash. The directory is
// created even when there is nothing to publish, so an empty run still
// leaves a readable (empty) dataset.
func (d *parquetDataset[T]) publishLocked() error {
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		return fmt.Errorf("creating dataset directory %q: %w", d.dir, err)
	}
	for len(d.finished) > 0 {
		pf := d.finished[0]
		if _, err := os.Lstat(pf.final); err == nil {
			return fmt.Errorf("publishing %q: file exists: run id %q was used before", pf.final, d.runID)
		}
		if err := os.Rename(pf.tmp, pf.final); err != nil {
			return fmt.Errorf("publishing %q: %w", pf.final, err)
		}
		d.published = append(d.published, pf.final)
		d.publishedRows = append(d.publishedRows, pf.rows)
		d.finished = d.finished[1:]
		crashpoint.Hit("commit.rename")
	}
	for _, dir := range publishedDirs(d.published) {
		if err := parquetSyncDir(dir); err != nil {
			return err
		}
	}
	return nil
}

// publishedDirs lists the folders of files, each once.
func publishedDirs(files []string) []string {
	var dirs []string
	for _, f := range files {
		if dir := filepath.Dir(f); !slices.Contains(dirs, dir) {
			dirs = append(dirs, dir)
		}
	}
	return dirs
}

// discardLocked deletes the staged temporaries and any file this run has
// already published, and leaves the dataset aborted. Every failure is
// returned, since a file left behind is something an operator must see.
func (d *parquetDataset[T]) discardLocked() error {
	var errs []error
	remove := func(p string) {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("removing %q: %w", p, err))
		}
	}
	for _, pf := range d.curs {
		// The writer is dropped without Close: its footer would only be
		// deleted again.
		if err := pf.f.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing %q: %w", pf.tmp, err))
		}
		remove(pf.tmp)
	}
	d.curs = nil
	for _, pf := range d.finished {
		remove(pf.tmp)
	}
	d.finished = nil
	for _, p := range d.published {
		remove(p)
	}
	for _, dir := range publishedDirs(d.published) {
		if err := parquetSyncDir(dir); err != nil {
			errs = append(errs, err)
		}
	}
	d.published, d.publishedRows = nil, nil
	d.state = parquetAborted
	return errors.Join(errs...)
}
