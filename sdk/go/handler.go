package pluginstudio

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime/debug"
	"sync"
	"unsafe"
)

// RequestFunc is a Tyk request hook (pre, auth_check, post_key_auth, post).
type RequestFunc func(w http.ResponseWriter, r *http.Request)

// ResponseFunc is a Tyk response hook.
type ResponseFunc func(w http.ResponseWriter, res *http.Response, r *http.Request)

// Handler is one registered handler. Call it from the //export function that carries its symbol.
type Handler struct {
	symbol      string
	phase       string
	description string
	request     RequestFunc
	response    ResponseFunc
}

var (
	registryMu sync.Mutex
	registry   []*Handler
)

func register(h *Handler) *Handler {
	registryMu.Lock()
	defer registryMu.Unlock()
	for _, old := range registry {
		if old.symbol == h.symbol {
			panic(fmt.Sprintf("pluginstudio: handler %q registered twice", h.symbol))
		}
	}
	registry = append(registry, h)
	return h
}

// Request registers a request-phase handler under symbol, the name of the //export function that
// calls it; description is shown in Plugin Studio.
func Request(symbol, description string, fn RequestFunc) *Handler {
	return register(&Handler{symbol: symbol, phase: "request", description: description, request: fn})
}

// Response registers a response-phase handler under symbol.
func Response(symbol, description string, fn ResponseFunc) *Handler {
	return register(&Handler{symbol: symbol, phase: "response", description: description, response: fn})
}

// call is the per-call state a handler reaches through its request's context.
type call struct {
	mu     sync.Mutex
	logs   []logLine
	config json.RawMessage
}

type callKey struct{}

func callOf(r *http.Request) *call {
	if r == nil {
		return nil
	}
	c, _ := r.Context().Value(callKey{}).(*call)
	return c
}

// Status values a handler returns besides 0 (success).
const (
	statusBadEnvelope = 1
	statusBadResult   = 2
	statusNoMemory    = 3
	statusInternal    = 4
)

var emptyResult = []byte("{}")

// Call runs the handler for one ABI call: it decodes the input envelope, gives the handler a
// *http.Request (and *http.Response) and a response recorder, recovers a panic with its stack,
// and hands the result envelope to the host. The four arguments are the export's own, unchanged:
//
//	//export AddHeader
//	func AddHeader(in unsafe.Pointer, inLen uintptr, out, outLen unsafe.Pointer) int32 {
//		return addHeader.Call(in, inLen, out, outLen)
//	}
func (h *Handler) Call(in unsafe.Pointer, inLen uintptr, out, outLen unsafe.Pointer) (status int32) {
	// The handler's own panics are recovered in invoke; this catches a bug in the SDK itself, which
	// must not take the host down either.
	defer func() {
		if v := recover(); v != nil {
			giveToHost([]byte(fmt.Sprintf("pluginstudio: internal error: %v", v)), out, outLen)
			status = statusInternal
		}
	}()
	var input []byte
	if in != nil && inLen > 0 {
		// Read in place: json.Unmarshal copies what it keeps, and in is valid for the whole call.
		input = unsafe.Slice((*byte)(in), inLen)
	}
	result, err := h.run(input)
	if err != nil {
		giveToHost([]byte(err.Error()), out, outLen)
		return statusBadEnvelope
	}
	var data []byte
	if result.Request == nil && result.Response == nil && len(result.Logs) == 0 && result.Panic == nil {
		data = emptyResult
	} else if data, err = json.Marshal(result); err != nil {
		giveToHost([]byte("pluginstudio: encoding the result: "+err.Error()), out, outLen)
		return statusBadResult
	}
	if !giveToHost(data, out, outLen) {
		return statusNoMemory
	}
	return 0
}

func (h *Handler) run(input []byte) (result resultEnvelope, err error) {
	var env inputEnvelope
	if err := decodeEnvelope(input, &env); err != nil {
		return result, fmt.Errorf("pluginstudio: the input envelope is not valid JSON: %v", err)
	}
	if env.ABI != 0 && env.ABI != ABIVersion {
		return result, fmt.Errorf("pluginstudio: input envelope of ABI %d, this SDK speaks ABI %d", env.ABI, ABIVersion)
	}
	r, reqState, err := newRequest(env.Request)
	if err != nil {
		return result, fmt.Errorf("pluginstudio: %v", err)
	}
	c := &call{config: env.Config}
	r = r.WithContext(context.WithValue(context.Background(), callKey{}, c))
	w := &recorder{}

	var res *http.Response
	var resState *responseState
	if h.phase == "response" {
		if res, resState, err = newResponse(env.Response, r); err != nil {
			return result, fmt.Errorf("pluginstudio: %v", err)
		}
	}

	if p := h.invoke(w, res, r); p != nil {
		c.mu.Lock()
		result.Logs = c.logs
		c.mu.Unlock()
		result.Panic = p
		return result, nil
	}

	if result.Request, err = reqState.changedRequest(r); err != nil {
		return result, fmt.Errorf("pluginstudio: %v", err)
	}
	switch {
	case w.written:
		// Request phase: the handler answered. Response phase: what it wrote replaces the response.
		result.Response = w.response()
	case resState != nil:
		if result.Response, err = resState.changedResponse(res); err != nil {
			return result, fmt.Errorf("pluginstudio: %v", err)
		}
	}
	c.mu.Lock()
	result.Logs = c.logs
	c.mu.Unlock()
	return result, nil
}

// invoke calls the handler and turns a panic into the result's panic (message and stack), which is
// what a gateway would log before answering 500.
func (h *Handler) invoke(w http.ResponseWriter, res *http.Response, r *http.Request) (p *panicInfo) {
	defer func() {
		if v := recover(); v != nil {
			p = &panicInfo{Message: fmt.Sprint(v), Stack: string(debug.Stack())}
		}
	}()
	if h.response != nil {
		h.response(w, res, r)
	} else {
		h.request(w, r)
	}
	return nil
}
