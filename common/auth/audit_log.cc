#include "common/auth/audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/util/log.h"

namespace peel::auth {
namespace {

void AppendJsonString(std::string* out, const std::string& s) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          absl::StrAppend(out, "\\u00", absl::Hex(c, absl::kZeroPad2));
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

template <typename Container>
void AppendJsonArray(std::string* out, const Container& items) {
  out->push_back('[');
  bool first = true;
  for (const std::string& s : items) {
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(out, s);
  }
  out->push_back(']');
}

}  // namespace

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(
    const std::string& path) {
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--audit_log: cannot open ", path, ": ", std::strerror(errno)));
  }
  return std::unique_ptr<AuditLog>(new AuditLog(fd));
}

AuditLog::~AuditLog() { ::close(fd_); }

std::string AuditLog::Format(const AuditEntry& e) {
  std::string out = "{\"time\":";
  AppendJsonString(&out, absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                          absl::UTCTimeZone()));
  out.append(",\"caller\":");
  AppendJsonString(&out, e.caller);
  out.append(",\"role\":");
  AppendJsonString(&out, e.role);
  out.append(",\"method\":");
  AppendJsonString(&out, e.method);
  out.append(",\"forces\":");
  AppendJsonArray(&out, e.forces);
  absl::StrAppend(&out, ",\"sequence\":", e.sequence, ",\"ids\":");
  AppendJsonArray(&out, e.ids);
  out.append(",\"code\":");
  AppendJsonString(&out, e.code);
  out.push_back('}');
  return out;
}

void AuditLog::Append(const AuditEntry& entry) {
  std::string line = Format(entry);
  line.push_back('\n');
  absl::MutexLock lock(&mu_);
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      log::Error(absl::StrCat("audit log write failed: ", std::strerror(errno)));
      return;
    }
    done += static_cast<size_t>(n);
  }
}

}  // namespace peel::auth
