package extract

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestSpoilerText(t *testing.T) {
	tests := []struct {
		body string
		want bool
	}{
		{"Spoiler warning: the ending is discussed below.", true},
		{"SPOILERS AHEAD", true},
		{"[Spoilers] Theodore and Samantha part ways.", true},
		{"This review contains major spoilers.", true},
		{"Achtung, Spoiler! Das Ende wird verraten.", true},
		{"Alerta de spoiler: el final.", true},
		{"Attention spoilers : la fin est révélée.", true},
		{"A spoiler-free review of Her.", false},
		{"No major spoilers here, promise.", false},
		{"Eine spoilerfreie Kritik, ohne Spoiler.", false},
		{"The car's rear spoiler is carbon fibre.", false},
		{"The film spoils nothing.", false},
	}
	for _, tt := range tests {
		if got := spoilerText(tt.body); got != tt.want {
			t.Errorf("spoilerText(%q) = %v, want %v", tt.body, got, tt.want)
		}
	}
}

func TestSpoilerBlock(t *testing.T) {
	tests := []struct {
		page string
		want bool
	}{
		{`<div class="su-spoiler su-spoiler-style-default"><div class="su-spoiler-title">WARNING: Major spoilers</div><div class="su-spoiler-content">He leaves.</div></div>`, true},
		{`<span class="spoiler" style="display:none">Spoiler: he leaves.</span>`, true},
		{`<div class="SpoilerBox">Spoiler</div>`, true},
		{`<div class="su-spoiler su-spoiler-closed"><div class="su-spoiler-title">Credits</div><div class="su-spoiler-content">Music: Birocratic</div></div>`, false},
		{`<div v-if="post.spoiler" class="bbcl-alert alert-spoiler"><div class="alert-title">Alerta de Spoiler</div></div>`, false},
		{`<div class="nospoilers">x</div>`, false},
		{`<p>Nothing to see.</p>`, false},
	}
	for _, tt := range tests {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(tt.page))
		if err != nil {
			t.Fatal(err)
		}
		if got := spoilerBlock(doc); got != tt.want {
			t.Errorf("spoilerBlock(%s) = %v, want %v", tt.page, got, tt.want)
		}
	}
}
