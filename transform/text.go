package transform

import (
	"context"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// normalizeText brings every text field to one canonical form so that
// equal texts compare and hash equal whatever the source's encoding habits:
// NFC, no zero-width or soft-hyphen characters, every Unicode space as an
// ASCII space, runs collapsed inside a paragraph, paragraphs separated by
// exactly one blank line.
func normalizeText(_ context.Context, r *record.Review) error {
	r.Body = NormalizeBody(r.Body)
	if r.BodyMarkdown != nil {
		r.BodyMarkdown = record.Str(NormalizeMarkdown(*r.BodyMarkdown))
	}
	for _, p := range []**string{&r.Title, &r.SiteName, &r.Description, &r.PublishedRaw, &r.RatingRaw, &r.ItemName} {
		if *p != nil {
			*p = record.Str(NormalizeLine(**p))
		}
	}
	authors := r.Authors[:0]
	seen := make(map[string]bool, len(r.Authors))
	for _, a := range r.Authors {
		a = NormalizeLine(a)
		if a == "" || seen[strings.ToLower(a)] {
			continue
		}
		seen[strings.ToLower(a)] = true
		authors = append(authors, a)
	}
	if len(authors) == 0 {
		authors = nil
	}
	r.Authors = authors
	return nil
}

// NormalizeBody normalizes a multi-paragraph text: paragraphs are separated
// by one or more blank lines (a single newline inside a paragraph is a
// space), and each paragraph is normalized like a line.
func NormalizeBody(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for para := range strings.SplitSeq(s, "\n\n") {
		p := NormalizeLine(para)
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(p)
	}
	return b.String()
}

// NormalizeLine returns s in NFC with invisible characters removed and all
// whitespace (including no-break and other Unicode spaces and newlines)
// collapsed to single ASCII spaces, trimmed at both ends.
func NormalizeLine(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case invisible(r):
			continue
		case unicode.IsSpace(r) || unicode.Is(unicode.Zs, r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// invisible reports characters that carry no text: zero-width spaces and
// joiners, the word joiner, the byte-order mark and the soft hyphen. They
// would otherwise split words for search and change content hashes.
func invisible(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u180e':
		return true
	}
	return false
}

// NormalizeMarkdown applies NFC and drops invisible characters like
// NormalizeLine, but keeps the line structure Markdown depends on
// (indentation, list markers, fences); it only trims trailing spaces and
// collapses runs of blank lines to one.
func NormalizeMarkdown(s string) string {
	s = strings.ReplaceAll(norm.NFC.String(s), "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	blank := 0
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.Map(func(r rune) rune {
			switch {
			case invisible(r):
				return -1
			case r == '\u00a0':
				return ' '
			}
			return r
		}, line)
		line = strings.TrimRight(line, " \t")
		if line == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			if blank > 0 {
				b.WriteString("\n\n")
			} else {
				b.WriteByte('\n')
			}
		}
		blank = 0
		b.WriteString(line)
	}
	return b.String()
}
