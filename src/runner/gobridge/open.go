package main

import (
	"debug/elf"
	"debug/macho"
	"net/http"
	"os"
	"plugin"
	"reflect"
	"runtime"
	"sort"
	"strings"
)

type goSymbol struct {
	Name string `json:"name"`
	// GoName is the symbol as the plugin's symbol table spells it (package path + name).
	GoName string `json:"goName,omitempty"`
	GoType string `json:"goType"`
	Role   string `json:"role"`
}

type handlerInfo struct {
	Symbol string `json:"symbol"`
	Phase  string `json:"phase"`
	GoType string `json:"goType"`
}

type readyMessage struct {
	T          string        `json:"t"`
	Pid        int           `json:"pid"`
	Kind       string        `json:"kind"`
	StudioAbi  bool          `json:"studioAbi"`
	AbiVersion *int          `json:"abiVersion"`
	Manifest   interface{}   `json:"manifest"`
	Handlers   []handlerInfo `json:"handlers"`
	GoSymbols  []goSymbol    `json:"goSymbols"`
	// Pipelining: calls sent with markers "always" get both markers (protocol.ts).
	Pipelining bool `json:"pipelining"`
}

type openErrorMessage struct {
	T       string `json:"t"`
	Message string `json:"message"`
	Detail  string `json:"detail,omitempty"`
}

type requestHandler = func(http.ResponseWriter, *http.Request)
type responseHandler = func(http.ResponseWriter, *http.Response, *http.Request)

// export is one symbol the plugin's main package exports, as plugin.Lookup returns it.
type export struct {
	name  string
	value interface{}
	role  string
}

func (b *bridge) open(path string) {
	// The studio may have resolved the file itself (Tyk's versioned plugin names).
	for _, arg := range os.Args[1:] {
		if strings.HasPrefix(arg, "--plugin=") {
			path = strings.TrimPrefix(arg, "--plugin=")
		}
	}
	if b.exports != nil {
		b.send.send(openErrorMessage{T: "open_error", Message: "This Go bridge already has a plugin open; Go code cannot be unloaded, so the studio starts a fresh bridge for each plugin."})
		return
	}
	names, isPlugin, err := candidateNames(path)
	if err != nil {
		b.send.send(openErrorMessage{T: "open_error", Message: "The Go bridge could not read the plugin's symbol table: " + err.Error(), Detail: err.Error()})
		return
	}
	if !isPlugin {
		// Loading a file that is not a Go plugin makes the Go runtime throw ("no plugin module data")
		// and kill the process, so it is refused before plugin.Open.
		b.send.send(openErrorMessage{T: "open_error", Message: explainLoadError("no plugin module data", path), Detail: "the file exports no go.link.pkghashbytes.* symbols"})
		return
	}
	p, err := plugin.Open(path)
	if err != nil {
		b.send.send(openErrorMessage{T: "open_error", Message: explainLoadError(err.Error(), path), Detail: err.Error()})
		return
	}
	b.exports = map[string]*export{}
	var symbols []goSymbol
	var handlers []handlerInfo
	for _, name := range names {
		v, err := p.Lookup(name)
		if err != nil {
			continue
		}
		e := &export{name: name, value: v, role: roleOf(v)}
		b.exports[name] = e
		goType := reflect.TypeOf(v).String()
		symbols = append(symbols, goSymbol{Name: name, GoType: goType, Role: e.role})
		if e.role != "other" {
			handlers = append(handlers, handlerInfo{Symbol: name, Phase: e.role, GoType: goType})
		}
		if b.pluginPkg == "" && reflect.TypeOf(v).Kind() == reflect.Func {
			if fn := runtime.FuncForPC(reflect.ValueOf(v).Pointer()); fn != nil {
				b.pluginPkg = packageOf(fn.Name())
			}
		}
	}
	if symbols == nil {
		symbols = []goSymbol{}
	}
	if b.pluginPkg != "" {
		for i := range symbols {
			symbols[i].GoName = b.pluginPkg + "." + symbols[i].Name
		}
	}
	if handlers == nil {
		handlers = []handlerInfo{}
	}
	b.send.send(readyMessage{T: "ready", Pid: os.Getpid(), Kind: "go-plugin", Handlers: handlers, GoSymbols: symbols, Pipelining: true})
}

func roleOf(v interface{}) string {
	switch v.(type) {
	case requestHandler:
		return "request"
	case responseHandler:
		return "response"
	}
	return "other"
}

// candidateNames lists every exported identifier that some package of the plugin defines. Lookup
// then keeps those of the plugin's main package: it is the one authority on what the plugin exports.
// The studio may pass the names itself (--symbols=A,B) from its own symbol reader.
func candidateNames(path string) ([]string, bool, error) {
	for _, arg := range os.Args[1:] {
		if strings.HasPrefix(arg, "--symbols=") {
			list := strings.Split(strings.TrimPrefix(arg, "--symbols="), ",")
			return uniqueExported(list), true, nil
		}
	}
	var raw []string
	isPlugin := false
	if f, err := elf.Open(path); err == nil {
		defer f.Close()
		syms, err := f.DynamicSymbols()
		if err != nil {
			return nil, false, err
		}
		for _, s := range syms {
			if s.Section == elf.SHN_UNDEF {
				continue
			}
			if strings.HasPrefix(s.Name, "go.link.pkghashbytes.") {
				isPlugin = true
			}
			raw = append(raw, s.Name)
		}
	} else if f, err := macho.Open(path); err == nil {
		defer f.Close()
		if f.Symtab != nil {
			for _, s := range f.Symtab.Syms {
				name := strings.TrimPrefix(s.Name, "_")
				if strings.HasPrefix(name, "go.link.pkghashbytes.") {
					isPlugin = true
				}
				raw = append(raw, name)
			}
		}
	} else {
		return nil, false, err
	}
	return uniqueExported(raw), isPlugin, nil
}

// uniqueExported turns `example.com/p.AddHeader` (or a bare `AddHeader`) into `AddHeader`, and drops
// methods, closures and unexported names, which plugin.Lookup never returns.
func uniqueExported(names []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		ident := n
		if slash := strings.LastIndexByte(n, '/'); slash >= 0 {
			ident = n[slash+1:]
		}
		if dot := strings.IndexByte(ident, '.'); dot >= 0 {
			ident = ident[dot+1:]
		}
		if ident == "" || strings.ContainsAny(ident, ".()*[]{} ,;:-") || ident[0] < 'A' || ident[0] > 'Z' {
			continue
		}
		if !seen[ident] {
			seen[ident] = true
			out = append(out, ident)
		}
	}
	sort.Strings(out)
	return out
}

// packageOf returns the package path of a fully qualified Go function name.
func packageOf(fn string) string {
	slash := strings.LastIndexByte(fn, '/')
	dot := strings.IndexByte(fn[slash+1:], '.')
	if dot < 0 {
		return fn
	}
	return fn[:slash+1+dot]
}

// explainLoadError turns the Go runtime's terse plugin errors into what happened and what to do.
func explainLoadError(raw, path string) string {
	switch {
	case strings.Contains(raw, "plugin was built with a different version of package"):
		pkg := raw[strings.Index(raw, "different version of package")+len("different version of package"):]
		pkg = strings.TrimSpace(pkg)
		if first := strings.SplitN(pkg, "/", 2)[0]; strings.Contains(first, ".") {
			return "The plugin was built with a different version of package " + pkg + " than the Go bridge, which has that package from the gateway checkout of its Go workspace: use a checkout of the release the plugin was built against, at the path it was built from unless both are built with -trimpath (PLUGIN_STUDIO_TYK_GATEWAY), or rebuild the plugin inside a workspace with this checkout."
		}
		return "The plugin was built with a different version of package " + pkg + " than the Go bridge: plugin and host must be built by the same Go release with the same flags (-trimpath, -race, build tags, GOFLAGS) and the same versions of every shared module; rebuild the plugin with the toolchain the studio uses, or point the studio at the toolchain that built the plugin."
	case strings.Contains(raw, "plugin already loaded"):
		return "A plugin with the same package path is already loaded in this Go bridge: Go cannot load two plugins with the same path in one process; reload the plugin (a fresh bridge starts) or rebuild it with its own -pluginpath."
	case strings.Contains(raw, "no plugin module data"), strings.Contains(raw, "empty pluginpath"):
		return path + " is not a Go plugin: the Go bridge loads only files built with `go build -buildmode=plugin`; open c-shared libraries and other shared libraries as native plugins."
	case strings.Contains(raw, "cannot open shared object file"), strings.Contains(raw, "No such file"):
		return "The Go bridge could not load " + path + ": " + dlerrorText(raw) + "; check that the file and the libraries it needs exist and are readable."
	case strings.Contains(raw, "realpath failed"):
		return "The Go bridge could not resolve the path " + path + ": check that the file exists."
	}
	return "The Go bridge could not load " + path + ": " + dlerrorText(raw)
}

func dlerrorText(raw string) string {
	if i := strings.Index(raw, "): "); i >= 0 && strings.HasPrefix(raw, "plugin.Open(") {
		return raw[i+3:]
	}
	return raw
}
