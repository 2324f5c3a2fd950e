package extract

import (
	"bytes"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestPageKind pins each rule of the kind decision with the kind of page
// that motivated it.
func TestPageKind(t *testing.T) {
	ld := func(json string) string { return `<script type="application/ld+json">` + json + `</script>` }
	tests := []struct {
		name, url, head, title string
		rating, headItem       bool
		want                   string
	}{
		{"recipe schema with user ratings", "https://food.example/chicken-curry", ld(`{"@type":"Recipe","name":"Curry","aggregateRating":{"ratingValue":"4.8"}}`), "Chicken curry", true, false, KindRecipe},
		{"recipe address", "https://food.example/recipes/lemon-tart", "", "Lemon tart", false, false, KindRecipe},
		{"forum thread", "https://forum.example/threads/discussion-of-our-review.1/", ld(`{"@type":"DiscussionForumPosting","headline":"x"}`), "Discussion of our review of the iPad Pro", false, false, KindForum},
		{"scored products in a buying guide", "https://tech.example/best-laptops", ld(`[{"@type":"Review","itemReviewed":{"@type":"Product","name":"A"},"reviewRating":{"ratingValue":"9"}},{"@type":"Review","itemReviewed":{"@type":"Product","name":"B"},"reviewRating":{"ratingValue":"8"}}]`), "The best laptops", true, false, KindRoundup},
		{"best-of headline", "https://news.example/2024/12/films", "", "The 25 Best Films of 2024", false, false, KindRoundup},
		{"german test of several", "https://adac.example/tests/kindersitze-2024/", "", "18 Kindersitze im Test: Vier Modelle fallen durch", false, false, KindRoundup},
		{"spanish roundup", "https://es.example/cine/x-1", "", "Las 10 mejores películas del año", false, false, KindRoundup},
		{"one review under the film it reviews", "https://films.example/her-2", ld(`{"@type":"Movie","name":"Her","review":{"@type":"Review","author":{"@type":"Person","name":"A"},"reviewRating":{"ratingValue":"4"}}}`), "Her", true, false, KindReview},
		{"editorial review schema", "https://films.example/her", ld(`{"@type":"Review","itemReviewed":{"@type":"Movie","name":"Her"},"author":{"@type":"Person","name":"A"}}`), "Her", false, false, KindReview},
		{"review headline", "https://films.example/2014/her", "", "Her Review", false, false, KindReview},
		{"german review headline", "https://buch.example/2019/x", "", "Rezension: Der Schwarm", false, false, KindReview},
		{"german blog shorthand", "https://blog.example/2017/05/love-is-war", "", "[Rezi] Love is War - Sehnsucht von R. K. Lilley", false, false, KindReview},
		{"a hands-on test", "https://beauty.example/we-tried-it-powder", "", "We Tried It: Clinique Acne Solutions Powder Makeup", false, false, KindReview},
		{"japanese hands-on check", "https://jp.example/article/2018/11/01/1.html", "", "普通に使える手のひらサイズの超小型スマホ「Palm Phone」の実機チェック", false, false, KindReview},
		{"a report of several tests is a roundup", "https://tech.example/2024/phones", "", "12 phones tested: which battery lasts", false, false, KindRoundup},
		{"headline item the text reviews", "https://blog.example/2014/02/27/her-2014/", `<meta property="og:type" content="article">`, "Her (2014)", false, true, KindReview},
		{"news feature on a film", "https://mag.example/tv-movie-features/la-la-land-125146/", `<meta property="og:type" content="article">`, "‘La La Land’: How a Young Filmmaker Resurrected the Hollywood Musical", false, true, KindNews},
		{"review address of an article", "https://pitch.example/reviews/albums/wilco-yankee-hotel-foxtrot/", ld(`{"@type":"NewsArticle","headline":"Wilco: Yankee Hotel Foxtrot"}`), "Wilco: Yankee Hotel Foxtrot", true, false, KindReview},
		{"review section index", "https://pitch.example/reviews/albums/", "", "New Albums & Music Reviews", false, true, KindListing},
		{"second page of a review index", "https://films.example/reviews/some-film?page=2", ld(`{"@type":"CollectionPage"}`), "Film", false, false, KindOther},
		{"shop page with customer reviews", "https://shop.example/p/desk-123", ld(`{"@type":"Product","name":"Desk","offers":{"price":"99"},"review":[{"@type":"Review","reviewRating":{"ratingValue":"5"}},{"@type":"Review","reviewRating":{"ratingValue":"1"}}]}`), "Desk", true, false, KindProduct},
		{"chart of 250", "https://db.example/chart/top", ld(`{"@type":"ItemList","numberOfItems":250}`), "Top 250 Movies", false, false, KindListing},
		{"best-of with its list", "https://mag.example/best-albums-2024", ld(`{"@type":"ItemList","numberOfItems":50}`), "The 50 Best Albums of 2024", false, false, KindRoundup},
		{"long index without a roundup headline", "https://db.example/list/ls1", ld(`{"@type":"ItemList","numberOfItems":40}`), "Books I read", false, false, KindListing},
		{"news article", "https://news.example/2024/box-office", ld(`{"@type":"NewsArticle","headline":"Box office"}`), "Dune tops the box office again", false, false, KindNews},
		{"plain page", "https://example.org/about", "", "About us", false, false, KindOther},
		{"article in a restaurant reviews section", "https://weekly.example/food/levels-nigerian-cuisine-serves-thrilling-fare/", `<meta property="og:type" content="article"><meta property="article:section" content="Restaurant Reviews">`, "Levels Nigerian Cuisine Serves Some of the City's Most Thrilling Fare", false, false, KindReview},
		{"blog post tagged review", "https://blog.example/posts/thoughts-on-zig", ld(`{"@type":"NewsArticle","headline":"Thoughts on Zig","keywords":"review,tech,zig"}`), "Thoughts on Zig", false, false, KindReview},
		{"the reviews section's index", "https://weekly.example/food/reviews/", `<meta property="og:type" content="website"><meta property="article:section" content="Restaurant Reviews">`, "Restaurant Reviews", false, false, KindListing},
		{"news tagged with a review word inside a phrase", "https://news.example/2024/05/budget-passes", `<meta property="og:type" content="article"><meta name="keywords" content="budget, spending review, parliament">`, "Budget passes after a long night", false, false, KindNews},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := `<html><head><title>` + tt.title + `</title>` + tt.head + `</head><body><h1>` + tt.title + `</h1><p>Text.</p></body></html>`
			doc, err := goquery.NewDocumentFromReader(bytes.NewReader([]byte(page)))
			if err != nil {
				t.Fatal(err)
			}
			p := newMetaPage(doc, tt.url)
			s := p.kindSignals(tt.title, tt.url, p.sections(tt.title))
			if got := s.decide(tt.rating, tt.headItem); got != tt.want {
				t.Errorf("kind = %s, want %s (signals %+v)", got, tt.want, s)
			}
		})
	}
}
