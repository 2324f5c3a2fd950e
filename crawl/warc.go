package crawl

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"mime"
	"slices"
	"strings"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/confval"
	"github.com/reviewpipe/reviewpipe/internal/objstore"
	"github.com/reviewpipe/reviewpipe/internal/record"
)

// WARCConfig configures the `warc` source, which reads web archives: the
// response records of .warc and .warc.gz files.
type WARCConfig struct {
	// Paths are WARC files, directories or glob patterns, as for `files`.
	Paths []string `yaml:"paths"`
	// MaxRecordBytes limits a page's payload; a larger one becomes a
	// too_large reject, read no further. The pipeline lowers it to
	// extract.max_page_bytes when that is smaller.
	MaxRecordBytes confval.ByteSize `yaml:"max_record_bytes"`
	// ContentTypes are the media types of the responses that are pages.
	ContentTypes []string `yaml:"content_types"`
}

// DefaultWARCConfig returns the `warc` source defaults.
func DefaultWARCConfig() WARCConfig {
	return WARCConfig{MaxRecordBytes: 64 << 20, ContentTypes: []string{"text/html", "application/xhtml+xml"}}
}

// Validate reports every invalid field as a *confval.FieldError.
func (c WARCConfig) Validate() error {
	var errs []error
	if len(c.Paths) == 0 {
		errs = append(errs, confval.Errorf("paths", "must list at least one WARC file, directory, glob or object-storage URL"))
	}
	for i, p := range c.Paths {
		if objstore.IsURL(p) {
			if _, _, err := objstore.Split(p); err != nil {
				errs = append(errs, confval.Errorf(fmt.Sprintf("paths[%d]", i), "%v", err))
			}
			continue
		}
		fc := DefaultFilesConfig()
		fc.Paths, fc.Extensions = []string{p}, warcExtensions
		if err := fc.Validate(); err != nil {
			errs = append(errs, confval.Errorf(fmt.Sprintf("paths[%d]", i), "%v", err))
		}
	}
	if c.MaxRecordBytes <= 0 {
		errs = append(errs, confval.Errorf("max_record_bytes", "must be positive, got %d", c.MaxRecordBytes))
	}
	if len(c.ContentTypes) == 0 {
		errs = append(errs, confval.Errorf("content_types", "must list at least one media type"))
	}
	return errors.Join(errs...)
}

// warcExtensions select the archives when walking a directory.
var warcExtensions = []string{".warc", ".warc.gz"}

// WARC is the `warc` source.
type WARC struct {
	shard  Shard
	cfg    WARCConfig
	files  *Files   // the local paths; nil when there are none
	remote []string // the object-storage URLs
	log    *slog.Logger
	open   func(r io.Reader) (warcReader, error)
}

var _ Source = (*WARC)(nil)

// SetShard makes the source read only its share of the archives.
func (w *WARC) SetShard(s Shard) error {
	w.shard = s
	if w.files != nil {
		return w.files.SetShard(s)
	}
	return nil
}

// NewWARC returns a warc source over fsys; display names files in
// messages, as for NewFiles.
func NewWARC(cfg WARCConfig, fsys fs.FS, display func(string) string, log *slog.Logger) (*WARC, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w := &WARC{cfg: cfg, log: log.With("component", "crawl.warc"), open: openGowarc}
	fc := DefaultFilesConfig()
	fc.Extensions = warcExtensions
	for _, p := range cfg.Paths {
		if objstore.IsURL(p) {
			w.remote = append(w.remote, p)
		} else {
			fc.Paths = append(fc.Paths, p)
		}
	}
	if len(fc.Paths) > 0 {
		files, err := NewFiles(fc, fsys, display, log)
		if err != nil {
			return nil, err
		}
		w.files = files
	}
	return w, nil
}

// warcCounts tallies one archive's records for its log line.
type warcCounts struct {
	pages, rejects int
	skipped        map[string]int // by why: "request", "revisit", "status 404", "image/png"
}

// Walk emits a page for every HTML response of every archive, in file
// order. A record that cannot be read is a reject naming the file and the
// offset; an archive that breaks off is a reject for its rest. Other
// records are skipped and counted in the archive's log line.
func (w *WARC) Walk(ctx context.Context, emit func(*record.Page) error) error {
	if w.files != nil {
		err := w.files.EachFile(ctx, func(name, shown string) error {
			return w.archive(ctx, shown, func() (io.ReadCloser, error) { return w.files.Open(name) }, emit)
		})
		if err != nil && (!errors.Is(err, ErrNoInput) || len(w.remote) == 0) {
			return err
		}
	}
	for _, u := range w.remote {
		if err := w.walkRemote(ctx, u, emit); err != nil {
			return err
		}
	}
	return nil
}

// List returns the names of the first limit archives Walk would read and
// how many it would read in all, without reading them.
func (w *WARC) List(ctx context.Context, limit int) ([]string, int64, error) {
	var names []string
	var n int64
	add := func(shown string) {
		if len(names) < limit {
			names = append(names, shown)
		}
		n++
	}
	if w.files != nil {
		err := w.files.EachFile(ctx, func(_, shown string) error { add(shown); return nil })
		if err != nil && !errors.Is(err, ErrNoInput) {
			return nil, 0, err
		}
	}
	for _, raw := range w.remote {
		err := w.eachRemote(ctx, raw, func(shown, _, _ string) error { add(shown); return nil })
		if err != nil && !errors.Is(err, ErrNoInput) {
			return nil, 0, err
		}
	}
	if n == 0 {
		return nil, 0, fmt.Errorf("%w: no archive matches %s", ErrNoInput, strings.Join(w.cfg.Paths, ", "))
	}
	return names, n, nil
}

// archive reads one archive and logs what it held.
func (w *WARC) archive(ctx context.Context, shown string, open func() (io.ReadCloser, error), emit func(*record.Page) error) error {
	c := warcCounts{skipped: map[string]int{}}
	err := w.walkFile(ctx, shown, open, &c, emit)
	attrs := []any{"file", shown, "pages", c.pages, "rejects", c.rejects}
	for _, k := range slices.Sorted(maps.Keys(c.skipped)) {
		attrs = append(attrs, "skipped_"+strings.NewReplacer(" ", "_", "/", "_").Replace(k), c.skipped[k])
	}
	w.log.Info("archive read", attrs...)
	return err
}

// walkRemote reads the archives an object-storage URL names.
func (w *WARC) walkRemote(ctx context.Context, raw string, emit func(*record.Page) error) error {
	return w.eachRemote(ctx, raw, func(shown, bucketURL, key string) error {
		return w.archive(ctx, shown, func() (io.ReadCloser, error) { return objstore.Open(ctx, bucketURL, key) }, emit)
	})
}

// eachRemote calls fn for the archives an object-storage URL names: one
// object, the archives under a prefix, or the keys a glob matches.
func (w *WARC) eachRemote(ctx context.Context, raw string, fn func(shown, bucketURL, key string) error) error {
	bucketURL, pattern, err := objstore.Split(raw)
	if err != nil {
		return err
	}
	keys, err := objstore.List(ctx, bucketURL, fixedPrefix(pattern))
	if err != nil {
		return err
	}
	matched := 0
	for _, key := range keys {
		switch {
		case hasMeta(pattern) && !matchSegments(strings.Split(pattern, "/"), strings.Split(key, "/")):
			continue
		case !hasMeta(pattern) && key != pattern && !(strings.HasPrefix(key, strings.TrimSuffix(pattern, "/")+"/") && hasWARCExtension(key)):
			continue
		}
		matched++ // a share with no archive of its own is no missing input
		if !w.shard.takes(key, fixedPrefix(pattern)) {
			continue
		}
		shown := strings.SplitN(raw, "://", 2)[0] + "://" + objectHost(bucketURL) + "/" + key
		if err := fn(shown, bucketURL, key); err != nil {
			return err
		}
	}
	if matched == 0 {
		return fmt.Errorf("%w: no archive matches %s", ErrNoInput, raw)
	}
	return nil
}

func hasWARCExtension(key string) bool {
	for _, ext := range warcExtensions {
		if strings.HasSuffix(strings.ToLower(key), ext) {
			return true
		}
	}
	return false
}

// objectHost is the bucket of a bucket URL, for messages.
func objectHost(bucketURL string) string {
	host, _, _ := strings.Cut(strings.SplitN(bucketURL, "://", 2)[1], "?")
	return host
}

func (w *WARC) walkFile(ctx context.Context, shown string, open func() (io.ReadCloser, error), c *warcCounts, emit func(*record.Page) error) error {
	f, err := open()
	if err != nil {
		c.rejects++
		return emit(&record.Page{URL: "file://" + shown, Source: shown, Err: record.Rejectf(record.ReasonUnreadable, "%v", err)})
	}
	defer f.Close()
	r, err := w.open(f)
	if err != nil {
		c.rejects++
		return emit(&record.Page{URL: "file://" + shown, Source: shown, Err: record.Rejectf(record.ReasonUnreadable, "not a WARC file: %v", err)})
	}
	defer r.Close()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			// The reader cannot find the next record's start: the rest
			// of the archive is one reject, not a crash.
			c.rejects++
			return emit(&record.Page{URL: "file://" + shown, Source: fmt.Sprintf("%s#%d", shown, rec.Offset),
				Err: record.Rejectf(record.ReasonUnreadable, "WARC record at offset %d: %v; the rest of the archive is not read", rec.Offset, err)})
		}
		p := w.page(rec, shown, c)
		rec.Close()
		if p == nil {
			continue
		}
		if err := emit(p); err != nil {
			return err
		}
	}
}

// page turns a response record into a page, nil for a skipped record.
func (w *WARC) page(rec warcRecord, shown string, c *warcCounts) *record.Page {
	if rec.Type != "response" {
		c.skipped[rec.Type]++
		return nil
	}
	if rec.PayloadErr != nil {
		c.rejects++
		return &record.Page{URL: cmp.Or(rec.TargetURI, "file://"+shown), Source: fmt.Sprintf("%s#%d", shown, rec.Offset), FetchedAt: rec.Date.UTC(),
			Err: record.Rejectf(record.ReasonUnreadable, "WARC record at offset %d: %v", rec.Offset, rec.PayloadErr)}
	}
	if rec.Status < 200 || rec.Status > 299 {
		c.skipped[fmt.Sprintf("status %d", rec.Status)]++
		return nil
	}
	ct := rec.Header.Get("Content-Type")
	media, _, _ := mime.ParseMediaType(ct)
	if !slices.Contains(w.cfg.ContentTypes, strings.ToLower(media)) {
		c.skipped[cmp.Or(media, "no content type")]++
		return nil
	}
	p := &record.Page{URL: rec.TargetURI, Source: fmt.Sprintf("%s#%d", shown, rec.Offset), ContentType: ct, FetchedAt: rec.Date.UTC()}
	limit := int64(w.cfg.MaxRecordBytes)
	body, err := io.ReadAll(io.LimitReader(rec.Payload, limit+1))
	switch {
	case err != nil:
		c.rejects++
		p.Err = record.Rejectf(record.ReasonUnreadable, "WARC record at offset %d: %v", rec.Offset, err)
	case int64(len(body)) > limit:
		c.rejects++
		p.Err = record.Rejectf(record.ReasonTooLarge, "payload over the limit of %s", w.cfg.MaxRecordBytes)
	default:
		c.pages++
		p.Body = body
	}
	return p
}

// warcRecord is one record as the source needs it.
type warcRecord struct {
	Type      string // warcinfo, request, response, revisit, metadata, resource, …
	TargetURI string
	Date      time.Time
	Offset    int64
	// Status and Header are the HTTP response's; Payload is its body.
	Status     int
	Header     httpHeader
	Payload    io.Reader
	PayloadErr error
	close      func() error
}

// Close releases the record's buffers.
func (r warcRecord) Close() {
	if r.close != nil {
		_ = r.close()
	}
}

// httpHeader is the part of http.Header the source reads.
type httpHeader interface{ Get(string) string }

// warcReader is the small interface the WARC library sits behind: the
// records of one archive in order, io.EOF at the end.
type warcReader interface {
	Next() (warcRecord, error)
	Close() error
}
