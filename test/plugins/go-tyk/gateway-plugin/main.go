// A Tyk-style plugin that reads the gateway's request context, built inside a Go workspace with
// the gateway checkout as Tyk's documentation recommends.
package main

import (
	"fmt"
	"net/http"

	"github.com/TykTechnologies/tyk/ctx"
)

// WhoAmI reports the session and API definition the gateway put in the request context.
func WhoAmI(w http.ResponseWriter, r *http.Request) {
	session := ctx.GetSession(r)
	def := ctx.GetDefinition(r)
	if session == nil || def == nil {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, "session %v, definition %v", session != nil, def != nil)
		return
	}
	r.Header.Set("X-Org", session.OrgID)
	r.Header.Set("X-Api", def.Name)
	r.Header.Set("X-Token", ctx.GetAuthToken(r))
	if tier, ok := session.MetaData["tier"].(string); ok {
		r.Header.Set("X-Tier", tier)
	}
}
