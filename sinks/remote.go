package sinks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob" // file://
	_ "gocloud.dev/blob/s3blob"   // s3://, with endpoint= for S3-compatible stores
	"gocloud.dev/gcerrors"

	"github.com/reviewpipe/reviewpipe/internal/crashpoint"
	"github.com/reviewpipe/reviewpipe/internal/record"
)

// remoteTags are the object stores reviewpipe writes, with the build tag
// each needs ("": built in by default).
var remoteTags = map[string]string{"s3": "", "gs": "gcs", "azblob": "azure"}

// remoteSchemes are the object stores of this build; the files built with
// the gcs and azure tags add theirs.
var remoteSchemes = []string{"s3"}

// IsRemote reports whether a dataset path is an object-storage URL.
func IsRemote(p string) bool {
	for s := range remoteTags {
		if strings.HasPrefix(p, s+"://") {
			return true
		}
	}
	return false
}

// remoteBuilt reports an object store this build leaves out, naming the
// build tag that adds it.
func remoteBuilt(p string) error {
	scheme, _, _ := strings.Cut(p, "://")
	if slices.Contains(remoteSchemes, scheme) {
		return nil
	}
	return fmt.Errorf("%s:// is not in this build of reviewpipe: build it with `go build -tags %s ./cmd/reviewpipe` (the default build has %s:// only, to stay small)",
		scheme, remoteTags[scheme], strings.Join(remoteSchemes, ":// "))
}

// remoteRoot splits "s3://bucket/prefix/reviews?endpoint=…" into the bucket
// URL ("s3://bucket?endpoint=…"), the object prefix of the dataset root
// ("prefix/") and the reviews dataset's name ("reviews").
func remoteRoot(raw string) (bucketURL, prefix, dataset string, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", "", fmt.Errorf("dataset URL %q: %w", raw, err)
	}
	p := strings.Trim(u.Path, "/")
	if u.Host == "" || p == "" {
		return "", "", "", fmt.Errorf("dataset URL %q: want scheme://bucket/[prefix/]reviews", raw)
	}
	dir, name := path.Split(p)
	u.Path = ""
	return u.String(), dir, name, nil
}

// maxObjectKeyBytes is the longest object key S3 takes (GCS allows
// 1024 bytes too; Azure more), so partition paths are held to it.
const maxObjectKeyBytes = 1024

// RemoteSink writes a dataset root in object storage. The run is written
// and committed in a local staging folder by a ParquetSink (Parquet,
// JSON Lines or Arrow), then uploaded: the data files first, then the
// run's manifest, then _SUCCESS. Object stores cannot rename folders, so
// the manifest is what publishes a run: a loader takes the files the
// manifests list, and a scheduler waits for _SUCCESS. Files a crashed
// upload left, which no manifest lists, are deleted by the next run.
// Credentials come from the provider's standard chain (for S3 the AWS_*
// environment variables, shared config files, instance roles).
type RemoteSink struct {
	log    *slog.Logger
	cfg    ParquetConfig
	runID  string
	bucket *blob.Bucket
	// bucketURL and prefix reopen the bucket for the run's files after
	// Commit has closed it.
	bucketURL, prefix string
	url               string
	staging           string
	stage             *stagingDir
	local             *ParquetSink

	manifests map[string]Manifest
	closeOnce sync.Once // Commit and a later Abort both release the bucket
	prepared  bool
	prepErr   error
	uploaded  []string
}

var (
	_ Sink         = (*RemoteSink)(nil)
	_ RejectWriter = (*RemoteSink)(nil)
	_ FetchWriter  = (*RemoteSink)(nil)
)

// NewRemote returns a sink for the object-storage dataset cfg.Path.
func NewRemote(cfg ParquetConfig, runID string, log *slog.Logger) (*RemoteSink, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	bucketURL, prefix, dataset, err := remoteRoot(cfg.Path)
	if err != nil {
		return nil, err
	}
	if cfg.RejectsPath != "" || cfg.PagesPath != "" || cfg.CommentsPath != "" {
		return nil, fmt.Errorf("dataset %s: rejects_path, pages_path and comments_path must be empty for object storage (the datasets sit beside %s)", cfg.Path, dataset)
	}
	stage, err := newStagingDir(log)
	if err != nil {
		return nil, err
	}
	staging := stage.path
	local := cfg
	local.Path = filepath.Join(staging, dataset)
	local.keysRoot = "" // a shard's real root is read remotely (loadShardRootKeys)
	sink, err := NewParquet(local, runID, log)
	if err != nil {
		stage.remove()
		return nil, err
	}
	// prefix + "reviews/" + partition + "/" + file name must fit a key.
	fileName := fmt.Sprintf("part-%s-00000%s", runID, cfg.format.ext())
	sink.reviews.maxPartBytes = max(1, maxObjectKeyBytes-len(prefix)-len(dataset)-len(fileName)-2)
	b, err := blob.OpenBucket(context.Background(), bucketURL)
	if err != nil {
		stage.remove()
		return nil, fmt.Errorf("opening %s: %w", bucketURL, err)
	}
	if prefix != "" {
		b = blob.PrefixedBucket(b, prefix)
	}
	return &RemoteSink{log: log.With("component", "sinks.remote", "dataset", cfg.Path), cfg: cfg, runID: runID, bucket: b,
		bucketURL: bucketURL, prefix: prefix, url: cfg.Path, staging: staging, stage: stage, local: sink}, nil
}

// prepare reads the remote manifests (error_if_exists, overwrite, append
// dedup), deletes part files no manifest lists, and hands the keys of the
// published reviews to the local sink.
func (s *RemoteSink) prepare(ctx context.Context) error {
	if s.prepared {
		return s.prepErr
	}
	s.prepared = true
	s.prepErr = s.prepareRemote(ctx)
	return s.prepErr
}

// bucketManifests reads every manifest under a bucket's _manifests/.
func bucketManifests(ctx context.Context, b *blob.Bucket, where string) (map[string]Manifest, error) {
	out := map[string]Manifest{}
	it := b.List(&blob.ListOptions{Prefix: "_manifests/"})
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("listing %s manifests: %w", where, err)
		}
		if !strings.HasSuffix(obj.Key, ".json") {
			continue
		}
		data, err := b.ReadAll(ctx, obj.Key)
		if err != nil {
			return nil, fmt.Errorf("reading manifest %s: %w", obj.Key, err)
		}
		var m Manifest
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("manifest %s: %w", obj.Key, err)
		}
		out[m.RunID] = m
	}
}

func (s *RemoteSink) prepareRemote(ctx context.Context) error {
	var err error
	if s.manifests, err = bucketManifests(ctx, s.bucket, s.url); err != nil {
		return err
	}
	listed := map[string]bool{}
	for _, m := range s.manifests {
		for _, f := range m.Files {
			listed[f.Path] = true
		}
	}
	if _, ok := s.manifests[s.runID]; ok {
		return fmt.Errorf("run id %q was used before in %s", s.runID, s.url)
	}
	if old := superseded(s.manifests); len(old) > 0 {
		// An overwrite run published and was killed before it deleted
		// the runs it replaced: finish its work first.
		s.deleteRuns(ctx, old)
		for _, id := range old {
			for _, f := range s.manifests[id].Files {
				delete(listed, f.Path)
			}
			delete(s.manifests, id)
		}
		for _, m := range s.manifests {
			for _, f := range m.Files {
				listed[f.Path] = true
			}
		}
		s.log.Info("finished an interrupted overwrite", "removed_runs", len(old))
	}
	if s.cfg.Mode == ModeErrorIfExists {
		for _, m := range s.manifests {
			if len(m.Files) > 0 {
				return fmt.Errorf("dataset %s already holds run %s (mode error_if_exists)", s.url, m.RunID)
			}
		}
	}
	// Leftovers: part files of uploads that crashed before their manifest.
	for _, dataset := range []string{"reviews", "comments", "rejects", "pages"} {
		it := s.bucket.List(&blob.ListOptions{Prefix: dataset + "/"})
		for {
			obj, err := it.Next(ctx)
			if err == io.EOF {
				break
			}
			if err != nil {
				return fmt.Errorf("listing %s: %w", s.url, err)
			}
			if partName.MatchString(path.Base(obj.Key)) && !listed[obj.Key] {
				if err := s.bucket.Delete(ctx, obj.Key); err != nil {
					return fmt.Errorf("deleting the leftover %s: %w", obj.Key, err)
				}
				s.log.Warn("removed a file an interrupted upload left", "key", obj.Key)
			}
		}
	}
	if err := s.local.prepare(); err != nil {
		return err
	}
	if s.local.keys == nil {
		return nil
	}
	for _, m := range s.manifests {
		for _, f := range m.Files {
			if f.Dataset != "reviews" {
				continue
			}
			if err := s.loadRemoteKeys(ctx, s.bucket, f.Path); err != nil {
				return err
			}
		}
	}
	return s.loadShardRootKeys(ctx)
}

// loadRemoteKeys downloads one published reviews file and adds its keys.
func (s *RemoteSink) loadRemoteKeys(ctx context.Context, b *blob.Bucket, key string) error {
	data, err := b.ReadAll(ctx, key)
	if err != nil {
		return fmt.Errorf("reading %s: %w", key, err)
	}
	tmp := filepath.Join(s.staging, ".keys-"+path.Base(key))
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	defer os.Remove(tmp)
	s.local.prepMu.Lock()
	defer s.local.prepMu.Unlock()
	return loadKeys(tmp, s.local.keys)
}

func (s *RemoteSink) Write(ctx context.Context, batch []record.Review) error {
	if err := s.prepare(ctx); err != nil {
		return err
	}
	return s.local.Write(ctx, batch)
}

func (s *RemoteSink) WriteRejects(ctx context.Context, batch []record.Reject) error {
	if err := s.prepare(ctx); err != nil {
		return err
	}
	return s.local.WriteRejects(ctx, batch)
}

func (s *RemoteSink) WriteFetches(ctx context.Context, batch []record.Fetch) error {
	if err := s.prepare(ctx); err != nil {
		return err
	}
	return s.local.WriteFetches(ctx, batch)
}

// Commit commits the staged run locally, uploads its files, then its
// manifest, then _SUCCESS; in overwrite mode it then deletes the earlier
// runs' objects. A failed upload deletes what it uploaded.
func (s *RemoteSink) Commit(ctx context.Context) error {
	defer s.stage.remove()
	defer s.closeBucket()
	if err := s.prepare(ctx); err != nil {
		s.local.Abort()
		return err
	}
	if s.cfg.Mode == ModeOverwrite {
		// The staging folder had no earlier runs: name the remote ones.
		s.local.supersedes = append(s.local.supersedes, sortedRunIDs(s.manifests)...)
	}
	s.local.remoteHeld = map[string]bool{}
	for _, m := range s.manifests {
		for _, f := range m.Files {
			s.local.remoteHeld[f.Dataset] = true
		}
	}
	if err := s.local.Commit(ctx); err != nil {
		return err
	}
	manifestKey := "_manifests/" + s.runID + ".json"
	m, ok := s.localManifest()
	if !ok {
		return fmt.Errorf("the staged run has no manifest in %s", s.staging)
	}
	upload := func(key, file string) error {
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		if err := s.bucket.WriteAll(ctx, key, data, nil); err != nil {
			return fmt.Errorf("uploading %s to %s: %w", key, s.url, err)
		}
		s.uploaded = append(s.uploaded, key)
		crashpoint.Hit("remote.upload")
		return nil
	}
	root := filepath.Dir(filepath.Clean(s.local.cfg.Path))
	for _, f := range m.Files {
		if err := upload(filepath.ToSlash(f.Path), absPath(root, f.Path)); err != nil {
			return errors.Join(err, s.rollback())
		}
	}
	if err := upload(manifestKey, filepath.Join(manifestDir(root), s.runID+".json")); err != nil {
		return errors.Join(err, s.rollback())
	}
	crashpoint.Hit("remote.manifest")
	if s.cfg.Mode == ModeOverwrite {
		s.deleteRuns(ctx, sortedRunIDs(s.manifests))
	}
	if err := upload("_SUCCESS", filepath.Join(root, "_SUCCESS")); err != nil {
		s.log.Error("uploading _SUCCESS", "error", err) // the manifest already published the run
	}
	s.log.Info("published to object storage", "files", len(m.Files), "manifest", manifestKey)
	return nil
}

// deleteRuns deletes the objects and manifests of the runs ids, the
// manifest last so that a run killed midway is still found and finished.
// A failure is logged: the new run is published already.
func (s *RemoteSink) deleteRuns(ctx context.Context, ids []string) {
	for _, id := range ids {
		if id == s.runID {
			continue
		}
		for _, f := range s.manifests[id].Files {
			if err := s.bucket.Delete(ctx, f.Path); err != nil && !isNotFound(err) {
				s.log.Error("overwrite: deleting an earlier run's object", "run_id", id, "key", f.Path, "error", err)
			}
			crashpoint.Hit("commit.supersede")
		}
		if err := s.bucket.Delete(ctx, "_manifests/"+id+".json"); err != nil && !isNotFound(err) {
			s.log.Error("overwrite: deleting an earlier run's manifest", "run_id", id, "error", err)
		}
	}
}

func (s *RemoteSink) localManifest() (Manifest, bool) {
	ms, err := readManifests(filepath.Dir(filepath.Clean(s.local.cfg.Path)))
	if err != nil {
		return Manifest{}, false
	}
	m, ok := ms[s.runID]
	return m, ok
}

// rollback deletes what this run uploaded.
func (s *RemoteSink) rollback() error {
	var errs []error
	for i := len(s.uploaded) - 1; i >= 0; i-- {
		if err := s.bucket.Delete(context.Background(), s.uploaded[i]); err != nil && !isNotFound(err) {
			errs = append(errs, fmt.Errorf("deleting %s: %w", s.uploaded[i], err))
		}
	}
	return errors.Join(errs...)
}

// WriteRunFile uploads one of the published run's files to
// _runs/<run-id>/name beside the dataset.
func (s *RemoteSink) WriteRunFile(ctx context.Context, name string, data []byte) error {
	b, err := blob.OpenBucket(ctx, s.bucketURL)
	if err != nil {
		return fmt.Errorf("opening %s: %w", s.bucketURL, err)
	}
	defer b.Close()
	if s.prefix != "" {
		b = blob.PrefixedBucket(b, s.prefix)
	}
	key := "_runs/" + s.runID + "/" + name
	if err := b.WriteAll(ctx, key, data, nil); err != nil {
		return fmt.Errorf("uploading %s to %s: %w", key, s.url, err)
	}
	return nil
}

// Skipped returns how many reviews append mode left out because the
// remote dataset already had them.
func (s *RemoteSink) Skipped() int64 { return s.local.Skipped() }

func isNotFound(err error) bool { return gcerrors.Code(err) == gcerrors.NotFound }

// Abort discards the staged run; nothing was uploaded.
func (s *RemoteSink) Abort() error {
	err := s.local.Abort()
	s.stage.remove()
	s.closeBucket()
	return err
}

func (s *RemoteSink) closeBucket() {
	s.closeOnce.Do(func() {
		if err := s.bucket.Close(); err != nil {
			s.log.Warn("closing the bucket", "error", err)
		}
	})
}
