package transform

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// stopwords are the most frequent function words of each language: short,
// common in any text of it, and rare in the others. Counting them finds the
// language of a body of a few sentences or more; for scripts used by one
// language the script decides instead.
var stopwords = map[string][]string{
	"en": {"the", "and", "of", "to", "is", "in", "that", "it", "was", "for", "with", "as", "his", "her", "this", "but", "be", "are", "have", "not", "you", "they", "which", "from", "by", "at", "an", "who", "has", "been"},
	"de": {"der", "die", "und", "das", "ist", "nicht", "ein", "eine", "zu", "den", "von", "mit", "sich", "des", "auf", "für", "im", "dem", "auch", "es", "wird", "sind", "wie", "bei", "noch", "nach", "aus", "über", "einen", "wir"},
	"fr": {"le", "la", "les", "et", "des", "est", "une", "dans", "que", "qui", "pour", "pas", "sur", "au", "du", "avec", "il", "elle", "ce", "sont", "mais", "plus", "par", "nous", "ont", "leur", "cette", "aux", "été", "ou"},
	"es": {"el", "la", "los", "las", "y", "que", "en", "del", "es", "por", "con", "una", "para", "se", "su", "al", "lo", "como", "más", "pero", "sus", "le", "ya", "fue", "este", "ha", "muy", "sin", "sobre", "también"},
	"it": {"il", "di", "che", "è", "la", "per", "un", "una", "non", "del", "della", "con", "sono", "gli", "le", "si", "nel", "alla", "anche", "come", "più", "dei", "delle", "ma", "questo", "nella", "essere", "ha", "ho", "lo"},
	"pt": {"o", "a", "de", "que", "e", "do", "da", "em", "um", "para", "é", "com", "não", "uma", "os", "no", "se", "na", "por", "mais", "as", "dos", "como", "mas", "ao", "das", "foi", "seu", "sua", "ou"},
	"nl": {"de", "het", "een", "en", "van", "is", "dat", "niet", "op", "te", "zijn", "voor", "met", "die", "er", "maar", "om", "ook", "als", "aan", "bij", "nog", "wordt", "worden", "dan", "zo", "heeft", "uit", "naar", "wel"},
	"pl": {"i", "w", "nie", "na", "się", "z", "że", "do", "to", "jest", "jak", "o", "ale", "po", "co", "tak", "za", "od", "są", "przez", "już", "tylko", "jego", "jej", "czy", "może", "być", "tym", "które", "został"},
	"sv": {"och", "att", "det", "som", "en", "på", "är", "av", "för", "med", "till", "den", "har", "inte", "om", "ett", "var", "jag", "men", "från", "vi", "kan", "så", "de", "också", "eller", "när", "efter", "hade", "sig"},
	"da": {"og", "at", "det", "er", "en", "til", "på", "af", "med", "for", "ikke", "der", "har", "som", "den", "de", "om", "et", "men", "fra", "kan", "var", "vi", "også", "eller", "efter", "sig", "hvor", "skal", "blev"},
	"no": {"og", "i", "det", "er", "en", "til", "på", "av", "som", "for", "med", "ikke", "har", "at", "den", "de", "om", "et", "men", "fra", "kan", "var", "vi", "også", "eller", "etter", "seg", "hvor", "skal", "ble"},
	"fi": {"ja", "on", "ei", "että", "se", "oli", "hän", "kun", "mutta", "tai", "myös", "ovat", "olla", "jos", "kuin", "niin", "vain", "tämä", "joka", "nyt", "sen", "ole", "siitä", "mukaan", "jo", "vielä", "kanssa", "sekä", "mitä", "voi"},
	"cs": {"a", "je", "se", "v", "na", "že", "to", "s", "z", "do", "o", "jako", "ale", "by", "k", "pro", "i", "jsou", "byl", "jeho", "který", "která", "také", "po", "tak", "jsem", "už", "jen", "podle", "při"},
	"ro": {"și", "de", "în", "la", "cu", "că", "nu", "pe", "o", "un", "este", "din", "care", "pentru", "mai", "sunt", "se", "fost", "au", "a", "ce", "lui", "dar", "prin", "sau", "iar", "acest", "după", "fi", "această"},
	"hu": {"a", "az", "és", "hogy", "nem", "is", "egy", "meg", "van", "csak", "de", "már", "mint", "volt", "még", "ez", "el", "azt", "fel", "pedig", "kell", "vagy", "lesz", "után", "most", "sem", "nagyon", "mert", "ha", "aki"},
	"tr": {"ve", "bir", "bu", "da", "de", "için", "ile", "çok", "olarak", "daha", "gibi", "ne", "ama", "olan", "en", "kadar", "sonra", "her", "var", "mı", "değil", "ya", "şey", "diye", "olduğu", "ise", "göre", "hem", "o", "ben"},
	"id": {"yang", "dan", "di", "ini", "itu", "dengan", "untuk", "dari", "dalam", "tidak", "akan", "pada", "juga", "ke", "ada", "karena", "oleh", "atau", "bisa", "sudah", "saya", "mereka", "kita", "lebih", "telah", "hanya", "seperti", "dia", "adalah", "kami"},
	"ru": {"и", "в", "не", "на", "что", "с", "он", "как", "по", "это", "но", "из", "к", "у", "за", "от", "так", "же", "она", "его", "для", "о", "был", "все", "только", "уже", "бы", "мы", "они", "было"},
	"uk": {"і", "в", "не", "на", "що", "з", "та", "як", "до", "це", "у", "за", "але", "від", "він", "його", "так", "для", "вона", "ми", "було", "їх", "також", "які", "був", "вже", "після", "чи", "може", "коли"},
	"bg": {"и", "в", "на", "не", "да", "се", "за", "от", "че", "с", "е", "това", "са", "по", "като", "но", "към", "си", "който", "която", "той", "тя", "бъде", "още", "беше", "има", "ще", "при", "след", "само"},
	"el": {"και", "το", "να", "η", "της", "του", "την", "σε", "με", "που", "είναι", "για", "τα", "από", "οι", "θα", "δεν", "των", "στο", "ο", "τον", "στην", "ένα", "μια", "αλλά", "τη", "στη", "τους", "έχει", "ως"},
	"ar": {"في", "من", "على", "أن", "إلى", "التي", "الذي", "عن", "مع", "هذا", "هذه", "كان", "لا", "ما", "أو", "بين", "كل", "قد", "ذلك", "بعد", "حيث", "عند", "لم", "إن", "وقد", "كما", "ولا", "منذ", "حتى", "هو"},
	"fa": {"و", "در", "به", "از", "که", "این", "را", "با", "است", "برای", "آن", "یک", "می", "شود", "هم", "تا", "بر", "بود", "شده", "کرد", "ها", "نیز", "اما", "او", "ما", "اند", "دارد", "کند", "خود", "باید"},
}

// stopIndex maps a stopword to the languages that have it.
var stopIndex = func() map[string][]string {
	idx := map[string][]string{}
	for lang, words := range stopwords {
		for _, w := range words {
			idx[w] = append(idx[w], lang)
		}
	}
	return idx
}()

// detectWords bounds how much of a body detection reads: a thousand
// words decide a language as well as a whole book does.
const detectWords = 1000

// DetectLanguage returns the ISO 639-1 code of the language text is
// written in, "" when it cannot tell (too little text, or two languages
// too close to call). declared, the page's own ISO 639-1 code or "",
// breaks near ties: a German page quoting English is German.
func DetectLanguage(text, declared string) string {
	scripts := map[string]int{}
	counts := map[string]float64{}
	words := 0
	for w := range strings.FieldsFuncSeq(text, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' }) {
		if words++; words > detectWords {
			break
		}
		if w[0] >= utf8.RuneSelf {
			if s := scriptOf(w); s != "" {
				scripts[s]++
				continue
			}
		}
		langs := stopIndex[strings.ToLower(w)]
		for _, l := range langs {
			// A word that several languages share says less of each.
			counts[l] += 1 / float64(len(langs))
		}
	}
	if s, n := topScript(scripts); n > 0 && n*2 >= words {
		return s
	}
	best, second := "", ""
	for l, c := range counts {
		switch {
		case best == "" || c > counts[best] || c == counts[best] && l < best:
			best, second = l, best
		case second == "" || c > counts[second] || c == counts[second] && l < second:
			second = l
		}
	}
	// Real prose is a third function words; a text where they are rare
	// (placeholder Latin, lists of names) is in no language we know.
	if best == "" || counts[best] < 3 || counts[best] < 0.08*float64(min(words, detectWords)) {
		return ""
	}
	if second != "" && counts[second]*1.25 >= counts[best] {
		// Too close to call on words alone: the declaration decides
		// between the two, else nothing is said.
		if declared == best || declared == second {
			return declared
		}
		return ""
	}
	return best
}

// scriptOf names the language a word's script stands for when one
// language uses it (Han with kana is Japanese, Hangul Korean, Greek, …),
// "" for scripts shared by many languages (Latin, Cyrillic, Arabic).
func scriptOf(w string) string {
	for _, r := range w {
		for _, s := range scriptLangs {
			if unicode.Is(s.table, r) {
				return s.lang
			}
		}
	}
	return ""
}

// scriptLangs are the scripts one language uses, in the order scriptOf
// tests them: kana before Han, since Japanese mixes the two.
var scriptLangs = []struct {
	table *unicode.RangeTable
	lang  string
}{
	{unicode.Hiragana, "ja"}, {unicode.Katakana, "ja"}, {unicode.Hangul, "ko"}, {unicode.Han, "zh"},
	{unicode.Thai, "th"}, {unicode.Hebrew, "he"}, {unicode.Devanagari, "hi"}, {unicode.Bengali, "bn"},
	{unicode.Georgian, "ka"}, {unicode.Armenian, "hy"},
}

// topScript returns the script language with the most words; Japanese
// text mixes kana with Han, so any kana makes Han words Japanese.
func topScript(scripts map[string]int) (string, int) {
	if scripts["ja"] > 0 {
		return "ja", scripts["ja"] + scripts["zh"]
	}
	best, n := "", 0
	for s, c := range scripts {
		if c > n || c == n && s < best {
			best, n = s, c
		}
	}
	return best, n
}
