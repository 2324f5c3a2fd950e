package transform

import (
	"context"
	"strings"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// normalizeLanguage turns the page's declared language tag ("en-US",
// "en_GB", "EN") into an ISO 639-1 code. Tags that are not a two-letter
// primary subtag ("x-default", "eng", garbage) leave language null rather
// than guessing.
func normalizeLanguage(_ context.Context, r *record.Review) error {
	r.Language = record.Str(LanguageCode(r.DeclaredLanguage))
	return nil
}

// LanguageCode returns the ISO 639-1 code of a BCP 47-ish tag, or "".
func LanguageCode(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, "-_ ,;"); i >= 0 {
		tag = tag[:i]
	}
	if len(tag) != 2 {
		return ""
	}
	tag = strings.ToLower(tag)
	if tag[0] < 'a' || tag[0] > 'z' || tag[1] < 'a' || tag[1] > 'z' {
		return ""
	}
	return tag
}
