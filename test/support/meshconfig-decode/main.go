// Decodes mesh configs the way istiod does, to check the generated meshConfig schema against
// the real decoder. Reads a JSON array of mesh configs (objects) on stdin; writes to the file
// named by its argument (stdout carries istiod's log lines) a JSON array with, for each, the error of a strict decode (jsonpb refusing unknown fields, what the schema
// models) and the error of istiod's own reading (pkg/config/mesh, which ignores unknown
// fields); an empty string means accepted.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	meshconfig "istio.io/api/mesh/v1alpha1"
	"istio.io/istio/pkg/config/mesh"
	"istio.io/istio/pkg/util/protomarshal"
)

type verdict struct {
	Strict string `json:"strict"`
	Istiod string `json:"istiod"`
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func main() {
	var configs []json.RawMessage
	if err := json.NewDecoder(os.Stdin).Decode(&configs); err != nil {
		fmt.Fprintln(os.Stderr, "reading stdin:", err)
		os.Exit(1)
	}
	out := make([]verdict, 0, len(configs))
	for _, c := range configs {
		// JSON is YAML: both readers start from YAML text, as istiod reads its ConfigMap
		_, istiodErr := mesh.ApplyMeshConfigDefaults(string(c))
		out = append(out, verdict{
			Strict: errText(protomarshal.ApplyYAMLStrict(string(c), &meshconfig.MeshConfig{})),
			Istiod: errText(istiodErr),
		})
	}
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: meshconfig-decode <output.json> < configs.json")
		os.Exit(2)
	}
	text, err := json.Marshal(out)
	if err == nil {
		err = os.WriteFile(os.Args[1], text, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
