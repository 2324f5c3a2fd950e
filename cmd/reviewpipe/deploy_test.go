package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/reviewpipe/reviewpipe/internal/pipeline"
	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// TestExampleConfigs runs or checks every ready config of examples/.
func TestExampleConfigs(t *testing.T) {
	configs, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*.yaml"))
	if len(configs) < 4 {
		t.Fatalf("examples/ has %d configs, want the folder, crawl, Arrow stream and S3 ones", len(configs))
	}
	for _, cfg := range configs {
		if code, _, stderr := runCLI(t, "validate", "-c", cfg); code != exitOK {
			t.Errorf("%s does not validate: %s", cfg, stderr)
		}
	}
	ex := func(name string) string { return filepath.Join("..", "..", "examples", name) }
	if code, _, stderr := runCLI(t, "run", "-q", "-c", ex("folder.yaml"), "-o", t.TempDir()); code != exitOK {
		t.Errorf("folder.yaml: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "run", "-q", "-c", ex("arrow-stream.yaml"))
	if code != exitOK || !strings.HasPrefix(stdout, "\xff\xff\xff\xff") {
		t.Errorf("arrow-stream.yaml: exit %d, %d bytes on stdout (want an Arrow IPC stream): %s", code, len(stdout), stderr)
	}
	if code, stdout, stderr := runCLI(t, "run", "--dry-run", "-c", ex("crawl.yaml"), "-o", t.TempDir()); code != exitOK || !strings.Contains(stdout, "https://www.example.org/reviews/") {
		t.Errorf("crawl.yaml --dry-run: exit %d\n%s%s", code, stdout, stderr)
	}
	if testing.Short() {
		return
	}
	srv := testshared.StartS3(t, "reviews-bucket")
	path := "s3://reviews-bucket/nightly/reviews?endpoint=" + srv.Endpoint + "&use_path_style=true&region=us-east-1"
	code, stdout, stderr = runCLI(t, "run", "-q", "-c", ex("s3.yaml"), "--set", "sinks[0].path="+path)
	if code != exitOK {
		t.Fatalf("s3.yaml on versitygw: exit %d\n%s%s", code, stdout, stderr)
	}
	// The run's summary went beside the remote dataset: report renders it.
	query := "?endpoint=" + srv.Endpoint + "&use_path_style=true&region=us-east-1"
	page := filepath.Join(t.TempDir(), "report.html")
	if code, _, stderr := runCLI(t, "report", "s3://reviews-bucket/nightly"+query, "-o", page); code != exitOK {
		t.Fatalf("report of the S3 output: exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(page); !strings.Contains(string(b), runIDOf(t, stderr)) || !strings.Contains(string(b), "<svg") {
		t.Errorf("the report of the S3 run lacks its id or charts")
	}
	if code, _, stderr := runCLI(t, "report", "s3://reviews-bucket/elsewhere"+query, "-o", page); code != exitFailed || !strings.Contains(stderr, "no run under") {
		t.Errorf("report of an S3 prefix without runs: exit %d: %s", code, stderr)
	}
}

// TestKubernetesCronJob checks deploy/kubernetes/cronjob.yaml: its
// config is valid, its arguments are the CLI's, it runs as non-root with
// volumes for the data and the metrics textfile.
func TestKubernetesCronJob(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "deploy", "kubernetes", "cronjob.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]map[string]any{}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	for {
		var doc map[string]any
		if err := dec.Decode(&doc); err != nil {
			break
		}
		docs[doc["kind"].(string)] = doc
	}
	cm, job := docs["ConfigMap"], docs["CronJob"]
	if cm == nil || job == nil || docs["PersistentVolumeClaim"] == nil {
		t.Fatalf("want a ConfigMap, a PersistentVolumeClaim and a CronJob, got %v", len(docs))
	}
	config := dig(cm, "data", "pipeline.yaml").(string)
	cfg, err := pipeline.Parse([]byte(config), "cronjob.yaml ConfigMap", t.TempDir(), nil)
	if err != nil {
		t.Fatalf("the ConfigMap's pipeline.yaml: %v", err)
	}
	if cfg.Metrics.Textfile != "/textfile/reviewpipe.prom" {
		t.Errorf("metrics.textfile = %q, want it on the textfile volume", cfg.Metrics.Textfile)
	}
	pod := dig(job, "spec", "jobTemplate", "spec", "template", "spec").(map[string]any)
	if dig(pod, "securityContext", "runAsNonRoot") != true || dig(job, "spec", "concurrencyPolicy") != "Forbid" {
		t.Errorf("the pod must run as non-root and runs must not overlap")
	}
	c := pod["containers"].([]any)[0].(map[string]any)
	var args []string
	for _, a := range c["args"].([]any) {
		args = append(args, a.(string))
	}
	if code, _, stderr := runCLI(t, append(args, "--help")...); code != exitOK {
		t.Errorf("the container's arguments %v are not the CLI's: %s", args, stderr)
	}
	mounts := map[string]bool{}
	for _, m := range c["volumeMounts"].([]any) {
		mounts[m.(map[string]any)["mountPath"].(string)] = true
	}
	for _, want := range []string{"/config", "/data", "/textfile", "/tmp"} {
		if !mounts[want] {
			t.Errorf("no volume mounted at %s", want)
		}
	}
}

// TestSystemdUnits checks deploy/systemd with systemd-analyze verify
// (Debian's systemd) and the service's command line with the CLI.
func TestSystemdUnits(t *testing.T) {
	dir := filepath.Join("..", "..", "deploy", "systemd")
	service, err := os.ReadFile(filepath.Join(dir, "reviewpipe.service"))
	if err != nil {
		t.Fatal(err)
	}
	var exec_ string
	for _, line := range strings.Split(string(service), "\n") {
		if v, ok := strings.CutPrefix(line, "ExecStart="); ok {
			exec_ = v
		}
	}
	fields := strings.Fields(exec_)
	if len(fields) < 2 || fields[0] != "/usr/local/bin/reviewpipe" {
		t.Fatalf("ExecStart=%q", exec_)
	}
	if code, _, stderr := runCLI(t, append(fields[1:], "--help")...); code != exitOK {
		t.Errorf("ExecStart's arguments are not the CLI's: %s", stderr)
	}
	analyze := testshared.DebianPackage(t, "systemd-analyze", "systemd")
	// verify wants the command to exist: point it at this test binary.
	tmp := t.TempDir()
	self, _ := os.Executable()
	os.WriteFile(filepath.Join(tmp, "reviewpipe.service"), []byte(strings.ReplaceAll(string(service), "/usr/local/bin/reviewpipe", self)), 0o644)
	timer, _ := os.ReadFile(filepath.Join(dir, "reviewpipe.timer"))
	os.WriteFile(filepath.Join(tmp, "reviewpipe.timer"), timer, 0o644)
	cmd := exec.Command(analyze, "verify", filepath.Join(tmp, "reviewpipe.service"), filepath.Join(tmp, "reviewpipe.timer"))
	out, err := cmd.CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// TestStaticBuild builds the binary as deploy/Dockerfile does: without
// cgo, so it runs on a distroless static image.
func TestStaticBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	out := filepath.Join(t.TempDir(), "reviewpipe")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", out, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build: %v\n%s", err, b)
	}
	v, err := exec.Command(out, "--version").Output()
	if err != nil || !strings.HasPrefix(string(v), "reviewpipe ") {
		t.Errorf("the static binary: %v %q", err, v)
	}
	if b, _ := exec.Command("ldd", out).CombinedOutput(); !strings.Contains(string(b), "not a dynamic executable") {
		t.Errorf("the binary links dynamically: %s", b)
	}
}

// dig walks nested YAML maps.
func dig(m map[string]any, keys ...string) any {
	var v any = m
	for _, k := range keys {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

// TestKubernetesIndexedJob checks the sharded recipes (WARC archives, and
// crawl workers sharing a Redis frontier): an Indexed Job whose
// JOB_COMPLETIONS matches its completions and whose run id is the Job's
// name, a commit Job naming that run, both with the CLI's arguments and
// the ConfigMap's config valid.
func TestKubernetesIndexedJob(t *testing.T) {
	for _, r := range []struct{ job, commit, config string }{
		{"reviewpipe-warc", "warc-commit-job.yaml", "reviewpipe-warc-config"},
		{"reviewpipe-crawl", "crawl-commit-job.yaml", "reviewpipe-crawl-config"},
	} {
		t.Run(r.job, func(t *testing.T) { checkIndexedJob(t, r.job, r.commit, r.config) })
	}
}

func checkIndexedJob(t *testing.T, jobName, commitFile, configName string) {
	files := map[string]string{"reviewpipe-warc": "warc-indexed-job.yaml", "reviewpipe-crawl": "crawl-workers.yaml"}
	docs := map[string]map[string]any{}
	for _, name := range []string{files[jobName], commitFile} {
		data, err := os.ReadFile(filepath.Join("..", "..", "deploy", "kubernetes", name))
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		for {
			var doc map[string]any
			if dec.Decode(&doc) != nil {
				break
			}
			docs[doc["kind"].(string)+"/"+dig(doc, "metadata", "name").(string)] = doc
		}
	}
	job, commit, cm := docs["Job/"+jobName], docs["Job/"+jobName+"-commit"], docs["ConfigMap/"+configName]
	if job == nil || commit == nil || cm == nil {
		t.Fatalf("want the Indexed Job, the commit Job and the ConfigMap; got %d documents", len(docs))
	}
	if _, err := pipeline.Parse([]byte(dig(cm, "data", "pipeline.yaml").(string)), "ConfigMap", t.TempDir(), nil); err != nil {
		t.Errorf("the ConfigMap's pipeline.yaml: %v", err)
	}
	if dig(job, "spec", "completionMode") != "Indexed" {
		t.Errorf("the shard Job is not Indexed")
	}
	env := map[string]any{}
	c := dig(job, "spec", "template", "spec").(map[string]any)["containers"].([]any)[0].(map[string]any)
	for _, e := range c["env"].([]any) {
		m := e.(map[string]any)
		env[m["name"].(string)] = m
	}
	if v := env["JOB_COMPLETIONS"].(map[string]any)["value"]; v != fmt.Sprint(dig(job, "spec", "completions")) {
		t.Errorf("JOB_COMPLETIONS %v differs from completions %v", v, dig(job, "spec", "completions"))
	}
	cc := dig(commit, "spec", "template", "spec").(map[string]any)["containers"].([]any)[0].(map[string]any)
	if id := cc["env"].([]any)[0].(map[string]any)["value"]; id != jobName {
		t.Errorf("the commit Job commits run %v, not the Indexed Job's", id)
	}
	for _, container := range []map[string]any{c, cc} {
		var args []string
		for _, a := range container["args"].([]any) {
			args = append(args, a.(string))
		}
		if code, _, stderr := runCLI(t, append(args, "--help")...); code != exitOK {
			t.Errorf("arguments %v are not the CLI's: %s", args, stderr)
		}
	}
}
