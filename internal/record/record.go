// Package record holds the types that flow between the pipeline stages: the
// raw Page a source yields, the Review an extractor builds and transforms
// edit, and the Reject that records why a page produced no review. It is a
// leaf package: every stage imports it, it imports none of them.
package record

import (
	"errors"
	"fmt"
	"time"
)

// Page is one fetched or read document, before extraction. A Page is owned
// by the stage holding it; stages must not retain it after passing it on.
type Page struct {
	// URL is the best address known before extraction: the fetched URL, or a
	// base URL plus the file's relative path, or a file:// URL. The extractor
	// may replace it with the page's own canonical URL.
	URL string
	// Source names where the page came from: a file path or a fetched URL.
	Source string
	// ContentType is the declared media type, if any ("text/html").
	ContentType string
	// FetchedAt is when the page was fetched (for files: their mtime).
	FetchedAt time.Time
	// Body is the raw document, already decompressed.
	Body []byte
	// Err is set, instead of Body, when the source found the page but could
	// not read it; the runner records it as a reject so no page goes missing
	// without a trace.
	Err error
}

// Review is one extracted review and also the row of the reviews dataset:
// its parquet and json tags are the output schema. Pointer and slice fields
// are null when the value is not known; no field uses "" as a stand-in.
type Review struct {
	ReviewID           string        `parquet:"review_id" json:"review_id"`
	URL                string        `parquet:"url" json:"url"`
	CanonicalURL       *string       `parquet:"canonical_url,optional" json:"canonical_url"`
	Site               *string       `parquet:"site,optional,dict" json:"site"`
	SiteName           *string       `parquet:"site_name,optional,dict" json:"site_name"`
	Title              *string       `parquet:"title,optional" json:"title"`
	Authors            []string      `parquet:"authors,optional,list" json:"authors"`
	PublishedAt        *time.Time    `parquet:"published_at,optional,timestamp(microsecond)" json:"published_at"`
	PublishedRaw       *string       `parquet:"published_raw,optional" json:"published_raw"`
	PublishedPrecision *string       `parquet:"published_precision,optional,dict" json:"published_precision"`
	ModifiedAt         *time.Time    `parquet:"modified_at,optional,timestamp(microsecond)" json:"modified_at"`
	FetchedAt          time.Time     `parquet:"fetched_at,timestamp(microsecond)" json:"fetched_at"`
	Language           *string       `parquet:"language,optional,dict" json:"language"`
	Description        *string       `parquet:"description,optional" json:"description"`
	Body               string        `parquet:"body,zstd" json:"body"`
	BodyMarkdown       *string       `parquet:"body_markdown,optional" json:"body_markdown"`
	WordCount          int64         `parquet:"word_count" json:"word_count"`
	PageKind           string        `parquet:"page_kind,dict" json:"page_kind"`
	IsReview           bool          `parquet:"is_review" json:"is_review"`
	RatingRaw          *string       `parquet:"rating_raw,optional" json:"rating_raw"`
	RatingValue        *float64      `parquet:"rating_value,optional" json:"rating_value"`
	RatingBest         *float64      `parquet:"rating_best,optional,dict" json:"rating_best"`
	RatingWorst        *float64      `parquet:"rating_worst,optional" json:"rating_worst"`
	Rating             *float64      `parquet:"rating,optional" json:"rating"`
	UserRating         *float64      `parquet:"user_rating,optional" json:"user_rating"`
	UserRatingCount    *int64        `parquet:"user_rating_count,optional" json:"user_rating_count"`
	ItemName           *string       `parquet:"item_name,optional" json:"item_name"`
	ItemType           *string       `parquet:"item_type,optional,dict" json:"item_type"`
	ItemYear           *int32        `parquet:"item_year,optional" json:"item_year"`
	ItemFacts          []Fact        `parquet:"item_facts,optional,list" json:"item_facts"`
	FieldSources       []FieldSource `parquet:"field_sources,optional,list" json:"field_sources"`
	CommentCount       int32         `parquet:"comment_count" json:"comment_count"`
	HasSpoilerWarning  bool          `parquet:"has_spoiler_warning" json:"has_spoiler_warning"`
	ContentHash        string        `parquet:"content_hash" json:"content_hash"`
	SimHash            int64         `parquet:"simhash" json:"simhash"`
	DuplicateOf        *string       `parquet:"duplicate_of,optional" json:"duplicate_of"`
	Extractor          string        `parquet:"extractor,dict" json:"extractor"`
	Source             string        `parquet:"source" json:"source"`

	// Comments are the reader comments found on the page, in page order.
	// They feed comment_count; CommentRows holds them as rows of the
	// comments dataset, filled by the transform stage.
	Comments    []Comment    `parquet:"-" json:"-"`
	CommentRows []CommentRow `parquet:"-" json:"-"`
	// RuleFallbacks names the site-rule selectors that matched nothing on
	// this page ("body", "title", …); the runner counts them per host.
	RuleFallbacks []string `parquet:"-" json:"-"`
	// UserRatingValue, UserRatingBest and UserRatingWorst are the users'
	// aggregate rating on the page's scale; transform normalizes them into
	// UserRating.
	UserRatingValue, UserRatingBest, UserRatingWorst *float64 `parquet:"-" json:"-"`
	// Notes says which values a transform dropped as impossible and why
	// ("rating dropped: scale 0 to 0 is empty"); the runner logs them
	// with the page's URL.
	Notes []string `parquet:"-" json:"-"`
	// ModifiedRaw is the date the page says it was last changed, as
	// written; transform parses it into ModifiedAt.
	ModifiedRaw string `parquet:"-" json:"-"`
	// DeclaredLanguage is the language the page declares (<html lang>,
	// og:locale, content-language), before normalization to ISO 639-1.
	DeclaredLanguage string `parquet:"-" json:"-"`
}

// Fact is one line of a review's infobox about the item ("Director" →
// "Spike Jonze"), its key in the English form item_facts documents.
type Fact struct {
	Key   string `parquet:"key" json:"key"`
	Value string `parquet:"value" json:"value"`
}

// FieldSource says which kind of source gave a field its value ("rating"
// → "markup"): the vocabulary is extract's Source* constants.
type FieldSource struct {
	Field  string `parquet:"field,dict" json:"field"`
	Source string `parquet:"source,dict" json:"source"`
}

// Comment is one reader comment on a review page.
type Comment struct {
	Author    string
	Published string
	Body      string
}

// Str returns a pointer to s, or nil when s is empty, so that unknown text
// values become nulls.
func Str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Deref returns *p, or "" when p is nil.
func Deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// PageKinds are the values of page_kind, in the order the README gives
// them: review is one author's evaluation of one item.
var PageKinds = []string{"review", "roundup", "news", "recipe", "product", "listing", "forum", "other"}

// Stage names the pipeline stage that rejected a page.
type Stage string

// The stages that can reject a page.
const (
	StageSource    Stage = "source"
	StageExtract   Stage = "extract"
	StageTransform Stage = "transform"
	StageSink      Stage = "sink"
)

// Reason is why a page was rejected. Reasons are a closed set so that runs
// can be compared and counted by reason.
type Reason string

// Rejection reasons.
const (
	ReasonUnreadable Reason = "unreadable" // the source could not read the page
	ReasonEmpty      Reason = "empty"      // the page has no bytes or no markup
	ReasonNotHTML    Reason = "not_html"   // the bytes are not an HTML document
	ReasonTruncated  Reason = "truncated"  // the document ends mid-tag or mid-markup
	ReasonTooLarge   Reason = "too_large"  // the page exceeds the configured size limit
	ReasonTooDeep    Reason = "too_deep"   // elements nested deeper than the HTML parser goes (512)
	ReasonTimeout    Reason = "timeout"    // extraction took longer than the configured deadline
	ReasonNoBody     Reason = "no_body"    // no article text was found
	ReasonInvalid    Reason = "invalid"    // a required field is missing or malformed
	ReasonPanic      Reason = "panic"      // a stage panicked on this page
	ReasonUnwritable Reason = "unwritable" // a sink cannot store the record (a partition folder the file system refuses)
	ReasonKind       Reason = "kind"       // the page's kind is not in transform.keep_kinds
	ReasonFailed     Reason = "failed"     // an unexpected error on this page
)

// RejectError is the expected failure of a stage on one page: the page
// becomes a Reject instead of a Review and the run goes on.
type RejectError struct {
	Reason Reason
	Detail string
}

func (e *RejectError) Error() string {
	if e.Detail == "" {
		return string(e.Reason)
	}
	return fmt.Sprintf("%s: %s", e.Reason, e.Detail)
}

// Rejectf returns a *RejectError with a formatted detail.
func Rejectf(reason Reason, format string, args ...any) error {
	return &RejectError{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// AsReject reports whether err is or wraps a *RejectError and returns it.
func AsReject(err error) (*RejectError, bool) {
	var re *RejectError
	ok := errors.As(err, &re)
	return re, ok
}

// Reject is the row of the rejects dataset: a page that produced no review.
type Reject struct {
	URL    string    `parquet:"url" json:"url"`
	Source string    `parquet:"source" json:"source"`
	Stage  string    `parquet:"stage,dict" json:"stage"`
	Reason string    `parquet:"reason,dict" json:"reason"`
	Detail *string   `parquet:"detail,optional" json:"detail"`
	At     time.Time `parquet:"at,timestamp(microsecond)" json:"at"`
}

// Fetch is one request the crawler made, or decided not to make, and the
// row of the pages dataset (the fetch log).
type Fetch struct {
	URL         string    `parquet:"url" json:"url"`
	FinalURL    *string   `parquet:"final_url,optional" json:"final_url"`
	Status      int32     `parquet:"status" json:"status"` // 0 when no response came
	Bytes       int64     `parquet:"bytes" json:"bytes"`
	ContentType *string   `parquet:"content_type,optional,dict" json:"content_type"`
	Attempts    int32     `parquet:"attempts" json:"attempts"`
	DurationMS  int64     `parquet:"duration_ms" json:"duration_ms"`
	Outcome     string    `parquet:"outcome,dict" json:"outcome"` // emitted, unchanged, not_modified, followed, skipped, disallowed, blocked, failed
	Error       *string   `parquet:"error,optional" json:"error"`
	FetchedAt   time.Time `parquet:"fetched_at,timestamp(microsecond)" json:"fetched_at"`
}

// CommentRow is one reader comment and the row of the comments dataset;
// review_id joins it to its review.
type CommentRow struct {
	ReviewID     string     `parquet:"review_id" json:"review_id"`
	Position     int32      `parquet:"position" json:"position"`
	Author       *string    `parquet:"author,optional" json:"author"`
	PublishedAt  *time.Time `parquet:"published_at,optional,timestamp(microsecond)" json:"published_at"`
	PublishedRaw *string    `parquet:"published_raw,optional" json:"published_raw"`
	Body         string     `parquet:"body" json:"body"`
}
