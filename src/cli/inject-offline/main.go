// An offline stand-in for istiod's /inject endpoint: the injection webhook of the pinned
// istio.io/istio, built from the injector config, values and mesh config of a rendered istiod
// chart, answers the AdmissionReviews on stdin (a JSON array) with the AdmissionReviews istiod
// would send back (a JSON array on stdout). Nothing here talks to a cluster: no ProxyConfig
// resources, and no nodes to detect native sidecar support from, so ENABLE_NATIVE_SIDECARS
// must be "true" or "false" in the environment (the caller sets it, with istiod's other env).
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"

	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pkg/config/mesh"
	"istio.io/istio/pkg/config/mesh/meshwatcher"
	"istio.io/istio/pkg/kube/inject"
	"istio.io/istio/pkg/kube/multicluster"
	"istio.io/istio/pkg/log"
)

// fixedConfig is an injection config that never changes.
type fixedConfig struct {
	config *inject.Config
	values string
}

func (f fixedConfig) SetHandler(func(*inject.Config, string) error) {}
func (f fixedConfig) Run(<-chan struct{})                              {}
func (f fixedConfig) Get() (*inject.Config, string, error)             { return f.config, f.values, nil }

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func read(path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		fail("%v", err)
	}
	return b
}

func main() {
	if len(os.Args) != 6 {
		fail("usage: %s inject-config.yaml values.json mesh.yaml <revision> <path> < reviews.json > responses.json", os.Args[0])
	}
	if v := os.Getenv("ENABLE_NATIVE_SIDECARS"); v != "true" && v != "false" {
		fail("ENABLE_NATIVE_SIDECARS must be true or false here (no nodes to detect support from), not %q", v)
	}
	// the webhook logs every request at info level; stdout carries the answers only
	opts := log.DefaultOptions()
	opts.OutputPaths = []string{"stderr"}
	opts.SetDefaultOutputLevel("all", log.WarnLevel)
	if err := log.Configure(opts); err != nil {
		fail("%v", err)
	}

	cfg, err := inject.UnmarshalConfig(read(os.Args[1]))
	if err != nil {
		fail("injector config %s: %v", os.Args[1], err)
	}
	meshConfig, err := mesh.ReadMeshConfig(os.Args[3])
	if err != nil {
		fail("mesh config %s: %v", os.Args[3], err)
	}
	env := &model.Environment{Watcher: meshwatcher.NewTestWatcher(meshConfig)}
	// as in istiod: the proxy config is the mesh default merged with the pod's annotation
	// (there are no ProxyConfig resources offline)
	env.SetPushContext(&model.PushContext{ProxyConfigs: &model.ProxyConfigs{}})
	mux := http.NewServeMux()
	if _, err := inject.NewWebhook(inject.WebhookParameters{
		Watcher:      fixedConfig{config: &cfg, values: string(read(os.Args[2]))},
		Env:          env,
		Mux:          mux,
		Revision:     os.Args[4],
		MultiCluster: multicluster.NewFakeController(),
	}); err != nil {
		fail("%v", err)
	}

	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail("%v", err)
	}
	var reviews []json.RawMessage
	if err := json.Unmarshal(in, &reviews); err != nil {
		fail("stdin: a JSON array of AdmissionReviews expected: %v", err)
	}
	answers := make([]json.RawMessage, 0, len(reviews))
	for i, review := range reviews {
		req := httptest.NewRequest(http.MethodPost, os.Args[5], bytes.NewReader(review))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			fail("review %d: HTTP %d: %s", i, rec.Code, rec.Body.String())
		}
		answers = append(answers, rec.Body.Bytes())
	}
	out, err := json.Marshal(answers)
	if err != nil {
		fail("%v", err)
	}
	os.Stdout.Write(out)
}
