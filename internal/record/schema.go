package record

// Column documents one column of an output dataset.
type Column struct {
	Name string
	// Type is the logical type as DuckDB and Arrow readers see it.
	Type    string
	Meaning string
}

// ReviewColumns documents the reviews dataset, in file order. A test keeps
// it in step with the Review struct tags and with the README.
var ReviewColumns = []Column{
	{"review_id", "VARCHAR", "stable id of the review: first 128 bits of SHA-256 of canonical_url (else url), hex"},
	{"url", "VARCHAR", "the page's canonical URL when it declares one, else the fetched or derived URL"},
	{"canonical_url", "VARCHAR, null", "the URL the page declares as canonical (<link rel=canonical>, og:url, JSON-LD)"},
	{"site", "VARCHAR, null", "lower-case host name of url"},
	{"site_name", "VARCHAR, null", "the publication's name (og:site_name, JSON-LD publisher, title suffix)"},
	{"title", "VARCHAR, null", "the review's headline without the site-name suffix"},
	{"authors", "VARCHAR[], null", "reviewer names, one item per person"},
	{"published_at", "TIMESTAMP (µs, UTC), null", "publication time; a bare date is midnight UTC, a relative date is resolved against fetched_at"},
	{"published_raw", "VARCHAR, null", "the date exactly as the page gave it (for a date read from the URL, its YYYY-MM-DD)"},
	{"published_precision", "VARCHAR, null", "how much of published_at the page stated: second, day, month, year or relative"},
	{"modified_at", "TIMESTAMP (µs, UTC), null", "when the page says it was last changed (JSON-LD dateModified, microdata, article:modified_time, og:updated_time), read like published_at; null when it is not after published_at"},
	{"fetched_at", "TIMESTAMP (µs, UTC)", "when the page was fetched (for saved files: their modification time)"},
	{"language", "VARCHAR, null", "ISO 639-1 code of the language the body is written in: detected from its words or script, the page's declared lang breaking near ties and standing in for short text"},
	{"description", "VARCHAR, null", "the page's summary (meta description, og:description)"},
	{"body", "VARCHAR", "the review text: paragraphs, headings, list items and quotes separated by a blank line; NFC, whitespace collapsed"},
	{"body_markdown", "VARCHAR, null", "the body as Markdown (headings, lists, quotes kept); only when extract.markdown is on"},
	{"word_count", "BIGINT", "number of whitespace-separated words in body"},
	{"page_kind", "VARCHAR", "what the page is: review (one author's evaluation of one item), roundup (several items: best-of lists, buying guides, comparisons, even when each is scored), news (articles, features, interviews), recipe, product (a shop page), listing (an index or chart), forum, other"},
	{"is_review", "BOOLEAN", "page_kind = 'review'; the rating and item columns are filled only then"},
	{"rating_raw", "VARCHAR, null", "the rating exactly as stated (\"4/5\", \"B+\")"},
	{"rating_value", "DOUBLE, null", "the numeric rating on the site's own scale (letter grades: grade points, A = 4 … F = 0); always finite and within the scale, else null with rating_best and rating_worst"},
	{"rating_best", "DOUBLE, null", "the best value of that scale"},
	{"rating_worst", "DOUBLE, null", "the worst value of that scale (usually 0 or 1)"},
	{"rating", "DOUBLE, null", "the rating normalized to 0–1: (value − worst) / (best − worst), worst 0 when the page states none; a downward scale (German school grades, 1 best and 6 worst) normalizes the same way"},
	{"user_rating", "DOUBLE, null", "the users' aggregate rating (JSON-LD aggregateRating of the item, recipe or product), normalized to 0–1 like rating; on any kind of page, never taken for the reviewer's"},
	{"user_rating_count", "BIGINT, null", "how many users' ratings (ratingCount, else reviewCount) the aggregate stands for"},
	{"item_name", "VARCHAR, null", "name of the reviewed item (film, book, game, product, venue)"},
	{"item_type", "VARCHAR, null", "schema.org type of the item: Movie, Book, VideoGame, Product, Restaurant, …"},
	{"item_year", "INTEGER, null", "the year the page gives for the item"},
	{"item_facts", "STRUCT(key VARCHAR, value VARCHAR)[], null", "the infobox lines about the item in page order, one per key: Director, Starring, Writer, Genre, Runtime, Rated, Release date, Author, Publisher, Pages, Platform, Developer, Price, …"},
	{"field_sources", "STRUCT(field VARCHAR, source VARCHAR)[], null", "which kind of source gave each field its value, one entry per field that has one (title, site_name, authors, published, modified, rating, user_rating, item_name, item_type, item_year): rule, jsonld, microdata, meta, markup, headline, text or url; `map_from_entries(field_sources)['rating']` in DuckDB"},
	{"comment_count", "INTEGER", "number of reader comments rendered on the page, replies included"},
	{"has_spoiler_warning", "BOOLEAN", "the review marks a spoiler section (\"Spoiler warning\", \"Spoilers ahead\", a hidden spoiler block); a \"spoiler-free\" note is not one"},
	{"content_hash", "VARCHAR", "SHA-256 of body, hex: equal bodies have equal hashes"},
	{"simhash", "BIGINT", "64-bit SimHash of body (word pairs hashed with FNV-1a), as a signed integer: near-identical bodies differ in few bits, `bit_count(xor(a.simhash, b.simhash))`"},
	{"duplicate_of", "VARCHAR, null", "review_id of the earlier review (this run or a run recorded in `transform.duplicates.state`) whose body this one copies, within `max_distance` SimHash bits; null for originals. `WHERE duplicate_of IS NULL` drops the copies"},
	{"extractor", "VARCHAR", "name and version of the extractor that produced the row"},
	{"source", "VARCHAR", "where the page came from: a file path or a fetched URL"},
}

// RejectColumns documents the rejects dataset, in file order.
var RejectColumns = []Column{
	{"url", "VARCHAR", "the page's URL as known when it was rejected"},
	{"source", "VARCHAR", "the file path or fetched URL the page came from"},
	{"stage", "VARCHAR", "the stage that rejected it: source, extract, transform or sink (a row a sink could not store)"},
	{"reason", "VARCHAR", "why, from a closed set: unreadable, empty, not_html, truncated, too_large, too_deep, timeout, no_body, invalid, kind (a page_kind transform.keep_kinds leaves out), panic, unwritable, failed"},
	{"detail", "VARCHAR, null", "what was seen, for a human"},
	{"at", "TIMESTAMP (µs, UTC)", "when the page was rejected"},
}

// FetchColumns documents the pages dataset (the crawl's fetch log), in
// file order.
var FetchColumns = []Column{
	{"url", "VARCHAR", "the normalized URL the crawler asked for (robots.txt files included)"},
	{"final_url", "VARCHAR, null", "where redirects ended, when elsewhere"},
	{"status", "INTEGER", "HTTP status of the last attempt; 0 when no response came"},
	{"bytes", "BIGINT", "body bytes received (after decompression)"},
	{"content_type", "VARCHAR, null", "the Content-Type header"},
	{"attempts", "INTEGER", "requests made for the URL (retries on 429, 5xx and network errors); 0 when none was made"},
	{"duration_ms", "BIGINT", "time from the first attempt to the outcome, retry waits included"},
	{"outcome", "VARCHAR", "emitted (sent to extraction), unchanged (same content hash as before), not_modified (304), followed (read for links only), skipped (not HTML, max_pages, longer than max_url_bytes), disallowed (robots.txt), blocked (private address), failed"},
	{"error", "VARCHAR, null", "why a URL failed or was skipped, for a human"},
	{"fetched_at", "TIMESTAMP (µs, UTC)", "when the first attempt started"},
}

// CommentColumns documents the comments dataset, in file order.
var CommentColumns = []Column{
	{"review_id", "VARCHAR", "the review the comment is on: joins `reviews.review_id`"},
	{"position", "INTEGER", "the comment's place on the page, from 0"},
	{"author", "VARCHAR, null", "the commenter's name as shown"},
	{"published_at", "TIMESTAMP (µs, UTC), null", "when it was posted, read like `published_at` (relative dates against the fetch time)"},
	{"published_raw", "VARCHAR, null", "the date as the page shows it"},
	{"body", "VARCHAR", "the comment's text, normalized like the review body"},
}
