package extract

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/reviewpipe/reviewpipe/internal/dom"
	"github.com/reviewpipe/reviewpipe/internal/jsonld"
	"github.com/reviewpipe/reviewpipe/internal/record"
)

// Page kinds, the values of page_kind. A review is one author's critical
// evaluation of one item; everything else keeps its text but has no
// rating and no item of its own.
const (
	KindReview  = "review"
	KindRoundup = "roundup"
	KindNews    = "news"
	KindRecipe  = "recipe"
	KindProduct = "product"
	KindListing = "listing"
	KindForum   = "forum"
	KindOther   = "other"
)

// PageKinds lists the kinds in the order the README gives them.
var PageKinds = record.PageKinds

// kindSignals is what a page says about its kind, gathered once from its
// structured data, headline and address.
type kindSignals struct {
	recipe      bool // a Recipe in JSON-LD or microdata
	forum       bool // a discussion or Q&A page
	reviews     int  // top-level editorial Review objects (not users')
	reviewItems int  // distinct items those reviews are about
	productLike bool // a Product/offer without an editorial review
	listItems   int  // members of the largest ItemList
	article     bool // an Article type or og:type article
	roundupHead bool // the headline announces several items ("The 10 best …")
	reviewHead  bool // the headline or address announces a review
	pluralHead  bool // the headline speaks of reviews ("Music Reviews"): a collection
	featureHead bool // "'Selma': Ava DuVernay and Oprah Winfrey turn …": a news feature's form
	reviewURL   bool
	recipeURL   bool
	// reviewSection: the page files itself under a reviews section
	// ("Restaurant Reviews" in <title>, articleSection "Reviews", the
	// keyword "review") at its own address, not a section's index.
	reviewSection bool
	// reviewText: the article's text speaks of the reviewer's loaned
	// review unit ("my review unit", "the review sample"), set by extract
	// once the body is known.
	reviewText bool
	videoOnly  bool // a video page without an article
}

// Thresholds of the kind decision.
const (
	// listingItems: an ItemList this long is a chart or an index, not a
	// roundup's handful of picks (IMDb's Top 250, a review index).
	listingItems = 15
	// chartItems: longer lists are charts and indexes even under a "Top
	// 250" headline; editorial best-of lists stop at a hundred.
	chartItems = 101
	// roundupItems: fewer listed items make no roundup; "top 3" pages with
	// ItemLists of two are rare, and single reviews list breadcrumbs.
	roundupItems = 3
)

// roundupHeadRe matches headlines that announce several items: "The 10
// best …", "Best laptops 2024", "Top 5 …", "… of the year", "… ranked",
// buying guides, and their German, French, Spanish and Italian forms.
var roundupHeadRe = regexp.MustCompile(`(?i)(^|[:|–—-]\s*|\bthe\s+|\bour\s+|\bmy\s+|\d+\s+)(best|top\s*\d+|greatest|favou?rite)\b|\b\d+\s+(best|great|essential|must[- ]\w+)\b|\bof the (year|decade|century)\b|\branked\b|\branking\b|\bbuying guide\b|\bvs\.?\s|\bcompared\b|\bdie (\d+\s+)?besten\b|\bbestenliste\b|\bvergleich\b|\bles (\d+\s+)?meilleur|\blos (\d+\s+)?mejores\b|\blas (\d+\s+)?mejores\b|\bi (\d+\s+)?migliori\b|^\s*\d+\s+\S+.*\b(im test|im vergleich|tested|getestet|compared|reviewed|rated|ranked)\b`)

// roundupStems are substrings every roundupHeadRe match holds, lower-cased:
// the regexp runs only on headlines that hold one.
var roundupStems = []string{"best", "top", "great", "favo", "essential", "must", "of the", "rank", "buying", "vs",
	"compar", "vergleich", "meilleur", "mejores", "migliori", "test", "review", "rated"}

// announcesSeveral reports whether a headline announces several items
// (roundupHeadRe).
func announcesSeveral(headline string) bool {
	low := strings.ToLower(headline)
	for _, st := range roundupStems {
		if strings.Contains(low, st) {
			return roundupHeadRe.MatchString(headline)
		}
	}
	return false
}

// reviewHeadRe matches a headline that calls itself a review in the
// languages item titles are read in, or reports a hands-on test ("We
// Tried It:", "hands-on", "[Rezi]", Japanese "使ってみた" / "実機").
var reviewHeadRe = regexp.MustCompile(`(?i)\b(review|reviewed|rezension|rezi|kritik|critique|reseña|recensione|recensie|recension|anmeldelse|arvostelu|recenzja)\b|^test\s*:|\bim test\b|\bin review\b|\b(we|i) tried( it)?\b|\bhands[- ]on\b|^tested\s*:|レビュー|使ってみた|試してみた|実機|评测|测评|리뷰`)

// reviewUnitRe matches the text of a reviewer who was lent the thing
// reviewed: "my review unit", "the review kit", "review samples", "a
// review copy", "Testgerät", "Rezensionsexemplar".
var reviewUnitRe = regexp.MustCompile(`(?i)\b(?:my|our|the|a|this)\s+review\s+(?:unit|kit|sample|copy|model|device|loaner)s?\b|\b(?:unser|mein)\s+testger(?:ä|ae)t\b|\brezensionsexemplar\b`)

// maxCollectionTitleWords: a review index's title is a name of a few
// words, not a sentence.
const maxCollectionTitleWords = 6

// mentionsReviewUnit reports whether text speaks of a loaned review unit
// (reviewUnitRe). The regexp has no literal prefix to search for, so it
// runs only on the few bytes around each "eview" and "test"/"Test" of
// the text, not over the whole of it.
func mentionsReviewUnit(text string) bool {
	for _, anchor := range []string{"eview", "estger", "ensionsexemplar"} {
		for i := 0; ; {
			k := strings.Index(text[i:], anchor)
			if k < 0 {
				break
			}
			at := i + k
			lo, hi := max(0, at-reviewUnitReach), min(len(text), at+len(anchor)+reviewUnitReach)
			if reviewUnitRe.MatchString(text[lo:hi]) {
				return true
			}
			i = at + len(anchor)
		}
	}
	return false
}

// reviewUnitReach is how far around its anchor a reviewUnitRe match can
// reach: "this review samples" before and after.
const reviewUnitReach = 16

// reviewsHeadRe matches the plural, which titles collections: "New
// Albums & Music Reviews", "Reviews of our classes", "Kritiken".
var reviewsHeadRe = regexp.MustCompile(`(?i)\b(reviews|rezensionen|kritiken|critiques|reseñas|recensioni|recensies)\b`)

// featureHeadRe matches the news-feature headline: the quoted title, a
// colon, and a sentence of four or more words about the people or the
// story ("'La La Land': How a Young Filmmaker Resurrected the Hollywood
// Musical"). A review that opens so says "review" (reviewHeadRe).
var featureHeadRe = regexp.MustCompile(`^\s*[‘'"“«„][^’'"”»]{1,80}[’'"”»“]\s*:\s*\S+(\s+\S+){3,}`)

// reviewPathRe and recipePathRe match the path segments sites file such
// pages under.
var (
	reviewPathRe = regexp.MustCompile(`(?i)/(reviews?|rezension(en)?|kritik(en)?|critiques?|resenas?|recensioni|test(s|berichte)?)(/|-|$)|-review(/|\.|-|$)`)
	recipePathRe = regexp.MustCompile(`(?i)/(recipes?|rezepte?|recettes?|recetas?|ricette?|recepten|recept|przepis)(/|-|$)`)
)

// kindSignals reads the page's JSON-LD and microdata types, og:type, the
// headline, the address and the sections it files itself under.
func (p *metaPage) kindSignals(title, pageURL string, sections []string) kindSignals {
	var s kindSignals
	s.reviewSection, _ = reviewSection(sections)
	hasArticle, hasVideo, hasProduct := p.ldKindSignals(&s)
	for _, n := range p.nodes {
		if _, ok := dom.HasAttr(n, "itemscope"); ok && dom.AttrHas(n, "itemtype", "Recipe") {
			s.recipe = true
		}
	}
	og := strings.ToLower(p.tag("og:type"))
	s.article = hasArticle || strings.Contains(og, "article")
	s.productLike = hasProduct && s.reviews == 0 || strings.Contains(og, "product")
	s.videoOnly = hasVideo && !s.article || strings.HasPrefix(og, "video")
	p.headlineSignals(&s, title)
	if u, err := url.Parse(pageURL); err == nil {
		s.reviewURL = reviewPathRe.MatchString(u.Path) && slugPath(u)
		s.recipeURL = recipePathRe.MatchString(u.Path) && slugPath(u)
		s.reviewSection = s.reviewSection && slugPath(u)
	}
	return s
}

// ldKindSignals reads the JSON-LD types into s and reports whether the
// page has an article, a video and a product or offer.
func (p *metaPage) ldKindSignals(s *kindSignals) (hasArticle, hasVideo, hasProduct bool) {
	items := map[string]bool{}
	for _, n := range p.ld.Nodes {
		for _, t := range jsonld.Types(n.Obj) {
			switch strings.ToLower(strings.TrimPrefix(t, "schema:")) {
			case "recipe":
				s.recipe = true
			case "discussionforumposting", "qapage", "question":
				s.forum = true
			case "itemlist":
				s.listItems = max(s.listItems, ldListLen(n.Obj))
			case "product", "offer", "aggregateoffer", "productgroup":
				hasProduct = true
			case "videoobject":
				hasVideo = true
			}
		}
		if jsonld.HasType(n.Obj, ldArticleTypes) && !jsonld.HasType(n.Obj, ldReviewTypes) {
			hasArticle = true
		}
		if jsonld.HasType(n.Obj, ldReviewTypes) && !p.usersReview(n) {
			s.reviews++
			if item, _ := p.ld.Resolve(n.Obj["itemReviewed"]).(map[string]any); item != nil {
				items[strings.ToLower(jsonld.String(item["name"]))] = true
			} else if n.Parent != nil {
				items[strings.ToLower(jsonld.String(n.Parent["name"]))] = true
			}
		}
	}
	s.reviewItems = len(items)
	return hasArticle, hasVideo, hasProduct
}

// headlineSignals reads what the headline announces into s.
func (p *metaPage) headlineSignals(s *kindSignals, title string) {
	// The printed headline announces several items as well as the meta
	// title does ("ADAC Kindersitz-Test 2018" over "18 Kindersitze im
	// Test: …").
	s.roundupHead = announcesSeveral(title)
	if h1 := p.onlyH1(); !s.roundupHead && h1 != "" && h1 != title {
		s.roundupHead = announcesSeveral(h1)
	}
	s.reviewHead = reviewHeadRe.MatchString(title)
	// A collection's title is short or opens or ends with the plural
	// ("New Albums & Music Reviews", "Reviews of our yoga classes,
	// retreats and trainings"); a sentence that mentions reviews
	// ("Critics' first reviews of Dune: Part Two are in") is news.
	if loc := reviewsHeadRe.FindStringIndex(title); loc != nil && !s.reviewHead {
		s.pluralHead = len(strings.Fields(title)) <= maxCollectionTitleWords || loc[0] == 0 || strings.TrimSpace(title[loc[1]:]) == ""
	}
	s.featureHead = featureHeadRe.MatchString(title)
}

// usersReview reports whether a Review object is a user's: one of several
// listed under a product's or place's "review" key (a shop's customer
// reviews), or any under a Recipe. A single Review under the thing it
// reviews is the page's own, as review() reads it.
func (p *metaPage) usersReview(n jsonld.Node) bool {
	if n.Parent == nil {
		return false
	}
	if jsonld.HasType(n.Parent, ldRecipeTypes) {
		return true
	}
	if jsonld.HasType(n.Parent, ldPageTypes) || jsonld.HasType(n.Parent, ldArticleTypes) {
		return false
	}
	for _, k := range []string{"review", "reviews"} {
		if list, ok := n.Parent[k].([]any); ok && len(list) > 1 {
			return true
		}
	}
	return false
}

// paginationRe matches the address of a numbered page of an index.
var paginationRe = regexp.MustCompile(`(?i)/page/\d+|[?&](page|p|pg|seite)=\d+`)

// minSlugLen is the length from which a last path segment without a
// hyphen, underscore or digit is taken for a page's own slug rather than a
// section's name ("reviews", "albums").
const minSlugLen = 25

// slugPath reports whether u addresses one page (…/reviews/some-album/)
// rather than a section or one page of its index (…/reviews/albums/,
// …/reviews?page=2): its last segment reads like a slug.
func slugPath(u *url.URL) bool {
	if paginationRe.MatchString(u.Path + "?" + u.RawQuery) {
		return false
	}
	segs := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
	if len(segs) == 0 {
		return false
	}
	last := strings.TrimSuffix(strings.TrimSuffix(segs[len(segs)-1], ".html"), ".htm")
	return strings.ContainsAny(last, "-_0123456789") || len(last) >= minSlugLen
}

// The JSON-LD types kind and user-rating reading ask about, built once.
var (
	ldRecipeTypes    = jsonld.Set("recipe")
	ldAggregateTypes = jsonld.Set("aggregaterating")
)

// ldListLen is the number of members of an ItemList.
func ldListLen(obj map[string]any) int {
	if els, ok := obj["itemListElement"].([]any); ok {
		return len(els)
	}
	if n := metaNum(jsonld.String(obj["numberOfItems"])); n != nil && *n > 0 && *n < 1e6 {
		return int(*n)
	}
	return 0
}

// decide picks the page's kind. hasRating says a reviewer's score was
// found on the page, itemFromTitle that the headline names a reviewed
// item ("X review", or "'Her'" on a page whose text reviews a film). The order is the order of certainty: a recipe schema
// or a forum is what it says; several reviewed items or a headline that
// announces several make a roundup, even when each is scored; one
// reviewed item, or a review headline or address, make a review; then
// shop pages, charts and indexes, articles.
func (s kindSignals) decide(hasRating, itemFromTitle bool) string {
	switch {
	case s.recipe || s.recipeURL && !s.reviewHead:
		return KindRecipe
	case s.forum:
		return KindForum
	case s.listItems >= chartItems:
		return KindListing
	case s.reviewItems >= 2 || s.roundupHead && !itemFromTitle:
		return KindRoundup
	case s.reviews > 0, s.reviewHead, itemFromTitle && !s.pluralHead && !s.featureHead,
		(s.reviewURL || s.reviewSection || s.reviewText) && (s.article || hasRating) && !s.pluralHead,
		hasRating && s.article && !s.pluralHead:
		return KindReview
	case s.pluralHead:
		return KindListing
	case s.productLike:
		return KindProduct
	case s.listItems >= listingItems:
		return KindListing
	case s.listItems >= roundupItems:
		return KindRoundup
	case s.article:
		return KindNews
	}
	return KindOther
}

// onlyH1 returns the text of the page's one <h1> outside comments (many
// templates put it in a header, so furniture counts) that does not name
// the site, "" when it has none or several.
func (p *metaPage) onlyH1() string {
	text := ""
	for _, n := range p.heads {
		if n.Data != "h1" || p.inComments(n) || p.siteHeads[metaLooseKey(dom.Space(dom.NodeText(n)))] {
			continue
		}
		if text != "" {
			return ""
		}
		text = dom.Space(dom.NodeText(n))
	}
	return text
}
