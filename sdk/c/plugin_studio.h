/*
 * plugin_studio.h: the Plugin Studio native handler ABI, version 1, for C and C++ plugins.
 *
 * The contract itself is shared/ABI.md; this header declares it and adds a few helpers so that
 * a handler stays short. Header-only, no dependency beyond the C standard library.
 *
 *   #include "plugin_studio.h"
 *
 *   PLUGIN_STUDIO_DEFINE_ABI()
 *   PLUGIN_STUDIO_MANIFEST(
 *     "{\"abi\":1,\"name\":\"hello\",\"version\":\"0.1.0\","
 *     "\"handlers\":[{\"symbol\":\"Hello\",\"phase\":\"request\"}]}")
 *
 *   PLUGIN_STUDIO_HANDLER(Hello) {
 *     (void)in; (void)in_len;
 *     return plugin_studio_result(out, out_len, "{\"logs\":[{\"level\":\"info\",\"message\":\"hi\"}]}");
 *   }
 *
 * Build: cc -shared -fPIC -fvisibility=hidden -o libhello.so hello.c
 */
#ifndef PLUGIN_STUDIO_H
#define PLUGIN_STUDIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PLUGIN_STUDIO_ABI_VERSION 1u

/* Symbols must be visible from the shared library even when built with -fvisibility=hidden
 * (recommended, so that only the ABI and the handlers are exported). */
#if defined(_WIN32) || defined(__CYGWIN__)
#define PLUGIN_STUDIO_EXPORT __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#define PLUGIN_STUDIO_EXPORT __attribute__((visibility("default")))
#else
#define PLUGIN_STUDIO_EXPORT
#endif

/* C++ plugins must export unmangled names. */
#ifdef __cplusplus
#define PLUGIN_STUDIO_EXTERN_C extern "C"
#else
#define PLUGIN_STUDIO_EXTERN_C
#endif

#define PLUGIN_STUDIO_API PLUGIN_STUDIO_EXTERN_C PLUGIN_STUDIO_EXPORT

/* A handler: reads the input envelope (UTF-8 JSON, not NUL-terminated, valid only during the
 * call), sets *out / *out_len to a buffer it allocated (or NULL / 0), returns 0 on success (the
 * buffer holds the result envelope) or non-zero on failure (the buffer, if any, holds a plain-text
 * error message). */
typedef int32_t (*plugin_studio_handler)(const uint8_t *in, size_t in_len, uint8_t **out,
                                         size_t *out_len);

#ifdef __cplusplus
extern "C" {
#endif

/* Required: returns PLUGIN_STUDIO_ABI_VERSION. */
PLUGIN_STUDIO_EXPORT uint32_t plugin_studio_abi_version(void);
/* Required: frees a buffer that a handler returned in *out. */
PLUGIN_STUDIO_EXPORT void plugin_studio_free(void *ptr);
/* Optional: static NUL-terminated UTF-8 JSON describing the plugin; the host never frees it. */
PLUGIN_STUDIO_EXPORT const char *plugin_studio_manifest(void);

#ifdef __cplusplus
}
#endif

/* Declares a handler with the ABI signature; follow it with the function body. The parameters are
 * named in, in_len, out and out_len. */
#define PLUGIN_STUDIO_HANDLER(name)                                                                \
  PLUGIN_STUDIO_API int32_t name(const uint8_t *in, size_t in_len, uint8_t **out, size_t *out_len)

/* Defines plugin_studio_abi_version and a plugin_studio_free that matches the helpers below
 * (buffers come from malloc). Use it once per library. */
#define PLUGIN_STUDIO_DEFINE_ABI()                                                                 \
  PLUGIN_STUDIO_API uint32_t plugin_studio_abi_version(void) { return PLUGIN_STUDIO_ABI_VERSION; } \
  PLUGIN_STUDIO_API void plugin_studio_free(void *ptr) { free(ptr); }

/* Defines plugin_studio_manifest returning a string literal (or any static string). */
#define PLUGIN_STUDIO_MANIFEST(json)                                                               \
  PLUGIN_STUDIO_API const char *plugin_studio_manifest(void) { return json; }

/* Hands a malloc'd copy of the first len bytes of text to the host as *out. Returns 0, or 1 with
 * *out NULL when memory runs out (the host then reports an error). */
static inline int32_t plugin_studio_output_n(uint8_t **out, size_t *out_len, const char *text,
                                             size_t len) {
  *out = NULL;
  *out_len = 0;
  if (len == 0) {
    /* A zero-length buffer is still a buffer: the host tells "empty output" from NULL. */
    *out = (uint8_t *)malloc(1);
    return *out == NULL ? 1 : 0;
  }
  *out = (uint8_t *)malloc(len);
  if (*out == NULL) return 1;
  memcpy(*out, text, len);
  *out_len = len;
  return 0;
}

/* Success: *out receives a copy of the NUL-terminated result envelope `json`. Returns 0 (or 1
 * when out of memory). */
static inline int32_t plugin_studio_result(uint8_t **out, size_t *out_len, const char *json) {
  return plugin_studio_output_n(out, out_len, json, strlen(json));
}

/* Failure: *out receives a copy of the plain-text message; returns `status` (non-zero), or 1 when
 * status is 0 by mistake. */
static inline int32_t plugin_studio_error(uint8_t **out, size_t *out_len, int32_t status,
                                          const char *message) {
  plugin_studio_output_n(out, out_len, message, strlen(message));
  return status == 0 ? 1 : status;
}

/* Success with the request and the response unchanged: the result envelope `{}`. */
static inline int32_t plugin_studio_continue(uint8_t **out, size_t *out_len) {
  return plugin_studio_output_n(out, out_len, "{}", 2);
}

/* Takes ownership of a malloc'd NUL-terminated string (e.g. from cJSON_PrintUnformatted) as the
 * output buffer. Returns 0, or 1 when json is NULL (allocation failed upstream). */
static inline int32_t plugin_studio_result_take(uint8_t **out, size_t *out_len, char *json) {
  *out = (uint8_t *)json;
  *out_len = json == NULL ? 0 : strlen(json);
  return json == NULL ? 1 : 0;
}

#endif /* PLUGIN_STUDIO_H */
