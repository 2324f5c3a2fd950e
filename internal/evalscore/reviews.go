package evalscore

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// ReviewTruth is one labelled page of corpus/reviews (see its README).
type ReviewTruth struct {
	ID        string
	File      string   `json:"file"`
	URL       string   `json:"url"`
	IsReview  bool     `json:"is_review"`
	PageKind  string   `json:"page_kind"`
	Title     string   `json:"title"`
	Authors   []string `json:"authors"`
	Published *string  `json:"published"`
	Rating    *struct {
		Raw        string  `json:"raw"`
		Value      float64 `json:"value"`
		Best       float64 `json:"best"`
		Worst      float64 `json:"worst"`
		Normalized float64 `json:"normalized"`
	} `json:"rating"`
	Item *struct {
		Name string `json:"name"`
		Type string `json:"type"`
		Year *int   `json:"year"`
	} `json:"item"`
	Language     string                     `json:"language"`
	Ambiguous    []string                   `json:"ambiguous"`
	Alternatives map[string]json.RawMessage `json:"alternatives"`
}

// LoadReviewTruth reads dir/truth.json, sorted by page id.
func LoadReviewTruth(dir string) ([]ReviewTruth, error) {
	data, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		return nil, err
	}
	var m map[string]ReviewTruth
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "truth.json"), err)
	}
	out := make([]ReviewTruth, 0, len(m))
	for id, t := range m {
		t.ID = id
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// ReviewGot is what an extractor made of a page, in the truth's terms.
type ReviewGot struct {
	IsReview  bool
	PageKind  string // "" when the extractor does not classify pages
	Title     string
	Authors   []string
	Published string   // YYYY-MM-DD or ""
	Rating    *float64 // normalized 0–1
	ItemName  string
	ItemType  string
	ItemYear  *int
}

// ReviewScore counts, per field, the pages where the field is defined
// and those the extractor got right, by the corpus README's rules.
type ReviewScore struct {
	Fields map[string]*[2]int // field → {right, defined}
}

// ratingTolerance is how far a normalized rating may be from the truth's.
const ratingTolerance = 0.01

// Add scores one page.
func (s *ReviewScore) Add(t ReviewTruth, g ReviewGot) {
	if s.Fields == nil {
		s.Fields = map[string]*[2]int{}
	}
	count := func(field string, ok bool) {
		c := s.Fields[field]
		if c == nil {
			c = &[2]int{}
			s.Fields[field] = c
		}
		c[1]++
		if ok {
			c[0]++
		}
	}
	count("is_review", g.IsReview == t.IsReview)
	if g.PageKind != "" {
		count("page_kind", g.PageKind == t.PageKind || t.PageKind == "other" && g.PageKind == "forum")
	}
	if t.IsReview && t.Rating != nil {
		count("rating found", g.Rating != nil && math.Abs(*g.Rating-t.Rating.Normalized) <= ratingTolerance)
	} else {
		count("no false rating", g.Rating == nil)
	}
	if t.IsReview && t.Item != nil {
		count("item name", s.accept(t, "item.name", Fold(g.ItemName), Fold(t.Item.Name)))
		count("item type", s.accept(t, "item.type", g.ItemType, t.Item.Type))
		if t.Item.Year != nil {
			count("item year (stated)", g.ItemYear != nil && *g.ItemYear == *t.Item.Year)
		} else {
			count("no false year", g.ItemYear == nil)
		}
	}
	count("title", s.accept(t, "title", Fold(g.Title), Fold(t.Title)))
	count("authors", sameFolded(g.Authors, t.Authors) || s.alternative(t, "authors", func(raw json.RawMessage) bool {
		var alt []string
		return json.Unmarshal(raw, &alt) == nil && sameFolded(g.Authors, alt)
	}))
	want := ""
	if t.Published != nil {
		want = *t.Published
	}
	count("published", s.accept(t, "published", g.Published, want))
}

// accept reports whether got equals want or, for an ambiguous field, one
// of its alternatives (folded like got when they are strings).
func (s *ReviewScore) accept(t ReviewTruth, field, got, want string) bool {
	if got == want {
		return true
	}
	return s.alternative(t, field, func(raw json.RawMessage) bool {
		var alts []string
		var one string
		if json.Unmarshal(raw, &one) == nil {
			alts = []string{one}
		} else if json.Unmarshal(raw, &alts) != nil {
			return false
		}
		for _, a := range alts {
			if a == got || Fold(a) == got {
				return true
			}
		}
		return false
	})
}

func (s *ReviewScore) alternative(t ReviewTruth, field string, match func(json.RawMessage) bool) bool {
	raw, ok := t.Alternatives[field]
	return ok && slices.Contains(t.Ambiguous, field) && match(raw)
}

// Ratio returns a field's accuracy and counts; ok is false when no page
// defined the field.
func (s *ReviewScore) Ratio(field string) (acc float64, right, defined int, ok bool) {
	c := s.Fields[field]
	if c == nil || c[1] == 0 {
		return 0, 0, 0, false
	}
	return float64(c[0]) / float64(c[1]), c[0], c[1], true
}

// ReviewFields are the scored fields in report order.
var ReviewFields = []string{"is_review", "page_kind", "rating found", "no false rating", "item name", "item type", "item year (stated)", "no false year", "title", "authors", "published"}

// Report is one line per field.
func (s *ReviewScore) Report() string {
	var b strings.Builder
	for _, f := range ReviewFields {
		if acc, right, n, ok := s.Ratio(f); ok {
			fmt.Fprintf(&b, "%s %.3f (%d/%d)  ", f, acc, right, n)
		}
	}
	return strings.TrimSpace(b.String())
}

// foldReplacer maps typographic quotes, apostrophes and dashes to ASCII.
var foldReplacer = strings.NewReplacer("‘", "'", "’", "'", "‚", "'", "‛", "'", "“", `"`, "”", `"`, "„", `"`, "«", `"`, "»", `"`,
	"‐", "-", "‑", "-", "‒", "-", "–", "-", "—", "-", "―", "-", "−", "-")

// Fold is the corpus README's folding: NFKC, case-fold, typographic
// quotes and dashes to ASCII, whitespace collapsed and trimmed.
func Fold(s string) string {
	s = foldReplacer.Replace(norm.NFKC.String(s))
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

func sameFolded(a, b []string) bool {
	fa, fb := make([]string, len(a)), make([]string, len(b))
	for i, s := range a {
		fa[i] = Fold(s)
	}
	for i, s := range b {
		fb[i] = Fold(s)
	}
	slices.Sort(fa)
	slices.Sort(fb)
	return slices.Equal(slices.Compact(fa), slices.Compact(fb))
}
