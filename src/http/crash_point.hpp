// A fault for the crash tests (tests/api/test_crash.py, docs/reliability.md): with
// EVENTLY_CRASH_AFTER_COMMIT=<point> set, the process dies (as by kill -9) at that point, after
// the change committed and before its answer leaves. Unset, a crash point costs one load.
#pragma once

#include <string_view>

namespace evently::http {

// Points: "hold", "confirm", "cancel".
void CrashPoint(std::string_view point);

}  // namespace evently::http
