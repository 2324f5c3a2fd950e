package extract

import "github.com/PuerkitoBio/goquery"

// Temporary stand-in until meta.go lands; deleted before hand-off.
type meta struct {
	CanonicalURL, SiteName, Title, Description, Published, Language string
	Authors                                                          []string
	RatingRaw                                                        string
	RatingValue, RatingBest, RatingWorst                             *float64
	ItemName, ItemType                                               string
	ItemYear                                                         *int32
}

func extractMeta(doc *goquery.Document, pageURL string) meta {
	return meta{Title: doc.Find("title").First().Text()}
}
