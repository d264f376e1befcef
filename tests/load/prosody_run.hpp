#pragma once

// A load run against Prosody (docs/benchmarks.md, "Prosody"): start it, connect every client
// (SASL ANONYMOUS, bind, stream management: the RSS per idle connection is measured over these),
// give each client its pair's full JID, then send and drain as the relay run does.

#include "tests/load/runner.hpp"

namespace confidant::load {

[[nodiscard]] run_result run_prosody(const run_options& o);

}  // namespace confidant::load
