// Package apidef has the fields of Tyk's APIDefinition that the tests read.
package apidef

type APIDefinition struct {
	APIID string `json:"api_id"`
	Name  string `json:"name"`
}
