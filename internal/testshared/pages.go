package testshared

import (
	"fmt"
	"strings"
)

// pageSites are the invented sites generated pages are spread over.
var pageSites = []string{"cinemadrift.example", "pagesandink.example", "pixelverdict.example", "tablefortwo.example", "northlight.example"}

// pageWords feed the generated paragraphs; each page draws its own
// sequence, so bodies differ and near-duplicate detection leaves them be.
var pageWords = strings.Fields(`the film moves with patience and warmth while its lead carries scenes
that a lesser cast would lose score camera light rain city apartment letters voice loneliness
future design colour pastel quiet humour sadness memory script dialogue editing sound music
critics audiences theatre ending opening middle act structure pacing warm cold bright dark`)

// ReviewPage returns the HTML of generated review number i with the given
// number of reader comments: a canonical URL, JSON-LD with a rating, a
// byline, a date, four paragraphs of text unique to i, and a comment
// section in a common theme's markup. Pages are valid and distinct, so
// every one of them yields a review.
func ReviewPage(i, comments int) []byte {
	site := pageSites[i%len(pageSites)]
	url := fmt.Sprintf("https://%s/reviews/%d", site, i)
	var body strings.Builder
	x := uint32(i)*2654435761 + 1
	for p := range 4 {
		body.WriteString("<p>")
		fmt.Fprintf(&body, "Paragraph %d of review %d. ", p+1, i)
		for range 45 {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			body.WriteString(pageWords[x%uint32(len(pageWords))])
			body.WriteByte(' ')
		}
		body.WriteString("end.</p>\n")
	}
	var cs strings.Builder
	if comments > 0 {
		fmt.Fprintf(&cs, `<section class="comments" id="comments"><h2>Comments (%d)</h2>`, comments)
		for c := range comments {
			fmt.Fprintf(&cs, `<div class="comment" id="comment-%d-%d"><strong class="comment-author">reader%d</strong> `+
				`<time datetime="2025-11-%02dT16:22:10+00:00">Nov %d</time><p>Comment %d on review %d: I saw it twice and liked it more the second time.</p></div>`,
				i, c, c, c%28+1, c%28+1, c, i)
		}
		cs.WriteString(`</section>`)
	}
	year := 2015 + i%10
	return fmt.Appendf(nil, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Film %d review – %s</title><link rel="canonical" href="%s">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Review","headline":"Film %d review",
"author":{"@type":"Person","name":"Critic %d"},"datePublished":"%d-0%d-1%dT10:00:00Z",
"itemReviewed":{"@type":"Movie","name":"Film %d"},"reviewRating":{"@type":"Rating","ratingValue":"%d","bestRating":"5"}}</script>
</head><body><header><nav><a href="/">Home</a> <a href="/reviews">Reviews</a></nav></header>
<main><article><h1>Film %d review</h1><p class="byline">By Critic %d</p>
%s</article>%s</main><footer><p>© %s</p></footer></body></html>`,
		i, site, url, i, i%17, year, i%9+1, i%9, i, i%5+1, i, i%17, body.String(), cs.String(), site)
}
