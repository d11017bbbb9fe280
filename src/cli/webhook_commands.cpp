// keepout webhook add/list/remove: the URLs each change of the list is POSTed to, signed.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "http/client.hpp"
#include "store/changes.hpp"

namespace keepout::cli {

using nlohmann::json;

namespace {

struct WebhookArgs {
    std::string url, secret_file;
    long long id = 0;
};

std::unique_ptr<store::Store> open_writer(const Global& g) {
    auto s = store::Store::open(g.db);
    s->set_actor(g.actor);
    return s;
}

// The secret is read from a file (never a command-line argument, which other users of the machine
// can see); a final newline is not part of it.
std::string read_secret(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError("cannot read the secret file " + path);
    std::ostringstream s;
    s << in.rdbuf();
    std::string secret = s.str();
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    if (secret.size() < 16) throw UsageError("the webhook secret in " + path + " is shorter than 16 bytes");
    if (secret.size() > 4096) throw UsageError("the webhook secret in " + path + " is longer than 4096 bytes");
    return secret;
}

int cmd_webhook_add(const Global& g, const WebhookArgs& a) {
    const auto url = http::parse_url(a.url);
    if (!url)
        throw UsageError("a webhook URL is http:// or https://, a host, an optional port and path (no user, no "
                         "fragment, no spaces): '" + a.url + "'");
    const std::string secret = read_secret(a.secret_file);
    auto s = open_writer(g);
    const auto id = store::add_webhook(*s, a.url, secret);
    if (g.format == "json") {
        std::cout << json{{"id", id}, {"url", a.url}}.dump(2) << '\n';
        return 0;
    }
    std::cout << "webhook " << id << ": every change from now on is POSTed to " << a.url
              << " by a running keepout serve, signed with X-Keepout-Signature\n";
    return 0;
}

int cmd_webhook_list(const Global& g) {
    auto s = open_writer(g);
    const auto hooks = store::webhooks(*s);
    if (g.format == "json") {
        json a = json::array();
        for (const auto& h : hooks)
            a.push_back({{"id", h.id},
                         {"url", h.url},
                         {"created", h.created_at},
                         {"created_by", h.created_by},
                         {"removed", h.removed_at ? json(*h.removed_at) : json(nullptr)},
                         {"pending", h.pending},
                         {"delivered", h.done},
                         {"failed", h.failed},
                         {"last_error", h.last_error}});
        std::cout << json{{"webhooks", a}}.dump(2) << '\n';
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& h : hooks)
        rows.push_back({std::to_string(h.id), h.url, h.created_at, h.removed_at.value_or(""), std::to_string(h.pending),
                        std::to_string(h.done), std::to_string(h.failed), h.last_error});
    print_table(std::cout, {"id", "url", "created", "removed", "pending", "delivered", "failed", "last error"}, rows);
    return 0;
}

int cmd_webhook_remove(const Global& g, const WebhookArgs& a) {
    auto s = open_writer(g);
    store::remove_webhook(*s, a.id);
    std::cout << "removed webhook " << a.id << "; its pending deliveries are dropped\n";
    return 0;
}

}  // namespace

void add_webhook_commands(CLI::App& app, Global& g, int& rc) {
    static WebhookArgs a;
    const std::vector<std::string> text_formats{"table", "json"};
    auto* hook = app.add_subcommand("webhook", "URLs each change of the list is POSTed to, signed with HMAC-SHA256");
    hook->require_subcommand(1);
    auto* add = hook->add_subcommand("add", "POST every change from now on to URL (by keepout serve)");
    add->add_option("URL", a.url, "http:// or https:// URL")->required();
    add->add_option("--secret-file", a.secret_file, "file holding the shared secret (16 bytes at least)")->required();
    add->add_option("--format", g.format, "output: table or json")->check(CLI::IsMember(text_formats));
    add->callback([&] { rc = cmd_webhook_add(g, a); });
    auto* list = hook->add_subcommand("list", "every webhook with its deliveries pending, delivered and failed");
    list->add_option("--format", g.format, "output: table or json")->check(CLI::IsMember(text_formats));
    list->callback([&] { rc = cmd_webhook_list(g); });
    auto* remove = hook->add_subcommand("remove", "stop delivering to a webhook");
    remove->add_option("ID", a.id, "the webhook's id (webhook list)")->required()->check(CLI::PositiveNumber);
    remove->callback([&] { rc = cmd_webhook_remove(g, a); });
}

}  // namespace keepout::cli
