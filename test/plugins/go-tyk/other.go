package main

// Counter is a variable, not a handler.
var Counter int

// Version is a string variable a plugin may export.
var Version = "1.0.0"

// Double is a function with a non-handler signature.
func Double(n int) int { return n * 2 }
