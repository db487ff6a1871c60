/* The dependency of missing-dep: built, linked against, then deleted before the test loads it. */
#include "plugin_studio.h"

PLUGIN_STUDIO_API int vanished_answer(void) { return 42; }
