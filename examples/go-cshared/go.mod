module example-go

go 1.19

require pluginstudio v0.0.0

replace pluginstudio => ../../sdk/go
