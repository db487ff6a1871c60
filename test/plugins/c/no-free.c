/*
 * no-free: declares ABI version 1 but does not export plugin_studio_free, so the host cannot give
 * back the buffers its handlers return. Loading it must fail with a clear error.
 */
#include "plugin_studio.h"

PLUGIN_STUDIO_API uint32_t plugin_studio_abi_version(void) { return PLUGIN_STUDIO_ABI_VERSION; }

PLUGIN_STUDIO_HANDLER(Ok) {
  (void)in;
  (void)in_len;
  return plugin_studio_continue(out, out_len);
}
