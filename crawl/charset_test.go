package crawl_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/reviewpipe/reviewpipe/crawl"
	"github.com/reviewpipe/reviewpipe/extract"
	"github.com/reviewpipe/reviewpipe/internal/record"
)

// TestCrawlCharsets serves review pages in legacy encodings, declared in
// the HTTP header, in <meta charset> or in http-equiv, and checks that
// the crawl and the extractor together give the right UTF-8 text.
func TestCrawlCharsets(t *testing.T) {
	pages := []struct {
		path, header, meta string
		enc                encoding.Encoding
		text               string
	}{
		{"/cp1252", "text/html; charset=windows-1252", "", charmap.Windows1252, "Café crème – “naïve” critic’s façade, 5€"},
		{"/latin1", "text/html", `<meta charset="ISO-8859-1">`, charmap.ISO8859_1, "Über die Größe des Films: schön, très élégant"},
		{"/sjis", "text/html", `<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">`, japanese.ShiftJIS, "映画「her」は孤独と愛についての物語です"},
		{"/gb18030", "text/html; charset=GB18030", "", simplifiedchinese.GB18030, "这部电影讲述了孤独与爱情的故事"},
	}
	mux := http.NewServeMux()
	var links strings.Builder
	for _, p := range pages {
		p := p
		fmt.Fprintf(&links, `<a href="%s">x</a>`, p.path)
		body := fmt.Sprintf("<html><head>%s<title>Review</title></head><body><article><h1>Review</h1><p>%s</p><p>%s</p><p>%s</p></article></body></html>",
			p.meta, p.text, p.text, p.text)
		encoded, err := p.enc.NewEncoder().String(body)
		if err != nil {
			t.Fatalf("%s: encoding the test page: %v", p.path, err)
		}
		mux.HandleFunc(p.path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", p.header)
			fmt.Fprint(w, encoded)
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "<html><body>%s</body></html>", links.String())
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	cfg := crawl.DefaultWebConfig()
	cfg.Seeds = []string{srv.URL + "/"}
	cfg.ReviewPages = []string{`/(cp1252|latin1|sjis|gb18030)$`}
	cfg.Politeness.Contact = "https://example.org/crawler"
	cfg.Politeness.Delay, cfg.Politeness.Jitter = 0, 0
	cfg.AllowPrivateNetworks = true
	w, err := crawl.NewWeb(cfg, filepath.Join(t.TempDir(), "crawl.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ex, err := extract.New(extract.DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = w.Walk(ctx, func(p *record.Page) error {
		r, err := ex.Extract(ctx, p)
		if err != nil {
			return fmt.Errorf("%s: %w", p.URL, err)
		}
		got[strings.TrimPrefix(p.URL, srv.URL)] = r.Body
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		if body := got[p.path]; !strings.Contains(body, p.text) {
			t.Errorf("%s (%s): body %q does not hold %q", p.path, p.header+" "+p.meta, body, p.text)
		}
	}
}
