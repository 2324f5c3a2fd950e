package transform

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/reviewpipe/reviewpipe/internal/confval"
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

	mu      sync.Mutex
	index   [indexBlocks]map[uint8][]int // byte value → entries holding it
	entries []dedupEntry
	known   map[string]bool // review ids in entries
	saved   int             // entries[:saved] came from the state file
	// good is the length of the state file up to its last complete line;
	// Commit cuts a torn tail off before appending.
	good int64
}

type dedupEntry struct {
	id   string
	hash uint64
}

// NewDeduper returns a Deduper loaded with the state at cfg.State (a
// missing file is an empty state). A line it cannot read is an error
// naming the file and line, except a cut-off last line, which a run killed
// while saving leaves and which is dropped with a warning.
func NewDeduper(cfg DuplicatesConfig, log *slog.Logger) (*Deduper, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d := &Deduper{cfg: cfg, path: cfg.State, log: log, known: map[string]bool{}}
	for i := range d.index {
		d.index[i] = map[uint8][]int{}
	}
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
		d.good += int64(len(line) + 1)
		text = rest
	}
	return nil
}

func (d *Deduper) add(id string, h uint64) {
	if d.known[id] {
		return
	}
	d.known[id] = true
	d.entries = append(d.entries, dedupEntry{id, h})
	n := len(d.entries) - 1
	for b := range d.index {
		k := uint8(h >> (8 * b))
		d.index[b][k] = append(d.index[b][k], n)
	}
}

// nearest returns the first entry within max bits of h other than self.
func (d *Deduper) nearest(h uint64, self string, max int) (string, bool) {
	best, bestAt := "", -1
	for b := range d.index {
		for _, n := range d.index[b][uint8(h>>(8*b))] {
			e := d.entries[n]
			if e.id != self && Hamming(e.hash, h) <= max && (bestAt < 0 || n < bestAt) {
				best, bestAt = e.id, n
			}
		}
	}
	return best, bestAt >= 0
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
// it. Call it once the run's output is published.
func (d *Deduper) Commit() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.path == "" || len(d.entries) == d.saved {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(d.path), 0o755); err != nil {
		return fmt.Errorf("creating duplicate state folder: %w", err)
	}
	f, err := os.OpenFile(d.path, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("opening duplicate state: %w", err)
	}
	if err := f.Truncate(d.good); err != nil {
		f.Close()
		return fmt.Errorf("cutting the torn tail off duplicate state %s: %w", d.path, err)
	}
	if _, err := f.Seek(d.good, 0); err != nil {
		f.Close()
		return fmt.Errorf("seeking in duplicate state %s: %w", d.path, err)
	}
	w := bufio.NewWriter(f)
	var n int64
	for _, e := range d.entries[d.saved:] {
		k, _ := fmt.Fprintf(w, "%s\t%016x\n", e.id, e.hash)
		n += int64(k)
	}
	err = w.Flush()
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing duplicate state %s: %w", d.path, err)
	}
	d.log.Info("duplicate state saved", "file", d.path, "new", len(d.entries)-d.saved, "total", len(d.entries))
	d.saved = len(d.entries)
	d.good += n
	return nil
}
