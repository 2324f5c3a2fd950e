package transform

import "testing"

func TestDetectLanguage(t *testing.T) {
	tests := []struct {
		name, text, declared, want string
	}{
		{"english", "The film follows a lonely writer who falls in love with his operating system, and it is one of the most tender films of the year.", "", "en"},
		{"german", "Der Film erzählt von einem einsamen Mann, der sich in sein Betriebssystem verliebt, und er ist einer der zärtlichsten Filme des Jahres.", "", "de"},
		{"french", "Le film suit un écrivain solitaire qui tombe amoureux de son système d'exploitation, et c'est un des films les plus tendres de l'année.", "", "fr"},
		{"spanish", "La película sigue a un escritor solitario que se enamora de su sistema operativo, y es una de las más tiernas del año.", "", "es"},
		{"italian", "Il film segue uno scrittore solitario che si innamora del suo sistema operativo, ed è uno dei film più teneri dell'anno.", "", "it"},
		{"portuguese", "O filme acompanha um escritor solitário que se apaixona pelo seu sistema operacional, e é um dos filmes mais ternos do ano.", "", "pt"},
		{"dutch", "De film volgt een eenzame schrijver die verliefd wordt op zijn besturingssysteem, en het is een van de tederste films van het jaar.", "", "nl"},
		{"polish", "Film opowiada o samotnym pisarzu, który zakochuje się w swoim systemie operacyjnym, i jest to jeden z najczulszych filmów roku, ale nie tylko.", "", "pl"},
		{"swedish", "Filmen följer en ensam författare som blir kär i sitt operativsystem, och det är en av årets ömmaste filmer som jag har sett.", "", "sv"},
		{"russian", "Фильм рассказывает об одиноком писателе, который влюбляется в свою операционную систему, и это один из самых нежных фильмов года, но не только.", "", "ru"},
		{"greek", "Η ταινία ακολουθεί έναν μοναχικό συγγραφέα που ερωτεύεται το λειτουργικό του σύστημα, και είναι μια από τις πιο τρυφερές ταινίες της χρονιάς.", "", "el"},
		{"turkish", "Film, işletim sistemine âşık olan yalnız bir yazarı anlatıyor ve bu yılın en sıcak filmlerinden biri, ama çok daha fazlası da var.", "", "tr"},
		{"japanese", "彼女は映画の中で、声だけの存在として描かれている。とても優しい作品だ。", "", "ja"},
		{"chinese", "这部电影讲述了一个男人爱上人工智能的故事。这是今年最温柔的电影之一。", "", "zh"},
		{"korean", "이 영화는 운영 체제와 사랑에 빠진 외로운 작가의 이야기입니다.", "", "ko"},
		{"declared breaks a tie", "und nicht auch wird the and of with", "de", "de"},
		{"a tie without a declaration says nothing", "und nicht auch wird the and of with", "", ""},
		{"too little text for the declaration to matter", "Die Kritik: the end.", "de", ""},
		{"too short says nothing", "OK", "", ""},
		{"placeholder latin is no language", "Lorem ipsum dolor sit amet, consetetur sadipscing elitr, sed diam nonumy eirmod tempor invidunt ut labore et dolore magna aliquyam erat, sed diam voluptua. At vero eos et accusam et justo duo dolores et ea rebum. Stet clita kasd gubergren, no sea takimata sanctus est Lorem ipsum dolor sit amet.", "", ""},
		{"german page quoting english", "Der Film heißt Her. Der Regisseur sagt: \"It is a love story.\" Die Kritik ist sich einig, dass der Film nicht nur schön ist, sondern auch wichtig für das Jahr.", "de", "de"},
		{"declared wrong, text clear", "The film follows a lonely writer who falls in love with his operating system, and it is one of the most tender films of the year.", "de", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DetectLanguage(tt.text, tt.declared); got != tt.want {
				t.Errorf("DetectLanguage(%q, %q) = %q, want %q", tt.text, tt.declared, got, tt.want)
			}
		})
	}
}
