// Package user has the fields of Tyk's SessionState that the tests read.
package user

type SessionState struct {
	OrgID    string                 `json:"org_id"`
	Alias    string                 `json:"alias"`
	MetaData map[string]interface{} `json:"meta_data"`
}
