#include "tools/peelctl/suite.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/server/health_client.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/impl/codegen/client_unary_call.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "peel/common/v1/common.pb.h"
#include "tools/peelctl/connection.h"

namespace peel::peelctl {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::string s;
  std::getline(in, s);
  return s;
}

int ReadPid(const std::string& dir) {
  std::string s = ReadFile(dir + "/pid");
  return s.empty() ? 0 : std::atoi(s.c_str());
}

// What runs under a pid file: nothing (no process, a zombie, or the pid
// reused by another program), the service, or the service from a binary
// rebuilt since it started (the kernel then names its executable
// "... (deleted)"): `up` restarts those, so a rebuild takes effect.
enum class Running { kNo, kYes, kStale };

Running RunningAs(int pid, const std::string& name) {
  if (pid <= 0 || ::kill(pid, 0) != 0) return Running::kNo;
  std::error_code ec;
  const std::string exe =
      fs::read_symlink(absl::StrCat("/proc/", pid, "/exe"), ec).string();
  if (ec) return Running::kNo;  // a zombie has no executable
  const std::string base = exe.substr(exe.rfind('/') + 1);
  if (base == name) return Running::kYes;
  if (base == name + " (deleted)") return Running::kStale;
  return Running::kNo;
}

bool Alive(const std::string& dir, const std::string& name) {
  return RunningAs(ReadPid(dir), name) != Running::kNo;
}

std::string BinaryPath(const SuiteOptions& o, const ServiceSpec& s) {
  return absl::StrCat(o.bin_dir, "/services/", s.name, "/", s.name);
}

absl::Status StartOne(const SuiteOptions& o, const ServiceSpec& spec,
                      const std::vector<std::string>& extra) {
  const std::string dir = absl::StrCat(o.data_dir, "/", spec.name);
  fs::create_directories(dir);
  const std::string port_file = dir + "/port";
  fs::remove(port_file);
  std::vector<std::string> args = {
      BinaryPath(o, spec), "--port=0", "--listen_host=127.0.0.1",
      "--port_file=" + port_file, "--data_dir=" + dir + "/store"};
  args.insert(args.end(), extra.begin(), extra.end());

  pid_t pid = ::fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    ::setsid();  // outlive peelctl; not killed by the terminal's ^C
    int fd =
        ::open((dir + "/log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  std::ofstream(dir + "/pid") << pid << "\n";

  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  std::string port;
  while (absl::Now() < deadline) {
    port = ReadFile(port_file);
    if (!port.empty()) break;
    if (::waitpid(pid, nullptr, WNOHANG) == pid) {  // our child: reap it
      fs::remove(dir + "/pid");
      return absl::FailedPreconditionError(absl::StrCat(
          spec.name, " exited during start-up; see ", dir, "/log"));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  if (port.empty()) {
    return absl::DeadlineExceededError(
        absl::StrCat(spec.name, " did not start; see ", dir, "/log"));
  }
  return server::WaitForServing("127.0.0.1:" + port, spec.health_name,
                                deadline - absl::Now());
}

// Every service answers <service>/GetDataVersion with the same messages, so
// one untyped call serves them all.
absl::StatusOr<uint64_t> DataVersionOf(const std::string& address,
                                       const std::string& service) {
  auto channel = Dial(address);
  const std::string path = absl::StrCat("/", service, "/GetDataVersion");
  grpc::internal::RpcMethod method(path.c_str(),
                                   grpc::internal::RpcMethod::NORMAL_RPC);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  peel::common::v1::DataVersionRequest req;
  peel::common::v1::DataVersion resp;
  grpc::Status s = grpc::internal::BlockingUnaryCall(channel.get(), method,
                                                     &ctx, req, &resp);
  if (!s.ok()) return absl::UnavailableError(s.error_message());
  return resp.version();
}

// SIGTERM, a bounded wait, then SIGKILL; forgets the pid and port. Only
// ever signals the service itself, never a process that reused its pid.
void StopOne(const std::string& dir, const std::string& name) {
  const int pid = ReadPid(dir);
  if (RunningAs(pid, name) != Running::kNo) {
    ::kill(pid, SIGTERM);
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (RunningAs(pid, name) != Running::kNo && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(20));
    }
    if (RunningAs(pid, name) != Running::kNo) ::kill(pid, SIGKILL);
  }
  fs::remove(dir + "/pid");
  fs::remove(dir + "/port");
}

}  // namespace

const std::vector<ServiceSpec>& Services() {
  static const auto* kServices = new std::vector<ServiceSpec>{
      {"crime-recording", "peel.crimerecording.v1.CrimeRecordingService",
       "crime_recording_addr"},
      {"victim-service", "peel.victimservice.v1.VictimService",
       "victim_service_addr"},
      {"workforce", "peel.workforce.v1.WorkforceService", "workforce_addr"},
      {"soc-disruptions", "peel.soc.v1.SocDisruptionService",
       "soc_disruptions_addr"},
      {"gateway", "peel.gateway.v1.AssessmentGateway", ""},
  };
  return *kServices;
}

std::string DefaultBinDir() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  // peelctl lives in BUILD/tools/peelctl/peelctl.
  return ec ? "build/release" : self.parent_path().parent_path().parent_path();
}

std::string DefaultPolicyPath() { return PEEL_GATEWAY_POLICY_PATH; }

absl::Status Up(const SuiteOptions& o) {
  if (!fs::exists(o.policy)) {
    return absl::FailedPreconditionError(
        absl::StrCat("the gateway's grading policy ", o.policy,
                     " does not exist (--policy names it)"));
  }
  std::vector<std::string> gateway_flags = {"--policy=" + o.policy};
  bool started_backend = false;
  for (const ServiceSpec& spec : Services()) {
    if (!fs::exists(BinaryPath(o, spec))) continue;  // not built in this tree
    const std::string dir = absl::StrCat(o.data_dir, "/", spec.name);
    const bool is_gateway = spec.gateway_flag.empty();
    const Running running = RunningAs(ReadPid(dir), spec.name);
    // A rebuilt binary restarts; a backend on a new port restarts the
    // gateway, which must learn it.
    if (running == Running::kStale ||
        (is_gateway && started_backend && running == Running::kYes)) {
      StopOne(dir, spec.name);
    }
    if (!Alive(dir, spec.name)) {
      started_backend = started_backend || !is_gateway;
      absl::Status s = StartOne(
          o, spec, is_gateway ? gateway_flags : std::vector<std::string>{});
      if (!s.ok()) return s;
    }
    if (!is_gateway) {
      gateway_flags.push_back(absl::StrCat(
          "--", spec.gateway_flag, "=127.0.0.1:", ReadFile(dir + "/port")));
    }
  }
  return absl::OkStatus();
}

absl::Status Down(const SuiteOptions& o) {
  // Gateway first, then the stores.
  for (auto it = Services().rbegin(); it != Services().rend(); ++it) {
    StopOne(absl::StrCat(o.data_dir, "/", it->name), it->name);
  }
  return absl::OkStatus();
}

std::vector<ServiceStatus> Status(const SuiteOptions& o) {
  std::vector<ServiceStatus> out;
  for (const ServiceSpec& spec : Services()) {
    ServiceStatus st;
    st.name = spec.name;
    const std::string dir = absl::StrCat(o.data_dir, "/", spec.name);
    const Running running = RunningAs(ReadPid(dir), spec.name);
    st.running = running != Running::kNo;
    if (st.running) {
      st.address = "127.0.0.1:" + ReadFile(dir + "/port");
      absl::Status s = server::CheckServing(st.address, spec.health_name,
                                            absl::Milliseconds(500),
                                            ConnectionCredentials());
      st.serving = s.ok();
      if (!s.ok()) st.detail = std::string(s.message());
      if (st.serving) {
        auto version = DataVersionOf(st.address, spec.health_name);
        if (version.ok()) st.data_version = *version;
      }
      if (running == Running::kStale) {
        st.detail +=
            " (binary rebuilt since it started: `peelctl up` "
            "restarts it)";
      }
    } else {
      st.detail = fs::exists(BinaryPath(o, spec)) ? "stopped" : "not built";
    }
    out.push_back(std::move(st));
  }
  return out;
}

absl::StatusOr<std::string> AddressOf(const SuiteOptions& o,
                                      const std::string& service) {
  const std::string dir = absl::StrCat(o.data_dir, "/", service);
  if (!Alive(dir, service)) {
    return absl::UnavailableError(absl::StrCat(
        service, " is not running (data folder ", o.data_dir,
        "): start the suite with `peelctl up --data_dir=", o.data_dir, "`"));
  }
  return "127.0.0.1:" + ReadFile(dir + "/port");
}

}  // namespace peel::peelctl
