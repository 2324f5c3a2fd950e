package sinks

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reviewpipe/reviewpipe/internal/record"
	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// TestS3EndToEnd writes a partitioned dataset to a real S3-compatible
// server (versitygw on 127.0.0.1): files, manifest and _SUCCESS arrive as
// objects, DuckDB reads them (as the server's files), an aborted run
// uploads nothing, a leftover object is cleaned, and a second append run
// adds nothing.
func TestS3EndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an S3 server")
	}
	srv := testshared.StartS3(t, "reviews-bucket")
	cfg := DefaultParquetConfig()
	cfg.Path = "s3://reviews-bucket/nightly/reviews?endpoint=" + srv.Endpoint + "&use_path_style=true&region=us-east-1"
	cfg.PartitionBy = []string{"published_year", "site"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	reviews := partitionedReviews()
	run := func(id string, abort bool) *RemoteSink {
		t.Helper()
		s, err := NewRemote(cfg, id, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Write(context.Background(), reviews); err != nil {
			t.Fatalf("run %s: Write: %v", id, err)
		}
		if abort {
			if err := s.Abort(); err != nil {
				t.Fatal(err)
			}
			return s
		}
		if err := s.Commit(context.Background()); err != nil {
			t.Fatalf("run %s: Commit: %v", id, err)
		}
		return s
	}
	root := filepath.Join(srv.Root, "reviews-bucket", "nightly")
	run("run1", false)
	for _, p := range []string{"_SUCCESS", "_manifests/run1.json"} {
		if _, err := os.Stat(filepath.Join(root, p)); err != nil {
			t.Errorf("object %s missing: %v", p, err)
		}
	}
	count := func() int {
		var n int
		glob := filepath.ToSlash(filepath.Join(root, "reviews")) + "/**/*.parquet"
		if err := duckdbOpen(t).QueryRow(`SELECT count(*) FROM read_parquet('` + glob + `', hive_partitioning = true) WHERE published_year IS NOT NULL OR published_year IS NULL`).Scan(&n); err != nil {
			t.Fatalf("DuckDB: %v", err)
		}
		return n
	}
	if n := count(); n != len(reviews) {
		t.Errorf("DuckDB reads %d rows from the bucket, want %d", n, len(reviews))
	}
	ms, err := readManifests(root)
	if err != nil || len(ms["run1"].Files) == 0 {
		t.Fatalf("manifest: %+v %v", ms["run1"], err)
	}
	for _, f := range ms["run1"].Files {
		sum, _, err := fileSHA256(filepath.Join(root, f.Path))
		if err != nil || sum != f.SHA256 {
			t.Errorf("object %s: checksum %s, manifest says %s (%v)", f.Path, sum, f.SHA256, err)
		}
	}

	run("run2", true) // aborted: nothing uploaded
	if _, err := os.Stat(filepath.Join(root, "_manifests", "run2.json")); err == nil {
		t.Errorf("an aborted run published a manifest")
	}
	// An upload that crashed before its manifest.
	leftover := filepath.Join(root, "reviews", "part-run3-00000.parquet")
	if err := os.WriteFile(leftover, []byte("PAR1 half"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := run("run4", false)
	if _, err := os.Stat(leftover); err == nil {
		t.Errorf("the leftover object survived the next run")
	}
	if s.local.Skipped() != int64(len(reviews)) || count() != len(reviews) {
		t.Errorf("second append run: skipped %d, %d rows; want %d skipped and %d rows", s.local.Skipped(), count(), len(reviews), len(reviews))
	}
	if !strings.HasPrefix(srv.Endpoint, "http://127.0.0.1:") {
		t.Errorf("the server is not on loopback: %s", srv.Endpoint)
	}
}

// TestS3RowTooLongForAKey writes a review whose partition path would make
// an object key longer than S3 takes, beside ordinary ones: Write reports
// that row alone (and its comments are not written), the others are
// published.
func TestS3RowTooLongForAKey(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an S3 server")
	}
	srv := testshared.StartS3(t, "keys")
	cfg := DefaultParquetConfig()
	prefix := "nightly-" + strings.Repeat("p", 200) // a long prefix leaves less of the key for partitions
	cfg.Path = "s3://keys/" + prefix + "/reviews?endpoint=" + srv.Endpoint + "&use_path_style=true&region=us-east-1"
	cfg.PartitionBy = []string{"site", "item_type", "language", "published_year"}
	reviews := partitionedReviews()
	long := strings.Repeat("x", 300)
	reviews[4].Site, reviews[4].ItemType, reviews[4].Language = &long, &long, &long
	reviews[4].CommentRows = []record.CommentRow{{ReviewID: reviews[4].ReviewID, Body: "left out with its review"}}
	reviews[5].CommentRows = []record.CommentRow{{ReviewID: reviews[5].ReviewID, Body: "kept"}}
	s, err := NewRemote(cfg, "run1", nil)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Write(context.Background(), reviews)
	var rowsErr *RowsError
	if !errors.As(err, &rowsErr) || len(rowsErr.Rows) != 1 || rowsErr.Rows[0].Index != 4 {
		t.Fatalf("Write = %v, want row 4 alone left out", err)
	}
	if err := s.Commit(context.Background()); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	root := filepath.Join(srv.Root, "keys", prefix)
	var n, comments int
	db := duckdbOpen(t)
	if err := db.QueryRow(`SELECT count(*) FROM read_parquet('` + filepath.ToSlash(root) + `/reviews/**/*.parquet')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM read_parquet('` + filepath.ToSlash(root) + `/comments/*.parquet')`).Scan(&comments); err != nil {
		t.Fatal(err)
	}
	if n != len(reviews)-1 || comments != 1 {
		t.Errorf("%d reviews and %d comments published, want %d and 1", n, comments, len(reviews)-1)
	}
}

// TestPreflightS3 checks a dry run's preflight against a real
// S3-compatible server: a bucket the credentials reach passes, a missing
// bucket and wrong credentials fail with the dataset named, and nothing is
// written.
func TestPreflightS3(t *testing.T) {
	srv := testshared.StartS3(t, "present")
	ctx := context.Background()
	query := "?endpoint=" + srv.Endpoint + "&use_path_style=true&region=us-east-1"
	cfg := DefaultParquetConfig()
	cfg.Path = "s3://present/nightly/reviews" + query
	if what, err := Preflight(ctx, cfg); err != nil || !strings.Contains(what, "reachable") {
		t.Errorf("preflight of a reachable bucket: %q, %v", what, err)
	}
	cfg.Path = "s3://absent/nightly/reviews" + query
	if _, err := Preflight(ctx, cfg); err == nil || !strings.Contains(err.Error(), "s3://absent/nightly/reviews") {
		t.Errorf("preflight of a missing bucket: %v", err)
	}
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong")
	cfg.Path = "s3://present/nightly/reviews" + query
	if _, err := Preflight(ctx, cfg); err == nil {
		t.Errorf("preflight with wrong credentials passed")
	}
}
