package sinks

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/filelock"
)

// Write modes of a sink.
const (
	ModeAppend        = "append"
	ModeOverwrite     = "overwrite"
	ModeErrorIfExists = "error_if_exists"
)

// Manifest is the record of one published run, _manifests/<run-id>.json
// in the dataset root: a loader takes exactly the files it lists, and a
// part file no manifest lists is a crashed run's leftover.
type Manifest struct {
	RunID         string         `json:"run_id"`
	CreatedAt     time.Time      `json:"created_at"`
	SchemaVersion string         `json:"schema_version"`
	Mode          string         `json:"mode"`
	Format        string         `json:"format,omitempty"`      // parquet, jsonl, arrow
	Version       string         `json:"version,omitempty"`     // reviewpipe's
	ConfigHash    string         `json:"config_hash,omitempty"` // SHA-256 of the pipeline config file
	Files         []ManifestFile `json:"files"`
	// Supersedes lists, in overwrite mode, the runs this one replaces: a
	// loader that follows manifests ignores them from the moment this
	// manifest exists, before their files and manifests are deleted.
	Supersedes []string `json:"supersedes,omitempty"`
	// Adopted marks the manifest a run wrote for files published before
	// manifests existed.
	Adopted bool `json:"adopted,omitempty"`
}

// ManifestFile is one file of a run.
type ManifestFile struct {
	Dataset string `json:"dataset"` // reviews, comments, rejects, pages
	Path    string `json:"path"`    // relative to the dataset root (or absolute when outside it)
	Rows    int64  `json:"rows"`
	Bytes   int64  `json:"bytes"`
	SHA256  string `json:"sha256"`
}

// partName matches the files a sink publishes and its temporaries.
var partName = regexp.MustCompile(`^(\.?)part-(.+)-(\d{5})\.(?:parquet|jsonl\.gz|arrow)(\.tmp)?$`)

// runLock is a dataset root held by one run: the lock, and what the run
// found there.
type runLock struct {
	root    string
	release func()
	file    *os.File
	// manifests are the published runs' manifests, by run id.
	manifests map[string]Manifest
}

func manifestDir(root string) string { return filepath.Join(root, "_manifests") }

// lockRoot takes the dataset root's lock (_manifests/.lock), failing at
// once when another run holds it: two runs writing one dataset would
// count each other's files as leftovers.
func lockRoot(root string) (*runLock, error) {
	if err := os.MkdirAll(manifestDir(root), 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", manifestDir(root), err)
	}
	path := filepath.Join(manifestDir(root), ".lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	release, err := filelock.TryLock(f)
	if err != nil {
		f.Close()
		if errors.Is(err, filelock.ErrLocked) {
			return nil, fmt.Errorf("dataset %s is being written by another run (%s is locked)", root, path)
		}
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	l := &runLock{root: root, release: release, file: f}
	if l.manifests, err = readManifests(root); err != nil {
		l.unlock()
		return nil, err
	}
	return l, nil
}

func (l *runLock) unlock() {
	if l.release != nil {
		l.release()
		l.file.Close()
		l.release = nil
	}
}

// readManifests loads every manifest of root; a file that does not parse
// is an error naming it, since guessing would publish or delete wrongly.
func readManifests(root string) (map[string]Manifest, error) {
	out := map[string]Manifest{}
	entries, err := os.ReadDir(manifestDir(root))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("listing %s: %w", manifestDir(root), err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		path := filepath.Join(manifestDir(root), e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("reading manifest %s: %w", path, err)
		}
		var m Manifest
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("manifest %s: %w", path, err)
		}
		out[m.RunID] = m
	}
	return out, nil
}

// partFiles lists the part files and temporaries under dir, partition
// folders included: path relative to dir → run id.
func partFiles(dir string) (published, temps map[string]string, err error) {
	published, temps = map[string]string{}, map[string]string{}
	err = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return fs.SkipAll
			}
			return err
		}
		if e.IsDir() {
			return nil
		}
		m := partName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if m[1] == "." && m[4] != "" {
			temps[rel] = m[2]
		} else if m[1] == "" && m[4] == "" {
			published[rel] = m[2]
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("listing %s: %w", dir, err)
	}
	return published, temps, nil
}

// relPath is p relative to root when inside it.
func relPath(root, p string) string {
	if rel, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return p
}

func absPath(root, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(root, filepath.FromSlash(p))
}

// writeManifest writes m atomically (temporary, fsync, rename, fsync dir).
func writeManifest(root string, m Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(manifestDir(root), m.RunID+".json"), append(data, '\n'))
}

func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("syncing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("closing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("publishing %s: %w", path, err)
	}
	return parquetSyncDir(filepath.Dir(path))
}

// sortedRunIDs returns the manifests' run ids in order (run ids sort by
// start time).
func sortedRunIDs(ms map[string]Manifest) []string {
	ids := make([]string, 0, len(ms))
	for id := range ms {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// An intent, _manifests/<run-id>.publishing, exists while a run renames
// its files into place and until its manifest is written. A run that dies
// in between leaves it; the next run then deletes every file of that run
// in every dataset, so a run is published whole or not at all. It has no
// .json suffix, so no reader or loader takes it for a manifest.
const intentSuffix = ".publishing"

func intentPath(root, runID string) string {
	return filepath.Join(manifestDir(root), runID+intentSuffix)
}

// writeIntent records, durably, that runID is about to publish.
func writeIntent(root, runID string) error {
	return writeFileAtomic(intentPath(root, runID), []byte(runID+"\n"))
}

// removeIntent deletes the intent of a run that is now published or
// discarded; a failure only leaves work for the next run's cleanup.
func removeIntent(root, runID string, log *slog.Logger) {
	if err := os.Remove(intentPath(root, runID)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		log.Warn("removing the publishing intent", "run_id", runID, "error", err)
	}
}

// readIntents returns the run ids whose intents are in root.
func readIntents(root string) (map[string]bool, error) {
	entries, err := os.ReadDir(manifestDir(root))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("listing %s: %w", manifestDir(root), err)
	}
	out := map[string]bool{}
	for _, e := range entries {
		if id, ok := strings.CutSuffix(e.Name(), intentSuffix); ok && !e.IsDir() {
			out[id] = true
		}
	}
	return out, nil
}

// superseded returns, of the runs in ms, those an overwrite run listed as
// superseded: a run that crashed after its manifest but before it deleted
// them leaves them for the next run to delete.
func superseded(ms map[string]Manifest) []string {
	var out []string
	for _, m := range ms {
		for _, id := range m.Supersedes {
			if _, ok := ms[id]; ok && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	sort.Strings(out)
	return out
}
