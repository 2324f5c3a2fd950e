package extract

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// TestHostileNumbersAndNesting pins what extraction makes of inputs an
// attacker or a broken CMS produces: documents nested past the parser's
// limit are their own reject, and numbers that are not finite never reach
// the rating fields.
func TestHostileNumbersAndNesting(t *testing.T) {
	body := "<p>" + strings.Repeat("A sentence of the review that is long enough to count. ", 12) + "</p>"
	ld := func(rating string) string {
		return `<html><head><script type="application/ld+json">{"@type":"Review","reviewRating":{"@type":"Rating",` + rating +
			`}}</script></head><body><article><h1>Her review</h1>` + body + `</article></body></html>`
	}
	tests := []struct {
		name   string
		page   string
		reason record.Reason // "" for a review
	}{
		{"nested 600 deep", "<html><body>" + strings.Repeat("<div>", 600) + body + "</body></html>", record.ReasonTooDeep},
		{"nested 400 deep", "<html><body>" + strings.Repeat("<div>", 400) + body + "</body></html>", ""},
		{"json-ld NaN", ld(`"ratingValue":"NaN","bestRating":"5"`), ""},
		{"json-ld 1e999", ld(`"ratingValue":"1e999","bestRating":"5"`), ""},
		{"json-ld infinite best", ld(`"ratingValue":"4","bestRating":"Infinity"`), ""},
		{"json-ld number 1e999", ld(`"ratingValue":1e999,"bestRating":10`), ""},
		{"microdata NaN", `<html><body><article><h1>X review</h1><div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating"><meta itemprop="ratingValue" content="NaN"><meta itemprop="bestRating" content="-Inf"></div>` + body + `</article></body></html>`, ""},
		{"star widget infinite scale", `<html><body><article><h1>X review</h1><div class="star-rating" data-rating="4" data-max="Inf"></div>` + body + `</article></body></html>`, ""},
	}
	ex, err := New(DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &record.Page{URL: "https://example.org/r", Body: []byte(tt.page), FetchedAt: time.Now()}
			r, err := ex.Extract(context.Background(), p)
			if tt.reason != "" {
				re, ok := record.AsReject(err)
				if !ok || re.Reason != tt.reason {
					t.Fatalf("Extract = %v, want a %s reject", err, tt.reason)
				}
				return
			}
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			for name, v := range map[string]*float64{"value": r.RatingValue, "best": r.RatingBest, "worst": r.RatingWorst} {
				if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0)) {
					t.Errorf("rating %s = %v", name, *v)
				}
			}
		})
	}
}
