// A Tyk-style Go plugin with one handler per hook behaviour the studio must report. Built by the
// tests with `go build -buildmode=plugin`; standard library only.
package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

// AddHeader is a pre hook that continues with an extra header.
func AddHeader(w http.ResponseWriter, r *http.Request) {
	r.Header.Add("X-Studio", "added")
}

// RewriteURL moves the request under /v2 and adds a query parameter.
func RewriteURL(w http.ResponseWriter, r *http.Request) {
	r.URL.Path = "/v2" + r.URL.Path
	q := r.URL.Query()
	q.Set("rewritten", "1")
	r.URL.RawQuery = q.Encode()
}

// RejectJSON is an auth_check hook that refuses the request.
func RejectJSON(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte(`{"error":"forbidden"}`))
}

// Answer200 answers the request itself without a WriteHeader call.
func Answer200(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	fmt.Fprintf(w, "hello %s", r.URL.Query().Get("name"))
}

// Teapot answers 418, which the gateway treats as a rejection.
func Teapot(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusTeapot)
}

// UpperBody reads the request body and forwards it in upper case.
func UpperBody(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	up := bytes.ToUpper(b)
	r.Body = io.NopCloser(bytes.NewReader(up))
	r.ContentLength = int64(len(up))
	r.Header.Set("Content-Length", fmt.Sprint(len(up)))
}

// PeekBody reads the body and leaves it: the gateway still forwards the same bytes.
func PeekBody(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	r.Header.Set("X-Body-Length", fmt.Sprint(len(b)))
}

// Panic writes to a nil map, a classic plugin bug.
func Panic(w http.ResponseWriter, r *http.Request) {
	var counts map[string]int
	counts[r.URL.Path]++
}

// Print writes to stdout and stderr, which the studio captures per call.
func Print(w http.ResponseWriter, r *http.Request) {
	fmt.Println("stdout from", r.Method, r.URL.Path)
	fmt.Fprintln(os.Stderr, "stderr from plugin")
}

// EchoInfo reports what the handler saw, as headers.
func EchoInfo(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Method", r.Method)
	w.Header().Set("X-Remote", r.RemoteAddr)
	w.Header().Set("X-Proto", r.Proto)
	w.Header().Set("X-Host", r.Host)
	w.Header().Set("X-Trace", strings.Join(r.Header.Values("X-Trace"), ","))
	w.WriteHeader(http.StatusOK)
}
