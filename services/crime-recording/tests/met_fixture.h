#pragma once

#include <vector>

#include "peel/crimerecording/v1/crime_recording.pb.h"

// Record-level audited incidents for the Metropolitan Police Service's
// 2021/22 crime data integrity audit, laid out so that the crimes they
// yield match the published counts (464 of 506 all crime, 203 of 235
// violence, 119 of 125 sexual offences). Incident ids are opaque tokens.
namespace peel::crimerecording::testing {

namespace v1 = ::peel::crimerecording::v1;

v1::Audit MetAudit();
std::vector<v1::AuditedIncident> MetIncidents();

// Splits incidents into batches of `size`, numbered from 1.
std::vector<v1::AuditedIncidentBatch> Batches(
    const std::vector<v1::AuditedIncident>& incidents, int size);

}  // namespace peel::crimerecording::testing
