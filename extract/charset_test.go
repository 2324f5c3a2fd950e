package extract

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

func encode(t *testing.T, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encoding %q: %v", s, err)
	}
	return b
}

func TestToUTF8(t *testing.T) {
	const de = "Gesine aus Tübingen läuft die Zeit davon – fürs Studium, für 200 €."
	const ja = "彼女は映画の中で、声だけの存在として描かれている。"
	const zh = "这部电影讲述了一个男人爱上人工智能的故事。"
	page := func(head, text string) string {
		return "<!doctype html><html><head>" + head + "<title>t</title></head><body><p>" + text + "</p></body></html>"
	}
	tests := []struct {
		name        string
		body        []byte
		contentType string
		want        string // a substring of the output
		wantEnc     string
	}{
		{"utf-8 without declaration", []byte(page("", de)), "", de, "utf-8"},
		{"utf-8 declared as latin-1", []byte(page(`<meta charset="iso-8859-1">`, de)), "", de, "utf-8"},
		{"windows-1252 meta charset", encode(t, charmap.Windows1252, page(`<meta charset="windows-1252">`, de)), "", de, "windows-1252"},
		{"iso-8859-1 http-equiv", encode(t, charmap.Windows1252, page(`<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=ISO-8859-1">`, de)), "", de, "windows-1252"},
		{"latin-1 from the header only", encode(t, charmap.ISO8859_1, page("", "Tübingen läuft")), "text/html; charset=ISO-8859-1", "Tübingen läuft", "windows-1252"},
		{"header wins over meta", encode(t, charmap.Windows1252, page(`<meta charset="shift_jis">`, de)), "text/html; charset=windows-1252", de, "windows-1252"},
		{"meta after 1024 bytes of script", encode(t, charmap.Windows1252, page("<script>"+strings.Repeat("var a = 1;\n", 300)+`</script><meta charset="windows-1252">`, de)), "", de, "windows-1252"},
		{"undeclared latin-1", encode(t, charmap.Windows1252, page("", de)), "", de, "windows-1252"},
		{"shift_jis", encode(t, japanese.ShiftJIS, page(`<meta http-equiv="content-type" content="text/html;charset=Shift_JIS">`, ja)), "", ja, "shift_jis"},
		{"gb18030", encode(t, simplifiedchinese.GB18030, page(`<meta charset='gb18030'>`, zh)), "", zh, "gb18030"},
		{"gb2312 is read as gbk", encode(t, simplifiedchinese.GBK, page(`<meta charset=gb2312>`, zh)), "", zh, "gbk"},
		{"utf-16le with bom", encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), page("", de)), "", de, "utf-16le"},
		{"utf-16be with bom", encode(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM), page("", de)), "", de, "utf-16be"},
		{"utf-8 bom", append([]byte("\xef\xbb\xbf"), page("", de)...), "", de, "utf-8"},
		{"utf-8 with one stray latin-1 byte", []byte(page("", de+" "+de+" caf\xe9")), "", de, "utf-8"},
		{"declared utf-8 with a bad byte", []byte(page(`<meta charset="utf-8">`, "caf\xe9 "+de)), "", "caf\uFFFD " + de, "utf-8"},
		{"undeclared shift_jis is detected", encode(t, japanese.ShiftJIS, page("", ja+ja+ja)), "", ja, "shift_jis"},
		{"undeclared gb18030 is detected", encode(t, simplifiedchinese.GB18030, page("", zh+zh+zh)), "", zh, "gb18030"},
		{"undeclared euc-jp is detected", encode(t, japanese.EUCJP, page("", ja+ja+ja)), "", ja, "euc-jp"},
		{"unknown declared charset", encode(t, charmap.Windows1252, page(`<meta charset="x-klingon">`, de)), "", de, "windows-1252"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, enc := toUTF8(tt.body, tt.contentType)
			if enc != tt.wantEnc {
				t.Errorf("encoding = %q, want %q", enc, tt.wantEnc)
			}
			if !utf8.Valid(got) {
				t.Errorf("output is not valid UTF-8: %q", got)
			}
			if !strings.Contains(string(got), tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, got)
			}
		})
	}
}

// TestExtractDecodesCharset runs whole pages in legacy encodings through
// Extract: the body and the metadata come out as the same UTF-8 text.
func TestExtractDecodesCharset(t *testing.T) {
	const text = "Die Vorlesungen an der Universität beginnen, aber nicht alle Studierenden haben schon ein Zimmer gefunden. " +
		"Manchen bleibt nur die Notunterkunft des Studierendenwerks, während die Suche weitergeht und die Mieten steigen."
	const title = "Wohnungssuche in Freiburg: Studierende sind verzweifelt"
	src := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><title>` + title +
		`</title></head><body><article><h1>` + title + `</h1><p>` + text + `</p><p>` + text + `</p></article></body></html>`
	for _, enc := range []encoding.Encoding{charmap.ISO8859_1, charmap.Windows1252} {
		ex, err := New(DefaultConfig(), nil)
		if err != nil {
			t.Fatal(err)
		}
		r, err := ex.Extract(context.Background(), &record.Page{URL: "https://example.de/a", Body: encode(t, enc, src)})
		if err != nil {
			t.Fatalf("%v: Extract: %v", enc, err)
		}
		if !strings.Contains(r.Body, text) {
			t.Errorf("%v: body = %q, want it to hold %q", enc, r.Body, text)
		}
		if r.Title == nil || *r.Title != title {
			t.Errorf("%v: title = %v, want %q", enc, r.Title, title)
		}
	}
}
