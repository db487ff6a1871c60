// Package ctx keeps Tyk's context keys and accessors (same names and types as the gateway's).
package ctx

import (
	"net/http"

	"github.com/TykTechnologies/tyk/apidef"
	"github.com/TykTechnologies/tyk/user"
)

type Key uint

const (
	SessionData Key = iota
	UpdateSession
	AuthToken
	HashedAuthToken
	VersionData
	VersionName
	VersionDefault
	OrgSessionContext
	ContextData
	RetainHost
	TrackThisEndpoint
	DoNotTrackThisEndpoint
	UrlRewritePath
	RequestMethod
	OrigRequestURL
	LoopLevel
	LoopLevelLimit
	ThrottleLevel
	ThrottleLevelLimit
	Trace
	CheckLoopLimits
	UrlRewriteTarget
	TransformedRequestMethod
	Definition
)

func GetAuthToken(r *http.Request) string {
	if v := r.Context().Value(AuthToken); v != nil {
		return v.(string)
	}
	return ""
}

func GetSession(r *http.Request) *user.SessionState {
	if v, ok := r.Context().Value(SessionData).(*user.SessionState); ok {
		return v
	}
	return nil
}

func GetDefinition(r *http.Request) *apidef.APIDefinition {
	if v, ok := r.Context().Value(Definition).(*apidef.APIDefinition); ok {
		return v
	}
	return nil
}
