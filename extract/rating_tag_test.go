package extract

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestRatingTag(t *testing.T) {
	cloud := `<div class="widget"><h2>Reviews by rating</h2><a href="/label/5Sterne">5Sterne</a> <a href="/label/4Sterne">4Sterne</a> <a href="/label/3.5Sterne">3.5Sterne</a> <a href="/label/2Sterne">2Sterne</a></div>`
	tests := []struct {
		name, body string
		want       string // value/best, "" for none
	}{
		{"post tag on the blog's scale", `<article><p>Text.</p><span class="labels"><a rel="tag" href="/label/3.5Sterne">3.5Sterne</a>, <a rel="tag" href="/label/Romane">Romane</a></span></article>` + cloud, "3.5/5"},
		{"a tag without a listed scale", `<article><p>Text.</p><a rel="tag" href="/label/4Sterne">4Sterne</a></article>`, ""},
		{"two rating tags", `<article><p>Text.</p><a rel="tag" href="/label/4Sterne">4Sterne</a> <a rel="tag" href="/label/5Sterne">5Sterne</a></article>` + cloud, ""},
		{"a cloud but no tag of the post", `<article><p>Text.</p></article>` + cloud, ""},
		{"a year tag is no rating", `<article><p>Text.</p><a rel="tag" href="/label/2017">2017</a></article>` + cloud, ""},
		{"a scale beyond ten", `<article><a rel="tag" href="/t/12points">12points</a></article><a href="/t/4points">4points</a><a href="/t/8points">8points</a>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := goquery.NewDocumentFromReader(bytes.NewReader([]byte(`<html><body>` + tt.body + `</body></html>`)))
			if err != nil {
				t.Fatal(err)
			}
			r, ok := newMetaPage(doc, "https://blog.example/2017/09/post.html").ratingTag()
			got := ""
			if ok {
				got = ftoa(*r.Value) + "/" + ftoa(*r.Best)
			}
			if got != tt.want {
				t.Errorf("ratingTag = %q, want %q", got, tt.want)
			}
		})
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
