package extract

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

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
	// Floors only catch a collapse; the figures above are what to watch.
	for _, f := range []struct {
		name       string
		got, floor float64
	}{
		{"title", frac(s.titleOK, s.title), 0.6},
		{"date", frac(s.dateOK, s.date), 0.4},
		{"author", frac(s.authorOK, s.author), 0.4},
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
	for _, want := range cases {
		t.Run(want.File, func(t *testing.T) {
			m := metaCorpusPage(t, filepath.Join(pagesDir, want.File+".gz"), want.URL)
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
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		t.Fatalf("parsing page: %v", err)
	}
	return extractMeta(doc, pageURL)
}

func metaTitleMatch(got, want string) bool { return evalscore.TitleMatch(got, want) }

// metaAuthorMatch: an expected name is found in ours, or one of ours in an
// expected entry (truth sometimes lists "A and B" as one string).
func metaAuthorMatch(got, want []string) bool {
	for _, w := range want {
		w = strings.ToLower(testshared.NormSpace(w))
		for _, g := range got {
			g = strings.ToLower(testshared.NormSpace(g))
			if w != "" && g != "" && (strings.Contains(g, w) || len(g) >= 3 && strings.Contains(w, g)) {
				return true
			}
		}
	}
	return false
}

// metaBylineMatch accepts a free-text byline ("By Jane Doe, Staff Writer")
// that contains our first author.
func metaBylineMatch(got []string, byline string) bool {
	return len(got) > 0 && strings.Contains(strings.ToLower(byline), strings.ToLower(got[0]))
}

var (
	metaTestISO     = regexp.MustCompile(`^\s*(\d{4})-(\d{1,2})-(\d{1,2})`)
	metaTestMDY     = regexp.MustCompile(`(?i)([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})`)
	metaTestDMY     = regexp.MustCompile(`(?i)(\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?([a-zä]{3})[a-zä]*\.?,?\s+(\d{4})`)
	metaTestNumeric = regexp.MustCompile(`(\d{1,4})[./](\d{1,2})[./](\d{2,4})`)
	metaTestMonths  = map[string]int{"jan": 1, "feb": 2, "mar": 3, "mär": 3, "apr": 4, "may": 5, "mai": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "okt": 10, "nov": 11, "dec": 12, "dez": 12}
)

func metaISOPrefix(s string) string {
	if m := metaTestISO.FindStringSubmatch(s); m != nil {
		return metaYMD(m[1], m[2], m[3])
	}
	return ""
}

// metaDateMatch reports whether raw denotes the day want (YYYY-MM-DD) in one
// of the shapes pages use; numeric dates are tried day-first and
// month-first since either convention may be meant.
func metaDateMatch(raw, want string) bool {
	var cands []string
	if d := metaISOPrefix(raw); d != "" {
		cands = append(cands, d)
		// An instant with an offset may fall on the neighbouring UTC day.
		if ts, err := time.Parse(time.RFC3339, strings.TrimSpace(raw)); err == nil {
			cands = append(cands, ts.UTC().Format("2006-01-02"))
		}
	}
	if m := metaTestMDY.FindStringSubmatch(raw); m != nil {
		if mo := metaTestMonths[strings.ToLower(m[1])]; mo > 0 {
			cands = append(cands, metaYMD(m[3], strconv.Itoa(mo), m[2]))
		}
	}
	if m := metaTestDMY.FindStringSubmatch(raw); m != nil {
		if mo := metaTestMonths[strings.ToLower(m[2])]; mo > 0 {
			cands = append(cands, metaYMD(m[3], strconv.Itoa(mo), m[1]))
		}
	}
	if m := metaTestNumeric.FindStringSubmatch(raw); m != nil {
		a, b, c := m[1], m[2], m[3]
		if len(a) == 4 {
			cands = append(cands, metaYMD(a, b, c))
		} else {
			if len(c) == 2 {
				c = "20" + c
			}
			cands = append(cands, metaYMD(c, b, a), metaYMD(c, a, b))
		}
	}
	for _, c := range cands {
		if c == want {
			return true
		}
	}
	return false
}

func metaYMD(y, m, d string) string {
	yi, _ := strconv.Atoi(y)
	mi, _ := strconv.Atoi(m)
	di, _ := strconv.Atoi(d)
	if mi < 1 || mi > 12 || di < 1 || di > 31 {
		return "invalid"
	}
	return time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
}

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
				for _, tok := range metaClassTokens(n) {
					if seen[tok] {
						continue
					}
					seen[tok] = true
					if got, want := metaTokenKind(tok), metaTokenKindRE(tok); got != want {
						t.Errorf("metaTokenKind(%q) = %04b, want %04b", tok, got, want)
					}
				}
				for _, last := range []string{"itemprop", "data-testid"} {
					parts := []string{metaAttr(n, "class"), metaAttr(n, "id"), metaAttr(n, last)}
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
				text, lines := metaText(n), metaLines(n)
				if want := metaTextRef(n); text != want {
					t.Errorf("metaText(<%s> #%d) = %q, want %q", n.Data, i, text, want)
				}
				if want := metaLinesRef(n); lines != want {
					t.Errorf("metaLines(<%s> #%d) = %q, want %q", n.Data, i, lines, want)
				}
				if size := int(p.info[i].text); size > len(text) {
					t.Errorf("<%s> #%d: indexed text size %d exceeds len(metaText) %d", n.Data, i, size, len(text))
				}
			}
		})
	}
}
