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
func LoadEmbedded() (*Config, error) { return LoadEmbeddedWith(Options{}) }

// LoadEmbeddedWith is LoadEmbedded with command-line overrides applied.
func LoadEmbeddedWith(opts Options) (*Config, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("finding the working directory: %w", err)
	}
	return ParseWith(reviewpipe.DefaultConfig, EmbeddedName, wd, reviewpipe.SampleSite, opts)
}

// SampleSite returns the bundled sample pages.
func SampleSite() fs.FS { return reviewpipe.SampleSite }
