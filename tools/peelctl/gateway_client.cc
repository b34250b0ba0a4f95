#include "tools/peelctl/gateway_client.h"

#include <chrono>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/util/dates.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "tools/peelctl/connection.h"

namespace peel::peelctl {
namespace {

namespace v1 = ::peel::gateway::v1;
namespace cv1 = ::peel::common::v1;

constexpr auto kDeadline = std::chrono::seconds(30);

absl::Status FromGrpc(const grpc::Status& s, const std::string& address) {
  if (s.error_code() == grpc::StatusCode::UNAVAILABLE) {
    return absl::UnavailableError(absl::StrCat(
        "the gateway at ", address, " is not answering (", s.error_message(),
        "); check `peelctl status` and start the suite with `peelctl up`"));
  }
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      s.error_message());
}

template <typename Request, typename Response, typename Method>
absl::StatusOr<Response> Call(const std::string& address, Method method,
                              const Request& request) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + kDeadline);
  Response response;
  grpc::Status s = method(&ctx, request, &response);
  if (!s.ok()) return FromGrpc(s, address);
  return response;
}

}  // namespace

GatewayClient::GatewayClient(const std::string& address)
    : address_(address), stub_(v1::AssessmentGateway::NewStub(Dial(address))) {}

absl::StatusOr<v1::ForceAssessment> GatewayClient::Assess(
    const std::string& force, const cv1::Period& period) {
  v1::GetForceAssessmentRequest req;
  req.set_force(force);
  if (!period.start_date().empty()) *req.mutable_period() = period;
  return Call<v1::GetForceAssessmentRequest, v1::ForceAssessment>(
      address_,
      [&](auto* ctx, const auto& r, auto* out) {
        return stub_->GetForceAssessment(ctx, r, out);
      },
      req);
}

absl::StatusOr<v1::ForceComparison> GatewayClient::Compare(
    const std::string& metric, const cv1::Period& period) {
  v1::CompareForcesRequest req;
  req.set_metric(metric);
  if (!period.start_date().empty()) *req.mutable_period() = period;
  return Call<v1::CompareForcesRequest, v1::ForceComparison>(
      address_,
      [&](auto* ctx, const auto& r, auto* out) {
        return stub_->CompareForces(ctx, r, out);
      },
      req);
}

absl::StatusOr<v1::ListMetricsResponse> GatewayClient::Metrics() {
  return Call<v1::ListMetricsRequest, v1::ListMetricsResponse>(
      address_,
      [&](auto* ctx, const auto& r, auto* out) {
        return stub_->ListMetrics(ctx, r, out);
      },
      v1::ListMetricsRequest());
}

absl::StatusOr<cv1::Period> ParsePeriod(const std::string& text) {
  cv1::Period p;
  if (text.empty()) return p;
  const absl::Status bad = absl::InvalidArgumentError(absl::StrCat(
      "--period: '", text,
      "' is not START..END (ISO dates) or a financial year like 2021/22"));
  std::vector<std::string> fy = absl::StrSplit(text, '/');
  int year = 0, next = 0;
  if (fy.size() == 2 && fy[0].size() == 4 && fy[1].size() == 2 &&
      absl::SimpleAtoi(fy[0], &year) && absl::SimpleAtoi(fy[1], &next)) {
    if ((year + 1) % 100 != next) return bad;
    p.set_start_date(absl::StrCat(year, "-04-01"));
    p.set_end_date(absl::StrCat(year + 1, "-03-31"));
    return p;
  }
  std::vector<std::string> range = absl::StrSplit(text, "..");
  if (range.size() != 2) return bad;
  auto start = dates::ParseIsoDate(range[0]);
  auto end = dates::ParseIsoDate(range[1]);
  if (!start.ok() || !end.ok()) return bad;
  if (*end < *start) {
    return absl::InvalidArgumentError(
        absl::StrCat("--period: ", range[1], " is before ", range[0]));
  }
  p.set_start_date(range[0]);
  p.set_end_date(range[1]);
  return p;
}

std::string ToJson(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions opts;
  opts.add_whitespace = true;
  opts.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &out, opts);
  if (out.empty() || out.back() != '\n') out += "\n";
  return out;
}

}  // namespace peel::peelctl
