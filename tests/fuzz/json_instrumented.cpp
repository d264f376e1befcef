// Boost.JSON compiled with the fuzz flags, so libFuzzer sees inside the JSON parser that protocol
// frames and bank-holidays.json go through. Definitions in the executable take precedence over
// the shared library's copies of the same version.
#include <boost/json/src.hpp>
