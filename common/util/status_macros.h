#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// The one place for early-return helpers on absl::Status / StatusOr.
#define PEEL_CONCAT_INNER_(a, b) a##b
#define PEEL_CONCAT_(a, b) PEEL_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                    \
  do {                                           \
    ::absl::Status peel_status_ = (expr);        \
    if (!peel_status_.ok()) return peel_status_; \
  } while (0)

#define PEEL_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(*tmp)

#define ASSIGN_OR_RETURN(lhs, expr) \
  PEEL_ASSIGN_OR_RETURN_IMPL_(PEEL_CONCAT_(peel_statusor_, __LINE__), lhs, expr)
