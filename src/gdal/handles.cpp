#include "gdal/handles.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>

#include <vector>

namespace keepout::gdal {

namespace {
thread_local std::string g_last_error;
thread_local bool g_failed = false;
thread_local std::vector<std::string> g_messages;  // the first few, so a long read cannot grow it

void CPL_STDCALL collect_error(CPLErr level, CPLErrorNum, const char* message) {
    const std::string text = message ? message : "";
    if (level >= CE_Failure) {
        g_last_error = text;
        g_failed = true;
    }
    if (level >= CE_Warning && g_messages.size() < 8) g_messages.push_back(text);
}
}  // namespace

bool failed() { return g_failed; }

std::string messages() {
    std::string out;
    for (auto& m : g_messages) out += (out.empty() ? "" : "; ") + m;
    return out;
}

ThreadConfig::ThreadConfig(const char* key, const std::string& value) : key_(key) {
    if (const char* old = CPLGetThreadLocalConfigOption(key, nullptr)) previous_ = old;
    CPLSetThreadLocalConfigOption(key, value.c_str());
}
ThreadConfig::~ThreadConfig() { CPLSetThreadLocalConfigOption(key_, previous_ ? previous_->c_str() : nullptr); }

void ensure_registered() {
    static const bool once = [] {
        GDALAllRegister();
        CPLSetErrorHandler(collect_error);
        return true;
    }();
    (void)once;
}

std::string last_error() { return g_last_error.empty() ? "unknown GDAL error" : g_last_error; }
void clear_error() {
    g_last_error.clear();
    g_failed = false;
    g_messages.clear();
}

Srs wgs84() {
    Srs srs(OSRNewSpatialReference(nullptr));
    OSRImportFromEPSG(srs.get(), 4326);
    OSRSetAxisMappingStrategy(srs.get(), OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

}  // namespace keepout::gdal
