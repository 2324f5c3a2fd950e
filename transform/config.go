package transform

import (
	"errors"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/confval"
)

// Config holds the transform stage's knobs.
type Config struct {
	// Timezone is the IANA zone assumed for dates written without an offset
	// ("2024-05-03 18:00"); they are stored in UTC after conversion.
	Timezone string `yaml:"timezone"`
	// MinWords rejects reviews whose normalized body has fewer words.
	MinWords int `yaml:"min_words"`
}

// DefaultConfig returns the transform defaults.
func DefaultConfig() Config {
	return Config{Timezone: "UTC", MinWords: 1}
}

// Validate reports every invalid field as a *confval.FieldError.
func (c Config) Validate() error {
	var errs []error
	if _, err := c.location(); err != nil {
		errs = append(errs, confval.Errorf("timezone", "unknown time zone %q", c.Timezone))
	}
	if c.MinWords < 0 {
		errs = append(errs, confval.Errorf("min_words", "must not be negative, got %d", c.MinWords))
	}
	return errors.Join(errs...)
}

func (c Config) location() (*time.Location, error) {
	if c.Timezone == "" || c.Timezone == "UTC" {
		return time.UTC, nil
	}
	return time.LoadLocation(c.Timezone)
}
