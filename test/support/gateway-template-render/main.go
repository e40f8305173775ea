// Renders a gateway-controller template (waypoint, kube-gateway, agentgateway, agentgateway-waypoint)
// as istiod's controller does.
package main

import (
	"fmt"
	"os"

	gateway "sigs.k8s.io/gateway-api/apis/v1"
	"sigs.k8s.io/yaml"

	meshapi "istio.io/api/mesh/v1alpha1"
	"istio.io/istio/pilot/pkg/config/kube/gatewaycommon"
	"istio.io/istio/pkg/config/mesh"
	"istio.io/istio/pkg/kube/inject"
	"istio.io/istio/pkg/test/util/tmpl"
)

type scenario struct {
	Gateway gateway.Gateway             `json:"gateway"`
	Input   gatewaycommon.TemplateInput `json:"input"`
}

// input has the fields of the controller's (unexported) derivedInput.
type input struct {
	gatewaycommon.TemplateInput
	ProxyImage        string
	AgentgatewayImage string
	ProxyConfig       *meshapi.ProxyConfig
	MeshConfig        *meshapi.MeshConfig
	Values            map[string]any
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func read(path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		fail(err)
	}
	return b
}

func main() {
	if len(os.Args) != 6 {
		fail(fmt.Errorf("usage: %s inject-config.yaml values.json mesh.yaml <template> scenario.yaml", os.Args[0]))
	}
	cfg, err := inject.UnmarshalConfig(read(os.Args[1]))
	if err != nil {
		fail(err)
	}
	values, err := inject.NewValuesConfig(string(read(os.Args[2])))
	if err != nil {
		fail(err)
	}
	mc, err := mesh.ReadMeshConfig(os.Args[3])
	if err != nil {
		fail(err)
	}
	var s scenario
	if err := yaml.UnmarshalStrict(read(os.Args[5]), &s); err != nil {
		fail(err)
	}
	s.Input.Gateway = &s.Gateway
	t := cfg.Templates[os.Args[4]]
	if t == nil {
		fail(fmt.Errorf("no template %q", os.Args[4]))
	}
	// no ProxyConfig resources here: the mesh default is the effective proxy config
	pc := mc.GetDefaultConfig()
	out, err := tmpl.Execute(t, input{
		TemplateInput:     s.Input,
		ProxyImage:        inject.ProxyImage(values.Struct(), pc.GetImage(), s.Gateway.Annotations),
		AgentgatewayImage: inject.AgentgatewayImage(values.Struct(), pc.GetImage(), s.Gateway.Annotations),
		ProxyConfig:       pc,
		MeshConfig:        mc,
		Values:            values.Map(),
	})
	if err != nil {
		fail(err)
	}
	fmt.Print(out)
}
