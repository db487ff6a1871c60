/*
 * plain: an ordinary shared library, not a Studio plugin (no plugin_studio_* exports). Its symbols
 * are listed; calling one as a handler is at the user's risk.
 */
#include <stddef.h>
#include <stdint.h>

__attribute__((visibility("default"))) int plain_add(int a, int b) { return a + b; }

/* Happens to have the handler signature but follows no contract: leaves *out untouched. */
__attribute__((visibility("default"))) int32_t plain_untouched(const uint8_t *in, size_t in_len,
                                                               uint8_t **out, size_t *out_len) {
  (void)in;
  (void)in_len;
  (void)out;
  (void)out_len;
  return 0;
}
