package main

import (
	"runtime"
	"strconv"
	"strings"
)

type stackFrame struct {
	Function string  `json:"function"`
	File     *string `json:"file"`
	Line     *int    `json:"line"`
	Plugin   bool    `json:"plugin"`
}

// parseStack reads a runtime/debug.Stack dump. Frames before the panic call (debug.Stack, the
// bridge's recover) are dropped so the list starts where the plugin panicked.
func parseStack(stack, pluginPkg string) []stackFrame {
	lines := strings.Split(stack, "\n")
	frames := []stackFrame{}
	goroot := runtime.GOROOT()
	for i := 0; i < len(lines); i++ {
		fn := lines[i]
		if fn == "" || strings.HasPrefix(fn, "\t") || strings.HasPrefix(fn, "goroutine ") {
			continue
		}
		fn = strings.TrimPrefix(fn, "created by ")
		if p := strings.LastIndexByte(fn, '('); p > 0 && strings.HasSuffix(fn, ")") {
			fn = fn[:p]
		}
		if k := strings.Index(fn, " in goroutine "); k > 0 {
			fn = fn[:k]
		}
		frame := stackFrame{Function: fn}
		if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\t") {
			loc := strings.TrimPrefix(lines[i+1], "\t")
			if sp := strings.LastIndex(loc, " +0x"); sp >= 0 {
				loc = loc[:sp]
			}
			if c := strings.LastIndexByte(loc, ':'); c > 0 {
				file := loc[:c]
				frame.File = &file
				if n, err := strconv.Atoi(loc[c+1:]); err == nil {
					frame.Line = &n
				}
			}
			i++
		}
		if fn == "panic" || strings.HasPrefix(fn, "runtime.panic") || fn == "runtime.sigpanic" {
			frames = frames[:0]
			continue
		}
		frame.Plugin = isPluginFrame(fn, frame.File, pluginPkg, goroot)
		frames = append(frames, frame)
	}
	return frames
}

func isPluginFrame(fn string, file *string, pluginPkg, goroot string) bool {
	pkg := packageOf(fn)
	if pluginPkg != "" && pkg == pluginPkg {
		return true
	}
	if pkg == "main" {
		return false
	}
	first := pkg
	if s := strings.IndexByte(pkg, '/'); s >= 0 {
		first = pkg[:s]
	}
	if !strings.Contains(first, ".") {
		// The standard library's import paths have no dot in their first element.
		return false
	}
	return file == nil || goroot == "" || !strings.HasPrefix(*file, goroot)
}
