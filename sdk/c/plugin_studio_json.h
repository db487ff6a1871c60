/*
 * plugin_studio_json.h: optional helpers for C plugins that use cJSON (Debian: libcjson-dev,
 * link with -lcjson) to read the input envelope and build the result envelope.
 *
 *   PLUGIN_STUDIO_HANDLER(AddHeader) {
 *     ps_call c;
 *     if (ps_begin(&c, in, in_len, out, out_len) != 0) return 1;   // *out holds the reason
 *     ps_header_add(c.request, "X-Example", "1");
 *     ps_keep_request(&c);
 *     return ps_finish(&c, out, out_len);
 *   }
 *
 * Strings are NUL-terminated in cJSON: a body with an embedded NUL byte is cut there. Handlers
 * that care about binary bodies should check body_encoding (ps_body_is_utf8).
 */
#ifndef PLUGIN_STUDIO_JSON_H
#define PLUGIN_STUDIO_JSON_H

#include <cjson/cJSON.h>
#include <strings.h>

#include "plugin_studio.h"

typedef struct ps_call {
  cJSON *envelope; /* the parsed input envelope, owned */
  cJSON *request;  /* envelope.request (an object), or NULL */
  cJSON *response; /* envelope.response (an object), or NULL in the request phase */
  cJSON *config;   /* envelope.config, or NULL */
  cJSON *result;   /* the result envelope being built, owned */
  cJSON *logs;     /* result.logs, created on the first log line */
} ps_call;

/* Parses the envelope. Returns 0, or 1 with a plain-text reason in *out (return it as the status). */
static inline int32_t ps_begin(ps_call *c, const uint8_t *in, size_t in_len, uint8_t **out,
                               size_t *out_len) {
  memset(c, 0, sizeof *c);
  *out = NULL;
  *out_len = 0;
  c->envelope = cJSON_ParseWithLength((const char *)in, in_len);
  if (c->envelope == NULL || !cJSON_IsObject(c->envelope)) {
    cJSON_Delete(c->envelope);
    c->envelope = NULL;
    return plugin_studio_error(out, out_len, 1, "the input envelope is not a JSON object");
  }
  c->request = cJSON_GetObjectItemCaseSensitive(c->envelope, "request");
  if (!cJSON_IsObject(c->request)) c->request = NULL;
  c->response = cJSON_GetObjectItemCaseSensitive(c->envelope, "response");
  if (!cJSON_IsObject(c->response)) c->response = NULL;
  c->config = cJSON_GetObjectItemCaseSensitive(c->envelope, "config");
  c->result = cJSON_CreateObject();
  if (c->result == NULL) {
    cJSON_Delete(c->envelope);
    c->envelope = NULL;
    return plugin_studio_error(out, out_len, 1, "out of memory");
  }
  return 0;
}

/* The string member `key` of `obj`, or NULL. */
static inline const char *ps_string(const cJSON *obj, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A string from the fixture's config object, or `fallback`. */
static inline const char *ps_config_string(const ps_call *c, const char *key,
                                           const char *fallback) {
  const char *v = cJSON_IsObject(c->config) ? ps_string(c->config, key) : NULL;
  return v != NULL ? v : fallback;
}

/* True when the body of a request or response object is text (body_encoding absent or utf8). */
static inline int ps_body_is_utf8(const cJSON *msg) {
  const char *enc = ps_string(msg, "body_encoding");
  return enc == NULL || strcmp(enc, "utf8") == 0;
}

/* The first value of header `name` (case-insensitive, as HTTP header names are), or NULL. */
static inline const char *ps_header_get(const cJSON *msg, const char *name) {
  const cJSON *pair;
  const cJSON *headers = cJSON_GetObjectItemCaseSensitive(msg, "headers");
  cJSON_ArrayForEach(pair, headers) {
    const cJSON *k = cJSON_GetArrayItem(pair, 0);
    const cJSON *v = cJSON_GetArrayItem(pair, 1);
    if (cJSON_IsString(k) && cJSON_IsString(v) && strcasecmp(k->valuestring, name) == 0)
      return v->valuestring;
  }
  return NULL;
}

/* Removes every header `name` (case-insensitive); returns how many were removed. */
static inline int ps_header_remove(cJSON *msg, const char *name) {
  int removed = 0;
  cJSON *headers = cJSON_GetObjectItemCaseSensitive(msg, "headers");
  cJSON *pair = headers == NULL ? NULL : headers->child;
  while (pair != NULL) {
    cJSON *next = pair->next;
    const cJSON *k = cJSON_GetArrayItem(pair, 0);
    if (cJSON_IsString(k) && strcasecmp(k->valuestring, name) == 0) {
      cJSON_Delete(cJSON_DetachItemViaPointer(headers, pair));
      removed++;
    }
    pair = next;
  }
  return removed;
}

/* Appends the header [name, value] (kept after any existing one of the same name). */
static inline void ps_header_add(cJSON *msg, const char *name, const char *value) {
  cJSON *headers = cJSON_GetObjectItemCaseSensitive(msg, "headers");
  cJSON *pair;
  if (!cJSON_IsArray(headers)) {
    cJSON_DeleteItemFromObjectCaseSensitive(msg, "headers");
    headers = cJSON_AddArrayToObject(msg, "headers");
  }
  pair = cJSON_CreateArray();
  cJSON_AddItemToArray(pair, cJSON_CreateString(name));
  cJSON_AddItemToArray(pair, cJSON_CreateString(value));
  cJSON_AddItemToArray(headers, pair);
}

/* Replaces every header `name` with the single header [name, value]. */
static inline void ps_header_set(cJSON *msg, const char *name, const char *value) {
  ps_header_remove(msg, name);
  ps_header_add(msg, name, value);
}

/* Sets a string member, replacing any previous value. */
static inline void ps_set_string(cJSON *obj, const char *key, const char *value) {
  cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
  cJSON_AddStringToObject(obj, key, value);
}

/* Adds a structured log line (level: debug, info, warn or error). */
static inline void ps_log(ps_call *c, const char *level, const char *message) {
  cJSON *line = cJSON_CreateObject();
  if (c->logs == NULL) c->logs = cJSON_AddArrayToObject(c->result, "logs");
  cJSON_AddStringToObject(line, "level", level);
  cJSON_AddStringToObject(line, "message", message);
  cJSON_AddItemToArray(c->logs, line);
}

/* The handler changed c->request: send it back as the result's request. */
static inline void ps_keep_request(ps_call *c) {
  if (c->request == NULL) return;
  cJSON_AddItemToObject(c->result, "request",
                        cJSON_DetachItemViaPointer(c->envelope, c->request));
  c->request = NULL;
}

/* Response phase: the handler changed c->response: send it back as the result's response. */
static inline void ps_keep_response(ps_call *c) {
  if (c->response == NULL) return;
  cJSON_AddItemToObject(c->result, "response",
                        cJSON_DetachItemViaPointer(c->envelope, c->response));
  c->response = NULL;
}

/* Request phase: answers the request itself (the gateway stops the chain there). */
static inline void ps_respond(ps_call *c, int status, const char *content_type, const char *body) {
  cJSON *res = cJSON_AddObjectToObject(c->result, "response");
  cJSON_AddNumberToObject(res, "status", status);
  cJSON_AddArrayToObject(res, "headers");
  if (content_type != NULL) ps_header_add(res, "Content-Type", content_type);
  cJSON_AddStringToObject(res, "body", body);
}

/* Serialises the result into *out, frees everything, returns 0 (or 1 when out of memory). */
static inline int32_t ps_finish(ps_call *c, uint8_t **out, size_t *out_len) {
  char *json = cJSON_PrintUnformatted(c->result);
  cJSON_Delete(c->result);
  cJSON_Delete(c->envelope);
  memset(c, 0, sizeof *c);
  if (json == NULL) return plugin_studio_error(out, out_len, 1, "out of memory");
  return plugin_studio_result_take(out, out_len, json);
}

/* Gives up: frees everything and returns `status` with the plain-text message in *out. */
static inline int32_t ps_fail(ps_call *c, uint8_t **out, size_t *out_len, int32_t status,
                              const char *message) {
  cJSON_Delete(c->result);
  cJSON_Delete(c->envelope);
  memset(c, 0, sizeof *c);
  return plugin_studio_error(out, out_len, status, message);
}

#endif /* PLUGIN_STUDIO_JSON_H */
