// Package evalscore loads the shared evaluation corpora and scores
// extractions against them the way their authors do: snippet
// precision/recall on trafilatura-eval, 4-gram shingle F1 on the Readability
// pages, and title/date/author matching. The corpus tests and the bench
// module share it, so both report the same figures.
package evalscore

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// NormSpace collapses every run of Unicode whitespace (NBSP included) to one
// space and trims the ends: the comparison the trafilatura evaluation uses.
func NormSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Counts is a confusion count of snippet matches.
type Counts struct {
	TP, FN, FP, TN int
}

// Add returns the sum of c and o.
func (c Counts) Add(o Counts) Counts {
	return Counts{c.TP + o.TP, c.FN + o.FN, c.FP + o.FP, c.TN + o.TN}
}

// Precision is TP/(TP+FP), 0 when nothing was found.
func (c Counts) Precision() float64 { return Ratio(c.TP, c.TP+c.FP) }

// Recall is TP/(TP+FN), 0 when nothing was expected.
func (c Counts) Recall() float64 { return Ratio(c.TP, c.TP+c.FN) }

// F is the harmonic mean of Precision and Recall.
func (c Counts) F() float64 { return Harmonic(c.Precision(), c.Recall()) }

// ScoreSnippets scores one extracted body against a page's truth: a with
// snippet found in body is a true positive, one missing a false negative; a
// without snippet found is a false positive, one absent a true negative.
// Both sides are compared after NormSpace; the match is case-sensitive.
func ScoreSnippets(body string, with, without []string) Counts {
	text := NormSpace(body)
	var c Counts
	for _, s := range with {
		if found(text, s) {
			c.TP++
		} else {
			c.FN++
		}
	}
	for _, s := range without {
		if found(text, s) {
			c.FP++
		} else {
			c.TN++
		}
	}
	return c
}

// found reports whether snippet, normalized, occurs in the normalized text.
// An empty body contains nothing, not even an empty snippet.
func found(text, snippet string) bool {
	return text != "" && strings.Contains(text, NormSpace(snippet))
}

// ShingleSize is the length in words of the shingles ShingleScore compares.
const ShingleSize = 4

// Words splits s into lower-cased word tokens: maximal runs of letters,
// marks and digits. Punctuation and whitespace separate words.
func Words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r)
	})
}

// Shingles returns the set of n-word shingles of words. A text shorter than
// n words, but not empty, is one shingle of all its words, so that short
// texts still count.
func Shingles(words []string, n int) map[string]struct{} {
	set := make(map[string]struct{})
	if len(words) == 0 {
		return set
	}
	if len(words) < n {
		set[strings.Join(words, " ")] = struct{}{}
		return set
	}
	for i := 0; i+n <= len(words); i++ {
		set[strings.Join(words[i:i+n], " ")] = struct{}{}
	}
	return set
}

// ShingleScore returns the precision and recall of got's 4-word shingles
// against want's. An empty want scores 1/1 for an empty got and 0/1
// otherwise; an empty got scores 0/0 against a non-empty want.
func ShingleScore(got, want string) (precision, recall float64) {
	g := Shingles(Words(got), ShingleSize)
	w := Shingles(Words(want), ShingleSize)
	switch {
	case len(w) == 0 && len(g) == 0:
		return 1, 1
	case len(w) == 0:
		return 0, 1
	case len(g) == 0:
		return 0, 0
	}
	common := 0
	for s := range g {
		if _, ok := w[s]; ok {
			common++
		}
	}
	return float64(common) / float64(len(g)), float64(common) / float64(len(w))
}

// blockAtoms are the elements whose boundaries separate words in HTMLText.
var blockAtoms = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Br: true, atom.Dd: true, atom.Details: true, atom.Dialog: true, atom.Div: true,
	atom.Dl: true, atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true,
	atom.Figure: true, atom.Footer: true, atom.Form: true, atom.H1: true, atom.H2: true,
	atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Header: true,
	atom.Hr: true, atom.Li: true, atom.Main: true, atom.Nav: true, atom.Ol: true,
	atom.P: true, atom.Pre: true, atom.Section: true, atom.Summary: true,
	atom.Table: true, atom.Tbody: true, atom.Td: true, atom.Tfoot: true, atom.Th: true,
	atom.Thead: true, atom.Tr: true, atom.Ul: true, atom.Caption: true, atom.Img: true,
}

// skipAtoms are the elements whose content is not text.
var skipAtoms = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Head: true, atom.Svg: true, atom.Math: true,
}

// HTMLText returns the text of an HTML document or fragment, with a line
// break at every block element boundary so that words in adjacent blocks
// stay apart. Script, style and similar content is skipped.
func HTMLText(doc string) (string, error) {
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		return "", err
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipAtoms[n.DataAtom] {
				return
			}
		}
		block := n.Type == html.ElementNode && blockAtoms[n.DataAtom]
		if block {
			b.WriteByte('\n')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			b.WriteByte('\n')
		}
	}
	walk(root)
	return b.String(), nil
}

// TitleMatch reports whether got is the title want: equal after NormSpace
// and typography folding (curly quotes, dashes, ellipsis), ignoring case,
// or equal to want without a short trailing segment after a title
// separator. The Readability expectations keep the "| eHow" or " - Wikipedia"
// that extractors are asked to strip (reviewpipe's issue 4: "Her Review –
// Film Threat" → "Her Review"), so a stripped site name is no miss. "_"
// is the separator of Chinese sites ("标题_科技_腾讯网").
func TitleMatch(got, want string) bool {
	g, w := foldTitle(got), foldTitle(want)
	if g == "" {
		return false
	}
	if g == w {
		return true
	}
	rest, ok := strings.CutPrefix(w, g)
	if !ok {
		return false
	}
	for _, sep := range []string{" | ", " - ", " · ", " :: ", " » ", " [", " (", " _", "_"} {
		if tail, ok := strings.CutPrefix(rest, sep); ok {
			if r, _ := utf8.DecodeLastRuneInString(g); sep == "_" && r < utf8.RuneSelf {
				return false // "snake" is not "snake_case"
			}
			return tail != "" && len(strings.Fields(tail)) <= 6
		}
	}
	return false
}

var titleTypography = strings.NewReplacer(
	"\u2018", "'", "\u2019", "'", "\u201a", "'", "\u201b", "'", "\u2032", "'",
	"\u201c", `"`, "\u201d", `"`, "\u201e", `"`, "\u201f", `"`, "\u2033", `"`,
	"\u2013", "-", "\u2014", "-", "\u2012", "-", "\u2212", "-", "\u2026", "...",
	"\u00a0", " ",
)

func foldTitle(s string) string {
	return strings.ToLower(NormSpace(titleTypography.Replace(s)))
}

// DateMatch reports whether any of the extracted calendar days (YYYY-MM-DD)
// is the wanted day.
func DateMatch(gotDays []string, want string) bool {
	want = strings.TrimSpace(want)
	for _, d := range gotDays {
		if d == want {
			return true
		}
	}
	return false
}

// BylineMatch reports whether a free-text byline ("By Jane Doe, Staff
// Writer", Readability's expected byline) contains the first extracted
// author.
func BylineMatch(got []string, byline string) bool {
	if len(got) == 0 {
		return false
	}
	g := strings.ToLower(NormSpace(got[0]))
	return g != "" && strings.Contains(strings.ToLower(NormSpace(byline)), g)
}

// AuthorMatch reports whether an expected author occurs in the extracted
// authors (case-insensitively, after NormSpace), or an extracted author
// occurs inside an expected entry. Bylines like "By Jane Doe" thus match
// "Jane Doe", and "Doe" matches "Jane Doe".
func AuthorMatch(got, want []string) bool {
	var gs []string
	for _, g := range got {
		if g = strings.ToLower(NormSpace(g)); g != "" {
			gs = append(gs, g)
		}
	}
	if len(gs) == 0 {
		return false
	}
	all := strings.Join(gs, "; ")
	for _, w := range want {
		w = strings.ToLower(NormSpace(w))
		if w == "" {
			continue
		}
		if strings.Contains(all, w) {
			return true
		}
		for _, g := range gs {
			// A name of one or two letters ("Bo" of "Bo2man") is inside
			// too many expected strings to count.
			if len(g) >= 3 && strings.Contains(w, g) {
				return true
			}
		}
	}
	return false
}

// isoDayRe finds a written YYYY-MM-DD day, as in ISO 8601 timestamps.
var isoDayRe = regexp.MustCompile(`\b(\d{4}-\d{2}-\d{2})`)

// WrittenDay returns the first YYYY-MM-DD day written in raw, if any: the
// day in the zone the page wrote it in, before conversion to UTC.
func WrittenDay(raw string) (string, bool) {
	m := isoDayRe.FindStringSubmatch(raw)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// Ratio is a/b, or 0 when b is 0 (nothing to measure).
func Ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Harmonic is the F1 of a precision and a recall, 0 when both are 0.
func Harmonic(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}
