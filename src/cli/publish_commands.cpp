// keepout key create, keepout publish, keepout verify: numbered, signed publications of the list,
// and the check of a copy that anyone can make offline.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/resources.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/resources.hpp"
#include "publish/errors.hpp"
#include "publish/publication.hpp"
#include "publish/signing.hpp"
#include "render/publication_documents.hpp"
#include "render/style.hpp"
#include "store/audit.hpp"
#include "store/mission.hpp"
#include "store/publications.hpp"

namespace keepout::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct KeyArgs {
    std::string out, public_out;
};
struct PublishArgs {
    std::string key, out, as_of, note, check_url, directive;
    std::vector<std::string> languages;
};
struct VerifyArgs {
    std::string file, signature, key;
};

std::string read_file(const std::string& path, std::string_view what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError("cannot read the " + std::string(what) + " " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const fs::path& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    out.close();
    if (!out) throw UsageError("cannot write " + path.string());
}

// The exit codes of sysexits.h where one fits, 3 for a check that fails (as audit verify).
int guarded(const std::function<int()>& body) {
    try {
        return body();
    } catch (const publish::SignatureInvalid& e) {
        std::cerr << "keepout: signature INVALID: " << e.what() << '\n';
        return 3;
    } catch (const publish::KeyFileExists& e) {
        std::cerr << "keepout: " << e.what() << '\n';
        return 73;  // EX_CANTCREAT
    } catch (const publish::PublicationUnreadable& e) {
        std::cerr << "keepout: " << e.what() << '\n';
        return 65;  // EX_DATAERR
    } catch (const publish::KeyError& e) {
        std::cerr << "keepout: " << e.what() << '\n';
        return 65;
    } catch (const publish::ListChanged& e) {
        std::cerr << "keepout: " << e.what() << '\n';
        return 75;  // EX_TEMPFAIL
    } catch (const publish::PublishError& e) {
        std::cerr << "keepout: " << e.what() << '\n';
        return 1;
    }
}

int cmd_key_create(const Global& g, const KeyArgs& a) {
    return guarded([&] {
        // Both paths are checked before anything is written, the database opened before a key exists.
        for (const std::string& p : {a.out, a.public_out})
            if (fs::exists(p)) throw publish::KeyFileExists(p + " exists: a key file is never overwritten");
        if (fs::path(a.out) == fs::path(a.public_out)) throw UsageError("--out and --public-out name the same file");
        auto s = open_store(g);
        const publish::SigningKey key = publish::SigningKey::generate();
        const publish::VerifyKey pub = key.public_key();
        publish::write_private_key_file(a.out, key);
        store::add_publication_key(*s, {pub.fingerprint(), pub.pem(), store::utc_timestamp(), g.actor});
        write_file(a.public_out, pub.pem());
        std::cout << "publication key " << pub.fingerprint() << " created\n"
                  << "  private key " << a.out << " (mode 0600, not in the database: keep it offline)\n"
                  << "  public key  " << a.public_out << " (stored in " << g.db << ")\n";
        return 0;
    });
}

// publish --directive REF: the directive's document (its places and lifts) as JSON and a PDF in
// each language, not numbered and not signed (publish/publication.hpp directive_document).
int publish_directive(const Global& g, const PublishArgs& a, store::Store& s, const model::MissionProfile& m) {
    if (!a.key.empty() || !a.as_of.empty() || !a.note.empty() || !a.check_url.empty())
        throw UsageError("--directive makes the document of one directive: --key, --as-of, --note and --check-url go "
                         "with a publication of the list");
    const std::string document = publish::directive_document(s, a.directive);
    const fs::path dir(a.out);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (!fs::is_directory(dir)) throw UsageError("cannot make the folder " + a.out);
    const std::string stem = publish::directive_file_stem(a.directive);
    std::vector<std::string> files{(dir / (stem + ".json")).string()};
    write_file(files.front(), document);
    for (const std::string& lang : a.languages.empty() ? m.languages : a.languages) {
        const fs::path pdf = dir / (stem + "." + lang + ".pdf");
        write_file(pdf, render::render_directive_document(document, lang));
        files.push_back(pdf.string());
    }
    const json doc = json::parse(document);
    if (g.format == "json") {
        std::cout << json{{"directive", a.directive},
                          {"status", doc["directive"]["status"]},
                          {"places", doc["places"].size()},
                          {"lifts", doc["lifts"].size()},
                          {"files", files}}
                         .dump(2)
                  << '\n';
        return 0;
    }
    std::cout << "directive " << a.directive << " (" << doc["directive"]["status"].get<std::string>() << "): "
              << doc["places"].size() << " places, " << doc["lifts"].size() << " lifts\n";
    for (const std::string& f : files) std::cout << "wrote " << f << '\n';
    return 0;
}

int cmd_publish(const Global& g, const PublishArgs& a) {
    return guarded([&] {
        install_document_texts();
        auto s = open_store(g);
        const auto m = store::mission_settings(*s);
        if (!m) throw UsageError("no mission profile in " + g.db + " yet: keepout mission import mission.json");
        for (const std::string& l : a.languages)
            if (std::find(m->languages.begin(), m->languages.end(), l) == m->languages.end()) {
                std::string known;
                for (const auto& k : m->languages) known += (known.empty() ? "" : ", ") + k;
                throw UsageError("--lang " + l + " is not a language of " + m->name + " (" + known + ")");
            }
        if (!a.directive.empty()) return publish_directive(g, a, *s, *m);
        if (a.key.empty()) throw UsageError("--key FILE is required: the private key that signs the publication");
        if (!a.check_url.empty() && ((a.check_url.rfind("https://", 0) != 0 && a.check_url.rfind("http://", 0) != 0) ||
                                     a.check_url.size() > 500))
            throw UsageError("--check-url takes an http:// or https:// address of at most 500 characters");
        const publish::SigningKey key = publish::SigningKey::from_pem(publish::read_key_file(a.key), a.key);
        const publish::PublishOptions o{date_or_today(*s, a.as_of), a.note};
        const fs::path dir(a.out);
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (!fs::is_directory(dir)) throw UsageError("cannot make the folder " + a.out);
        // The next number's files must not be there already (another database's publication).
        const std::int64_t next = store::next_publication_number(*s);
        for (const std::string& name : {publish::document_file_name(next), publish::signature_file_name(next)})
            if (fs::exists(dir / name))
                throw UsageError((dir / name).string() + " exists; publish into another folder");

        const publish::Published p = publish::publish(*s, key, o);
        const fs::path doc = dir / publish::document_file_name(p.summary.number);
        const fs::path sig = dir / publish::signature_file_name(p.summary.number);
        write_file(doc, p.document);
        write_file(sig, p.signature);
        // The documents are rendered from the signed bytes, in each language asked (default all).
        std::vector<std::string> files{doc.string(), sig.string()};
        const std::string n = std::to_string(p.summary.number);
        // The list's map: the mission's own, from its area and reference layers.
        const auto profile = store::mission(*s);
        const render::Style map = render::default_style(profile ? &*profile : nullptr);
        for (const std::string& lang : a.languages.empty() ? m->languages : a.languages) {
            const fs::path list = dir / ("publication-" + n + "." + lang + ".pdf");
            write_file(list, render::render_publication_list(p.document, lang, &map));
            files.push_back(list.string());
            if (a.check_url.empty()) continue;
            const fs::path card = dir / ("card-" + n + "." + lang + ".pdf");
            write_file(card, render::render_pocket_card(p.document, lang, a.check_url));
            files.push_back(card.string());
        }

        const auto& sum = p.summary;
        if (g.format == "json") {
            std::cout << json{{"number", sum.number},
                              {"as_of", sum.as_of},
                              {"time_zone", sum.time_zone},
                              {"list_version", sum.list_version},
                              {"venue_count", sum.venue_count},
                              {"sha256", sum.sha256},
                              {"key_fingerprint", sum.key_fingerprint},
                              {"changes",
                               {{"since", p.changes.since ? json(p.changes.since) : json(nullptr)},
                                {"added", p.changes.added},
                                {"lifted", p.changes.lifted},
                                {"changed", p.changes.changed}}},
                              {"files", files}}
                             .dump(2)
                      << '\n';
            return 0;
        }
        std::cout << "publication " << sum.number << " of " << m->name << ": the list as of " << sum.as_of << " ("
                  << sum.time_zone << "), list version " << sum.list_version << ", " << sum.venue_count
                  << " venues\n";
        if (p.changes.since)
            std::cout << "changes since publication " << p.changes.since << ": " << p.changes.added.size()
                      << " added, " << p.changes.lifted.size() << " lifted, " << p.changes.changed.size()
                      << " changed\n";
        else
            std::cout << "the first publication\n";
        std::cout << "signed with key " << sum.key_fingerprint << "; recorded in the audit log\n"
                  << "wrote " << doc.string() << " (" << sum.bytes << " bytes, sha256 " << sum.sha256 << ")\n";
        for (std::size_t i = 1; i < files.size(); ++i) std::cout << "wrote " << files[i] << '\n';
        if (a.check_url.empty()) std::cout << "no pocket cards: --check-url names the page their QR code opens\n";
        return 0;
    });
}

int cmd_verify(const Global& g, const VerifyArgs& a) {
    return guarded([&] {
        const std::string document = read_file(a.file, "publication");
        const std::string signature = read_file(a.signature.empty() ? a.file + ".sig" : a.signature, "signature");
        const publish::PublicationFacts claimed = publish::read_facts(document);
        std::string key_pem, key_source;
        if (!a.key.empty()) {
            key_pem = publish::read_key_file(a.key);
            key_source = a.key;
        } else {
            if (!fs::exists(g.db))
                throw UsageError("no --key PUB.pem given, and no database " + g.db + " to take the key from");
            auto s = open_store(g);
            const auto k = store::publication_key(*s, claimed.key_fingerprint);
            if (!k)
                throw UsageError("the publication names the key " + claimed.key_fingerprint + ", which " + g.db +
                                 " does not hold: give the mission's public key with --key PUB.pem");
            key_pem = k->public_key_pem;
            key_source = "the key stored in " + g.db;
        }
        const publish::VerifyKey key = publish::VerifyKey::from_pem(key_pem, key_source);
        const publish::PublicationFacts f = publish::verify(document, signature, key);
        std::cout << a.file << ": signature valid (Ed25519, key " << key.fingerprint() << ")\n"
                  << "publication " << f.number << " of " << f.mission << ": the list as of " << f.as_of << " ("
                  << f.time_zone << "), list version " << f.list_version << ", " << f.venue_count
                  << " venues, published " << f.created_at << '\n';
        return 0;
    });
}

}  // namespace

int cmd_audit_verify_against(const Global& g, const std::string& file) {
    return guarded([&] {
        const std::string document = read_file(file, "publication");
        auto s = open_store(g);
        const publish::AuditAgainst r = publish::audit_against(*s, document);
        if (!r.ok) {
            std::cerr << "audit log does NOT hold publication " << r.facts.number << " as it was published: "
                      << r.problem << '\n';
            return 3;
        }
        std::cout << "audit log intact: " << r.chain_rows << " rows, hash chain verified\n"
                  << "it holds publication " << r.facts.number << ": row " << r.facts.audit_rows
                  << " is the head it recorded (" << (r.facts.audit_head.empty() ? "-" : r.facts.audit_head)
                  << "), row " << r.publication_row << " records this file's SHA-256\n";
        return 0;
    });
}

void add_publish_commands(CLI::App& app, Global& g, int& rc) {
    static KeyArgs ka;
    static PublishArgs pa;
    static VerifyArgs va;

    auto* key = app.add_subcommand("key", "the Ed25519 keys that sign publications");
    key->require_subcommand(1);
    auto* kcreate = key->add_subcommand(
        "create", "make a signing key: the private key into FILE only, the public key into PUB.pem and the database");
    kcreate->add_option("--out", ka.out, "the private key file to write (PEM, mode 0600; never overwritten)")
        ->required();
    kcreate->add_option("--public-out", ka.public_out, "the public key file to write (PEM), to hand out")->required();
    kcreate->callback([&] { rc = cmd_key_create(g, ka); });

    auto* pub = app.add_subcommand(
        "publish", "make the next numbered, signed publication of the list: publication-N.json and its .sig");
    pub->add_option("--key", pa.key, "the private key file (keepout key create); required unless --directive");
    pub->add_option("--out", pa.out, "the folder to write into (made when missing)")->required();
    pub->add_option("--as-of", pa.as_of, "the list as of this date, the mission's local date (default today)");
    pub->add_option("--lang", pa.languages,
                    "a language of the mission for the documents (repeat for several; default all)");
    pub->add_option("--note", pa.note, "a note carried in the publication (why it was made)");
    pub->add_option("--check-url", pa.check_url,
                    "the mission's check page (https://…/): the pocket cards' QR code opens it with the "
                    "publication number; without it no cards are made");
    pub->add_option("--directive", pa.directive,
                    "instead of the list: the document of this directive (its places and lifts) in each language, "
                    "directive-REF.json and directive-REF.<lang>.pdf, not signed");
    pub->add_option("--format", g.format, "what is printed: table (a summary) or json")
        ->check(CLI::IsMember({"table", "json"}));
    pub->callback([&] { rc = cmd_publish(g, pa); });

    auto* ver = app.add_subcommand("verify", "check the signature of a copy of a publication (offline)");
    ver->add_option("FILE", va.file, "publication-N.json")->required();
    ver->add_option("--signature", va.signature, "the signature file (default FILE.sig)");
    ver->add_option("--key", va.key,
                    "the mission's public key, PEM (default: the key the database holds for the publication)");
    ver->callback([&] { rc = cmd_verify(g, va); });
}

}  // namespace keepout::cli
