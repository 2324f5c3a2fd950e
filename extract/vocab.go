package extract

import (
	"regexp"
	"strings"
)

// The class/id vocabulary: every word list by which the extractor reads
// what an element is from its class, id or itemprop, kept in one place
// so the lists can be read side by side and kept in agreement. Each list
// says what it marks; the matchers that use them (hintOf for the body,
// tokenKinds and hintMatcher for the metadata, classMatches for the field
// pickers) sit with their code.
//
// Two families share words on purpose: the body's hints grade whole
// containers (a "related" block is dropped with everything in it), while
// the metadata's region tokens only decide whether a date or a name in an
// element can be the article's (an element inside a "related" block is
// never the byline).

// The body: class and id words that grade a container as article text
// (pos…), boilerplate (strong…, normal…), or a layout region (weak…); read
// by hintOf.
var (
	posExact = wordSet("article", "content", "contents", "entry", "post", "story", "body", "text", "main", "review", "hentry", "prose", "blogpost", "articlebody", "reviewbody")

	posAffix = []string{"article", "content", "story", "entry", "review"}

	posSuffix = []string{"content", "body", "text", "article", "entry", "story"}

	strongPrefix = []string{"comment", "disqus", "share", "sharing", "social", "related", "recommend",
		"newsletter", "subscri", "cookie", "consent", "gdpr", "advert", "adsby", "adslot", "adsense", "sponsor", "promo",
		"outbrain", "taboola", "popup", "modal", "signup", "login", "byline", "caption", "breadcrumb", "pagination",
		"pager", "tagcloud", "taglist", "readmore", "authorbio", "authorbox", "aboutauthor", "aboutthe",
		"bio", "readingtime", "likes", "syndication", "copyright", "disclaimer", "disclosure", "trending",
		"popular", "mostread", "recirc", "newsticker", "ticker", "cta", "factbox", "textbox"}

	adWords = wordSet("ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising")

	strongExact = wordSet("ad", "ads", "adv", "advert", "tags", "like", "follow", "subscribe", "rss", "email", "respond", "reply", "replies")

	strongSuffix = []string{"comments", "share", "sharing", "related", "tags", "byline", "social", "caption", "newsletter"}

	weakPrefix = []string{"sidebar", "aside", "header", "footer", "masthead", "banner", "secondary", "complementary", "extra", "supplement", "rail", "topbar", "colophon"}

	weakSuffix = []string{"sidebar", "header", "footer"}

	sideWords = []string{"sidebar", "aside", "rail", "secondary", "complementary"}

	normalPrefix = []string{"nav", "menu", "widget", "meta", "date", "author", "toolbar", "tools", "skip", "jump", "donate", "sticky", "avatar", "profile", "shop", "search", "categor", "crumbs", "sitemap", "legal", "pagenav", "postnav", "infobox", "lightbox", "gallery", "thumb", "teaser", "more", "next", "prev", "branding"}

	normalExact = wordSet("toc", "print", "tag", "time", "info", "links", "utility", "utilities", "noprint", "community", "shoutbox", "combx", "remark",
		"ratings", "vote", "votes")

	normalSuffix = []string{"nav", "menu", "widget", "meta", "metadata", "links", "date", "navigation"}

	flagWords = wordSet("has", "with", "no", "without", "not", "enable", "enabled", "disable", "show", "hide", "allow", "use", "is", "can", "single", "front")

	stateWords = wordSet("open", "closed", "enabled", "disabled", "on", "off", "active", "inactive", "visible", "loaded", "count")
)

// The metadata: region tokens that say whether a date or a name in an
// element can be the article's (furniture, comment threads, article
// containers); read by tokenKinds.
var (
	// metaChromeWords mark site furniture around the article: its dates are
	// today's date, archive months and other posts' dates.
	metaChromeWords = regexp.MustCompile(`(?i)header|footer|masthead|top-?bar|breadcrumb|` + metaBlockWords)

	// metaBlockWords mark furniture that also appears inside an article.
	metaBlockWords = `sidebar|widget|^nav|[-_]nav|menu|related|recommend|popular|trending|newsletter|promo|teaser|more-stories|yarpp|share`

	metaBlockChrome = regexp.MustCompile(`(?i)` + metaBlockWords)

	metaModifierToken = regexp.MustCompile(`(?i)^(has|with|no|is|show|hide|without)[-_]`)

	// metaArticleWords keep a header or footer that belongs to the post itself.
	metaArticleWords = newHintMatcher(`(?i)entry|post|article|story|single|content|title`,
		[]string{"entry", "post", "article", "story", "single", "content", "title"}, nil, nil)

	metaCommentWords = regexp.MustCompile(`(?i)^(comments?|commentlist|comment-list|comments-area|comment-\w+|respond|replies|disqus_thread|discussion|reactions|responses)$|^comment[-_]|[-_]comments?$`)

	metaContainerWords = regexp.MustCompile(`(?i)^(hentry|h-entry|post|entry|article|story|single-post|type-post|blog-post|post-content|article-content)$`)

	metaTokenWords = newMetaWordSet(map[string]uint8{
		"entry": wordArticle, "post": wordArticle, "article": wordArticle, "story": wordArticle, "single": wordArticle,
		"content": wordArticle, "title": wordArticle,
		"-nav": wordBlock, "_nav": wordBlock, "sidebar": wordBlock, "widget": wordBlock, "menu": wordBlock, "related": wordBlock,
		"recommend": wordBlock, "popular": wordBlock, "trending": wordBlock, "newsletter": wordBlock, "promo": wordBlock,
		"teaser": wordBlock, "more-stories": wordBlock, "yarpp": wordBlock, "share": wordBlock,
		"header": wordChrome, "footer": wordChrome, "masthead": wordChrome, "topbar": wordChrome, "top-bar": wordChrome,
		"breadcrumb": wordChrome,
	})
)

// Reader comments and the article's lead and deck.
var (
	commentItemID = regexp.MustCompile(`^(?:li-|div-)?comment-?\d+$`)

	commentItemClass = wordSet("commentbody", "commentitem")

	// commentNouns name one reader comment; commentItemParts may follow
	// them in the class of the comment's element ("comment-item",
	// "kommentar_body", "single-comment").
	commentNouns = wordSet("comment", "kommentar", "commentaire", "commento", "comentario", "komentarz", "komentar", "reactie", "reaction")

	commentItemParts = wordSet("item", "body", "container", "entry", "wrap", "wrapper", "single")

	// leadWords name the standfirst that news templates put in the article
	// header, outside the body container, though it is written by the author.
	leadWords = wordSet("lead", "lede", "intro", "excerpt", "standfirst", "summary", "abstract", "description", "vorspann", "teaser", "chapo", "chapeau", "entradilla", "bajada",
		"subtitle", "subheadline", "preface", "perex", "leader", "epigraph")

	// deckWords name the deck (standfirst, dek, subtitle) that templates put
	// between the headline and the article text. The news words for a lead
	// (lead, intro, teaser, excerpt, summary) are left out: news ledes that
	// repeat the description are written as the article's first paragraph,
	// and the trafilatura-eval truth counts them as text.
	deckWords = wordSet("deck", "dek", "lede", "subtitle", "subheading", "subhead", "subheadline", "strapline", "standfirst")
)

// The field pickers: elements named for bylines, dates, scores, star
// widgets, release years and review sections.
var (
	metaAuthorWords = newHintMatcher(`(?i)author|byline|by-?line|(^|[-_])by([-_]|$)|posted-?by|writer|contributor|creator|reporter|journalist|autor|auteur|(^|[-_])fn$|vcard|username`,
		[]string{"author", "byline", "by-line", "postedby", "posted-by", "writer", "contributor", "creator", "reporter",
			"journalist", "autor", "auteur", "vcard", "username"},
		[]string{"fn"},
		[]string{"by"}, // (^|[-_])by([-_]|$) is decided by the regexp
	)

	// metaDateWords name an element holding the article's date: its own
	// words, the byline, and Drupal's "submitted" and "post-created".
	metaDateWords = newHintMatcher(`(?i)date|time|posted|publish|pubdate|timestamp|dateline|datum|fecha|byline|created|submitted|meta|(^|[-_])on$`,
		[]string{"date", "time", "posted", "publish", "datum", "fecha", "byline", "created", "submitted", "meta"}, []string{"on"}, nil)

	metaNotDateWords = newHintMatcher(`(?i)update|modif|edited|runtime|reading-?time|read-?time`,
		[]string{"update", "modif", "edited", "runtime", "reading-time", "readingtime", "read-time", "readtime"}, nil, nil)

	// releaseYearClassRe matches the class or id of an element showing the
	// item's release year in a review's header ("year", "release-year",
	// "release-date", "erscheinungsjahr").
	releaseYearClassRe = regexp.MustCompile(`(?i)(^|[-_\s])(year|release|released|release-year|release-date|erscheinungsjahr|annee)($|[-_\s])`)

	// releaseYearStems are the stems every releaseYearClassRe match holds.
	releaseYearStems = []string{"year", "releas", "erscheinungsjahr", "annee"}

	// reviewSectionRe matches a section or keyword that files reviews: a
	// review word alone ("Reviews", "Kritik", "Rezensionen") or after up to
	// two words naming what is reviewed ("Restaurant Reviews", "Film
	// review"), never a phrase such as "spending review".
	reviewSectionRe = func() *regexp.Regexp {
		words := []string{"music", "theatre", "theater", "stage", "food", "wine", "beer", "art", "concert", "tech", "travel", "video", "dvd", "blu-ray", "product", "recipe"}
		for w := range typeBySection {
			words = append(words, w)
		}
		sortByLenDesc(words)
		return regexp.MustCompile(`(?i)^(?:(?:` + strings.Join(words, "|") + `)\s+(?:&\s+)?){0,2}(?:reviews?|rezensionen|rezension|kritiken|kritik|critiques?|cr[ií]ticas?|reseñas?|recensioni|recensies|anmeldelser)$`)
	}()

	// scoreBoxClassRe matches the class or id words of an element that shows
	// a review's score as a bare number: Pitchfork's <span class="score">,
	// "verdict-score", "review-rating", "wertung", "note".
	scoreBoxClassRe = regexp.MustCompile(`(?i)(^|[-_\s])(score|scores|rating|verdict|grade|wertung|bewertung|note|punkte|puntuacion|voto)($|[-_\s])`)

	// usersScoreRe matches class or id words of readers' ratings: a score
	// inside such an element ("user-review-rating", "reader-score",
	// "audience-score") is not the reviewer's.
	usersScoreRe = regexp.MustCompile(`(?i)(^|[-_\s])(users?|readers?|customers?|community|audience|visitors?|members?|leser|kunden)($|[-_\s])`)

	// scoreBoxStems are cheap substring tests every scoreBoxClassRe match
	// passes: the regexp runs only on the few attributes that hold one.
	scoreBoxStems = []string{"scor", "rating", "verdict", "grade", "wertung", "note", "punkte", "puntuacion", "voto"}

	// starClassRe reads the score a widget's class name encodes: "stars-4-5",
	// "rating-45" and "star-rating-4" are 4.5, 4.5 and 4 of 5 stars.
	starClassRe = regexp.MustCompile(`(?i)^(?:stars?|rating|star-rating|stars-rating|rated|score)[-_]?(\d{1,2})(?:[-_](\d))?$`)

	metaNotAuthorWords = regexp.MustCompile(`(?i)avatar|image|photo|img|bio|description|desc$|about|comment|social|follow|more|other|box-wrap|url$|label|title`)
)
