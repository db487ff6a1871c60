package main

import (
	"bytes"
	"io"
	"net/http"
)

// StripServer is a response hook that hides the upstream's Server header and adds its own.
func StripServer(w http.ResponseWriter, res *http.Response, r *http.Request) {
	res.Header.Del("Server")
	res.Header.Set("X-Processed", "studio")
}

// RewriteResponseBody replaces "secret" in the upstream body.
func RewriteResponseBody(w http.ResponseWriter, res *http.Response, r *http.Request) {
	b, _ := io.ReadAll(res.Body)
	b = bytes.ReplaceAll(b, []byte("secret"), []byte("******"))
	res.Body = io.NopCloser(bytes.NewReader(b))
	res.ContentLength = int64(len(b))
}

// FailUpstream turns the upstream answer into a 502.
func FailUpstream(w http.ResponseWriter, res *http.Response, r *http.Request) {
	res.StatusCode = http.StatusBadGateway
	res.Status = "502 Bad Gateway"
}

// NoopResponse leaves the response alone.
func NoopResponse(w http.ResponseWriter, res *http.Response, r *http.Request) {}
