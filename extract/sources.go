package extract

import "github.com/reviewpipe/reviewpipe/internal/record"

// The kinds of source a field's value can come from, written to the
// field_sources column. Each field's picker tries them in one order of
// trust, documented per field in the README: a per-site rule first, then
// what publishers fill in deliberately for machines (JSON-LD, microdata,
// meta tags), then what the page shows its readers (headings, bylines,
// widgets), then patterns in the headline and the text, and last the
// address.
const (
	SourceRule      = "rule"      // a selector of extract.rules for the page's host
	SourceJSONLD    = "jsonld"    // JSON-LD, @graph members and nested objects included
	SourceMicrodata = "microdata" // itemprop markup
	SourceMeta      = "meta"      // <meta> tags (Open Graph, Twitter, Dublin Core, article:*) and <title>
	SourceMarkup    = "markup"    // visible elements: headings, bylines, <time>, star widgets, score boxes, release lines
	SourceHeadline  = "headline"  // a pattern of the headline's words ("X review", "'X'", "Rezension: X")
	SourceText      = "text"      // a pattern of the body text ("Rating: 4/5", "the 2013 film")
	SourceURL       = "url"       // the page's address (a date in the path, a section)
)

// The fields whose source is recorded, in the order field_sources lists
// them.
const (
	fieldTitle      = "title"
	fieldSiteName   = "site_name"
	fieldAuthors    = "authors"
	fieldPublished  = "published"
	fieldModified   = "modified"
	fieldRating     = "rating"
	fieldUserRating = "user_rating"
	fieldItemName   = "item_name"
	fieldItemType   = "item_type"
	fieldItemYear   = "item_year"
)

var sourceFields = []string{fieldTitle, fieldSiteName, fieldAuthors, fieldPublished, fieldModified,
	fieldRating, fieldUserRating, fieldItemName, fieldItemType, fieldItemYear}

// fieldSources maps a field to the source of its value.
type fieldSources map[string]string

// set records source for field when the value is there, and forgets a
// source recorded before when it is not: a picker that clears a field
// clears its source with it.
func (s fieldSources) set(field, source string, present bool) {
	if present {
		s[field] = source
	} else {
		delete(s, field)
	}
}

// list returns the sources in sourceFields order, nil when none.
func (s fieldSources) list() []record.FieldSource {
	var out []record.FieldSource
	for _, f := range sourceFields {
		if src, ok := s[f]; ok {
			out = append(out, record.FieldSource{Field: f, Source: src})
		}
	}
	return out
}
