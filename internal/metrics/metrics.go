// Package metrics exports a run's summary as Prometheus metrics: a
// node-exporter textfile written at the end of each run, and optionally a
// push to a Pushgateway, the two ways Prometheus watches batch jobs.
package metrics

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/push"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/reviewpipe/reviewpipe/internal/confval"
	"github.com/reviewpipe/reviewpipe/internal/runstats"
)

// Config says where the metrics go (pipeline.yaml's metrics section).
type Config struct {
	// Textfile is the path of a node-exporter textfile (*.prom) written
	// atomically at the end of each run; empty writes none.
	Textfile string `yaml:"textfile"`
	// Pushgateway is the URL of a Pushgateway the metrics are pushed to at
	// the end of each run; empty pushes nothing.
	Pushgateway string `yaml:"pushgateway"`
	// Job is the job name the Pushgateway groups the push under.
	Job string `yaml:"job"`
}

// DefaultConfig exports nothing until a textfile or gateway is named.
func DefaultConfig() Config { return Config{Job: "reviewpipe"} }

// Validate reports an empty job.
func (c Config) Validate() error {
	if c.Job == "" {
		return confval.Errorf("job", "must not be empty")
	}
	return nil
}

// lastSuccess is the metric a failed run carries over from the textfile
// it replaces, so an alert on "no success for a day" keeps its clock.
const lastSuccess = "reviewpipe_last_success_timestamp_seconds"

// Export writes the textfile and pushes to the gateway, as configured.
func Export(ctx context.Context, c Config, s runstats.Summary) error {
	var errs []error
	if c.Textfile != "" {
		prev := previousSuccess(c.Textfile)
		reg := Registry(s, c.Job, prev)
		if err := prometheus.WriteToTextfile(c.Textfile, reg); err != nil {
			errs = append(errs, fmt.Errorf("metrics textfile %s: %w", c.Textfile, err))
		}
	}
	if c.Pushgateway != "" {
		reg := Registry(s, c.Job, 0)
		if err := push.New(c.Pushgateway, c.Job).Gatherer(reg).PushContext(ctx); err != nil {
			errs = append(errs, fmt.Errorf("pushing metrics to %s: %w", c.Pushgateway, err))
		}
	}
	return errors.Join(errs...)
}

// previousSuccess reads the last success time from an earlier textfile,
// 0 when there is none.
func previousSuccess(path string) float64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(f)
	if err != nil {
		return 0
	}
	if mf, ok := families[lastSuccess]; ok && len(mf.GetMetric()) > 0 {
		return mf.GetMetric()[0].GetGauge().GetValue()
	}
	return 0
}

// Registry holds the run's metrics. prevSuccess is the last success time
// to report when this run did not succeed.
func Registry(s runstats.Summary, job string, prevSuccess float64) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	c := &collector{s: s, job: job, prevSuccess: prevSuccess}
	reg.MustRegister(c)
	return reg
}

// collector turns a summary into const metrics when gathered.
type collector struct {
	s           runstats.Summary
	job         string
	prevSuccess float64
}

func (c *collector) Describe(ch chan<- *prometheus.Desc) { prometheus.DescribeByCollect(c, ch) }

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	s := c.s
	counterVec(ch, "reviewpipe_pages_read_total", "Pages the sources yielded in the last run, by source.", "source", s.Pages.BySource)
	counterVec(ch, "reviewpipe_pages_total", "Pages processed in the last run, by site.", "site", s.Pages.BySite)
	counterVec(ch, "reviewpipe_records_by_site_total", "Reviews handed to the sinks in the last run, by site.", "site", s.Records.BySite)
	counterVec(ch, "reviewpipe_records_total", "Reviews of the last run: written, skipped as already present, marked as near-duplicates.", "state", map[string]int64{
		"written": s.Records.Written, "skipped_present": s.Records.SkippedPresent, "marked_duplicate": s.Records.Duplicates,
	})
	counterVec(ch, "reviewpipe_rejects_by_site_total", "Rejected pages in the last run, by site.", "site", s.Rejects.BySite)
	rejects := prometheus.NewDesc("reviewpipe_rejects_total", "Rejected pages in the last run, by stage and reason.", []string{"stage", "reason"}, nil)
	for _, k := range slices.Sorted(maps.Keys(s.Rejects.ByReason)) {
		stage, reason := splitReason(k)
		ch <- prometheus.MustNewConstMetric(rejects, prometheus.CounterValue, float64(s.Rejects.ByReason[k]), stage, reason)
	}
	counterVec(ch, "reviewpipe_fetches_total", "Crawl requests in the last run, by outcome.", "outcome", s.Fetches.ByOutcome)
	counterVec(ch, "reviewpipe_fetch_status_total", "Crawl responses in the last run, by HTTP status (none: no response).", "code", s.Fetches.ByStatus)
	ch <- prometheus.MustNewConstMetric(prometheus.NewDesc("reviewpipe_bytes_read_total", "Bytes of pages read in the last run.", nil, nil),
		prometheus.CounterValue, float64(s.Pages.Bytes))
	histogram(ch, prometheus.NewDesc("reviewpipe_fetch_duration_seconds", "Crawl request latency in the last run.", nil, nil), s.Fetches.Latency)
	stages := prometheus.NewDesc("reviewpipe_stage_duration_seconds", "Time per page (extract, transform) or per batch (write, commit) in the last run.", []string{"stage"}, nil)
	for _, st := range slices.Sorted(maps.Keys(s.Stages)) {
		histogram(ch, stages, s.Stages[st], st)
	}
	gauge(ch, "reviewpipe_run_duration_seconds", "Duration of the last run.", s.Seconds)
	gauge(ch, "reviewpipe_last_run_timestamp_seconds", "When the last run finished, Unix time.", unix(s.FinishedAt))
	status := prometheus.NewDesc("reviewpipe_last_run_status", "1 for how the last run ended: ok, finished_with_rejects, failed, no_input, interrupted.", []string{"status"}, nil)
	ch <- prometheus.MustNewConstMetric(status, prometheus.GaugeValue, 1, s.Status)
	success := c.prevSuccess
	if s.Status == runstats.StatusOK || s.Status == runstats.StatusRejects {
		success = unix(s.FinishedAt)
	}
	if success > 0 {
		gauge(ch, lastSuccess, "When a run last published its output, Unix time.", success)
	}
}

func counterVec(ch chan<- prometheus.Metric, name, help, label string, m map[string]int64) {
	desc := prometheus.NewDesc(name, help, []string{label}, nil)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.CounterValue, float64(m[k]), k)
	}
}

func gauge(ch chan<- prometheus.Metric, name, help string, v float64) {
	ch <- prometheus.MustNewConstMetric(prometheus.NewDesc(name, help, nil, nil), prometheus.GaugeValue, v)
}

func histogram(ch chan<- prometheus.Metric, desc *prometheus.Desc, h runstats.Histogram, labels ...string) {
	if len(h.Bounds) == 0 {
		return
	}
	ch <- prometheus.MustNewConstHistogram(desc, h.Count, h.Sum, h.Cumulative(), labels...)
}

func splitReason(k string) (string, string) {
	for i := range len(k) {
		if k[i] == '/' {
			return k[:i], k[i+1:]
		}
	}
	return k, ""
}

func unix(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }
