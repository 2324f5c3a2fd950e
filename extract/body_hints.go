package extract

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Class and id hints: the vocabulary that marks content, boilerplate and comments.

// negKind grades how sure a class/id hint is that an element is not
// article text.
type negKind int

const (
	negNone negKind = iota
	// negWeak hints name layout regions (sidebar, header) that some themes
	// also put on wrappers around the article.
	negWeak
	// negNormal hints (meta, nav, widget) lose to a positive hint.
	negNormal
	// negStrong hints (comment, share, related, ad) always mean boilerplate.
	negStrong
)

type hint struct {
	pos     bool
	neg     negKind
	comment bool
	// marked is set by itemprop="articleBody"/"reviewBody": the page's
	// own statement that this is the text, which no class name overrides
	// (ids like "share-btns-container" land on such wrappers).
	marked bool
	// ad is set when the strong hint comes only from a BEM modifier for
	// ads ("TestReport__Section--Ads"): templates put those on the
	// sections of an article that may carry an ad slot.
	ad bool
	// side is set when a weak hint names a sidebar (aside, rail,
	// complementary): a region beside the article, never around it.
	side bool
	// heading is set when a weak hint comes only from class names that
	// name the head of a block ("card-header", "table-header"): inside
	// the article such a block is the head of one of its sections (an
	// accordion question, the first rows of a table), not the page's
	// masthead.
	heading bool
}

// wordSet makes a set of words for lookups.
func wordSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

func hasPrefixAny(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func hasSuffixAny(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasSuffix(s, p) {
			return true
		}
	}
	return false
}

// hintOf reads class, id and role the way Readability and trafilatura do,
// but on words rather than substrings, so that "address" is not an ad and
// "has-sidebar" on a page wrapper does not condemn the article. Class names
// of the form tag-X/category-X are taxonomy labels of the post, not
// descriptions of the element, and are ignored; so are state flags
// ("sd-sharing-enabled", "enable-pin-share").
func (a *analysis) hintOf(n *html.Node) hint {
	s := a.st(n)
	if s.hinted {
		return s.hint
	}
	s.hinted = true
	s.hint = computeHint(n, a.names)
	return s.hint
}

func computeHint(n *html.Node, cache map[string]hint) hint {
	var buf [12]string
	h, names, weakOther := attrHint(n, buf[:0])
	switch n.DataAtom {
	case atom.Nav:
		h.neg = max(h.neg, negNormal)
	case atom.Aside, atom.Footer, atom.Header:
		h.neg = max(h.neg, negWeak)
		weakOther = true
		h.side = h.side || n.DataAtom == atom.Aside
	case atom.Article, atom.Main:
		h.pos = true
	}
	weakHead := false
	for _, name := range names {
		nh, ok := cache[name]
		if !ok {
			nh = nameHint(name)
			if cache != nil {
				cache[name] = nh
			}
		}
		h.pos = h.pos || nh.pos
		switch {
		case nh.neg == negStrong && h.neg != negStrong:
			h.ad = nh.ad
		case nh.neg == negStrong:
			h.ad = h.ad && nh.ad
		}
		h.neg = max(h.neg, nh.neg)
		h.comment = h.comment || nh.comment
		h.side = h.side || nh.side
		if nh.neg == negWeak {
			weakHead = weakHead || nh.heading
			weakOther = weakOther || !nh.heading
		}
	}
	h.heading = h.neg == negWeak && weakHead && !weakOther
	h.side = h.side && h.neg == negWeak
	return h
}

// attrHint reads n's role and itemprop into a hint and appends its class
// names and id to names; weakOther says a role named a layout region.
func attrHint(n *html.Node, names []string) (h hint, _ []string, weakOther bool) {
	for _, at := range n.Attr {
		switch at.Key {
		case "class", "id":
			// The id of a heading is most often its text made into an
			// anchor ("what-to-read-next"), which says nothing of its role.
			if at.Key == "id" && headingTags[n.DataAtom] {
				continue
			}
			for f := range strings.FieldsSeq(at.Val) {
				names = append(names, f)
			}
		case "role":
			switch strings.ToLower(at.Val) {
			case "navigation", "menu", "menubar", "search", "dialog", "alertdialog", "alert", "tablist", "toolbar":
				h.neg = negNormal
			case "complementary", "banner", "contentinfo":
				h.neg = max(h.neg, negWeak)
				weakOther = true
				h.side = h.side || strings.EqualFold(at.Val, "complementary")
			case "main", "article":
				h.pos = true
			}
		case "itemprop":
			switch strings.ToLower(at.Val) {
			case "articlebody", "reviewbody":
				h.pos, h.marked = true, true
			case "text":
				h.pos = true
			}
		}
	}
	return h, names, weakOther
}

// nameHint judges one class name or id. A strong word anywhere condemns it
// ("related-content", "ad-wrapper") and so does a layout word
// ("entry-header"); otherwise the last word that means anything decides, as
// the head of an English compound does: "widget-post-content" is content,
// "post-meta" is meta.
func nameHint(name string) hint {
	lower := strings.ToLower(name)
	if strings.HasPrefix(lower, "tag-") && lower != "tag-links" || strings.HasPrefix(lower, "category-") {
		return hint{}
	}
	if i := strings.Index(name, "--"); i > 0 && allAdWords(classWords(name[i+2:])) {
		// A BEM modifier for ads on a block that is otherwise plain
		// ("Section--Ads") marks a block that may carry an ad slot.
		if nameHint(name[:i]).neg == negNone {
			return hint{neg: negStrong, ad: true}
		}
	}
	words := classWords(name)
	if len(words) == 0 || len(words) > 1 && (stateWords[words[len(words)-1]] || flagWords[words[0]]) {
		return hint{}
	}
	h := negativeHint(words)
	if h.neg != negNone {
		return h
	}
	for i := len(words) - 1; i >= 0; i-- {
		w := words[i]
		if isPosWord(w) {
			return hint{pos: true}
		}
		if normalExact[w] || hasPrefixAny(w, normalPrefix) || hasSuffixAny(w, normalSuffix) {
			return hint{neg: negNormal}
		}
	}
	return hint{}
}

// negativeHint grades the words of a class name as boilerplate (strong:
// comments, sharing, ads; weak: layout regions), negNone when none says so.
func negativeHint(words []string) hint {
	var h hint
	head, other := false, false
	// Compounds split by the class's own separators name what their
	// joined form does: "author-box" is an authorbox, "news-letter" a
	// newsletter; not in a name that also says content
	// ("entry-content-read-more" is the article).
	if !slices.ContainsFunc(words, isPosWord) {
		for i := 1; i < len(words); i++ {
			if j := words[i-1] + words[i]; hasPrefixAny(j, strongPrefix) && !hasPrefixAny(words[i-1], strongPrefix) {
				h.neg = negStrong
			}
		}
	}
	for _, w := range words {
		switch {
		case strings.HasPrefix(w, "commentar") || strings.HasPrefix(w, "commentat") || isCommentState(w):
			// commentary, commentator: opinion pieces, not reader comments;
			// commented, commentable: states of the post.
		case isCommentWord(w):
			h.neg, h.comment = negStrong, true
		case strongExact[w] || hasPrefixAny(w, strongPrefix) || hasSuffixAny(w, strongSuffix):
			h.neg = negStrong
			if strings.HasPrefix(w, "disqus") || w == "respond" || w == "reply" || w == "replies" {
				h.comment = true
			}
		case hasPrefixAny(w, weakPrefix) || hasSuffixAny(w, weakSuffix):
			h.neg = max(h.neg, negWeak)
			h.side = h.side || hasPrefixAny(w, sideWords) || strings.HasSuffix(w, "sidebar")
			if strings.HasPrefix(w, "header") || strings.HasSuffix(w, "header") {
				head = true
			} else {
				other = true
			}
		}
	}
	h.heading = h.neg == negWeak && head && !other
	h.side = h.side && h.neg == negWeak
	return h
}

// isPosWord reports whether one word of a class name says article text.
func isPosWord(w string) bool {
	return posExact[w] || hasPrefixAny(w, posAffix) || hasSuffixAny(w, posSuffix)
}

func allAdWords(words []string) bool {
	for _, w := range words {
		if !adWords[w] {
			return false
		}
	}
	return len(words) > 0
}

// commentStems begin the words for reader comments in the languages the
// corpus holds: comment(s), commentaire, commento, Kommentar(e), comentario,
// komentarz, reactie(s), reaction(s).
var commentStems = []string{"comment", "komment", "comentario", "komentar", "reactie", "reaction"}

// isCommentWord reports whether one word of a class name or id names reader
// comments ("comments", "kommentare", "fbcomments"), leaving out the
// commentary of opinion pieces.
func isCommentWord(w string) bool {
	if strings.HasPrefix(w, "commentar") || strings.HasPrefix(w, "commentat") {
		return false
	}
	if isCommentState(w) {
		return false
	}
	return hasPrefixAny(w, commentStems) || strings.HasSuffix(w, "comments")
}

// isCommentState recognises "commented", "commentable": a state of the
// post (it has or takes comments) that article wrappers carry, not a
// comment section.
func isCommentState(w string) bool {
	return strings.HasPrefix(w, "comment") && (strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "able"))
}

// splitWords splits a class name into lower-case words at any character
// that is not a letter or digit.
func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// classWords splits a raw class name into lower-case words, also at
// camelCase humps ("relatedPosts" → related, posts).
func classWords(s string) []string {
	var b strings.Builder
	prev := rune(0)
	for _, r := range s {
		if unicode.IsUpper(r) && unicode.IsLower(prev) {
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToLower(r))
		prev = r
	}
	return splitWords(b.String())
}
