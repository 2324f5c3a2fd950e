package extract

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// renderHTML writes the children of the first <div> of page with a fresh
// blockWriter, as the body does after choosing and pruning.
func renderHTML(t *testing.T, page string, opts bodyOptions) rendered {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatalf("parsing: %v", err)
	}
	w := newBlockWriter(opts)
	for _, n := range doc.Find("div").First().Nodes {
		w.walk(n)
	}
	return w.article()
}

func TestBlockStructure(t *testing.T) {
	tests := []struct {
		name     string
		page     string
		text     string
		markdown string
	}{
		{
			name:     "heading and paragraphs",
			page:     `<div><h2>Verdict</h2><p>It is <em>very</em> good.</p><p>Buy it, <strong>now</strong>.</p></div>`,
			text:     "Verdict\n\nIt is very good.\n\nBuy it, now.",
			markdown: "## Verdict\n\nIt is *very* good.\n\nBuy it, **now**.",
		},
		{
			name:     "each list item is a block",
			page:     `<div><p>Pros:</p><ul><li>Fast</li><li>Quiet <b>and</b> cheap</li></ul><ol start="3"><li>Third</li><li>Fourth</li></ol></div>`,
			text:     "Pros:\n\nFast\n\nQuiet and cheap\n\nThird\n\nFourth",
			markdown: "Pros:\n\n- Fast\n- Quiet **and** cheap\n\n3. Third\n4. Fourth",
		},
		{
			name:     "nested list and paragraphs in an item",
			page:     `<div><ul><li><p>Outer</p><ul><li>Inner</li></ul></li><li>Next</li></ul></div>`,
			text:     "Outer\n\nInner\n\nNext",
			markdown: "- Outer\n    - Inner\n- Next",
		},
		{
			name:     "block quote is its own block",
			page:     `<div><p>He said:</p><blockquote><p>First line.</p><p>Second line.</p></blockquote><p>After.</p></div>`,
			text:     "He said:\n\nFirst line.\n\nSecond line.\n\nAfter.",
			markdown: "He said:\n\n> First line.\n\n> Second line.\n\nAfter.",
		},
		{
			name:     "bare text in a quote",
			page:     `<div><blockquote>Quoted words.</blockquote></div>`,
			text:     "Quoted words.",
			markdown: "> Quoted words.",
		},
		{
			name:     "pre keeps its lines",
			page:     "<div><p>Code:</p><pre><code>func main() {\n\tfmt.Println(\"hi\")\n\n}\n</code></pre></div>",
			text:     "Code:\n\nfunc main() {\n\tfmt.Println(\"hi\")\n}",
			markdown: "Code:\n\n```\nfunc main() {\n\tfmt.Println(\"hi\")\n\n}\n```",
		},
		{
			name:     "inline code and markup characters",
			page:     `<div><p>Run <code>go test</code> on *all* files_now.</p></div>`,
			text:     "Run go test on *all* files_now.",
			markdown: "Run `go test` on \\*all\\* files\\_now.",
		},
		{
			name:     "emphasis keeps the spaces outside the marks",
			page:     `<div><p>A<em> spaced </em>word.</p></div>`,
			text:     "A spaced word.",
			markdown: "A *spaced* word.",
		},
		{
			name:     "br splits blocks",
			page:     `<div><p>One line<br>Another line</p></div>`,
			text:     "One line\n\nAnother line",
			markdown: "One line\n\nAnother line",
		},
		{
			name:     "table rows are blocks, cells spaced",
			page:     `<div><table><tr><th>Score</th><td>9/10</td></tr><tr><td>Price</td><td>$20</td></tr></table></div>`,
			text:     "Score 9/10\n\nPrice $20",
			markdown: "Score 9/10\n\nPrice $20",
		},
		{
			name:     "trailing heading without text is dropped",
			page:     `<div><p>Body text.</p><h3>Related</h3></div>`,
			text:     "Body text.",
			markdown: "Body text.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renderHTML(t, tt.page, bodyOptions{Markdown: true})
			if got.Text != tt.text {
				t.Errorf("text:\n got %q\nwant %q", got.Text, tt.text)
			}
			if got.Markdown != tt.markdown {
				t.Errorf("markdown:\n got %q\nwant %q", got.Markdown, tt.markdown)
			}
			plain := renderHTML(t, tt.page, bodyOptions{})
			if plain.Text != tt.text || plain.Markdown != "" {
				t.Errorf("without Markdown: got %q / %q, want %q / \"\"", plain.Text, plain.Markdown, tt.text)
			}
		})
	}
}

func TestExtractBodyMarkdownOnlyWhenAsked(t *testing.T) {
	page := `<html><body><nav><a href="/">Home</a></nav><article class="post"><h1>Title</h1><div class="entry-content">` +
		p("First "+prose) + `<h2>Verdict</h2>` + p("Second "+prose) + `<ul><li>Good value, with commas, and more words in it</li><li>Long battery life, and then some more words</li></ul></div></article></body></html>`
	for _, md := range []bool{false, true} {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
		if err != nil {
			t.Fatalf("parsing: %v", err)
		}
		b := extractBody(doc, &meta{Title: "Title"}, bodyOptions{Markdown: md})
		if !strings.Contains(b.Text, "\n\nVerdict\n\n") {
			t.Errorf("Markdown %v: heading is not a block of the text: %q", md, b.Text)
		}
		switch {
		case !md && b.Markdown != "":
			t.Errorf("Markdown off: got Markdown %q", b.Markdown)
		case md && !strings.Contains(b.Markdown, "\n\n## Verdict\n\n") || md && !strings.Contains(b.Markdown, "\n- Long battery life"):
			t.Errorf("Markdown on: got %q", b.Markdown)
		}
	}
}

func TestRenderNodes(t *testing.T) {
	page := `<html><body><div class="a"><h2>Part one</h2>` + p("First "+prose) +
		`<script>var x = 1;</script><p style="display:none">hidden words</p><div class="share-buttons"><a href="/s">Share</a></div>` +
		`<figure><img src="x.jpg"><figcaption>A caption</figcaption></figure><!-- a comment --></div>` +
		`<aside>Sidebar words</aside><div class="b"><p class="inner">` + "Second " + prose + `</p><blockquote>A quote.</blockquote></div></body></html>`
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatalf("parsing: %v", err)
	}
	// .inner lies inside .b: it must be rendered once, with .b.
	nodes := doc.Find(".a, .inner, .b").Nodes
	got := renderNodes(nodes, bodyOptions{Markdown: true})
	wantText := "Part one\n\nFirst " + prose + "\n\nSecond " + prose + "\n\nA quote."
	if got.Text != wantText {
		t.Errorf("text:\n got %q\nwant %q", got.Text, wantText)
	}
	wantMD := "## Part one\n\nFirst " + prose + "\n\nSecond " + prose + "\n\n> A quote."
	if got.Markdown != wantMD {
		t.Errorf("markdown:\n got %q\nwant %q", got.Markdown, wantMD)
	}
	if got.Comments != nil {
		t.Errorf("comments = %v, want none", got.Comments)
	}
	if b := renderNodes(nil, bodyOptions{}); b.Text != "" {
		t.Errorf("no nodes: got %q", b.Text)
	}
	if b := renderNodes([]*html.Node{{Type: html.TextNode, Data: "  bare   text "}}, bodyOptions{}); b.Text != "bare text" {
		t.Errorf("text node: got %q", b.Text)
	}
}
