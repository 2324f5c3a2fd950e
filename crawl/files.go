package crawl

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/confval"
	"github.com/reviewpipe/reviewpipe/internal/record"
)

// FilesConfig configures the `files` source, which reads saved pages from
// disk: plain HTML or gzip-compressed HTML.
type FilesConfig struct {
	// Paths are files, directories or glob patterns ("pages/**/*.html").
	// Relative paths are resolved against the config file's folder. A
	// directory is walked recursively for files with one of Extensions; a
	// file named explicitly is read whatever its extension.
	Paths []string `yaml:"paths"`
	// BaseURL, when set, gives pages without a canonical URL the address
	// BaseURL + the file's path relative to the pattern's fixed prefix.
	// Without it, such pages get a file:// URL.
	BaseURL string `yaml:"base_url"`
	// Extensions select files when walking a directory.
	Extensions []string `yaml:"extensions"`
	// MaxFileBytes limits a page's size after decompression; a larger file
	// becomes a too_large reject. The pipeline lowers it to
	// extract.max_page_bytes when that is smaller, so no page is read
	// whole only to be rejected by the extractor.
	MaxFileBytes confval.ByteSize `yaml:"max_file_bytes"`
}

// DefaultFilesConfig returns the `files` source defaults.
func DefaultFilesConfig() FilesConfig {
	return FilesConfig{
		Extensions:   []string{".html", ".htm", ".xhtml", ".html.gz", ".htm.gz"},
		MaxFileBytes: 64 << 20,
	}
}

// Validate reports every invalid field as a *confval.FieldError.
func (c FilesConfig) Validate() error {
	var errs []error
	if len(c.Paths) == 0 {
		errs = append(errs, confval.Errorf("paths", "must list at least one file, directory or glob"))
	}
	for i, p := range c.Paths {
		field := fmt.Sprintf("paths[%d]", i)
		if strings.TrimSpace(p) == "" {
			errs = append(errs, confval.Errorf(field, "must not be empty"))
			continue
		}
		for _, seg := range strings.Split(p, "/") {
			if _, err := path.Match(seg, ""); err != nil {
				errs = append(errs, confval.Errorf(field, "bad glob pattern %q: %v", p, err))
				break
			}
		}
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || (u.Host == "" && u.Path != "" && u.Path != "/") {
			errs = append(errs, confval.Errorf("base_url", "must be an absolute http or https URL, got %q", c.BaseURL))
		}
	}
	if len(c.Extensions) == 0 {
		errs = append(errs, confval.Errorf("extensions", "must list at least one extension"))
	}
	if c.MaxFileBytes <= 0 {
		errs = append(errs, confval.Errorf("max_file_bytes", "must be positive, got %d", c.MaxFileBytes))
	}
	return errors.Join(errs...)
}

// Files is the `files` source. It walks lazily: a directory of a million
// pages is never listed into memory at once.
type Files struct {
	shard   Shard
	cfg     FilesConfig
	fsys    fs.FS
	display func(name string) string
	log     *slog.Logger
	now     func() time.Time
}

// NewFiles returns a files source over fsys, in which cfg.Paths are
// slash-separated fs paths. display turns an fs path into the name users
// see in the source column and in errors (for os.DirFS("/"), "/" + name).
func NewFiles(cfg FilesConfig, fsys fs.FS, display func(string) string, log *slog.Logger) (*Files, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if display == nil {
		display = func(s string) string { return s }
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Files{cfg: cfg, fsys: fsys, display: display, log: log.With("component", "crawl.files"), now: time.Now}, nil
}

var _ Source = (*Files)(nil)

// SetShard makes the source read only its share of the files.
func (f *Files) SetShard(s Shard) error {
	f.shard = s
	return nil
}

// Walk emits every matching file once, pattern by pattern, each pattern's
// matches in lexical order. A file matched by two patterns is read once.
func (f *Files) Walk(ctx context.Context, emit func(*record.Page) error) error {
	return f.each(ctx, true, func(name, base string) error { return emit(f.read(name, base)) })
}

// Count returns how many pages Walk would emit, listing the files without
// reading them, so a run can show an ETA.
func (f *Files) Count(ctx context.Context) (int64, error) {
	var n int64
	err := f.each(ctx, false, func(string, string) error { n++; return nil })
	return n, err
}

// List returns the display names of the first limit files Walk would
// read and how many it would read in all, without reading them.
func (f *Files) List(ctx context.Context, limit int) ([]string, int64, error) {
	var names []string
	var n int64
	err := f.each(ctx, false, func(name, _ string) error {
		if len(names) < limit {
			names = append(names, f.display(name))
		}
		n++
		return nil
	})
	return names, n, err
}

// EachFile calls fn with the fs name and the display name of every file
// Walk would read, once, without reading it (the warc source's archives).
func (f *Files) EachFile(ctx context.Context, fn func(name, shown string) error) error {
	return f.each(ctx, true, func(name, _ string) error { return fn(name, f.display(name)) })
}

// Open opens a file Walk or EachFile named.
func (f *Files) Open(name string) (fs.File, error) { return f.fsys.Open(name) }

// each calls fn for every file to read, once; warn logs patterns that
// matched nothing.
func (f *Files) each(ctx context.Context, warn bool, fn func(name, base string) error) error {
	patterns := make([]string, len(f.cfg.Paths))
	for i, p := range f.cfg.Paths {
		patterns[i] = path.Clean(strings.TrimPrefix(p, "./"))
	}
	total := 0
	for i, pattern := range patterns {
		base := fixedPrefix(pattern)
		matched := 0
		err := f.walkPattern(ctx, pattern, base, warn, func(name string) error {
			matched++
			// Deduplicate by asking the earlier patterns rather than
			// remembering every file: memory stays flat however many
			// pages a run reads.
			for _, earlier := range patterns[:i] {
				if f.matches(earlier, name) {
					return nil
				}
			}
			if !f.shard.takes(name, base) {
				return nil
			}
			return fn(name, base)
		})
		if err != nil {
			return err
		}
		total += matched
		if matched == 0 && warn {
			f.log.Warn("pattern matched no files", "pattern", f.display(pattern))
		}
	}
	if total == 0 {
		shown := make([]string, len(patterns))
		for i, p := range patterns {
			shown[i] = f.display(p)
		}
		return fmt.Errorf("%w: no file matches %s", ErrNoInput, strings.Join(shown, ", "))
	}
	return nil
}

// walkPattern calls fn for each file the pattern names: the file itself, the
// files with a known extension under a directory, or the glob's matches.
func (f *Files) walkPattern(ctx context.Context, pattern, base string, warn bool, fn func(string) error) error {
	if !hasMeta(pattern) {
		st, err := fs.Stat(f.fsys, pattern)
		if err != nil {
			// A named file that is missing is a page we were told about and
			// cannot read: record it rather than silently skip it.
			return fn(pattern)
		}
		if !st.IsDir() {
			return fn(pattern)
		}
	}
	segs := strings.Split(pattern, "/")
	return fs.WalkDir(f.fsys, base, func(name string, d fs.DirEntry, err error) error {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		if err != nil {
			if name == base {
				return nil // the prefix does not exist: the pattern matches nothing
			}
			if warn {
				f.log.Warn("cannot read directory", "path", f.display(name), "error", err)
			}
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if hasMeta(pattern) {
			if !matchSegments(segs, strings.Split(name, "/")) {
				return nil
			}
		} else if !f.hasExtension(name) {
			return nil
		}
		return fn(name)
	})
}

// matches reports whether walking pattern yields the file name.
func (f *Files) matches(pattern, name string) bool {
	switch {
	case hasMeta(pattern):
		return matchSegments(strings.Split(pattern, "/"), strings.Split(name, "/"))
	case name == pattern:
		return true
	case pattern == ".":
		return f.hasExtension(name)
	}
	return strings.HasPrefix(name, pattern+"/") && f.hasExtension(name)
}

func (f *Files) hasExtension(name string) bool {
	low := strings.ToLower(name)
	for _, ext := range f.cfg.Extensions {
		if strings.HasSuffix(low, strings.ToLower(ext)) {
			return true
		}
	}
	return false
}

// Read returns the page of the single file at the fs path name, taken
// literally (no glob), with the same decoding and limits as Walk.
func (f *Files) Read(name string) *record.Page { return f.read(name, path.Dir(name)) }

// read loads one file into a page; a failure becomes a page with Err set.
func (f *Files) read(name, base string) *record.Page {
	shown := f.display(name)
	p := &record.Page{Source: shown, URL: f.pageURL(name, base, shown), FetchedAt: f.now().UTC()}
	if st, err := fs.Stat(f.fsys, name); err == nil && plausibleMtime(st.ModTime(), p.FetchedAt) {
		// A saved page was fetched no later than it was written; its mtime
		// is the best stand-in for the fetch time that relative dates need.
		p.FetchedAt = st.ModTime().UTC()
	}
	body, err := f.readBody(name)
	if err != nil {
		p.Err = err
		return p
	}
	p.Body = body
	if strings.HasSuffix(strings.ToLower(name), ".gz") {
		p.ContentType = "text/html"
	}
	return p
}

func (f *Files) readBody(name string) ([]byte, error) {
	file, err := f.fsys.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, record.Rejectf(record.ReasonUnreadable, "no such file")
		}
		return nil, record.Rejectf(record.ReasonUnreadable, "%v", err)
	}
	defer file.Close()
	limit := int64(f.cfg.MaxFileBytes)
	gz := strings.HasSuffix(strings.ToLower(name), ".gz")
	if st, err := file.Stat(); err == nil && !gz && st.Size() > limit {
		// Known too large before a byte is read.
		return nil, record.Rejectf(record.ReasonTooLarge, "%d bytes, more than the limit of %s", st.Size(), f.cfg.MaxFileBytes)
	}
	var r io.Reader = file
	if gz {
		zr, err := gzip.NewReader(file)
		if err != nil {
			return nil, record.Rejectf(record.ReasonUnreadable, "gzip: %v", err)
		}
		defer zr.Close()
		r = zr
	}
	// Reading stops one byte past the limit, so a gzip bomb costs at most
	// the limit (and the buffer's last doubling), never its full size.
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, limit+1))
	if err != nil {
		return nil, record.Rejectf(record.ReasonUnreadable, "reading: %v", err)
	}
	if n > limit {
		return nil, record.Rejectf(record.ReasonTooLarge, "more than the limit of %s after decompression", f.cfg.MaxFileBytes)
	}
	return buf.Bytes(), nil
}

// minMtimeYear is the earliest modification time taken for a fetch time:
// before the web there was nothing to save, so such an mtime (0, 1970) is
// a copy tool's or an archive's artifact.
const minMtimeYear = 1991

// plausibleMtime reports whether mtime can stand for a fetch time: after
// the web began and not after the file was read.
func plausibleMtime(mtime, readAt time.Time) bool {
	return !mtime.IsZero() && mtime.Year() >= minMtimeYear && !mtime.After(readAt)
}

// pageURL is the address a page has before the extractor finds its own
// canonical URL: base_url + relative path, else a file URL.
func (f *Files) pageURL(name, base, shown string) string {
	rel := strings.TrimPrefix(strings.TrimPrefix(name, base), "/")
	if rel == "" {
		rel = path.Base(name)
	}
	rel = strings.TrimSuffix(rel, ".gz")
	if f.cfg.BaseURL != "" {
		segs := strings.Split(rel, "/")
		for i, s := range segs {
			segs[i] = url.PathEscape(s)
		}
		b := f.cfg.BaseURL
		if !strings.HasSuffix(b, "/") {
			b += "/"
		}
		return b + strings.Join(segs, "/")
	}
	u := url.URL{Scheme: "file", Path: shown}
	if !strings.HasPrefix(shown, "/") {
		u.Path = "/" + shown
	}
	return u.String()
}

func hasMeta(s string) bool { return strings.ContainsAny(s, `*?[\`) }

// fixedPrefix is the longest leading run of segments without glob
// metacharacters: where the walk starts.
func fixedPrefix(pattern string) string {
	if !hasMeta(pattern) {
		return pattern
	}
	segs := strings.Split(pattern, "/")
	var fixed []string
	for _, s := range segs {
		if hasMeta(s) {
			break
		}
		fixed = append(fixed, s)
	}
	if len(fixed) == 0 {
		return "."
	}
	return strings.Join(fixed, "/")
}

// matchSegments matches a path against a pattern segment by segment, where
// a "**" segment matches zero or more whole segments.
func matchSegments(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for len(pat) > 1 && pat[1] == "**" {
				pat = pat[1:]
			}
			if len(pat) == 1 {
				return true
			}
			for i := 0; i <= len(name); i++ {
				if matchSegments(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}
