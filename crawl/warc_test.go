package crawl

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/reviewpipe/reviewpipe/internal/confval"
	"github.com/reviewpipe/reviewpipe/internal/record"
)

// warcRec builds one WARC 1.1 record.
func warcRec(typ, uri, block string) string {
	h := fmt.Sprintf("WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%08x-0000-4000-8000-000000000000>\r\nWARC-Date: 2024-05-06T07:08:09Z\r\n", typ, len(block)+len(uri))
	if uri != "" {
		h += "WARC-Target-URI: " + uri + "\r\n"
	}
	ct := "application/http;msgtype=response"
	if typ == "request" {
		ct = "application/http;msgtype=request"
	} else if typ == "warcinfo" {
		ct = "application/warc-fields"
	}
	return h + fmt.Sprintf("Content-Type: %s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n", ct, len(block), block)
}

func httpResp(status int, ctype, body string) string {
	return fmt.Sprintf("HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s", status, ctype, len(body), body)
}

func gzipMembers(records ...string) string {
	var buf bytes.Buffer
	for _, r := range records {
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(r))
		zw.Close()
	}
	return buf.String()
}

// readWARC runs the warc source over files and returns what it emitted.
func readWARC(t *testing.T, files map[string]string, maxBytes int64) []*record.Page {
	t.Helper()
	fsys := fstest.MapFS{}
	var paths []string
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
		paths = append(paths, name)
	}
	cfg := DefaultWARCConfig()
	cfg.Paths = paths
	if maxBytes > 0 {
		cfg.MaxRecordBytes = confval.ByteSize(maxBytes)
	}
	src, err := NewWARC(cfg, fsys, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []*record.Page
	if err := src.Walk(context.Background(), func(p *record.Page) error { got = append(got, p); return nil }); err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return got
}

const page = "<html><head><title>A review</title></head><body><p>Words.</p></body></html>"

func TestWARCRecords(t *testing.T) {
	records := []string{
		warcRec("warcinfo", "", "software: test\r\n"),
		warcRec("request", "http://a.example/r", "GET /r HTTP/1.1\r\nHost: a.example\r\n\r\n"),
		warcRec("response", "http://a.example/r", httpResp(200, "text/html; charset=ISO-8859-1", page)),
		warcRec("response", "<http://a.example/bracketed>", httpResp(200, "text/html", page)),
		warcRec("response", "http://a.example/logo.png", httpResp(200, "image/png", "\x89PNG")),
		warcRec("response", "http://a.example/gone", httpResp(404, "text/html", "gone")),
		warcRec("response", "http://a.example/big", httpResp(200, "text/html", strings.Repeat("x", 5000))),
	}
	for name, data := range map[string]string{"plain.warc": strings.Join(records, ""), "member.warc.gz": gzipMembers(records...)} {
		t.Run(name, func(t *testing.T) {
			got := readWARC(t, map[string]string{name: data}, 4096)
			if len(got) != 3 {
				t.Fatalf("%d pages, want the two HTML responses and the too-large one: %+v", len(got), got)
			}
			p := got[0]
			if p.URL != "http://a.example/r" || string(p.Body) != page || p.ContentType != "text/html; charset=ISO-8859-1" || p.FetchedAt.Year() != 2024 || p.Err != nil {
				t.Errorf("page = %q %q %q %v %v", p.URL, p.Body, p.ContentType, p.FetchedAt, p.Err)
			}
			if !strings.HasPrefix(p.Source, name+"#") {
				t.Errorf("source %q names no file and offset", p.Source)
			}
			if got[1].URL != "http://a.example/bracketed" {
				t.Errorf("a WARC 1.0 bracketed URI reads %q", got[1].URL)
			}
			if re, ok := record.AsReject(got[2].Err); !ok || re.Reason != record.ReasonTooLarge {
				t.Errorf("the large payload: %v, want too_large", got[2].Err)
			}
		})
	}
}

// TestWARCCorrupt: a broken record is a reject naming the file and offset;
// the pages before it are emitted; nothing panics.
func TestWARCCorrupt(t *testing.T) {
	good := warcRec("response", "http://a.example/1", httpResp(200, "text/html", page))
	tests := map[string]string{
		"garbage after a record":   good + "this is not a WARC record\r\n\r\nat all",
		"truncated record":         good + good[:len(good)/2],
		"broken gzip member":       gzipMembers(good) + "\x1f\x8b\x08\x00garbage",
		"not a WARC file":          "<html>hello</html>",
		"content length too large": strings.Replace(good, "Content-Length: ", "Content-Length: 9", 1),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			got := readWARC(t, map[string]string{"a.warc.gz": data}, 0)
			rejects := 0
			for _, p := range got {
				if p.Err != nil {
					rejects++
					if !strings.Contains(p.Source, "a.warc.gz") {
						t.Errorf("the reject names no file: %q", p.Source)
					}
				}
			}
			if rejects == 0 {
				t.Errorf("%d pages, no reject for the broken part", len(got))
			}
		})
	}
}

func FuzzWARC(f *testing.F) {
	f.Add(warcRec("response", "http://a.example/1", httpResp(200, "text/html", page)))
	f.Add(gzipMembers(warcRec("response", "http://a.example/1", httpResp(200, "text/html", page))))
	f.Add("WARC/1.0\r\nContent-Length: 5\r\n\r\nab")
	f.Fuzz(func(t *testing.T, data string) {
		readWARC(t, map[string]string{"f.warc": data}, 1<<16)
	})
}

// TestShardsPartitionInputs: the shards of a source take every input
// exactly once, and the same ones on every listing.
func TestShardsPartitionInputs(t *testing.T) {
	fsys := fstest.MapFS{}
	for i := range 200 {
		fsys[fmt.Sprintf("in/%02d/page%03d.html", i%7, i)] = &fstest.MapFile{Data: []byte(page)}
	}
	seen := map[string]int{}
	for k := range 4 {
		cfg := DefaultFilesConfig()
		cfg.Paths = []string{"in"}
		src, err := NewFiles(cfg, fsys, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		src.SetShard(Shard{Index: k, Count: 4})
		names, n, err := src.List(context.Background(), 1000)
		if err != nil {
			t.Fatal(err)
		}
		if n < 30 || n > 70 {
			t.Errorf("shard %d/4 takes %d of 200 files: the hash spreads them badly", k, n)
		}
		again, _, _ := src.List(context.Background(), 1000)
		if !slices.Equal(names, again) {
			t.Errorf("shard %d/4 takes other files on a second listing", k)
		}
		for _, name := range names {
			seen[name]++
		}
	}
	if len(seen) != 200 {
		t.Errorf("the shards took %d distinct files of 200", len(seen))
	}
	for name, n := range seen {
		if n != 1 {
			t.Errorf("%s taken by %d shards", name, n)
		}
	}
}
