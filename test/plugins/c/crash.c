/*
 * crash-c: every way a native handler can go wrong, next to healthy handlers, in one library, so
 * that a test can crash the plugin host and check that the next call on the same opened plugin
 * works. Built by test/helpers/plugins.ts (gcc -O2, like a real plugin).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "plugin_studio.h"

PLUGIN_STUDIO_DEFINE_ABI()

PLUGIN_STUDIO_MANIFEST(
    "{\"abi\":1,\"name\":\"crash-c\",\"version\":\"0.0.0\",\"handlers\":["
    "{\"symbol\":\"Ok\",\"phase\":\"request\",\"description\":\"returns {}\"},"
    "{\"symbol\":\"Echo\",\"phase\":\"request\",\"description\":\"returns the input envelope as "
    "the message of one info log line\"},"
    "{\"symbol\":\"Sleep\",\"phase\":\"request\",\"description\":\"sleeps 200 ms, returns {}\"},"
    "{\"symbol\":\"Return64K\",\"phase\":\"request\"},"
    "{\"symbol\":\"Segfault\",\"phase\":\"request\"},"
    "{\"symbol\":\"Abort\",\"phase\":\"request\"},"
    "{\"symbol\":\"StackOverflow\",\"phase\":\"request\"},"
    "{\"symbol\":\"Hang\",\"phase\":\"request\"},"
    "{\"symbol\":\"Exit3\",\"phase\":\"request\"},"
    "{\"symbol\":\"ClaimsHugeLength\",\"phase\":\"request\"},"
    "{\"symbol\":\"HugeOutput\",\"phase\":\"request\"},"
    "{\"symbol\":\"InvalidJson\",\"phase\":\"request\"},"
    "{\"symbol\":\"InvalidUtf8\",\"phase\":\"request\"},"
    "{\"symbol\":\"WrongShape\",\"phase\":\"request\"},"
    "{\"symbol\":\"NullOutput\",\"phase\":\"request\"},"
    "{\"symbol\":\"ErrorStatus\",\"phase\":\"request\"},"
    "{\"symbol\":\"ErrorNoMessage\",\"phase\":\"request\"},"
    "{\"symbol\":\"StdioThenReturn\",\"phase\":\"request\"},"
    "{\"symbol\":\"StdioThenCrash\",\"phase\":\"request\"},"
    "{\"symbol\":\"WriteThenCrash\",\"phase\":\"request\"},"
    "{\"symbol\":\"Rotate\",\"phase\":\"request\",\"description\":\"a different result on "
    "each call, in a cycle of 9\"}"
    "]}")

/* The healthy handler: the trivial result, for benchmarks and "the next call works". */
PLUGIN_STUDIO_HANDLER(Ok) {
  (void)in;
  (void)in_len;
  return plugin_studio_continue(out, out_len);
}

/* Returns {"logs":[{"level":"info","message":"<the input envelope>"}]}: a test parses the message
 * to check that each result belongs to its own call. */
PLUGIN_STUDIO_HANDLER(Echo) {
  static const char head[] = "{\"logs\":[{\"level\":\"info\",\"message\":\"";
  static const char tail[] = "\"}]}";
  size_t i, n = sizeof head - 1;
  uint8_t *buf = malloc(sizeof head + in_len * 6 + sizeof tail);
  if (buf == NULL) return plugin_studio_error(out, out_len, 1, "out of memory");
  memcpy(buf, head, n);
  for (i = 0; i < in_len; i++) {
    uint8_t ch = in[i];
    if (ch == '"' || ch == '\\') {
      buf[n++] = '\\';
      buf[n++] = ch;
    } else if (ch < 0x20) {
      n += (size_t)sprintf((char *)buf + n, "\\u%04x", ch);
    } else {
      buf[n++] = ch;
    }
  }
  memcpy(buf + n, tail, sizeof tail - 1);
  *out = buf;
  *out_len = n + sizeof tail - 1;
  return 0;
}

PLUGIN_STUDIO_HANDLER(Sleep) {
  struct timespec ts = {0, 200 * 1000 * 1000};
  (void)in;
  (void)in_len;
  nanosleep(&ts, NULL);
  return plugin_studio_continue(out, out_len);
}

/* A 64 KiB result (one log line of 'x'), for the host's memory test. */
PLUGIN_STUDIO_HANDLER(Return64K) {
  static const char head[] = "{\"logs\":[{\"level\":\"info\",\"message\":\"";
  static const char tail[] = "\"}]}";
  const size_t total = 64 * 1024;
  uint8_t *buf = malloc(total);
  (void)in;
  (void)in_len;
  if (buf == NULL) return plugin_studio_error(out, out_len, 1, "out of memory");
  memcpy(buf, head, sizeof head - 1);
  memset(buf + sizeof head - 1, 'x', total - (sizeof head - 1) - (sizeof tail - 1));
  memcpy(buf + total - (sizeof tail - 1), tail, sizeof tail - 1);
  *out = buf;
  *out_len = total;
  return 0;
}

/* volatile so that the compiler cannot prove the write undefined and drop it. */
static int *volatile null_pointer = NULL;

PLUGIN_STUDIO_HANDLER(Segfault) {
  (void)in;
  (void)in_len;
  (void)out;
  (void)out_len;
  *null_pointer = 42;
  return 0;
}

PLUGIN_STUDIO_HANDLER(Abort) {
  (void)in;
  (void)in_len;
  (void)out;
  (void)out_len;
  fprintf(stderr, "crash-c: giving up with abort()\n");
  abort();
}

static volatile int keep_recursing = 1;

/* Not a tail call (the frame's buffer is read after the recursive call), so -O2 cannot turn it
 * into a loop; the volatile condition keeps it from being proven infinite. */
__attribute__((noinline)) static int recurse(int depth) {
  volatile char frame[256];
  frame[0] = (char)depth;
  if (!keep_recursing) return frame[0];
  return recurse(depth + 1) + frame[0];
}

PLUGIN_STUDIO_HANDLER(StackOverflow) {
  (void)in;
  (void)in_len;
  (void)out;
  (void)out_len;
  return recurse(0);
}

static volatile int spinning = 1;

PLUGIN_STUDIO_HANDLER(Hang) {
  (void)in;
  (void)in_len;
  (void)out;
  (void)out_len;
  while (spinning) {
  }
  return 0;
}

PLUGIN_STUDIO_HANDLER(Exit3) {
  (void)in;
  (void)in_len;
  (void)out;
  (void)out_len;
  exit(3);
}

/* A 2-byte buffer ("{}") that claims to be 2^62 bytes long: the host must check *out_len before it
 * reads a single byte. */
PLUGIN_STUDIO_HANDLER(ClaimsHugeLength) {
  (void)in;
  (void)in_len;
  if (plugin_studio_continue(out, out_len) != 0) return 1;
  *out_len = (size_t)1 << 62;
  return 0;
}

/* A real, valid JSON result of 65 MiB: over the host's default 64 MiB limit. */
PLUGIN_STUDIO_HANDLER(HugeOutput) {
  static const char head[] = "{\"logs\":[{\"level\":\"info\",\"message\":\"";
  static const char tail[] = "\"}]}";
  const size_t total = (size_t)65 * 1024 * 1024;
  uint8_t *buf = malloc(total);
  (void)in;
  (void)in_len;
  if (buf == NULL) return plugin_studio_error(out, out_len, 1, "out of memory");
  memcpy(buf, head, sizeof head - 1);
  memset(buf + sizeof head - 1, 'x', total - (sizeof head - 1) - (sizeof tail - 1));
  memcpy(buf + total - (sizeof tail - 1), tail, sizeof tail - 1);
  *out = buf;
  *out_len = total;
  return 0;
}

PLUGIN_STUDIO_HANDLER(InvalidJson) {
  (void)in;
  (void)in_len;
  return plugin_studio_result(out, out_len, "{\"request\": {\"method\": \"GET\",");
}

PLUGIN_STUDIO_HANDLER(InvalidUtf8) {
  static const char bad[] = "{\"logs\":[{\"level\":\"info\",\"message\":\"caf\xc3(\xff\"}]}";
  (void)in;
  (void)in_len;
  return plugin_studio_output_n(out, out_len, bad, sizeof bad - 1);
}

/* Valid JSON, wrong shape: response.status is a string, logs[0].level is unknown. */
PLUGIN_STUDIO_HANDLER(WrongShape) {
  (void)in;
  (void)in_len;
  return plugin_studio_result(out, out_len,
                              "{\"response\":{\"status\":\"403\",\"headers\":[],\"body\":\"\"}}");
}

PLUGIN_STUDIO_HANDLER(NullOutput) {
  (void)in;
  (void)in_len;
  *out = NULL;
  *out_len = 0;
  return 0;
}

PLUGIN_STUDIO_HANDLER(ErrorStatus) {
  (void)in;
  (void)in_len;
  return plugin_studio_error(out, out_len, 7, "token service unreachable: connection refused");
}

PLUGIN_STUDIO_HANDLER(ErrorNoMessage) {
  (void)in;
  (void)in_len;
  *out = NULL;
  *out_len = 0;
  return 1;
}

/* stdio is buffered and left unflushed on purpose: the host must flush it after the call so the
 * text is reported with this call, not the next one. */
PLUGIN_STUDIO_HANDLER(StdioThenReturn) {
  (void)in;
  (void)in_len;
  printf("crash-c: hello on stdout\n");
  fprintf(stderr, "crash-c: hello on stderr\n");
  return plugin_studio_continue(out, out_len);
}

/* stderr is unbuffered and always reaches the host; the stdout line survives only if the host
 * made stdout unbuffered (a crash never flushes stdio). */
PLUGIN_STUDIO_HANDLER(StdioThenCrash) {
  (void)in;
  (void)in_len;
  (void)out;
  (void)out_len;
  printf("crash-c: stdout before the crash\n");
  fprintf(stderr, "crash-c: stderr before the crash\n");
  *null_pointer = 1;
  return 0;
}

/* Raw writes to the file descriptors: no stdio buffer involved, so both lines must be captured. */
PLUGIN_STUDIO_HANDLER(WriteThenCrash) {
  static const char o[] = "crash-c: raw stdout before the crash\n";
  static const char e[] = "crash-c: raw stderr before the crash\n";
  (void)in;
  (void)in_len;
  (void)out;
  (void)out_len;
  if (write(1, o, sizeof o - 1) < 0 || write(2, e, sizeof e - 1) < 0) return 1;
  *null_pointer = 1;
  return 0;
}

/* Each call returns the next of nine results, so that a bench sees every kind of output in one
 * run: continue, respond, reject, continue with a 20 KiB log line, invalid JSON, wrong shape,
 * invalid UTF-8, NULL output with status 0, and an error status. */
PLUGIN_STUDIO_HANDLER(Rotate) {
  static unsigned calls;
  switch (calls++ % 9) {
    case 0:
      return Ok(in, in_len, out, out_len);
    case 1:
      return plugin_studio_result(out, out_len,
                                  "{\"response\":{\"status\":200,\"headers\":[],\"body\":\"hi\"}}");
    case 2:
      return plugin_studio_result(out, out_len,
                                  "{\"response\":{\"status\":403,\"headers\":[],\"body\":\"no\"}}");
    case 3: {
      static const char head[] = "{\"logs\":[{\"level\":\"info\",\"message\":\"";
      static const char tail[] = "\"}]}";
      const size_t total = 20 * 1024;
      uint8_t *buf = malloc(total);
      if (buf == NULL) return plugin_studio_error(out, out_len, 1, "out of memory");
      memcpy(buf, head, sizeof head - 1);
      memset(buf + sizeof head - 1, 'y', total - (sizeof head - 1) - (sizeof tail - 1));
      memcpy(buf + total - (sizeof tail - 1), tail, sizeof tail - 1);
      *out = buf;
      *out_len = total;
      return 0;
    }
    case 4:
      return InvalidJson(in, in_len, out, out_len);
    case 5:
      return WrongShape(in, in_len, out, out_len);
    case 6:
      return InvalidUtf8(in, in_len, out, out_len);
    case 7:
      return NullOutput(in, in_len, out, out_len);
    default:
      return ErrorStatus(in, in_len, out, out_len);
  }
}
