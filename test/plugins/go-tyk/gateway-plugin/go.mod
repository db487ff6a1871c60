module example.com/tyk-gateway-plugin

go 1.18

require github.com/TykTechnologies/tyk v0.0.0
