module example.com/tyk-test-plugin

go 1.18
