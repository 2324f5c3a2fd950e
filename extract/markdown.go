package extract

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxInfoLine: an info line ("Director: Spike Jonze", "Runtime: 126 min")
// fits a line of a facts box.
const maxInfoLine = 70

// bodyOptions are the per-extractor choices of how the body is rendered.
type bodyOptions struct {
	// Markdown also renders the chosen blocks as Markdown into
	// body.Markdown; off, no Markdown is built at all.
	Markdown bool
}

// blockKind says what a block of the body is, for the Markdown rendering
// and for the rules that trim the body's edges.
type blockKind uint8

const (
	kindPara blockKind = iota
	kindHeading
	// kindItem is the first block of a list item, the one with the marker;
	// later blocks of the same item are kindPara.
	kindItem
	kindCode
)

// block is one paragraph-level unit of the body: its plain text with
// whitespace collapsed (a code block keeps its lines) and, when asked for,
// its Markdown line(s).
type block struct {
	text string
	md   string
	kind blockKind
	// list and depth place a list item: the id of its list and how deep
	// that list is nested.
	list, depth int
}

// listCtx is one open <ul>/<ol> around the writer's position.
type listCtx struct {
	ordered bool
	n       int
	id      int
}

// blockWriter turns subtrees into blocks: one per paragraph-level element
// (paragraph, heading, list item, quote paragraph, table row, code block),
// whitespace collapsed inside, <br> as a block break. It reads the tree and
// never changes it. The zero value writes plain text only.
type blockWriter struct {
	md     bool
	blocks []block

	cur, curMD []byte
	// flushes counts flushed blocks, so that inline markup can tell it was
	// split by a block boundary and must not be wrapped.
	flushes int

	heading int // level of the heading being written, 0 outside one
	quote   int // depth of <blockquote>
	lists   []listCtx
	listIDs int
	// itemOpen is set when a list item started and its marker has not
	// been written yet.
	itemOpen bool
}

func newBlockWriter(opts bodyOptions) *blockWriter {
	return &blockWriter{md: opts.Markdown}
}

// hasWord reports whether b holds a letter or a digit: blocks of only
// punctuation and symbols (separators, icons) are dropped.
func hasWord(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				return true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
		i += n
	}
	return false
}

// isStarRow reports whether a block without words is a row of star
// glyphs ("★★★★☆"): a reviewer's verdict, kept for the rating.
func isStarRow(b []byte) bool {
	if !bytes.ContainsAny(b, "★☆⭐½") {
		return false
	}
	_, _, ok := starGlyphs(strings.TrimSpace(string(b)))
	return ok
}

// appendCollapsed appends src to dst with runs of white space turned into
// one space and the edges trimmed.
func appendCollapsed(dst, src []byte) []byte {
	space := false
	start := len(dst)
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			i++
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v' {
				space = true
				continue
			}
			if space && len(dst) > start {
				dst = append(dst, ' ')
			}
			space = false
			dst = append(dst, c)
			continue
		}
		r, n := utf8.DecodeRune(src[i:])
		if unicode.IsSpace(r) {
			space = true
			i += n
			continue
		}
		if space && len(dst) > start {
			dst = append(dst, ' ')
		}
		space = false
		dst = append(dst, src[i:i+n]...)
		i += n
	}
	return dst
}

func (w *blockWriter) flush() {
	defer func() {
		w.cur = w.cur[:0]
		w.curMD = w.curMD[:0]
		w.heading = 0
		w.flushes++
	}()
	if !hasWord(w.cur) && !isStarRow(w.cur) {
		return
	}
	b := block{text: string(appendCollapsed(nil, w.cur))}
	switch {
	case w.heading > 0:
		b.kind = kindHeading
	case w.itemOpen:
		b.kind = kindItem
	}
	if w.md {
		var line []byte
		line = w.mdPrefix(line, b.kind)
		line = appendCollapsed(line, w.curMD)
		b.md = string(line)
	}
	if b.kind == kindItem {
		w.itemOpen = false
		b.depth = len(w.lists)
		b.list = w.lists[b.depth-1].id
	}
	w.blocks = append(w.blocks, b)
}

// mdPrefix appends the Markdown that starts a block of kind k at the
// writer's position: quote markers, list indentation and marker, heading
// hashes.
func (w *blockWriter) mdPrefix(dst []byte, k blockKind) []byte {
	for range w.quote {
		dst = append(dst, "> "...)
	}
	if d := len(w.lists); d > 0 {
		for range d - 1 {
			dst = append(dst, "    "...)
		}
		if k == kindItem {
			l := &w.lists[d-1]
			if l.ordered {
				dst = strconv.AppendInt(dst, int64(l.n), 10)
				dst = append(dst, ". "...)
			} else {
				dst = append(dst, "- "...)
			}
		} else if k != kindHeading {
			dst = append(dst, "    "...)
		}
	}
	if k == kindHeading {
		for range w.heading {
			dst = append(dst, '#')
		}
		dst = append(dst, ' ')
	}
	return dst
}

func (w *blockWriter) text(s string) {
	s = dropInvisible(s)
	w.cur = append(w.cur, s...)
	if w.md {
		w.curMD = appendEscaped(w.curMD, s)
	}
}

// dropInvisible removes the soft hyphens, zero-width spaces, word joiners
// and stray byte-order marks that pages put inside words for line breaking
// ("Mit&shy;tel&shy;al&shy;ter"): a reader never sees them, but they split
// the words for search and for every tool that reads the text.
func dropInvisible(s string) string {
	if !strings.Contains(s, "\u00ad") && !strings.Contains(s, "\u200b") && !strings.Contains(s, "\u2060") && !strings.Contains(s, "\ufeff") {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case '\u00ad', '\u200b', '\u2060', '\ufeff':
			return -1
		}
		return r
	}, s)
}

// appendEscaped appends s with the characters that would read as inline
// Markdown markup escaped.
func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '*', '_', '`', '[', ']', '\\':
			dst = append(dst, '\\', c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

func (w *blockWriter) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
	default:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.walk(c)
		}
		return
	}
	switch a := n.DataAtom; {
	case a == atom.Br:
		w.flush()
		return
	case a == atom.Pre:
		w.flush()
		w.code(n)
		return
	case a == atom.Td || a == atom.Th:
		w.text(" ")
		w.children(n)
		w.text(" ")
		return
	case a == atom.Em || a == atom.I || a == atom.Strong || a == atom.B || a == atom.Code:
		if !w.md {
			break
		}
		mark := "*"
		switch a {
		case atom.Strong, atom.B:
			mark = "**"
		case atom.Code:
			mark = "`"
		}
		w.inline(n, mark)
		return
	case blockTags[a]:
		w.flush()
		switch {
		case headingTags[a]:
			w.heading = int(a.String()[1] - '0')
		case a == atom.Blockquote:
			w.quote++
			defer func() { w.quote-- }()
		case a == atom.Ul || a == atom.Ol || a == atom.Menu:
			w.listIDs++
			w.lists = append(w.lists, listCtx{ordered: a == atom.Ol, n: listStart(n), id: w.listIDs})
			defer func() { w.lists = w.lists[:len(w.lists)-1] }()
		case a == atom.Li:
			w.itemOpen = len(w.lists) > 0
			defer func() {
				w.flush()
				w.itemOpen = false
				if l := len(w.lists); l > 0 {
					w.lists[l-1].n++
				}
			}()
		}
		w.children(n)
		w.flush()
		return
	}
	w.children(n)
}

func (w *blockWriter) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
}

// listStart is the number of an ordered list's first item.
func listStart(n *html.Node) int {
	if s := attr(n, "start"); s != "" {
		if v, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
			return v
		}
	}
	return 1
}

// inline writes n's children wrapped in the Markdown mark, with the
// white space at the edges kept outside the marks. Markup split by a block
// boundary, or holding nothing, is written bare.
func (w *blockWriter) inline(n *html.Node, mark string) {
	start, flushes := len(w.curMD), w.flushes
	if mark == "`" {
		// Code spans hold their text literally.
		t := textContent(n)
		w.cur = append(w.cur, t...)
		if strings.TrimSpace(t) != "" && !strings.Contains(t, "`") {
			w.curMD = append(w.curMD, '`')
			w.curMD = append(w.curMD, t...)
			w.curMD = append(w.curMD, '`')
		} else {
			w.curMD = appendEscaped(w.curMD, t)
		}
		return
	}
	w.children(n)
	if w.flushes != flushes {
		return
	}
	inner := w.curMD[start:]
	trimmed := strings.TrimSpace(string(inner))
	if trimmed == "" {
		return
	}
	lead := inner[:len(inner)-len(strings.TrimLeftFunc(string(inner), unicode.IsSpace))]
	trail := len(inner) - len(strings.TrimRightFunc(string(inner), unicode.IsSpace))
	out := make([]byte, 0, len(inner)+2*len(mark))
	out = append(out, lead...)
	out = append(out, mark...)
	out = append(out, trimmed...)
	out = append(out, mark...)
	out = append(out, inner[len(inner)-trail:]...)
	w.curMD = append(w.curMD[:start], out...)
}

// textContent is n's text as it is, white space included.
func textContent(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var sb strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				sb.WriteString(c.Data)
			case c.Type == html.ElementNode && c.DataAtom == atom.Br:
				sb.WriteByte('\n')
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return sb.String()
}

// code writes a <pre> as one block that keeps its lines: in the text
// without blank lines (a blank line separates blocks there), in Markdown
// fenced as it is.
func (w *blockWriter) code(n *html.Node) {
	raw := strings.TrimRight(textContent(n), " \t\r\n")
	lines := strings.Split(raw, "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	var text []byte
	for _, l := range lines {
		l = strings.TrimRight(l, " \t\r")
		if strings.TrimSpace(l) == "" {
			continue
		}
		if len(text) > 0 {
			text = append(text, '\n')
		}
		text = append(text, l...)
	}
	if !hasWord(text) {
		return
	}
	b := block{text: string(text), kind: kindCode}
	if w.md {
		prefix := w.mdPrefix(nil, kindCode)
		fence := "```"
		for strings.Contains(raw, fence) {
			fence += "`"
		}
		var md []byte
		md = append(append(append(md, prefix...), fence...), '\n')
		for _, l := range lines {
			md = append(append(append(md, prefix...), strings.TrimRight(l, " \t\r")...), '\n')
		}
		md = append(append(md, prefix...), fence...)
		b.md = string(md)
	}
	w.blocks = append(w.blocks, b)
	w.flushes++
}

// addPlain adds the lines of a plain-text body (JSON-LD articleBody) as
// paragraphs.
func (w *blockWriter) addPlain(t string) {
	for _, line := range strings.Split(t, "\n") {
		w.text(line)
		w.flush()
	}
}

// rendered is a body rendering: its text and, when asked for, Markdown.
type rendered struct {
	Text, Markdown string
}

func (r rendered) runes() int { return utf8.RuneCountInString(r.Text) }

// article joins the blocks, dropping headings left at the end with
// nothing under them (the titles of widgets pruned away) and a leading
// info block.
func (w *blockWriter) article() rendered {
	w.flush()
	k := len(w.blocks)
	for k > 0 && w.blocks[k-1].kind == kindHeading {
		k--
	}
	return w.join(w.blocks[infoBlock(w.blocks[:k]):k])
}

// plain joins the blocks as they are, for text that is not an article.
func (w *blockWriter) plain() string {
	w.flush()
	return w.join(w.blocks).Text
}

func (w *blockWriter) join(blocks []block) rendered {
	var r rendered
	if len(blocks) == 0 {
		return r
	}
	n, m := 0, 0
	for _, b := range blocks {
		n += len(b.text) + 2
		m += len(b.md) + 2
	}
	var sb strings.Builder
	sb.Grow(n)
	for i, b := range blocks {
		if i > 0 {
			sb.WriteString("\n\n")
		}
		sb.WriteString(b.text)
	}
	r.Text = sb.String()
	if w.md {
		var mb strings.Builder
		mb.Grow(m)
		for i, b := range blocks {
			if i > 0 {
				// Items of one list, and of lists nested in it, stay
				// together; two lists side by side are kept apart.
				if p := blocks[i-1]; b.kind == kindItem && p.kind == kindItem && (b.list == p.list || b.depth != p.depth) {
					mb.WriteByte('\n')
				} else {
					mb.WriteString("\n\n")
				}
			}
			mb.WriteString(b.md)
		}
		r.Markdown = mb.String()
	}
	return r
}

// infoBlock returns how many leading blocks form a fact box rather than
// prose: two or more short lines without sentence punctuation ("Rated R",
// "Director: …") right before the first real paragraph. Such lines are
// metadata the page shows above the text, not what the author wrote.
func infoBlock(blocks []block) int {
	n := 0
	for n < len(blocks) && blocks[n].kind != kindHeading && isInfoLine(blocks[n].text) {
		n++
	}
	if n >= 2 && n < len(blocks) && utf8.RuneCountInString(blocks[n].text) >= longParagraph {
		return n
	}
	return 0
}

func isInfoLine(s string) bool {
	if utf8.RuneCountInString(s) > maxInfoLine {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return !strings.ContainsRune(".!?…\"”»)", r)
}

// renderNodes renders the given subtrees, in the order given, as the body
// would render them: elements that never hold text (scripts, forms, media),
// hidden elements and comments are removed, then boilerplate inside them
// (share and related widgets, captions, link lists, bylines, date lines,
// headlines) is pruned, and the rest is written as blocks into Text and,
// when opts.Markdown is set, Markdown. It is for nodes a site rule picked:
// no container is chosen and no comments are read, so Comments is nil.
//
// The nodes must belong to one parsed document that the caller no longer
// needs as it was: they are cleaned and pruned in place. A node inside
// another node of the list is rendered once, with its ancestor. A node that
// is itself hidden is still rendered, since the caller chose it.
func renderNodes(nodes []*html.Node, opts bodyOptions) body {
	var tops []*html.Node
	for _, n := range nodes {
		if n == nil || within(n, nodes) {
			continue
		}
		tops = append(tops, n)
	}
	if len(tops) == 0 {
		return body{}
	}
	a := &analysis{stats: make(map[*html.Node]*stat, 256), names: make(map[string]hint, 64)}
	region := 0
	for _, n := range tops {
		if n.Type == html.ElementNode && dropTags[n.DataAtom] {
			continue
		}
		clean(n)
		t, _ := a.measure(n, false)
		region += t
	}
	w := newBlockWriter(opts)
	for _, n := range tops {
		if n.Type == html.ElementNode && dropTags[n.DataAtom] {
			continue
		}
		a.prune(n, region, "")
		w.walk(n)
	}
	r := w.article()
	return body{Text: r.Text, Markdown: r.Markdown}
}

// within reports whether n has a proper ancestor in nodes.
func within(n *html.Node, nodes []*html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		for _, x := range nodes {
			if x == p {
				return true
			}
		}
	}
	return false
}
