/*
 * example-c: Plugin Studio's example plugin and the app's default plugin. Four small gateway
 * middlewares written against the native handler ABI (sdk/c/plugin_studio.h), reading and writing
 * the JSON envelopes with cJSON.
 *
 * Build: gcc -shared -fPIC -fvisibility=hidden -O2 -I../../sdk/c -o libexample.so example.c -lcjson
 */
#include <stdio.h>

#include "plugin_studio.h"
#include "plugin_studio_json.h"

PLUGIN_STUDIO_DEFINE_ABI()

PLUGIN_STUDIO_MANIFEST(
    "{\"abi\":1,\"name\":\"example-c\",\"version\":\"0.1.0\",\"handlers\":["
    "{\"symbol\":\"AddHeader\",\"phase\":\"request\","
    "\"description\":\"Adds the header X-Example to the request (value: config.value, default "
    "'plugin-studio').\"},"
    "{\"symbol\":\"RewritePath\",\"phase\":\"request\","
    "\"description\":\"Rewrites the URL path prefix /v1/ to /v2/ (config.from and config.to "
    "override the prefixes); other paths pass unchanged.\"},"
    "{\"symbol\":\"RequireToken\",\"phase\":\"request\","
    "\"description\":\"Answers 403 with a text body when the Authorization header is missing; "
    "otherwise the request continues.\"},"
    "{\"symbol\":\"StripServer\",\"phase\":\"response\","
    "\"description\":\"Removes the Server header from the upstream response and replaces "
    "'upstream' with 'gateway' in its body (config.find and config.replace override the "
    "words).\"}"
    "]}")

PLUGIN_STUDIO_HANDLER(AddHeader) {
  ps_call c;
  const char *value;
  if (ps_begin(&c, in, in_len, out, out_len) != 0) return 1;
  if (c.request == NULL) {
    return ps_fail(&c, out, out_len, 2, "the envelope has no request object");
  }
  value = ps_config_string(&c, "value", "plugin-studio");
  ps_header_add(c.request, "X-Example", value);
  ps_keep_request(&c);
  return ps_finish(&c, out, out_len);
}

/* The offset where the path starts in an absolute URL ("http://host/path" -> index of "/path"),
 * or the length of the URL when it has no path. */
static size_t path_offset(const char *url) {
  const char *scheme_end = strstr(url, "://");
  const char *p = scheme_end == NULL ? url : scheme_end + 3;
  while (*p != '\0' && *p != '/' && *p != '?' && *p != '#') p++;
  return (size_t)(p - url);
}

PLUGIN_STUDIO_HANDLER(RewritePath) {
  ps_call c;
  const char *url, *from, *to;
  size_t at, from_len, to_len, url_len;
  char *rewritten, message[512];
  if (ps_begin(&c, in, in_len, out, out_len) != 0) return 1;
  url = c.request == NULL ? NULL : ps_string(c.request, "url");
  if (url == NULL) {
    return ps_fail(&c, out, out_len, 2, "the envelope's request has no url");
  }
  from = ps_config_string(&c, "from", "/v1/");
  to = ps_config_string(&c, "to", "/v2/");
  at = path_offset(url);
  from_len = strlen(from);
  if (strncmp(url + at, from, from_len) != 0) {
    snprintf(message, sizeof message, "path does not start with %s: unchanged", from);
    ps_log(&c, "info", message);
    return ps_finish(&c, out, out_len);
  }
  url_len = strlen(url);
  to_len = strlen(to);
  rewritten = malloc(url_len - from_len + to_len + 1);
  if (rewritten == NULL) {
    return ps_fail(&c, out, out_len, 1, "out of memory");
  }
  memcpy(rewritten, url, at);
  memcpy(rewritten + at, to, to_len);
  memcpy(rewritten + at + to_len, url + at + from_len, url_len - at - from_len + 1);
  snprintf(message, sizeof message, "rewrote %s to %s", from, to);
  ps_log(&c, "info", message);
  ps_set_string(c.request, "url", rewritten);
  free(rewritten);
  ps_keep_request(&c);
  return ps_finish(&c, out, out_len);
}

PLUGIN_STUDIO_HANDLER(RequireToken) {
  ps_call c;
  const char *token;
  if (ps_begin(&c, in, in_len, out, out_len) != 0) return 1;
  token = c.request == NULL ? NULL : ps_header_get(c.request, "Authorization");
  if (token == NULL || token[0] == '\0') {
    ps_log(&c, "warn", "rejected: no Authorization header");
    ps_respond(&c, 403, "text/plain; charset=utf-8",
               "Forbidden: this API needs an Authorization header.\n");
  } else {
    ps_log(&c, "info", "Authorization header present");
  }
  return ps_finish(&c, out, out_len);
}

/* A malloc'd copy of text with every occurrence of find replaced by repl. */
static char *replace_all(const char *text, const char *find, const char *repl, int *count) {
  size_t find_len = strlen(find), repl_len = strlen(repl), n = 0, len;
  const char *p;
  char *result, *w;
  *count = 0;
  if (find_len == 0) return strdup(text);
  for (p = strstr(text, find); p != NULL; p = strstr(p + find_len, find)) n++;
  len = strlen(text) + n * repl_len - n * find_len;
  result = malloc(len + 1);
  if (result == NULL) return NULL;
  for (w = result, p = text;;) {
    const char *hit = strstr(p, find);
    if (hit == NULL) break;
    memcpy(w, p, (size_t)(hit - p));
    w += hit - p;
    memcpy(w, repl, repl_len);
    w += repl_len;
    p = hit + find_len;
  }
  strcpy(w, p);
  *count = (int)n;
  return result;
}

PLUGIN_STUDIO_HANDLER(StripServer) {
  ps_call c;
  const char *body, *find, *repl;
  char *rewritten, message[256], length[32];
  int removed, replaced = 0;
  if (ps_begin(&c, in, in_len, out, out_len) != 0) return 1;
  if (c.response == NULL) {
    return ps_fail(&c, out, out_len, 2,
                               "StripServer is a response handler: the envelope has no response");
  }
  removed = ps_header_remove(c.response, "Server");
  body = ps_string(c.response, "body");
  find = ps_config_string(&c, "find", "upstream");
  repl = ps_config_string(&c, "replace", "gateway");
  if (body != NULL && ps_body_is_utf8(c.response)) {
    rewritten = replace_all(body, find, repl, &replaced);
    if (rewritten == NULL) {
      return ps_fail(&c, out, out_len, 1, "out of memory");
    }
    if (replaced > 0) {
      ps_set_string(c.response, "body", rewritten);
      if (ps_header_get(c.response, "Content-Length") != NULL) {
        snprintf(length, sizeof length, "%zu", strlen(rewritten));
        ps_header_set(c.response, "Content-Length", length);
      }
    }
    free(rewritten);
  }
  snprintf(message, sizeof message, "removed %d Server header(s), replaced %d occurrence(s) of '%s'",
           removed, replaced, find);
  ps_log(&c, "info", message);
  ps_keep_response(&c);
  return ps_finish(&c, out, out_len);
}
