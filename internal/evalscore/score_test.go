package evalscore

import (
	"math"
	"strings"
	"testing"
)

func TestScoreSnippets(t *testing.T) {
	tests := []struct {
		name          string
		body          string
		with, without []string
		want          Counts
	}{
		{
			name:    "all found, boilerplate absent",
			body:    "First paragraph here.\n\nSecond  paragraph\u00a0there.",
			with:    []string{"First paragraph", "paragraph there."},
			without: []string{"Cookie banner"},
			want:    Counts{TP: 2, TN: 1},
		},
		{
			name:    "whitespace collapsed on both sides",
			body:    "a\n\nb   c",
			with:    []string{"a b\tc"},
			without: []string{"b c "},
			want:    Counts{TP: 1, FP: 1},
		},
		{
			name:    "missing and boilerplate",
			body:    "Body text. Related links",
			with:    []string{"Body text.", "Not here"},
			without: []string{"Related links"},
			want:    Counts{TP: 1, FN: 1, FP: 1},
		},
		{
			name: "case-sensitive",
			body: "Body Text",
			with: []string{"body text"},
			want: Counts{FN: 1},
		},
		{
			name:    "empty body finds nothing",
			body:    "",
			with:    []string{"x", ""},
			without: []string{"y", ""},
			want:    Counts{FN: 2, TN: 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ScoreSnippets(tt.body, tt.with, tt.without); got != tt.want {
				t.Errorf("ScoreSnippets() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestCounts(t *testing.T) {
	c := Counts{TP: 8, FN: 2, FP: 2}
	if got, want := c.Precision(), 0.8; !near(got, want) {
		t.Errorf("Precision() = %v, want %v", got, want)
	}
	if got, want := c.Recall(), 0.8; !near(got, want) {
		t.Errorf("Recall() = %v, want %v", got, want)
	}
	if got, want := c.F(), 0.8; !near(got, want) {
		t.Errorf("F() = %v, want %v", got, want)
	}
	if got := (Counts{}).F(); got != 0 {
		t.Errorf("zero Counts F() = %v, want 0", got)
	}
}

func TestShingleScore(t *testing.T) {
	tests := []struct {
		name         string
		got, want    string
		wantP, wantR float64
	}{
		{"identical", "one two three four five", "One, two; three four\nfive.", 1, 1},
		{"empty both", "", "  ", 1, 1},
		{"empty got", "", "one two three four", 0, 0},
		{"empty want", "one two three four", "", 0, 1},
		// got has shingles {a b c d, b c d e}; want has {a b c d}.
		{"extra text lowers precision", "a b c d e", "a b c d", 0.5, 1},
		// want has {a b c d, b c d e, c d e f}; got has {a b c d}.
		{"missing text lowers recall", "a b c d", "a b c d e f", 1, 1.0 / 3},
		{"short texts are one shingle", "Hello world", "hello WORLD", 1, 1},
		{"repeats count once", "a b c d a b c d", "a b c d", 1.0 / 4, 1},
		{"unicode words", "Größe über alles ist", "größe ÜBER alles ist", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, r := ShingleScore(tt.got, tt.want)
			if !near(p, tt.wantP) || !near(r, tt.wantR) {
				t.Errorf("ShingleScore(%q, %q) = %v, %v, want %v, %v", tt.got, tt.want, p, r, tt.wantP, tt.wantR)
			}
		})
	}
}

func TestHTMLText(t *testing.T) {
	tests := []struct {
		name, html string
		want       []string
	}{
		{"blocks separate words", "<div><p>one</p><p>two</p>three<br>four</div>", []string{"one", "two", "three", "four"}},
		{"inline joins", "<p>in<b>line</b> <i>word</i></p>", []string{"inline", "word"}},
		{"script skipped", "<p>keep</p><script>var drop = 1</script><style>p{}</style>", []string{"keep"}},
		{"entities decoded", "<p>caf&eacute; &amp; bar</p>", []string{"café", "bar"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, err := HTMLText(tt.html)
			if err != nil {
				t.Fatalf("HTMLText: %v", err)
			}
			if got := Words(text); strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Words(HTMLText(%q)) = %q, want %q", tt.html, got, tt.want)
			}
		})
	}
}

func TestMetadataMatch(t *testing.T) {
	t.Run("title", func(t *testing.T) {
		tests := []struct {
			got, want string
			ok        bool
		}{
			{"The  Title\n", "the title", true},
			{"The Title | Site", "The Title", false},
			{"", "", false},
			{"Korsetts - Shops", "Korsetts – Shops", true},
			{"It's “Her”…", "It’s \"Her\"...", true},
			{"How to Build a Terrarium", "How to Build a Terrarium | eHow", true},
			{"Mozilla", "Mozilla - Wikipedia", true},
			{"Mozilla", "Mozilla Firefox", false},
			{"人工智能迈上新台阶", "人工智能迈上新台阶_科技_腾讯网", true},
			{"后果很严重", "后果很严重 _探索者 _光明网", true},
			{"snake", "snake_case", false},
			{"Chapter 1", "Chapter 1 - a tail of far more than six words after it", false},
		}
		for _, tt := range tests {
			if got := TitleMatch(tt.got, tt.want); got != tt.ok {
				t.Errorf("TitleMatch(%q, %q) = %v, want %v", tt.got, tt.want, got, tt.ok)
			}
		}
	})
	t.Run("author", func(t *testing.T) {
		tests := []struct {
			got, want []string
			ok        bool
		}{
			{[]string{"By Jane Doe"}, []string{"Jane Doe"}, true},
			{[]string{"doe"}, []string{"Jane Doe"}, true},
			{[]string{"Max Muster", "Jane  Doe"}, []string{"jane doe"}, true},
			{[]string{"John Roe"}, []string{"Jane Doe"}, false},
			{nil, []string{"Jane Doe"}, false},
			{[]string{" "}, []string{" "}, false},
		}
		for _, tt := range tests {
			if got := AuthorMatch(tt.got, tt.want); got != tt.ok {
				t.Errorf("AuthorMatch(%q, %q) = %v, want %v", tt.got, tt.want, got, tt.ok)
			}
		}
	})
	t.Run("date", func(t *testing.T) {
		if !DateMatch([]string{"2020-01-02", "2020-01-01"}, "2020-01-01") {
			t.Errorf("DateMatch with the UTC day second: false, want true")
		}
		if DateMatch(nil, "2020-01-01") {
			t.Errorf("DateMatch(nil) = true, want false")
		}
		if d, ok := WrittenDay("2019-05-03T23:30:00-05:00"); !ok || d != "2019-05-03" {
			t.Errorf("WrittenDay = %q, %v, want 2019-05-03, true", d, ok)
		}
	})
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestTruthDay(t *testing.T) {
	for in, want := range map[string]string{
		"2022-01-26": "2022-01-26",
		"2022-29-11": "2022-11-29",
		"2022-11-1":  "2022-11-01",
		"2022-01.26": "2022-01-26",
		"":           "",
		"2022":       "2022",
	} {
		if got := truthDay(in); got != want {
			t.Errorf("truthDay(%q) = %q, want %q", in, got, want)
		}
	}
}
