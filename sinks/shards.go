package sinks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/filelock"
	"github.com/reviewpipe/reviewpipe/internal/record"
)

// A sharded run is N ordinary runs into staging roots, one per shard,
// <root>/_staging/<run-id>/shard-<K>-of-<N>/, each with the datasets laid
// out as in <root> and its own manifest and _SUCCESS; `reviewpipe commit`
// then publishes them into <root> under one manifest. A shard's files
// carry the run id <run-id>-s<K>, so no two shards' names meet.

// ShardRunID is the run id of shard k's files.
func ShardRunID(runID string, k int) string { return fmt.Sprintf("%s-s%03d", runID, k) }

func shardDir(k, n int) string { return fmt.Sprintf("shard-%03d-of-%03d", k, n) }

var shardDirRe = regexp.MustCompile(`^shard-(\d{3,})-of-(\d{3,})$`)

func shardStaging(root, runID string) string { return filepath.Join(root, "_staging", runID) }

// ForShard returns c (paths absolute) rewritten to stage shard k of n of
// run runID: every dataset moves below the shard's staging root, keeping
// its place relative to the dataset root (a dataset kept elsewhere is put
// there by its folder name), and append mode leaves out the reviews the
// real root already holds.
func (c ParquetConfig) ForShard(runID string, k, n int) ParquetConfig {
	if IsRemote(c.Path) {
		return c.forShardRemote(runID, k, n)
	}
	root := filepath.Dir(filepath.Clean(c.Path))
	stage := filepath.Join(shardStaging(root, runID), shardDir(k, n))
	out := c
	out.Path = stagedPath(root, stage, c.Path)
	for _, p := range []*string{&out.RejectsPath, &out.PagesPath, &out.CommentsPath} {
		if *p != "" {
			*p = stagedPath(root, stage, *p)
		}
	}
	out.keysRoot = root
	return out
}

// ShardStagingRoots returns the staging roots of the shards of run runID
// under a local dataset, in shard order (missing ones included as named).
func ShardStagingRoots(c ParquetConfig, runID string) []string {
	root := filepath.Dir(filepath.Clean(c.Path))
	entries, _ := os.ReadDir(shardStaging(root, runID))
	var out []string
	for _, e := range entries {
		if shardDirRe.MatchString(e.Name()) && e.IsDir() {
			out = append(out, filepath.Join(shardStaging(root, runID), e.Name()))
		}
	}
	return out
}

// ShardStagingRoot is the staging root of shard k of n of run runID
// under a local dataset.
func ShardStagingRoot(c ParquetConfig, runID string, k, n int) string {
	return filepath.Join(shardStaging(filepath.Dir(filepath.Clean(c.Path)), runID), shardDir(k, n))
}

// stagedPath is where dataset dir p of root goes in the staging root.
func stagedPath(root, stage, p string) string {
	rel, err := filepath.Rel(root, filepath.Clean(p))
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		rel = filepath.Base(p)
	}
	return filepath.Join(stage, rel)
}

// loadRootKeys adds to s.keys the reviews the real root of a shard holds:
// a shard leaves out, in append mode, what earlier runs published. The
// root is read without its lock: a commit running meanwhile only adds a
// run, whose reviews this shard may then write again (as two runs started
// together would).
func (s *ParquetSink) loadRootKeys() error {
	if s.cfg.keysRoot == "" {
		return nil
	}
	ms, err := readManifests(s.cfg.keysRoot)
	if err != nil {
		return fmt.Errorf("parquet sink: %w", err)
	}
	if s.cfg.Mode == ModeErrorIfExists {
		for _, m := range ms {
			if len(m.Files) > 0 {
				return fmt.Errorf("parquet sink: dataset %s already holds run %s (mode error_if_exists)", s.cfg.keysRoot, m.RunID)
			}
		}
	}
	if s.keys == nil {
		return nil
	}
	for _, m := range ms {
		for _, f := range m.Files {
			if f.Dataset == "reviews" {
				if err := loadKeys(absPath(s.cfg.keysRoot, f.Path), s.keys); err != nil {
					return fmt.Errorf("parquet sink: reading the reviews of run %s: %w", m.RunID, err)
				}
			}
		}
	}
	for name := range heldByManifests(ms) {
		if s.remoteHeld == nil {
			s.remoteHeld = map[string]bool{}
		}
		s.remoteHeld[name] = true
	}
	return nil
}

func heldByManifests(ms map[string]Manifest) map[string]bool {
	held := map[string]bool{}
	for _, m := range ms {
		for _, f := range m.Files {
			held[f.Dataset] = true
		}
	}
	return held
}

// MissingShardsError is a commit refused because shards have not
// reported success.
type MissingShardsError struct {
	RunID   string
	Missing []int
	Count   int
}

func (e *MissingShardsError) Error() string {
	ks := make([]string, len(e.Missing))
	for i, k := range e.Missing {
		ks[i] = strconv.Itoa(k)
	}
	return fmt.Sprintf("run %s: shard(s) %s of %d have not reported success; nothing was published", e.RunID, strings.Join(ks, ", "), e.Count)
}

// ErrAlreadyPublished is what CommitShards returns for a run whose
// manifest exists: another commit published it.
var ErrAlreadyPublished = errors.New("the run is already published")

// commitLockWait bounds how long a commit waits for the dataset's lock
// (another commit, or a run writing): long enough for a commit of many
// files, short enough to surface a stuck holder.
const commitLockWait = 10 * time.Minute

// CommitShards publishes every shard of run runID staged under the
// dataset root of cfg (paths absolute) in one manifest, once every shard
// has reported success; otherwise it publishes nothing and names the
// missing shards. Files are hard-linked into place, so a commit that dies
// midway leaves the staged shards whole and can be run again; the
// staging folder is removed after the manifest. Two commits of one run
// publish it once: the second finds the manifest and returns
// ErrAlreadyPublished.
func CommitShards(ctx context.Context, cfg ParquetConfig, runID string, log *slog.Logger) (Manifest, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if IsRemote(cfg.Path) {
		return commitShardsRemote(ctx, cfg, runID, log)
	}
	root := filepath.Dir(filepath.Clean(cfg.Path))
	shards, err := stagedShards(root, runID)
	if err != nil {
		return Manifest{}, err
	}
	lock, err := lockRootWait(ctx, root)
	if err != nil {
		return Manifest{}, err
	}
	defer lock.unlock()
	if _, ok := lock.manifests[runID]; ok {
		return lock.manifests[runID], ErrAlreadyPublished
	}
	c := shardCommit{cfg: cfg, root: root, runID: runID, shards: shards, lock: lock, log: log}
	return c.publish(ctx)
}

// stagedShards reads the staged shards of a run: their manifests by
// shard, every one present and successful, or an error naming the rest.
func stagedShards(root, runID string) ([]stagedShard, error) {
	dir := shardStaging(root, runID)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("run %s: no shard is staged in %s", runID, dir)
	}
	if err != nil {
		return nil, err
	}
	count := 0
	found := map[int]stagedShard{}
	for _, e := range entries {
		m := shardDirRe.FindStringSubmatch(e.Name())
		if m == nil || !e.IsDir() {
			continue
		}
		k, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[2])
		if count != 0 && n != count {
			return nil, fmt.Errorf("run %s: shards staged for %d and for %d shards in %s", runID, count, n, dir)
		}
		count = n
		sroot := filepath.Join(dir, e.Name())
		ms, err := readManifests(sroot)
		man, ok := ms[ShardRunID(runID, k)]
		if _, serr := os.Stat(filepath.Join(sroot, "_SUCCESS")); err == nil && ok && serr == nil {
			found[k] = stagedShard{index: k, root: sroot, manifest: man}
		}
	}
	return completeShards(runID, dir, count, found)
}

// completeShards returns the found shards in order when all count of them
// reported success, else an error naming the others.
func completeShards(runID, dir string, count int, found map[int]stagedShard) ([]stagedShard, error) {
	if count == 0 {
		return nil, fmt.Errorf("run %s: no shard is staged in %s", runID, dir)
	}
	var out []stagedShard
	var missing []int
	for k := range count {
		if s, ok := found[k]; ok {
			out = append(out, s)
		} else {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, &MissingShardsError{RunID: runID, Missing: missing, Count: count}
	}
	return out, nil
}

type stagedShard struct {
	index    int
	root     string
	manifest Manifest
}

// shardCommit is one commit in progress.
type shardCommit struct {
	cfg    ParquetConfig
	root   string
	runID  string
	shards []stagedShard
	lock   *runLock
	log    *slog.Logger
}

func (c *shardCommit) publish(ctx context.Context) (Manifest, error) {
	files := c.files()
	// Intents name the run and every shard's run id: a commit that dies
	// before its manifest leaves linked files the next run deletes, and
	// never adopts; the staged shards stay for the next commit.
	ids := []string{c.runID}
	for _, s := range c.shards {
		ids = append(ids, ShardRunID(c.runID, s.index))
	}
	for _, id := range ids {
		if err := writeIntent(c.root, id); err != nil {
			return Manifest{}, err
		}
	}
	m := Manifest{RunID: c.runID, CreatedAt: time.Now().UTC(), SchemaVersion: ParquetSchemaVersion, Mode: c.cfg.Mode,
		Version: record.Version(), ConfigHash: c.cfg.configHash, Format: c.cfg.format.String()}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return Manifest{}, err
		}
		if err := linkFile(f.staged, f.final); err != nil {
			return Manifest{}, err
		}
		m.Files = append(m.Files, ManifestFile{Dataset: f.entry.Dataset, Path: relPath(c.root, f.final), Rows: f.entry.Rows, Bytes: f.entry.Bytes, SHA256: f.entry.SHA256})
	}
	for _, dir := range publishedDirs(finals(files)) {
		if err := parquetSyncDir(dir); err != nil {
			return Manifest{}, err
		}
	}
	if c.cfg.Mode == ModeOverwrite {
		m.Supersedes = sortedRunIDs(c.lock.manifests)
	}
	if err := writeManifest(c.root, m); err != nil {
		return Manifest{}, err
	}
	for _, id := range ids {
		removeIntent(c.root, id, c.log)
	}
	if c.cfg.Mode == ModeOverwrite {
		(&ParquetSink{root: c.root, runID: c.runID, log: c.log}).removeRuns(c.lock.manifests)
	}
	success := fmt.Sprintf(`{"run_id":%q,"finished_at":%q,"manifest":%q}`+"\n", c.runID, m.CreatedAt.Format(time.RFC3339Nano), "_manifests/"+c.runID+".json")
	if err := writeFileAtomic(filepath.Join(c.root, "_SUCCESS"), []byte(success)); err != nil {
		c.log.Error("writing _SUCCESS", "error", err)
	}
	c.keepRunFiles()
	if err := os.RemoveAll(shardStaging(c.root, c.runID)); err != nil {
		c.log.Warn("removing the staged shards", "error", err)
	}
	return m, nil
}

// stagedFile is one shard file and where it is published.
type stagedFile struct {
	staged, final string
	entry         ManifestFile
}

// files lists the shards' files to publish. A file without rows stands
// for an empty dataset; it is kept only when the dataset gets no other
// file, from this run or (in append mode) from earlier ones.
func (c *shardCommit) files() []stagedFile {
	held := map[string]bool{}
	if c.cfg.Mode == ModeAppend {
		held = heldByManifests(c.lock.manifests)
	}
	var out, empty []stagedFile
	for _, s := range c.shards {
		for _, f := range s.manifest.Files {
			staged := filepath.Clean(absPath(s.root, f.Path))
			rel, _ := filepath.Rel(s.root, staged)
			sf := stagedFile{staged: staged, final: filepath.Join(c.root, rel), entry: f}
			if f.Rows == 0 {
				empty = append(empty, sf)
				continue
			}
			held[f.Dataset] = true
			out = append(out, sf)
		}
	}
	for _, f := range empty {
		if !held[f.entry.Dataset] {
			held[f.entry.Dataset] = true
			out = append(out, f)
		}
	}
	return out
}

func finals(files []stagedFile) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.final
	}
	return out
}

// linkFile puts a staged file in its final place: a hard link (both are
// below the dataset root, so on one file system), or a copy where links
// are refused. A final file already there is the link of an earlier,
// interrupted commit.
func linkFile(staged, final string) error {
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", filepath.Dir(final), err)
	}
	if _, err := os.Lstat(final); err == nil {
		return nil
	}
	if err := os.Link(staged, final); err == nil {
		return nil
	}
	return copyFile(staged, final)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("publishing %s: %w", from, err)
	}
	defer in.Close()
	tmp := filepath.Join(filepath.Dir(to), "."+filepath.Base(to)+".tmp")
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("publishing %s: %w", to, err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(tmp)
		return fmt.Errorf("publishing %s: %w", to, err)
	}
	if err := errors.Join(out.Sync(), out.Close()); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("publishing %s: %w", to, err)
	}
	return os.Rename(tmp, to)
}

// keepRunFiles moves each shard's summary and report to
// _runs/<run-id>/shard-<K>/.
func (c *shardCommit) keepRunFiles() {
	for _, s := range c.shards {
		from := filepath.Join(s.root, "_runs", ShardRunID(c.runID, s.index))
		if _, err := os.Stat(from); err != nil {
			continue
		}
		to := filepath.Join(c.root, "_runs", c.runID, fmt.Sprintf("shard-%03d", s.index))
		err := os.MkdirAll(filepath.Dir(to), 0o755)
		if err == nil {
			err = os.Rename(from, to)
		}
		if err != nil {
			c.log.Warn("keeping a shard's run files", "shard", s.index, "error", err)
		}
	}
}

// lockRootWait takes the dataset root's lock, waiting while another
// commit or run holds it (up to commitLockWait or ctx's end).
func lockRootWait(ctx context.Context, root string) (*runLock, error) {
	ctx, cancel := context.WithTimeout(ctx, commitLockWait)
	defer cancel()
	for {
		l, err := lockRoot(root)
		if err == nil {
			return l, nil
		}
		if !errors.Is(err, filelock.ErrLocked) && !strings.Contains(err.Error(), "being written by another run") {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for %s: %w", root, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
