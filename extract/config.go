package extract

import (
	"errors"

	"github.com/reviewpipe/reviewpipe/internal/confval"
)

// Config holds the extractor's knobs.
type Config struct {
	// MaxPageBytes rejects pages larger than this (0: no limit).
	MaxPageBytes confval.ByteSize `yaml:"max_page_bytes"`
}

// DefaultConfig returns the extractor defaults.
func DefaultConfig() Config {
	return Config{MaxPageBytes: 16 << 20}
}

// Validate reports every invalid field as a *confval.FieldError.
func (c Config) Validate() error {
	var errs []error
	if c.MaxPageBytes < 0 {
		errs = append(errs, confval.Errorf("max_page_bytes", "must not be negative, got %d", c.MaxPageBytes))
	}
	return errors.Join(errs...)
}
