package pluginstudio

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"unicode/utf8"
)

// The JSON shapes of shared/ABI.md.

type headerList [][2]string

type wireRequest struct {
	Method       string     `json:"method"`
	URL          string     `json:"url"`
	Proto        string     `json:"proto,omitempty"`
	RemoteAddr   string     `json:"remote_addr,omitempty"`
	Headers      headerList `json:"headers"`
	Body         string     `json:"body"`
	BodyEncoding string     `json:"body_encoding,omitempty"`
}

type wireResponse struct {
	Status       int        `json:"status"`
	Headers      headerList `json:"headers"`
	Body         string     `json:"body"`
	BodyEncoding string     `json:"body_encoding,omitempty"`
}

// Input headers are decoded as [][]string so that a pair of the wrong length is an error (a
// [2]string would silently cut or pad it); newRequest and newResponse check and convert them.
type inputRequest struct {
	wireRequest
	Headers [][]string `json:"headers"`
}

type inputResponse struct {
	wireResponse
	Headers [][]string `json:"headers"`
}

type inputEnvelope struct {
	ABI      int             `json:"abi"`
	Phase    string          `json:"phase"`
	Request  *inputRequest   `json:"request"`
	Response *inputResponse  `json:"response"`
	Config   json.RawMessage `json:"config"`
}

func pairs(raw [][]string) (headerList, error) {
	out := make(headerList, len(raw))
	for i, p := range raw {
		if len(p) != 2 {
			return nil, fmt.Errorf("header %d has %d elements, not [name, value]", i, len(p))
		}
		out[i] = [2]string{p[0], p[1]}
	}
	return out, nil
}

type logLine struct {
	Level   string `json:"level"`
	Message string `json:"message"`
}

type panicInfo struct {
	Message string `json:"message"`
	Stack   string `json:"stack"`
}

type resultEnvelope struct {
	Request  *wireRequest  `json:"request,omitempty"`
	Response *wireResponse `json:"response,omitempty"`
	Logs     []logLine     `json:"logs,omitempty"`
	Panic    *panicInfo    `json:"panic,omitempty"`
}

func decodeBody(body, encoding string) ([]byte, error) {
	switch encoding {
	case "", "utf8":
		return []byte(body), nil
	case "base64":
		b, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return nil, fmt.Errorf("the body is not valid base64: %v", err)
		}
		return b, nil
	}
	return nil, fmt.Errorf("unknown body_encoding %q (expected utf8 or base64)", encoding)
}

// encodeBody follows the host's rule: utf8 when the bytes are valid UTF-8, base64 otherwise.
func encodeBody(b []byte) (string, string) {
	if utf8.Valid(b) {
		return string(b), "utf8"
	}
	return base64.StdEncoding.EncodeToString(b), "base64"
}

// toHeader converts the ordered pair list into Go's map (keys canonicalised, the order of
// repeated values kept). The Host header goes to Request.Host, as Go's HTTP server does.
func toHeader(list headerList, host *string) (h http.Header, hadHost bool) {
	h = make(http.Header, len(list))
	for _, p := range list {
		if host != nil && http.CanonicalHeaderKey(p[0]) == "Host" {
			*host = p[1]
			hadHost = true
			continue
		}
		h.Add(p[0], p[1])
	}
	return h, hadHost
}

// sameHeader reports whether h holds exactly the values it was built from.
func sameHeader(before, after http.Header) bool {
	if len(before) != len(after) {
		return false
	}
	for k, vs := range before {
		ws, ok := after[k]
		if !ok || len(ws) != len(vs) {
			return false
		}
		for i := range vs {
			if vs[i] != ws[i] {
				return false
			}
		}
	}
	return true
}

// fromHeader turns the map back into a pair list. Names that were in the original list keep
// their position and spelling (their values grouped together); new names follow, sorted.
func fromHeader(orig headerList, h http.Header, host string) headerList {
	out := make(headerList, 0, len(orig)+len(h))
	done := make(map[string]bool, len(h)+1)
	for _, p := range orig {
		k := http.CanonicalHeaderKey(p[0])
		if done[k] {
			continue
		}
		done[k] = true
		if k == "Host" {
			if host != "" {
				out = append(out, [2]string{p[0], host})
			}
			continue
		}
		for _, v := range h[k] {
			out = append(out, [2]string{p[0], v})
		}
	}
	rest := make([]string, 0, len(h))
	for k := range h {
		if !done[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		for _, v := range h[k] {
			out = append(out, [2]string{k, v})
		}
	}
	if host != "" && !done["Host"] {
		out = append(out, [2]string{"Host", host})
	}
	return out
}

// body is the reader a handler receives; a handler that replaces r.Body is noticed because the
// pointer changes.
type body struct{ bytes.Reader }

func (*body) Close() error { return nil }

func newBody(b []byte) *body {
	r := &body{}
	r.Reset(b)
	return r
}

// readReplacedBody reads the body a handler installed; same reports whether it still holds the
// original bytes.
func readReplacedBody(rc io.ReadCloser, orig io.ReadCloser, origBytes []byte) (b []byte, same bool, err error) {
	if rc == orig {
		return origBytes, true, nil
	}
	if rc == nil || rc == http.NoBody {
		return nil, len(origBytes) == 0, nil
	}
	b, err = io.ReadAll(rc)
	_ = rc.Close()
	if err != nil {
		return nil, false, fmt.Errorf("reading the body the handler installed: %v", err)
	}
	return b, bytes.Equal(b, origBytes), nil
}

// requestState is the request as the handler received it, to tell afterwards what it changed.
type requestState struct {
	wire    *wireRequest
	url     url.URL
	host    string
	hadHost bool
	proto   string
	header  http.Header
	body    *body
	bodyRaw []byte
}

func newRequest(in *inputRequest) (*http.Request, *requestState, error) {
	if in == nil {
		return nil, nil, fmt.Errorf("the envelope has no request")
	}
	w := &in.wireRequest
	var err error
	if w.Headers, err = pairs(in.Headers); err != nil {
		return nil, nil, fmt.Errorf("request: %v", err)
	}
	u, err := url.Parse(w.URL)
	if err != nil {
		return nil, nil, fmt.Errorf("the request url is not valid: %v", err)
	}
	raw, err := decodeBody(w.Body, w.BodyEncoding)
	if err != nil {
		return nil, nil, fmt.Errorf("request: %v", err)
	}
	host := u.Host
	header, hadHost := toHeader(w.Headers, &host)
	proto := w.Proto
	if proto == "" {
		proto = "HTTP/1.1"
	}
	major, minor, ok := http.ParseHTTPVersion(proto)
	if !ok {
		major, minor = 1, 1
	}
	st := &requestState{wire: w, url: *u, host: host, hadHost: hadHost, proto: proto, header: header.Clone(), body: newBody(raw), bodyRaw: raw}
	r := &http.Request{
		Method:        w.Method,
		URL:           u,
		Proto:         proto,
		ProtoMajor:    major,
		ProtoMinor:    minor,
		Header:        header,
		Body:          st.body,
		ContentLength: int64(len(raw)),
		Host:          host,
		RemoteAddr:    w.RemoteAddr,
		RequestURI:    u.RequestURI(),
	}
	return r, st, nil
}

// changedRequest returns the request after the handler, or nil when it is unchanged.
func (st *requestState) changedRequest(r *http.Request) (*wireRequest, error) {
	b, sameBody, err := readReplacedBody(r.Body, st.body, st.bodyRaw)
	if err != nil {
		return nil, err
	}
	sameURL := r.URL != nil && *r.URL == st.url
	sameHeaders := sameHeader(st.header, r.Header) && r.Host == st.host
	if r.Method == st.wire.Method && sameURL && sameHeaders && sameBody &&
		r.Proto == st.proto && r.RemoteAddr == st.wire.RemoteAddr {
		return nil, nil
	}
	out := *st.wire
	out.Method = r.Method
	if r.Proto != st.proto {
		out.Proto = r.Proto
	}
	out.RemoteAddr = r.RemoteAddr
	if !sameURL && r.URL != nil {
		out.URL = r.URL.String()
	}
	if !sameHeaders {
		// Host lives in r.Host, not in r.Header: it is written back when the envelope had it or
		// the handler set one that differs from the URL's.
		host := ""
		if st.hadHost || r.Host != st.url.Host {
			host = r.Host
		}
		out.Headers = fromHeader(st.wire.Headers, r.Header, host)
	}
	if !sameBody {
		out.Body, out.BodyEncoding = encodeBody(b)
	}
	return &out, nil
}

// responseState is the upstream response as the handler received it.
type responseState struct {
	wire    *wireResponse
	header  http.Header
	body    *body
	bodyRaw []byte
}

func newResponse(in *inputResponse, req *http.Request) (*http.Response, *responseState, error) {
	if in == nil {
		return nil, nil, fmt.Errorf("a response handler needs the envelope's response")
	}
	w := &in.wireResponse
	var err error
	if w.Headers, err = pairs(in.Headers); err != nil {
		return nil, nil, fmt.Errorf("response: %v", err)
	}
	raw, err := decodeBody(w.Body, w.BodyEncoding)
	if err != nil {
		return nil, nil, fmt.Errorf("response: %v", err)
	}
	header, _ := toHeader(w.Headers, nil)
	st := &responseState{wire: w, header: header.Clone(), body: newBody(raw), bodyRaw: raw}
	res := &http.Response{
		Status:        strconv.Itoa(w.Status) + " " + http.StatusText(w.Status),
		StatusCode:    w.Status,
		Proto:         req.Proto,
		ProtoMajor:    req.ProtoMajor,
		ProtoMinor:    req.ProtoMinor,
		Header:        header,
		Body:          st.body,
		ContentLength: int64(len(raw)),
		Request:       req,
	}
	return res, st, nil
}

// changedResponse returns the response after the handler, or nil when it is unchanged.
func (st *responseState) changedResponse(res *http.Response) (*wireResponse, error) {
	b, sameBody, err := readReplacedBody(res.Body, st.body, st.bodyRaw)
	if err != nil {
		return nil, err
	}
	sameHeaders := sameHeader(st.header, res.Header)
	if res.StatusCode == st.wire.Status && sameHeaders && sameBody {
		return nil, nil
	}
	out := *st.wire
	out.Status = res.StatusCode
	if !sameHeaders {
		out.Headers = fromHeader(st.wire.Headers, res.Header, "")
	}
	if !sameBody {
		out.Body, out.BodyEncoding = encodeBody(b)
	}
	return &out, nil
}
