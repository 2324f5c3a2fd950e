package pipeline

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// resultWriter returns the writer of one extract result in format.
func resultWriter(format string, w io.Writer) (func(ExtractResult) error, error) {
	switch format {
	case "", FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return func(r ExtractResult) error { return enc.Encode(r) }, nil
	case FormatMarkdown, FormatText:
		first := true
		return func(r ExtractResult) error {
			var sb strings.Builder
			if !first {
				sb.WriteString("\n---\n\n") // a thematic break between pages
			}
			first = false
			if r.Reject != nil {
				writeReject(&sb, r.Reject)
			} else {
				writeReview(&sb, r.Review, format)
			}
			_, err := io.WriteString(w, sb.String())
			return err
		}, nil
	}
	return nil, fmt.Errorf("unknown format %q: want json, markdown or text", format)
}

func writeReject(sb *strings.Builder, rj *record.Reject) {
	fmt.Fprintf(sb, "rejected: %s (%s/%s)", rj.Source, rj.Stage, rj.Reason)
	if d := record.Deref(rj.Detail); d != "" {
		fmt.Fprintf(sb, ": %s", d)
	}
	sb.WriteString("\n")
}

// writeReview writes a review as a reader would want it: the headline,
// the fields that matter in a line each, then the body.
func writeReview(sb *strings.Builder, r *record.Review, format string) {
	title := record.Deref(r.Title)
	if format == FormatMarkdown {
		fmt.Fprintf(sb, "# %s\n\n", title)
	} else {
		fmt.Fprintf(sb, "%s\n%s\n\n", title, strings.Repeat("=", min(len([]rune(title)), 72)))
	}
	field := func(name, value string) {
		if value == "" {
			return
		}
		if format == FormatMarkdown {
			fmt.Fprintf(sb, "- **%s:** %s\n", name, value)
		} else {
			fmt.Fprintf(sb, "%s: %s\n", name, value)
		}
	}
	field("URL", r.URL)
	field("Site", record.Deref(r.SiteName))
	field("Authors", strings.Join(r.Authors, ", "))
	if r.PublishedAt != nil {
		field("Published", r.PublishedAt.UTC().Format(time.RFC3339))
	}
	field("Kind", r.PageKind)
	field("Rating", record.Deref(r.RatingRaw))
	field("Item", itemLine(r))
	sb.WriteString("\n")
	body := r.Body
	if format == FormatMarkdown && r.BodyMarkdown != nil {
		body = *r.BodyMarkdown
	}
	sb.WriteString(strings.TrimSpace(body))
	sb.WriteString("\n")
}

func itemLine(r *record.Review) string {
	s := record.Deref(r.ItemName)
	if r.ItemYear != nil {
		s += fmt.Sprintf(" (%d)", *r.ItemYear)
	}
	if t := record.Deref(r.ItemType); t != "" {
		s += ", " + t
	}
	return strings.TrimPrefix(s, ", ")
}

// maybeGunzip decompresses a gzip stream (a saved .html.gz piped in),
// bounded like the page itself; other bytes come back as they are.
func maybeGunzip(b []byte) []byte {
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		return b
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return b
	}
	out, err := io.ReadAll(io.LimitReader(zr, maxStdinBytes+1))
	if err != nil {
		return b
	}
	return out
}
