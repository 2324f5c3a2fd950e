package transform

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/confval"
	"github.com/reviewpipe/reviewpipe/internal/record"
)

// Config holds the transform stage's knobs.
type Config struct {
	// Timezone is the IANA zone assumed for dates written without an offset
	// ("2024-05-03 18:00"); they are stored in UTC after conversion.
	Timezone string `yaml:"timezone"`
	// MinWords rejects reviews whose normalized body has fewer words.
	MinWords int `yaml:"min_words"`
	// Required names the columns a review must have (not null, not
	// empty) to be written; one that lacks any becomes an invalid reject
	// naming them. See RequirableFields.
	Required []string `yaml:"required"`
	// Duplicates configures near-duplicate detection (duplicate_of).
	Duplicates DuplicatesConfig `yaml:"duplicates"`
	// KeepKinds, when set, keeps only pages of these page_kind values;
	// the others become rejects with reason "kind", counted and listed,
	// not silently lost. Empty keeps every kind.
	KeepKinds []string `yaml:"keep_kinds"`
}

// RequirableFields are the reviews columns transform.required may name:
// the ones that can be null or empty.
var RequirableFields = []string{"canonical_url", "site", "site_name", "title", "authors", "published_at", "language",
	"description", "rating", "rating_value", "item_name", "item_type", "item_year", "item_facts"}

// DefaultConfig returns the transform defaults.
func DefaultConfig() Config {
	return Config{Timezone: "UTC", MinWords: 1, Duplicates: DuplicatesConfig{Enabled: true, MaxDistance: 6, MinWords: 50}}
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
	for i, f := range c.Required {
		if !slices.Contains(RequirableFields, f) {
			errs = append(errs, confval.Errorf(fmt.Sprintf("required[%d]", i), "unknown column %q, want one of %s", f, strings.Join(RequirableFields, ", ")))
		}
	}
	for i, k := range c.KeepKinds {
		if !slices.Contains(record.PageKinds, k) {
			errs = append(errs, confval.Errorf(fmt.Sprintf("keep_kinds[%d]", i), "unknown page kind %q, want one of %s", k, strings.Join(record.PageKinds, ", ")))
		}
	}
	errs = append(errs, c.Duplicates.validate("duplicates")...)
	return errors.Join(errs...)
}

func (c Config) location() (*time.Location, error) {
	if c.Timezone == "" || c.Timezone == "UTC" {
		return time.UTC, nil
	}
	return time.LoadLocation(c.Timezone)
}
