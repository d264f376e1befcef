// toml++ compiled with the fuzz flags, so libFuzzer sees inside the TOML parser that
// confidantd.toml and the term dates go through. Definitions in the executable take precedence
// over the shared library's copies of the same version.
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
