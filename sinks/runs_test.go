package sinks

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// commitRun writes reviews as run id and commits.
func commitRun(t *testing.T, cfg ParquetConfig, id string, reviews []record.Review) *ParquetSink {
	t.Helper()
	s := newParquetForTest(t, cfg, id)
	if err := s.Write(context.Background(), reviews); err != nil {
		t.Fatalf("run %s: Write: %v", id, err)
	}
	if err := s.Commit(context.Background()); err != nil {
		t.Fatalf("run %s: Commit: %v", id, err)
	}
	return s
}

func TestParquetModes(t *testing.T) {
	reviews := parquetTestReviews()
	t.Run("append skips what the dataset has", func(t *testing.T) {
		cfg := parquetTestConfig(t)
		commitRun(t, cfg, "run1", reviews)
		changed := parquetTestReviews()
		changed[0].ContentHash = "changed"
		s := commitRun(t, cfg, "run2", changed)
		if got := len(parquetRead[record.Review](t, cfg.Path)); got != len(reviews)+1 {
			t.Errorf("after two appends %d rows, want %d (only the changed review again)", got, len(reviews)+1)
		}
		if s.Skipped() != int64(len(reviews)-1) {
			t.Errorf("Skipped() = %d, want %d", s.Skipped(), len(reviews)-1)
		}
	})
	t.Run("overwrite replaces earlier runs", func(t *testing.T) {
		cfg := parquetTestConfig(t)
		commitRun(t, cfg, "run1", reviews)
		commitRun(t, cfg, "run2", reviews)
		cfg.Mode = ModeOverwrite
		commitRun(t, cfg, "run3", reviews[:1])
		files := parquetFiles(t, cfg.Path)
		if len(files) != 1 || !strings.Contains(files[0], "part-run3-") {
			t.Errorf("after overwrite files %v, want run3's only", files)
		}
		ms, err := readManifests(filepath.Dir(cfg.Path))
		if err != nil || len(ms) != 1 || ms["run3"].RunID != "run3" {
			t.Errorf("manifests after overwrite: %v, %v; want run3's only", ms, err)
		}
		if got := ms["run3"].Supersedes; strings.Join(got, ",") != "run1,run2" {
			t.Errorf("run3 supersedes %v, want [run1 run2]", got)
		}
	})
	t.Run("error_if_exists refuses a dataset with files", func(t *testing.T) {
		cfg := parquetTestConfig(t)
		commitRun(t, cfg, "run1", reviews)
		cfg.Mode = ModeErrorIfExists
		s := newParquetForTest(t, cfg, "run2")
		err := s.Write(context.Background(), reviews)
		if err == nil || !strings.Contains(err.Error(), "error_if_exists") {
			t.Errorf("Write = %v, want an error_if_exists refusal", err)
		}
		s.Abort()
		fresh := parquetTestConfig(t)
		fresh.Mode = ModeErrorIfExists
		commitRun(t, fresh, "run1", reviews)
	})
}

func TestParquetManifest(t *testing.T) {
	cfg := parquetTestConfig(t)
	cfg.MaxFileRows = 1
	reviews := parquetTestReviews()
	commitRun(t, cfg, "run1", reviews)
	root := filepath.Dir(cfg.Path)
	data, err := os.ReadFile(filepath.Join(root, "_manifests", "run1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	var rows int64
	for _, f := range m.Files {
		sum, size, err := fileSHA256(absPath(root, f.Path))
		if err != nil || sum != f.SHA256 || size != f.Bytes {
			t.Errorf("%s: manifest says %s/%d bytes, file has %s/%d (%v)", f.Path, f.SHA256, f.Bytes, sum, size, err)
		}
		if f.Dataset == "reviews" {
			rows += f.Rows
		}
	}
	if rows != int64(len(reviews)) || m.SchemaVersion != ParquetSchemaVersion || m.RunID != "run1" {
		t.Errorf("manifest %+v: want %d review rows, schema %s", m, len(reviews), ParquetSchemaVersion)
	}
	success, err := os.ReadFile(filepath.Join(root, "_SUCCESS"))
	if err != nil || !strings.Contains(string(success), `"run1"`) {
		t.Errorf("_SUCCESS = %q, %v", success, err)
	}
}

func TestParquetCleansLeftovers(t *testing.T) {
	cfg := parquetTestConfig(t)
	reviews := parquetTestReviews()
	commitRun(t, cfg, "run1", reviews)
	// What a run killed mid-write and one killed mid-commit leave.
	tmp := filepath.Join(cfg.Path, ".part-run2-00000.parquet.tmp")
	orphan := filepath.Join(cfg.Path, "part-run3-00000.parquet")
	for _, p := range []string{tmp, orphan} {
		if err := os.WriteFile(p, []byte("PAR1 half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	commitRun(t, cfg, "run4", nil)
	for _, p := range []string{tmp, orphan} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s survived the next run", p)
		}
	}
	if got := len(parquetRead[record.Review](t, cfg.Path)); got != len(reviews) {
		t.Errorf("%d rows after cleaning, want run1's %d", got, len(reviews))
	}
}

func TestParquetAdoptsFilesWithoutManifest(t *testing.T) {
	cfg := parquetTestConfig(t)
	reviews := parquetTestReviews()
	commitRun(t, cfg, "run1", reviews)
	// A dataset written before manifests existed.
	root := filepath.Dir(cfg.Path)
	if err := os.RemoveAll(filepath.Join(root, "_manifests")); err != nil {
		t.Fatal(err)
	}
	commitRun(t, cfg, "run2", reviews)
	if got := len(parquetRead[record.Review](t, cfg.Path)); got != len(reviews) {
		t.Errorf("%d rows, want the adopted %d (and run2's repeats skipped)", got, len(reviews))
	}
	ms, err := readManifests(root)
	if err != nil || !ms["run1"].Adopted || len(ms["run1"].Files) == 0 {
		t.Errorf("run1 not adopted: %+v, %v", ms["run1"], err)
	}
}

func TestParquetOneRunAtATime(t *testing.T) {
	cfg := parquetTestConfig(t)
	first := newParquetForTest(t, cfg, "run1")
	if err := first.Write(context.Background(), parquetTestReviews()); err != nil {
		t.Fatal(err)
	}
	second := newParquetForTest(t, cfg, "run2")
	err := second.Write(context.Background(), parquetTestReviews())
	if err == nil || !strings.Contains(err.Error(), "another run") {
		t.Errorf("second concurrent run: %v, want a refusal naming the lock", err)
	}
	second.Abort()
	if err := first.Commit(context.Background()); err != nil {
		t.Fatalf("first run's Commit: %v", err)
	}
	third := commitRun(t, cfg, "run3", nil)
	_ = third
}

func TestParquetFileMetadataAndDictionaries(t *testing.T) {
	cfg := parquetTestConfig(t).WithConfigHash("abc123")
	commitRun(t, cfg, "run1", parquetTestReviews())
	files := parquetFiles(t, cfg.Path)
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{
		"reviewpipe.run_id": "run1", "reviewpipe.config_hash": "abc123", "reviewpipe.schema_version": ParquetSchemaVersion, "reviewpipe.version": record.Version(),
	} {
		if got, _ := pf.Lookup(k); got != want {
			t.Errorf("metadata %s = %q, want %q", k, got, want)
		}
	}
	dict := map[string]bool{}
	for _, col := range pf.Metadata().RowGroups[0].Columns {
		for _, enc := range col.MetaData.Encoding {
			//lint:ignore SA1019 older writers mark dictionary pages PLAIN_DICTIONARY; either means the column is dictionary-encoded
			if enc == format.RLEDictionary || enc == format.PlainDictionary {
				dict[strings.Join(col.MetaData.PathInSchema, ".")] = true
			}
		}
	}
	for _, col := range []string{"site", "language", "extractor"} {
		if !dict[col] {
			t.Errorf("column %s is not dictionary-encoded (dictionary columns: %v)", col, dict)
		}
	}
	if dict["body"] {
		t.Errorf("body is dictionary-encoded")
	}
}
