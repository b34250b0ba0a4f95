#include "common/auth/interceptor.h"

#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/auth/audit_log.h"
#include "common/auth/policy.h"
#include "common/auth/roles.h"
#include "common/auth/token.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/server_interceptor.h"

namespace peel::auth {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::InterceptorBatchMethods;

struct Shared {
  bool authz = false;
  bool plaintext_health_only = false;
  std::optional<std::string> token_key;
  std::unique_ptr<AuditLog> audit;
  ForceResolvers resolvers;
};

// The caller of a call: a bearer token when one is sent, else the peer's
// verified certificate.
absl::StatusOr<Identity> Identify(grpc::ServerContextBase* ctx,
                                  const Shared& shared, std::string* caller) {
  const auto& md = ctx->client_metadata();
  auto it = md.find("authorization");
  if (it != md.end()) {
    const absl::string_view value(it->second.data(), it->second.size());
    if (!absl::StartsWith(value, "Bearer ")) {
      return absl::UnauthenticatedError(
          "authorization metadata must be 'Bearer <token>'");
    }
    if (!shared.token_key) {
      return absl::UnauthenticatedError(
          "bearer tokens are not accepted by this server (no "
          "--auth_token_key_file)");
    }
    auto claims =
        VerifyToken(*shared.token_key, value.substr(7), absl::Now());
    if (!claims.ok()) return claims.status();
    *caller = absl::StrCat("token:", claims->subject);
    auto id = ParseRole(claims->role);
    if (!id.ok()) return absl::PermissionDeniedError(id.status().message());
    id->caller = *caller;
    return id;
  }
  std::shared_ptr<const grpc::AuthContext> auth = ctx->auth_context();
  if (auth != nullptr && auth->IsPeerAuthenticated()) {
    auto subject = auth->FindPropertyValues(GRPC_X509_SUBJECT_PROPERTY_NAME);
    auto cn = auth->FindPropertyValues(GRPC_X509_CN_PROPERTY_NAME);
    if (!subject.empty()) {
      *caller = std::string(subject[0].data(), subject[0].size());
    }
    if (cn.empty()) {
      return absl::PermissionDeniedError(
          "the client certificate has no subject CN (the role)");
    }
    const std::string role(cn[0].data(), cn[0].size());
    if (caller->empty()) *caller = absl::StrCat("CN=", role);
    auto id = ParseRole(role);
    if (!id.ok()) return absl::PermissionDeniedError(id.status().message());
    id->caller = *caller;
    return id;
  }
  *caller = absl::StrCat("anonymous@", ctx->peer());
  return absl::UnauthenticatedError(
      "no caller identity: present a client certificate (mutual TLS) or an "
      "'authorization: Bearer <token>' header");
}

grpc::Status ToGrpc(const absl::Status& s) {
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()),
                      std::string(s.message()));
}

class AuthInterceptor : public grpc::experimental::Interceptor {
 public:
  AuthInterceptor(const Shared* shared, grpc::experimental::ServerRpcInfo* info)
      : shared_(shared),
        method_(info->method() != nullptr ? info->method() : ""),
        rule_(RuleFor(method_)),
        ctx_(info->server_context()) {}

  void Intercept(InterceptorBatchMethods* methods) override {
    {
      absl::MutexLock lock(&mu_);
      if (methods->QueryInterceptionHookPoint(
              InterceptionHookPoints::POST_RECV_MESSAGE)) {
        OnMessage(methods);
      }
      if (methods->QueryInterceptionHookPoint(
              InterceptionHookPoints::PRE_SEND_MESSAGE)) {
        OnSend(methods);
      }
      if (methods->QueryInterceptionHookPoint(
              InterceptionHookPoints::PRE_SEND_STATUS)) {
        OnStatus(methods);
      }
    }
    methods->Proceed();
  }

 private:
  bool OverTls() const {
    std::shared_ptr<const grpc::AuthContext> auth = ctx_->auth_context();
    if (auth == nullptr) return false;
    auto type =
        auth->FindPropertyValues(GRPC_TRANSPORT_SECURITY_TYPE_PROPERTY_NAME);
    return !type.empty() && type[0] == GRPC_SSL_TRANSPORT_SECURITY_TYPE;
  }

  void Decide() {
    if (decided_) return;
    decided_ = true;
    if (shared_->plaintext_health_only && !OverTls()) {
      // The --health_port listener: health for anyone (kubelet probes carry
      // no identity), nothing else.
      if (rule_ == nullptr || rule_->access != Access::kHealth) {
        denial_ = absl::PermissionDeniedError(absl::StrCat(
            "without TLS this server answers only grpc.health.v1.Health "
            "(--health_port); call ",
            method_, " over TLS"));
      }
      caller_ = absl::StrCat("plaintext@", ctx_->peer());
      return;
    }
    auto id = Identify(ctx_, *shared_, &caller_);
    if (id.ok()) {
      identity_ = *id;
      role_ = RoleText(*id);
    }
    if (!shared_->authz) return;
    if (!id.ok()) {
      denial_ = id.status();
    } else if (rule_ == nullptr) {
      denial_ = absl::PermissionDeniedError(
          absl::StrCat(method_, " is not in the authorisation policy"));
    } else if (!RoleAllowed(*id, *rule_)) {
      denial_ = absl::PermissionDeniedError(
          absl::StrCat("role ", role_, " may not call ", method_));
    }
  }

  // Only our own services' requests are looked into: the health service's
  // messages are not protobuf objects here.
  bool Ours() const {
    return rule_ != nullptr && rule_->access != Access::kHealth &&
           rule_->access != Access::kAnyCaller;
  }

  void OnMessage(InterceptorBatchMethods* methods) {
    Decide();
    void* raw = methods->GetRecvMessage();
    if (raw == nullptr || !Ours()) return;
    auto* message = static_cast<google::protobuf::Message*>(raw);
    if (!rule_->force_scoped() && !rule_->write()) {
      if (!denial_.ok()) Neutralise(message);
      return;
    }
    std::set<std::string> forces =
        CollectForces(*message, shared_->resolvers);
    if (shared_->authz && denial_.ok() && identity_) {
      denial_ = CheckForces(*identity_, method_, *rule_, forces);
    }
    if (shared_->audit && rule_->write()) {
      Flush(denial_.ok() ? "ABORTED" : StatusName(denial_));  // unanswered
      AuditEntry e;
      e.caller = caller_;
      e.role = role_;
      e.method = method_;
      e.forces = std::move(forces);
      e.sequence = SequenceOf(*message);
      e.ids = CollectIds(*message);
      pending_ = std::move(e);
    }
    if (!denial_.ok()) Neutralise(message);
  }

  void OnSend(InterceptorBatchMethods* methods) {
    if (denial_.ok()) {
      Flush("OK");
      return;
    }
    Flush(StatusName(denial_));
    // Whatever the handler made of the emptied request: send nothing of it.
    if (grpc::ByteBuffer* buffer = methods->GetSerializedSendMessage()) {
      grpc::Slice empty("");
      *buffer = grpc::ByteBuffer(&empty, 1);
    }
  }

  void OnStatus(InterceptorBatchMethods* methods) {
    Decide();
    if (!denial_.ok()) methods->ModifySendStatus(ToGrpc(denial_));
    const grpc::Status status = methods->GetSendStatus();
    Flush(absl::StatusCodeToString(static_cast<absl::StatusCode>(
        status.error_code())));
  }

  static std::string StatusName(const absl::Status& s) {
    return absl::StatusCodeToString(s.code());
  }

  void Flush(const std::string& code) {
    if (!pending_) return;
    pending_->code = code;
    shared_->audit->Append(*pending_);
    pending_.reset();
  }

  const Shared* shared_;
  const std::string method_;
  const MethodRule* rule_;
  grpc::ServerContextBase* ctx_;

  absl::Mutex mu_;
  bool decided_ = false;
  std::optional<Identity> identity_;
  std::string caller_;
  std::string role_;
  absl::Status denial_;
  std::optional<AuditEntry> pending_;
};

class AuthInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit AuthInterceptorFactory(std::unique_ptr<Shared> shared)
      : shared_(std::move(shared)) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new AuthInterceptor(shared_.get(), info);
  }

 private:
  std::unique_ptr<Shared> shared_;
};

}  // namespace

absl::StatusOr<
    std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
MakeAuthInterceptorFactory(const AuthOptions& options) {
  if (!options.enabled()) return nullptr;
  auto shared = std::make_unique<Shared>();
  shared->authz = options.authz;
  shared->plaintext_health_only = options.plaintext_health_only;
  shared->resolvers = options.force_of_id;
  if (!options.token_key_file.empty()) {
    auto key = ReadTokenKey(options.token_key_file);
    if (!key.ok()) return key.status();
    shared->token_key = std::move(*key);
  }
  if (!options.audit_log.empty()) {
    auto log = AuditLog::Open(options.audit_log);
    if (!log.ok()) return log.status();
    shared->audit = std::move(*log);
  }
  return std::make_unique<AuthInterceptorFactory>(std::move(shared));
}

}  // namespace peel::auth
