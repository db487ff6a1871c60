package pluginstudio

import (
	"encoding/json"
	"fmt"
)

var pluginName, pluginVersion string

// Describe sets the plugin's name and version in the manifest. Call it from an init function or a
// package-level variable initialiser, before the host reads the manifest.
func Describe(name, version string) {
	registryMu.Lock()
	defer registryMu.Unlock()
	pluginName, pluginVersion = name, version
}

type manifestHandler struct {
	Symbol      string `json:"symbol"`
	Phase       string `json:"phase"`
	Description string `json:"description,omitempty"`
}

type manifest struct {
	ABI      int               `json:"abi"`
	Name     string            `json:"name,omitempty"`
	Version  string            `json:"version,omitempty"`
	Handlers []manifestHandler `json:"handlers"`
}

// Manifest is the plugin_studio_manifest JSON: the plugin's name and version and every registered
// handler, in registration order.
func Manifest() []byte {
	registryMu.Lock()
	defer registryMu.Unlock()
	m := manifest{ABI: ABIVersion, Name: pluginName, Version: pluginVersion, Handlers: []manifestHandler{}}
	for _, h := range registry {
		m.Handlers = append(m.Handlers, manifestHandler{Symbol: h.symbol, Phase: h.phase, Description: h.description})
	}
	b, err := json.Marshal(m)
	if err != nil {
		// Only strings and ints: Marshal cannot fail on this shape.
		panic(err)
	}
	return b
}

// DeclareRaw lists in the manifest a handler exported without this package (its own //export
// that follows the ABI by hand). phase is "request" or "response".
func DeclareRaw(symbol, phase, description string) {
	if phase != "request" && phase != "response" {
		panic(fmt.Sprintf("pluginstudio: handler %q: phase must be request or response, not %q", symbol, phase))
	}
	register(&Handler{symbol: symbol, phase: phase, description: description})
}
