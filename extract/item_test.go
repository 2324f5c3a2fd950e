package extract

import (
	"strings"
	"testing"
	"time"
)

// TestItemFromTitle holds headline forms of review sites with the item
// each names. year 0 means none.
func TestItemFromTitle(t *testing.T) {
	tests := []struct {
		title  string
		name   string
		year   int32
		review bool
	}{
		{"Her Review", "Her", 0, true},
		{"Review: Her (2013)", "Her", 2013, true},
		{"‘Her’ review", "Her", 0, true},
		{"'Her' review: Spike Jonze's sweet and sad love story", "Her", 0, true},
		{"Her review – Spike Jonze's touching romance", "Her", 0, true},
		{"Film Threat Review: Her", "Her", 0, true},
		{"Movie Review: Her", "Her", 0, true},
		{"Her: A Review", "Her", 0, true},
		{"Review of Her", "Her", 0, true},
		{"'Her' Movie Review", "Her", 0, true},
		{"Her (2013) Review", "Her", 2013, true},
		{"Her Review: Joaquin Phoenix falls for his operating system", "Her", 0, true},
		{"Her (2014)", "Her", 2014, false},
		{"We Tried It: Clinique Acne Solutions Powder Makeup", "Clinique Acne Solutions Powder Makeup", 0, true},
		{"Apple’s Vision Pro hands-on: the Retina display moment for headsets", "Apple Vision Pro", 0, true},
		{"Raubfisch-Rute im Test: die Iaconelli Spinning Rod", "Iaconelli Spinning Rod", 0, true},
		{"Beef Maker von Aldi im Test", "Beef Maker", 0, true},
		{"Im Test: Plantur 39 Shampoo", "Plantur 39 Shampoo", 0, true},
		{"[Rezi] Love is War - Sehnsucht von R. K. Lilley", "Love is War - Sehnsucht", 0, true},
		{"Strong & Beautiful - Pamela Reif [Rezension]", "Strong & Beautiful", 0, true},
		{"Why It’s Time You Finally Watch The Sci-Fi Romance ‘Her’", "Her", 0, false},
		{"Dune: Part Two Review", "Dune: Part Two", 0, true},
		{"REVIEW: Dune Part Two", "Dune Part Two", 0, true},
		{"Review: 'Oppenheimer' is a towering achievement", "Oppenheimer", 0, true},
		{"“Past Lives” Review", "Past Lives", 0, true},
		{"Elden Ring review", "Elden Ring", 0, true},
		{"Book review: The Overstory by Richard Powers", "The Overstory", 0, true},
		{"Kritik: Oppenheimer", "Oppenheimer", 0, true},
		{"Filmkritik: Das Lehrerzimmer (2023)", "Das Lehrerzimmer", 2023, true},
		{"Critique : Anatomie d'une chute", "Anatomie d'une chute", 0, true},
		{"Crítica: La sociedad de la nieve", "La sociedad de la nieve", 0, true},
		{"The Lord of the Rings: The Fellowship of the Ring review", "The Lord of the Rings: The Fellowship of the Ring", 0, true},
		{"Leslie Clio präsentiert das Album 'Brave New Woman'", "Brave New Woman", 0, false},
		// not an item
		{"Tram Line Approved", "", 0, false},
		{"„Wir haben bereits die Zusage“", "", 0, false},
		{"'Parasite' scores historic upset at SAG awards, boosting Oscar chances", "", 0, false},
		{"Reviewing the budget: what the council decided", "", 0, false},
		{"", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			name, year, review := itemFromTitle(tt.title)
			if name != tt.name {
				t.Errorf("name = %q, want %q", name, tt.name)
			}
			var y int32
			if year != nil {
				y = *year
			}
			if y != tt.year {
				t.Errorf("year = %d, want %d", y, tt.year)
			}
			if review != tt.review {
				t.Errorf("review = %v, want %v", review, tt.review)
			}
		})
	}
}

func TestItemType(t *testing.T) {
	film := strings.Repeat("The film's director frames every scene with care, and the cast of actors is superb. ", 3)
	book := strings.Repeat("The novel's author writes each chapter in spare prose, and the book rewards the reader. ", 3)
	game := strings.Repeat("The game's gameplay loop keeps every player busy, and the console version runs well. ", 3)
	tests := []struct{ title, body, want string }{
		{"Her Review", film, "Movie"},
		{"The Overstory review", book, "Book"},
		{"Elden Ring review", game, "VideoGame"},
		{"Book review: The Overstory", film, "Book"}, // the headline names the kind
		{"Tram Line Approved", "The council approved the tram line after a long debate.", ""},
		{"Mixed", film + book, ""}, // no clear majority
	}
	for _, tt := range tests {
		if got := itemType(tt.title, tt.body); got != tt.want {
			t.Errorf("itemType(%q, …) = %q, want %q", tt.title, got, tt.want)
		}
	}
}

func TestDescribedYear(t *testing.T) {
	tests := []struct {
		body string
		want int32
	}{
		{"Her is a 2013 science fiction film written and directed by Spike Jonze.", 2013},
		{"It is a 1998 novel by Toni Morrison.", 1998},
		{"The city spent 2013 building a tram.", 0},
	}
	for _, tt := range tests {
		var got int32
		if y := describedYear(tt.body); y != nil {
			got = *y
		}
		if got != tt.want {
			t.Errorf("describedYear(%q) = %d, want %d", tt.body, got, tt.want)
		}
	}
}

func TestReleasedYear(t *testing.T) {
	fetched := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		body, published string
		want            int32
	}{
		{"Dune launched Thursday night on HBO Max.", "2021-10-22T00:44:09Z", 2021},
		{"The finale began streaming on Hulu yesterday.", "April 24, 2024", 2024},
		{"The film hits theaters this Friday.", "2019-03-05", 2019},
		{"The album premiered on Spotify today.", "2023-06-01", 2023},
		// Plot, not release: no platform phrase between verb and day.
		{"The rebels launched an attack on Monday.", "2021-10-22", 0},
		{"She premiered her play to a hostile crowd.", "2021-10-22", 0},
		// A release stated, but no page date to place it.
		{"Dune launched Thursday night on HBO Max.", "", 0},
	}
	for _, tt := range tests {
		var got int32
		if y := releasedYear(tt.body, tt.published, fetched); y != nil {
			got = *y
		}
		if got != tt.want {
			t.Errorf("releasedYear(%q, %q) = %d, want %d", tt.body, tt.published, got, tt.want)
		}
	}
}
