package extract

import (
	"math"
	"testing"
)

// TestParseRating holds the written forms of scores seen on review sites,
// each with the value and scale it states. want.best 0 means no scale.
func TestParseRating(t *testing.T) {
	type w struct{ value, best float64 }
	tests := []struct {
		in   string
		want *w
	}{
		// stars in words and digits
		{"4.5 stars", &w{4.5, 5}},
		{"4 stars", &w{4, 5}},
		{"five stars", &w{5, 5}},
		{"Five Stars", &w{5, 5}},
		{"two stars", &w{2, 5}},
		{"3½ stars", &w{3.5, 5}},
		{"3 1/2 stars", &w{3.5, 5}},
		{"four and a half stars", &w{4.5, 5}},
		{"½ star", &w{0.5, 5}},
		{"no stars", &w{0, 5}},
		{"4-star", &w{4, 5}},
		{"Rating: 4.5 stars", &w{4.5, 5}},
		{"4,5 Sterne", &w{4.5, 5}},
		{"4 étoiles", &w{4, 5}},
		// star glyphs
		{"★★★½", &w{3.5, 5}},
		{"★★★★★", &w{5, 5}},
		{"★★☆☆☆", &w{2, 5}},
		{"★★★☆", &w{3, 5}},
		{"★★★★★★★☆☆☆", &w{7, 10}},
		{"⭐⭐⭐⭐", &w{4, 5}},
		{"☆☆☆☆☆", &w{0, 5}},
		// value out of scale
		{"3/5", &w{3, 5}},
		{"8 out of 10", &w{8, 10}},
		{"Rating: 7.5/10", &w{7.5, 10}},
		{"8.5/10", &w{8.5, 10}},
		{"7,5 / 10", &w{7.5, 10}},
		{"Score: 3 of 5 stars", &w{3, 5}},
		{"4 out of 5 stars", &w{4, 5}},
		{"three out of four stars", &w{3, 4}},
		{"3.5 out of 4", &w{3.5, 4}},
		{"Our score: 92/100", &w{92, 100}},
		{"Wertung: 8 von 10", &w{8, 10}},
		{"Note : 4 sur 5", &w{4, 5}},
		{"Puntuación: 4 de 5", &w{4, 5}},
		{"Voto: 7 su 10", &w{7, 10}},
		{"9/10 – a modern classic", &w{9, 10}},
		// letter grades (grade points of 4)
		{"Letter Grade: A", &w{4, 4}},
		{"Grade: B+", &w{10.0 / 3, 4}},
		{"B+", &w{10.0 / 3, 4}},
		{"A-", &w{11.0 / 3, 4}},
		{"A+", &w{4, 4}},
		{"C", &w{2, 4}},
		{"F", &w{0, 4}},
		{"Grade: D-", &w{2.0 / 3, 4}},
		// thumbs
		{"two thumbs up", &w{2, 2}},
		{"Two thumbs up!", &w{2, 2}},
		{"one thumb up", &w{1, 2}},
		{"thumbs down", &w{0, 1}},
		{"Thumbs up", &w{1, 1}},
		// percentages and bare numbers
		{"85%", &w{85, 100}},
		{"Score: 85%", &w{85, 100}},
		{"Rating: 7.5", &w{7.5, 0}},
		{"9.0", &w{9, 0}},
		// not ratings
		{"great", nil},
		{"", nil},
		{"Starring Joaquin Phoenix", nil},
		{"The stars of the film", nil},
		{"6/5 (out of its own scale)", nil},
		{"Grade school memories", nil},
		{"Best of 2013", nil},
		{"one of 2013's best films", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, ok := parseRating(tt.in)
			if tt.want == nil {
				if ok && r.Best != nil {
					t.Errorf("parseRating(%q) = %v of %v, want no rating", tt.in, deref(r.Value), deref(r.Best))
				}
				return
			}
			if !ok || r.Value == nil {
				t.Fatalf("parseRating(%q) found no rating, want %v of %v", tt.in, tt.want.value, tt.want.best)
			}
			if math.Abs(*r.Value-tt.want.value) > 1e-9 {
				t.Errorf("value = %v, want %v", *r.Value, tt.want.value)
			}
			switch {
			case tt.want.best == 0 && r.Best != nil:
				t.Errorf("best = %v, want none", *r.Best)
			case tt.want.best != 0 && (r.Best == nil || *r.Best != tt.want.best):
				t.Errorf("best = %v, want %v", deref(r.Best), tt.want.best)
			}
			if r.Raw != tt.in && tt.in == normSpace(tt.in) {
				t.Errorf("raw = %q, want the input", r.Raw)
			}
		})
	}
}

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func FuzzParseRating(f *testing.F) {
	for _, s := range []string{"4.5 stars", "★★★½", "3/5", "Letter Grade: A", "two thumbs up", "85%", "4 and a half stars", "½"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, ok := parseRating(s)
		if !ok {
			return
		}
		if r.Value == nil {
			t.Fatalf("parseRating(%q) reported a rating without a value", s)
		}
		if r.Best != nil && (*r.Value < 0 || *r.Value > *r.Best) {
			t.Fatalf("parseRating(%q) = %v of %v: value outside its scale", s, *r.Value, *r.Best)
		}
	})
}

func TestTextRating(t *testing.T) {
	para := "The film follows a lonely writer through a year of his life, and it is as tender as it is strange."
	tests := []struct {
		name string
		body string
		raw  string // "" for no rating
	}{
		{"verdict line", para + "\n\nLetter Grade: A", "Letter Grade: A"},
		{"labelled score", para + "\n\nOur rating: 4/5", "Our rating: 4/5"},
		{"german verdict", para + "\n\nWertung: 8 von 10", "Wertung: 8 von 10"},
		{"star row", para + "\n\n★★★½", "★★★½"},
		{"pure score block", para + "\n\n4.5 stars", "4.5 stars"},
		{"score out of ten", para + "\n\n8/10", "8/10"},
		{"sentence", para + " I give it four stars and a hug.", "four stars"},
		{"last stated wins", "Letter Grade: A\n\n[I originally rated this film 4.5 stars. However, after talking with a friend, I've decided to bring my rating of this movie up to five stars.]", "five stars"},
		{"rated out of", para + " Overall I rated it 8 out of 10 for its score alone.", "8 out of 10"},
		{"ingredient amounts", "1/4\n\n1/2 cup sugar\n\n" + para, ""},
		{"phone number", "Telefon +49 (0)40 / 49 07 11 05\n\n" + para, ""},
		{"stars as actors", para + " The two stars carry the film.", ""},
		{"a category named stars", "Stars (1 / 1) 06.11.2023\n\n" + para, ""},
		{"a lone letter", "A\n\n" + para, ""},
		{"an issue number", "Dieser Artikel erschien zuerst in der EMOTION 10/22.\n\n" + para, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := textRating(tt.body)
			switch {
			case tt.raw == "" && ok:
				t.Errorf("textRating found %q, want none", r.Raw)
			case tt.raw != "" && !ok:
				t.Errorf("textRating found none, want %q", tt.raw)
			case ok && r.Raw != tt.raw:
				t.Errorf("textRating = %q, want %q", r.Raw, tt.raw)
			}
		})
	}
}
