package extract

import (
	"bytes"
	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

func TestDebugBody(t *testing.T) {
	f := os.Getenv("DEBUG_PAGE")
	if f == "" {
		t.Skip()
	}
	var raw []byte
	var err error
	if strings.HasSuffix(f, ".gz") {
		raw, err = readGz(f)
	} else {
		raw, err = os.ReadFile(filepath.Clean(f))
	}
	if err != nil {
		t.Fatal(err)
	}
	ex, _ := New(DefaultConfig(), nil)
	r, err := ex.Extract(context.Background(), &record.Page{URL: "http://x/", Body: raw})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(r.Body)
	fmt.Println("---- comments:", len(r.Comments))
	for _, c := range r.Comments {
		fmt.Printf("%q | %q | %.80q\n", c.Author, c.Published, c.Body)
	}
	_ = record.ReasonEmpty
}

func TestDebugPath(t *testing.T) {
	f := os.Getenv("DEBUG_PAGE")
	snip := os.Getenv("DEBUG_SNIP")
	if f == "" || snip == "" {
		t.Skip()
	}
	raw, err := readGz(f)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := goquery.NewDocumentFromReader(bytes.NewReader(raw))
	root := doc.Nodes[0]
	clean(root)
	var find func(n *html.Node) *html.Node
	find = func(n *html.Node) *html.Node {
		if n.Type == html.TextNode && strings.Contains(normSpace(n.Data), snip) {
			return n
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if r := find(c); r != nil {
				return r
			}
		}
		return nil
	}
	n := find(root)
	if n == nil {
		fmt.Println("snippet not found after clean")
		return
	}
	for p := n.Parent; p != nil && p.Type == html.ElementNode; p = p.Parent {
		fmt.Printf("%s class=%q id=%q hint=%+v\n", p.Data, attr(p, "class"), attr(p, "id"), computeHint(p))
	}
}
