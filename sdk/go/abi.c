// The two ABI exports that need no Go: written in C so that the host's plugin_studio_free after
// every call (and the version check at load) does not pay a cgo callback into the Go runtime.
#include <stdint.h>
#include <stdlib.h>

#if defined(_WIN32)
#define PLUGIN_STUDIO_EXPORT __declspec(dllexport)
#else
#define PLUGIN_STUDIO_EXPORT __attribute__((visibility("default")))
#endif

// Keep in step with ABIVersion in abi.go.
PLUGIN_STUDIO_EXPORT uint32_t plugin_studio_abi_version(void) { return 1; }

PLUGIN_STUDIO_EXPORT void plugin_studio_free(void *ptr) { free(ptr); }
