#pragma once
// Prometheus counters: requests by route and status, a latency histogram, the list version.
#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace keepout::http {

class Metrics {
public:
    void observe(const std::string& route, int status, double seconds);
    std::string prometheus(std::int64_t list_version, std::size_t open_connections) const;
    std::atomic<std::size_t> open_connections{0};

private:
    static constexpr std::array<double, 12> kBuckets{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                     0.01,   0.025,   0.05,   0.1,   0.5,    1.0};
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, int>, std::uint64_t> requests_;
    std::array<std::uint64_t, kBuckets.size() + 1> histogram_{};
    double latency_sum_ = 0;
    std::uint64_t latency_count_ = 0;
};

}  // namespace keepout::http
