/* Every helper of sdk/c/plugin_studio.h, compiled as C99 and C++ and for Windows by
 * test/sdk/c-sdk.test.ts with all warnings as errors. */
#include "plugin_studio.h"

PLUGIN_STUDIO_DEFINE_ABI()

PLUGIN_STUDIO_MANIFEST("{\"abi\":1,\"name\":\"minimal\",\"version\":\"1.0.0\",\"handlers\":["
                       "{\"symbol\":\"Result\",\"phase\":\"request\"},"
                       "{\"symbol\":\"Continue\",\"phase\":\"request\"},"
                       "{\"symbol\":\"Fail\",\"phase\":\"request\"},"
                       "{\"symbol\":\"FailZero\",\"phase\":\"request\"},"
                       "{\"symbol\":\"Empty\",\"phase\":\"request\"},"
                       "{\"symbol\":\"Take\",\"phase\":\"response\"}]}")

/* A function that is not exported: -fvisibility=hidden keeps it out of the symbol table. */
int minimal_internal_helper(int x);
int minimal_internal_helper(int x) { return x + 1; }

PLUGIN_STUDIO_HANDLER(Result) {
  (void)in;
  (void)in_len;
  return plugin_studio_result(out, out_len,
                              "{\"logs\":[{\"level\":\"info\",\"message\":\"h\\u00e9llo\"}]}");
}

PLUGIN_STUDIO_HANDLER(Continue) {
  (void)in;
  (void)in_len;
  return plugin_studio_continue(out, out_len);
}

PLUGIN_STUDIO_HANDLER(Fail) {
  (void)in;
  (void)in_len;
  return plugin_studio_error(out, out_len, 42, "no upstream configured");
}

PLUGIN_STUDIO_HANDLER(FailZero) {
  (void)in;
  (void)in_len;
  return plugin_studio_error(out, out_len, 0, "status 0 is not an error code");
}

PLUGIN_STUDIO_HANDLER(Empty) {
  (void)in;
  (void)in_len;
  return plugin_studio_output_n(out, out_len, "", (size_t)minimal_internal_helper(-1));
}

PLUGIN_STUDIO_HANDLER(Take) {
  char *copy = (char *)malloc(in_len + 1);
  if (copy == NULL) return plugin_studio_error(out, out_len, 1, "out of memory");
  memcpy(copy, in, in_len);
  copy[in_len] = '\0';
  return plugin_studio_result_take(out, out_len, copy);
}
