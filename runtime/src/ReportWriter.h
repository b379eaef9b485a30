// Writes the runtime report (docs/formats.md) atomically: a temporary file
// in the same directory, then a rename, so a crash or an OOM kill leaves the
// previous complete report.
#ifndef TORCH_TIDY_RUNTIME_REPORTWRITER_H
#define TORCH_TIDY_RUNTIME_REPORTWRITER_H

#include "ProbeState.h"

#include <string>

namespace torch_tidy::probe {

/// The report's JSON text.
std::string renderReport(const ProbeSnapshot &Snapshot, bool Complete);

/// Writes \p Text to \p Path through a temporary file and rename.
bool writeFileAtomically(const std::string &Path, const std::string &Text);

/// TORCH_TIDY_REPORT's value with "%p" replaced by the process id.
std::string expandReportPath(const std::string &Pattern, long Pid);

} // namespace torch_tidy::probe

#endif // TORCH_TIDY_RUNTIME_REPORTWRITER_H
