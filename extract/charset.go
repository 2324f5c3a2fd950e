package extract

import (
	"bytes"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/saintfish/chardet"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// minCharsetConfidence: chardet's confidence (0–100) below which its guess
// is no better than the UTF-8 / Windows-1252 default.
const minCharsetConfidence = 50

// metaScanLen is how far into a page a <meta charset> is looked for. The
// HTML standard's prescan stops at 1024 bytes, but many real pages put
// their charset after kilobytes of scripts and styles, and browsers still
// honour it there.
const metaScanLen = 64 << 10

// toUTF8 returns body as UTF-8 and the name of the encoding it was read
// as. The order of trust is a byte-order mark, then a UTF-8 body (pages
// that declare Latin-1 but were saved as UTF-8 are common, and valid UTF-8
// with non-ASCII text is all but impossible by accident), then the charset
// of the Content-Type header, then <meta charset>/http-equiv, then UTF-8
// when nearly all of the body is valid UTF-8, else Windows-1252 (the
// WHATWG default, and a superset of ISO-8859-1). Bytes invalid in the
// chosen encoding become U+FFFD, so every string written downstream is
// valid UTF-8.
func toUTF8(body []byte, contentType string) ([]byte, string) {
	switch {
	case bytes.HasPrefix(body, []byte("\xef\xbb\xbf")):
		return validUTF8(body[3:]), "utf-8"
	case bytes.HasPrefix(body, []byte("\xff\xfe")):
		return decode(body, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)), "utf-16le"
	case bytes.HasPrefix(body, []byte("\xfe\xff")):
		return decode(body, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)), "utf-16be"
	}
	if utf8.Valid(body) {
		return body, "utf-8"
	}
	if enc, name := declaredCharset(body, contentType); enc != nil {
		if name == "utf-8" {
			return validUTF8(body), name
		}
		return decode(body, enc), name
	}
	if mostlyUTF8(body) {
		return validUTF8(body), "utf-8"
	}
	if enc, name := detectCJK(body); enc != nil {
		return decode(body, enc), name
	}
	return decode(body, charmap.Windows1252), "windows-1252"
}

// detectCJK guesses the multi-byte East Asian encodings a page may be in
// without saying so (Shift_JIS, EUC-JP, GB18030, Big5, EUC-KR), where
// reading Windows-1252 would turn every character into two of mojibake.
// Single-byte guesses are not taken: on Latin text they confuse
// ISO-8859-1 with its cousins, and Windows-1252 is the better default.
func detectCJK(body []byte) (encoding.Encoding, string) {
	sample := body[:min(len(body), metaScanLen)]
	r, err := chardet.NewHtmlDetector().DetectBest(sample)
	if err != nil || r.Confidence < minCharsetConfidence {
		return nil, ""
	}
	// chardet says "GB-18030"; the WHATWG label is "gb18030".
	label := strings.ReplaceAll(strings.ToLower(r.Charset), "gb-18030", "gb18030")
	switch label {
	case "shift_jis", "euc-jp", "iso-2022-jp", "gb18030", "big5", "euc-kr", "iso-2022-kr", "iso-2022-cn":
		if enc, name := charset.Lookup(label); enc != nil {
			return enc, name
		}
	}
	return nil, ""
}

// declaredCharset returns the encoding the Content-Type header or the
// page's own <meta> declares, nil when neither names a known one.
func declaredCharset(body []byte, contentType string) (encoding.Encoding, string) {
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		if enc, name := charset.Lookup(params["charset"]); enc != nil {
			return enc, name
		}
	}
	head := body[:min(len(body), metaScanLen)]
	for i := 0; i < len(head); {
		j := indexFold(head[i:], "<meta")
		if j < 0 {
			break
		}
		tag := head[i+j:]
		if k := bytes.IndexByte(tag, '>'); k >= 0 {
			tag = tag[:k]
		}
		if enc, name := metaCharset(tag); enc != nil {
			return enc, name
		}
		i += j + len("<meta")
	}
	return nil, ""
}

// metaCharset reads the charset of one <meta …> tag: charset="x" or the
// charset parameter of content="text/html; charset=x".
func metaCharset(tag []byte) (encoding.Encoding, string) {
	k := indexFold(tag, "charset")
	if k < 0 {
		return nil, ""
	}
	v := bytes.TrimLeft(tag[k+len("charset"):], " \t\r\n")
	if len(v) == 0 || v[0] != '=' {
		return nil, ""
	}
	v = bytes.TrimLeft(v[1:], " \t\r\n\"'")
	end := 0
	for end < len(v) && v[end] != '"' && v[end] != '\'' && v[end] != ';' && v[end] != ' ' && v[end] != '/' && v[end] != '\t' {
		end++
	}
	return charset.Lookup(string(v[:end]))
}

// indexFold is bytes.Index for an ASCII lower-case needle, ignoring the
// case of s; it does not allocate, unlike lower-casing the page first.
func indexFold(s []byte, needle string) int {
	for i := 0; i+len(needle) <= len(s); i++ {
		j := 0
		for j < len(needle) {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != needle[j] {
				break
			}
			j++
		}
		if j == len(needle) {
			return i
		}
	}
	return -1
}

// mostlyUTF8 reports whether body is UTF-8 with a few stray bytes (a page
// assembled from parts, one of them Latin-1): at least 90 % of its
// non-ASCII sequences are valid UTF-8.
func mostlyUTF8(body []byte) bool {
	good, bad := 0, 0
	for i := 0; i < len(body); {
		if body[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && size == 1 {
			bad++
		} else {
			good++
		}
		i += size
	}
	return good > 0 && good >= 9*bad
}

// validUTF8 replaces invalid bytes with U+FFFD, copying only when needed.
func validUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	return bytes.ToValidUTF8(b, []byte("\uFFFD"))
}

// decode converts b from enc; what enc cannot map becomes U+FFFD.
func decode(b []byte, enc encoding.Encoding) []byte {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		// The x/text decoders replace bad input rather than fail; an error
		// here means a stateful decoder gave up, so keep what is readable.
		return validUTF8(b)
	}
	return validUTF8(out)
}
