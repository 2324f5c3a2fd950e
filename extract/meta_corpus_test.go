package extract

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/reviewpipe/reviewpipe/internal/dates"
	"github.com/reviewpipe/reviewpipe/internal/dom"
	"github.com/reviewpipe/reviewpipe/internal/evalscore"
	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// metaScore counts, per field, the pages whose truth gives the field and
// the pages where we agree with it.
type metaScore struct{ title, titleOK, date, dateOK, author, authorOK int }

func (s *metaScore) report(t *testing.T, corpus string) {
	t.Helper()
	frac := func(ok, n int) float64 {
		if n == 0 {
			return 1
		}
		return float64(ok) / float64(n)
	}
	t.Logf("%s: title %.3f (%d/%d)  date %.3f (%d/%d)  author %.3f (%d/%d)", corpus,
		frac(s.titleOK, s.title), s.titleOK, s.title,
		frac(s.dateOK, s.date), s.dateOK, s.date,
		frac(s.authorOK, s.author), s.authorOK, s.author)
	// Floors catch a regression a little below today's figures (2026-12-02:
	// trafilatura-eval 0.830 / 0.839 / 0.685, Readability 0.929 / 0.909 /
	// 0.816); the targets are 0.90 / 0.85 / 0.80.
	for _, f := range []struct {
		name       string
		got, floor float64
	}{
		{"title", frac(s.titleOK, s.title), 0.8},
		{"date", frac(s.dateOK, s.date), 0.8},
		{"author", frac(s.authorOK, s.author), 0.65},
	} {
		if f.got < f.floor {
			t.Errorf("%s: %s accuracy %.3f below floor %.2f", corpus, f.name, f.got, f.floor)
		}
	}
}

// TestMetaCorpusTrafilatura measures title, date and author accuracy on
// the trafilatura evaluation pages.
func TestMetaCorpusTrafilatura(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test skipped in -short mode")
	}
	pagesDir, cases := testshared.TrafilaturaEval(t)

	var s metaScore
	var persons, personsOK int // pages whose author truth names a person
	for _, want := range cases {
		t.Run(want.File, func(t *testing.T) {
			m := metaCorpusPage(t, filepath.Join(pagesDir, want.File+".gz"), want.URL)
			person := len(want.Authors) > 0 && !metaTruthNoPerson(want.Authors, want.URL)
			if person {
				persons++
				if metaAuthorMatch(m.Authors, want.Authors) {
					personsOK++
				}
			}
			if want.Title != "" {
				s.title++
				if metaTitleMatch(m.Title, want.Title) {
					s.titleOK++
				} else {
					t.Logf("title = %q, want %q", m.Title, want.Title)
				}
			}
			if want.Date != "" {
				s.date++
				if metaDateMatch(m.Published, want.Date) {
					s.dateOK++
				} else {
					t.Logf("published = %q, want %s", m.Published, want.Date)
				}
			}
			if len(want.Authors) > 0 {
				s.author++
				if metaAuthorMatch(m.Authors, want.Authors) {
					s.authorOK++
				} else {
					t.Logf("authors = %q, want %q", m.Authors, want.Authors)
				}
			}
		})
	}
	s.report(t, "trafilatura-eval")
	// The truth also names sites, organizations and "Redaktion" as
	// authors, which the issue says are no names; this is the score where
	// it names a person.
	t.Logf("trafilatura-eval: author on pages whose truth names a person %.3f (%d/%d)", float64(personsOK)/float64(max(persons, 1)), personsOK, persons)
}

// metaTruthNoPerson reports whether every expected author is a generic
// label or names the site or an organization, by the rules the extractor
// applies to its own candidates.
func metaTruthNoPerson(authors []string, pageURL string) bool {
	host := ""
	if u, err := url.Parse(pageURL); err == nil {
		host = u.Hostname()
	}
	for _, a := range authors {
		a = strings.TrimSpace(a)
		if !metaGenericAuthor[strings.ToLower(a)] && !metaAllOrgs([]string{a}, "", host) {
			return false
		}
	}
	return true
}

// TestMetaCorpusReadability measures the same fields on Mozilla
// Readability's test pages (byline as author, publishedTime as date).
func TestMetaCorpusReadability(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test skipped in -short mode")
	}
	dir := testshared.Path(t, "corpus", "readability")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("listing corpus: %v", err)
	}
	var s metaScore
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, name, "expected-metadata.json"))
			if err != nil {
				t.Fatalf("reading expected metadata: %v", err)
			}
			var want struct {
				Title         string `json:"title"`
				Byline        string `json:"byline"`
				PublishedTime string `json:"publishedTime"`
			}
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatalf("decoding expected metadata: %v", err)
			}
			m := metaCorpusPage(t, filepath.Join(dir, name, "source.html.gz"), "http://fakehost/test/page.html")
			if want.Title != "" {
				s.title++
				if metaTitleMatch(m.Title, want.Title) {
					s.titleOK++
				} else {
					t.Logf("title = %q, want %q", m.Title, want.Title)
				}
			}
			if d := metaISOPrefix(want.PublishedTime); d != "" {
				s.date++
				if metaDateMatch(m.Published, d) {
					s.dateOK++
				} else {
					t.Logf("published = %q, want %s", m.Published, d)
				}
			}
			if want.Byline != "" {
				s.author++
				if metaAuthorMatch(m.Authors, []string{want.Byline}) || metaBylineMatch(m.Authors, want.Byline) {
					s.authorOK++
				} else {
					t.Logf("authors = %q, want %q", m.Authors, want.Byline)
				}
			}
		})
	}
	s.report(t, "readability")
}

func metaCorpusPage(t *testing.T, path, pageURL string) meta {
	t.Helper()
	page, err := testshared.ReadGzip(path)
	if err != nil {
		t.Fatalf("reading page: %v", err)
	}
	// Decoded as the extractor decodes pages: some corpus pages are
	// Latin-1 or Windows-1252.
	page, _ = toUTF8(page, "")
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		t.Fatalf("parsing page: %v", err)
	}
	return extractMeta(doc, pageURL)
}

func metaTitleMatch(got, want string) bool { return evalscore.TitleMatch(got, want) }

// metaAuthorMatch and metaBylineMatch are the bench module's comparisons.
func metaAuthorMatch(got, want []string) bool { return evalscore.AuthorMatch(got, want) }

func metaBylineMatch(got []string, byline string) bool { return evalscore.BylineMatch(got, byline) }

// metaISOPrefix returns the calendar day an ISO timestamp of the truth
// names, "" for none.
func metaISOPrefix(s string) string {
	d, _ := evalscore.WrittenDay(s)
	return d
}

// metaDateMatch reports whether raw, the date string the page gave us,
// denotes the day want (YYYY-MM-DD) once the pipeline has parsed it: the
// day as written, or the UTC day of the instant dates.Parse makes
// of it. This is what lands in published_at, and what the bench module
// scores for every extractor.
func metaDateMatch(raw, want string) bool {
	var days []string
	if d, ok := evalscore.WrittenDay(raw); ok {
		days = append(days, d)
	}
	if t, _, ok := dates.Parse(raw, metaFetchedAt, time.UTC); ok {
		days = append(days, t.UTC().Format(time.DateOnly))
	}
	return evalscore.DateMatch(days, want)
}

// metaFetchedAt stands for the fetch time of the corpus pages, which were
// all saved before it.
var metaFetchedAt = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// TestMetaCorpusShortcuts checks the index and the class-word shortcuts
// of meta.go against the straightforward code they replace, on every
// element of the trafilatura evaluation pages: token kinds and hint
// matchers against their regexps, the collapsed texts of elements with
// short texts against their reference versions.
func TestMetaCorpusShortcuts(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test skipped in -short mode")
	}
	pagesDir, cases := testshared.TrafilaturaEval(t)
	seen := map[string]bool{} // the regexps are slow: each string once
	for _, c := range cases {
		t.Run(c.File, func(t *testing.T) {
			page, err := testshared.ReadGzip(filepath.Join(pagesDir, c.File+".gz"))
			if err != nil {
				t.Fatalf("reading page: %v", err)
			}
			doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
			if err != nil {
				t.Fatalf("parsing page: %v", err)
			}
			p := newMetaPage(doc, c.URL)
			for i, n := range p.nodes {
				for _, tok := range dom.ClassTokens(n) {
					if seen[tok] {
						continue
					}
					seen[tok] = true
					if got, want := metaTokenKind(tok)&^tokField, metaTokenKindRE(tok); got != want {
						t.Errorf("metaTokenKind(%q) = %04b, want %04b", tok, got, want)
					}
				}
				for _, last := range []string{"itemprop", "data-testid"} {
					parts := []string{dom.Attr(n, "class"), dom.Attr(n, "id"), dom.Attr(n, last)}
					k := "\x00" + strings.Join(parts, "\x00")
					if seen[k] {
						continue
					}
					seen[k] = true
					for _, m := range []hintMatcher{metaDateWords, metaNotDateWords, metaAuthorWords, metaArticleWords} {
						if got, want := m.matchParts(parts...), m.re.MatchString(strings.Join(parts, " ")); got != want {
							t.Errorf("%v: matchParts(%q) = %v, want %v", m.re, parts, got, want)
						}
					}
				}
				if p.info[i].text > 300 {
					continue // the pickers read short texts only, and the references are quadratic
				}
				text, lines := dom.Text(n), dom.Lines(n)
				if want := metaTextRef(n); text != want {
					t.Errorf("dom.Text(<%s> #%d) = %q, want %q", n.Data, i, text, want)
				}
				if want := metaLinesRef(n); lines != want {
					t.Errorf("dom.Lines(<%s> #%d) = %q, want %q", n.Data, i, lines, want)
				}
				if size := int(p.info[i].text); size > len(text) {
					t.Errorf("<%s> #%d: indexed text size %d exceeds len(metaText) %d", n.Data, i, size, len(text))
				}
			}
		})
	}
}
