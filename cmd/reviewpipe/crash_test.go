package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/reviewpipe/reviewpipe/internal/crashpoint"
	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// crashPages is the input of the kill tests: two folders of generated
// review pages with 0–3 comments each, so a run writes several files per
// dataset (batches of 10, files of at most 20 rows, partitions by site).
const crashPages = 60

func writeCrashPages(t *testing.T) (half1, half2 string) {
	t.Helper()
	dir := t.TempDir()
	half1, half2 = filepath.Join(dir, "half1"), filepath.Join(dir, "half2")
	for i := range crashPages {
		d := half1
		if i >= crashPages/2 {
			d = half2
		}
		os.MkdirAll(d, 0o755)
		if err := os.WriteFile(filepath.Join(d, fmt.Sprintf("r%03d.html", i)), testshared.ReviewPage(i, i%4), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return half1, half2
}

func crashConfig(t *testing.T, reviewsPath, mode string, paths ...string) string {
	return writeConfig(t, fmt.Sprintf(`
sources:
  - {type: files, paths: [%s]}
sinks:
  - type: parquet
    path: %q
    mode: %s
    partition_by: [site]
    max_file_rows: 20
pipeline: {batch_size: 10, workers: 2}
`, strings.Join(paths, ", "), reviewsPath, mode))
}

// runKilled runs the config in a child process armed to SIGKILL itself
// at point, and fails the test if it was not killed there.
func runKilled(t *testing.T, cfg, point string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestRunHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "REVIEWPIPE_HELPER_CONFIG="+cfg, crashpoint.Env+"="+point)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || !ee.Sys().(syscall.WaitStatus).Signaled() || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the run was not killed at %s (%v); output:\n%s", point, err, out)
	}
}

// datasetRows reads the reviews and comments of a dataset root with
// DuckDB: the review ids (with repeats) and the comments as
// "review_id/position/body" lines, both sorted.
func datasetRows(t *testing.T, root string) (ids, comments []string) {
	t.Helper()
	db := openDuckDB(t)
	query := func(q string) []string {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		slices.Sort(out)
		return out
	}
	ids = query(fmt.Sprintf(`SELECT review_id FROM read_parquet('%s/reviews/**/*.parquet')`, root))
	if files, _ := filepath.Glob(filepath.Join(root, "comments", "*.parquet")); len(files) > 0 {
		comments = query(fmt.Sprintf(`SELECT review_id || '/' || position || '/' || body FROM read_parquet('%s/comments/*.parquet')`, root))
	}
	return ids, comments
}

// TestRunKilledAtEveryPoint kills runs with SIGKILL at every step of a
// run — while pages are read, while reviews and comments are written,
// after the files are finished, after the first reviews file and after
// the first comments file is renamed into place, after all renames,
// after the manifest, after _SUCCESS, after the sinks committed — into an
// empty folder and into a dataset holding an earlier run, for the local
// Parquet sink and the S3 sink on versitygw. After one more run DuckDB
// must see every review once and exactly the comments of a clean run.
func TestRunKilledAtEveryPoint(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes and an S3 server")
	}
	half1, half2 := writeCrashPages(t)
	// The staging folders of object-storage runs go here, so the test can
	// see that a killed run's copy does not stay behind.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	// The reference: one clean run over every page.
	ref := t.TempDir()
	if code, _, stderr := runCLI(t, "run", "-c", crashConfig(t, filepath.Join(ref, "reviews"), "append", half1, half2)); code != exitOK {
		t.Fatalf("clean run: exit %d\n%s", code, stderr)
	}
	wantIDs, wantComments := datasetRows(t, ref)
	if len(wantIDs) != crashPages || len(wantComments) < crashPages {
		t.Fatalf("clean run: %d reviews, %d comments; the pages are not what the test needs", len(wantIDs), len(wantComments))
	}
	points := []string{"run.page#30", "sink.reviews#2", "sink.comments#2", "commit.finished", "commit.rename#1", "commit.rename#6",
		"commit.renamed", "commit.manifest", "commit.success", "run.published"}

	s3 := testshared.StartS3(t, "crash")
	sinksUnderTest := []struct {
		name   string
		points []string
		// path of the reviews dataset of case c, and the folder DuckDB reads
		path func(c string) (string, string)
	}{
		{"local", points, func(c string) (string, string) {
			root := filepath.Join(t.TempDir(), c)
			return filepath.Join(root, "reviews"), root
		}},
		{"s3", append(slices.Clone(points), "remote.upload#3", "remote.upload#7", "remote.manifest"), func(c string) (string, string) {
			return "s3://crash/" + c + "/reviews?endpoint=" + s3.Endpoint + "&use_path_style=true&region=us-east-1", filepath.Join(s3.Root, "crash", c)
		}},
	}
	n := 0
	for _, sk := range sinksUnderTest {
		for _, existing := range []bool{false, true} {
			for _, point := range sk.points {
				name := fmt.Sprintf("%s/%s/%s", sk.name, map[bool]string{false: "empty", true: "existing"}[existing], point)
				t.Run(name, func(t *testing.T) {
					n++
					reviews, root := sk.path(fmt.Sprintf("case%02d", n))
					if existing {
						if code, _, stderr := runCLI(t, "run", "-c", crashConfig(t, reviews, "append", half1)); code != exitOK {
							t.Fatalf("earlier run: exit %d\n%s", code, stderr)
						}
					}
					cfg := crashConfig(t, reviews, "append", half1, half2)
					runKilled(t, cfg, point)
					if code, _, stderr := runCLI(t, "run", "-c", cfg); code != exitOK {
						t.Fatalf("run after the kill: exit %d\n%s", code, stderr)
					}
					ids, comments := datasetRows(t, root)
					if !slices.Equal(ids, wantIDs) {
						t.Errorf("%d review rows (%d distinct), want the %d reviews once each", len(ids), len(slices.Compact(slices.Clone(ids))), len(wantIDs))
					}
					if !slices.Equal(comments, wantComments) {
						t.Errorf("%d comment rows, want exactly the clean run's %d", len(comments), len(wantComments))
					}
					if left, _ := filepath.Glob(filepath.Join(tmp, "reviewpipe-*")); len(left) > 0 {
						t.Errorf("temporaries left behind: %v", left)
					}
				})
			}
		}
	}
	// An overwrite killed while it deletes the runs it replaces.
	for _, sk := range sinksUnderTest {
		t.Run(sk.name+"/overwrite/commit.supersede#2", func(t *testing.T) {
			reviews, root := sk.path(sk.name + "-overwrite")
			for _, paths := range [][]string{{half1}, {half2}} {
				if code, _, stderr := runCLI(t, "run", "-c", crashConfig(t, reviews, "append", paths...)); code != exitOK {
					t.Fatalf("earlier run: exit %d\n%s", code, stderr)
				}
			}
			cfg := crashConfig(t, reviews, "overwrite", half1, half2)
			runKilled(t, cfg, "commit.supersede#2")
			if code, _, stderr := runCLI(t, "run", "-c", crashConfig(t, reviews, "append", half1, half2)); code != exitOK {
				t.Fatalf("run after the kill: exit %d\n%s", code, stderr)
			}
			ids, comments := datasetRows(t, root)
			if !slices.Equal(ids, wantIDs) || !slices.Equal(comments, wantComments) {
				t.Errorf("%d reviews, %d comments; want %d and %d", len(ids), len(comments), len(wantIDs), len(wantComments))
			}
		})
	}
}
