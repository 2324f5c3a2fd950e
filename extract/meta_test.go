package extract

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
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
