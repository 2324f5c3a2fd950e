package extract

import (
	"bytes"
	"encoding/json"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// sniffLen bounds how much of the head of a document the byte-signature
// checks look at: signatures and binary garbage show up early, and scanning
// a 16 MB page for NUL bytes twice would cost more than it tells.
const sniffLen = 1024

// magic lists byte signatures of formats that are sometimes served or saved
// under an .html name. Each is checked at the very start of the document.
var magic = []struct {
	prefix string
	what   string
}{
	{"%PDF", "%PDF"},
	{"\x89PNG\r\n\x1a\n", "the PNG signature"},
	{"\xff\xd8\xff", "the JPEG signature"},
	{"GIF87a", "GIF87a"},
	{"GIF89a", "GIF89a"},
	{"PK\x03\x04", "the ZIP signature PK\\x03\\x04"},
	{"\x1f\x8b", "the gzip signature"},
	{"RIFF", "RIFF"},
	{"\x00\x00\x01\x00", "the ICO signature"},
	{"%!PS", "%!PS"},
	{"{\\rtf", "{\\rtf"},
	{"BZh", "BZh"},
	{"7z\xbc\xaf\x27\x1c", "the 7-Zip signature"},
	{"\xd0\xcf\x11\xe0", "the OLE2 signature"},
}

// checkHTML decides before parsing whether body can be an HTML document,
// because the HTML parser accepts any bytes and would turn a PDF or a cut-off
// download into a plausible-looking but meaningless tree. It returns a
// *record.RejectError: ReasonEmpty for no content (blank input, or only a
// doctype/comments/skeleton tags), ReasonNotHTML for other formats (binary,
// JSON, plain text without tags, XML that is not XHTML, a non-HTML declared
// contentType; "" means unknown), and ReasonTruncated when the document ends
// inside a tag, a comment or a script/style element.
func checkHTML(body []byte, contentType string) error {
	_, err := sniffHTML(body, contentType, nil)
	return err
}

// sniffHTML is checkHTML that also returns the document it checked (body
// without a UTF-8 BOM and surrounding white space) and, when spans is not
// nil, appends to it the byte ranges of that document holding the content
// of script and style elements that no stage reads (see stripSpans).
func sniffHTML(body []byte, contentType string, spans *[]span) ([]byte, error) {
	b := bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 {
		if len(body) == 0 {
			return nil, record.Rejectf(record.ReasonEmpty, "no bytes")
		}
		return nil, record.Rejectf(record.ReasonEmpty, "only whitespace (%d bytes)", len(body))
	}
	if err := checkContentType(contentType); err != nil {
		return nil, err
	}
	for _, m := range magic {
		if bytes.HasPrefix(b, []byte(m.prefix)) || bytes.HasPrefix(trimmed, []byte(m.prefix)) {
			return nil, record.Rejectf(record.ReasonNotHTML, "starts with %s", m.what)
		}
	}
	head := trimmed[:min(len(trimmed), sniffLen)]
	if i := bytes.IndexByte(head, 0); i >= 0 {
		return nil, record.Rejectf(record.ReasonNotHTML, "binary data: NUL byte at offset %d", i)
	}
	if !utf8.Valid(head) && binaryRatio(head) > 0.3 {
		return nil, record.Rejectf(record.ReasonNotHTML, "binary data: mostly control bytes in the first %d bytes", len(head))
	}
	switch trimmed[0] {
	case '{', '[':
		if json.Valid(trimmed) {
			return nil, record.Rejectf(record.ReasonNotHTML, "a JSON document (starts with %q)", string(trimmed[0]))
		}
	}
	if bytes.HasPrefix(trimmed, []byte("<?xml")) {
		if root := xmlRoot(trimmed); root != "" && !strings.EqualFold(root, "html") {
			return nil, record.Rejectf(record.ReasonNotHTML, "an XML document with root element <%s>, not XHTML", root)
		}
	}
	return trimmed, scanMarkup(trimmed, spans)
}

// checkContentType rejects declared media types that can never hold HTML.
// Ambiguous ones (text/plain, application/octet-stream) are left to sniffing
// because servers use them for HTML files all the time.
func checkContentType(contentType string) error {
	if strings.TrimSpace(contentType) == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0]))
	}
	top, sub, _ := strings.Cut(mt, "/")
	switch {
	case top == "image", top == "audio", top == "video", top == "font", top == "model":
	case mt == "application/pdf", mt == "application/zip", mt == "application/gzip",
		mt == "application/x-gzip", mt == "application/json", mt == "application/javascript",
		mt == "text/javascript", mt == "text/css", mt == "text/csv", mt == "application/msword",
		mt == "application/rss+xml", mt == "application/atom+xml", mt == "application/wasm",
		strings.HasPrefix(sub, "vnd.openxmlformats"), strings.HasPrefix(sub, "vnd.ms-"),
		strings.HasSuffix(sub, "+json"):
	default:
		return nil
	}
	return record.Rejectf(record.ReasonNotHTML, "content type %q", contentType)
}

// binaryRatio is the share of control bytes other than common whitespace.
func binaryRatio(b []byte) float64 {
	n := 0
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			n++
		}
	}
	return float64(n) / float64(len(b))
}

// xmlRoot returns the name of the first element of an XML document, skipping
// the declaration, processing instructions, comments and the doctype.
func xmlRoot(b []byte) string {
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 || i+j+1 >= len(b) {
			return ""
		}
		i += j + 1
		switch b[i] {
		case '?', '!':
			if bytes.HasPrefix(b[i:], []byte("!--")) {
				k := bytes.Index(b[i:], []byte("-->"))
				if k < 0 {
					return ""
				}
				i += k + 3
				continue
			}
			k := bytes.IndexByte(b[i:], '>')
			if k < 0 {
				return ""
			}
			i += k + 1
		default:
			k := i
			for k < len(b) && !isSpaceByte(b[k]) && b[k] != '>' && b[k] != '/' {
				k++
			}
			name := string(b[i:k])
			if _, local, ok := strings.Cut(name, ":"); ok {
				name = local
			}
			return name
		}
	}
	return ""
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

func isASCIILetter(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// skeletonTags carry no content of their own: a document made only of them
// (and comments, a doctype, whitespace) is empty rather than malformed.
var skeletonTags = map[string]bool{"html": true, "head": true, "body": true, "title": true, "meta": true, "link": true, "base": true}

// scanMarkup walks the document once with a reduced version of the HTML
// tokenizer's states (data, tag, comment, raw text), which is enough to tell
// where the document ends: inside a tag, a comment or a script means the
// bytes were cut off. It also counts tags and text so that documents
// without any markup, or without any content, are told apart.
func scanMarkup(b []byte, spans *[]span) error {
	sc := markupScanner{b: b, spans: spans}
	if err := sc.run(); err != nil {
		return err
	}
	switch {
	case sc.tags == 0 && sc.text:
		return record.Rejectf(record.ReasonNotHTML, "plain text without any tags (starts with %q)", fragment(b))
	case sc.contentTags == 0 && !sc.text:
		return record.Rejectf(record.ReasonEmpty, "no content: only a doctype, comments or empty html/head/body tags")
	}
	return nil
}

// markupScanner is scanMarkup's state.
type markupScanner struct {
	b     []byte
	i     int
	spans *[]span

	tags, contentTags int
	text              bool
	scratch           [16]byte // holds the lower-cased tag name
	// foreignDepth counts open svg and math elements, where script and
	// style are not raw text; quietUntil ends the raw text of an element
	// the parser reads as text (noscript, iframe…). No span is recorded
	// inside either.
	foreignDepth, quietUntil int
}

func (sc *markupScanner) run() error {
	b := sc.b
	for sc.i < len(b) {
		lt := bytes.IndexByte(b[sc.i:], '<')
		if lt < 0 {
			if !sc.text && len(bytes.TrimSpace(b[sc.i:])) > 0 {
				sc.text = true
			}
			return nil
		}
		if !sc.text && len(bytes.TrimSpace(b[sc.i:sc.i+lt])) > 0 {
			sc.text = true
		}
		sc.i += lt
		start := sc.i
		rest := b[sc.i+1:]
		var err error
		switch {
		case bytes.HasPrefix(rest, []byte("!--")):
			err = sc.comment(start)
		case len(rest) > 1 && rest[0] == '/' && !isASCIILetter(rest[1]) && bytes.IndexByte(rest, '>') >= 0:
			// "</" not followed by a letter opens a bogus comment up to
			// the next '>' ("</>" is dropped), as the tokenizer reads it.
			sc.i = sc.i + 1 + bytes.IndexByte(rest, '>') + 1
		case len(rest) > 0 && (rest[0] == '!' || rest[0] == '?'):
			end := bytes.IndexByte(rest, '>')
			if end < 0 {
				return record.Rejectf(record.ReasonTruncated, "ends inside an unclosed declaration %q", fragment(b[start:]))
			}
			sc.i = sc.i + 1 + end + 1
		case len(rest) > 0 && (isASCIILetter(rest[0]) || rest[0] == '/' && len(rest) > 1 && isASCIILetter(rest[1])):
			err = sc.tag(start)
		case len(rest) == 0:
			return record.Rejectf(record.ReasonTruncated, "ends with a lone %q", "<")
		default:
			// A '<' that starts no tag is text, as in "a < b".
			sc.text = true
			sc.i++
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// comment skips the comment that starts at start.
func (sc *markupScanner) comment(start int) error {
	b := sc.b
	body := b[sc.i+4:]
	if bytes.HasPrefix(body, []byte(">")) || bytes.HasPrefix(body, []byte("->")) {
		sc.i = sc.i + 4 + bytes.IndexByte(body, '>') + 1
		return nil
	}
	// "--!>" also closes a comment, as browsers parse it.
	end, n := bytes.Index(body, []byte("-->")), 3
	scope := body
	if end >= 0 {
		scope = body[:end]
	}
	if bang := bytes.Index(scope, []byte("--!>")); bang >= 0 {
		end, n = bang, 4
	}
	if end < 0 {
		return record.Rejectf(record.ReasonTruncated, "ends inside an unclosed comment %q", fragment(b[start:]))
	}
	sc.i = sc.i + 4 + end + n
	return nil
}

// tag reads the start or end tag at start and, for an element whose
// content is text up to its end tag, skips that text.
func (sc *markupScanner) tag(start int) error {
	b := sc.b
	end, ok := tagEnd(b, sc.i+1)
	if !ok {
		return record.Rejectf(record.ReasonTruncated, "ends inside an unclosed tag %q", fragment(b[start:]))
	}
	closing := b[sc.i+1] == '/'
	name := tagName(b[sc.i+1:end], sc.scratch[:0])
	sc.tags++
	if !skeletonTags[string(name)] {
		sc.contentTags++
	}
	sc.i = end + 1
	if foreign := string(name) == "svg" || string(name) == "math"; foreign && closing && sc.foreignDepth > 0 {
		sc.foreignDepth--
	} else if foreign && !closing && b[end-1] != '/' {
		sc.foreignDepth++
	}
	if closing || b[end-1] == '/' {
		return nil
	}
	if rawTextTags[string(name)] && sc.i > sc.quietUntil {
		// The parser reads these as text up to their end tag, so a
		// "<script>" inside is no script: record no span there.
		sc.quietUntil = len(b)
		if k := indexCloseTag(b[sc.i:], string(name)); k >= 0 {
			sc.quietUntil = sc.i + k
		}
	}
	for _, raw := range rawContentTags {
		if string(name) == raw {
			return sc.rawText(raw, start, end)
		}
	}
	return nil
}

// rawContentTags are the elements whose content is text up to their end
// tag, which the scanner skips.
var rawContentTags = []string{"script", "style", "textarea", "title"}

// rawText skips the content of a script, style, textarea or title, and
// records a span to strip for a script (not JSON) or a style.
func (sc *markupScanner) rawText(raw string, start, end int) error {
	b, i := sc.b, sc.i
	endAt := indexCloseTag(b[i:], raw)
	if endAt < 0 {
		return record.Rejectf(record.ReasonTruncated, "ends inside an unterminated <%s> element", raw)
	}
	if (raw == "title" || raw == "textarea") && len(bytes.TrimSpace(b[i:i+endAt])) > 0 {
		sc.text = true
	}
	if sc.spans != nil && sc.foreignDepth == 0 && start >= sc.quietUntil && (raw == "style" || raw == "script" && !jsonScript(b[start:end])) && endAt > 0 &&
		!bytes.Contains(b[i:i+endAt], []byte("<!--")) {
		*sc.spans = append(*sc.spans, span{i, i + endAt})
	}
	sc.i += endAt
	return nil
}

// tagEnd returns the index of the '>' that closes the tag whose name starts
// at i, honouring quoted attribute values the way browsers do: a quote opens
// a value only right after '='.
func tagEnd(b []byte, i int) (int, bool) {
	afterEq := false
	for i < len(b) {
		c := b[i]
		switch {
		case c == '>':
			return i, true
		case c == '=':
			afterEq = true
		case (c == '"' || c == '\'') && afterEq:
			j := bytes.IndexByte(b[i+1:], c)
			if j < 0 {
				return 0, false
			}
			i += j + 1
			afterEq = false
		case isSpaceByte(c):
		default:
			afterEq = false
		}
		i++
	}
	return 0, false
}

// tagName returns the lower-cased element name of a tag's inside ("div
// class=x", "/p"), appended to dst. It is called for every tag of every
// page: an ASCII name is lowered in place of a string allocation.
func tagName(b, dst []byte) []byte {
	b = bytes.TrimPrefix(b, []byte("/"))
	k := 0
	for k < len(b) && !isSpaceByte(b[k]) && b[k] != '/' && b[k] != '>' {
		k++
	}
	for _, c := range b[:k] {
		if c >= utf8.RuneSelf {
			return append(dst[:0], strings.ToLower(string(b[:k]))...)
		}
	}
	for _, c := range b[:k] {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// indexCloseTag is bytes.Index for "</" + name, ignoring ASCII case; it
// hops from '<' to '<' to stay linear in practice.
func indexCloseTag(b []byte, name string) int {
	n := len(name) + 2
	for i := 0; i+n <= len(b); i++ {
		j := bytes.IndexByte(b[i:len(b)-n+1], '<')
		if j < 0 {
			return -1
		}
		i += j
		if b[i+1] == '/' && strings.EqualFold(string(b[i+2:i+n]), name) {
			return i
		}
	}
	return -1
}

// fragment returns the start of b for a reject detail: at most 40 bytes, cut
// at a rune boundary, so that the detail shows what was seen.
func fragment(b []byte) string {
	const max = 40
	if len(b) <= max {
		return string(b)
	}
	b = b[:max]
	for len(b) > 0 && !utf8.Valid(b) {
		b = b[:len(b)-1]
	}
	return string(b) + "…"
}

// rawTextTags are the elements besides script, style, title and textarea
// whose content the HTML parser (with scripting on) reads as plain text.
var rawTextTags = map[string]bool{"noscript": true, "iframe": true, "xmp": true, "noembed": true, "noframes": true, "plaintext": true}

// span is a byte range [start, end) of a document.
type span struct{ start, end int }

// stripSpans returns b without the bytes of spans (in order, disjoint):
// the content of scripts and styles, which is a third of a typical page's
// bytes and which the parser would otherwise tokenize and copy only for
// every stage to drop. Only content that the tokenizer reads as raw text
// up to the first end tag is listed (no "<!--" escapes inside), so the
// tree parsed from the result is the one parsed from b, minus that text;
// JSON-LD scripts are kept for the metadata.
func stripSpans(b []byte, spans []span) []byte {
	if len(spans) == 0 {
		return b
	}
	removed := 0
	for _, s := range spans {
		removed += s.end - s.start
	}
	out := make([]byte, 0, len(b)-removed)
	at := 0
	for _, s := range spans {
		out = append(out, b[at:s.start]...)
		at = s.end
	}
	return append(out, b[at:]...)
}

// jsonScript reports whether a script start tag declares JSON data (JSON-LD
// above all, which the metadata reads), however its attribute is written:
// some sites entity-encode it ("application&#x2F;ld&#x2B;json").
func jsonScript(tag []byte) bool {
	if bytes.IndexByte(tag, '&') >= 0 {
		tag = []byte(html.UnescapeString(string(tag)))
	}
	return indexFold(tag, "json") >= 0
}
