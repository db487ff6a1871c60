package main

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"

	ps "pluginstudio"
)

// The same middlewares as examples/c, written as ordinary Go HTTP handlers (Tyk's hook
// signatures); exports.go makes them ABI handlers.

func init() { ps.Describe("example-go", "0.1.0") }

type headerConfig struct {
	Value string `json:"value"`
}

// addHeader adds X-Example (value: config.value, default "plugin-studio").
func addHeader(w http.ResponseWriter, r *http.Request) {
	cfg := headerConfig{Value: "plugin-studio"}
	if err := ps.DecodeConfig(r, &cfg); err != nil {
		ps.Warnf(r, "%v: using the default value", err)
	}
	r.Header.Add("X-Example", cfg.Value)
}

type rewriteConfig struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// rewritePath rewrites the path prefix /v1/ to /v2/ (config.from and config.to override them).
func rewritePath(w http.ResponseWriter, r *http.Request) {
	cfg := rewriteConfig{From: "/v1/", To: "/v2/"}
	if err := ps.DecodeConfig(r, &cfg); err != nil {
		ps.Warnf(r, "%v: using the default prefixes", err)
	}
	if !strings.HasPrefix(r.URL.Path, cfg.From) {
		ps.Infof(r, "path does not start with %s: unchanged", cfg.From)
		return
	}
	r.URL.Path = cfg.To + strings.TrimPrefix(r.URL.Path, cfg.From)
	r.URL.RawPath = ""
	ps.Infof(r, "rewrote %s to %s", cfg.From, cfg.To)
}

// requireToken answers 403 when the Authorization header is missing.
func requireToken(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") == "" {
		ps.Warnf(r, "rejected: no Authorization header")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, "Forbidden: this API needs an Authorization header.\n")
		return
	}
	ps.Infof(r, "Authorization header present")
}

type replaceConfig struct {
	Find    string `json:"find"`
	Replace string `json:"replace"`
}

// stripServer removes the Server header and replaces "upstream" with "gateway" in the body.
func stripServer(w http.ResponseWriter, res *http.Response, r *http.Request) {
	cfg := replaceConfig{Find: "upstream", Replace: "gateway"}
	if err := ps.DecodeConfig(r, &cfg); err != nil {
		ps.Warnf(r, "%v: using the default words", err)
	}
	removed := len(res.Header.Values("Server"))
	res.Header.Del("Server")
	body, err := io.ReadAll(res.Body)
	if err != nil {
		ps.Errorf(r, "reading the upstream body: %v", err)
		return
	}
	replaced := 0
	if cfg.Find != "" {
		replaced = bytes.Count(body, []byte(cfg.Find))
	}
	if replaced > 0 {
		body = bytes.ReplaceAll(body, []byte(cfg.Find), []byte(cfg.Replace))
		if res.Header.Get("Content-Length") != "" {
			res.Header.Set("Content-Length", strconv.Itoa(len(body)))
		}
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	res.ContentLength = int64(len(body))
	ps.Infof(r, "removed %d Server header(s), replaced %d occurrence(s) of '%s'", removed, replaced, cfg.Find)
}

// panicNilMap writes to a nil map: the classic Go plugin bug. The SDK recovers the panic and
// reports it with its stack.
func panicNilMap(w http.ResponseWriter, r *http.Request) {
	var seen map[string]int
	seen[r.URL.Path]++
}
