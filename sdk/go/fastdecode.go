package pluginstudio

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// decodeEnvelope decodes the input envelope. The envelopes Plugin Studio sends have one shape
// (exact key names, each once, strings, small integers), and decoding them with reflection is most
// of the SDK's per-call cost, so fastDecode handles exactly that shape and gives up on anything
// else; encoding/json then decides. fastDecode's result is always the one json.Unmarshal would
// produce (FuzzFastDecode checks this).
func decodeEnvelope(input []byte, env *inputEnvelope) error {
	if fastDecode(input, env) {
		return nil
	}
	*env = inputEnvelope{}
	return json.Unmarshal(input, env)
}

// fastDecoder reads one JSON document; every method returns false to give up.
type fastDecoder struct {
	b   []byte
	pos int
}

func fastDecode(b []byte, env *inputEnvelope) bool {
	d := fastDecoder{b: b}
	ok := d.object(envelopeKeys, func(key int) bool {
		switch key {
		case 0: // abi
			n, ok := d.smallInt()
			env.ABI = n
			return ok
		case 1: // phase
			s, ok := d.str()
			env.Phase = s
			return ok
		case 2: // request
			if d.null() {
				env.Request = nil
				return true
			}
			env.Request = &inputRequest{}
			return d.request(env.Request)
		case 3: // response
			if d.null() {
				env.Response = nil
				return true
			}
			env.Response = &inputResponse{}
			return d.response(env.Response)
		case 4: // config
			raw, ok := d.rawValue()
			env.Config = raw
			return ok
		}
		return false
	})
	d.space()
	return ok && d.pos == len(d.b)
}

var (
	envelopeKeys = []string{"abi", "phase", "request", "response", "config"}
	requestKeys  = []string{"method", "url", "proto", "remote_addr", "body", "body_encoding", "headers"}
	responseKeys = []string{"status", "body", "body_encoding", "headers"}
)

func (d *fastDecoder) request(r *inputRequest) bool {
	return d.object(requestKeys, func(key int) bool {
		var ok bool
		switch key {
		case 0:
			r.Method, ok = d.str()
		case 1:
			r.URL, ok = d.str()
		case 2:
			r.Proto, ok = d.str()
		case 3:
			r.RemoteAddr, ok = d.str()
		case 4:
			r.Body, ok = d.str()
		case 5:
			r.BodyEncoding, ok = d.str()
		case 6:
			r.Headers, ok = d.headers()
		}
		return ok
	})
}

func (d *fastDecoder) response(r *inputResponse) bool {
	return d.object(responseKeys, func(key int) bool {
		var ok bool
		switch key {
		case 0:
			r.Status, ok = d.smallInt()
		case 1:
			r.Body, ok = d.str()
		case 2:
			r.BodyEncoding, ok = d.str()
		case 3:
			r.Headers, ok = d.headers()
		}
		return ok
	})
}

func (d *fastDecoder) space() {
	for d.pos < len(d.b) {
		switch d.b[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *fastDecoder) peek() byte {
	d.space()
	if d.pos < len(d.b) {
		return d.b[d.pos]
	}
	return 0
}

func (d *fastDecoder) null() bool {
	if d.peek() == 'n' && len(d.b)-d.pos >= 4 && string(d.b[d.pos:d.pos+4]) == "null" {
		d.pos += 4
		return true
	}
	return false
}

// object reads {"key": value, ...}, calling field with the key's index in keys, the decoder on
// the value. An unknown key, a key with escapes, or a key seen twice (encoding/json would merge
// repeated objects and match keys case-insensitively) gives up.
func (d *fastDecoder) object(keys []string, field func(key int) bool) bool {
	if d.peek() != '{' {
		return false
	}
	d.pos++
	if d.peek() == '}' {
		d.pos++
		return true
	}
	var seen uint32
	for {
		key := d.plainKey()
		i := 0
		for i < len(keys) && keys[i] != string(key) {
			i++
		}
		if key == nil || i == len(keys) || seen&(1<<i) != 0 {
			return false
		}
		seen |= 1 << i
		if d.peek() != ':' {
			return false
		}
		d.pos++
		if !field(i) {
			return false
		}
		switch d.peek() {
		case ',':
			d.pos++
		case '}':
			d.pos++
			return true
		default:
			return false
		}
	}
}

// plainKey reads a key of plain ASCII letters and underscores, without copying; nil otherwise.
func (d *fastDecoder) plainKey() []byte {
	if d.peek() != '"' {
		return nil
	}
	start := d.pos + 1
	for i := start; i < len(d.b); i++ {
		c := d.b[i]
		if c == '"' {
			d.pos = i + 1
			return d.b[start:i]
		}
		if !(c >= 'a' && c <= 'z' || c == '_') {
			return nil
		}
	}
	return nil
}

// str reads a string. Gives up on invalid UTF-8 and on \u escapes of surrogates, which
// encoding/json replaces in ways not worth copying.
func (d *fastDecoder) str() (string, bool) {
	if d.peek() != '"' {
		return "", false
	}
	d.pos++
	start := d.pos
	// Fast scan: no escape, ASCII or valid UTF-8.
	for d.pos < len(d.b) {
		c := d.b[d.pos]
		switch {
		case c == '"':
			s := string(d.b[start:d.pos])
			d.pos++
			return s, true
		case c == '\\':
			return d.escapedStr(start)
		case c < 0x20:
			return "", false
		case c < utf8.RuneSelf:
			d.pos++
		default:
			r, size := utf8.DecodeRune(d.b[d.pos:])
			if r == utf8.RuneError && size == 1 {
				return "", false
			}
			d.pos += size
		}
	}
	return "", false
}

func (d *fastDecoder) escapedStr(start int) (string, bool) {
	out := make([]byte, 0, d.pos-start+16)
	out = append(out, d.b[start:d.pos]...)
	for d.pos < len(d.b) {
		c := d.b[d.pos]
		switch {
		case c == '"':
			d.pos++
			return string(out), true
		case c == '\\':
			if d.pos+1 >= len(d.b) {
				return "", false
			}
			e := d.b[d.pos+1]
			d.pos += 2
			switch e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				if d.pos+4 > len(d.b) {
					return "", false
				}
				v, err := strconv.ParseUint(string(d.b[d.pos:d.pos+4]), 16, 16)
				if err != nil || (v >= 0xd800 && v < 0xe000) {
					return "", false
				}
				d.pos += 4
				out = utf8.AppendRune(out, rune(v))
			default:
				return "", false
			}
		case c < 0x20:
			return "", false
		case c < utf8.RuneSelf:
			out = append(out, c)
			d.pos++
		default:
			r, size := utf8.DecodeRune(d.b[d.pos:])
			if r == utf8.RuneError && size == 1 {
				return "", false
			}
			out = append(out, d.b[d.pos:d.pos+size]...)
			d.pos += size
		}
	}
	return "", false
}

// smallInt reads a non-negative integer of at most 9 digits without a leading zero.
func (d *fastDecoder) smallInt() (int, bool) {
	d.space()
	n, digits := 0, 0
	for d.pos < len(d.b) && d.b[d.pos] >= '0' && d.b[d.pos] <= '9' {
		if digits == 9 || (digits == 1 && n == 0) {
			return 0, false
		}
		n = n*10 + int(d.b[d.pos]-'0')
		digits++
		d.pos++
	}
	if digits == 0 {
		return 0, false
	}
	// 1.5 or 1e3 would not be an int to encoding/json either, but let it say so.
	if d.pos < len(d.b) && (d.b[d.pos] == '.' || d.b[d.pos] == 'e' || d.b[d.pos] == 'E') {
		return 0, false
	}
	return n, true
}

// headers reads [[name, value], ...]; anything but pairs of strings gives up.
func (d *fastDecoder) headers() ([][]string, bool) {
	if d.peek() != '[' {
		return nil, false
	}
	d.pos++
	out := make([][]string, 0, 8)
	if d.peek() == ']' {
		d.pos++
		return out, true
	}
	for {
		if d.peek() != '[' {
			return nil, false
		}
		d.pos++
		name, ok := d.str()
		if !ok || d.peek() != ',' {
			return nil, false
		}
		d.pos++
		value, ok := d.str()
		if !ok || d.peek() != ']' {
			return nil, false
		}
		d.pos++
		out = append(out, []string{name, value})
		switch d.peek() {
		case ',':
			d.pos++
		case ']':
			d.pos++
			return out, true
		default:
			return nil, false
		}
	}
}

// rawValue returns a copy of the next value's bytes (json.RawMessage keeps them verbatim) after
// checking them with json.Valid; a config is small and usually {}.
func (d *fastDecoder) rawValue() (json.RawMessage, bool) {
	d.space()
	start := d.pos
	if !d.skip(0) {
		return nil, false
	}
	raw := d.b[start:d.pos]
	if !json.Valid(raw) {
		return nil, false
	}
	return append(json.RawMessage(nil), raw...), true
}

// skip moves past one value, roughly: json.Valid has the last word on its grammar.
func (d *fastDecoder) skip(depth int) bool {
	if depth > 64 {
		return false
	}
	switch d.peek() {
	case '{', '[':
		open := d.b[d.pos]
		closing := byte('}')
		if open == '[' {
			closing = ']'
		}
		d.pos++
		if d.peek() == closing {
			d.pos++
			return true
		}
		for {
			if open == '{' {
				if _, ok := d.str(); !ok || d.peek() != ':' {
					return false
				}
				d.pos++
			}
			if !d.skip(depth + 1) {
				return false
			}
			switch d.peek() {
			case ',':
				d.pos++
			case closing:
				d.pos++
				return true
			default:
				return false
			}
		}
	case '"':
		_, ok := d.str()
		return ok
	case 0:
		return false
	default:
		// A number or a literal: up to the next delimiter.
		start := d.pos
		for d.pos < len(d.b) {
			switch d.b[d.pos] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return d.pos > start
			}
			d.pos++
		}
		return d.pos > start
	}
}
