//go:build !gcs && !azure

package sinks

import (
	"strings"
	"testing"
)

// TestRemoteNotBuiltIn: a gs:// or azblob:// dataset in the default build
// is a config error that says how to build with it.
func TestRemoteNotBuiltIn(t *testing.T) {
	for path, tag := range map[string]string{"gs://bucket/nightly/reviews": "gcs", "azblob://container/nightly/reviews": "azure"} {
		cfg := DefaultParquetConfig()
		cfg.Path = path
		err := cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), "go build -tags "+tag) {
			t.Errorf("%s: %v, want the build tag named", path, err)
		}
	}
	cfg := DefaultParquetConfig()
	cfg.Path = "s3://bucket/nightly/reviews"
	if err := cfg.Validate(); err != nil {
		t.Errorf("s3:// is built in: %v", err)
	}
}
