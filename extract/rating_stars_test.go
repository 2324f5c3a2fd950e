package extract

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestStarWidget(t *testing.T) {
	tests := []struct {
		name             string
		widget           string // inside the article, after the headline
		raw              string // "" means no rating
		value, best      float64
		aroundTheArticle string // put in a sidebar before the article
	}{
		{name: "aria-label", widget: `<div class="rating" aria-label="Rated 4.5 out of 5 stars"></div>`, raw: "Rated 4.5 out of 5 stars", value: 4.5, best: 5},
		{name: "title tooltip in German", widget: `<span class="sterne" title="4 von 5 Sternen"></span><span class="star-wrap" title="4 von 5 Sternen"></span>`, raw: "4 von 5 Sternen", value: 4, best: 5},
		{name: "class stars-4-5", widget: `<span class="review-stars stars-4-5"></span>`, raw: "stars-4-5", value: 4.5, best: 5},
		{name: "class rating-45", widget: `<span class="rating rating-45"></span>`, raw: "rating-45", value: 4.5, best: 5},
		{name: "class star-rating-3", widget: `<div class="star-rating-3"></div>`, raw: "star-rating-3", value: 3, best: 5},
		{name: "data-rating with scale", widget: `<div class="score" data-rating="8" data-max="10"></div>`, raw: "8", value: 8, best: 10},
		{name: "font awesome row", widget: `<div class="stars"><i class="fa fa-star"></i><i class="fa fa-star"></i><i class="fa fa-star"></i><i class="fa fa-star-half-o"></i><i class="fa fa-star-o"></i></div>`,
			raw: "3.5/5 stars", value: 3.5, best: 5},
		{name: "BEM row", widget: `<ul class="star-rating"><li class="star-rating__star star-rating__star--filled"></li><li class="star-rating__star star-rating__star--filled"></li><li class="star-rating__star star-rating__star--empty"></li><li class="star-rating__star star-rating__star--empty"></li></ul>`,
			raw: "2/4 stars", value: 2, best: 4},
		{name: "icons one level down", widget: `<div class="rating"><span><i class="star full"></i></span><span><i class="star full"></i></span><span><i class="star empty"></i></span></div>`,
			raw: "2/3 stars", value: 2, best: 3},
		{name: "icons that do not say whether they are lit", widget: `<div class="stars"><i class="star"></i><i class="star"></i><i class="star"></i></div>`},
		{name: "a photo counter is no rating", widget: `<div class="gallery-rating-free" aria-label="3 of 12 photos"></div>`},
		{name: "blank widget", widget: `<div class="stars"><i class="star empty"></i><i class="star empty"></i><i class="star empty"></i></div>`},
		{name: "readers' widget in the comments is not the review's", widget: `<section class="comments"><div class="comment"><span class="stars-1-0"></span> Awful.</div></section>`},
		{name: "the article's widget beats a sidebar's", widget: `<span class="stars-4-0"></span>`, raw: "stars-4-0", value: 4, best: 5,
			aroundTheArticle: `<aside class="sidebar"><h3>More reviews</h3><span class="stars-2-0"></span></aside>`},
		// Score boxes: a bare number in an element named for the score.
		{name: "score box with one decimal (Pitchfork)", widget: `<div class="score-box"><div class="score-circle"><span class="score">7.9</span></div></div>`, raw: "7.9", value: 7.9, best: 10},
		{name: "score box of a perfect ten", widget: `<div class="score-box"><span class="score">10</span></div>`, raw: "10", value: 10, best: 10},
		{name: "score box with its scale", widget: `<div class="verdict-score">8/10</div>`, raw: "8/10", value: 8, best: 10},
		{name: "score box in percent", widget: `<span class="review-rating">85%</span>`, raw: "85%", value: 85, best: 100},
		{name: "German Wertung out of 100", widget: `<div class="wertung">87</div>`, raw: "87", value: 87, best: 100},
		{name: "a bare 4 could be stars or points", widget: `<span class="score">4</span>`},
		{name: "readers' score beside the review", widget: `<div class="user-review-rating"><span class="value">5</span>/<span>10</span></div>`},
		{name: "a score in a sentence is for the text rules", widget: `<p class="score-note">Scored 7.9 by our panel of critics last year</p>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := `<html><head><title>Her Review</title></head><body>` + tt.aroundTheArticle +
				`<article><h1>Her Review</h1>` + tt.widget + `<p>` + strings.Repeat("A fine film about love. ", 20) + `</p></article></body></html>`
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
			if err != nil {
				t.Fatal(err)
			}
			m := extractMeta(doc, "https://example.org/her")
			if m.RatingRaw != tt.raw {
				t.Fatalf("rating_raw = %q, want %q", m.RatingRaw, tt.raw)
			}
			if tt.raw == "" {
				return
			}
			if m.RatingValue == nil || *m.RatingValue != tt.value || m.RatingBest == nil || *m.RatingBest != tt.best {
				t.Errorf("rating = %v/%v, want %v/%v", fp(m.RatingValue), fp(m.RatingBest), tt.value, tt.best)
			}
		})
	}
}

func fp(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}
