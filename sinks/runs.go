package sinks

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/reviewpipe/reviewpipe/internal/crashpoint"
	"github.com/reviewpipe/reviewpipe/internal/keyset"
	"github.com/reviewpipe/reviewpipe/internal/record"
)

// reviewKey is what makes a review the same review in append mode: its id
// and the hash of its body. A review whose text changed is written again.
type reviewKey struct {
	ReviewID    string `parquet:"review_id" json:"review_id"`
	ContentHash string `parquet:"content_hash" json:"content_hash"`
}

// key is the 128-bit digest a set of published reviews holds, 16 bytes
// where the two hex strings took about 250: the set holds every review
// of the dataset, so its size per review is what bounds a long-lived
// dataset's appends.
func (k reviewKey) key() keyset.Key { return keyset.Of(k.ReviewID, k.ContentHash) }

// prepare runs once, before the sink's first write or its commit: it takes
// the dataset root's lock, refuses a non-empty dataset in error_if_exists
// mode, adopts files published before manifests existed, deletes what
// crashed runs left (temporaries, and part files no manifest lists), and
// in append mode loads the keys of the reviews already published.
func (s *ParquetSink) prepare() error {
	s.prepMu.Lock()
	defer s.prepMu.Unlock()
	if s.prepared {
		return s.prepErr
	}
	s.prepared = true
	s.prepErr = s.prepareLocked()
	if s.prepErr != nil && s.lock != nil {
		s.lock.unlock()
	}
	return s.prepErr
}

func (s *ParquetSink) prepareLocked() error {
	lock, err := lockRoot(s.root)
	if err != nil {
		return fmt.Errorf("parquet sink: %w", err)
	}
	s.lock = lock
	if _, ok := lock.manifests[s.runID]; ok {
		return fmt.Errorf("parquet sink: run id %q was used before (%s exists)", s.runID, filepath.Join(manifestDir(s.root), s.runID+".json"))
	}
	if err := s.finishOverwrite(); err != nil {
		return err
	}
	crashed, err := readIntents(s.root)
	if err != nil {
		return fmt.Errorf("parquet sink: %w", err)
	}
	noManifests := len(lock.manifests) == 0
	listed := map[string]bool{}
	for _, m := range lock.manifests {
		for _, f := range m.Files {
			listed[filepath.Clean(absPath(s.root, f.Path))] = true
		}
	}
	adopt := map[string]*Manifest{}
	var removed []string
	for _, d := range s.datasets() {
		dir := d.directory()
		published, temps, err := partFiles(dir)
		if err != nil {
			return fmt.Errorf("parquet sink: %w", err)
		}
		for name := range temps {
			// The lock is ours: no other run is writing these.
			p := filepath.Join(dir, name)
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("parquet sink: removing a crashed run's temporary %s: %w", p, err)
			}
			removed = append(removed, p)
		}
		for name, runID := range published {
			p := filepath.Join(dir, name)
			switch {
			case listed[filepath.Clean(p)]:
			case noManifests && !crashed[runID]:
				// Published before this version wrote manifests: adopt.
				// A crashed run's files never are: its intent names it.
				m := adopt[runID]
				if m == nil {
					m = &Manifest{RunID: runID, CreatedAt: time.Now().UTC(), SchemaVersion: "", Mode: ModeAppend, Adopted: true}
					adopt[runID] = m
				}
				f, err := describeFile(s.root, d.datasetName(), p)
				if err != nil {
					return fmt.Errorf("parquet sink: adopting %s: %w", p, err)
				}
				m.Files = append(m.Files, f)
			default:
				// Renamed by a run that crashed before its manifest.
				if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return fmt.Errorf("parquet sink: removing a crashed run's file %s: %w", p, err)
				}
				removed = append(removed, p)
			}
		}
	}
	for _, m := range adopt {
		if err := writeManifest(s.root, *m); err != nil {
			return fmt.Errorf("parquet sink: %w", err)
		}
		lock.manifests[m.RunID] = *m
	}
	for id := range crashed {
		// Its files are gone; a manifest it may have written first
		// stays, since then the run was published.
		removeIntent(s.root, id, s.log)
	}
	if len(removed) > 0 {
		s.log.Warn("removed what an interrupted run left", "files", len(removed), "first", removed[0])
	}
	if len(adopt) > 0 {
		s.log.Info("adopted files published without a manifest", "runs", len(adopt))
	}
	if s.cfg.Mode == ModeErrorIfExists {
		for _, m := range lock.manifests {
			if len(m.Files) > 0 {
				return fmt.Errorf("parquet sink: dataset %s already holds run %s (mode error_if_exists)", s.root, m.RunID)
			}
		}
	}
	if s.cfg.Mode == ModeAppend {
		s.keys = &keyset.Set{}
		for _, m := range lock.manifests {
			for _, f := range m.Files {
				if f.Dataset != "reviews" {
					continue
				}
				if err := loadKeys(absPath(s.root, f.Path), s.keys); err != nil {
					return fmt.Errorf("parquet sink: reading the reviews of run %s: %w", m.RunID, err)
				}
			}
		}
	}
	return s.loadRootKeys()
}

// finishOverwrite deletes the runs an overwrite run superseded but did
// not get to delete before it was killed: their rows must not count as
// present in append mode, nor stay beside the new run for glob readers.
func (s *ParquetSink) finishOverwrite() error {
	old := superseded(s.lock.manifests)
	if len(old) == 0 {
		return nil
	}
	runs := map[string]Manifest{}
	for _, id := range old {
		runs[id] = s.lock.manifests[id]
	}
	s.removeRuns(runs)
	for _, id := range old {
		if _, err := os.Stat(filepath.Join(manifestDir(s.root), id+".json")); err == nil {
			return fmt.Errorf("parquet sink: run %s is superseded but its files could not be removed", id)
		}
		delete(s.lock.manifests, id)
	}
	s.log.Info("finished an interrupted overwrite", "removed_runs", len(old))
	return nil
}

// loadKeys adds the review keys of one published file.
func loadKeys(path string, keys *keyset.Set) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if strings.HasSuffix(path, formatArrow.ext()) {
		return loadArrowKeys(f, path, keys)
	}
	if strings.HasSuffix(path, formatJSONL.ext()) {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		dec := json.NewDecoder(zr)
		for line := 1; ; line++ {
			var k reviewKey
			if err := dec.Decode(&k); err == io.EOF {
				return nil
			} else if err != nil {
				return fmt.Errorf("%s: row %d: %w", path, line, err)
			}
			keys.Add(k.key())
		}
	}
	r := parquet.NewGenericReader[reviewKey](f)
	defer r.Close()
	buf := make([]reviewKey, 1024)
	for {
		n, err := r.Read(buf)
		for _, k := range buf[:n] {
			keys.Add(k.key())
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
}

// newReviews drops the reviews of batch already in the dataset (or
// earlier in this run) with the same content, and remembers the rest. It
// returns the rest and, for each, its index in batch.
func (s *ParquetSink) newReviews(batch []record.Review) ([]record.Review, []int) {
	s.prepMu.Lock()
	defer s.prepMu.Unlock()
	out := batch[:0:0]
	var pos []int
	for i, r := range batch {
		if !s.keys.Add(reviewKey{r.ReviewID, r.ContentHash}.key()) {
			s.skipped++
			continue
		}
		out = append(out, r)
		pos = append(pos, i)
	}
	return out, pos
}

// forget undoes newReviews for a review that was not written after all.
func (s *ParquetSink) forget(k reviewKey) {
	s.prepMu.Lock()
	defer s.prepMu.Unlock()
	if s.keys != nil {
		s.keys.Remove(k.key())
	}
}

// WriteRunFile writes one of the published run's files to
// _runs/<run-id>/name beside _manifests/, atomically.
func (s *ParquetSink) WriteRunFile(_ context.Context, name string, data []byte) error {
	dir := filepath.Join(s.root, "_runs", s.runID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	return writeFileAtomic(filepath.Join(dir, name), data)
}

// Skipped returns how many reviews append mode left out because the
// dataset already had them.
func (s *ParquetSink) Skipped() int64 {
	s.prepMu.Lock()
	defer s.prepMu.Unlock()
	return s.skipped
}

// removeRuns deletes the files and manifests of earlier runs (overwrite
// mode, after this run is published). A file that cannot be removed is
// logged: the new run is out, the old one stays listed.
func (s *ParquetSink) removeRuns(runs map[string]Manifest) {
	for _, id := range sortedRunIDs(runs) {
		if id == s.runID {
			continue
		}
		ok := true
		for _, f := range runs[id].Files {
			if err := os.Remove(absPath(s.root, f.Path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				s.log.Error("overwrite: removing an earlier run's file", "run_id", id, "file", f.Path, "error", err)
				ok = false
			}
			crashpoint.Hit("commit.supersede")
		}
		if ok {
			os.Remove(filepath.Join(manifestDir(s.root), id+".json"))
		}
	}
}

func (s *ParquetSink) unlock() {
	s.prepMu.Lock()
	defer s.prepMu.Unlock()
	if s.lock != nil {
		s.lock.unlock()
	}
}

// describeFile is the manifest entry of an existing file.
func describeFile(root, dataset, path string) (ManifestFile, error) {
	sum, size, err := fileSHA256(path)
	if err != nil {
		return ManifestFile{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return ManifestFile{}, err
	}
	defer f.Close()
	if !strings.HasSuffix(path, ".parquet") {
		// Only Parquet was written before manifests existed.
		return ManifestFile{Dataset: dataset, Path: relPath(root, path), Rows: -1, Bytes: size, SHA256: sum}, nil
	}
	pf, err := parquet.OpenFile(f, size)
	if err != nil {
		return ManifestFile{}, fmt.Errorf("%s: %w", path, err)
	}
	return ManifestFile{Dataset: dataset, Path: relPath(root, path), Rows: pf.NumRows(), Bytes: size, SHA256: sum}, nil
}

func fileSHA256(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("hashing %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
