package extract

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// prose is a paragraph long enough to count as article text.
const prose = "This paragraph is written by the author, and it goes on for a while, with commas, clauses and enough words to look like real prose that a reader came for."

func p(s string) string { return "<p>" + s + "</p>" }

func runBody(t *testing.T, page string, title string) body {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatalf("parsing: %v", err)
	}
	// The descriptions and the JSON-LD body come from the page itself, as
	// in Extract.
	m := extractMeta(doc, "")
	return extractBody(doc, &meta{Title: title, summaries: m.summaries, ldBody: m.ldBody}, bodyOptions{})
}

func TestExtractBodyText(t *testing.T) {
	article := p("First "+prose) + p("Second "+prose) + p("Third "+prose)
	tests := []struct {
		name    string
		page    string
		title   string
		want    []string // blocks that must appear, in this order
		wantNot []string
		once    []string // text that must appear exactly once
	}{
		{
			name:    "article among navigation and footer",
			page:    `<html><body><nav><ul><li><a href="/">Home</a></li><li><a href="/r">Reviews</a></li></ul></nav><div class="content"><h1>Headline</h1>` + article + `</div><footer><p>© 2024 Example Inc. All rights reserved.</p></footer></body></html>`,
			title:   "Headline",
			want:    []string{"First " + prose, "Second " + prose, "Third " + prose},
			wantNot: []string{"Home", "Headline", "All rights reserved"},
		},
		{
			name: "share, like and related widgets inside the container",
			page: `<div class="entry-content">` + article + `<div class="sharedaddy"><h3>Share this:</h3><ul><li><a href="#">Twitter</a></li></ul></div>` +
				`<div class="likes-widget"><h3>Like this:</h3><span>Like</span> Loading...</div><div class="relatedposts"><h3><em>Related</em></h3><p><a href="/x">Other post</a></p></div></div>`,
			want:    []string{"Third " + prose},
			wantNot: []string{"Share this", "Like this", "Related", "Other post", "Loading"},
		},
		{
			name: "captions, ad labels and hidden elements",
			page: `<article><div class="post-content"><figure><img src="a.jpg"><figcaption>Still from the film © Studio</figcaption></figure>` + article +
				`<div class="inline-slot"><span>- Advertisement -</span></div><div style="display: none">hidden spam text</div><p hidden>also hidden</p>` +
				`<div style="position:absolute; left:-9876px"><a href="/spam">buy pills online</a></div><span aria-hidden="true">icon</span></div></article>`,
			want:    []string{"First " + prose},
			wantNot: []string{"Still from the film", "Advertisement", "hidden spam", "also hidden", "buy pills", "icon"},
		},
		{
			name:    "byline, date and reading time lines",
			page:    `<article><header><h1>T</h1></header><div class="story">` + p("By Jane Doe") + p("March 6, 2019") + p("8 min read") + article + `</div></article>`,
			want:    []string{"First " + prose},
			wantNot: []string{"Jane Doe", "March 6, 2019", "min read"},
		},
		{
			name: "br splits blocks and inline markup joins without spaces",
			page: `<div class="review-text">` + article + `<div class="spoiler">One <em>long</em> spoiler line with text, more text, and more.<br>Another spoiler line, also long enough, with commas.</div></div>`,
			want: []string{"One long spoiler line with text, more text, and more.", "Another spoiler line, also long enough, with commas."},
		},
		{
			name:    "leading info block",
			page:    `<div class="entry">` + p("Rated R<br>126 minutes") + article + `</div>`,
			want:    []string{"First " + prose},
			wantNot: []string{"Rated R", "126 minutes"},
		},
		{
			name:    "comment section is not body",
			page:    `<div id="content"><div class="entry-content">` + article + `</div><div id="comments" class="comments-area"><ol class="comment-list"><li class="comment"><p>Reader comment, long and opinionated, with commas, and more words than a caption would have.</p></li></ol></div></div>`,
			want:    []string{"Third " + prose},
			wantNot: []string{"Reader comment"},
		},
		{
			name: "fallback for flat pages",
			page: `<body><div><div><span>Short line</span></div></div><p>` + prose + `</p><div><p>` + prose + ` again</p></div></body>`,
			want: []string{prose, prose + " again"},
		},
		{
			name: "json-ld body when the markup holds only a teaser",
			page: `<html><head><script type="application/ld+json">{"@type":"Review","reviewBody":"` + strings.Repeat("Full review sentence, complete and long. ", 20) + `\nSecond paragraph of the review."}</script></head><body><div class="teaser"><p>Short teaser only.</p></div></body></html>`,
			want: []string{strings.TrimSpace(strings.Repeat("Full review sentence, complete and long. ", 20)), "Second paragraph of the review."},
		},
		{
			name: "disclosure note after the article",
			page: `<div class="post hentry"><div class="entry-content">` + article + `</div>` +
				`<p class="disclosure">Disclosure: we received a free copy of this book from its publisher. It did not affect the review.</p></div>`,
			want:    []string{"Third " + prose},
			wantNot: []string{"Disclosure"},
		},
		{
			name: "paragraph past a share bar is after the article end",
			page: `<div class="post"><div class="entry-content">` + article + `</div><div class="share-buttons">Share: <a href="/f">Facebook</a> <a href="/x">X</a></div>` +
				`<p class="note">Reviewed on a console we bought ourselves. Review code was provided by the publisher.</p></div>`,
			want:    []string{"Third " + prose},
			wantNot: []string{"Review code"},
		},
		{
			name: "loose paragraph next to the article still joins it",
			page: `<div class="post"><div class="entry-content">` + article + `</div>` +
				`<p class="note">A closing paragraph that the template put outside the content wrapper, still the author's words.</p></div>`,
			want: []string{"Third " + prose, "A closing paragraph that the template put outside the content wrapper, still the author's words."},
		},
		{
			name: "deck repeating the description is not body",
			page: `<html><head><meta name="description" content="A tense, gorgeous and occasionally cruel roguelike. Our full review."></head><body>` +
				`<article><h1>Foglight Review</h1><p class="article-standfirst">A tense, gorgeous and occasionally cruel roguelike.</p>` +
				`<div class="article-body">` + article + `</div></article></body></html>`,
			title:   "Foglight Review",
			want:    []string{"First " + prose},
			wantNot: []string{"occasionally cruel"},
		},
		{
			name: "deck inside the article container repeating the description",
			page: `<html><head><meta property="og:description" content="The harbour bistro serves bones, vines and very good bread."></head><body>` +
				`<div class="entry-content"><div class="dek">The harbour bistro serves bones, vines and very good bread.</div>` + article + `</div></body></html>`,
			want:    []string{"First " + prose},
			wantNot: []string{"very good bread"},
		},
		{
			name: "deck that says something new stays",
			page: `<html><head><meta name="description" content="Our review of Foglight, the lighthouse roguelike."></head><body>` +
				`<article><h1>Foglight Review</h1><p class="standfirst">Ninety seconds, one hundred and forty steps and a wick that will not stay lit.</p>` +
				`<div class="article-body">` + article + `</div></article></body></html>`,
			title: "Foglight Review",
			want:  []string{"Ninety seconds, one hundred and forty steps and a wick that will not stay lit.", "First " + prose},
		},
		{
			name: "news lede repeating the description stays",
			page: `<html><head><meta name="description" content="The council approved the new tram line on Tuesday after a long debate."></head><body>` +
				`<article><h1>Tram Line Approved</h1><p class="lead">The council approved the new tram line on Tuesday after a long debate.</p>` +
				`<div class="article-body">` + article + `</div></article></body></html>`,
			title: "Tram Line Approved",
			want:  []string{"The council approved the new tram line on Tuesday after a long debate.", "First " + prose},
		},
		{
			name:  "standfirst paragraph in the article header",
			page:  `<article><header><h1>Harbour Bistro</h1><p>` + "Standfirst " + prose + `</p></header><div class="article-body">` + article + `</div></article>`,
			title: "Harbour Bistro",
			want:  []string{"Standfirst " + prose, "First " + prose},
		},
		{
			name: "full-paragraph standfirst repeating the description stays",
			page: `<html><head><meta name="description" content="` + "Standfirst " + prose + `"></head><body>` +
				`<article class="entry"><header class="entry-header"><h2>Harbour Bistro</h2><p class="entry-subtitle">` + "Standfirst " + prose + `</p></header>` +
				`<div class="entry-content">` + article + `</div></article></body></html>`,
			title: "Harbour Bistro",
			want:  []string{"Standfirst " + prose, "First " + prose},
		},
		{
			name: "page-builder row of the same class as the article joins it",
			page: `<div class="page"><div class="row">` + article + `</div><div class="row"><ul><li>Opens Friday, 6 pm</li><li>Closes Sunday, 4 pm</li>` +
				`<li>Entry: ten euros</li><li>Children go free</li><li>Parking at the station</li><li>Tickets at the door</li><li>Food from local stalls</li><li>Music all night long</li></ul></div>` +
				`<div class="band"><ul><li>Imprint and legal notes</li><li>Privacy policy of the club</li><li>Newsletter of the season</li><li>Contact the committee</li><li>Members only area</li><li>Sitemap of the site</li></ul></div></div>`,
			want:    []string{"First " + prose, "Third " + prose, "Parking at the station"},
			wantNot: []string{"Privacy policy"},
		},
		{
			name: "mega-menu teasers do not outvote the article",
			page: `<header><nav><ul class="menu"><li><a href="/a">Travel</a><p>` + "Teaser one " + prose + `</p></li><li><a href="/b">Food</a><p>` + "Teaser two " + prose + `</p></li>` +
				`<li><a href="/c">Culture</a><p>` + "Teaser three " + prose + `</p></li><li><a href="/d">Sport</a><p>` + "Teaser four " + prose + `</p></li></ul></nav></header>` +
				`<main><div class="article-body">` + p("First "+prose) + p("Second "+prose) + `</div></main>`,
			want:    []string{"First " + prose, "Second " + prose},
			wantNot: []string{"Teaser"},
		},
		{
			name: "heading id made from its text is not a hint",
			page: `<div class="entry-content">` + article + `<h2 id="what-to-read-next">What to read next</h2>` + p("Fourth "+prose) + `</div>`,
			want: []string{"Third " + prose, "What to read next", "Fourth " + prose},
		},
		{
			name: "forum thread that is the whole page",
			page: `<html><body><nav><a href="/">Forum</a> <a href="/cats">Cats</a></nav><h1>Our tomcat stays out all night</h1><div class="thread-comments">` +
				`<div class="post"><div class="post-text">` + "Opening post. " + prose + `</div></div><div class="post"><div class="post-text">` + "First reply. " + prose + `</div></div>` +
				`<div class="post"><div class="post-text">` + "Second reply. " + prose + `</div></div><div class="post"><div class="post-text">` + "Third reply. " + prose + `</div></div>` +
				`<div class="post"><div class="post-text">` + "Fourth reply. " + prose + `</div></div><div class="post"><div class="post-text">` + "Fifth reply. " + prose + `</div></div>` +
				`<div class="post"><div class="post-text">` + "Sixth reply. " + prose + `</div></div></div>` +
				`<div class="site-info"><p>The forum is run by volunteers of the club, who answer questions on weekdays only.</p></div></body></html>`,
			title:   "Our tomcat stays out all night",
			want:    []string{"Opening post. " + prose, "Sixth reply. " + prose},
			wantNot: []string{"volunteers"},
		},
		{
			name: "comment thread below an article stays out however long",
			page: `<html><body><div class="entry-content">` + article + `</div><div class="thread-comments">` +
				strings.Repeat(`<div class="post"><div class="post-text">`+"A reply. "+prose+`</div></div>`, 12) + `</div></body></html>`,
			want:    []string{"First " + prose, "Third " + prose},
			wantNot: []string{"A reply."},
		},
		{
			name: "article inside a wrapper made link-dense by the site's menus",
			page: `<div id="content"><div id="background-wrapper">` + strings.Repeat(`<ul class="links"><li><a href="/1">News of the week from the whole city</a></li><li><a href="/2">Sports results and tables of the weekend</a></li>`+
				`<li><a href="/3">Photos from the parade on the harbour front</a></li></ul>`, 4) +
				`<div class="article-header"><div class="story-text">` + p("First "+prose) + `<p>Her last day is April 1, and no replacement has been named.</p></div></div></div></div>`,
			want:    []string{"First " + prose, "Her last day is April 1, and no replacement has been named."},
			wantNot: []string{"Sports results"},
		},
		{
			name: "sections named for ad slots inside the marked article body",
			page: `<main><article itemprop="articleBody"><section class="Report__Section Report__Section--Ads">` + p("First "+prose) + `</section>` +
				`<section class="Report__Section Report__Section--Ads"><h2>Verdict</h2>` + p("Second "+prose) + `<div class="ad-slot"><p>Anzeige: ` + prose + `</p></div></section>` +
				`<div class="ads">Advertisement</div></article></main><section class="Teaser--Ads">` + p("Sponsored "+prose) + `</section>`,
			want:    []string{"First " + prose, "Verdict", "Second " + prose},
			wantNot: []string{"Advertisement", "Sponsored", "Anzeige"},
		},
		{
			name: "soft hyphens and zero-width spaces go",
			page: `<article>` + p("Schon im Mit&shy;tel&shy;al&shy;ter war der Wein das Aus\u00adhänge\u00adschild der Region, und die Win&#173;zer wussten es: "+prose) +
				p("Second\u200b "+prose) + `</article>`,
			want: []string{"Schon im Mittelalter war der Wein das Aushängeschild der Region, und die Winzer wussten es: " + prose, "Second " + prose},
		},
		{
			name: "standfirst kept from a header inside the chosen container",
			page: `<main><article class="content"><header><div class="breadcrumbs"><a href="/">Home</a> › <a href="/n">News</a></div><h1>Tram Line Approved</h1>` +
				`<div class="content__intro">The council approved the new tram line on Tuesday after a long debate.</div><p class="byline">By Jane Doe</p>` +
				`<ul class="share"><li><a href="#">Share on Facebook</a></li></ul></header>` + article + `</article></main>`,
			title:   "Tram Line Approved",
			want:    []string{"The council approved the new tram line on Tuesday after a long debate.", "First " + prose, "Third " + prose},
			wantNot: []string{"Home", "Tram Line Approved", "By Jane Doe", "Share on Facebook"},
		},
		{
			name: "hgroup subtitle is the standfirst",
			page: `<article><header><hgroup><h1>Warum wir jetzt Demut brauchen</h1><h2>Nicht nur die Medizin, sondern auch politische Maßnahmen brauchen das Maß der Demut</h2></hgroup></header>` +
				`<div class="grid">` + article + `</div></article>`,
			title: "Warum wir jetzt Demut brauchen",
			want:  []string{"Nicht nur die Medizin, sondern auch politische Maßnahmen brauchen das Maß der Demut", "First " + prose},
		},
		{
			name: "a sidebar of prose stays out unless it holds most of the page",
			page: `<div class="wrapper"><div class="main-content">` + p("First "+prose) + p("Second "+prose) + p("Third "+prose) + p("Fourth "+prose) + `</div>` +
				`<aside id="sidebar" role="complementary"><ul class="live">` + strings.Repeat(`<li><p>`+"Ticker "+prose+`</p></li>`, 3) + `</ul></aside></div>`,
			want:    []string{"First " + prose, "Fourth " + prose},
			wantNot: []string{"Ticker"},
		},
		{
			name: "an article in an aside that holds most of the page is kept",
			page: `<nav><a href="/">Home</a></nav><aside class="sidebar">` + article + `</aside><footer><p>Imprint</p></footer>`,
			want: []string{"First " + prose, "Third " + prose},
		},
		{
			name: "link roundups named as entries are not link lists",
			page: `<div id="main">` + strings.Repeat(`<div class="entry"><p>`+"Roundup "+prose+`</p><ul><li><a href="/1">A long linked headline from another site about the week</a></li>`+
				`<li><a href="/2">Another long linked headline from another site about the week</a></li><li><a href="/3">A third long linked headline from another site, this week</a></li>`+
				`<li><a href="/4">A fourth long linked headline from another site about the week</a></li></ul></div>`, 3) + `</div>`,
			want: []string{"Roundup " + prose},
		},
		{
			name: "post wrapper flagged commented is still the article",
			page: `<div class="site"><article class="post hentry commented"><div class="entry-content">` + article + `</div></article>` +
				`<aside class="sidebar"><p>About this site, a long description that nobody came to read, with commas, yes.</p></aside></div>`,
			want:    []string{"First " + prose, "Third " + prose},
			wantNot: []string{"About this site"},
		},
		{
			name: "itemprop articleBody wins over a share-sounding id",
			page: `<article><div itemprop="articleBody" id="share-btns-container">` + article + `</div></article>`,
			want: []string{"First " + prose, "Third " + prose},
		},
		{
			name: "itemprop articleBody around a denser block is the article",
			page: `<article><div itemprop="articleBody"><p>Opening line of the story, short.</p>` + p("Lead "+prose) +
				`<div class="gallery-wrap"><div class="slides">` + p("One "+prose) + p("Two "+prose) + p("Three "+prose) + p("Four "+prose) + `</div></div>` +
				`<p>Closing words of the story, which the gallery must not hide from the reader.</p></div></article>`,
			want: []string{"Opening line of the story, short.", "Lead " + prose, "Closing words of the story, which the gallery must not hide from the reader."},
		},
		{
			name: "tiny page without paragraphs keeps its text",
			page: `<html><body>Test</body></html>`,
			want: []string{"Test"},
		},
		{
			name: "headings only",
			page: `<html><body><article><h2>Test Case 1</h2><img src="a.jpg"><h2>Test Case 2</h2></article></body></html>`,
			want: []string{"Test Case 1", "Test Case 2"},
		},
		{
			name: "page paragraphs outweighing the pick replace it",
			page: `<body><div class="paywall-box"><div class="offer">` + p("Subscribe now and read this article, with all the others, for a small fee each month, cancel any time.") + `</div></div>` +
				`<div class="l-body"><section>` + p("One "+prose) + `</section><section>` + p("Two "+prose) + `</section><section>` + p("Three "+prose) +
				`</section><section>` + p("Four "+prose) + `</section></div></body>`,
			want: []string{"One " + prose, "Two " + prose, "Three " + prose, "Four " + prose},
		},
		{
			name: "linked item in a list of prose items stays",
			page: `<div class="entry-content">` + article + `<ul><li><a href="/y">Here is our year in review!</a></li>` +
				`<li>We have just landed a fix, which stops updates while another instance runs, and more words follow here.</li>` +
				`<li>Also about to land is support for downloading new updates, with commas, and an explanation of it.</li></ul></div>`,
			want: []string{"Here is our year in review!", "We have just landed a fix, which stops updates while another instance runs, and more words follow here."},
		},
		{
			name:    "link list in the article is still pruned",
			page:    `<div class="entry-content">` + article + `<ul><li><a href="/a">Other review one</a></li><li><a href="/b">Other review two</a></li></ul></div>`,
			want:    []string{"Third " + prose},
			wantNot: []string{"Other review"},
		},
		{
			name: "MathML is text",
			page: `<div class="entry-content">` + article + `<p>When <math><mi>a</mi><mo>≠</mo><mn>0</mn></math>, there are two solutions.</p></div>`,
			want: []string{"When a≠0, there are two solutions."},
		},
		{
			name: "author box description is not the lead",
			page: `<article><div class="author-box"><div class="description">Jane Roe writes about trains, trams and the people who run them, for this paper since 2004.</div></div>` +
				`<header><h1>Tram Line Approved</h1><p class="intro">After a long debate the council approved the tram line, and building starts in spring.</p></header>` +
				`<div class="article-body">` + article + `</div></article>`,
			title:   "Tram Line Approved",
			want:    []string{"After a long debate the council approved the tram line, and building starts in spring.", "First " + prose},
			wantNot: []string{"Jane Roe writes"},
		},
		{
			name: "abstract and picture lead both come before the article",
			page: `<article><header><h1>Greenhouse</h1><div class="article-abstract"><p>Exotic plants need a warmer and more humid climate than ours, and a greenhouse gives it.</p></div>` +
				`<div class="share-bar"><a href="/s">Share</a></div><div class="article-lead"><p>Planted and decorated, the greenhouse becomes the heart of the garden.</p></div></header>` +
				`<div class="article-main">` + article + `</div><hr></article>`,
			title: "Greenhouse",
			want:  []string{"Exotic plants need a warmer and more humid climate than ours, and a greenhouse gives it.", "Planted and decorated, the greenhouse becomes the heart of the garden.", "First " + prose},
		},
		{
			name: "lead in a header several levels up",
			page: `<article class="main"><header><div class="container"><div class="row"><div class="columns"><p class="lead">Rising prices hit households with small incomes hardest, the study finds.</p></div></div></div></header>` +
				`<div class="body"><div class="container"><div class="row"><div class="columns"><div id="content">` + article + `</div><hr></div><hr></div><hr></div><hr></div></article>`,
			want: []string{"Rising prices hit households with small incomes hardest, the study finds.", "First " + prose},
		},
		{
			name: "header named as the intro is the lead",
			page: `<article><header class="intro"><h1>Social Fears</h1><p class="heading">It has long been known: fear of people is more common than we think, say the doctors.</p></header>` +
				`<div class="article-column">` + article + `</div><hr></article>`,
			title:   "Social Fears",
			want:    []string{"It has long been known: fear of people is more common than we think, say the doctors.", "First " + prose},
			wantNot: []string{"Social Fears"},
		},
		{
			name: "further-reading and contact labels, credit lines",
			page: `<div class="entry-content"><p>Foto: Jane Roe</p>` + article + `<p><em>Quelle: Landesregierung</em></p><p><strong>Auch interessant</strong></p>` +
				`<h3>Mehr zum Thema Bahn und Verkehr</h3><p><strong>Kontakt:</strong></p></div>`,
			want:    []string{"First " + prose, "Third " + prose},
			wantNot: []string{"Jane Roe", "Landesregierung", "Auch interessant", "Mehr zum Thema", "Kontakt"},
		},
		{
			name: "article kept only in noscript",
			page: `<html><body><div class="post"><div class="post-body"><script type="text/template">` + article + `</script>` +
				`<noscript>` + p("Noscript "+prose) + article + article + `</noscript></div></div><div class="sidebar"><p>Short note.</p></div></body></html>`,
			want:    []string{"Noscript " + prose, "Second " + prose},
			wantNot: []string{"Short note"},
		},
		{
			name: "noscript copy of shown text is not doubled",
			page: `<div class="entry-content">` + article + `<noscript>` + article + article + `</noscript></div>`,
			want: []string{"First " + prose, "Second " + prose, "Third " + prose},
			once: []string{"First " + prose},
		},
		{
			name: "slideshow captions inside the article body go",
			page: `<div itemprop="articleBody">` + article + `<div class="gallery-wrap"><ul class="legends">` +
				strings.Repeat(`<li><h2><span class="counter">1/5</span> Slide</h2><p>A caption that goes on for a while, with commas, about a picture in the gallery, and then some more words to make it long enough.</p></li>`, 5) +
				`</ul></div></div>`,
			want:    []string{"Third " + prose},
			wantNot: []string{"Slide", "A caption"},
		},
		{
			name: "section heads named header stay, footers go",
			page: `<div class="entry-content">` + article + `<div class="card"><div class="card-header">How is the interest worked out?</div><div class="card-body">` + p("Answer "+prose) + `</div></div>` +
				`<div class="site-footer"><p>Imprint and privacy, all rights with the publisher of this site.</p></div></div>`,
			want:    []string{"How is the interest worked out?", "Answer " + prose},
			wantNot: []string{"Imprint and privacy"},
		},
		{
			name:    "paragraph whose link is an address stays",
			page:    `<div class="entry-content">` + article + `<p>Mail: <a href="mailto:info@example.org">info@example.org</a></p><p><a href="/other">Other review of ours</a></p></div>`,
			want:    []string{"Mail: info@example.org"},
			wantNot: []string{"Other review of ours"},
		},
		{
			name:    "commentary class is an opinion piece, not comments",
			page:    `<div class="article commentary"><div class="text">` + article + `</div></div><aside class="sidebar"><p>About this site, a long description that nobody came to read, with commas, yes.</p></aside>`,
			want:    []string{"First " + prose},
			wantNot: []string{"About this site"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := runBody(t, tt.page, tt.title)
			blocks := strings.Split(b.Text, "\n\n")
			at := 0
			for _, w := range tt.want {
				found := false
				for at < len(blocks) {
					at++
					if blocks[at-1] == w {
						found = true
						break
					}
				}
				if !found {
					t.Errorf("block %q missing or out of order in body:\n%s", w, b.Text)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(b.Text, w) {
					t.Errorf("body contains %q:\n%s", w, b.Text)
				}
			}
			for _, w := range tt.once {
				if n := strings.Count(b.Text, w); n != 1 {
					t.Errorf("body holds %q %d times, want once:\n%s", w, n, b.Text)
				}
			}
			if strings.Contains(b.Text, "\n\n\n") || strings.TrimSpace(b.Text) != b.Text {
				t.Errorf("body has stray blank lines or edges: %q", b.Text)
			}
		})
	}
}

func TestExtractBodyComments(t *testing.T) {
	article := `<div class="entry-content">` + p(prose) + p(prose) + `</div>`
	wpComment := func(id, author, text, children string) string {
		return `<li class="comment" id="li-comment-` + id + `"><article id="comment-` + id + `" class="comment-body"><footer class="comment-meta"><div class="comment-author vcard"><b class="fn">` + author +
			`</b> <span class="says">says:</span></div><div class="comment-metadata"><time datetime="2014-02-28T08:02:19+00:00">February 28</time></div></footer><div class="comment-content"><p>` + text +
			`</p></div><div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></article>` + children + `</li>`
	}
	form := `<div id="respond" class="comment-respond"><h3>Leave a Reply</h3><form id="commentform" class="comment-form"><p class="comment-form-comment"><label>Comment</label><textarea></textarea></p><p>Fill in your details below or click an icon to log in:</p></form></div>`
	tests := []struct {
		name    string
		page    string
		want    int
		authors []string
	}{
		{
			name: "threaded wordpress comments count replies",
			page: article + `<div id="comments" class="comments-area"><h2>3 comments</h2><ol class="comment-list">` +
				wpComment("1", "Ann", "Great review!", `<ol class="children">`+wpComment("2", "Liam", "Thanks Ann.", "")+`</ol>`) +
				wpComment("3", "Bob", "Not for me.", "") + `</ol>` + form + `</div>`,
			want:    3,
			authors: []string{"Ann", "Liam", "Bob"},
		},
		{
			name: "empty list message",
			page: article + `<h3 id="comments">Leave a comment</h3><ol class="commentlist"><li id="comment-none">No comments yet.</li></ol>` + form,
			want: 0,
		},
		{
			name: "placeholder widget and form only",
			page: article + `<div class="comments" id="comments"><div class="fb-comments" data-numposts="5"></div></div>` + form,
			want: 0,
		},
		{
			name: "empty state text",
			page: article + `<section id="comments"><h3>Comments</h3><div class="empty"><strong>There are no comments for this story</strong><p>Be the first to respond and start the conversation.</p></div></section>`,
			want: 0,
		},
		{
			name:    "schema.org comments",
			page:    article + `<div class="discussion"><div itemscope itemtype="https://schema.org/Comment"><span itemprop="author">Zoe</span><p itemprop="text">I agree.</p></div><div itemscope itemtype="https://schema.org/Comment"><span itemprop="author">Max</span><p itemprop="text">I don't.</p></div></div>`,
			want:    2,
			authors: []string{"Zoe", "Max"},
		},
		{
			name: "german comment vocabulary",
			page: article + `<section class="kommentare" id="kommentare"><h2>2 Kommentare</h2>` +
				`<div class="kommentar" id="k-1"><p><strong>Anna</strong> · <time datetime="2024-09-29T09:12:00+02:00">vor 1 Tag</time></p><p>Great review, wir waren dort.</p></div>` +
				`<div class="kommentar" id="k-2"><p><strong>Bernd</strong></p><p>Stimmt nicht ganz.</p></div></section>`,
			want: 2,
		},
		{
			name: "french and spanish comment vocabulary",
			page: article + `<div id="commentaires"><ol class="commentaires-liste"><li>Great review, très juste.</li><li>Pas d'accord.</li></ol></div>` +
				`<div class="comentarios"><div class="comentario-item"><p>Muy buena reseña.</p></div></div>`,
			want: 3,
		},
		{
			name: "recent comments widget is not the thread",
			page: article + `<aside class="widget"><ul id="recentcomments"><li class="recentcomments">Ann on <a href="/p">Post</a></li></ul></aside>`,
			want: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := runBody(t, tt.page, "")
			if len(b.Comments) != tt.want {
				t.Fatalf("got %d comments %+v, want %d", len(b.Comments), b.Comments, tt.want)
			}
			for i, a := range tt.authors {
				if b.Comments[i].Author != a {
					t.Errorf("comment %d author = %q, want %q", i, b.Comments[i].Author, a)
				}
				if b.Comments[i].Body == "" {
					t.Errorf("comment %d has no body", i)
				}
			}
			if strings.Contains(b.Text, "Great review") || strings.Contains(b.Text, "Leave a Reply") {
				t.Errorf("comments leaked into body: %q", b.Text)
			}
		})
	}
}

func TestExtractBodyWordpressCommentFields(t *testing.T) {
	page := `<div class="entry-content">` + p(prose) + `</div><ol class="comment-list"><li class="comment" id="li-comment-9"><article id="comment-9" class="comment-body"><footer class="comment-meta"><div class="comment-author vcard"><b class="fn"><a href="#">Ryan</a></b> <span class="says">says:</span></div><div class="comment-metadata"><a href="#"><time datetime="2014-03-01T13:47:02+00:00">March 1, 2014 at 1:47 pm</time></a></div></footer><div class="comment-content"><p>First line.</p><p>Second line.</p></div></article></li></ol>`
	b := runBody(t, page, "")
	if len(b.Comments) != 1 {
		t.Fatalf("got %d comments, want 1", len(b.Comments))
	}
	c := b.Comments[0]
	if c.Author != "Ryan" || c.Published != "2014-03-01T13:47:02+00:00" || c.Body != "First line.\n\nSecond line." {
		t.Errorf("comment = %+v", c)
	}
}

func TestClassHints(t *testing.T) {
	tests := []struct {
		name string
		want hint
	}{
		{"entry-content", hint{pos: true}},
		{"elementor-widget-theme-post-content", hint{pos: true}},
		{"post-meta", hint{neg: negNormal}},
		{"entry-header", hint{neg: negWeak, heading: true}},
		{"card-header", hint{neg: negWeak, heading: true}},
		{"site-footer", hint{neg: negWeak}},
		{"sidebar-widgets", hint{neg: negWeak, side: true}},
		{"right-rail", hint{neg: negWeak, side: true}},
		{"sidebar-header", hint{neg: negWeak, side: true}},
		{"post-ratings", hint{neg: negNormal}},
		{"site-branding", hint{neg: negNormal}},
		{"related-content", hint{neg: negStrong}},
		{"comments-area", hint{neg: negStrong, comment: true}},
		{"commentary", hint{}},
		{"kommentare", hint{neg: negStrong, comment: true}},
		{"section-commentaires", hint{neg: negStrong, comment: true}},
		{"reacties", hint{neg: negStrong, comment: true}},
		{"pv-disclosure", hint{neg: negStrong}},
		{"has-sidebar", hint{}},
		{"enable-pin-share", hint{}},
		{"sd-sharing-enabled", hint{}},
		{"relatedPosts", hint{neg: negStrong}},
		{"address", hint{}},
		{"img-responsive", hint{}},
		{"tag-amy-adams", hint{}},
		{"commented", hint{}},
		{"commentable", hint{}},
		{"comment-list", hint{neg: negStrong, comment: true}},
		{"author-box", hint{neg: negStrong}},
		{"news-letter-section", hint{neg: negStrong}},
		{"about-the-author", hint{neg: negStrong}},
		{"entry-content-read-more", hint{neg: negNormal}},
		{"TestReport__Section--Ads", hint{neg: negStrong, ad: true}},
		{"Teaser--Ads", hint{neg: negStrong}},
		{"ad-slot", hint{neg: negStrong}},
		{"a-inline-textbox", hint{neg: negStrong}},
		{"mol-factbox", hint{neg: negStrong}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nameHint(tt.name); got != tt.want {
				t.Errorf("nameHint(%q) = %+v, want %+v", tt.name, got, tt.want)
			}
		})
	}
}

func TestIsBoilerText(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"Share this:", true},
		{"- Advertisement -", true},
		{"You might also like", true},
		{"8 min read", true},
		{"By Jamie Lammers", true},
		{"March 6, 2019", true},
		{"© 2024 Creatd, Inc. All Rights Reserved.", true},
		{"By the end of the film, I was crying.", false},
		{"Letter Grade: A", false},
		{"Originally published on (now defunct).", false},
		{"Kontakt:", true},
		{"Schon gelesen?", true},
		{"Mehr zum Thema Job und Karriere", true},
		{"Foto: ATON", true},
		{"(Foto: ABr)", true},
		{"Quelle: Landesregierung", true},
		{"Anzeige, enthält Affiliate Links", true},
		{"Quelle der Inspiration war ein Besuch in Irland.", false},
		{"Kontakt zu halten ist schwer, sagt sie.", false},
		{prose, false},
	}
	for _, tt := range tests {
		if got := isBoilerText(tt.text); got != tt.want {
			t.Errorf("isBoilerText(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// benchPage builds a page shaped like a typical review page of about
// 140 KB: head scripts and styles, a navigation menu, an article with
// headings, lists and inline markup, a comment thread, a sidebar and a
// footer.
func benchPage() string {
	var sb strings.Builder
	sb.WriteString(`<html><head><title>Bench</title><style>` + strings.Repeat(".a{color:red}", 2000) + `</style>`)
	sb.WriteString(`<script>` + strings.Repeat("var x = 1; ", 4000) + `</script></head><body class="post-template-default single single-post">`)
	sb.WriteString(`<header class="site-header"><nav class="main-navigation"><ul>`)
	for range 80 {
		sb.WriteString(`<li class="menu-item menu-item-type-taxonomy menu-item-object-category"><a href="/category/x">Menu entry</a></li>`)
	}
	sb.WriteString(`</ul></nav></header><main id="main"><article class="post type-post status-publish hentry"><h1 class="entry-title">Bench</h1><div class="entry-content">`)
	for i := range 40 {
		if i%8 == 0 {
			sb.WriteString(`<h2>Section heading</h2>`)
		}
		if i%10 == 5 {
			sb.WriteString(`<ul><li>First point of the list</li><li>Second point, <em>stressed</em></li></ul><blockquote><p>A quoted line from someone.</p></blockquote>`)
		}
		sb.WriteString(`<p class="has-text-align-left">This paragraph is written by the <a href="/a">author</a>, and it goes on for a while, with <strong>commas</strong>, clauses and enough words to look like real prose that a reader came for.</p>`)
	}
	sb.WriteString(`</div><div class="sharedaddy sd-sharing-enabled"><h3>Share this:</h3><ul>`)
	for range 6 {
		sb.WriteString(`<li><a class="share-twitter sd-button" href="/s"><span>Twitter</span></a></li>`)
	}
	sb.WriteString(`</ul></div></article><div id="comments" class="comments-area"><ol class="comment-list">`)
	for range 30 {
		sb.WriteString(`<li class="comment even thread-even depth-1"><article class="comment-body"><footer class="comment-meta"><b class="fn">Reader</b> <time datetime="2024-01-01T10:00:00+00:00">January 1</time></footer><div class="comment-content"><p>A reader's comment, with an opinion, and a few more words.</p></div></article></li>`)
	}
	sb.WriteString(`</ol></div></main><aside class="sidebar widget-area">`)
	for range 30 {
		sb.WriteString(`<section class="widget widget_recent_entries"><h3 class="widget-title">Widget</h3><ul><li><a href="/y">Recent post title</a></li><li><a href="/z">Another post</a></li></ul></section>`)
	}
	sb.WriteString(`</aside><footer class="site-footer"><p>© 2024 Example. All rights reserved.</p></footer>`)
	sb.WriteString(`<script>` + strings.Repeat("var y = 2; ", 3000) + `</script></body></html>`)
	return sb.String()
}

// BenchmarkExtractBody times extractBody alone on a parsed page of about
// 140 KB (parsing is not timed; the tree is re-parsed for every run since
// extractBody changes it).
//
//	go test ./extract/ -run '^$' -bench BenchmarkExtractBody -benchmem
func BenchmarkExtractBody(b *testing.B) {
	page := benchPage()
	for _, md := range []bool{false, true} {
		name := "text"
		if md {
			name = "markdown"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				b.StopTimer()
				doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				extractBody(doc, &meta{}, bodyOptions{Markdown: md})
			}
		})
	}
}
