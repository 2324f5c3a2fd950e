package transform

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// identify sets review_id, content_hash, simhash, word_count and site. review_id
// hashes the canonical URL (else the URL) so the same review gets the same
// id in every run and from every source that knows its canonical address.
func identify(_ context.Context, r *record.Review) error {
	key := r.URL
	if r.CanonicalURL != nil {
		key = *r.CanonicalURL
	}
	r.ReviewID = ReviewID(key)
	r.ContentHash = ContentHash(r.Body)
	r.SimHash = int64(SimHash(r.Body))
	r.WordCount = int64(len(strings.Fields(r.Body)))
	// The files store microseconds; truncating here makes the JSON output
	// and the Parquet files agree to the digit.
	r.FetchedAt = r.FetchedAt.UTC().Truncate(time.Microsecond)
	if r.PublishedAt != nil {
		t := r.PublishedAt.UTC().Truncate(time.Microsecond)
		r.PublishedAt = &t
	}
	if r.ModifiedAt != nil {
		t := r.ModifiedAt.UTC().Truncate(time.Microsecond)
		r.ModifiedAt = &t
	}
	if r.Site == nil {
		if u, err := url.Parse(r.URL); err == nil {
			r.Site = record.Str(strings.ToLower(u.Hostname()))
		}
	}
	return nil
}

// ReviewID returns the stable id of the review at canonicalURL: the first
// 128 bits of its SHA-256, in hex. The URL is used as given; callers pass the
// canonical form.
func ReviewID(canonicalURL string) string {
	sum := sha256.Sum256([]byte(canonicalURL))
	return hex.EncodeToString(sum[:16])
}

// ContentHash returns the SHA-256 of a normalized body, in hex.
func ContentHash(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}
