package extract

import (
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// TestCompleteItem pins the item sources of a review page that names no
// item in structured data, each with the kind of page that motivated it.
func TestCompleteItem(t *testing.T) {
	fetched := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, url, head, header, title string
		wantName, wantType             string
		wantYear                       int32 // 0: none
	}{
		{"creator: work title over the work's h1", "https://music.example/reviews/albums/birthing-hips-urge-to-merge/",
			`<meta property="og:title" content="Birthing Hips: Urge to Merge">`,
			`<h2 class="artists">Birthing Hips</h2><h1 class="review-title">Urge to Merge</h1><span class="year"> • 2017</span>`,
			"Birthing Hips", "Urge to Merge", "MusicAlbum", 2017},
		{"one quoted title in a review's headline", "https://news.example/article/dune-review",
			"", `<h1>The new 'Dune' is a great start — but can't outrun the book's biggest problem</h1>`,
			"The new 'Dune' is a great start — but can't outrun the book's biggest problem", "Dune", "", 0},
		{"two quoted titles name none", "https://news.example/article/x-1",
			"", `<h1>'Dune' and 'Arrival' share a composer</h1>`, "'Dune' and 'Arrival' share a composer", "", "", 0},
		{"a long quotation is no title", "https://news.example/article/x-2",
			"", `<h1>"I never thought the film would be finished in my lifetime," she says</h1>`,
			`"I never thought the film would be finished in my lifetime," she says`, "", "Movie", 0}, // the kind of thing stands without a name
		{"section type for a headline item", "https://site.example/games/reviews/elden-ring-2",
			"", `<h1>‘Elden Ring’ is the best thing here</h1>`, "‘Elden Ring’ is the best thing here", "Elden Ring", "VideoGame", 0},
		{"thoughts on a subject", "https://blog.example/posts/thoughts-on-zig", "", `<h1>Thoughts on Zig</h1>`, "Thoughts on Zig", "Zig", "", 0},
		{"a short headline is the name", "https://blog.example/2025/02/the_iphone_16e", "", `<h1>The iPhone 16e</h1>`, "The iPhone 16e", "iPhone 16e", "", 0},
		{"the subject before a verb of verdict", "https://weekly.example/food/reviews/levels-123", "", `<h1>Levels Nigerian Cuisine Serves Some of the Most Thrilling Fare</h1>`,
			"Levels Nigerian Cuisine Serves Some of the Most Thrilling Fare", "Levels Nigerian Cuisine", "", 0},
		{"a headline opening with an article has no subject name", "https://weekly.example/x/the-new-place-1", "", `<h1>The New Place Is Worth the Wait for Its Noodles</h1>`,
			"The New Place Is Worth the Wait for Its Noodles", "", "", 0},
		{"corner-bracket name in a Japanese hands-on", "https://ascii.example/elem/000/001/851/1851111/", "", `<h1>超小型スマホ「Palm Phone」の実機チェック</h1>`,
			"超小型スマホ「Palm Phone」の実機チェック", "Palm Phone", "Product", 0},
		{"a release year after the fetch is no year", "https://music.example/albums/x-y/",
			`<meta property="og:title" content="Artist: Future Record">`,
			`<h1>Future Record</h1><span class="release-year">2031</span>`, "Artist", "Future Record", "MusicAlbum", 0},
		{"a date in a <time> is the page's, not the item's", "https://music.example/albums/x-z/",
			`<meta property="og:title" content="Artist: Old Record">`,
			`<h1>Old Record</h1><time class="release-date">2020</time>`, "Artist", "Old Record", "MusicAlbum", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := `<html><head><title>` + tt.title + `</title>` + tt.head + `</head><body><article><header>` + tt.header +
				`</header><p>` + strings.Repeat("Words of the review. ", 30) + `</p></article></body></html>`
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
			if err != nil {
				t.Fatal(err)
			}
			m := extractMeta(doc, tt.url)
			m.Title = tt.title
			m.completeItem("Words of the review.", nil, fetched)
			if m.ItemName != tt.wantName || m.ItemType != tt.wantType {
				t.Errorf("item = %q (%q), want %q (%q)", m.ItemName, m.ItemType, tt.wantName, tt.wantType)
			}
			var y int32
			if m.ItemYear != nil {
				y = *m.ItemYear
			}
			if y != tt.wantYear {
				t.Errorf("item_year = %d, want %d", y, tt.wantYear)
			}
		})
	}
}

// TestUserRating reads the users' aggregate rating from JSON-LD and keeps
// it apart from the reviewer's.
func TestUserRating(t *testing.T) {
	tests := []struct {
		name, ld    string
		value, best float64 // 0: none
		count       int64   // -1: none
	}{
		{"recipe with counts", `{"@type":"Recipe","name":"Curry","aggregateRating":{"@type":"AggregateRating","ratingValue":"4.8","ratingCount":"1,234"}}`, 4.8, 5, 1234},
		{"product on a 10 scale with reviewCount", `{"@type":"Product","name":"X","aggregateRating":{"ratingValue":7.9,"bestRating":10,"reviewCount":12}}`, 7.9, 10, 12},
		{"nested under the reviewed item", `{"@type":"Review","itemReviewed":{"@type":"Movie","name":"Her","aggregateRating":{"ratingValue":"4.1"}},"reviewRating":{"ratingValue":"5"}}`, 4.1, 5, -1},
		{"no value", `{"@type":"Product","aggregateRating":{"ratingCount":"3"}}`, 0, 0, -1},
		{"a count that is no count", `{"@type":"Product","aggregateRating":{"ratingValue":"4","ratingCount":"many"}}`, 4, 5, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := `<html><head><script type="application/ld+json">` + tt.ld + `</script></head><body><h1>T</h1></body></html>`
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
			if err != nil {
				t.Fatal(err)
			}
			m := extractMeta(doc, "https://example.org/x")
			if tt.value == 0 {
				if m.UserRatingValue != nil {
					t.Errorf("user rating %v, want none", *m.UserRatingValue)
				}
				return
			}
			if m.UserRatingValue == nil || *m.UserRatingValue != tt.value || m.UserRatingBest == nil || *m.UserRatingBest != tt.best {
				t.Fatalf("user rating %v of %v, want %v of %v", fp(m.UserRatingValue), fp(m.UserRatingBest), tt.value, tt.best)
			}
			switch {
			case tt.count < 0 && m.UserRatingCount != nil:
				t.Errorf("count %d, want none", *m.UserRatingCount)
			case tt.count >= 0 && (m.UserRatingCount == nil || *m.UserRatingCount != tt.count):
				t.Errorf("count %v, want %d", m.UserRatingCount, tt.count)
			}
		})
	}
}
