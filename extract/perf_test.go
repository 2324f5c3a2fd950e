package extract

import (
	"bytes"
	"context"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/reviewpipe/reviewpipe/internal/record"
	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// loadEvalPages reads every trafilatura-eval page into memory, so that the
// benchmarks time extraction and not gunzip or the disk.
func loadEvalPages(b *testing.B) (pages []*record.Page, size int64) {
	b.Helper()
	pagesDir, cases := testshared.TrafilaturaEval(b)
	for _, c := range cases {
		raw, err := testshared.ReadGzip(filepath.Join(pagesDir, c.File+".gz"))
		if err != nil {
			b.Fatalf("reading page %s: %v", c.File, err)
		}
		pages = append(pages, &record.Page{URL: c.URL, Body: raw})
		size += int64(len(raw))
	}
	if len(pages) == 0 {
		b.Skip("trafilatura-eval corpus is empty")
	}
	return pages, size
}

// BenchmarkExtractCorpus runs Extract over the whole trafilatura-eval
// corpus once per iteration, on one goroutine ("single") and on GOMAXPROCS
// goroutines sharing the pages ("parallel"). Rejections are expected for a
// few pages and are not failures; any other error is.
//
//	go test ./extract/ -run '^$' -bench BenchmarkExtractCorpus -benchtime 3x -count 5
func BenchmarkExtractCorpus(b *testing.B) {
	pages, size := loadEvalPages(b)
	ex, err := New(DefaultConfig(), nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	extract := func(b *testing.B, p *record.Page) {
		if _, err := ex.Extract(ctx, p); err != nil {
			if _, ok := record.AsReject(err); !ok {
				b.Errorf("Extract(%s): %v", p.URL, err)
			}
		}
	}

	b.Run("single", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			for _, p := range pages {
				extract(b, p)
			}
		}
		report(b, len(pages), size)
	})

	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		// Each iteration is one pass over the corpus; GOMAXPROCS workers
		// take pages from a shared counter, so every page is done once per
		// pass and a slow page does not leave a core idle.
		var next atomic.Int64
		total := int64(b.N * len(pages))
		var wg sync.WaitGroup
		for w := 0; w < runtime.GOMAXPROCS(0); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := next.Add(1) - 1
					if i >= total {
						return
					}
					extract(b, pages[i%int64(len(pages))])
				}
			}()
		}
		wg.Wait()
		report(b, len(pages), size)
	})
}

// report turns the elapsed time into corpus throughput figures.
func report(b *testing.B, pages int, size int64) {
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N*pages)/sec, "pages/s")
	b.ReportMetric(float64(b.N)*float64(size)/sec/1e6, "MB/s")
	b.ReportMetric(sec*1e3/float64(b.N*pages), "ms/page")
}

// BenchmarkExtractMetaCorpus times extractMeta alone over the
// trafilatura-eval pages. Each page is parsed with the timer stopped, just
// before its turn: holding every parsed tree at once would make the
// collector scan a heap a hundred times larger than the pipeline's.
func BenchmarkExtractMetaCorpus(b *testing.B) {
	pages, _ := loadEvalPages(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			b.StopTimer()
			doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.Body))
			if err != nil {
				b.Fatalf("parsing %s: %v", p.URL, err)
			}
			b.StartTimer()
			extractMeta(doc, p.URL)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N*len(pages)), "ms/page")
}
