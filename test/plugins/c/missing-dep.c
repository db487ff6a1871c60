/*
 * missing-dep: a valid Studio plugin that needs libps_vanished.so, which the build deletes after
 * linking (its runpath $ORIGIN/missing-deps points at an empty place). Loading it must explain
 * which library is missing and where it was looked for.
 */
#include "plugin_studio.h"

int vanished_answer(void);

PLUGIN_STUDIO_DEFINE_ABI()

PLUGIN_STUDIO_HANDLER(Ok) {
  (void)in;
  (void)in_len;
  return vanished_answer() == 42 ? plugin_studio_continue(out, out_len) : 1;
}
