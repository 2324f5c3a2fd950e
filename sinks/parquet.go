package sinks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"

	"github.com/reviewpipe/reviewpipe/internal/confval"
	"github.com/reviewpipe/reviewpipe/internal/crashpoint"
	"github.com/reviewpipe/reviewpipe/internal/keyset"
	"github.com/reviewpipe/reviewpipe/internal/record"
)

// ParquetSchemaVersion is written to every file as the key/value metadata
// "reviewpipe.schema_version" so readers can tell schema generations apart
// without guessing from the columns. Bump it when record.Review or
// record.Reject gain, lose or change a column: readers that glob files of
// two generations need union_by_name. 2 added has_spoiler_warning and
// item_facts; 3 added simhash and duplicate_of; 4 page_kind, is_review,
// modified_at, user_rating and user_rating_count; 5 field_sources.
const ParquetSchemaVersion = "5"

// ParquetConfig is the config of the `type: parquet` sink.
type ParquetConfig struct {
	// Path is the directory of the reviews dataset (required). Files land
	// directly in it, so it can be read with a `<path>/**/*.parquet` glob.
	Path string `yaml:"path"`
	// RejectsPath is the directory of the rejects dataset. Empty means the
	// sibling "rejects" of Path (out/reviews → out/rejects).
	RejectsPath string `yaml:"rejects_path"`
	// PagesPath is the directory of the pages dataset, the crawl's fetch
	// log. Empty means the sibling "pages" of Path.
	PagesPath string `yaml:"pages_path"`
	// CommentsPath is the directory of the comments dataset. Empty means
	// the sibling "comments" of Path.
	CommentsPath string `yaml:"comments_path"`
	// Compression is the codec of every column: zstd, snappy, gzip, lz4 or
	// none. It overrides codecs named in the record's struct tags so that
	// one setting describes the whole file.
	Compression string `yaml:"compression"`
	// RowGroupRows caps the rows of one row group, which bounds the memory
	// the writer buffers per file and the unit a reader can skip.
	RowGroupRows int64 `yaml:"row_group_rows"`
	// MaxFileRows rolls to a new file after this many rows so that one file
	// stays small enough to copy, list and parallelise over.
	MaxFileRows int64 `yaml:"max_file_rows"`
	// MaxFileBytes rolls to a new file once a file has this many bytes
	// written (checked per row group, so files end up to one row group
	// over); 0 is no byte limit.
	MaxFileBytes confval.ByteSize `yaml:"max_file_bytes"`
	// Mode says what a run does with the runs before it: append (new files
	// beside the old, reviews already in the dataset with the same content
	// skipped), overwrite (the old runs' files are deleted once the new run
	// is published) or error_if_exists (refuse a dataset that has files).
	Mode string `yaml:"mode"`
	// PartitionBy are the Hive partition keys of the reviews dataset, in
	// path order (site=…/published_year=…/); empty writes files directly
	// into Path.
	PartitionBy []string `yaml:"partition_by"`
	// SortBy orders the rows of each batch written to the reviews files,
	// so row-group statistics let readers skip what a filter excludes.
	SortBy []string `yaml:"sort_by"`

	// format is the file format, set by the constructor of the sink type
	// (parquet, jsonl, arrow); the keys above mean the same for all.
	format fileFormat
	// configHash is the pipeline config's hash, for the files' metadata.
	configHash string
	// keysRoot, set for a shard's staging sink, is the real dataset root
	// whose published reviews append mode leaves out.
	keysRoot string
}

// WithConfigHash returns c recording hash as the files'
// reviewpipe.config_hash.
func (c ParquetConfig) WithConfigHash(hash string) ParquetConfig {
	c.configHash = hash
	return c
}

// DefaultJSONLConfig returns the defaults of the `type: jsonl` sink: the
// keys of the parquet sink, gzip-compressed JSON Lines files.
func DefaultJSONLConfig() ParquetConfig {
	c := DefaultParquetConfig()
	c.Compression = "gzip"
	c.format = formatJSONL
	return c
}

// NewJSONL returns a sink that writes the same datasets as NewParquet, as
// gzip'd JSON Lines (part-<run-id>-<NNNNN>.jsonl.gz), with the same
// staging, manifests and write modes. cfg must come from
// DefaultJSONLConfig.
func NewJSONL(cfg ParquetConfig, runID string, log *slog.Logger) (*ParquetSink, error) {
	cfg.format = formatJSONL
	return NewParquet(cfg, runID, log)
}

// DefaultArrowConfig returns the defaults of the `type: arrow` sink: the
// keys of the parquet sink, Arrow IPC files (Feather v2) with
// uncompressed buffers, which readers can memory-map without a copy and
// every Arrow implementation reads (the JavaScript one has no codecs
// built in).
func DefaultArrowConfig() ParquetConfig {
	c := DefaultParquetConfig()
	c.Compression = "none"
	c.format = formatArrow
	return c
}

// NewArrow returns a sink that writes the datasets as Arrow IPC files
// (part-<run-id>-<NNNNN>.arrow), with the staging, manifests and write
// modes of NewParquet.
func NewArrow(cfg ParquetConfig, runID string, log *slog.Logger) (*ParquetSink, error) {
	cfg.format = formatArrow
	return NewParquet(cfg, runID, log)
}

// DefaultParquetConfig returns the defaults that a YAML block is decoded
// over. Path is left empty because there is no safe default location.
func DefaultParquetConfig() ParquetConfig {
	return ParquetConfig{
		Compression:  "zstd",
		RowGroupRows: 10_000,
		MaxFileRows:  1_000_000,
		MaxFileBytes: 256 << 20,
		Mode:         ModeAppend,
		SortBy:       []string{"site", "published_at"},
	}
}

// parquetCodecs maps the config names to codecs. lz4 means LZ4_RAW, the
// only LZ4 flavour the Parquet spec still recommends.
var parquetCodecs = map[string]compress.Codec{
	"zstd":   &parquet.Zstd,
	"snappy": &parquet.Snappy,
	"gzip":   &parquet.Gzip,
	"lz4":    &parquet.Lz4Raw,
	"none":   &parquet.Uncompressed,
}

// Validate reports every invalid field at once, as *confval.FieldError
// values joined with errors.Join, so one run of `reviewpipe validate`
// shows them all.
func (c ParquetConfig) Validate() error {
	var errs []error
	if strings.TrimSpace(c.Path) == "" {
		errs = append(errs, confval.Errorf("path", "is required: the directory of the reviews dataset, e.g. out/reviews"))
	}
	if IsRemote(c.Path) {
		if _, _, _, err := remoteRoot(c.Path); err != nil {
			errs = append(errs, confval.Errorf("path", "%v", err))
		}
		if err := remoteBuilt(c.Path); err != nil {
			errs = append(errs, confval.Errorf("path", "%v", err))
		}
		for _, f := range []struct{ key, v string }{{"rejects_path", c.RejectsPath}, {"pages_path", c.PagesPath}, {"comments_path", c.CommentsPath}} {
			if f.v != "" {
				errs = append(errs, confval.Errorf(f.key, "must be empty with an object-storage path: the datasets sit beside the reviews dataset"))
			}
		}
		return errors.Join(errs...)
	}
	if c.Path == "-" {
		if c.format != formatArrow {
			errs = append(errs, confval.Errorf("path", `"-" (stdout) is for the arrow sink only: %s files need a directory`, c.format))
		}
		// The stream has no directories to check.
		return errors.Join(errs...)
	}
	if codecs := c.format.codecs(); !slices.Contains(codecs, c.Compression) {
		errs = append(errs, confval.Errorf("compression", "unknown codec %q for %s: want one of %s", c.Compression, c.format, strings.Join(codecs, ", ")))
	}
	if c.RowGroupRows <= 0 {
		errs = append(errs, confval.Errorf("row_group_rows", "must be positive, got %d", c.RowGroupRows))
	}
	if c.MaxFileRows <= 0 {
		errs = append(errs, confval.Errorf("max_file_rows", "must be positive, got %d", c.MaxFileRows))
	}
	for i, k := range c.PartitionBy {
		if partitionKeys[k] == nil || slices.Index(c.PartitionBy, k) != i {
			errs = append(errs, confval.Errorf(fmt.Sprintf("partition_by[%d]", i), "%q is no partition key, or a repeated one: want one of %s", k, partitionKeyNames()))
		}
	}
	for i, k := range c.SortBy {
		if sortKeys[k] == nil {
			errs = append(errs, confval.Errorf(fmt.Sprintf("sort_by[%d]", i), "%q is no sort key: want one of %s", k, sortKeyNames()))
		}
	}
	if c.MaxFileBytes < 0 {
		errs = append(errs, confval.Errorf("max_file_bytes", "must not be negative, got %d", c.MaxFileBytes))
	}
	switch c.Mode {
	case ModeAppend, ModeOverwrite, ModeErrorIfExists:
	default:
		errs = append(errs, confval.Errorf("mode", "unknown write mode %q: want append, overwrite or error_if_exists", c.Mode))
	}
	if strings.TrimSpace(c.Path) != "" {
		// The datasets have different schemas: if one directory held or
		// contained another, a reader's **/*.parquet glob would mix them.
		dirs := []struct{ field, name, dir string }{
			{"path", "reviews", c.Path}, {"rejects_path", "rejects", c.RejectsDir()}, {"pages_path", "pages", c.PagesDir()},
			{"comments_path", "comments", c.CommentsDir()},
		}
		for i, a := range dirs {
			for _, b := range dirs[:i] {
				da, db := filepath.Clean(a.dir), filepath.Clean(b.dir)
				switch {
				case da == db:
					errs = append(errs, confval.Errorf(a.field, "%q is the %s path: the %s dataset needs its own directory", a.dir, b.name, a.name))
				case parquetPathWithin(da, db):
					errs = append(errs, confval.Errorf(a.field, "%q is inside the %s path %q: a reader's glob would mix the datasets", a.dir, b.name, b.dir))
				case parquetPathWithin(db, da):
					errs = append(errs, confval.Errorf(a.field, "%q contains the %s path %q: a reader's glob would mix the datasets", a.dir, b.name, b.dir))
				}
			}
		}
	}
	return errors.Join(errs...)
}

// CommentsDir returns CommentsPath or its default, the sibling "comments"
// of Path.
func (c ParquetConfig) CommentsDir() string {
	if c.CommentsPath != "" {
		return c.CommentsPath
	}
	return filepath.Join(filepath.Dir(filepath.Clean(c.Path)), "comments")
}

// PagesDir returns PagesPath or its default, the sibling "pages" of Path.
func (c ParquetConfig) PagesDir() string {
	if c.PagesPath != "" {
		return c.PagesPath
	}
	return filepath.Join(filepath.Dir(filepath.Clean(c.Path)), "pages")
}

// RejectsDir returns RejectsPath or its default, the sibling "rejects" of
// Path.
func (c ParquetConfig) RejectsDir() string {
	if c.RejectsPath != "" {
		return c.RejectsPath
	}
	return filepath.Join(filepath.Dir(filepath.Clean(c.Path)), "rejects")
}

// parquetPathWithin reports whether the cleaned path p lies strictly below
// the cleaned directory dir.
func parquetPathWithin(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// ParquetSink writes the reviews and rejects datasets as Parquet files named
// part-<runID>-<NNNNN>.parquet. Rows are staged in hidden temporary files in
// the dataset directories, which a reader's **/*.parquet glob skips, and
// become visible only when Commit renames them. Write and WriteRejects may
// be called from different goroutines; Commit and Abort wait for them.
type ParquetSink struct {
	log   *slog.Logger
	cfg   ParquetConfig
	runID string
	root  string // the folder of the reviews dataset, holding _manifests and _SUCCESS

	// prepared once before the first write: the root's lock, leftovers
	// cleaned, and for append the keys of the reviews already published.
	prepMu   sync.Mutex
	prepared bool
	prepErr  error
	lock     *runLock
	keys     *keyset.Set // nil outside append mode; guarded by prepMu
	skipped  int64
	// supersedes adds runs to the manifest's list (a RemoteSink's remote
	// runs, which its staging folder does not hold).
	supersedes []string
	// remoteHeld names the datasets a RemoteSink's remote runs hold files
	// of, which its staging folder does not hold either.
	remoteHeld map[string]bool

	reviews  *parquetDataset[record.Review]
	rejects  *parquetDataset[record.Reject]
	pages    *parquetDataset[record.Fetch]
	comments *parquetDataset[record.CommentRow]
}

var (
	_ Sink         = (*ParquetSink)(nil)
	_ RejectWriter = (*ParquetSink)(nil)
	_ FetchWriter  = (*ParquetSink)(nil)
)

// stagedDataset is what Commit and Abort do to each dataset.
type stagedDataset interface {
	lock()
	unlock()
	failed() error
	finishLocked() error
	ensureFileLocked() error
	publishLocked() error
	discardLocked() error
	setState(parquetState)
	summary() (dir string, files int, rows int64)
	manifestFiles(root string) ([]ManifestFile, error)
	directory() string
	datasetName() string
}

func (s *ParquetSink) datasets() []stagedDataset {
	return []stagedDataset{s.reviews, s.comments, s.rejects, s.pages}
}

// NewParquet returns a sink for one run. runID names the run's files, so it
// must be unique per run and safe in a file name; reusing one fails rather
// than overwrite a published file. No file or directory is created before
// the first row or Commit. A nil log discards logs.
func NewParquet(cfg ParquetConfig, runID string, log *slog.Logger) (*ParquetSink, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("parquet sink config: %w", err)
	}
	if runID == "" || runID == "." || runID == ".." || strings.ContainsAny(runID, `/\`+"\x00") {
		return nil, fmt.Errorf("parquet sink: run id %q must be a non-empty file name component", runID)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "sinks.parquet")
	opts := []parquet.WriterOption{
		parquet.Compression(parquetCodecs[cfg.Compression]),
		parquet.MaxRowsPerRowGroup(cfg.RowGroupRows),
		parquet.KeyValueMetadata("reviewpipe.schema_version", ParquetSchemaVersion),
		parquet.KeyValueMetadata("reviewpipe.run_id", runID),
		parquet.KeyValueMetadata("reviewpipe.version", record.Version()),
	}
	meta := map[string]string{"reviewpipe.schema_version": ParquetSchemaVersion, "reviewpipe.run_id": runID, "reviewpipe.version": record.Version()}
	if cfg.configHash != "" {
		opts = append(opts, parquet.KeyValueMetadata("reviewpipe.config_hash", cfg.configHash))
		meta["reviewpipe.config_hash"] = cfg.configHash
	}
	reviews := newParquetDataset[record.Review]("reviews", cfg.Path, runID, cfg.MaxFileRows, opts)
	reviews.partition = reviewPartition(cfg.PartitionBy)
	if cfg.format == formatParquet && len(cfg.SortBy) > 0 {
		// The sorted encoder orders the whole file; sorting each batch
		// first would only do part of that work twice.
		reviews.sorting = &fileSort[record.Review]{cmp: reviewOrder(cfg.SortBy)}
		for _, k := range cfg.SortBy {
			reviews.sorting.columns = append(reviews.sorting.columns, parquet.Ascending(k))
		}
	} else {
		reviews.order = reviewOrder(cfg.SortBy)
	}
	sink := &ParquetSink{
		log:      log,
		cfg:      cfg,
		runID:    runID,
		root:     filepath.Dir(filepath.Clean(cfg.Path)),
		reviews:  reviews,
		rejects:  newParquetDataset[record.Reject]("rejects", cfg.RejectsDir(), runID, cfg.MaxFileRows, opts),
		pages:    newParquetDataset[record.Fetch]("pages", cfg.PagesDir(), runID, cfg.MaxFileRows, opts),
		comments: newParquetDataset[record.CommentRow]("comments", cfg.CommentsDir(), runID, cfg.MaxFileRows, opts),
	}
	sink.reviews.format, sink.comments.format, sink.rejects.format, sink.pages.format = cfg.format, cfg.format, cfg.format, cfg.format
	sink.reviews.codec, sink.comments.codec, sink.rejects.codec, sink.pages.codec = cfg.Compression, cfg.Compression, cfg.Compression, cfg.Compression
	sink.reviews.meta, sink.comments.meta, sink.rejects.meta, sink.pages.meta = meta, meta, meta, meta
	for _, d := range []interface{ setMaxBytes(int64) }{sink.reviews, sink.comments, sink.rejects, sink.pages} {
		d.setMaxBytes(int64(cfg.MaxFileBytes))
	}
	return sink, nil
}

// Write appends reviews to the staged reviews files. It returns ctx.Err()
// once ctx is done. An error that may have left part of a batch written
// (an encoder or I/O failure, or cancellation mid-batch) is sticky: Commit
// then refuses and discards, so a batch is published whole or not at all.
func (s *ParquetSink) Write(ctx context.Context, batch []record.Review) error {
	if err := s.prepare(); err != nil {
		return err
	}
	kept := batch
	var pos []int // kept[i] is batch[pos[i]]; nil when nothing was left out
	if s.keys != nil {
		kept, pos = s.newReviews(batch)
	}
	err := s.reviews.write(ctx, kept)
	crashpoint.Hit("sink.reviews")
	var rowsErr *RowsError
	if err != nil && !errors.As(err, &rowsErr) {
		return err
	}
	var rows []record.CommentRow
	for i := range kept {
		if rowsErr != nil && slices.ContainsFunc(rowsErr.Rows, func(e RowError) bool { return e.Index == i }) {
			continue
		}
		rows = append(rows, kept[i].CommentRows...)
	}
	if len(rows) > 0 {
		if err := s.comments.write(ctx, rows); err != nil {
			return err
		}
		crashpoint.Hit("sink.comments")
	}
	if rowsErr == nil {
		return nil
	}
	for j := range rowsErr.Rows {
		r := &kept[rowsErr.Rows[j].Index]
		s.forget(reviewKey{r.ReviewID, r.ContentHash})
		if pos != nil {
			rowsErr.Rows[j].Index = pos[rowsErr.Rows[j].Index]
		}
	}
	return rowsErr
}

// WriteRejects appends rejects to the staged rejects files, with the same
// rules as Write.
func (s *ParquetSink) WriteRejects(ctx context.Context, batch []record.Reject) error {
	if err := s.prepare(); err != nil {
		return err
	}
	return s.rejects.write(ctx, batch)
}

// WriteFetches appends fetch-log rows to the staged pages files, with the
// same rules as Write.
func (s *ParquetSink) WriteFetches(ctx context.Context, batch []record.Fetch) error {
	if err := s.prepare(); err != nil {
		return err
	}
	return s.pages.write(ctx, batch)
}

// Commit finishes the staged files of both datasets, fsyncs them, renames
// them to their final names and fsyncs the directories. A dataset that got
// no rows gets no file, only its directory. If ctx is done before the first
// rename, or anything fails, Commit discards the run's files, including the
// ones it already renamed, and returns the error: a failed Commit publishes
// nothing. Renames are atomic per file, not across files, so a crash in the
// middle of Commit can leave part of the run visible.
func (s *ParquetSink) Commit(ctx context.Context) error {
	if err := s.prepare(); err != nil {
		return err
	}
	defer s.unlock()
	for _, d := range s.datasets() {
		d.lock()
		defer d.unlock()
	}

	switch {
	case s.reviews.state == parquetCommitted:
		return errors.New("parquet sink: already committed")
	case s.reviews.state == parquetAborted:
		return errors.New("parquet sink: commit after abort")
	}
	if err := s.commitLocked(ctx); err != nil {
		// The error already names what failed; cleanup problems are
		// appended so a leftover temporary is not silent.
		errs := []error{err}
		for _, d := range s.datasets() {
			errs = append(errs, d.discardLocked())
		}
		if errors.Join(errs[1:]...) == nil {
			// Nothing of the run is left; else the next run cleans up.
			removeIntent(s.root, s.runID, s.log)
		}
		return errors.Join(errs...)
	}
	attrs := []any{"format", s.cfg.format.String()}
	for _, d := range s.datasets() {
		dir, files, rows := d.summary()
		attrs = append(attrs, slog.Group(filepath.Base(dir), "dir", dir, "files", files, "rows", rows))
	}
	s.log.Info("committed datasets", attrs...)
	return nil
}

func (s *ParquetSink) commitLocked(ctx context.Context) error {
	for _, d := range s.datasets() {
		if err := d.failed(); err != nil {
			return fmt.Errorf("parquet sink: not committing after a failed write: %w", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("parquet sink: commit: %w", err)
	}
	held := s.heldDatasets()
	for _, d := range s.datasets() {
		if !held[d.datasetName()] {
			if err := d.ensureFileLocked(); err != nil {
				return err
			}
		}
		if err := d.finishLocked(); err != nil {
			return err
		}
	}
	crashpoint.Hit("commit.finished")
	// Finishing the last files may have taken a while; this is the last
	// point at which giving up leaves nothing visible.
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("parquet sink: commit: %w", err)
	}
	// From the first rename until the manifest, the run's files are
	// visible but unpublished. The intent names the run, so that if this
	// process dies in between, the next run knows these files for a
	// crashed run's and deletes them all, in every dataset.
	if err := writeIntent(s.root, s.runID); err != nil {
		return err
	}
	for _, d := range s.datasets() {
		if err := d.publishLocked(); err != nil {
			return err
		}
	}
	crashpoint.Hit("commit.renamed")
	// The manifest makes the run's files part of the dataset; until it is
	// written they are a crashed run's leftovers to the next run.
	m := Manifest{RunID: s.runID, CreatedAt: time.Now().UTC(), SchemaVersion: ParquetSchemaVersion, Mode: s.cfg.Mode,
		Version: record.Version(), ConfigHash: s.cfg.configHash, Format: s.cfg.format.String()}
	for _, d := range s.datasets() {
		files, err := d.manifestFiles(s.root)
		if err != nil {
			return err
		}
		m.Files = append(m.Files, files...)
	}
	if s.cfg.Mode == ModeOverwrite {
		m.Supersedes = append(sortedRunIDs(s.lock.manifests), s.supersedes...)
	}
	if err := writeManifest(s.root, m); err != nil {
		return err
	}
	crashpoint.Hit("commit.manifest")
	for _, d := range s.datasets() {
		d.setState(parquetCommitted)
	}
	removeIntent(s.root, s.runID, s.log)
	if s.cfg.Mode == ModeOverwrite {
		s.removeRuns(s.lock.manifests)
	}
	success, _ := json.Marshal(map[string]any{"run_id": s.runID, "finished_at": m.CreatedAt, "manifest": relPath(s.root, filepath.Join(manifestDir(s.root), s.runID+".json"))})
	if err := writeFileAtomic(filepath.Join(s.root, "_SUCCESS"), append(success, '\n')); err != nil {
		// The run is published (its manifest is written); only the marker
		// is stale.
		s.log.Error("writing _SUCCESS", "error", err)
	}
	crashpoint.Hit("commit.success")
	return nil
}

// heldDatasets names the datasets that hold published files which stay
// after this run (other runs' in append mode): a dataset this run leaves
// empty gets a zero-row file only when it is not one of them, so that
// every published dataset can be queried, and an empty one is not given a
// file every run.
func (s *ParquetSink) heldDatasets() map[string]bool {
	held := map[string]bool{}
	if s.cfg.Mode != ModeAppend {
		return held // the earlier runs are superseded, or there are none
	}
	for _, m := range s.lock.manifests {
		for _, f := range m.Files {
			held[f.Dataset] = true
		}
	}
	for name := range s.remoteHeld {
		held[name] = true
	}
	return held
}

// Abort deletes the staged files. It is idempotent, and a no-op after a
// successful Commit, so callers can defer it right after NewParquet.
func (s *ParquetSink) Abort() error {
	defer s.unlock()
	for _, d := range s.datasets() {
		d.lock()
		defer d.unlock()
	}
	if s.reviews.state == parquetCommitted {
		return nil
	}
	var errs []error
	for _, d := range s.datasets() {
		errs = append(errs, d.discardLocked())
	}
	s.log.Debug("aborted parquet datasets", "reviews_dir", s.reviews.dir, "rejects_dir", s.rejects.dir, "pages_dir", s.pages.dir)
	return errors.Join(errs...)
}

// parquetSyncDir fsyncs a directory so that renames in it are durable. Like
// restic it tolerates file systems and platforms that cannot sync a
// directory, where there is nothing more to do.
func parquetSyncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("opening directory %q to sync it: %w", dir, err)
	}
	err = f.Sync()
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) || errors.Is(err, os.ErrInvalid) {
		err = nil
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("syncing directory %q: %w", dir, err)
	}
	return nil
}

// parquetCodecTags are the struct tag options by which parquet-go pins a
// column's codec.
var parquetCodecTags = []string{"uncompressed", "snappy", "gzip", "brotli", "lz4", "zstd"}

// parquetSingleCodec returns struct tag replacements that drop the codec
// options from model's top-level fields (record.Review pins body to zstd),
// so that the configured codec applies to every column. The tag keys
// parquet-go reads besides "parquet" are carried over unchanged.
func parquetSingleCodec(model reflect.Type) []parquet.WriterOption {
	var opts []parquet.WriterOption
	for i := range model.NumField() {
		f := model.Field(i)
		tag, ok := f.Tag.Lookup("parquet")
		if !ok || f.Anonymous {
			continue
		}
		parts := strings.Split(tag, ",")
		kept := slices.DeleteFunc(slices.Clone(parts), func(opt string) bool {
			return slices.Contains(parquetCodecTags, strings.TrimSpace(opt))
		})
		if len(kept) == len(parts) {
			continue
		}
		newTag := fmt.Sprintf("parquet:%q", strings.Join(kept, ","))
		for _, key := range []string{"parquet-key", "parquet-value", "parquet-element"} {
			if v, ok := f.Tag.Lookup(key); ok {
				newTag += fmt.Sprintf(" %s:%q", key, v)
			}
		}
		opts = append(opts, parquet.StructTag(reflect.StructTag(newTag), f.Name))
	}
	return opts
}
