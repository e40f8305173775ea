// Benchmarks istiod's injection webhook handler of the pinned istio.io/istio in process: for each
// injector configuration (a chart's injector config, values and mesh config) and each case (an
// AdmissionReview of one pod), testing.Benchmark runs the handler behind istiod's /inject route,
// which decodes the review, renders the templates, merges them into the pod and builds the
// JSON patch. Configurations alternate within each round so drift in machine load hits both.
//
// Input: a JSON spec file (see benchSpec). Output: one JSON array of results on stdout.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"syscall"
	"testing"
	"time"

	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pkg/config/mesh"
	"istio.io/istio/pkg/config/mesh/meshwatcher"
	"istio.io/istio/pkg/kube/inject"
	"istio.io/istio/pkg/kube/multicluster"
	"istio.io/istio/pkg/log"
)

type injectorFiles struct {
	Name     string `json:"name"`
	Config   string `json:"config"`
	Values   string `json:"values"`
	Mesh     string `json:"mesh"`
	Revision string `json:"revision"`
}

type benchCase struct {
	Name   string          `json:"name"`
	Review json.RawMessage `json:"review"`
}

type benchSpec struct {
	Benchtime string          `json:"benchtime"`
	Rounds    int             `json:"rounds"`
	Path      string          `json:"path"`
	Injectors []injectorFiles `json:"injectors"`
	Cases     []benchCase     `json:"cases"`
}

type result struct {
	Injector    string  `json:"injector"`
	Case        string  `json:"case"`
	Round       int     `json:"round"`
	N           int     `json:"n"`
	NsPerOp     float64 `json:"nsPerOp"`
	CPUNsPerOp  float64 `json:"cpuNsPerOp"`
	BytesPerOp  int64   `json:"bytesPerOp"`
	AllocsPerOp int64   `json:"allocsPerOp"`
	PatchBytes  int     `json:"patchBytes"`
}

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

// handler is istiod's webhook mux for one injector configuration.
func handler(f injectorFiles) http.Handler {
	cfg, err := inject.UnmarshalConfig(read(f.Config))
	if err != nil {
		fail("injector config %s: %v", f.Config, err)
	}
	meshConfig, err := mesh.ReadMeshConfig(f.Mesh)
	if err != nil {
		fail("mesh config %s: %v", f.Mesh, err)
	}
	env := &model.Environment{Watcher: meshwatcher.NewTestWatcher(meshConfig)}
	env.SetPushContext(&model.PushContext{ProxyConfigs: &model.ProxyConfigs{}})
	mux := http.NewServeMux()
	if _, err := inject.NewWebhook(inject.WebhookParameters{
		Watcher:      fixedConfig{config: &cfg, values: string(read(f.Values))},
		Env:          env,
		Mux:          mux,
		Revision:     f.Revision,
		MultiCluster: multicluster.NewFakeController(),
	}); err != nil {
		fail("%s: %v", f.Name, err)
	}
	return mux
}

// serve sends one review and returns the response body; any failure to inject is fatal.
func serve(h http.Handler, path string, review []byte) []byte {
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(review))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		fail("HTTP %d: %s", rec.Code, rec.Body.String())
	}
	return rec.Body.Bytes()
}

// cpuTime is the CPU time of this process so far, every thread (GC included).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		fail("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// patchSize checks that the webhook allowed the pod and patched it, and returns the patch size.
func patchSize(body []byte) (int, error) {
	var answer struct {
		Response struct {
			Allowed bool   `json:"allowed"`
			Patch   []byte `json:"patch"`
			Result  *struct {
				Message string `json:"message"`
			} `json:"status"`
		} `json:"response"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return 0, err
	}
	if !answer.Response.Allowed || len(answer.Response.Patch) == 0 {
		msg := ""
		if answer.Response.Result != nil {
			msg = answer.Response.Result.Message
		}
		return 0, fmt.Errorf("not injected (allowed=%v, %d patch bytes) %s", answer.Response.Allowed, len(answer.Response.Patch), msg)
	}
	return len(answer.Response.Patch), nil
}

func main() {
	if len(os.Args) != 2 {
		fail("usage: %s spec.json > results.json", os.Args[0])
	}
	if v := os.Getenv("ENABLE_NATIVE_SIDECARS"); v != "true" && v != "false" {
		fail("ENABLE_NATIVE_SIDECARS must be true or false here (no nodes to detect support from), not %q", v)
	}
	var spec benchSpec
	if err := json.Unmarshal(read(os.Args[1]), &spec); err != nil {
		fail("spec %s: %v", os.Args[1], err)
	}
	if spec.Rounds < 1 || len(spec.Injectors) == 0 || len(spec.Cases) == 0 {
		fail("spec %s: rounds >= 1, injectors and cases are required", os.Args[1])
	}
	// the webhook logs every request at info level; that would be most of what is measured
	opts := log.DefaultOptions()
	opts.OutputPaths = []string{"stderr"}
	opts.SetDefaultOutputLevel("all", log.WarnLevel)
	if err := log.Configure(opts); err != nil {
		fail("%v", err)
	}
	testing.Init()
	flag.Parse()
	if spec.Benchtime != "" {
		if err := flag.Set("test.benchtime", spec.Benchtime); err != nil {
			fail("benchtime %q: %v", spec.Benchtime, err)
		}
	}

	handlers := make([]http.Handler, len(spec.Injectors))
	patches := map[[2]int]int{}
	for i, f := range spec.Injectors {
		handlers[i] = handler(f)
		for j, c := range spec.Cases {
			n, err := patchSize(serve(handlers[i], spec.Path, c.Review))
			if err != nil {
				fail("%s / %s: %v", f.Name, c.Name, err)
			}
			patches[[2]int{i, j}] = n
		}
	}

	var results []result
	for round := 0; round < spec.Rounds; round++ {
		for j, c := range spec.Cases {
			for i, f := range spec.Injectors {
				h, review := handlers[i], []byte(c.Review)
				r := testing.Benchmark(func(b *testing.B) {
					b.ReportAllocs()
					// wall time counts whatever else the machine runs; CPU time per op does not
					started := cpuTime()
					for b.Loop() {
						serve(h, spec.Path, review)
					}
					b.ReportMetric(float64(cpuTime()-started)/float64(b.N), "cpu-ns/op")
				})
				results = append(results, result{
					Injector: f.Name, Case: c.Name, Round: round, N: r.N,
					NsPerOp: float64(r.T.Nanoseconds()) / float64(r.N), CPUNsPerOp: r.Extra["cpu-ns/op"], BytesPerOp: r.AllocedBytesPerOp(), AllocsPerOp: r.AllocsPerOp(),
					PatchBytes: patches[[2]int{i, j}],
				})
			}
		}
	}
	out, err := json.Marshal(results)
	if err != nil {
		fail("%v", err)
	}
	os.Stdout.Write(out)
}
