package extract

import (
	"fmt"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestItemFacts(t *testing.T) {
	tests := []struct {
		name, page string
		want       string // key=value|…
	}{
		{"labelled paragraphs", `<div class="entry-content"><p><strong>Genre:</strong> Comedy, Sci-fi, Romance</p><p><strong>Director:</strong> Spike Jonze</p>` +
			`<p>Starring: Joaquin Phoenix, Amy Adams</p><p>Her is certainly one of the most connecting films: I loved it.</p></div>`,
			"Genre=Comedy, Sci-fi, Romance|Director=Spike Jonze|Starring=Joaquin Phoenix, Amy Adams"},
		{"certificate and runtime lines", `<div class="entry"><p>Rated R<br>126 minutes</p><p>The futuristic world of “Her” …</p></div>`, "Rated=R|Runtime=126 minutes"},
		{"german labels", `<ul><li>Regie: Christian Petzold</li><li>Laufzeit: 102 Min.</li><li>Kinostart: 7. April 2023</li></ul>`,
			"Director=Christian Petzold|Runtime=102 Min.|Release date=7. April 2023"},
		{"table rows", `<table><tr><th>Developer</th><td>FromSoftware</td></tr><tr><th>Platforms:</th><td>PS5, Xbox, PC</td></tr><tr><td>a</td><td>b</td><td>c</td></tr></table>`,
			"Developer=FromSoftware|Platform=PS5, Xbox, PC"},
		{"definition list", `<dl><dt>Author</dt><dd>Richard Powers</dd><dt>Pages</dt><dd>502</dd></dl>`, "Author=Richard Powers|Pages=502"},
		{"first of a key wins", `<p>Director: Spike Jonze</p><p>Director: someone else</p>`, "Director=Spike Jonze"},
		{"runtime in hours", `<p>2h 6m</p>`, "Runtime=2h 6m"},
		{"unknown labels and prose are not facts", `<p>Note: the screening was late.</p><p>He said: "It is a love story."</p><p>Telefon: 030 123</p>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(tt.page))
			if err != nil {
				t.Fatal(err)
			}
			var parts []string
			for _, f := range itemFacts(doc) {
				parts = append(parts, fmt.Sprintf("%s=%s", f.Key, f.Value))
			}
			if got := strings.Join(parts, "|"); got != tt.want {
				t.Errorf("itemFacts = %q, want %q", got, tt.want)
			}
		})
	}
}
