#pragma once

#include <random>

#include "tools/demo/generator/demo_writer.h"

// One function per service: each writes that service's part of the demo
// data set (the Metropolitan Police records that reproduce the reference
// report, and synthetic records for every other force).
namespace peel::demo {

void WriteCrimeRecording(std::mt19937_64& rng, DemoWriter* out);
void WriteVictimService(std::mt19937_64& rng, DemoWriter* out);
void WriteWorkforce(std::mt19937_64& rng, DemoWriter* out);
void WriteSocDisruptions(std::mt19937_64& rng, DemoWriter* out);
// The Met's recorded judgments, findings and monitoring status (no
// synthetic part).
void WriteGateway(DemoWriter* out);

}  // namespace peel::demo
