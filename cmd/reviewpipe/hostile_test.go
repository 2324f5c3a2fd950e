package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// hostileCase is one generated input file and what must become of it:
// want is the reject reason it must get, "review" for a review, or ""
// for either a review or a reject with a specific reason.
type hostileCase struct {
	name string // the file name, whose extension matters (.html.gz)
	body []byte
	want string
}

// hostileMtimes are modification times no fetch happened at, by case.
var hostileMtimes = map[string]time.Time{
	"mtime-year-30000.html": time.Date(30000, 1, 1, 0, 0, 0, 0, time.UTC),
	"mtime-epoch.html":      time.Unix(0, 0),
}

// hostilePage is a page with a unique body, so no two cases share a text
// or a canonical URL; head and extra are spliced into it.
func hostilePage(name, head, extra string) string {
	return fmt.Sprintf(`<!DOCTYPE html><html lang="en"><head><title>Case %s</title>%s</head><body><article><h1>Case %s review</h1>`+
		`<p>This review of case %s is long enough to count as one. %s</p>%s</article></body></html>`,
		name, head, name, name, strings.Repeat("The lead carries every scene with ease and warmth. ", 6), extra)
}

func ldPage(name, json string) string {
	return hostilePage(name, `<script type="application/ld+json">`+json+`</script>`, "")
}

func canonicalPage(name, url string) string {
	return hostilePage(name, `<link rel="canonical" href="`+url+`">`, "")
}

func gzipBytes(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func utf16Bytes(s string, big bool) []byte {
	out := []byte{0xff, 0xfe}
	if big {
		out = []byte{0xfe, 0xff}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if big {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// hostileCases are the families an attacker, a fuzzer or a broken CMS
// produce: encodings, truncation, nesting, sizes, compression, hostile
// JSON-LD and microdata, dates, URLs and hosts. The large ones are made
// here, never checked in.
func hostileCases(t *testing.T) []hostileCase {
	const mb = 1 << 20
	p := func(name string) []byte { return []byte(hostilePage(name, "", "")) }
	longHost := strings.Repeat("a", 63) + "." + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 61)
	cases := []hostileCase{
		// encodings
		{"utf16le.html", utf16Bytes(hostilePage("utf16le", "", ""), false), "review"},
		{"utf16be.html", utf16Bytes(hostilePage("utf16be", "", ""), true), "review"},
		{"invalid-utf8.html", []byte(hostilePage("invalid-utf8", "", "<p>\xff\xfe\xc3\x28 broken \xe2\x82 bytes \xf0\x28\x8c\x28</p>")), "review"},
		{"overlong-utf8.html", []byte(hostilePage("overlong", "", "<p>\xc0\xaf\xe0\x80\xaf \xed\xa0\x80 surrogate</p>")), "review"},
		{"cp1252.html", []byte(hostilePage("cp1252", `<meta charset="windows-1252">`, "<p>caf\xe9 cr\xe8me \x93quoted\x94</p>")), "review"},
		{"bogus-charset.html", []byte(hostilePage("bogus-charset", `<meta charset="x-no-such-charset-\x00">`, "")), "review"},
		{"sjis-garbage.html", []byte(hostilePage("sjis-garbage", `<meta charset="shift_jis">`, "<p>\x82\xa0\x82\xa2\xff\xfd\x80</p>")), ""},
		{"bom-then-nul.html", append([]byte("\xef\xbb\xbf<html>\x00\x00\x00"), p("bom-nul")...), "not_html"},
		{"utf7-declared.html", []byte(hostilePage("utf7", `<meta charset="utf-7">`, "<p>+ADw-script+AD4-alert(1)+ADw-/script+AD4-</p>")), "review"},
		// truncation
		{"cut-in-tag.html", p("cut-in-tag")[:len(p("cut-in-tag"))-20], ""},
		{"cut-mid-tag.html", []byte(`<html><body><p>` + strings.Repeat("Words of a review. ", 30) + `</p><div cla`), "truncated"},
		{"cut-in-comment.html", []byte(`<html><body><p>` + strings.Repeat("Words. ", 30) + `</p><!-- footer`), "truncated"},
		{"cut-in-script.html", []byte(`<html><body><p>` + strings.Repeat("Words. ", 30) + `</p><script>var a = "`), "truncated"},
		{"cut-in-attribute.html", []byte(`<html><body><p>` + strings.Repeat("Words. ", 30) + `</p><a href="https://exa`), "truncated"},
		{"empty.html", nil, "empty"},
		{"whitespace.html", []byte(" \n\t\r\n  "), "empty"},
		{"comment-only.html", []byte("<!-- nothing -->"), "empty"},
		{"truncated.html.gz", gzipBytes(t, p("truncated-gz"))[:100], "unreadable"},
		// nesting
		{"div-600.html", []byte(hostilePage("div-600", "", strings.Repeat("<div>", 600))), "too_deep"},
		{"bold-100k.html", []byte(hostilePage("bold-100k", "", strings.Repeat("<b>", 100_000))), ""},
		{"table-nest.html", []byte(hostilePage("table-nest", "", strings.Repeat("<table><tr><td>", 300))), ""},
		{"span-5000.html", []byte(hostilePage("span-5000", "", strings.Repeat("<span>", 5000))), "too_deep"},
		{"unclosed-p.html", []byte(hostilePage("unclosed-p", "", strings.Repeat("<p>more ", 20_000))), ""},
		{"jsonld-deep.html", []byte(ldPage("jsonld-deep", strings.Repeat("[", 20_000)+strings.Repeat("]", 20_000))), "review"},
		{"jsonld-deep-objects.html", []byte(ldPage("jsonld-deep-objects", strings.Repeat(`{"@type":"Review","a":`, 5000)+"1"+strings.Repeat("}", 5000))), "review"},
		{"svg-nest.html", []byte(hostilePage("svg-nest", "", "<svg>"+strings.Repeat("<g>", 700)+"</svg>")), ""},
		// sizes (extract.max_page_bytes is 2MB in this run)
		{"big-3mb.html", []byte(hostilePage("big-3mb", "", "<p>"+strings.Repeat("x", 3*mb)+"</p>")), "too_large"},
		{"big-text-no-tags.html", bytes.Repeat([]byte("just text "), 300_000), "too_large"},
		{"one-mb-paragraph.html", []byte(hostilePage("one-mb-paragraph", "", "<p>"+strings.Repeat("word ", 200_000)+"</p>")), "review"},
		{"many-paragraphs.html", []byte(hostilePage("many-paragraphs", "", strings.Repeat("<p>tiny line here</p>", 50_000))), "review"},
		{"huge-attribute.html", []byte(hostilePage("huge-attribute", "", `<div data-x="`+strings.Repeat("a", mb)+`">x</div>`)), "review"},
		{"many-comments.html", []byte(hostilePage("many-comments", "", `<section id="comments">`+strings.Repeat(`<div class="comment"><span class="comment-author">x</span><p>Nice review indeed, thanks.</p></div>`, 10_000)+`</section>`)), ""},
		// compression
		{"bomb.html.gz", gzipBytes(t, bytes.Repeat([]byte{' '}, 64*mb)), "too_large"},
		{"not-gzip.html.gz", p("not-gzip"), "unreadable"},
		{"double-gzip.html.gz", gzipBytes(t, gzipBytes(t, p("double-gzip"))), "not_html"},
		{"empty.html.gz", gzipBytes(t, nil), "empty"},
		{"gzip-in-plain.html", gzipBytes(t, p("gzip-in-plain")), "not_html"},
		{"zip.html", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00" + strings.Repeat("\x00", 40)), "not_html"},
		{"good.html.gz", gzipBytes(t, p("good-gz")), "review"},
		// hostile JSON-LD and microdata
		{"ld-nan.html", []byte(ldPage("ld-nan", `{"@type":"Review","reviewRating":{"ratingValue":"NaN","bestRating":"5"}}`)), "review"},
		{"ld-1e999.html", []byte(ldPage("ld-1e999", `{"@type":"Review","reviewRating":{"ratingValue":1e999,"bestRating":5}}`)), "review"},
		{"ld-best-zero.html", []byte(ldPage("ld-best-zero", `{"@type":"Review","reviewRating":{"ratingValue":"4","bestRating":"0"}}`)), "review"},
		{"ld-inverted.html", []byte(ldPage("ld-inverted", `{"@type":"Review","reviewRating":{"ratingValue":"3","bestRating":"1","worstRating":"5"}}`)), "review"},
		{"ld-infinity.html", []byte(ldPage("ld-infinity", `{"@type":"Review","reviewRating":{"ratingValue":"4","bestRating":"Infinity","worstRating":"-Infinity"}}`)), "review"},
		{"ld-out-of-scale.html", []byte(ldPage("ld-out-of-scale", `{"@type":"Review","reviewRating":{"ratingValue":"11","bestRating":"10"}}`)), "review"},
		{"ld-negative.html", []byte(ldPage("ld-negative", `{"@type":"Review","reviewRating":{"ratingValue":"-3","bestRating":"5"}}`)), "review"},
		{"ld-invalid-json.html", []byte(ldPage("ld-invalid-json", `{"@type":"Review",,,"reviewRating":{`)), "review"},
		{"ld-cycle.html", []byte(ldPage("ld-cycle", `{"@graph":[{"@id":"#a","@type":"Review","author":{"@id":"#b"},"itemReviewed":{"@id":"#a"}},{"@id":"#b","@type":"Person","name":{"@id":"#b"}}]}`)), "review"},
		{"ld-wrong-types.html", []byte(ldPage("ld-wrong-types", `{"@type":["Review",7,null],"author":[1,2,{"name":[]}],"datePublished":{"x":1},"reviewRating":[{"ratingValue":true}],"itemReviewed":"x"}`)), "review"},
		{"ld-huge-name.html", []byte(ldPage("ld-huge-name", `{"@type":"Review","itemReviewed":{"@type":"Movie","name":"`+strings.Repeat("N", 200_000)+`","dateCreated":"99999"}}`)), "review"},
		{"ld-year.html", []byte(ldPage("ld-year", `{"@type":"Review","itemReviewed":{"@type":"Movie","name":"Old","dateCreated":"0007-01-01"}}`)), "review"},
		{"microdata-nan.html", []byte(hostilePage("microdata-nan", "", `<div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating"><meta itemprop="ratingValue" content="NaN"><meta itemprop="bestRating" content="Infinity"><meta itemprop="worstRating" content="-1e999"></div>`)), "review"},
		{"microdata-flood.html", []byte(hostilePage("microdata-flood", "", strings.Repeat(`<span itemprop="ratingValue">5</span><span itemprop="author">X</span>`, 20_000))), ""},
		{"stars-nan.html", []byte(hostilePage("stars-nan", "", `<div class="star-rating" data-rating="NaN" data-max="0"></div><div class="rating" aria-label="Rated 1e999 out of 0 stars"></div>`)), "review"},
		// dates
		{"date-year-99999.html", []byte(ldPage("date-year-99999", `{"@type":"Review","datePublished":"99999-01-01T00:00:00Z"}`)), "review"},
		{"date-zeros.html", []byte(ldPage("date-zeros", `{"@type":"Review","datePublished":"0000-00-00T00:00:00"}`)), "review"},
		{"date-feb-30.html", []byte(ldPage("date-feb-30", `{"@type":"Review","datePublished":"2024-02-30"}`)), "review"},
		{"date-offset-99.html", []byte(ldPage("date-offset-99", `{"@type":"Review","datePublished":"2024-02-27T21:14:37+99:99"}`)), "review"},
		{"date-offset-1430.html", []byte(ldPage("date-offset-1430", `{"@type":"Review","datePublished":"2024-02-27T21:14:37+14:30"}`)), "review"},
		{"date-future.html", []byte(ldPage("date-future", `{"@type":"Review","datePublished":"2999-12-31"}`)), "review"},
		{"date-epoch.html", []byte(ldPage("date-epoch", `{"@type":"Review","datePublished":100000000000000000000}`)), "review"},
		{"date-long.html", []byte(ldPage("date-long", `{"@type":"Review","datePublished":"`+strings.Repeat("2024-01-01 ", 10_000)+`"}`)), "review"},
		{"date-meta-garbage.html", []byte(hostilePage("date-meta-garbage", `<meta property="article:published_time" content="\x00\x01 -1-1-1T99:99:99">`, `<time datetime="9999999-99-99">x</time>`)), "review"},
		// URLs
		{"url-40kb.html", []byte(canonicalPage("url-40kb", "https://example.org/"+strings.Repeat("x", 40_000))), "review"},
		{"url-javascript.html", []byte(canonicalPage("url-javascript", "javascript:alert(1)")), "review"},
		{"url-control.html", []byte(canonicalPage("url-control", "https://example.org/a%00b\x07c\tq\x1b")), "review"},
		{"nul-in-attribute.html", []byte(canonicalPage("nul-in-attribute", "https://example.org/a\x00b")), "not_html"}, // NUL bytes: binary
		{"url-traversal.html", []byte(canonicalPage("url-traversal", "../../../../etc/passwd")), "review"},
		{"url-file-scheme.html", []byte(canonicalPage("url-file-scheme", "file:///etc/passwd")), "review"},
		{"url-unicode.html", []byte(hostilePage("url-unicode", `<meta property="og:url" content="https://exämple.org/ revíew ☃/?q=ü">`, "")), "review"},
		{"url-data.html", []byte(canonicalPage("url-data", "data:text/html;base64,"+strings.Repeat("QUFB", 5000))), "review"},
		// hosts
		{"host-253.html", []byte(canonicalPage("host-253", "https://"+longHost+"/r")), "review"},
		{"host-idn-long.html", []byte(canonicalPage("host-idn-long", "https://"+strings.Repeat("ü", 70)+"."+strings.Repeat("ñ", 70)+".example/r")), "review"},
		{"host-slash.html", []byte(canonicalPage("host-slash", "https://a%2F..%2Fb/r")), "review"},
		{"host-dots.html", []byte(canonicalPage("host-dots", "https://../r")), "review"},
		{"host-ipv6.html", []byte(canonicalPage("host-ipv6", "https://[::1]:8080/r")), "review"},
		{"host-bad-utf8.html", []byte(canonicalPage("host-bad-utf8", "https://exa\xffmple.org/r")), "review"},
		{"host-trailing-dot.html", []byte(canonicalPage("host-trailing-dot", "https://EXAMPLE.ORG./r")), "review"},
		{"host-percent-nul.html", []byte(canonicalPage("host-percent-nul", "https://ex%00ample.org/r")), "review"},
		// file times no fetch happened at
		{"mtime-year-30000.html", p("mtime-year-30000"), "review"},
		{"mtime-epoch.html", p("mtime-epoch"), "review"},
		// not pages at all
		{"pdf.html", []byte("%PDF-1.7\n1 0 obj\n"), "not_html"},
		{"png.html", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "not_html"},
		{"json.html", []byte(`{"title": "<b>not html</b>"}`), "not_html"},
		{"text.html", []byte("Just some text.\nNo tags at all here.\n"), "not_html"},
		{"nav-only.html", []byte(`<html><body><nav><a href="/">Home</a> <a href="/a">A</a></nav></body></html>`), ""},
		{"markup-only.html", []byte(`<html><body><div><span></span><img src="x.png"></div></body></html>`), "no_body"},
		{"script-only.html", []byte("<html><body><script>" + strings.Repeat("document.write('<p>hi</p>');", 50_000) + "</script></body></html>"), ""},
	}
	return cases
}

// TestRunHostileCorpus runs the hostile cases and 20 good pages through
// the CLI (a child process, for its peak RSS) into a Parquet dataset
// partitioned by site and year: the run must finish with exit 0 or 3,
// every good page must be a review exactly once, every hostile file a
// review or a reject with a specific reason (the one its case names, if
// any), and no numeric column may hold NaN, ±Inf or a value out of range.
func TestRunHostileCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("writes about 90 MB of generated pages")
	}
	in := t.TempDir()
	cases := hostileCases(t)
	if len(cases) < 60 {
		t.Fatalf("%d hostile cases, want at least 60", len(cases))
	}
	want := map[string]string{}
	for _, c := range cases {
		path := filepath.Join(in, "hostile", c.name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, c.body, 0o644); err != nil {
			t.Fatal(err)
		}
		if mt, ok := hostileMtimes[c.name]; ok {
			if err := os.Chtimes(path, mt, mt); err != nil {
				t.Fatal(err)
			}
		}
		want[path] = c.want
	}
	for i := range 20 {
		path := filepath.Join(in, "good", fmt.Sprintf("good-%02d.html", i))
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, testshared.ReviewPage(1000+i, i%3), 0o644); err != nil {
			t.Fatal(err)
		}
		want[path] = "review"
	}
	out := t.TempDir()
	cfg := writeConfig(t, fmt.Sprintf(`
sources:
  - {type: files, paths: [%q]}
extract: {max_page_bytes: 2MB}
sinks:
  - {type: parquet, path: %q, partition_by: [site, published_year]}
`, in, filepath.Join(out, "reviews")))
	cmd := exec.Command(os.Args[0], "-test.run=^TestRunHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "REVIEWPIPE_HELPER_CONFIG="+cfg)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
	t.Logf("%d hostile files + 20 good pages: exit %d, peak RSS %d MiB", len(cases), code, rss/1024)
	if code != exitOK && code != exitRejects {
		t.Fatalf("exit code %d, want 0 or 3; stderr:\n%s", code, tail(stderr.String(), 40))
	}
	if strings.Contains(stderr.String(), "panic") {
		t.Errorf("a stage panicked:\n%s", tail(stderr.String(), 40))
	}
	db := openDuckDB(t)
	got := map[string][]string{}
	collect := func(q string) {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		for rows.Next() {
			var src, what string
			if err := rows.Scan(&src, &what); err != nil {
				t.Fatal(err)
			}
			got[src] = append(got[src], what)
		}
	}
	reviews := filepath.Join(out, "reviews", "**", "*.parquet")
	collect(fmt.Sprintf(`SELECT source, 'review' FROM read_parquet('%s')`, reviews))
	collect(fmt.Sprintf(`SELECT source, reason FROM read_parquet('%s')`, filepath.Join(out, "rejects", "*.parquet")))
	outcomes := map[string]int{}
	for path, w := range want {
		g := got[path]
		name := filepath.Base(path)
		switch {
		case len(g) != 1:
			t.Errorf("%s: %d outcomes %v, want exactly one", name, len(g), g)
		case w != "" && g[0] != w:
			t.Errorf("%s: %s, want %s", name, g[0], w)
		case g[0] == "failed" || g[0] == "panic":
			t.Errorf("%s: reject reason %q is not specific", name, g[0])
		}
		if len(g) > 0 {
			outcomes[g[0]]++
		}
	}
	t.Logf("outcomes: %v", outcomes)
	var bad int
	check := fmt.Sprintf(`SELECT count(*) FROM read_parquet('%s') WHERE
		isnan(rating_value) OR isinf(rating_value) OR isnan(rating_best) OR isinf(rating_best) OR isnan(rating_worst) OR isinf(rating_worst)
		OR isnan(rating) OR isinf(rating) OR rating < 0 OR rating > 1
		OR isnan(user_rating) OR isinf(user_rating) OR user_rating < 0 OR user_rating > 1 OR user_rating_count < 0
		OR rating_best IS NOT NULL AND (rating_value < least(coalesce(rating_worst, 0), rating_best)
			OR rating_value > greatest(coalesce(rating_worst, 0), rating_best) OR rating_best = coalesce(rating_worst, 0))
		OR item_year < 1000 OR item_year > year(fetched_at) + 10 OR word_count < 0 OR comment_count < 0
		OR published_at > fetched_at + INTERVAL 2 DAY OR year(published_at) < 1900
		OR modified_at > fetched_at + INTERVAL 2 DAY OR modified_at <= published_at
		OR fetched_at > now() + INTERVAL 1 DAY OR year(fetched_at) < 1991`, reviews)
	if err := db.QueryRow(check).Scan(&bad); err != nil {
		t.Fatal(err)
	}
	if bad != 0 {
		t.Errorf("%d reviews hold NaN, ±Inf or out-of-range numbers", bad)
	}
}

func tail(s string, lines int) string {
	l := strings.Split(s, "\n")
	return strings.Join(l[max(0, len(l)-lines):], "\n")
}
