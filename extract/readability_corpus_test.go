package extract

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/reviewpipe/reviewpipe/internal/record"
	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// readabilityPageURL is the URL Mozilla's test pages were saved under; their
// relative links and metadata assume it.
const readabilityPageURL = "http://fakehost/test/page.html"

// TestReadabilityShingleF1 scores the body on Mozilla Readability's test
// pages against Readability's own output: per page, the precision and
// recall of our 4-gram word shingles against those of expected.html;
// precision and recall are averaged over pages and the score is the F1 of
// the two means. Each page is a subtest, so one can be run alone; the floor
// is checked only over the full corpus.
//
//	go test ./extract/ -run TestReadabilityShingleF1 -v | grep pages
func TestReadabilityShingleF1(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test skipped in -short mode")
	}
	dir := testshared.Path(t, "corpus", "readability")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("reading corpus: %v", err)
	}
	ex, err := New(DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var sumP, sumR float64
	pages := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			src, err := testshared.ReadGzip(filepath.Join(dir, e.Name(), "source.html.gz"))
			if err != nil {
				t.Fatalf("reading source: %v", err)
			}
			exp, err := testshared.ReadGzip(filepath.Join(dir, e.Name(), "expected.html.gz"))
			if err != nil {
				t.Fatalf("reading expected: %v", err)
			}
			want, err := htmlText(exp)
			if err != nil {
				t.Fatalf("parsing expected: %v", err)
			}
			got := ""
			r, err := ex.Extract(context.Background(), &record.Page{URL: readabilityPageURL, Body: src})
			switch _, rejected := record.AsReject(err); {
			case err == nil:
				got = r.Body
			case rejected:
				t.Logf("rejected: %v", err)
			default:
				t.Fatalf("Extract: %v", err)
			}
			p, rc := shingleScore(got, want)
			sumP += p
			sumR += rc
			pages++
			if p < 0.9 || rc < 0.9 {
				t.Logf("precision %.3f recall %.3f", p, rc)
			}
		})
	}
	if pages == 0 {
		t.Skip("readability corpus is empty")
	}
	p, rc := sumP/float64(pages), sumR/float64(pages)
	f := 0.0
	if p+rc > 0 {
		f = 2 * p * rc / (p + rc)
	}
	t.Logf("%d pages: precision %.3f recall %.3f F1 %.3f", pages, p, rc, f)
	if pages == len(entries) && f < 0.90 {
		t.Errorf("shingle F1 = %.3f, want at least 0.90", f)
	}
}

func TestShingleScore(t *testing.T) {
	tests := []struct {
		name          string
		got, want     string
		wantP, wantRc float64
	}{
		{"identical", "One two three four five.", "one, two; three four five", 1, 1},
		{"half extra", "a b c d", "a b c d e f g", 1, 0.25},
		{"short texts are one shingle", "a b", "a b", 1, 1},
		{"empty body", "", "a b c d", 0, 0},
		{"both empty", "", "", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, rc := shingleScore(tt.got, tt.want)
			if p != tt.wantP || rc != tt.wantRc {
				t.Errorf("shingleScore = %v, %v, want %v, %v", p, rc, tt.wantP, tt.wantRc)
			}
		})
	}
}

// shingleScore returns the precision and recall of got's 4-gram word
// shingles against want's. An empty side has perfect precision (or recall)
// only when the other side is empty too.
func shingleScore(got, want string) (p, rc float64) {
	g, w := shingles(got), shingles(want)
	if len(g) == 0 || len(w) == 0 {
		if len(g) == len(w) {
			return 1, 1
		}
		return 0, 0
	}
	common := 0
	for s := range g {
		if w[s] {
			common++
		}
	}
	return float64(common) / float64(len(g)), float64(common) / float64(len(w))
}

// shingles returns the set of 4-word runs of s's lower-cased words; a text
// of fewer than four words is one shingle.
func shingles(s string) map[string]bool {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := make(map[string]bool, len(words))
	if len(words) > 0 && len(words) < 4 {
		out[strings.Join(words, " ")] = true
	}
	for i := 0; i+4 <= len(words); i++ {
		out[strings.Join(words[i:i+4], " ")] = true
	}
	return out
}

// htmlText returns the text of an HTML document with block elements and
// <br> separated by newlines, so that words of adjacent blocks never merge.
func htmlText(page []byte) (string, error) {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			sb.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Head:
				return
			}
		}
		sep := n.Type == html.ElementNode && (blockTags[n.DataAtom] || n.DataAtom == atom.Br || n.DataAtom == atom.Td || n.DataAtom == atom.Th)
		if sep {
			sb.WriteByte('\n')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if sep {
			sb.WriteByte('\n')
		}
	}
	walk(doc)
	return sb.String(), nil
}
