// keepout serve: the HTTP service on the database.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/resources.hpp"
#include "http/client.hpp"
#include "http/server.hpp"
#include "publish/errors.hpp"
#include "publish/signing.hpp"
#include "store/replica.hpp"
#include "source/validate.hpp"

namespace keepout::cli {

namespace {
struct ServeArgs {
    std::string listen = "127.0.0.1:8080";
    int threads = 2;
    std::string access_log = "-";
    std::string web_root = default_web_root();
    std::string style;  // empty: the mission's map from its profile
    std::size_t max_connections = 0;  // 0: what the descriptor limit allows, 10000 at most
    int read_timeout = 30;
    double write_timeout = 5;
    std::string tls_cert, tls_key;
    std::vector<std::string> cors_origins;
    std::string publication_key, check_url;
    std::size_t max_streams = 100;
    double heartbeat = 15;
    std::string replica_of, replica_key;
    double replica_poll = 3;
};

int cmd_serve(const Global& g, const ServeArgs& a) {
    http::ServerOptions o;
    const auto colon = a.listen.rfind(':');
    if (colon == std::string::npos) throw UsageError("--listen wants ADDRESS:PORT, e.g. 127.0.0.1:8080");
    o.address = a.listen.substr(0, colon);
    if (o.address.size() > 2 && o.address.front() == '[' && o.address.back() == ']')
        o.address = o.address.substr(1, o.address.size() - 2);
    auto port = source::parse_integer(a.listen.substr(colon + 1));
    if (!port || *port < 0 || *port > 65535) throw UsageError("invalid port in --listen '" + a.listen + "'");
    o.port = static_cast<unsigned short>(*port);
    o.threads = a.threads;
    o.access_log = a.access_log == "none" ? "" : a.access_log;
    o.max_connections = a.max_connections;
    o.read_timeout = std::chrono::seconds(a.read_timeout);
    if (a.tls_cert.empty() != a.tls_key.empty()) throw UsageError("--tls-cert and --tls-key go together");
    o.tls_cert = a.tls_cert;
    o.tls_key = a.tls_key;
    for (const auto& origin : a.cors_origins)
        if (!http::valid_cors_origin(origin))
            throw UsageError("--cors-origin wants scheme://host[:port] (no path), or *: '" + origin + "'");
    o.cors_origins = a.cors_origins;
    o.max_streams = a.max_streams;
    o.stream_heartbeat = std::chrono::milliseconds(static_cast<long long>(a.heartbeat * 1000));

    // The server opens the database itself; names fold with the mission's languages, and refused
    // positions are answered with examples in its area.
    install_mission_resources(g);
    // The fixed texts of the publication documents served as PDF, in the mission's languages.
    install_document_texts();
    http::ServiceOptions so;
    if (!a.replica_of.empty()) {
        // A replica keeps its own database, made on first start, and never overwrites a mission's.
        const auto hq = http::parse_url(a.replica_of);
        if (!hq || hq->target != "/")
            throw UsageError("--replica-of wants the HQ server's base URL, http(s)://host[:port]: '" + a.replica_of + "'");
        auto s = std::filesystem::exists(g.db) ? store::Store::open(g.db) : store::Store::init(g.db);
        if (!store::replica_database(*s))
            throw UsageError(g.db + " holds a list of its own, not a replica's copy: give the replica a database of its "
                             "own (--db)");
        so.replica_of = a.replica_of;
        if (!a.replica_key.empty()) {
            so.replica_key_pem = publish::read_key_file(a.replica_key);
            publish::VerifyKey::from_pem(so.replica_key_pem, a.replica_key);  // an Ed25519 public key, or a clear error now
        }
        so.replica_poll = std::chrono::milliseconds(static_cast<long long>(a.replica_poll * 1000));
    } else if (!a.replica_key.empty()) {
        throw UsageError("--key goes with --replica-of");
    }
    so.db_path = g.db;
    so.web_root = a.web_root;
    so.style_path = a.style;
    so.styles_dir = a.style.empty() ? styles_dir() : std::filesystem::path(a.style).parent_path().string();
    if (!a.publication_key.empty()) {
        // Read once now so that a key that cannot be used stops the server at the start, not at
        // the first publication.
        try {
            (void)publish::SigningKey::from_pem(publish::read_key_file(a.publication_key), a.publication_key);
        } catch (const publish::KeyError& e) {
            throw UsageError(std::string("--publication-key: ") + e.what());
        }
    }
    if (!a.check_url.empty() && ((a.check_url.rfind("https://", 0) != 0 && a.check_url.rfind("http://", 0) != 0) ||
                                 a.check_url.size() > 500))
        throw UsageError("--check-url takes an http:// or https:// address of at most 500 characters");
    so.publication_key_path = a.publication_key;
    so.check_url = a.check_url;
    so.write_timeout = std::chrono::milliseconds(static_cast<long long>(a.write_timeout * 1000));
    http::Service service(so);
    http::serve(service, o, [&](unsigned short bound) {
        std::cout << "keepout serving " << g.db << " on " << (o.tls_cert.empty() ? "http" : "https") << "://"
                  << o.address << ":" << bound << "/ (list version " << service.snapshot()->list_version() << ")"
                  << std::endl;
    });
    std::cout << "keepout stopped cleanly" << std::endl;
    return 0;
}
}  // namespace

void add_serve_commands(CLI::App& app, Global& g, int& rc) {
    static ServeArgs a;
    auto* serve = app.add_subcommand("serve", "serve the REST API, OGC API – Features, maps and the web page");
    serve->add_option("--listen", a.listen, "ADDRESS:PORT (default 127.0.0.1:8080; port 0 picks a free one)");
    serve->add_option("--threads", a.threads, "worker threads (default 2)")->check(CLI::Range(1, 256));
    serve->add_option("--access-log", a.access_log, "file, - for stderr (default) or none");
    serve->add_option("--web-root", a.web_root, "folder of the web page's files (default: share/keepout/web of the installation)");
    serve->add_option("--style", a.style, "style file for /map.* and /tiles (default: the mission's map from its profile); "
                                   "style=NAME over HTTP takes NAME.json from its folder, else from share/keepout/styles");
    serve->add_option("--max-connections", a.max_connections,
                      "open connections at most (default 10000, lowered to what ulimit -n allows)")
        ->check(CLI::Range(std::size_t(1), std::size_t(1) << 24));
    serve->add_option("--read-timeout", a.read_timeout, "seconds to wait for a request (default 30)")
        ->check(CLI::Range(1, 3600));
    serve->add_option("--write-timeout", a.write_timeout,
                      "seconds a write waits for the database before it is answered 503 busy (default 5)")
        ->check(CLI::Range(0.0, 600.0));
    serve->add_option("--tls-cert", a.tls_cert, "serve HTTPS with this PEM certificate chain (with --tls-key)");
    serve->add_option("--tls-key", a.tls_key, "the certificate's PEM private key");
    serve->add_option("--cors-origin", a.cors_origins,
                      "let pages from this origin (https://host[:port], or *) call the API from a browser; repeatable "
                      "(default: none, no CORS headers)");
    serve->add_option("--publication-key", a.publication_key,
                      "private key (keepout key create) with which approvers publish over HTTP: POST "
                      "/api/v1/publications (default: none, publishing only from the command line)");
    serve->add_option("--check-url", a.check_url,
                      "the check page the pocket cards' QR code opens (default: this server, as the browser reached it)");
    serve->add_option("--max-streams", a.max_streams,
                      "change feed streams (/api/v1/changes) open at once; beyond it 503 (default 100)")
        ->check(CLI::Range(std::size_t(1), std::size_t(1) << 20));
    serve->add_option("--heartbeat", a.heartbeat, "seconds between the change feed's heartbeat comments (default 15)")
        ->check(CLI::Range(0.1, 3600.0));
    serve->add_option("--replica-of", a.replica_of,
                      "serve a read-only copy of this HQ server (http(s)://host[:port]) from its signed publications, "
                      "in the database of --db (made when missing)");
    serve->add_option("--key", a.replica_key,
                      "with --replica-of: the mission's public key (PEM) every publication must verify with "
                      "(default: the HQ's, pinned on first use)");
    serve->add_option("--replica-poll", a.replica_poll,
                      "with --replica-of: seconds between looks at the HQ besides its change feed (default 3)")
        ->check(CLI::Range(0.1, 3600.0));
    serve->callback([&] { rc = cmd_serve(g, a); });
}

}  // namespace keepout::cli
