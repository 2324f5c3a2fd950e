package pipeline

import (
	"strings"
	"testing"

	"github.com/reviewpipe/reviewpipe/crawl"
	"github.com/reviewpipe/reviewpipe/sinks"
)

func TestSetOverrides(t *testing.T) {
	base := "sources:\n  - type: files\n    paths: [a.html]\nsinks:\n  - type: parquet\n    path: out/reviews\n"
	tests := []struct {
		set   []string
		check func(*Config) bool
		err   string
	}{
		{[]string{"pipeline.workers=3"}, func(c *Config) bool { return c.Pipeline.Workers == 3 }, ""},
		{[]string{"sinks[0].mode=overwrite"}, func(c *Config) bool { return c.Sinks[0].Spec.(*sinks.ParquetConfig).Mode == "overwrite" }, ""},
		{[]string{"sources[0].paths=[x.html, y.html]"}, func(c *Config) bool { return len(c.Sources[0].Spec.(*crawl.FilesConfig).Paths) == 2 }, ""},
		{[]string{"metrics.textfile=m.prom", "metrics.job=nightly"}, func(c *Config) bool { return c.Metrics.Textfile == "m.prom" && c.Metrics.Job == "nightly" }, ""},
		{[]string{"log.progress_interval=0s"}, func(c *Config) bool { return c.Log.ProgressInterval == 0 }, ""},
		{[]string{"pipeline.workers=-1"}, nil, "pipeline.workers: must be 0"},
		{[]string{"pipeline.wrokers=2"}, nil, "wrokers"},
		{[]string{"sinks[3].path=x"}, nil, "the list has 1 entries"},
		{[]string{"novalue"}, nil, "want key.path=value"},
		{[]string{"pipeline.workers=[unclosed"}, nil, "not YAML"},
	}
	for _, tt := range tests {
		cfg, err := ParseWith([]byte(base), "test.yaml", t.TempDir(), nil, Options{Set: tt.set})
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("--set %v: err %v, want %q", tt.set, err, tt.err)
			}
			continue
		}
		if err != nil || !tt.check(cfg) {
			t.Errorf("--set %v: err %v, or the value did not take", tt.set, err)
		}
	}
}

func TestOutDirOverride(t *testing.T) {
	out := t.TempDir()
	cfg, err := LoadEmbeddedWith(Options{OutDir: out})
	if err != nil {
		t.Fatal(err)
	}
	outputs := outputsOf(cfg.Sinks[0].Spec, cfg)
	if !strings.HasPrefix(outputs[0], out+"/") {
		t.Errorf("-o %s: the reviews dataset goes to %s", out, outputs[0])
	}
	if s := cfg.statePaths(); len(s) == 0 || !strings.HasPrefix(s[0], out+"/") {
		t.Errorf("-o %s: state files go to %v", out, s)
	}
}

// FuzzSetPath: any --set assignment either applies or is refused with an
// error; whatever the path and value, parsing never panics.
func FuzzSetPath(f *testing.F) {
	for _, s := range []string{"pipeline.workers=3", "sinks[0].path=x", "a[0][1].b=[1,2]", "a.=1", "[=", "x[99]=1", "log.level={a: b}"} {
		f.Add(s)
	}
	base := "sources:\n  - type: files\n    paths: [a.html]\nsinks:\n  - type: parquet\n    path: out/reviews\n"
	f.Fuzz(func(t *testing.T, set string) {
		_, _ = ParseWith([]byte(base), "fuzz.yaml", t.TempDir(), nil, Options{Set: []string{set}})
	})
}
