#include "common/testing/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/server/health_client.h"

namespace peel::testing {
absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const ServerProcessOptions& options) {
  std::unique_ptr<ServerProcess> p(new ServerProcess());
  p->options_ = options;
  const std::string port_file = options.work_dir + "/port";
  p->log_path_ = options.work_dir + "/server.log";
  ::unlink(port_file.c_str());

  std::vector<std::string> args = {options.binary, "--port=0",
                                   "--listen_host=127.0.0.1",
                                   "--port_file=" + port_file};
  if (!options.data_dir.empty())
    args.push_back("--data_dir=" + options.data_dir);
  for (const auto& a : options.extra_args) args.push_back(a);

  pid_t pid = ::fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    int fd = ::open(p->log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
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
  p->pid_ = pid;

  const absl::Time deadline = absl::Now() + options.start_timeout;
  while (absl::Now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      p->pid_ = -1;
      return absl::FailedPreconditionError(
          absl::StrCat(options.binary, " exited during start-up:\n", p->Log()));
    }
    std::ifstream in(port_file);
    int port = 0;
    if (in >> port && port > 0) {
      p->port_ = port;
      break;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  if (p->port_ == 0) {
    p->Kill();
    return absl::DeadlineExceededError(
        absl::StrCat(options.binary, " wrote no port file:\n", p->Log()));
  }
  absl::Status serving =
      server::WaitForServing(p->address(), options.service_name,
                             deadline - absl::Now(), options.credentials);
  if (!serving.ok()) {
    p->Kill();
    return absl::Status(serving.code(),
                        absl::StrCat(serving.message(), "\n", p->Log()));
  }
  return p;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill();
}

int ServerProcess::Reap(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
      return -1;
    }
    if (absl::Now() > deadline) return -2;
    absl::SleepFor(absl::Milliseconds(10));
  }
}

int ServerProcess::Terminate(absl::Duration grace) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int code = Reap(grace);
  if (code == -2) {
    ::kill(pid_, SIGKILL);
    code = Reap(absl::Seconds(10));
  }
  return code;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  Reap(absl::Seconds(10));
}

std::string ServerProcess::Log() const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

double ProcessCpuSeconds(pid_t pid) {
  if (pid <= 0) return 0;
  std::ifstream st("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(st)), {});
  const size_t close = text.rfind(')');  // the command may hold spaces
  if (close == std::string::npos) return 0;
  std::istringstream rest(text.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; rest >> field; ++i) {  // fields 14 and 15: utime, stime
    if (i == 14) utime = std::atof(field.c_str());
    if (i == 15) {
      stime = std::atof(field.c_str());
      break;
    }
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace peel::testing
