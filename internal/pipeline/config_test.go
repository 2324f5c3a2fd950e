package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reviewpipe/reviewpipe/crawl"
	"github.com/reviewpipe/reviewpipe/sinks"
)

// TestBadConfigs checks that every problem of a bad file is reported, each
// with its line and YAML path.
func TestBadConfigs(t *testing.T) {
	tests := []struct {
		file string
		want []string // "line:col: path: substring of message"
	}{
		{"three-mistakes.bad.yml", []string{
			`2:5: sources[0].paths: must list at least one file`,
			`3:5: sources[0].pathz: unknown key "pathz" (did you mean "paths"?)`,
			`7:18: sinks[0].compression: unknown codec "brotli9"`,
			`9:12: pipeline.workers: must be 0 (one per CPU) or more, got -2`,
		}},
		{"unknown-type.bad.yml", []string{
			`2:11: sources[0].type: unknown type "ftp"; one of crawl, files`,
			`5:5: sinks[0].type: missing; one of arrow, jsonl, parquet`,
		}},
		{"wrong-shapes.bad.yml", []string{
			`5:9: sources[0].paths[1]: must not be empty`,
			`6:21: sources[0].max_file_bytes: invalid size "lots"`,
			`8:19: extract.max_page_bytes: want a single value, got a list`,
			`9:8: sinks: want a list of components`,
			`11:10: log.level: must be one of debug, info, warn, error, got "chatty"`,
		}},
		{"env-missing.bad.yml", []string{
			`3:13: sources[0].paths[0]: environment variable REVIEWPIPE_TEST_UNSET_VAR is not set`,
		}},
		{"site-rules.bad.yml", []string{
			`5:13: extract.deadline: invalid duration "soon"`,
			`8:13: extract.sites[0].body: invalid CSS selector "div.content["`,
			`9:7: extract.sites[1].hosts: must name at least one host`,
		}},
		{"syntax.bad.yml", []string{`syntax.bad.yml:2: did not find expected ',' or ']'`}},
		{"empty-sections.bad.yml", []string{
			`1:1: sources: at least one source is required`,
			`1:1: sinks: at least one sink is required`,
			`2:11: log.format: must be text or json, got "xml"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := Load(filepath.Join("testdata", tt.file))
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Load: got %v, want config Errors", err)
			}
			got := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("errors lack %q; got:\n%s", w, got)
				}
			}
			if tt.file != "syntax.bad.yml" && len(errs) != len(tt.want) {
				t.Errorf("got %d errors, want %d:\n%s", len(errs), len(tt.want), got)
			}
			for _, e := range errs {
				if !strings.HasPrefix(e.Error(), filepath.Join("testdata", tt.file)+":") {
					t.Errorf("error %q does not name the file", e)
				}
			}
		})
	}
}

func TestGoodConfigs(t *testing.T) {
	t.Setenv("REVIEWPIPE_TEST_MIN_WORDS", "40")
	cfg, err := Load(filepath.Join("testdata", "full.good.yml"))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	files := cfg.Sources[0].Spec.(*crawl.FilesConfig)
	if got := files.Paths[0]; got != "pages/**/*.html" {
		t.Errorf("default interpolation: paths[0] = %q", got)
	}
	if files.MaxFileBytes != 8<<20 || files.BaseURL != "https://reviews.example/" {
		t.Errorf("files config = %+v", files)
	}
	if cfg.Transform.MinWords != 40 {
		t.Errorf("env interpolation into an int: min_words = %d, want 40", cfg.Transform.MinWords)
	}
	pq := cfg.Sinks[0].Spec.(*sinks.ParquetConfig)
	if pq.Compression != "snappy" || pq.RowGroupRows != 5000 {
		t.Errorf("parquet config = %+v", pq)
	}
	if cfg.Pipeline.Workers != 3 || cfg.Log.Format != "json" {
		t.Errorf("pipeline/log = %+v %+v", cfg.Pipeline, cfg.Log)
	}

	cfg, err = Load(filepath.Join("testdata", "minimal.good.yml"))
	if err != nil {
		t.Fatalf("Load minimal: %v", err)
	}
	files = cfg.Sources[0].Spec.(*crawl.FilesConfig)
	if len(files.Paths) != 1 || files.MaxFileBytes != crawl.DefaultFilesConfig().MaxFileBytes {
		t.Errorf("a scalar where a list is expected, and defaults: %+v", files)
	}
	if cfg.Pipeline.QueueSize != 64 || cfg.Log.Level != "info" {
		t.Errorf("defaults not applied: %+v %+v", cfg.Pipeline, cfg.Log)
	}
}

func TestInterpolate(t *testing.T) {
	t.Setenv("RP_A", "alpha")
	t.Setenv("RP_EMPTY", "")
	tests := []struct{ in, want, err string }{
		{"plain", "plain", ""},
		{"${RP_A}/x", "alpha/x", ""},
		{"${RP_EMPTY:def}", "def", ""},
		{"${RP_UNSET_X:}", "", ""},
		{"$${RP_A}", "${RP_A}", ""},
		{"${RP_UNSET_X}", "", "RP_UNSET_X is not set"},
	}
	for _, tt := range tests {
		got, err := interpolate(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("interpolate(%q) err = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("interpolate(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// TestRepositoryConfig keeps the shipped pipeline.yaml and its embedded copy
// valid.
func TestRepositoryConfig(t *testing.T) {
	if _, err := Load(filepath.Join("..", "..", "pipeline.yaml")); err != nil {
		t.Errorf("pipeline.yaml: %v", err)
	}
	if _, err := LoadEmbedded(); err != nil {
		t.Errorf("embedded pipeline.yaml: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"full.good.yml", "three-mistakes.bad.yml", "wrong-shapes.bad.yml", "syntax.bad.yml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse(data, "fuzz.yml", t.TempDir(), nil)
		if err == nil && (len(cfg.Sources) == 0 || len(cfg.Sinks) == 0) {
			t.Errorf("accepted a config without sources or sinks")
		}
	})
}
