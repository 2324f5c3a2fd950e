package pipeline

import (
	"fmt"
	"io/fs"
	"os"

	"github.com/reviewpipe/reviewpipe"
)

// EmbeddedName labels the built-in config in messages.
const EmbeddedName = "pipeline.yaml (built in)"

// LoadEmbedded returns the built-in default config: the repository's
// pipeline.yaml reading the bundled sample site, writing under the working
// directory.
func LoadEmbedded() (*Config, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("finding the working directory: %w", err)
	}
	return Parse(reviewpipe.DefaultConfig, EmbeddedName, wd, reviewpipe.SampleSite)
}

// SampleSite returns the bundled sample pages.
func SampleSite() fs.FS { return reviewpipe.SampleSite }
