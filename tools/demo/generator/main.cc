// peel-demo: writes the national demo data set for the main job.
//   peel-demo --out=DIR [--seed=N]
// Then load it with the `peelctl import` lines listed in DIR/imports.txt.
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "tools/demo/generator/demo.h"

ABSL_FLAG(std::string, out, "demo-data", "folder to write the data set to");
ABSL_FLAG(uint64_t, seed, 20221014, "seed for the synthetic comparator data");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Writes the demo data set: the Metropolitan Police Service's 2021/22 "
      "records reproducing the reference report, and synthetic records for "
      "the other 42 forces (ids start with 'synthetic-').\n"
      "  peel-demo --out=DIR [--seed=N]");
  absl::ParseCommandLine(argc, argv);
  peel::demo::DemoWriter out(absl::GetFlag(FLAGS_out));
  // Each service's part from its own stream, so changing one part leaves
  // the others' synthetic data as it was.
  const uint64_t seed = absl::GetFlag(FLAGS_seed);
  std::mt19937_64 cr(seed), vs(seed + 1), wf(seed + 2), soc(seed + 3);
  peel::demo::WriteCrimeRecording(cr, &out);
  peel::demo::WriteVictimService(vs, &out);
  peel::demo::WriteWorkforce(wf, &out);
  peel::demo::WriteSocDisruptions(soc, &out);
  peel::demo::WriteGateway(&out);
  std::cout << "demo data: " << out.records() << " records in "
            << absl::GetFlag(FLAGS_out) << " (see imports.txt)\n";
  return 0;
}
