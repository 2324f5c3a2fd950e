package transform

import (
	"context"
	"strings"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// normalizeLanguage sets language for every record: the language the body
// is written in, detected from its words or script, with the page's
// declared tag ("en-US", "en_GB", "EN" → "en") breaking near ties and
// standing in when the text is too short or in a language detection does
// not know. Declared tags that are not a two-letter primary subtag
// ("x-default", "eng", garbage) count as undeclared.
func normalizeLanguage(_ context.Context, r *record.Review) error {
	declared := LanguageCode(r.DeclaredLanguage)
	lang := DetectLanguage(r.Body, declared)
	if lang == "" {
		lang = declared
	}
	r.Language = record.Str(lang)
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
