package crawl

import (
	"errors"
	"fmt"
	"io"
	"strings"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// gowarcReader reads archives with github.com/nlnwa/gowarc/v3: plain and
// per-record gzip WARC 1.0 and 1.1, streamed; a block larger than 1 MiB
// is buffered on disk, not in memory.
type gowarcReader struct {
	r *gowarc.WarcFileReader
	// at re-reads one record's header raw (see rawTargetURI); nil when
	// the archive is a stream that cannot be read again.
	at io.ReaderAt
}

// openGowarc starts reading an archive. Validation problems that leave
// the record readable (a wrong digest, a missing field) are not reasons
// to lose a page: they are noted by the library (ErrWarn) and let pass,
// as archive readers do. ErrWarn on spec violations also makes the reader
// buffer each block before it moves on (in memory up to 1 MiB, then in a
// temporary file); with ErrIgnore a payload would end where the read
// buffer did.
func openGowarc(r io.Reader) (warcReader, error) {
	wr, err := gowarc.NewWarcFileReaderFromStream(r, 0,
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrWarn),
		gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore),
		gowarc.WithBlockErrorPolicy(gowarc.ErrIgnore),
		gowarc.WithAddMissingDigest(false))
	if err != nil {
		return nil, err
	}
	g := &gowarcReader{r: wr}
	g.at, _ = r.(io.ReaderAt)
	return g, nil
}

func (g *gowarcReader) Next() (warcRecord, error) {
	rec, err := g.r.Next()
	out := warcRecord{Offset: rec.Offset, close: rec.Close}
	if errors.Is(err, io.EOF) && rec.WarcRecord != nil {
		// The archive ended inside a record: not a clean end.
		err = errors.New("the archive ends inside this record")
	}
	if err != nil {
		rec.Close()
		return out, err
	}
	wr := rec.WarcRecord
	h := wr.WarcHeader()
	out.Type = wr.Type().String()
	out.TargetURI = unbracket(h.Get(gowarc.WarcTargetURI))
	if out.TargetURI == "" && g.at != nil {
		out.TargetURI = g.rawTargetURI(rec.Offset, rec.Size)
	}
	out.Date, _ = wr.Date()
	if cut := truncation(rec.Validation); cut != nil {
		// A record cut short (a broken download, a damaged disk): whatever
		// it held is lost, and says so as a reject.
		out.Type, out.Header, out.PayloadErr = "response", noHeader{}, cut
		return out, nil
	}
	if out.Type != "response" {
		return out, nil
	}
	block, ok := wr.Block().(gowarc.HttpResponseBlock)
	if !ok {
		// A response record whose block is no HTTP response (a DNS
		// answer, a gemini page): not a web page.
		out.Type = "response without HTTP"
		return out, nil
	}
	out.Status = block.HttpStatusCode()
	if hh := block.HttpHeader(); hh != nil {
		out.Header = hh
	} else {
		out.Header = noHeader{}
	}
	out.Payload, out.PayloadErr = block.PayloadBytes()
	if out.PayloadErr != nil {
		out.PayloadErr = fmt.Errorf("payload: %w", out.PayloadErr)
	}
	return out, nil
}

func (g *gowarcReader) Close() error { return g.r.Close() }

// rawTargetURI reads the WARC-Target-URI of the record at offset without
// validation. WARC 1.0 writes the URI in angle brackets ("<http://…>", as
// wget does); gowarc's validation fails to parse that as a URL and
// blanks the field, so the record's header is read again as it is.
func (g *gowarcReader) rawTargetURI(offset, size int64) string {
	r, err := gowarc.NewWarcFileReaderFromStream(io.NewSectionReader(g.at, offset, size), 0,
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrIgnore), gowarc.WithSpecViolationPolicy(gowarc.ErrIgnore),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore), gowarc.WithSkipParseBlock())
	if err != nil {
		return ""
	}
	defer r.Close()
	rec, err := r.Next()
	if err != nil || rec.WarcRecord == nil {
		rec.Close()
		return ""
	}
	defer rec.Close()
	return unbracket(rec.WarcRecord.WarcHeader().Get(gowarc.WarcTargetURI))
}

// truncation returns the finding that says a record's block is cut short,
// nil when there is none.
func truncation(findings []error) error {
	for _, f := range findings {
		var cl *gowarc.ContentLengthError
		if errors.As(f, &cl) || strings.Contains(f.Error(), "end of record") {
			return fmt.Errorf("truncated record: %w", f)
		}
	}
	return nil
}

// unbracket strips the angle brackets WARC 1.0 puts around a URI.
func unbracket(s string) string {
	if strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") {
		return s[1 : len(s)-1]
	}
	return s
}

type noHeader struct{}

func (noHeader) Get(string) string { return "" }
