module pluginstudio

go 1.19
