#include "http/metrics.hpp"

#include <cstdio>

namespace keepout::http {

void Metrics::observe(const std::string& route, int status, double seconds) {
    std::size_t bucket = 0;
    while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
    std::lock_guard lock(mutex_);
    ++requests_[{route, status}];
    ++histogram_[bucket];
    latency_sum_ += seconds;
    ++latency_count_;
}

std::string Metrics::prometheus(std::int64_t list_version, std::size_t open) const {
    std::string out;
    char line[256];
    out += "# HELP keepout_http_requests_total HTTP requests by route template and status.\n";
    out += "# TYPE keepout_http_requests_total counter\n";
    std::lock_guard lock(mutex_);
    for (auto& [key, n] : requests_) {
        std::snprintf(line, sizeof line, "keepout_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                      key.first.c_str(), key.second, static_cast<unsigned long long>(n));
        out += line;
    }
    out += "# HELP keepout_http_request_duration_seconds Time from a parsed request to its response.\n";
    out += "# TYPE keepout_http_request_duration_seconds histogram\n";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += histogram_[i];
        std::snprintf(line, sizeof line, "keepout_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", kBuckets[i],
                      static_cast<unsigned long long>(cumulative));
        out += line;
    }
    cumulative += histogram_[kBuckets.size()];
    std::snprintf(line, sizeof line,
                  "keepout_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
                  "keepout_http_request_duration_seconds_sum %.6f\n"
                  "keepout_http_request_duration_seconds_count %llu\n",
                  static_cast<unsigned long long>(cumulative), latency_sum_,
                  static_cast<unsigned long long>(latency_count_));
    out += line;
    std::snprintf(line, sizeof line,
                  "# HELP keepout_list_version Version of the Off-Limits list being served.\n"
                  "# TYPE keepout_list_version gauge\nkeepout_list_version %lld\n"
                  "# HELP keepout_open_connections Connections open now.\n"
                  "# TYPE keepout_open_connections gauge\nkeepout_open_connections %zu\n",
                  static_cast<long long>(list_version), open);
    out += line;
    return out;
}

}  // namespace keepout::http
