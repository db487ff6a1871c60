package pluginstudio

import (
	"bytes"
	"net/http"
)

// recorder is the http.ResponseWriter a handler writes to. As in a Tyk hook, a handler that
// writes nothing lets the request continue; one that writes has answered it.
type recorder struct {
	header  http.Header
	status  int
	body    bytes.Buffer
	written bool
}

func (w *recorder) Header() http.Header {
	if w.header == nil {
		w.header = make(http.Header)
	}
	return w.header
}

func (w *recorder) WriteHeader(status int) {
	if w.written {
		return
	}
	w.written = true
	w.status = status
}

func (w *recorder) Write(b []byte) (int, error) {
	if !w.written {
		w.WriteHeader(http.StatusOK)
	}
	return w.body.Write(b)
}

// response is what the handler answered, with the Content-Type Go's server would sniff.
func (w *recorder) response() *wireResponse {
	h := w.Header()
	b := w.body.Bytes()
	if len(b) > 0 && h.Get("Content-Type") == "" {
		h.Set("Content-Type", http.DetectContentType(b))
	}
	res := &wireResponse{Status: w.status, Headers: fromHeader(nil, h, "")}
	res.Body, res.BodyEncoding = encodeBody(b)
	return res
}
