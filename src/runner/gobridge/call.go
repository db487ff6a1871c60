package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"runtime/debug"
	"strings"
	"time"
)

// gatewayContext fills the gateway's request context (the session and API definition that
// ctx.GetSession and ctx.GetDefinition return) from the call's config. It is set only in a bridge
// built inside a Go workspace with the user's gateway checkout (gateway_*.go, generated then).
var gatewayContext func(r *http.Request, config json.RawMessage) error

type bridge struct {
	send      *sender
	maxOutput int64
	exports   map[string]*export
	pluginPkg string
}

type panicInfo struct {
	Message string       `json:"message"`
	Stack   string       `json:"stack"`
	Frames  []stackFrame `json:"frames"`
}

type resultEnvelope struct {
	Request  *wireRequest  `json:"request,omitempty"`
	Response *wireResponse `json:"response,omitempty"`
	Panic    *struct {
		Message string `json:"message"`
		Stack   string `json:"stack"`
	} `json:"panic,omitempty"`
}

type resultMessage struct {
	T           string          `json:"t"`
	ID          int64           `json:"id"`
	Outcome     string          `json:"outcome"`
	Status      *int            `json:"status"`
	Result      *resultEnvelope `json:"result"`
	Panic       *panicInfo      `json:"panic"`
	Error       *string         `json:"error"`
	DurationNs  int64           `json:"durationNs"`
	OutputBytes int             `json:"outputBytes"`
	Markers     *markers        `json:"markers,omitempty"`
}

func (b *bridge) dispatch(m *inbound) {
	switch m.T {
	case "open":
		b.maxOutput = m.MaxOutputBytes
		b.open(m.Path)
	case "call":
		res := b.call(m.ID, m.Symbol, m.Phase, m.Envelope)
		mk := endCall(m.ID, m.Markers == "always")
		res.Markers = &mk
		b.send.send(res)
	case "calls":
		for i := range m.Calls {
			if m.Calls[i].T == "call" {
				b.dispatch(&m.Calls[i])
			}
		}
	case "bench":
		res := b.bench(m)
		mk := endCall(m.ID, false)
		res.Markers = &mk
		b.send.send(res)
	}
}

// recorder is the http.ResponseWriter a handler gets. Like a real server it freezes the headers
// when the status is written, and it remembers whether anything was written at all, which is what
// Tyk's gateway checks to decide between "continue" and "the plugin answered".
type recorder struct {
	header http.Header
	frozen http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) WriteHeader(code int) {
	// net/http's own check: the gateway's writer panics the same way.
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	}
	if w.wrote {
		return
	}
	w.wrote = true
	w.status = code
	w.frozen = w.header.Clone()
}

func (w *recorder) Write(p []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.body.Write(p)
}

func (w *recorder) Flush() {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
}

func (w *recorder) response() *wireResponse {
	body, enc := encodeBody(w.body.Bytes())
	return &wireResponse{Status: w.status, Headers: orderedHeaders(nil, w.frozen, false), Body: body, BodyEncoding: enc}
}

func errorResult(id int64, msg string) resultMessage {
	return resultMessage{T: "result", ID: id, Outcome: "error", Error: &msg}
}

func (b *bridge) call(id int64, symbol, phase, envelope string) (res resultMessage) {
	start := time.Now()
	defer func() {
		// The handler returned, but what it left behind (a nil URL, a body that panics when read)
		// broke the result: the gateway could not forward that either.
		if v := recover(); v != nil {
			res = errorResult(id, fmt.Sprintf("The handler returned, but its request or response cannot be read: %v", v))
		}
		res.DurationNs = time.Since(start).Nanoseconds()
	}()
	res = b.callInner(id, symbol, phase, envelope)
	if b.maxOutput > 0 && int64(res.OutputBytes) > b.maxOutput {
		res = resultMessage{T: "result", ID: id, Outcome: "abi_error", Error: strPtr(fmt.Sprintf("The handler's result is %d bytes, over the limit of %d bytes.", res.OutputBytes, b.maxOutput)), OutputBytes: res.OutputBytes}
	}
	return res
}

func strPtr(s string) *string { return &s }

func (b *bridge) callInner(id int64, symbol, phase, envelope string) resultMessage {
	if b.exports == nil {
		return errorResult(id, "No Go plugin is open in this bridge.")
	}
	name := symbol
	if i := strings.LastIndexByte(name, '.'); i >= 0 && strings.Contains(name, "/") {
		name = name[i+1:]
	}
	e, ok := b.exports[name]
	if !ok {
		return errorResult(id, "The plugin exports no Go symbol named "+symbol+".")
	}
	goType := reflect.TypeOf(e.value).String()
	if e.role == "other" {
		return errorResult(id, fmt.Sprintf("%s has type %s, which is not a handler: a request handler is func(http.ResponseWriter, *http.Request) and a response handler is func(http.ResponseWriter, *http.Response, *http.Request).", name, goType))
	}
	if phase != "" && phase != e.role {
		return errorResult(id, fmt.Sprintf("%s is a %s handler (%s); call it with phase %s.", name, e.role, goType, e.role))
	}
	var in inputEnvelope
	if err := json.Unmarshal([]byte(envelope), &in); err != nil {
		return errorResult(id, "The input envelope is not valid JSON: "+err.Error())
	}
	req, err := buildRequest(in.Request)
	if err != nil {
		return errorResult(id, "The input request cannot be used: "+err.Error())
	}
	if gatewayContext != nil {
		if err := gatewayContext(req, in.Config); err != nil {
			return errorResult(id, "The fixture config does not fit the gateway's types: "+err.Error())
		}
	}
	originalBody := req.Body.(rewindable)
	originalBytes, _ := decodeBody(in.Request.Body, in.Request.BodyEncoding)
	w := &recorder{header: http.Header{}}

	var upstream *http.Response
	var upstreamBody rewindable
	var upstreamBytes []byte
	if e.role == "response" {
		if in.Response == nil {
			return errorResult(id, "A response handler needs the upstream response in the envelope.")
		}
		upstreamBytes, err = decodeBody(in.Response.Body, in.Response.BodyEncoding)
		if err != nil {
			return errorResult(id, "The upstream response cannot be used: "+err.Error())
		}
		upstreamBody = rewindable{bytes.NewReader(upstreamBytes)}
		upstream = &http.Response{
			Status:        fmt.Sprintf("%d %s", in.Response.Status, http.StatusText(in.Response.Status)),
			StatusCode:    in.Response.Status,
			Proto:         req.Proto,
			ProtoMajor:    req.ProtoMajor,
			ProtoMinor:    req.ProtoMinor,
			Header:        http.Header{},
			Body:          upstreamBody,
			ContentLength: int64(len(upstreamBytes)),
			Request:       req,
		}
		for _, h := range in.Response.Headers {
			upstream.Header.Add(h[0], h[1])
		}
	}

	pan := b.invoke(e, w, upstream, req)
	msg := resultMessage{T: "result", ID: id, Result: &resultEnvelope{}}
	if pan != nil {
		msg.Outcome = "panic"
		msg.Panic = pan
		msg.Result.Panic = &struct {
			Message string `json:"message"`
			Stack   string `json:"stack"`
		}{pan.Message, pan.Stack}
		return finish(msg)
	}

	after, err := requestAfter(in.Request, req, originalBody, originalBytes)
	if err != nil {
		return errorResult(id, "The handler left a request body that cannot be read: "+err.Error())
	}
	if after != nil {
		msg.Result.Request = after
	}
	if e.role == "request" {
		switch {
		case !w.wrote:
			msg.Outcome = "continue"
		case w.status >= 400:
			msg.Outcome = "reject"
			msg.Result.Response = w.response()
		default:
			msg.Outcome = "respond"
			msg.Result.Response = w.response()
		}
		return finish(msg)
	}

	var final *wireResponse
	if w.wrote {
		// The handler answered through the writer: that is what the client would get.
		final = w.response()
	} else {
		final, err = responseAfter(in.Response, upstream, upstreamBody, upstreamBytes)
		if err != nil {
			return errorResult(id, "The handler left a response body that cannot be read: "+err.Error())
		}
	}
	msg.Outcome = "continue"
	if final != nil {
		msg.Result.Response = final
		if final.Status >= 400 {
			msg.Outcome = "reject"
		}
	}
	return finish(msg)
}

func finish(msg resultMessage) resultMessage {
	if b, err := json.Marshal(msg.Result); err == nil {
		msg.OutputBytes = len(b)
	}
	return msg
}

// invoke runs the handler on this goroutine and recovers its panic the way the gateway does.
// A panic on another goroutine, a fatal runtime error or os.Exit ends the process: the
// supervisor reports that as a crash and starts a fresh bridge.
func (b *bridge) invoke(e *export, w *recorder, res *http.Response, req *http.Request) (pan *panicInfo) {
	defer func() {
		if v := recover(); v != nil {
			stack := string(debug.Stack())
			msg := fmt.Sprint(v)
			if err, ok := v.(error); ok {
				msg = err.Error()
			}
			pan = &panicInfo{Message: msg, Stack: stack, Frames: parseStack(stack, b.pluginPkg)}
		}
	}()
	switch h := e.value.(type) {
	case requestHandler:
		h(w, req)
	case responseHandler:
		h(w, res, req)
	}
	return nil
}

func requestAfter(before *wireRequest, r *http.Request, original rewindable, originalBytes []byte) (*wireRequest, error) {
	body, err := readBodyAfter(r.Body, original, originalBytes)
	if err != nil {
		return nil, err
	}
	u := *r.URL
	if u.Host == "" {
		u.Host = r.Host
	}
	if u.Scheme == "" {
		u.Scheme = "http"
	}
	headers := orderedHeaders(before.Headers, r.Header, true)
	for i, h := range headers {
		if strings.EqualFold(h[0], "Host") {
			headers[i][1] = r.Host
		}
	}
	text, enc := encodeBody(body)
	after := &wireRequest{Method: r.Method, URL: u.String(), Proto: r.Proto, RemoteAddr: r.RemoteAddr, Headers: headers, Body: text, BodyEncoding: enc}
	beforeProto := before.Proto
	if beforeProto == "" {
		beforeProto = "HTTP/1.1"
	}
	beforeMethod := before.Method
	if beforeMethod == "" {
		beforeMethod = http.MethodGet
	}
	if after.Method == beforeMethod && after.URL == before.URL && after.Proto == beforeProto &&
		after.RemoteAddr == before.RemoteAddr && equalPairs(after.Headers, before.Headers) &&
		bytes.Equal(body, originalBytes) {
		return nil, nil
	}
	return after, nil
}

func responseAfter(before *wireResponse, res *http.Response, original rewindable, originalBytes []byte) (*wireResponse, error) {
	body, err := readBodyAfter(res.Body, original, originalBytes)
	if err != nil {
		return nil, err
	}
	headers := orderedHeaders(before.Headers, res.Header, false)
	if res.StatusCode == before.Status && equalPairs(headers, before.Headers) && bytes.Equal(body, originalBytes) {
		return nil, nil
	}
	text, enc := encodeBody(body)
	return &wireResponse{Status: res.StatusCode, Headers: headers, Body: text, BodyEncoding: enc}, nil
}
