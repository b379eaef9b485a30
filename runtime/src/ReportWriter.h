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

/// Writes \p Text to \p Path with the commands' writer
/// (analyzer/common/AtomicFile.h): through a temporary file and a rename, or
/// in place for a device; false with the one-line problem in \p Problem.
bool writeFileAtomically(const std::string &Path, const std::string &Text,
                         std::string &Problem);
/// The same, without the problem.
bool writeFileAtomically(const std::string &Path, const std::string &Text);

/// TORCH_TIDY_REPORT's value with "%p" replaced by the process id.
std::string expandReportPath(const std::string &Pattern, long Pid);

} // namespace torch_tidy::probe

#endif // TORCH_TIDY_RUNTIME_REPORTWRITER_H
