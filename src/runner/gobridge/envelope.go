package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"
)

// The ABI.md shapes. Headers stay an ordered list of pairs on the wire; Go's http.Header is a map,
// so the order is rebuilt from the input when the result is written.
type wireRequest struct {
	Method       string      `json:"method"`
	URL          string      `json:"url"`
	Proto        string      `json:"proto,omitempty"`
	RemoteAddr   string      `json:"remote_addr,omitempty"`
	Headers      [][2]string `json:"headers"`
	Body         string      `json:"body"`
	BodyEncoding string      `json:"body_encoding,omitempty"`
}

type wireResponse struct {
	Status       int         `json:"status"`
	Headers      [][2]string `json:"headers"`
	Body         string      `json:"body"`
	BodyEncoding string      `json:"body_encoding,omitempty"`
}

type inputEnvelope struct {
	Abi      int             `json:"abi"`
	Phase    string          `json:"phase"`
	Request  *wireRequest    `json:"request"`
	Response *wireResponse   `json:"response"`
	Config   json.RawMessage `json:"config"`
}

func decodeBody(body, encoding string) ([]byte, error) {
	switch encoding {
	case "", "utf8":
		return []byte(body), nil
	case "base64":
		b, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return nil, errors.New("the body is marked base64 but is not valid base64")
		}
		return b, nil
	}
	return nil, errors.New("body_encoding must be utf8 or base64, not " + encoding)
}

func encodeBody(b []byte) (string, string) {
	if utf8.Valid(b) {
		return string(b), "utf8"
	}
	return base64.StdEncoding.EncodeToString(b), "base64"
}

// rewindable is the request or response body handed to the plugin: a handler may read it and
// leave it (the gateway would still forward the bytes), or replace it with a body of its own.
type rewindable struct{ *bytes.Reader }

func (rewindable) Close() error { return nil }

func buildRequest(w *wireRequest) (*http.Request, error) {
	if w == nil {
		return nil, errors.New("the input envelope has no request")
	}
	body, err := decodeBody(w.Body, w.BodyEncoding)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(w.URL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, errors.New("the request URL must be absolute (scheme, host, path): " + w.URL)
	}
	method := w.Method
	if method == "" {
		method = http.MethodGet
	}
	proto := w.Proto
	if proto == "" {
		proto = "HTTP/1.1"
	}
	major, minor, ok := http.ParseHTTPVersion(proto)
	if !ok {
		return nil, errors.New("the request proto is not an HTTP version: " + proto)
	}
	r := &http.Request{
		Method:        method,
		URL:           u,
		Proto:         proto,
		ProtoMajor:    major,
		ProtoMinor:    minor,
		Header:        http.Header{},
		Body:          rewindable{bytes.NewReader(body)},
		ContentLength: int64(len(body)),
		Host:          u.Host,
		RemoteAddr:    w.RemoteAddr,
		RequestURI:    u.RequestURI(),
	}
	for _, h := range w.Headers {
		if strings.EqualFold(h[0], "Host") {
			r.Host = h[1]
			continue
		}
		r.Header.Add(h[0], h[1])
	}
	return r, nil
}

// readBodyAfter returns the body as the gateway would forward it: the original bytes when the
// handler kept the body it was given (read or not), otherwise whatever the new body yields.
func readBodyAfter(body io.ReadCloser, original rewindable, originalBytes []byte) ([]byte, error) {
	if body == nil || body == http.NoBody {
		return nil, nil
	}
	if rb, ok := body.(rewindable); ok && rb.Reader == original.Reader {
		return originalBytes, nil
	}
	return io.ReadAll(io.LimitReader(body, maxMessageBytes))
}

// orderedHeaders writes h as pairs, keeping the input's order and spelling for names whose values
// did not change; changed names keep their first position; new names follow in sorted order.
func orderedHeaders(before [][2]string, h http.Header, skipHost bool) [][2]string {
	out := [][2]string{}
	origValues := map[string][]string{}
	for _, p := range before {
		if skipHost && strings.EqualFold(p[0], "Host") {
			continue
		}
		k := http.CanonicalHeaderKey(p[0])
		origValues[k] = append(origValues[k], p[1])
	}
	done := map[string]bool{}
	for _, p := range before {
		if skipHost && strings.EqualFold(p[0], "Host") {
			out = append(out, p)
			continue
		}
		k := http.CanonicalHeaderKey(p[0])
		now, present := h[k]
		if !present {
			continue
		}
		if equalStrings(now, origValues[k]) {
			out = append(out, p)
			continue
		}
		if !done[k] {
			done[k] = true
			for _, v := range now {
				out = append(out, [2]string{p[0], v})
			}
		}
	}
	var added []string
	for k := range h {
		if _, ok := origValues[k]; !ok {
			added = append(added, k)
		}
	}
	sort.Strings(added)
	for _, k := range added {
		for _, v := range h[k] {
			out = append(out, [2]string{k, v})
		}
	}
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalPairs(a, b [][2]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
