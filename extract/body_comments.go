package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// minJSONLDBody: an articleBody shorter than this is a teaser or a
// description, not the article shipped whole (a few paragraphs).
const minJSONLDBody = 500

// Reader comments, and bodies shipped complete in JSON-LD.

// jsonLDBody renders the article body the page ships complete in JSON-LD
// (ldBody, read with the rest of the page's JSON-LD) when it looks
// complete: long, not cut with an ellipsis.
func jsonLDBody(best string, opts bodyOptions) rendered {
	if utf8.RuneCountInString(best) < minJSONLDBody {
		return rendered{}
	}
	t := strings.TrimSpace(best)
	if strings.HasSuffix(t, "…") || strings.HasSuffix(t, "...") || strings.HasSuffix(t, "[…]") {
		return rendered{}
	}
	w := newBlockWriter(opts)
	if strings.Contains(t, "<") {
		nodes, err := html.ParseFragment(strings.NewReader(t), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
		if err == nil {
			for _, n := range nodes {
				w.walk(n)
			}
			return w.article()
		}
	}
	w.addPlain(t)
	return w.join(w.blocks)
}

// Reader comments.

var (
	commentMeta = []string{"author", "meta", "date", "time", "reply", "avatar", "vcard", "says", "fn", "permalink",
		"edit", "like", "action", "footer", "header", "byline", "user", "name", "posted", "published", "report", "vote", "rating"}
)

// emptyPrefixes and emptyPhrases are the placeholders comment systems show
// for a thread without comments.
var (
	emptyPrefixes = []string{"no comments", "no responses", "no replies", "no reviews", "there are no comments",
		"there are no responses", "there are no replies", "there are no reviews"}
	emptyPhrases = []string{"be the first", "comments are closed", "comment is closed", "comments is closed",
		"comments are disabled", "comment is disabled", "keine kommentare", "noch keine", "aucun commentaire",
		"sin comentarios", "nessun commento", "geen reacties"}
)

// isEmptyComments recognises the placeholder text of an empty comment
// thread ("No comments yet. Be the first!").
func isEmptyComments(text string) bool {
	l := strings.ToLower(text)
	return hasPrefixAny(l, emptyPrefixes) || containsAny(l, emptyPhrases)
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// isCommentItem recognises the element of one comment by the markers
// comment systems put on it: schema.org Comment, the class names of
// WordPress-style and generic templates, comment-NNN ids, or being an item
// of a list named for comments.
func isCommentItem(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Li, atom.Article, atom.Div, atom.Section, atom.Blockquote, atom.Dd:
	default:
		return false
	}
	for _, at := range n.Attr {
		switch at.Key {
		case "itemtype":
			if strings.Contains(at.Val, "Comment") && !strings.Contains(at.Val, "CommentAction") {
				return true
			}
		case "class":
			for f := range strings.FieldsSeq(strings.ToLower(at.Val)) {
				if commentItemClass[f] || isCommentItemClass(f) {
					return true
				}
			}
		case "id":
			if commentItemID.MatchString(strings.ToLower(at.Val)) {
				return true
			}
		}
	}
	if n.DataAtom == atom.Li && n.Parent != nil && (n.Parent.DataAtom == atom.Ol || n.Parent.DataAtom == atom.Ul) {
		for _, at := range n.Parent.Attr {
			if at.Key != "class" && at.Key != "id" {
				continue
			}
			for f := range strings.FieldsSeq(strings.ToLower(at.Val)) {
				if !containsAny(f, commentStems) {
					continue
				}
				if w := splitWords(f); len(w) > 0 && isCommentWord(w[0]) && !strings.Contains(f, "recent") {
					return true
				}
			}
		}
	}
	return false
}

// commentItemStarts are the beginnings isCommentItemClass requires: a
// comment noun or "single".
var commentItemStarts = []string{"comment", "kommentar", "commento", "comentario", "komentar", "reactie", "reaction", "single"}

// isCommentItemClass recognises the class of one comment's element: a
// comment noun in any of the corpus languages, alone or with one part word.
func isCommentItemClass(f string) bool {
	// Most class names name no comment at all: they are let go before
	// being split.
	if !hasPrefixAny(f, commentItemStarts) {
		return false
	}
	w := splitWords(f)
	switch len(w) {
	case 1:
		return commentNouns[w[0]]
	case 2:
		return commentNouns[w[0]] && commentItemParts[w[1]] || w[0] == "single" && commentNouns[w[1]]
	}
	return false
}

func isCommentMeta(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Footer, atom.Header, atom.Time, atom.Cite, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	for _, at := range n.Attr {
		if at.Key != "class" && at.Key != "itemprop" {
			continue
		}
		for _, w := range splitWords(strings.ToLower(at.Val)) {
			if hasPrefixAny(w, commentMeta) {
				return true
			}
		}
	}
	return false
}

// findComments returns the page's reader comments in page order. A marked
// element that has no text of its own outside other marked elements and
// their meta lines is a wrapper (WordPress puts li.comment around
// article.comment-body), so only the innermost element carrying the text
// counts, while replies nested in a comment count on their own. Forms were
// removed by clean, so a comment form can never be counted.
func findComments(root *html.Node) []record.Comment {
	var items []*html.Node
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if isCommentItem(c) {
				items = append(items, c)
			}
			visit(c)
		}
	}
	visit(root)
	if len(items) == 0 {
		return nil
	}
	isItem := make(map[*html.Node]bool, len(items))
	for _, n := range items {
		isItem[n] = true
	}
	var out []record.Comment
	for _, n := range items {
		c, ok := readComment(n, isItem)
		if ok {
			out = append(out, c)
		}
	}
	return out
}

func readComment(item *html.Node, isItem map[*html.Node]bool) (record.Comment, bool) {
	var (
		own                   strings.Builder
		author, date, content *html.Node
	)
	var walk func(n *html.Node, inMeta bool)
	walk = func(n *html.Node, inMeta bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				if !inMeta {
					own.WriteString(c.Data)
					own.WriteByte(' ')
				}
			case html.ElementNode:
				if isItem[c] {
					continue
				}
				meta := inMeta || isCommentMeta(c)
				if author == nil && isAuthorNode(c) {
					author = c
				}
				if date == nil && c.DataAtom == atom.Time {
					date = c
				}
				if content == nil && isContentNode(c) {
					content = c
				}
				if c.DataAtom == atom.Br || blockTags[c.DataAtom] {
					own.WriteByte(' ')
				}
				walk(c, meta)
			}
		}
	}
	walk(item, false)
	text := normSpace(own.String())
	if content != nil {
		var w blockWriter
		w.walk(content)
		if t := w.plain(); t != "" {
			text = t
		}
	}
	if strings.IndexFunc(text, unicode.IsLetter) < 0 || isEmptyComments(text) {
		return record.Comment{}, false
	}
	var c record.Comment
	c.Body = text
	if author != nil {
		c.Author = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(textOf(author), ":"), "says"), "said"))
	}
	if date != nil {
		c.Published = attr(date, "datetime")
		if c.Published == "" {
			c.Published = textOf(date)
		}
	}
	return c, true
}

func isAuthorNode(n *html.Node) bool {
	for _, at := range n.Attr {
		switch at.Key {
		case "itemprop":
			if strings.EqualFold(at.Val, "author") || strings.EqualFold(at.Val, "creator") {
				return true
			}
		case "class":
			for f := range strings.FieldsSeq(strings.ToLower(at.Val)) {
				if f == "fn" || f == "comment-author" || f == "author" || f == "username" || f == "user-name" || f == "comment-author-name" || f == "author-name" {
					return true
				}
			}
		}
	}
	return false
}

func isContentNode(n *html.Node) bool {
	for _, at := range n.Attr {
		switch at.Key {
		case "itemprop":
			if strings.EqualFold(at.Val, "text") || strings.EqualFold(at.Val, "commentText") {
				return true
			}
		case "class":
			for f := range strings.FieldsSeq(strings.ToLower(at.Val)) {
				switch f {
				case "comment-content", "comment-text", "comment_text", "comment_content", "commenttext", "comment-body-text", "comment-message":
					return true
				}
			}
		}
	}
	return false
}
