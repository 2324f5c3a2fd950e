package transform

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/reviewpipe/reviewpipe/internal/confval"
	"github.com/reviewpipe/reviewpipe/internal/filelock"
	"github.com/reviewpipe/reviewpipe/internal/keyset"
	"github.com/reviewpipe/reviewpipe/internal/record"
)

// DuplicatesConfig configures near-duplicate detection.
type DuplicatesConfig struct {
	// Enabled turns detection on; simhash is filled in either way.
	Enabled bool `yaml:"enabled"`
	// MaxDistance is the largest number of differing SimHash bits at which
	// two bodies count as copies of one text. At most 7, so the pigeonhole
	// index below finds every pair.
	MaxDistance int `yaml:"max_distance"`
	// MinWords exempts shorter bodies: short texts have too few shingles
	// for their fingerprints to mean much.
	MinWords int `yaml:"min_words"`
	// State is the file that remembers the fingerprints of earlier runs'
	// reviews, so a copy published later still points to the first; ""
	// compares within the run only. Relative paths resolve against the
	// config file's folder.
	State string `yaml:"state"`
}

// The index keys every fingerprint by each of its eight bytes: two
// fingerprints at most 7 bits apart differ in at most 7 bytes, so they
// agree on one (pigeonhole), and a lookup compares only the entries that
// share a byte with it, about 1/32 of them.
const (
	indexBlocks        = 8
	maxIndexedDistance = indexBlocks - 1
)

func (c DuplicatesConfig) validate(prefix string) []error {
	var errs []error
	if c.MaxDistance < 0 || c.MaxDistance > maxIndexedDistance {
		errs = append(errs, confval.Errorf(prefix+".max_distance", "must be between 0 and %d, got %d", maxIndexedDistance, c.MaxDistance))
	}
	if c.MinWords < 0 {
		errs = append(errs, confval.Errorf(prefix+".min_words", "must not be negative, got %d", c.MinWords))
	}
	return errs
}

// Deduper marks near-duplicate reviews: a review whose body's SimHash is
// within MaxDistance bits of an earlier review's gets duplicate_of = that
// review's id. Earlier means an earlier run (from the state file) or, in
// this run, one that reached the deduper first. Reviews of this run join
// the state only at Commit, after the sinks published them, so a failed
// run leaves no fingerprint behind to point later copies at rows nobody
// can read.
type Deduper struct {
	cfg  DuplicatesConfig
	path string
	log  *slog.Logger

	// The fingerprints are kept compact, since the deduper holds every
	// review of the state and of the run: about 100 bytes an entry (the
	// id's bytes in one arena, 16 bytes of entry, 32 of index, 21 in
	// known) where strings in maps took about 330.
	mu      sync.Mutex
	index   [indexBlocks][256][]uint32 // byte value → entries holding it
	entries []dedupEntry
	ids     []byte     // the entries' review ids, back to back
	known   keyset.Set // review ids in entries
	saved   int        // entries[:saved] came from the state file
}

// dedupEntry is a fingerprint and where its review id lies in ids.
type dedupEntry struct {
	hash uint64
	off  uint32
	n    uint32
}

func (d *Deduper) id(e dedupEntry) string { return string(d.ids[e.off : e.off+e.n]) }

// NewDeduper returns a Deduper loaded with the state at cfg.State (a
// missing file is an empty state). A line it cannot read is an error
// naming the file and line, except a cut-off last line, which a run killed
// while saving leaves and which is dropped with a warning.
func NewDeduper(cfg DuplicatesConfig, log *slog.Logger) (*Deduper, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d := &Deduper{cfg: cfg, path: cfg.State, log: log}
	if d.path == "" {
		return d, nil
	}
	if err := d.load(); err != nil {
		return nil, err
	}
	d.saved = len(d.entries)
	return d, nil
}

func (d *Deduper) load() error {
	data, err := os.ReadFile(d.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading duplicate state: %w", err)
	}
	text := string(data)
	for i := 1; text != ""; i++ {
		line, rest, complete := strings.Cut(text, "\n")
		if !complete {
			// A run killed while saving: what it had not finished is lost
			// with it, the rest of the state holds.
			d.log.Warn("dropping the cut-off last line of the duplicate state", "file", d.path, "line", i)
			break
		}
		id, hex, ok := strings.Cut(line, "\t")
		h, err := strconv.ParseUint(hex, 16, 64)
		if !ok || err != nil || id == "" || len(hex) != 16 {
			return fmt.Errorf("%s:%d: duplicate state line %q is not <review_id> TAB <16 hex digits>", d.path, i, line)
		}
		d.add(id, h)
		text = rest
	}
	return nil
}

func (d *Deduper) add(id string, h uint64) {
	if len(d.ids)+len(id) > math.MaxUint32 || len(d.entries) == math.MaxUint32 {
		return // 4 GB of ids: later reviews are not remembered
	}
	if !d.known.Add(keyset.Of(id)) {
		return
	}
	d.entries = append(d.entries, dedupEntry{hash: h, off: uint32(len(d.ids)), n: uint32(len(id))})
	d.ids = append(d.ids, id...)
	n := uint32(len(d.entries) - 1)
	for b := range d.index {
		k := uint8(h >> (8 * b))
		d.index[b][k] = append(d.index[b][k], n)
	}
}

// nearest returns the first entry within max bits of h other than self.
func (d *Deduper) nearest(h uint64, self string, max int) (string, bool) {
	bestAt := -1
	for b := range d.index {
		for _, n := range d.index[b][uint8(h>>(8*b))] {
			e := d.entries[n]
			if Hamming(e.hash, h) <= max && (bestAt < 0 || int(n) < bestAt) && d.id(e) != self {
				bestAt = int(n)
			}
		}
	}
	if bestAt < 0 {
		return "", false
	}
	return d.id(d.entries[bestAt]), true
}

// Apply implements Transform: it sets r.DuplicateOf when r copies an
// earlier review, and remembers r otherwise. A review seen before under
// its own id (a page fetched again) is neither.
func (d *Deduper) Apply(_ context.Context, r *record.Review) error {
	if !d.cfg.Enabled || r.WordCount < int64(d.cfg.MinWords) {
		return nil
	}
	h := uint64(r.SimHash)
	d.mu.Lock()
	defer d.mu.Unlock()
	if first, ok := d.nearest(h, r.ReviewID, d.cfg.MaxDistance); ok {
		r.DuplicateOf = record.Str(first)
		return nil
	}
	d.add(r.ReviewID, h)
	return nil
}

// Commit appends this run's new fingerprints to the state file and syncs
// it. Call it once the run's output is published. The file is locked
// while Commit writes, so two runs that end together both land; a torn
// last line (a run killed while saving) is cut off first.
// SaveTo makes Commit append this run's new fingerprints to path instead
// of the state they were loaded from: a shard of a sharded run keeps them
// in its staging folder until `reviewpipe commit` publishes the run and
// appends them to the state (AppendState).
func (d *Deduper) SaveTo(path string) { d.path = path }

// AppendState appends fingerprint lines (a shard's saved state) to the
// state file to, under the state's lock.
func AppendState(data []byte, to string) error {
	if len(data) == 0 {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return fmt.Errorf("creating duplicate state folder: %w", err)
	}
	f, err := os.OpenFile(to, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("opening duplicate state: %w", err)
	}
	defer f.Close()
	unlock, err := filelock.Lock(f)
	if err != nil {
		return fmt.Errorf("locking duplicate state %s: %w", to, err)
	}
	defer unlock()
	end, err := completeLines(f)
	if err == nil {
		err = f.Truncate(end)
	}
	if err == nil {
		_, err = f.Seek(end, io.SeekStart)
	}
	if err == nil {
		// Only whole lines: a shard killed while saving left a torn tail.
		data = data[:bytes.LastIndexByte(data, '\n')+1]
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		return fmt.Errorf("appending to duplicate state %s: %w", to, err)
	}
	return nil
}

func (d *Deduper) Commit() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.path == "" || len(d.entries) == d.saved {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(d.path), 0o755); err != nil {
		return fmt.Errorf("creating duplicate state folder: %w", err)
	}
	f, err := os.OpenFile(d.path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("opening duplicate state: %w", err)
	}
	defer f.Close()
	unlock, err := filelock.Lock(f)
	if err != nil {
		return fmt.Errorf("locking duplicate state %s: %w", d.path, err)
	}
	defer unlock()
	end, err := completeLines(f)
	if err != nil {
		return fmt.Errorf("reading duplicate state %s: %w", d.path, err)
	}
	if err := f.Truncate(end); err != nil {
		return fmt.Errorf("cutting the torn tail off duplicate state %s: %w", d.path, err)
	}
	if _, err := f.Seek(end, io.SeekStart); err != nil {
		return fmt.Errorf("seeking in duplicate state %s: %w", d.path, err)
	}
	w := bufio.NewWriter(f)
	for _, e := range d.entries[d.saved:] {
		fmt.Fprintf(w, "%s\t%016x\n", d.id(e), e.hash)
	}
	if err = w.Flush(); err == nil {
		err = f.Sync()
	}
	if err != nil {
		return fmt.Errorf("writing duplicate state %s: %w", d.path, err)
	}
	d.log.Info("duplicate state saved", "file", d.path, "new", len(d.entries)-d.saved)
	d.saved = len(d.entries)
	return nil
}

// completeLines returns the length of f up to the end of its last
// complete line: the whole file when it ends in a newline (or is empty).
func completeLines(f *os.File) (int64, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	size := st.Size()
	buf := make([]byte, 4096)
	for off := size; off > 0; {
		n := int64(len(buf))
		if off < n {
			n = off
		}
		off -= n
		if _, err := f.ReadAt(buf[:n], off); err != nil {
			return 0, err
		}
		if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
			return off + int64(i) + 1, nil
		}
	}
	return 0, nil
}
