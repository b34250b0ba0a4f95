#include "tools/peelctl/backup_command.h"

#include <filesystem>
#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "grpcpp/grpcpp.h"
#include "peel/admin/v1/admin.grpc.pb.h"
#include "tools/peelctl/commands.h"
#include "tools/peelctl/connection.h"

namespace peel::peelctl {

namespace fs = std::filesystem;

namespace {

bool EmptyOrMissing(const fs::path& p) {
  std::error_code ec;
  return !fs::exists(p, ec) || (fs::is_directory(p, ec) && fs::is_empty(p, ec));
}

}  // namespace

absl::StatusOr<std::vector<BackedUp>> Backup(const SuiteOptions& suite,
                                             const std::string& out) {
  std::error_code ec;
  const fs::path root = fs::absolute(out, ec);
  if (out.empty() || ec) {
    return absl::InvalidArgumentError("--out: a folder to write the backup to");
  }
  if (!EmptyOrMissing(root)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--out=", out, " exists and is not empty: back up into a new folder"));
  }
  // Every service first, so a half-running suite leaves no half backup.
  std::vector<std::pair<std::string, std::string>> targets;
  for (const ServiceSpec& spec : Services()) {
    auto address = AddressOf(suite, spec.name);
    if (!address.ok()) return address.status();
    targets.emplace_back(spec.name, *address);
  }
  fs::create_directories(root, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create ", root.string(), ": ", ec.message()));
  }
  std::vector<BackedUp> done;
  std::ofstream manifest(root / "MANIFEST");
  manifest << "# peelctl backup: service data_version bytes\n";
  for (const auto& [name, address] : targets) {
    auto stub = peel::admin::v1::Admin::NewStub(Dial(address));
    peel::admin::v1::CreateCheckpointRequest req;
    req.set_dir((root / name).string());
    peel::admin::v1::CreateCheckpointResponse resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(120));
    grpc::Status s = stub->CreateCheckpoint(&ctx, req, &resp);
    if (!s.ok()) {
      return absl::Status(
          static_cast<absl::StatusCode>(s.error_code()),
          absl::StrCat(name, " at ", address,
                       ": checkpoint failed: ", s.error_message()));
    }
    done.push_back({name, resp.data_version(), resp.bytes()});
    manifest << name << " " << resp.data_version() << " " << resp.bytes()
             << "\n";
  }
  manifest.close();
  if (!manifest) {
    return absl::InternalError(
        absl::StrCat("cannot write ", (root / "MANIFEST").string()));
  }
  return done;
}

absl::StatusOr<std::vector<std::string>> Restore(const SuiteOptions& suite,
                                                 const std::string& from) {
  std::error_code ec;
  if (from.empty() || !fs::is_directory(from, ec)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--from=", from, " is not a backup folder"));
  }
  if (!fs::exists(fs::path(from) / "MANIFEST", ec)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--from=", from, " has no MANIFEST: not made by peelctl backup"));
  }
  for (const ServiceStatus& st : Status(suite)) {
    if (st.running) {
      return absl::FailedPreconditionError(
          absl::StrCat(st.name, " is running on ", suite.data_dir,
                       ": stop the suite (peelctl down) before restoring"));
    }
  }
  // Check every target before copying anything.
  std::vector<std::string> services;
  for (const ServiceSpec& spec : Services()) {
    const fs::path source = fs::path(from) / spec.name;
    if (!fs::is_directory(source, ec)) continue;
    const fs::path target = fs::path(suite.data_dir) / spec.name / "store";
    if (!EmptyOrMissing(target)) {
      return absl::FailedPreconditionError(
          absl::StrCat(target.string(),
                       " already holds data: restore into a fresh --data_dir"));
    }
    services.push_back(spec.name);
  }
  if (services.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--from=", from, " holds no service's checkpoint"));
  }
  for (const std::string& name : services) {
    const fs::path target = fs::path(suite.data_dir) / name / "store";
    fs::create_directories(target, ec);
    if (!ec) {
      fs::copy(fs::path(from) / name, target,
               fs::copy_options::recursive | fs::copy_options::copy_symlinks,
               ec);
    }
    if (ec) {
      return absl::InternalError(absl::StrCat(
          "cannot copy ", name, " into ", target.string(), ": ", ec.message()));
    }
  }
  return services;
}

namespace {

int RunBackup(const Invocation& inv) {
  auto done = Backup(inv.Suite(), inv.Flag("out"));
  if (!done.ok()) return ExitFor(done.status());
  for (const BackedUp& b : *done) {
    std::cout << absl::StrFormat("%-16s data version %d, %d bytes\n", b.service,
                                 b.data_version, b.bytes);
  }
  std::cout << "backup in " << inv.Flag("out") << "\n";
  return kExitOk;
}

int RunRestore(const Invocation& inv) {
  const SuiteOptions suite = inv.Suite();
  auto done = Restore(suite, inv.Flag("from"));
  if (!done.ok()) return ExitFor(done.status());
  for (const std::string& name : *done)
    std::cout << "restored " << name << "\n";
  std::cout << "start it with: peelctl up --data_dir=" << suite.data_dir
            << "\n";
  return kExitOk;
}

}  // namespace

std::vector<Command> BackupCommands() {
  return {
      {"backup", "backup --out=DIR [--data_dir=DIR]",
       "checkpoint every service's store into DIR while the suite runs",
       "Each running service writes a RocksDB checkpoint of its store to\n"
       "DIR/<service> (hard links on the same filesystem, so it is quick and\n"
       "small) through its Admin.CreateCheckpoint call; DIR/MANIFEST lists\n"
       "each service's data version. Every service must be running. The\n"
       "services are checkpointed one after another, not at one instant:\n"
       "stop imports during a backup for a mutually consistent set.\n",
       WithConnectionFlags({"out"}), 0, 0, &RunBackup},
      {"restore",
       "restore --from=DIR [--data_dir=DIR]",
       "copy a backup into a fresh data folder (the suite must be down)",
       "Copies DIR/<service> into <data_dir>/<service>/store for every\n"
       "service in the backup. Refuses while any service runs on the data\n"
       "folder or when a store there already holds data. Then start the\n"
       "suite with `peelctl up`.\n",
       {"from"},
       0,
       0,
       &RunRestore},
  };
}

}  // namespace peel::peelctl
