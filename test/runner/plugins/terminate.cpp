// A C++ plugin whose handler lets an exception escape (std::terminate, SIGABRT) and one whose
// assertion fails (glibc's message, then abort): real runtime text for the crash parser.
#include <cassert>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

extern "C" {
uint32_t plugin_studio_abi_version(void) { return 1; }
void plugin_studio_free(void *p) { std::free(p); }

int32_t Ok(const uint8_t *, size_t, uint8_t **out, size_t *out_len) {
  *out = static_cast<uint8_t *>(std::malloc(2));
  std::memcpy(*out, "{}", 2);
  *out_len = 2;
  return 0;
}

static void check_token(const uint8_t *in, size_t in_len) {
  if (in_len > 0 && in[0] == '{') throw std::runtime_error("token store unavailable");
}

// noexcept: the exception cannot leave through the C boundary, so the runtime terminates.
int32_t Throws(const uint8_t *in, size_t in_len, uint8_t **, size_t *) noexcept {
  check_token(in, in_len);
  return 0;
}

int32_t AssertFails(const uint8_t *, size_t in_len, uint8_t **, size_t *) {
  volatile size_t n = in_len;
  assert(n == 0 && "the envelope must be empty");
  return 0;
}
}
