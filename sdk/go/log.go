package pluginstudio

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Log adds a structured log line to the result of the call r belongs to. level is "debug",
// "info", "warn" or "error" (anything else is logged as "info"). Safe from any goroutine while
// the handler runs; a request that did not come from this package is ignored.
func Log(r *http.Request, level, message string) {
	c := callOf(r)
	if c == nil {
		return
	}
	switch level {
	case "debug", "info", "warn", "error":
	default:
		level = "info"
	}
	c.mu.Lock()
	c.logs = append(c.logs, logLine{Level: level, Message: message})
	c.mu.Unlock()
}

// Debugf logs at level debug.
func Debugf(r *http.Request, format string, args ...any) {
	Log(r, "debug", fmt.Sprintf(format, args...))
}

// Infof logs at level info.
func Infof(r *http.Request, format string, args ...any) { Log(r, "info", fmt.Sprintf(format, args...)) }

// Warnf logs at level warn.
func Warnf(r *http.Request, format string, args ...any) { Log(r, "warn", fmt.Sprintf(format, args...)) }

// Errorf logs at level error.
func Errorf(r *http.Request, format string, args ...any) {
	Log(r, "error", fmt.Sprintf(format, args...))
}

// Config is the fixture's config JSON for this call (like a gateway's per-plugin config data):
// `{}` or null when none.
func Config(r *http.Request) json.RawMessage {
	if c := callOf(r); c != nil {
		return c.config
	}
	return nil
}

// DecodeConfig unmarshals the call's config into v; no config leaves v untouched.
func DecodeConfig(r *http.Request, v any) error {
	raw := Config(r)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("config: %v", err)
	}
	return nil
}
