package evalscore

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
)

// EvalPage is one page of corpus/trafilatura-eval with its truth.
type EvalPage struct {
	URL     string
	File    string   `json:"file"`
	With    []string `json:"with"`
	Without []string `json:"without"`
	Title   string   `json:"title"`
	Date    string   `json:"date"`
	Authors []string `json:"authors"`
	// Body is the decompressed page.
	Body []byte `json:"-"`
}

// LoadEvalTruth reads corpus/trafilatura-eval/truth.json under dir, sorted
// by URL so runs are reproducible, without the pages' bodies.
func LoadEvalTruth(dir string) ([]EvalPage, error) {
	truthPath := filepath.Join(dir, "truth.json")
	data, err := os.ReadFile(truthPath)
	if err != nil {
		return nil, fmt.Errorf("reading truth: %w", err)
	}
	var truth map[string]EvalPage
	if err := json.Unmarshal(data, &truth); err != nil {
		return nil, fmt.Errorf("decoding %q: %w", truthPath, err)
	}
	pages := make([]EvalPage, 0, len(truth))
	for u, p := range truth {
		p.URL = u
		p.Date = truthDay(p.Date)
		pages = append(pages, p)
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].URL < pages[j].URL })
	return pages, nil
}

var truthDayRe = regexp.MustCompile(`^\s*(\d{4})[-.](\d{1,2})[-.](\d{1,2})\s*$`)

// truthDay writes a truth date as YYYY-MM-DD. Four of the hand-written
// dates are malformed but unambiguous ("2022-29-11", "2022-11-1",
// "2022-01.26"); a day that no page could match would only measure the
// typo. Anything else is kept as it is.
func truthDay(s string) string {
	m := truthDayRe.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	if mo > 12 && d <= 12 {
		mo, d = d, mo
	}
	return fmt.Sprintf("%s-%02d-%02d", m[1], mo, d)
}

// LoadEval reads corpus/trafilatura-eval under dir (truth.json and
// pages/<file>.gz) like LoadEvalTruth, with each page's Body. limit > 0
// keeps only the first limit pages.
func LoadEval(dir string, limit int) ([]EvalPage, error) {
	pages, err := LoadEvalTruth(dir)
	if err != nil {
		return nil, err
	}
	if limit > 0 && limit < len(pages) {
		pages = pages[:limit]
	}
	for i := range pages {
		if pages[i].Body, err = ReadGzip(EvalPagePath(dir, pages[i])); err != nil {
			return nil, err
		}
	}
	return pages, nil
}

// EvalPagePath is the file of page p in the corpus under dir.
func EvalPagePath(dir string, p EvalPage) string {
	return filepath.Join(dir, "pages", p.File+".gz")
}

// ReadabilityURL is the page URL Mozilla's readability tests run with.
const ReadabilityURL = "http://fakehost/test/page.html"

// ReadabilityPage is one case of corpus/readability.
type ReadabilityPage struct {
	Case string
	// Body is the decompressed source.html.
	Body []byte
	// Expected is the text of expected.html, blocks on separate lines.
	Expected string
	// Title, Byline and PublishedTime are expected-metadata.json's, ""
	// where it does not give them.
	Title, Byline, PublishedTime string
}

// LoadReadability reads every <case>/source.html.gz and expected.html.gz
// under dir, sorted by case name. limit > 0 keeps only the first limit cases.
func LoadReadability(dir string, limit int) ([]ReadabilityPage, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("listing readability corpus: %w", err)
	}
	var pages []ReadabilityPage
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if limit > 0 && len(pages) == limit {
			break
		}
		src, err := ReadGzip(filepath.Join(dir, e.Name(), "source.html.gz"))
		if err != nil {
			return nil, err
		}
		expPath := filepath.Join(dir, e.Name(), "expected.html.gz")
		exp, err := ReadGzip(expPath)
		if err != nil {
			return nil, err
		}
		text, err := HTMLText(string(exp))
		if err != nil {
			return nil, fmt.Errorf("parsing %q: %w", expPath, err)
		}
		page := ReadabilityPage{Case: e.Name(), Body: src, Expected: text}
		metaPath := filepath.Join(dir, e.Name(), "expected-metadata.json")
		if data, err := os.ReadFile(metaPath); err == nil {
			var m struct {
				Title         string `json:"title"`
				Byline        string `json:"byline"`
				PublishedTime string `json:"publishedTime"`
			}
			if err := json.Unmarshal(data, &m); err != nil {
				return nil, fmt.Errorf("decoding %q: %w", metaPath, err)
			}
			page.Title, page.Byline, page.PublishedTime = m.Title, m.Byline, m.PublishedTime
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("reading expected metadata: %w", err)
		}
		pages = append(pages, page)
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("no cases in readability corpus %q", dir)
	}
	return pages, nil
}

// ReadGzip returns the decompressed content of the .gz file at path; its
// errors name the file.
func ReadGzip(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading page: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decompressing %q: %w", path, err)
	}
	defer zr.Close()
	out, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("decompressing %q: %w", path, err)
	}
	return out, nil
}
