#pragma once
// The change feed and the webhooks' delivery queue. Every bump of the list version and every
// publication is a row of `changes`, written by trigger in the writer's own transaction (schema
// migration 7), numbered without reuse: that number is the event id of GET /api/v1/changes and of
// each webhook delivery. What changed is read back from the audit rows of the same write.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/types.hpp"
#include "store/repository.hpp"

namespace keepout::store {

// One change as the feed sends it: `json` is the whole event document (id, at, kind,
// list_version, publication, directives, venues, imports).
struct Change {
    std::int64_t seq = 0;
    std::string json;
};

// The changes after `after` (0: from the first), oldest first, at most `limit`.
std::vector<Change> changes_after(Store&, std::int64_t after, std::size_t limit);
// The last change's number, 0 before any.
std::int64_t last_change(Store&);

// --- webhooks
struct Webhook {
    model::Id id = 0;
    std::string url;
    std::string created_at, created_by;
    std::optional<std::string> removed_at;
    std::int64_t pending = 0, done = 0, failed = 0;  // deliveries by state
    std::string last_error;                          // of the latest failed attempt, if any
};

// Adds a webhook (audited as webhook.create, without the secret); from then on every change is
// queued for it. The URL must start with http:// or https:// (the HTTP layer checks the rest).
model::Id add_webhook(Store&, const std::string& url, const std::string& secret);
// Every webhook, removed ones too, by id.
std::vector<Webhook> webhooks(Store&);
// Stops deliveries to a webhook: its pending ones are marked failed. NotFound when unknown,
// RuleError when already removed.
void remove_webhook(Store&, model::Id id);

// A delivery due now: the change, and where to send it.
struct Delivery {
    model::Id webhook_id = 0;
    std::int64_t change_seq = 0;
    std::string url, secret;
    int attempts = 0;
};
// Pending deliveries whose next attempt is due at `now_ms` (Unix milliseconds), at most `limit`;
// per webhook only the oldest pending change, so a webhook receives its changes in order.
std::vector<Delivery> due_deliveries(Store&, std::int64_t now_ms, std::size_t limit);
// A 2xx: the delivery is done.
void delivery_done(Store&, model::Id webhook_id, std::int64_t change_seq, int status);
// Anything else: another attempt at `next_attempt_ms`, or none when `give_up` (state failed).
void delivery_failed(Store&, model::Id webhook_id, std::int64_t change_seq, std::optional<int> status,
                     const std::string& error, std::int64_t next_attempt_ms, bool give_up);

}  // namespace keepout::store
