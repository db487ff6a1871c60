module plugin-studio/gobridge

go 1.18
