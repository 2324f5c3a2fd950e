package sinks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// forShardRemote is ForShard for an object-storage dataset: the shard's
// datasets go below <prefix>/_staging/<run-id>/shard-K-of-N/, and the real
// root's published reviews are left out in append mode.
func (c ParquetConfig) forShardRemote(runID string, k, n int) ParquetConfig {
	u, err := url.Parse(c.Path)
	if err != nil {
		return c // Validate reports it
	}
	dir, name := path.Split(strings.Trim(u.Path, "/"))
	root := *u
	root.Path = "/" + strings.TrimSuffix(dir, "/")
	u.Path = "/" + path.Join(dir, "_staging", runID, shardDir(k, n), name)
	out := c
	out.Path = u.String()
	out.keysRoot = root.String()
	return out
}

// openRemoteRoot opens the bucket of an object-storage dataset root URL
// ("s3://bucket/prefix?…"), prefixed to the root.
func openRemoteRoot(ctx context.Context, rootURL string) (*blob.Bucket, error) {
	u, err := url.Parse(rootURL)
	if err != nil {
		return nil, fmt.Errorf("dataset root %q: %w", rootURL, err)
	}
	prefix := strings.Trim(u.Path, "/")
	u.Path = ""
	b, err := blob.OpenBucket(ctx, u.String())
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", u.String(), err)
	}
	if prefix != "" {
		b = blob.PrefixedBucket(b, prefix+"/")
	}
	return b, nil
}

// loadShardRootKeys adds, for a shard, the reviews the real root already
// holds to the keys append mode leaves out.
func (s *RemoteSink) loadShardRootKeys(ctx context.Context) error {
	if s.cfg.keysRoot == "" {
		return nil
	}
	b, err := openRemoteRoot(ctx, s.cfg.keysRoot)
	if err != nil {
		return err
	}
	defer b.Close()
	ms, err := bucketManifests(ctx, b, s.cfg.keysRoot)
	if err != nil {
		return err
	}
	if s.cfg.Mode == ModeErrorIfExists {
		for _, m := range ms {
			if len(m.Files) > 0 {
				return fmt.Errorf("dataset %s already holds run %s (mode error_if_exists)", s.cfg.keysRoot, m.RunID)
			}
		}
	}
	s.local.remoteHeld = heldByManifests(ms)
	if s.local.keys == nil {
		return nil
	}
	for _, m := range ms {
		for _, f := range m.Files {
			if f.Dataset == "reviews" {
				if err := s.loadRemoteKeys(ctx, b, f.Path); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// commitShardsRemote is CommitShards for object storage: the staged
// objects are copied into place server-side, and the manifest is written
// only if none exists (If-None-Match), so of two commits racing, one
// publishes and the other finds the run published.
func commitShardsRemote(ctx context.Context, cfg ParquetConfig, runID string, log *slog.Logger) (Manifest, error) {
	bucketURL, prefix, _, err := remoteRoot(cfg.Path)
	if err != nil {
		return Manifest{}, err
	}
	rootURL := strings.Replace(bucketURL, "?", "/"+strings.TrimSuffix(prefix, "/")+"?", 1)
	if !strings.Contains(bucketURL, "?") {
		rootURL = bucketURL + "/" + strings.TrimSuffix(prefix, "/")
	}
	b, err := openRemoteRoot(ctx, rootURL)
	if err != nil {
		return Manifest{}, err
	}
	defer b.Close()
	manifestKey := "_manifests/" + runID + ".json"
	if ok, err := b.Exists(ctx, manifestKey); err != nil {
		return Manifest{}, err
	} else if ok {
		return Manifest{RunID: runID}, ErrAlreadyPublished
	}
	shards, err := remoteStagedShards(ctx, b, runID)
	if err != nil {
		return Manifest{}, err
	}
	published, err := bucketManifests(ctx, b, cfg.Path)
	if err != nil {
		return Manifest{}, err
	}
	c := shardCommit{cfg: cfg, runID: runID, shards: shards, lock: &runLock{manifests: published}, log: log}
	m := Manifest{RunID: runID, CreatedAt: time.Now().UTC(), SchemaVersion: ParquetSchemaVersion, Mode: cfg.Mode,
		Version: record.Version(), ConfigHash: cfg.configHash, Format: cfg.format.String()}
	for _, f := range c.files() {
		final := f.final // the shard's path below its staging root
		if err := b.Copy(ctx, final, f.staged, nil); err != nil {
			return Manifest{}, fmt.Errorf("publishing %s: %w", final, err)
		}
		e := f.entry
		e.Path = final
		m.Files = append(m.Files, e)
	}
	if cfg.Mode == ModeOverwrite {
		m.Supersedes = sortedRunIDs(published)
	}
	data, _ := json.MarshalIndent(m, "", "  ")
	err = b.WriteAll(ctx, manifestKey, data, &blob.WriterOptions{IfNotExist: true})
	if gcerrors.Code(err) == gcerrors.FailedPrecondition {
		return m, ErrAlreadyPublished // another commit wrote it first
	}
	if err != nil {
		return Manifest{}, fmt.Errorf("writing %s: %w", manifestKey, err)
	}
	if cfg.Mode == ModeOverwrite {
		rs := &RemoteSink{bucket: b, runID: runID, manifests: published, log: log, url: cfg.Path}
		rs.deleteRuns(ctx, sortedRunIDs(published))
	}
	success := fmt.Sprintf(`{"run_id":%q,"finished_at":%q,"manifest":%q}`+"\n", runID, m.CreatedAt.Format(time.RFC3339Nano), manifestKey)
	if err := b.WriteAll(ctx, "_SUCCESS", []byte(success), nil); err != nil {
		log.Error("uploading _SUCCESS", "error", err)
	}
	keepRemoteRunFiles(ctx, b, runID, shards, log)
	deletePrefix(ctx, b, "_staging/"+runID+"/", log)
	return m, nil
}

// remoteStagedShards reads the shards staged in object storage, every one
// present and successful, or an error naming the rest.
func remoteStagedShards(ctx context.Context, b *blob.Bucket, runID string) ([]stagedShard, error) {
	dir := "_staging/" + runID + "/"
	it := b.List(&blob.ListOptions{Prefix: dir, Delimiter: "/"})
	count := 0
	found := map[int]stagedShard{}
	for {
		obj, err := it.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("listing %s: %w", dir, err)
		}
		m := shardDirRe.FindStringSubmatch(strings.TrimSuffix(strings.TrimPrefix(obj.Key, dir), "/"))
		if m == nil || !obj.IsDir {
			continue
		}
		k, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[2])
		if count != 0 && n != count {
			return nil, fmt.Errorf("run %s: shards staged for %d and for %d shards", runID, count, n)
		}
		count = n
		sroot := strings.TrimSuffix(obj.Key, "/")
		ok, _ := b.Exists(ctx, sroot+"/_SUCCESS")
		data, err := b.ReadAll(ctx, sroot+"/_manifests/"+ShardRunID(runID, k)+".json")
		var man Manifest
		if ok && err == nil && json.Unmarshal(data, &man) == nil {
			found[k] = stagedShard{index: k, root: sroot, manifest: man}
		}
	}
	return completeShards(runID, dir, count, found)
}

// keepRemoteRunFiles copies each shard's summary and report to
// _runs/<run-id>/shard-<K>/.
func keepRemoteRunFiles(ctx context.Context, b *blob.Bucket, runID string, shards []stagedShard, log *slog.Logger) {
	for _, s := range shards {
		for _, name := range []string{"summary.json", "report.html"} {
			from := s.root + "/_runs/" + ShardRunID(runID, s.index) + "/" + name
			to := fmt.Sprintf("_runs/%s/shard-%03d/%s", runID, s.index, name)
			if err := b.Copy(ctx, to, from, nil); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
				log.Warn("keeping a shard's run file", "key", from, "error", err)
			}
		}
	}
}

// deletePrefix deletes every object under prefix; failures are logged.
func deletePrefix(ctx context.Context, b *blob.Bucket, prefix string, log *slog.Logger) {
	it := b.List(&blob.ListOptions{Prefix: prefix})
	for {
		obj, err := it.Next(ctx)
		if err != nil {
			return
		}
		if err := b.Delete(ctx, obj.Key); err != nil && !isNotFound(err) {
			log.Warn("removing the staged shards", "key", obj.Key, "error", err)
		}
	}
}
