#include "tools/peelctl/cli.h"

#include <algorithm>
#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/peelctl/connection.h"

namespace peel::peelctl {
namespace {

constexpr const char* kGlobalFlags[] = {"data_dir", "bin_dir"};

const FlagSpec* FindFlag(absl::string_view name) {
  for (const auto& f : AllFlags()) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

bool Takes(const Command& c, absl::string_view flag) {
  for (const char* g : kGlobalFlags) {
    if (flag == g) return true;
  }
  return std::any_of(c.flags.begin(), c.flags.end(),
                     [&](const char* f) { return flag == f; });
}

absl::Status ParseBool(absl::string_view name, absl::string_view v,
                       std::string* out) {
  if (v == "true" || v == "1" || v == "yes") {
    *out = "true";
  } else if (v == "false" || v == "0" || v == "no") {
    *out = "false";
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, " takes true or false, not '", v, "'"));
  }
  return absl::OkStatus();
}

std::string FlagLine(const FlagSpec& f) {
  std::string left = f.boolean ? absl::StrCat("--", f.name)
                               : absl::StrCat("--", f.name, "=...");
  std::string def =
      *f.default_value ? absl::StrCat(" (default: ", f.default_value, ")") : "";
  return absl::StrFormat("  %-18s %s%s\n", left, f.help, def);
}

}  // namespace

const std::vector<FlagSpec>& AllFlags() {
  static const auto* kFlags = new std::vector<FlagSpec>{
      {"data_dir", "peel-data",
       "the suite's data folder: one sub-folder per service with its store, "
       "port, pid and log"},
      {"bin_dir", "",
       "build folder holding services/<name>/<name> (default: the build "
       "folder peelctl is in)"},
      {"policy", "",
       "grading policy textproto for the gateway (default: the source "
       "tree's services/gateway/policy/peel-2021-22.textproto)"},
      {"audit", "",
       "audit id, for audited-incident and cancellation-review "
       "imports"},
      {"assessment", "",
       "victim service assessment id, for case-review "
       "imports"},
      {"force", "", "police.uk slug, for incident-log imports"},
      {"quiet", "false", "no progress output", true},
      {"out", "", "backup: the new folder to write the checkpoints to"},
      {"from", "", "restore: a folder written by peelctl backup"},
      {"batch_size", "1000", "records per streamed batch"},
      {"shard_map", "",
       "import into a service run as shards: FORCE+FORCE@ADDRESS,... (one "
       "shard may omit the forces: it owns the rest; the gateway's "
       "--<service>_addr syntax); each record goes to the shard owning its "
       "force (default: the suite's address)"},
      {"format", "text", "output format: text or json"},
      {"period", "",
       "assessment period: START..END (ISO dates) or a financial year such "
       "as 2021/22; empty: the latest data"},
      {"out", "", "file to write"},
      {"title", "", "the report's title (default: PEEL assessment: FORCE)"},
      {"tls_ca", "",
       "PEM CA that signed the servers' certificates: talk TLS (servers "
       "started with --tls_cert)"},
      {"tls_cert", "",
       "PEM client certificate for mutual TLS (its subject CN is your role "
       "under --authz); with --tls_key and --tls_ca"},
      {"tls_key", "", "PEM private key of --tls_cert"},
      {"token", "",
       "bearer token sent on every call (tools/make-test-token), or @FILE "
       "holding it; needs --tls_ca"},
  };
  return *kFlags;
}

std::string Invocation::Flag(const std::string& name) const {
  auto it = flags.find(name);
  if (it != flags.end()) return it->second;
  const FlagSpec* f = FindFlag(name);
  return f == nullptr ? "" : f->default_value;
}

bool Invocation::BoolFlag(const std::string& name) const {
  return Flag(name) == "true";
}

SuiteOptions Invocation::Suite() const {
  SuiteOptions o;
  o.data_dir = Flag("data_dir");
  o.bin_dir = Flag("bin_dir").empty() ? DefaultBinDir() : Flag("bin_dir");
  o.policy = Flag("policy").empty() ? DefaultPolicyPath() : Flag("policy");
  return o;
}

const Command* FindCommand(const std::vector<Command>& commands,
                           const std::string& name) {
  for (const auto& c : commands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

absl::Status ParseInvocation(const std::vector<std::string>& argv,
                             const std::vector<Command>& commands,
                             Invocation* out) {
  *out = Invocation();
  std::vector<std::string> positional;
  bool flags_done = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (flags_done || a.size() < 2 || a[0] != '-') {
      positional.push_back(a);
      continue;
    }
    if (a == "--") {
      flags_done = true;
      continue;
    }
    if (a == "--help" || a == "-h" || a == "-help") {
      out->help = true;
      continue;
    }
    std::string body = a.substr(a[1] == '-' ? 2 : 1);
    std::string name = body, value;
    bool has_value = false;
    if (auto eq = body.find('='); eq != std::string::npos) {
      name = body.substr(0, eq);
      value = body.substr(eq + 1);
      has_value = true;
    }
    const FlagSpec* f = FindFlag(name);
    if (f == nullptr && !has_value && absl::StartsWith(name, "no")) {
      const FlagSpec* negated = FindFlag(name.substr(2));
      if (negated != nullptr && negated->boolean) {
        out->flags[negated->name] = "false";
        continue;
      }
    }
    if (f == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    }
    if (f->boolean) {
      std::string v = "true";
      if (has_value) {
        absl::Status s = ParseBool(name, value, &v);
        if (!s.ok()) return s;
      }
      out->flags[name] = v;
      continue;
    }
    if (!has_value) {
      if (i + 1 >= argv.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("--", name, " needs a value"));
      }
      value = argv[++i];
    }
    out->flags[name] = value;
  }
  if (positional.empty()) return absl::OkStatus();  // overview or usage
  out->command = positional[0];
  out->args.assign(positional.begin() + 1, positional.end());
  if (out->command == "help") {
    if (out->args.size() > 1) {
      return absl::InvalidArgumentError("usage: peelctl help [COMMAND]");
    }
    if (!out->args.empty() && FindCommand(commands, out->args[0]) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("no command '", out->args[0], "'; see peelctl --help"));
    }
    return absl::OkStatus();
  }
  const Command* c = FindCommand(commands, out->command);
  if (c == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown command '", out->command, "'; see peelctl --help"));
  }
  for (const auto& [name, value] : out->flags) {
    if (!Takes(*c, name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("peelctl ", c->name, " does not take --", name,
                       "; see peelctl help ", c->name));
    }
  }
  if (out->help) return absl::OkStatus();
  if (auto it = out->flags.find("format");
      it != out->flags.end() && it->second != "text" && it->second != "json") {
    return absl::InvalidArgumentError(
        absl::StrCat("--format is text or json, not '", it->second, "'"));
  }
  const int n = static_cast<int>(out->args.size());
  if (n < c->min_args || n > c->max_args) {
    return absl::InvalidArgumentError(
        absl::StrCat("usage: peelctl ", c->synopsis));
  }
  return absl::OkStatus();
}

std::string OverviewHelp(const std::vector<Command>& commands) {
  std::string out =
      "peelctl: run the PEEL inspection data suite locally, load data into "
      "it,\nand read the assessment it assembles.\n\nCommands:\n";
  for (const auto& c : commands) {
    absl::StrAppend(&out, absl::StrFormat("  %-10s %s\n", c.name, c.summary));
  }
  absl::StrAppend(&out,
                  "  help       help on one command: peelctl help COMMAND "
                  "(or peelctl COMMAND --help)\n\nEvery command takes:\n");
  for (const char* g : kGlobalFlags)
    absl::StrAppend(&out, FlagLine(*FindFlag(g)));
  absl::StrAppend(
      &out,
      "\nExit codes:\n"
      "  0  success\n"
      "  1  the command failed (the message says why)\n"
      "  2  usage error: unknown command or flag, wrong arguments\n"
      "  3  the suite (or the service the command needs) is not running;\n"
      "     start it with: peelctl up --data_dir=DIR\n"
      "  4  import finished but some rows were rejected (see the\n"
      "     .rejected.csv file beside the input)\n");
  return out;
}

std::string CommandHelp(const Command& c) {
  std::string out =
      absl::StrCat("usage: peelctl ", c.synopsis, "\n\n", c.summary, "\n");
  if (*c.details) absl::StrAppend(&out, "\n", c.details);
  absl::StrAppend(&out, "\nFlags:\n");
  for (const char* f : c.flags) absl::StrAppend(&out, FlagLine(*FindFlag(f)));
  for (const char* g : kGlobalFlags)
    absl::StrAppend(&out, FlagLine(*FindFlag(g)));
  absl::StrAppend(
      &out,
      "\nExit codes: 0 ok, 1 failed, 2 usage error, 3 suite not "
      "running",
      absl::StrContains(c.synopsis, "import") ? ", 4 some rows rejected" : "",
      " (peelctl --help).\n");
  return out;
}

int ExitFor(const absl::Status& status) {
  if (status.ok()) return kExitOk;
  std::cerr << "peelctl: " << status.message() << ConnectionHint(status)
            << "\n";
  return status.code() == absl::StatusCode::kUnavailable ? kExitNotRunning
                                                         : kExitFailed;
}

}  // namespace peel::peelctl
