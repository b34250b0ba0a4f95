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
  std::mt19937_64 rng(absl::GetFlag(FLAGS_seed));
  peel::demo::DemoWriter out(absl::GetFlag(FLAGS_out));
  peel::demo::WriteCrimeRecording(rng, &out);
  std::cout << "demo data: " << out.records() << " records in "
            << absl::GetFlag(FLAGS_out) << " (see imports.txt)\n";
  return 0;
}
