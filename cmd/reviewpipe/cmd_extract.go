package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/reviewpipe/reviewpipe/internal/pipeline"
)

func (c *cli) extractCommand() *cobra.Command {
	var opts pipeline.ExtractOptions
	cmd := &cobra.Command{
		Use:   "extract URL|FILE|DIR|- ...",
		Short: "Extract pages and print the records (JSON Lines, Markdown or text)",
		Long: `Extract the given pages and print one result per page on stdout, in the
order given: an http(s) URL is fetched once with the crawl's rules
(robots.txt, user agent, timeouts, size limits: those of the config's first
crawl source, else the defaults); a folder contributes its .html, .htm and
.html.gz files in name order; "-" reads one page from stdin.

--format json (the default) prints JSON Lines with the output columns plus
"source"; a rejected page prints {"url","source","reject":{…}}. markdown and
text print the headline, the main fields and the body, for reading.

` + exitCodesHelp,
		Example: `  reviewpipe extract page.html
  reviewpipe extract https://example.com/reviews/her --format markdown
  reviewpipe extract saved-pages/ | jq -r '.title'
  curl -s https://example.com/review | reviewpipe extract --url https://example.com/review -`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := c.loadConfig(cmd, "")
			if err != nil {
				fmt.Fprintf(c.stderr, "reviewpipe extract: invalid config:\n%v\n", err)
				c.code = exitUsage
				return nil
			}
			if opts.Format == pipeline.FormatMarkdown {
				cfg.Extract.Markdown = true
			}
			opts.Stdin = c.stdin
			log := newLogger(cfg.Log, c.stderr)
			rejected, err := pipeline.ExtractInputs(cmd.Context(), cfg, args, opts, c.stdout, log)
			switch {
			case err != nil && cmd.Context().Err() != nil:
				c.code = exitInterrupted
			case err != nil:
				fmt.Fprintf(c.stderr, "reviewpipe extract: %v\n", err)
				c.code = exitFailed
			case rejected > 0:
				c.code = exitRejects
			}
			return nil
		},
	}
	c.configFlags(cmd)
	cmd.Flags().StringVar(&opts.PageURL, "url", "", "URL of the page(s) read from files or stdin, used when a page declares no canonical URL")
	cmd.Flags().StringVarP(&opts.Format, "format", "f", pipeline.FormatJSON, "output format: json, markdown or text")
	return cmd
}
