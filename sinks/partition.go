package sinks

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// hiveNull is the partition value of a missing key, as Hive, Spark and
// DuckDB write and read it.
const hiveNull = "__HIVE_DEFAULT_PARTITION__"

// partitionKeys are the columns the reviews dataset can be partitioned
// by: stored columns of low cardinality, and parts of the record's own
// dates (in UTC).
var partitionKeys = map[string]func(r *record.Review) string{
	"site":            func(r *record.Review) string { return record.Deref(r.Site) },
	"language":        func(r *record.Review) string { return record.Deref(r.Language) },
	"item_type":       func(r *record.Review) string { return record.Deref(r.ItemType) },
	"published_year":  func(r *record.Review) string { return datePart(r.PublishedAt, "2006") },
	"published_month": func(r *record.Review) string { return datePart(r.PublishedAt, "01") },
	"published_date":  func(r *record.Review) string { return datePart(r.PublishedAt, "2006-01-02") },
	"fetched_year":    func(r *record.Review) string { return datePart(&r.FetchedAt, "2006") },
	"fetched_month":   func(r *record.Review) string { return datePart(&r.FetchedAt, "01") },
	"fetched_date":    func(r *record.Review) string { return datePart(&r.FetchedAt, "2006-01-02") },
}

func datePart(t *time.Time, layout string) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(layout)
}

func partitionKeyNames() string {
	return "site, language, item_type, published_year, published_month, published_date, fetched_year, fetched_month, fetched_date"
}

// reviewPartition returns the partition path function for keys.
func reviewPartition(keys []string) func(*record.Review) string {
	if len(keys) == 0 {
		return nil
	}
	fns := make([]func(*record.Review) string, len(keys))
	for i, k := range keys {
		fns[i] = partitionKeys[k]
	}
	return func(r *record.Review) string {
		var b strings.Builder
		for i, f := range fns {
			if i > 0 {
				b.WriteByte('/')
			}
			b.WriteString(keys[i])
			b.WriteByte('=')
			b.WriteString(shortenValue(f(r), maxPartitionComponent-len(keys[i])-1))
		}
		return b.String()
	}
}

// maxPartitionComponent is the longest folder name the common file systems
// take (NAME_MAX of ext4, XFS, btrfs and APFS; NTFS counts UTF-16 units, so
// bytes are the stricter measure). A valid DNS name is up to 253 bytes and
// escaping can triple a value, so "site=<host>" can exceed it.
const maxPartitionComponent = 255

// shortenedHashHex is how many hex digits of the value's SHA-256 end a
// shortened value: 64 bits make two long values that share their prefix
// collide with odds no dataset reaches.
const shortenedHashHex = 16

// shortenValue returns partitionValue(raw) when it fits in max bytes;
// else the escaped form of raw's first characters, "~" and the first 16
// hex digits of SHA-256(raw). The cut falls between characters, so the
// kept prefix decodes to valid UTF-8 (DuckDB refuses a Hive value that
// does not). "~" never appears in an escaped value (partitionValue
// escapes it as %7E), so a shortened value cannot be mistaken for a
// written-out one, and two long values with the same prefix stay apart.
func shortenValue(raw string, max int) string {
	esc := partitionValue(raw)
	if len(esc) <= max {
		return esc
	}
	sum := sha256.Sum256([]byte(raw))
	keep := max - 1 - shortenedHashHex
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(raw, "\uFFFD") {
		e := partitionValue(string(r))
		if b.Len()+len(e) > keep {
			break
		}
		b.WriteString(e)
	}
	return b.String() + "~" + hex.EncodeToString(sum[:])[:shortenedHashHex]
}

// partitionValue makes v safe as one path segment that no reader
// misparses, and that decodes to valid UTF-8: letters, digits and "-_." stay, every other byte (a slash,
// "=", a space, non-ASCII) is %XX-escaped as Hive escapes it, and a value
// of only dots, which would climb out of the dataset, is escaped whole.
func partitionValue(v string) string {
	if v == "" {
		return hiveNull
	}
	// Readers URL-decode the value and refuse invalid UTF-8 (DuckDB fails
	// the whole query), so broken bytes become U+FFFD first.
	v = strings.ToValidUTF8(v, "\uFFFD")
	dots := strings.Trim(v, ".") == ""
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.' && !dots:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// sortKeys are the columns the rows of a reviews file can be sorted by.
var sortKeys = map[string]func(a, b *record.Review) int{
	"site":         func(a, b *record.Review) int { return cmpPtr(a.Site, b.Site) },
	"published_at": func(a, b *record.Review) int { return cmpTime(a.PublishedAt, b.PublishedAt) },
	"fetched_at":   func(a, b *record.Review) int { return a.FetchedAt.Compare(b.FetchedAt) },
	"review_id":    func(a, b *record.Review) int { return cmp.Compare(a.ReviewID, b.ReviewID) },
	"language":     func(a, b *record.Review) int { return cmpPtr(a.Language, b.Language) },
	"rating":       func(a, b *record.Review) int { return cmpPtr(a.Rating, b.Rating) },
}

func sortKeyNames() string { return "site, published_at, fetched_at, review_id, language, rating" }

// nullsLast compares two optional values with cmpf, nulls after values.
func nullsLast[T any](a, b *T, cmpf func(a, b T) int) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return cmpf(*a, *b)
}

func cmpPtr[T cmp.Ordered](a, b *T) int { return nullsLast(a, b, cmp.Compare[T]) }

func cmpTime(a, b *time.Time) int { return nullsLast(a, b, time.Time.Compare) }

func reviewOrder(keys []string) func(a, b *record.Review) int {
	if len(keys) == 0 {
		return nil
	}
	fns := make([]func(a, b *record.Review) int, len(keys))
	for i, k := range keys {
		fns[i] = sortKeys[k]
	}
	return func(a, b *record.Review) int {
		for _, f := range fns {
			if c := f(a, b); c != 0 {
				return c
			}
		}
		return 0
	}
}
