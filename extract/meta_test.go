package extract

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/reviewpipe/reviewpipe/internal/dom"
)

func metaParseDoc(t *testing.T, page string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatalf("parsing page: %v", err)
	}
	return doc
}

func TestExtractMeta(t *testing.T) {
	type want struct {
		canonical, site, title, desc, lang string
		published                          string // always compared: "" means none
		authors                            []string
		ratingRaw, itemName, itemType      string
		ratingValue, ratingBest            float64
		itemYear                           int32
	}
	cases := []struct {
		name string
		page string
		url  string
		want want
	}{
		{
			name: "json-ld graph with referenced author",
			url:  "https://example.org/p?id=1",
			page: `<html><head><title>Ignored | Example</title>
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"WebSite","@id":"https://example.org/#site","name":"Example Weekly","url":"https://example.org/"},
 {"@type":"WebPage","@id":"https://example.org/a/#page","url":"https://example.org/a/","name":"Page name | Example Weekly"},
 {"@type":["Article","BlogPosting"],"headline":"The Real Headline","datePublished":"2020-05-01T10:00:00+02:00",
  "dateModified":"2021-01-01","mainEntityOfPage":{"@id":"https://example.org/a/#page"},
  "author":{"@id":"https://example.org/#/person/1"},"inLanguage":"de-DE"},
 {"@type":"Person","@id":"https://example.org/#/person/1","name":"Erika Mustermann"}]}</script>
</head><body><h1>The Real Headline</h1><p>Text.</p></body></html>`,
			want: want{canonical: "https://example.org/a/#page", site: "Example Weekly", title: "The Real Headline", lang: "de-DE",
				published: "2020-05-01T10:00:00+02:00", authors: []string{"Erika Mustermann"}},
		},
		{
			name: "printed headline with typographic punctuation wins over og:title",
			page: `<html><head><meta property="og:title" content="Korsetts - Shops, Designer, online kaufen..."></head>` +
				`<body><article><h1>Korsetts – Shops, Designer, online kaufen…</h1><p>Text.</p></article></body></html>`,
			want: want{title: "Korsetts – Shops, Designer, online kaufen…"},
		},
		{
			name: "json-ld name over a headline that is a description",
			page: `<html><head><title>New Zealand - Wikipedia</title><script type="application/ld+json">` +
				`{"@context":"https://schema.org","@type":"Article","name":"New Zealand","headline":"constitutional monarchy in Oceania"}</script></head>` +
				`<body><h1>New Zealand</h1><p>Text.</p></body></html>`,
			want: want{title: "New Zealand", site: "Wikipedia"},
		},
		{
			name: "dublin core title over og:title, not a site-wide DC.title",
			page: `<html><head><title>Preferred title | Site</title><meta property="og:title" content="A title">` +
				`<meta property="x:title dc:title" content="Preferred title"></head><body><p>Text.</p></body></html>`,
			want: want{title: "Preferred title", site: "Site"},
		},
		{
			name: "site-wide DC.title ignored",
			page: `<html><head><title>Eva Welskop-Deffaa gewählt</title><meta name="DC.title" content="Pressemeldungen des Verbandes">` +
				`<meta property="og:title" content="Eva Welskop-Deffaa gewählt"></head><body><p>Text.</p></body></html>`,
			want: want{title: "Eva Welskop-Deffaa gewählt"},
		},
		{
			name: "printed headline longer than the search title, in a header",
			page: `<html><head><meta property="og:title" content="Ultium Cells erhöht Gigafactory-Kapazität - Battery-News.de">` +
				`<meta property="og:site_name" content="Battery-News.de"></head>` +
				`<body><header><h1>Ultium Cells erhöht Gigafactory-Kapazität in Tennessee</h1></header><p>Text.</p></body></html>`,
			want: want{title: "Ultium Cells erhöht Gigafactory-Kapazität in Tennessee", site: "Battery-News.de"},
		},
		{
			name: "unmarked date line right after the headline",
			page: `<html><body><article><h1>Vegetarier zu sein</h1><div>Gespeichert von human am 7. Juli 2019 - 18:44</div><p>Text.</p></article></body></html>`,
			want: want{title: "Vegetarier zu sein", published: "7. Juli 2019"},
		},
		{
			name: "dateline over the headline",
			page: `<html><body><div class="news"><span>23.01.2022</span><h1>Dorothea Wierer darf noch jubeln</h1><p>Text.</p></div></body></html>`,
			want: want{title: "Dorothea Wierer darf noch jubeln", published: "23.01.2022"},
		},
		{
			name: "a post footer far below says when it was posted",
			page: `<html><body><div class="post"><h1>Literatur und Animated Typography</h1>` + strings.Repeat("<p>Ein Absatz über das Thema, lang genug für einen Artikel. </p>", 40) + `` +
				`<p class="postmetadata">Dieser Artikel wurde am 19. Mai 2010 um 23:03 Uhr gepostet.</p></div></body></html>`,
			want: want{title: "Literatur und Animated Typography", published: "19. Mai 2010"},
		},
		{
			name: "a bare date far below is no publication date",
			page: `<html><body><div class="post"><h1>Literatur und Animated Typography</h1>` + strings.Repeat("<p>Ein Absatz über das Thema, lang genug für einen Artikel. </p>", 40) + `` +
				`<p>Die Lesung findet am 19. Mai 2010 statt.</p></div></body></html>`,
			want: want{title: "Literatur und Animated Typography"},
		},
		{
			name: "a date line that ends with the author",
			page: `<html><body><article><h1>Variablen und ihr Zuhause</h1><p class="text-muted">11.12.2019 - Amelie Loevenich</p><p>Text.</p></article></body></html>`,
			want: want{title: "Variablen und ihr Zuhause", published: "11.12.2019", authors: []string{"Amelie Loevenich"}},
		},
		{
			name: "a label element followed by the name",
			page: `<html><body><article><h1>Der WindRebell</h1><p>Text.</p><p><b>Von:</b> <span>Götz Warnke</span></p></article></body></html>`,
			want: want{title: "Der WindRebell", authors: []string{"Götz Warnke"}},
		},
		{
			name: "an interview's two names",
			page: `<html><body><article><h1>Wir dekorieren die Liegestühle um</h1><p class="author">Richard David Precht im Gespräch mit Karin Fischer</p><p>Text.</p></article></body></html>`,
			want: want{title: "Wir dekorieren die Liegestühle um", authors: []string{"Richard David Precht", "Karin Fischer"}},
		},
		{
			name: "von and a noun in running text is no byline",
			page: `<html><body><article><h1>Zweinutzungshuhn</h1><p>Text.</p>` +
				`<p>Die Haltung von Zweinutzungshühnern ist aufwendiger, lohnt sich aber für kleine Höfe.</p></article></body></html>`,
			want: want{title: "Zweinutzungshuhn"},
		},
		{
			name: "meta tags name more authors than JSON-LD",
			page: `<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"Caribbean travel","author":{"@type":"Person","name":"April Roach"}}</script>` +
				`<meta name="author" content="April Roach"><meta name="author" content="Daniel O'Mahony"></head><body><p>Text.</p></body></html>`,
			want: want{title: "Caribbean travel", authors: []string{"April Roach", "Daniel O'Mahony"}},
		},
		{
			name: "a section name for a title gives way to the headline",
			page: `<html><head><title>Pressemitteilungen</title></head>` +
				`<body><h1>Olafur Eliasson gestaltet Titelseite für die deutschen Zeitungen</h1><p>Text.</p></body></html>`,
			want: want{title: "Olafur Eliasson gestaltet Titelseite für die deutschen Zeitungen"},
		},
		{
			name: "a UUID og:title gives way to the headline",
			page: `<html><head><meta property="og:title" content="5b274ebc-2e46-40d6-830e-d912e48ca7fa"></head>` +
				`<body><h1>Gobierno acusa a Montecon de aliarse con el sindicato</h1><p>Text.</p></body></html>`,
			want: want{title: "Gobierno acusa a Montecon de aliarse con el sindicato"},
		},
		{
			name: "title element and h1 agree against og:title",
			page: `<html><head><title>Lange Haare: Dank dieser Lebensmittel wachsen sie viel schneller</title>` +
				`<meta property="og:title" content="Dank dieser Lebensmittel wachsen eure Haare viel schneller"></head>` +
				`<body><header><h1>Lange Haare: Dank dieser Lebensmittel wachsen sie viel schneller</h1></header><p>Text.</p></body></html>`,
			want: want{title: "Lange Haare: Dank dieser Lebensmittel wachsen sie viel schneller"},
		},
		{
			name: "the blog's name in the h1 is no headline",
			page: `<html><head><title>Rinderleber-Geschnetzeltes mit Apfel und Zwiebel | Liebe geht durch den Magen</title></head>` +
				`<body><header><h1>Liebe geht durch den Magen</h1></header><article><h2>Rinderleber-Geschnetzeltes mit Apfel und Zwiebel</h2><p>Text.</p></article></body></html>`,
			want: want{title: "Rinderleber-Geschnetzeltes mit Apfel und Zwiebel"},
		},
		{
			name: "kicker glued before the printed headline stays out",
			page: `<html><head><meta property="og:title" content="Rene Benko-Firma Signa in Sorge"></head>` +
				`<body><h1><span>Immobilienkrise</span> Rene Benko-Firma Signa in Sorge</h1><p>Text.</p></body></html>`,
			want: want{title: "Rene Benko-Firma Signa in Sorge"},
		},
		{
			name: "printed headline without the kicker of og:title",
			page: `<html><head><meta property="og:title" content="Olympische Spiele in Paris - Getränke per Schiff ins Stadtzentrum"></head>` +
				`<body><article><h1>Getränke per Schiff ins Stadtzentrum</h1><p>Text.</p></article></body></html>`,
			want: want{title: "Getränke per Schiff ins Stadtzentrum"},
		},
		{
			name: "a marked-up kicker in the h1 stays out of the headline",
			page: `<html><head><title>Klimaschutz: Bohren, bis es heiß wird | ZEIT ONLINE</title><meta property="og:title" content="Klimaschutz: Bohren, bis es heiß wird"></head>` +
				`<body><h1 class="article-heading"><span class="article-heading__kicker">Klimaschutz</span><span class="visually-hidden">: </span><span class="article-heading__title">Bohren, bis es heiß wird</span></h1><p>Text.</p></body></html>`,
			want: want{title: "Bohren, bis es heiß wird"},
		},
		{
			name: "a dachzeile reworded in the title stays out too",
			page: `<html><head><title>Corona-Lockerungen: Autohäuser rechnen mit langsamem Anlaufen des Geschäfts | MDR.DE</title></head>` +
				`<body><h1><span class="dachzeile">Nach Corona-Lockerungen</span> <span class="headline">Autohäuser rechnen mit langsamem Anlaufen des Geschäfts</span></h1></body></html>`,
			want: want{title: "Autohäuser rechnen mit langsamem Anlaufen des Geschäfts"},
		},
		{
			name: "a subtitle under the headline is no part of it",
			page: `<html><head><meta property="og:title" content="Dezuka Suisan: Deep-Fried Fish Cakes, Hot and Fresh"></head>` +
				`<body><h1 class="article-title"><span>Dezuka Suisan: Deep-Fried Fish Cakes, Hot <span class="conjunction">and</span> Fresh</span> <small class="article-subtitle">Welcome to the Flavor Capital of Northern Japan</small></h1></body></html>`,
			want: want{title: "Dezuka Suisan: Deep-Fried Fish Cakes, Hot and Fresh"},
		},
		{
			name: "the printed heading is the title without its tail",
			page: `<html><head><title>Ferienhaus Feinen (40222) - Ferienhaus Lierfeld</title></head>` +
				`<body><h1 class="logo">Travanto</h1><h1 itemprop="name">Ferienhaus Feinen</h1><p>Text.</p></body></html>`,
			want: want{title: "Ferienhaus Feinen"},
		},
		{
			name: "the printed heading is the title without its kicker",
			page: `<html><head><title>SONNENENERGIE: Der WindRebell</title></head>` +
				`<body><h1 class="pageTitel">Der WindRebell</h1><p>Text.</p></body></html>`,
			want: want{title: "Der WindRebell"},
		},
		{
			name: "a heading that only ends the title without a separator is not its headline",
			page: `<html><head><title>Der Kampf um den WindRebell</title></head>` +
				`<body><h1>den WindRebell</h1><p>Text.</p></body></html>`,
			want: want{title: "Der Kampf um den WindRebell"},
		},
		{
			name: "the h1 linking home names the site, also inside <title>",
			page: `<html><head><title>Enchufla Figuren - Salsa-Figuren - Rueda in Berlin</title></head>` +
				`<body><h1><a href="/"><span>Salsa-Figuren - Rueda in Berlin</span></a></h1><p>Text.</p></body></html>`,
			want: want{title: "Enchufla Figuren"},
		},
		{
			name: "an h1 with an anchor but no home link is the headline",
			page: `<html><head><title>ORSO MARSICANO: 2019 UN ANNO DA RECORD | Parco Nazionale</title></head>` +
				`<body><h1><a id="top"></a>ORSO MARSICANO: 2019 UN ANNO DA RECORD</h1><p>Text.</p></body></html>`,
			want: want{title: "ORSO MARSICANO: 2019 UN ANNO DA RECORD"},
		},
		{
			name: "a Chinese site name glued to the headline",
			page: `<html><head><title>武汉的声音：有英勇的你，才有英雄的城！-新华网</title></head><body><p>Text.</p></body></html>`,
			want: want{title: "武汉的声音：有英勇的你，才有英雄的城！"},
		},
		{
			name: "channel and site after underscores",
			page: `<html><head><title>DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶_科技_腾讯网</title></head><body><p>Text.</p></body></html>`,
			want: want{title: "DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶"},
		},
		{
			name: "a rewritten printed headline does not replace og:title",
			page: `<html><head><meta property="og:title" content="Apple’s Vision Pro hands-on: the Retina display moment for headsets"></head>` +
				`<body><article><h1>Apple’s Vision Pro is the Retina display moment for headsets</h1><p>Text.</p></article></body></html>`,
			want: want{title: "Apple’s Vision Pro hands-on: the Retina display moment for headsets"},
		},
		{
			name: "json-ld array, several authors, invalid block skipped",
			page: `<html lang="en"><head>
<script type="application/ld+json">{ this is not json </script>
<script type="application/ld+json">[{"@type":"Organization","name":"Daily Planet"},
 {"@type":"NewsArticle","headline":"Two Bylines","datePublished":"2019-03-06",
  "author":[{"@type":"Person","name":"Lois Lane"},{"@type":"Person","name":"Clark Kent"},{"@type":"Organization","name":"Daily Planet"}],
  "publisher":{"@type":"Organization","name":"Daily Planet"}}]</script>
</head><body><h1>Two Bylines</h1></body></html>`,
			want: want{site: "Daily Planet", title: "Two Bylines", lang: "en", published: "2019-03-06", authors: []string{"Lois Lane", "Clark Kent"}},
		},
		{
			name: "json-ld review of a movie",
			page: `<html><head><script type="application/ld+json">
{"@context":"https://schema.org","@type":"Review","name":"Her","author":"By Jane Doe",
 "reviewRating":{"@type":"Rating","ratingValue":4.5,"bestRating":"5","worstRating":"0"},
 "itemReviewed":{"@type":"Movie","name":"Her","dateCreated":"2013-12-18"},
 "publisher":{"@type":"Organization","name":"Reel Site"}}</script></head><body><h1>Her</h1></body></html>`,
			want: want{site: "Reel Site", title: "Her", authors: []string{"Jane Doe"}, ratingRaw: "4.5", ratingValue: 4.5, ratingBest: 5,
				itemName: "Her", itemType: "Movie", itemYear: 2013},
		},
		{
			name: "microdata review",
			page: `<html><body><div itemscope itemtype="https://schema.org/Review">
<h1 itemprop="name">A Fine Novel</h1>
<span itemprop="author" itemscope itemtype="https://schema.org/Person">by <span itemprop="name">Ann Reader</span></span>
<meta itemprop="datePublished" content="2018-07-02">
<div itemprop="itemReviewed" itemscope itemtype="https://schema.org/Book"><span itemprop="name">Middlemarch</span></div>
<div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating"><span itemprop="ratingValue">8</span>/<span itemprop="bestRating">10</span></div>
</div>
<ol class="comment-list"><li itemscope itemtype="https://schema.org/Comment"><span itemprop="author">Troll Person</span><meta itemprop="datePublished" content="2018-07-09"></li></ol>
</body></html>`,
			want: want{title: "A Fine Novel", published: "2018-07-02", authors: []string{"Ann Reader"}, ratingRaw: "8", ratingValue: 8, ratingBest: 10,
				itemName: "Middlemarch", itemType: "Book"},
		},
		{
			name: "opengraph with base href and title suffix",
			url:  "file:///tmp/page.html",
			page: `<html><head><base href="https://films.example.com/reviews/">
<title>Her (2013) - Review | Reel Thoughts</title>
<meta property="og:title" content="Her | Reel Thoughts"><meta property="og:site_name" content="Reel Thoughts">
<meta property="og:url" content="her"><meta property="og:locale" content="en_GB">
<meta property="og:description" content="An unusual romance."></head><body><h1>Her</h1></body></html>`,
			want: want{canonical: "https://films.example.com/reviews/her", site: "Reel Thoughts", title: "Her", desc: "An unusual romance.", lang: "en_GB"},
		},
		{
			name: "meta names",
			page: `<html><head><meta http-equiv="content-language" content="fr">
<meta name="author" content="Jeanne Martin and Paul Durand"><meta name="parsely-pub-date" content="2017-11-30T08:00:00Z">
<meta name="description" content="Résumé."><meta name="application-name" content="Le Site">
<link rel="canonical" href="/article/42"></head><body><h1>Titre</h1></body></html>`,
			url: "https://lesite.example.fr/x",
			want: want{canonical: "https://lesite.example.fr/article/42", site: "Le Site", title: "Titre", desc: "Résumé.", lang: "fr",
				published: "2017-11-30T08:00:00Z", authors: []string{"Jeanne Martin", "Paul Durand"}},
		},
		{
			name: "article:author URL and staff are not names",
			page: `<html><head><meta property="article:author" content="https://facebook.com/someone">
<meta name="author" content="Staff"><meta property="article:published_time" content="2016-01-02T03:04:05+00:00">
</head><body><article><h1>Headline Here</h1><p class="byline">By <a rel="author" href="/u/k">Kim Park</a></p></article></body></html>`,
			want: want{title: "Headline Here", published: "2016-01-02T03:04:05+00:00", authors: []string{"Kim Park"}},
		},
		{
			name: "time datetime in article, not in comments or header",
			page: `<html><body><header class="site-header"><time datetime="2024-06-13">Today</time></header>
<article><h1>Post Title</h1><div class="entry-meta"><time datetime="2014-02-27T21:14:37+00:00">February 27, 2014</time>
<span class="author vcard"><a class="url fn n" href="/author/liam/">Liam</a></span></div><p>Body text.</p>
<ol class="commentlist"><li class="comment"><div class="comment-author vcard"><b class="fn">Reader One</b></div><time datetime="2014-03-01T10:00:00+00:00">March 1</time></li></ol>
</article></body></html>`,
			want: want{title: "Post Title", published: "2014-02-27T21:14:37+00:00", authors: []string{"Liam"}},
		},
		{
			name: "visible date line beats header top bar date",
			page: `<html><head><title>Why You Should Watch It | Flicks</title></head><body>
<div class="td-header-wrap"><div class="top-bar-date">Thursday, June 13, 2024</div><div class="logo">Flicks</div></div>
<article><div class="post-header"><h1 class="entry-title">Why You Should Watch It</h1>
<div class="post-author-name">By <a href="/author/dana/">Dana Whitlock</a> - </div><span class="post-date">March 6, 2019</span></div>
<div class="post-content"><p>Long article text that goes on.</p></div></article>
<footer class="site-footer">© 2024 Flicks</footer></body></html>`,
			want: want{site: "Flicks", title: "Why You Should Watch It", published: "March 6, 2019", authors: []string{"Dana Whitlock"}},
		},
		{
			name: "date and author in one line",
			page: `<html><head><meta property="og:title" content="Film Threat Review:&nbsp;Her"></head><body>
<div id="header"><h1>Jessica Baxter</h1></div>
<div class="post hentry"><h2 class="posttitle">Film Threat Review: Her</h2>
<p class="date">December 30, 2013 &middot; by Jessica Baxter</p><p>Review text.</p></div></body></html>`,
			want: want{title: "Film Threat Review: Her", published: "December 30, 2013", authors: []string{"Jessica Baxter"}},
		},
		{
			name: "glued byline and relative date",
			page: `<html><body><article><h1>Her Review</h1>
<div class="Byline"><span class="Author">By <a href="/authors/jamie">Jamie Lammers</a></span><span class="PublishedAt">Published 3 years ago</span></div>
<p>Text.</p></article></body></html>`,
			want: want{title: "Her Review", published: "3 years ago", authors: []string{"Jamie Lammers"}},
		},
		{
			name: "post footer names the author",
			page: `<html><body><article class="post"><h1>Quiet Post</h1><p>Some text of the post.</p>
<p class="postmetadata">This entry was posted in Film on 4 May 2012 by Liam Byrne.</p></article></body></html>`,
			want: want{title: "Quiet Post", published: "4 May 2012", authors: []string{"Liam Byrne"}},
		},
		{
			name: "byline and date on lines of their own",
			page: `<html><body><article><h1>Small Plates Review</h1>
<div class="meta">By Odile Marchetti<br>May 3, 2025</div><p>Review text.</p></article></body></html>`,
			want: want{title: "Small Plates Review", published: "May 3, 2025", authors: []string{"Odile Marchetti"}},
		},
		{
			name: "byline block with label, name and role in separate elements",
			page: `<html><body><article><h1>Harbour Lights Review</h1>
<div class="author-block"><span>By</span><div>Tomas Wexley</div><div>Restaurant Critic</div></div><p>Review text.</p></article></body></html>`,
			want: want{title: "Harbour Lights Review", authors: []string{"Tomas Wexley"}},
		},
		{
			name: "byline run into a month-name date",
			page: `<html><body><article><h1>Late Supper Review</h1>
<p class="post-info">By Odile Marchetti June 12, 2024</p><p>Review text.</p></article></body></html>`,
			want: want{title: "Late Supper Review", published: "June 12, 2024", authors: []string{"Odile Marchetti"}},
		},
		{
			name: "title from heading inside a prefixed title",
			page: `<html><head><title>Four Years » Blog Archive » Interning of Small Integers</title></head>
<body><div id="header"><h1>Four Years</h1></div><div class="post"><h2>Interning of Small Integers</h2><p>x</p></div></body></html>`,
			want: want{title: "Interning of Small Integers"},
		},
		{
			name: "site name from title suffix",
			page: `<html><head><title>Her Review – Film Threat</title></head><body><h1>Her Review</h1></body></html>`,
			want: want{site: "Film Threat", title: "Her Review"},
		},
		{
			name: "no metadata",
			page: `<html><body><p>Just some text, no title, no date, © 2024 nobody.</p></body></html>`,
			want: want{},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := metaParseDoc(t, c.page)
			before, _ := doc.Html()
			got := extractMeta(doc, c.url)
			if after, _ := doc.Html(); after != before {
				t.Errorf("extractMeta modified the document")
			}
			w := c.want
			check := func(field, got, want string) {
				if want != "" && got != want {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
			check("canonical", got.CanonicalURL, w.canonical)
			check("site", got.SiteName, w.site)
			check("title", got.Title, w.title)
			check("description", got.Description, w.desc)
			check("language", got.Language, w.lang)
			check("rating_raw", got.RatingRaw, w.ratingRaw)
			check("item_name", got.ItemName, w.itemName)
			check("item_type", got.ItemType, w.itemType)
			if got.Published != w.published {
				t.Errorf("published = %q, want %q", got.Published, w.published)
			}
			if strings.Join(got.Authors, "|") != strings.Join(w.authors, "|") {
				t.Errorf("authors = %q, want %q", got.Authors, w.authors)
			}
			if w.ratingValue != 0 && (got.RatingValue == nil || *got.RatingValue != w.ratingValue) {
				t.Errorf("rating_value = %v, want %v", got.RatingValue, w.ratingValue)
			}
			if w.ratingBest != 0 && (got.RatingBest == nil || *got.RatingBest != w.ratingBest) {
				t.Errorf("rating_best = %v, want %v", got.RatingBest, w.ratingBest)
			}
			if w.itemYear != 0 && (got.ItemYear == nil || *got.ItemYear != w.itemYear) {
				t.Errorf("item_year = %v, want %d", got.ItemYear, w.itemYear)
			}
		})
	}
}

func TestMetaCleanAuthorsLenient(t *testing.T) {
	for in, want := range map[string]string{
		"freeman1984":     "freeman1984",
		"ThE_PaiN":        "ThE_PaiN",
		"CC7567":          "", // an id, not a user name
		"robert.stitz":    "Robert Stitz",
		"edilson.la.rosa": "Edilson La Rosa",
		"przepisy.pl":     "przepisy.pl",
		"No Author":       "",
	} {
		if got := strings.Join(metaCleanAuthors(in, true), "|"); got != want {
			t.Errorf("metaCleanAuthors(%q, lenient) = %q, want %q", in, got, want)
		}
	}
}

func TestMetaByName(t *testing.T) {
	for in, want := range map[string]string{
		"Autor: Peter Maahn":                                      "Peter Maahn",
		"05.02.2020 - Redaktion: Eberhard Fuhr":                   "Eberhard Fuhr",
		"Interview: Julia Lauter":                                 "Julia Lauter",
		"Posted by Jane Doe":                                      "Jane Doe",
		"Kategorie: Synchronschwimmen":                            "",
		"Text von Christian Seiler Illustration von Markus Roost": "Christian Seiler",
	} {
		got, _ := metaByName(in)
		if got != want {
			t.Errorf("metaByName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMetaCleanAuthors(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"By Jane Doe", []string{"Jane Doe"}},
		{"by: Jane Doe", []string{"Jane Doe"}},
		{"Posted by Jane Doe on March 3, 2020", []string{"Jane Doe"}},
		{"Staff", nil},
		{"Admin", nil},
		{"https://example.com/jane", nil},
		{"jane@example.com", nil},
		{"Jane Doe and John Roe", []string{"Jane Doe", "John Roe"}},
		{"Jane Doe, John Roe", []string{"Jane Doe", "John Roe"}},
		{"Jane Doe & John Roe", []string{"Jane Doe", "John Roe"}},
		{"Jamie LammersPublished 3 years ago", []string{"Jamie Lammers"}},
		{"Dana Whitlock - ", []string{"Dana Whitlock"}},
		{"Von David Hutzler, dpa", []string{"David Hutzler"}},
		{"Peter Maahn/SP-X", []string{"Peter Maahn"}},
		{"Colette Baptiste May 3, 2025", []string{"Colette Baptiste"}},
		{"By Jane Doe Sept. 14, 2023", []string{"Jane Doe"}},
		{"Von Jonas Eberhardt Mai 2, 2025", []string{"Jonas Eberhardt"}},
		{"More Posts", nil},
		{"read the whole thing", nil},
		{"Text", nil},
		{"Zur Artikelübersicht", nil},
		{"freeman1984", nil}, // a handle only where the field is certainly an author's
		{"Olympia-Verlag GmbH, Nürnberg, Germany", []string{"Olympia-Verlag GmbH"}},
		{"publisher", nil},
		{"wordpressadmin", nil},
		{"Bild © hr", nil},
		{"© Kathrin Führes", []string{"Kathrin Führes"}},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			if got := metaCleanAuthors(c.in, false); strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("metaCleanAuthors(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestMetaStripSite(t *testing.T) {
	cases := []struct{ title, site, host, want string }{
		{"Her Review – Film Threat", "Film Threat", "", "Her Review"},
		{"Her (2013) - Review | Reel Thoughts", "Reel Thoughts", "", "Her (2013) - Review"},
		{"Reel Thoughts | Her", "Reel Thoughts", "", "Her"},
		{"Why It Matters | Flickside", "", "www.flickside.com", "Why It Matters"},
		{"Spider-Man - A Review", "Example", "", "Spider-Man - A Review"},
		{"Plain title", "Site", "", "Plain title"},
	}
	for _, c := range cases {
		if got := metaStripSite(c.title, c.site, c.host); got != c.want {
			t.Errorf("metaStripSite(%q, %q, %q) = %q, want %q", c.title, c.site, c.host, got, c.want)
		}
	}
}

func FuzzExtractMeta(f *testing.F) {
	f.Add(`<html><head><script type="application/ld+json">{"@graph":[{"@type":"Review","author":{"@id":"x"}},{"@id":"x","name":"A B"}]}</script></head></html>`)
	f.Add(`<article><h1>T</h1><p class="byline">By A B on March 6, 2019</p></article>`)
	f.Fuzz(func(t *testing.T, page string) {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
		if err != nil {
			return
		}
		extractMeta(doc, "https://example.com/")
	})
}

// metaClassSamples are class/id strings that sit on the edges of the
// hint matchers' words, anchors and case folding.
var metaClassSamples = []string{
	"", " ", "on", "-on", "x-on", "x_on", "xon", "button", "post-meta", "entry-date published", "Posted-On", "posted_on",
	"byline", "by-line", "by", "x-by", "by_x", "x-by-y", "xby", "bye", "post-by", "postedby", "POSTED-BY", "standby",
	"fn", "x-fn", "x_fn", "xfn", "fn-x", "vcard", "Author", "author-avatar", "author_bio", "writer desc", "url", "x-url",
	"reading-time", "readingtime", "read-time", "ReadTime", "runtime", "updated", "modified", "edited",
	"header", "site-header", "entry-header", "top-bar", "topbar", "nav", "navbar", "main-nav", "main_nav", "canvas",
	"has-sidebar", "with_menu", "no-share", "is-related", "show-promo", "hide-x", "without-teaser", "share", "sharedaddy",
	"comment", "comments", "Comments", "commentlist", "comment-list", "comments-area", "comment-body", "comment_x",
	"comment-count", "comment-link", "x-comment", "x_comments", "respond", "replies", "disqus_thread", "discussion",
	"reactions", "responses", "commentary", "hentry", "h-entry", "post", "single-post", "type-post", "blog-post",
	"post-content", "article-content", "story", "widget_recent", "yarpp-related", "more-stories", "breadcrumbs",
	"masthead", "trending", "popular", "recommend", "newsletter", "teaser", "menu", "title", "content",
	"ſtory", "poſted", "\u212avcard", "AUTHOR\u00a0box", "tİtle", "autor", "auteur", "fecha", "datum", "timestamp",
}

// TestHintMatchersAgree checks the substring shortcuts against the
// regexps they stand for, on single strings and on the joins the pickers
// ask about.
func TestHintMatchersAgree(t *testing.T) {
	matchers := map[string]hintMatcher{
		"metaDateWords": metaDateWords, "metaNotDateWords": metaNotDateWords,
		"metaAuthorWords": metaAuthorWords, "metaArticleWords": metaArticleWords,
	}
	for name, m := range matchers {
		t.Run(name, func(t *testing.T) {
			for _, a := range metaClassSamples {
				if got, want := m.MatchString(a), m.re.MatchString(a); got != want {
					t.Errorf("MatchString(%q) = %v, want %v", a, got, want)
				}
				for _, b := range metaClassSamples[:20] {
					parts := []string{b, a, b}
					if got, want := m.matchParts(parts...), m.re.MatchString(strings.Join(parts, " ")); got != want {
						t.Errorf("matchParts(%q) = %v, want %v", parts, got, want)
					}
					parts = []string{a, "", b}
					if got, want := m.matchParts(parts...), m.re.MatchString(strings.Join(parts, " ")); got != want {
						t.Errorf("matchParts(%q) = %v, want %v", parts, got, want)
					}
				}
			}
		})
	}
}

// TestMetaTokenKind checks the token classifier against the regexps.
func TestMetaTokenKind(t *testing.T) {
	for _, tok := range metaClassSamples {
		if got, want := metaTokenKind(tok)&^tokField, metaTokenKindRE(tok); got != want {
			t.Errorf("metaTokenKind(%q) = %04b, want %04b", tok, got, want)
		}
	}
}

// FuzzMetaClassMatchers holds the class-word shortcuts to their regexps
// on any input.
func FuzzMetaClassMatchers(f *testing.F) {
	for i, s := range metaClassSamples {
		f.Add(s, metaClassSamples[(i+7)%len(metaClassSamples)], metaClassSamples[(i+13)%len(metaClassSamples)])
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		if got, want := metaTokenKind(a)&^tokField, metaTokenKindRE(a); got != want {
			t.Errorf("metaTokenKind(%q) = %04b, want %04b", a, got, want)
		}
		for _, m := range []hintMatcher{metaDateWords, metaNotDateWords, metaAuthorWords, metaArticleWords} {
			if got, want := m.matchParts(a, b, c), m.re.MatchString(a+" "+b+" "+c); got != want {
				t.Errorf("%v: matchParts(%q, %q, %q) = %v, want %v", m.re, a, b, c, got, want)
			}
		}
		if got, want := metaMaybeBy(a), metaByPhrase.MatchString(a); want && !got {
			t.Errorf("metaMaybeBy(%q) = false, but metaByPhrase matches", a)
		}
	})
}

// metaTextRef and metaLinesRef are the straightforward versions of
// metaText and metaLines (build the raw text, then collapse it), which
// the single-pass collapser must agree with.
func metaTextRef(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
		case html.ElementNode:
			switch n.Data {
			case "script", "style", "noscript", "template":
				return
			case "br", "p", "div", "li":
				b.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func metaLinesRef(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(strings.ReplaceAll(n.Data, "\n", " "))
		case html.ElementNode:
			switch n.Data {
			case "script", "style", "noscript", "template":
				return
			case "br":
				b.WriteByte('\n')
			case "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
				"section", "article", "header", "footer", "address", "blockquote", "figure", "figcaption", "table", "tr":
				b.WriteByte('\n')
				defer b.WriteByte('\n')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	var lines []string
	for _, l := range strings.Split(b.String(), "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// checkMetaIndex compares, for every element of doc, the collapsed texts
// with their reference versions and the index's text size with them.
func checkMetaIndex(t *testing.T, doc *goquery.Document) {
	t.Helper()
	p := newMetaPage(doc, "https://example.com/")
	for i, n := range p.nodes {
		text, lines := dom.Text(n), dom.Lines(n)
		if want := metaTextRef(n); text != want {
			t.Fatalf("dom.Text(<%s>) = %q, want %q", n.Data, text, want)
		}
		if want := metaLinesRef(n); lines != want {
			t.Fatalf("dom.Lines(<%s>) = %q, want %q", n.Data, lines, want)
		}
		if size := int(p.info[i].text); size > len(text) || size > len(lines) {
			t.Fatalf("<%s>: indexed text size %d exceeds len(metaText) %d or len(metaLines) %d", n.Data, size, len(text), len(lines))
		}
	}
}

func FuzzMetaText(f *testing.F) {
	for _, s := range []string{
		"<div> a <b>b</b>\n<br> c<p>d\u00a0 e</p>f<li>g</li></div>",
		"<p>By <a>Jane</a><br>May 3, 2025</p><script>x y</script><h2> T </h2>",
		"<ul><li> x</li><li>y </li></ul>\t<table><tr><td>a</td></tr></table>\xff\xfe z",
		"<address>  </address><section><p></p><p> q </p></section>\u2028r",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, page string) {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
		if err != nil {
			t.Skip()
		}
		checkMetaIndex(t, doc)
	})
}

func TestURLDate(t *testing.T) {
	tests := []struct{ url, want string }{
		{"http://www.bibliothek2null.de/2014/05/18/alles-neue-mach-der-mai/", "2014-05-18"},
		{"http://www.xinhuanet.com/local/2020-02/19/c_1125597921.htm", "2020-02-19"},
		{"http://www.banyuetan.org/jmcs/detail/20200102/1000200033136171577956287380194268_1.html", "2020-01-02"},
		{"https://www.bmwi.de/Redaktion/DE/Meldung/2022/20220124-foerderung.html", "2022-01-24"},
		{"https://web.archive.org/web/20080731095558/http://www.dimido.de/2008/07/29/was-ist-virales-marketing/", "2008-07-29"},
		{"https://web.archive.org/web/20150721045344/http://example.com/about/", ""},
		{"https://www.befifty.de/home/2017/7/12/unter-uns-montauk", "2017-07-12"},
		{"https://weisser-ring.de/media-news/meldungen/29-10-2021", "2021-10-29"},
		{"https://example.com/items/12-14-2021/", ""},
		{"https://example.com/2019/13/45/not-a-date/", ""},
		{"https://example.com/products/12345678/", ""},
		{"https://example.com/reviews/her/", ""},
		{"file:///home/ana/archive/2024/05/18/her-review.html", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := urlDate(tt.url); got != tt.want {
			t.Errorf("urlDate(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}
