module github.com/TykTechnologies/tyk

go 1.18
