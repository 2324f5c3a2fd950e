package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"gocloud.dev/blob"

	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// shardPages writes n generated review pages into a folder tree.
func shardPages(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("%02d", i%20), fmt.Sprintf("review-%05d.html", i))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, testshared.ReviewPage(i, i%3), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// allKeys returns the review_id/content_hash pairs of the reviews and the
// review_id/position pairs of the comments of an output folder.
func allKeys(t *testing.T, out string) (reviews, comments []string) {
	t.Helper()
	db := openDuckDB(t)
	for _, q := range []struct {
		sql  string
		into *[]string
	}{
		{fmt.Sprintf(`SELECT review_id || '/' || content_hash FROM read_parquet('%s', hive_partitioning = true) ORDER BY 1`, filepath.Join(out, "reviews", "**", "*.parquet")), &reviews},
		{fmt.Sprintf(`SELECT review_id || '/' || position FROM read_parquet('%s') ORDER BY 1`, filepath.Join(out, "comments", "**", "*.parquet")), &comments},
	} {
		rows, err := db.Query(q.sql)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			rows.Scan(&k)
			*q.into = append(*q.into, k)
		}
		rows.Close()
	}
	return reviews, comments
}

// TestShardedRunCommitsOnce runs 2,000 pages as four shards and commits
// them: the records are exactly those of a single-process run; a commit
// with a shard missing names it and publishes nothing; two concurrent
// commits publish the run once; a sharded rerun appends nothing.
func TestShardedRunCommitsOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("extracts 4,000 pages")
	}
	pages := shardPages(t, 2000)
	config := func(out string) string {
		return writeConfig(t, fmt.Sprintf("sources:\n  - type: files\n    paths: [%q]\nsinks:\n  - type: parquet\n    path: %q\n    partition_by: [site]\ntransform:\n  duplicates:\n    state: %q\n",
			pages, filepath.Join(out, "reviews"), filepath.Join(out, "_state", "simhash.tsv")))
	}
	single, sharded := t.TempDir(), t.TempDir()
	if code, _, stderr := runCLI(t, "run", "-q", "-c", config(single)); code != exitOK {
		t.Fatalf("single run: exit %d: %s", code, stderr)
	}
	cfg := config(sharded)
	runShards := func(id string, ks ...int) {
		var wg sync.WaitGroup
		for _, k := range ks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if code, _, stderr := runCLI(t, "run", "-q", "-c", cfg, "--shard", fmt.Sprintf("%d/4", k), "--run-id", id); code != exitOK {
					t.Errorf("shard %d: exit %d: %s", k, code, stderr)
				}
			}()
		}
		wg.Wait()
	}
	runShards("night-1", 0, 1, 2)
	code, _, stderr := runCLI(t, "commit", "-c", cfg, "--run-id", "night-1")
	if code != exitFailed || !strings.Contains(stderr, "shard(s) 3 of 4 have not reported success") {
		t.Errorf("commit with shard 3 missing: exit %d: %s", code, stderr)
	}
	if ms, _ := filepath.Glob(filepath.Join(sharded, "_manifests", "*.json")); len(ms) != 0 {
		t.Errorf("a refused commit published %v", ms)
	}
	runShards("night-1", 3)

	codes := commitTwice(t, cfg, "night-1")
	if codes[0] != exitOK || codes[1] != exitOK {
		t.Errorf("two concurrent commits: exit codes %v, want 0 and 0 (one publishes, one finds it published)", codes)
	}
	if ms, _ := filepath.Glob(filepath.Join(sharded, "_manifests", "*.json")); len(ms) != 1 {
		t.Errorf("%d manifests after two commits, want 1: %v", len(ms), ms)
	}
	wantR, wantC := allKeys(t, single)
	gotR, gotC := allKeys(t, sharded)
	if len(wantR) != 2000 || !slices.Equal(gotR, wantR) || !slices.Equal(gotC, wantC) {
		t.Errorf("sharded: %d reviews, %d comments; single: %d reviews, %d comments; the records differ", len(gotR), len(gotC), len(wantR), len(wantC))
	}
	if _, err := os.Stat(filepath.Join(sharded, "_staging", "night-1")); !os.IsNotExist(err) {
		t.Errorf("the staged shards are still there after the commit: %v", err)
	}
	// The shards' near-duplicate fingerprints joined the state on commit.
	stateLines := func(out string) []string {
		data, _ := os.ReadFile(filepath.Join(out, "_state", "simhash.tsv"))
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		slices.Sort(lines)
		return lines
	}
	if a, b := stateLines(single), stateLines(sharded); len(a) != 2000 || !slices.Equal(a, b) {
		t.Errorf("near-duplicate state: %d fingerprints after the single run, %d after the sharded one; they differ", len(a), len(b))
	}
	if s, _ := filepath.Glob(filepath.Join(sharded, "_runs", "night-1", "shard-*", "summary.json")); len(s) != 4 {
		t.Errorf("%d shard summaries kept, want 4", len(s))
	}

	// A sharded rerun over the same pages appends nothing.
	runShards("night-2", 0, 1, 2, 3)
	if code, _, stderr := runCLI(t, "commit", "-c", cfg, "--run-id", "night-2"); code != exitOK {
		t.Fatalf("second commit: exit %d: %s", code, stderr)
	}
	if gotR, _ := allKeys(t, sharded); len(gotR) != 2000 {
		t.Errorf("after a sharded rerun: %d reviews, want the 2000 once", len(gotR))
	}
}

// commitTwice runs two commits of one run at once and returns their exit
// codes.
func commitTwice(t *testing.T, cfg, runID string) []int {
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _, _ = runCLI(t, "commit", "-c", cfg, "--run-id", runID)
		}()
	}
	wg.Wait()
	return codes
}

// TestShardFlags covers --shard, --run-id and the Indexed Job variables.
func TestShardFlags(t *testing.T) {
	if sh, id, err := shardFlags("1/4", "n1"); err != nil || sh.Index != 1 || sh.Count != 4 || id != "n1" {
		t.Errorf("1/4: %v %q %v", sh, id, err)
	}
	for _, bad := range []string{"4/4", "-1/2", "x/2", "1"} {
		if _, _, err := shardFlags(bad, "n1"); err == nil {
			t.Errorf("--shard %s accepted", bad)
		}
	}
	if _, _, err := shardFlags("0/2", ""); err == nil {
		t.Errorf("a shard without a run id accepted")
	}
	crawlCfg := writeConfig(t, "sources:\n  - type: crawl\n    seeds: [https://a.example/]\n    politeness: {contact: x@example.org}\nsinks:\n  - type: parquet\n    path: out/reviews\n")
	if code, _, stderr := runCLI(t, "run", "-q", "-c", crawlCfg, "--shard", "0/2", "--run-id", "n1"); code != exitFailed || !strings.Contains(stderr, "cannot be sharded") {
		t.Errorf("a sharded crawl: exit %d: %s", code, stderr)
	}
	t.Setenv("JOB_COMPLETION_INDEX", "2")
	t.Setenv("JOB_COMPLETIONS", "3")
	t.Setenv("REVIEWPIPE_RUN_ID", "job-7")
	if sh, id, err := shardFlags("", ""); err != nil || sh.Index != 2 || sh.Count != 3 || id != "job-7" {
		t.Errorf("from the Indexed Job's variables: %v %q %v", sh, id, err)
	}
}

// downloadRoot copies every object under prefix of an S3 bucket into a
// local folder, for DuckDB to read.
func downloadRoot(t *testing.T, bucketURL, prefix string) string {
	t.Helper()
	ctx := t.Context()
	b, err := blob.OpenBucket(ctx, bucketURL)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	dir := t.TempDir()
	it := b.List(&blob.ListOptions{Prefix: prefix})
	for {
		obj, err := it.Next(ctx)
		if err != nil {
			break
		}
		data, err := b.ReadAll(ctx, obj.Key)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, strings.TrimPrefix(obj.Key, prefix))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, data, 0o644)
	}
	return dir
}

// TestShardedRunOnS3: four shards over 2,000 pages and their commit on a
// real S3-compatible server (versitygw): the records of a single-process run,
// a commit with a shard missing publishes nothing, two concurrent commits
// publish once (the manifest is written If-None-Match).
func TestShardedRunOnS3(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an S3 server")
	}
	srv := testshared.StartS3(t, "shards")
	query := "?endpoint=" + srv.Endpoint + "&use_path_style=true&region=us-east-1"
	pages := shardPages(t, 2000)
	config := func(prefix string) string {
		return writeConfig(t, fmt.Sprintf("sources:\n  - type: files\n    paths: [%q]\nsinks:\n  - type: parquet\n    path: %q\n    partition_by: [site]\n", pages, "s3://shards/"+prefix+"/reviews"+query))
	}
	if code, _, stderr := runCLI(t, "run", "-q", "-c", config("single")); code != exitOK {
		t.Fatalf("single run: exit %d: %s", code, stderr)
	}
	cfg := config("sharded")
	for k := range 3 {
		if code, _, stderr := runCLI(t, "run", "-q", "-c", cfg, "--shard", fmt.Sprintf("%d/4", k), "--run-id", "s3-night"); code != exitOK {
			t.Fatalf("shard %d: exit %d: %s", k, code, stderr)
		}
	}
	if code, _, stderr := runCLI(t, "commit", "-c", cfg, "--run-id", "s3-night"); code != exitFailed || !strings.Contains(stderr, "shard(s) 3 of 4") {
		t.Errorf("commit with shard 3 missing: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "run", "-q", "-c", cfg, "--shard", "3/4", "--run-id", "s3-night"); code != exitOK {
		t.Fatalf("shard 3: exit %d: %s", code, stderr)
	}
	codes := commitTwice(t, cfg, "s3-night")
	if codes[0] != exitOK || codes[1] != exitOK {
		t.Errorf("two concurrent commits: exit codes %v", codes)
	}
	sharded := downloadRoot(t, "s3://shards"+query, "sharded/")
	single := downloadRoot(t, "s3://shards"+query, "single/")
	if ms, _ := filepath.Glob(filepath.Join(sharded, "_manifests", "*.json")); len(ms) != 1 {
		t.Errorf("%d manifests, want 1: %v", len(ms), ms)
	}
	if _, err := os.Stat(filepath.Join(sharded, "_staging")); !os.IsNotExist(err) {
		t.Errorf("the staged shards are still in the bucket")
	}
	wantR, wantC := allKeys(t, single)
	gotR, gotC := allKeys(t, sharded)
	if len(wantR) != 2000 || !slices.Equal(gotR, wantR) || !slices.Equal(gotC, wantC) {
		t.Errorf("S3 sharded: %d reviews, %d comments; single: %d, %d; they differ", len(gotR), len(gotC), len(wantR), len(wantC))
	}
}
