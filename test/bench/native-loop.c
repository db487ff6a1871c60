/*
 * native-loop: the baseline for the plugin host benchmark. dlopens a plugin and calls one handler
 * N times with the same input envelope, freeing each output with plugin_studio_free, as a gateway
 * linking the plugin directly would; prints the call rate.
 *
 *   native-loop LIBRARY SYMBOL N ENVELOPE_FILE [--json]
 *
 * Exits 1 when a call returns non-zero or NULL output (the benchmark would measure the wrong
 * thing), 2 on a usage or load error.
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int32_t (*handler_fn)(const uint8_t *, size_t, uint8_t **, size_t *);
typedef void (*free_fn)(void *);

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  uint8_t *buf = NULL;
  long size;
  if (f == NULL) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    buf = malloc((size_t)size + 1);
    if (buf != NULL && fread(buf, 1, (size_t)size, f) != (size_t)size) {
      free(buf);
      buf = NULL;
    }
    *len = (size_t)size;
  }
  fclose(f);
  return buf;
}

/* One call, checked as the host checks it. Returns 0 when the handler succeeded with output. */
static int call_once(handler_fn handler, free_fn release, const uint8_t *in, size_t in_len,
                     size_t *out_bytes) {
  uint8_t *out = NULL;
  size_t out_len = 0;
  int32_t status = handler(in, in_len, &out, &out_len);
  if (out != NULL) release(out);
  *out_bytes = out_len;
  return status != 0 || out == NULL;
}

int main(int argc, char **argv) {
  void *lib;
  handler_fn handler;
  free_fn release;
  uint8_t *in;
  size_t in_len = 0, out_bytes = 0;
  long n, i, warmup;
  double start, seconds;
  int json = argc > 5 && strcmp(argv[5], "--json") == 0;

  if (argc < 5 || (n = strtol(argv[3], NULL, 10)) <= 0) {
    fprintf(stderr, "usage: native-loop LIBRARY SYMBOL N ENVELOPE_FILE [--json]\n");
    return 2;
  }
  lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) {
    fprintf(stderr, "native-loop: %s\n", dlerror());
    return 2;
  }
  handler = (handler_fn)dlsym(lib, argv[2]);
  release = (free_fn)dlsym(lib, "plugin_studio_free");
  if (handler == NULL || release == NULL) {
    fprintf(stderr, "native-loop: %s does not export %s and plugin_studio_free\n", argv[1],
            argv[2]);
    return 2;
  }
  in = read_file(argv[4], &in_len);
  if (in == NULL) {
    fprintf(stderr, "native-loop: cannot read %s\n", argv[4]);
    return 2;
  }

  warmup = n / 100 + 1;
  for (i = 0; i < warmup; i++) {
    if (call_once(handler, release, in, in_len, &out_bytes) != 0) {
      fprintf(stderr, "native-loop: %s failed or returned no output\n", argv[2]);
      return 1;
    }
  }
  start = now_seconds();
  for (i = 0; i < n; i++) {
    if (call_once(handler, release, in, in_len, &out_bytes) != 0) {
      fprintf(stderr, "native-loop: %s failed or returned no output on call %ld\n", argv[2], i);
      return 1;
    }
  }
  seconds = now_seconds() - start;

  if (json)
    printf("{\"calls\":%ld,\"seconds\":%.6f,\"callsPerSecond\":%.1f,\"usPerCall\":%.3f,"
           "\"inputBytes\":%zu,\"outputBytes\":%zu}\n",
           n, seconds, (double)n / seconds, seconds * 1e6 / (double)n, in_len, out_bytes);
  else
    printf("native loop: %ld calls of %s in %.3f s: %.0f calls/s, %.3f us/call\n", n, argv[2],
           seconds, (double)n / seconds, seconds * 1e6 / (double)n);
  free(in);
  return 0;
}
