#include "cli/commands.hpp"

#include <algorithm>
#include <fstream>
#include <cctype>
#include <cmath>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "analysis/snapshot.hpp"
#include "cli/args.hpp"
#include "model/time_zone.hpp"
#include "cli/import_report.hpp"
#include "encode/venues.hpp"
#include "cli/output.hpp"
#include "cli/resources.hpp"
#include "cli/venue_lookup.hpp"
#include "encode/export.hpp"
#include "encode/field.hpp"
#include "source/geojson.hpp"
#include "source/import.hpp"
#include "source/validate.hpp"
#include "text/csv.hpp"
#include "model/rules.hpp"
#include "store/repository.hpp"
#include "store/reviews.hpp"
#include "store/operations.hpp"
#include "store/schema.hpp"
#include "store/tokens.hpp"

namespace keepout::cli {

using namespace keepout::model;
using nlohmann::json;

namespace {

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

std::string reasons_text(const std::vector<Reason>& rs) {
    std::vector<std::string> v;
    for (Reason r : rs) v.emplace_back(to_string(r));
    return join(v, ",");
}


json duplicates_json(const std::vector<store::DuplicateCandidate>& like) {
    json out = json::array();
    for (auto& c : like) {
        json x{{"name", c.name}, {"matched", c.matched}, {"like", c.like}, {"distance_m", std::round(c.distance_m * 10) / 10}};
        if (c.id) x["id"] = c.id;
        if (c.row) x["row"] = c.row;
        if (!c.external_id.empty()) x["external_id"] = c.external_id;
        out.push_back(std::move(x));
    }
    return out;
}

}  // namespace

int cmd_init(const Global& g) {
    auto s = store::Store::init(g.db);
    std::cout << "keepout database " << g.db << " is at schema version " << store::latest_schema_version()
              << " (list version " << s->list_version() << ")\n";
    return 0;
}

int cmd_import(const Global& g, const ImportArgs& a) {
    // The report file is opened first: a path that cannot be written stops the import before it starts.
    std::ofstream report;
    if (!a.report.empty()) {
        report.open(a.report, std::ios::binary | std::ios::trunc);
        if (!report) throw UsageError("cannot write the row report to " + a.report);
    }
    auto s = open_store(g);
    store::ImportReport r;
    if (a.what == "directives") {
        r = source::import_directives(*s, a.file);
    } else {
        source::ImportOptions o;
        o.layer = a.layer;
        o.directive_ref = a.directive;
        o.reasons = reason_args(a.reasons, Action::place);
        o.skip_invalid = a.skip_invalid;
        o.repair = a.repair;
        o.assume_crs = a.assume_crs;
        o.keep_accepted_rows = !a.report.empty();
        o.duplicate_ok = a.duplicate_ok;
        if (!a.reasons.empty() && a.directive.empty()) throw UsageError("--reason needs --directive");
        if (a.what == "venues") r = source::import_venues(*s, a.file, o);
        else if (a.what == "sites") r = source::import_sites(*s, a.file, o);
        else r = source::import_sectors(*s, a.file, o);
    }
    if (report.is_open()) {
        write_row_report(report, r);
        report.close();
        if (!report) throw std::runtime_error("cannot write the row report to " + a.report);
    }
    if (g.format == "json") {
        json errors = json::array();
        std::map<std::int64_t, const std::vector<store::DuplicateCandidate>*> like;
        for (auto& d : r.duplicates) like[d.row] = &d.like;
        for (auto& e : r.errors) {
            json x{{"row", e.row}, {"field", e.field}, {"reason", e.reason}, {"problem", store::to_string(e.problem)}};
            if (auto it = like.find(e.row); it != like.end()) x["duplicate_of"] = duplicates_json(*it->second);
            errors.push_back(std::move(x));
        }
        json problems = json::array();
        for (auto& p : group_problems(r))
            problems.push_back({{"problem", store::to_string(p.problem)}, {"field", p.field}, {"rows", p.rows.size()},
                                {"first_row", p.rows.front()->row}});
        std::cout << json{{"source", r.source}, {"kind", a.what}, {"rows", r.rows_read}, {"written", r.written},
                          {"committed", r.committed}, {"list_version", r.list_version}, {"errors", errors},
                          {"problems", problems}}
                         .dump(2)
                  << '\n';
    } else if (r.committed) {
        std::cout << "imported " << r.written << " " << a.what << " from " << r.source << " (list version "
                  << r.list_version << ")\n";
    }
    print_row_problems(std::cerr, r, a.report);
    if (!r.duplicates.empty()) {
        std::vector<std::string> rows;
        for (auto& d : r.duplicates)
            if (rows.size() < 20) rows.push_back(std::to_string(d.row));
        if (r.duplicates.size() > rows.size()) rows.push_back("… " + std::to_string(r.duplicates.size() - rows.size()) + " more");
        std::cerr << "keepout: " << r.duplicates.size() << (r.duplicates.size() == 1 ? " row looks" : " rows look")
                  << " like a venue within 25 m with a similar name (" << (r.duplicates.size() == 1 ? "row " : "rows ")
                  << join(rows, ", ")
                  << "); if each is another venue, import again with --duplicate-ok\n";
    }
    if (!r.committed) {
        std::cerr << "keepout: " << r.errors.size() << " of " << r.rows_read << " rows rejected; nothing was written"
                  << " (fix them, or use --skip-invalid to write the good rows)\n";
        return 1;
    }
    if (!r.errors.empty()) std::cerr << "keepout: skipped " << r.errors.size() << " invalid rows\n";
    return 0;
}

int cmd_directive_create(const Global& g, const DirectiveArgs& a) {
    auto s = open_store(g);
    store::NewDirective n;
    n.ref = a.ref;
    n.title = a.title;
    n.authority = a.authority;
    n.signed_on = date_arg(a.signed_on, "--signed");
    n.effective_on = date_arg(a.effective_on, "--effective");
    n.emergency = a.emergency;
    if (!a.review_on.empty()) n.review_on = date_arg(a.review_on, "--review");
    if (n.emergency && !n.review_on) throw UsageError("an emergency directive needs --review DATE");
    auto d = store::create_directive(*s, n);
    std::cout << "drafted " << d.ref << " (effective " << d.effective_on.iso() << ")\n";
    return 0;
}

int cmd_directive_listing(const Global& g, const DirectiveArgs& a, bool place) {
    auto s = open_store(g);
    store::ListingRequest r;
    r.directive_ref = a.ref;
    r.venues = a.venues;
    r.action = place ? Action::place : Action::lift;
    r.reasons = reason_args(a.reasons, place ? Action::place : Action::lift);
    if (!a.from.empty()) r.from = date_arg(a.from, "--from");
    if (!a.until.empty()) r.until = date_arg(a.until, "--until");
    for (auto& key : a.venues) require_exact_venue(*s, key);
    for (auto& added : store::add_listings(*s, r))
        std::cout << (place ? "place " : "lift ") << added.venue.name << " ["
                  << (added.venue.external_id.empty() ? std::to_string(added.venue.id) : added.venue.external_id)
                  << "] in " << a.ref << '\n';
    return 0;
}

int cmd_directive_submit(const Global& g, const DirectiveArgs& a) {
    auto s = open_store(g);
    auto d = store::submit_directive(*s, a.ref);
    std::cout << "submitted " << d.ref << " for approval with " << s->listings_of(d.id).size()
              << " listing(s); an approver other than its drafter and the people who added listings issues it\n";
    return 0;
}

int cmd_directive_withdraw(const Global& g, const DirectiveArgs& a) {
    auto s = open_store(g);
    auto d = store::withdraw_directive(*s, a.ref);
    std::cout << "withdrew " << d.ref << ": it is a draft again\n";
    return 0;
}

int cmd_directive_issue(const Global& g, const DirectiveArgs& a) {
    if (!a.override_reason.empty() && !a.emergency_override)
        throw UsageError("--reason goes with --emergency-override");
    if (a.emergency_override && a.override_reason.find_first_not_of(" \t") == std::string::npos)
        throw UsageError("--emergency-override needs --reason TEXT: why the four-eyes rule is set aside");
    auto s = open_store(g);
    store::IssueOptions o{a.emergency_override, a.override_reason};
    auto d = store::issue_directive(*s, a.ref, o);
    std::cout << "issued " << d.ref << ", effective " << d.effective_on.iso() << " (list version "
              << s->list_version() << ")\n";
    if (a.emergency_override)
        std::cerr << "keepout: four-eyes override recorded in the audit log: " << a.override_reason << '\n';
    return 0;
}

int cmd_directive_revoke(const Global& g, const DirectiveArgs& a) {
    auto s = open_store(g);
    const Date on = date_arg(a.date, "--date");
    auto d = store::revoke_directive(*s, a.ref, on);
    std::cout << "revoked " << d.ref << " from " << on.iso() << " (list version " << s->list_version() << ")\n";
    return 0;
}

int cmd_directive_supersede(const Global& g, const DirectiveArgs& a) {
    auto s = open_store(g);
    auto d = store::supersede_directive(*s, a.ref, a.by);
    std::cout << d.ref << " superseded by " << d.superseded_by << " from " << d.ended_on->iso() << " (list version "
              << s->list_version() << ")\n";
    return 0;
}

int cmd_token_create(const Global& g, const std::string& role_text, const std::string& name,
                     const std::string& expires) {
    auto role = parse_role(role_text);
    if (!role) throw UsageError("unknown role '" + role_text + "' (expected reader, editor or approver)");
    std::optional<Date> expires_on;
    if (!expires.empty()) expires_on = date_arg(expires, "--expires");
    auto s = open_store(g);
    std::cout << store::create_api_token(*s, *role, name, expires_on) << '\n';
    std::cerr << "token for " << name << " (" << role_text << ")"
              << (expires_on ? ", last day " + expires_on->iso() : std::string())
              << " created: it is shown once and stored only as a salted hash\n";
    return 0;
}

int cmd_token_list(const Global& g) {
    auto s = open_store(g);
    const auto tokens = store::list_tokens(s->db());
    const Date today = today_in(mission_time_zone(*s));
    auto state = [&](const store::TokenInfo& t) {
        if (t.revoked_at) return "revoked";
        if (t.expires_on && *t.expires_on < today) return "expired";
        return "active";
    };
    if (g.format == "json") {
        json a = json::array();
        for (auto& t : tokens)
            a.push_back({{"id", t.id},
                         {"name", t.name},
                         {"role", to_string(t.role)},
                         {"created", t.created_at},
                         {"expires", t.expires_on ? json(t.expires_on->iso()) : json(nullptr)},
                         {"revoked", t.revoked_at ? json(*t.revoked_at) : json(nullptr)},
                         {"state", state(t)}});
        std::cout << json{{"tokens", a}}.dump(2) << '\n';
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (auto& t : tokens)
        rows.push_back({std::to_string(t.id), t.name, std::string(to_string(t.role)), t.created_at,
                        t.expires_on ? t.expires_on->iso() : "", t.revoked_at.value_or(""), state(t)});
    print_table(std::cout, {"id", "name", "role", "created", "expires", "revoked", "state"}, rows);
    return 0;
}

int cmd_token_revoke(const Global& g, long long id) {
    auto s = open_store(g);
    store::revoke_api_token(*s, id);
    std::cout << "revoked token " << id << "; a running server refuses it from its next request\n";
    return 0;
}

int cmd_token_failures(const Global& g, int limit) {
    auto s = open_store(g);
    const auto failures = store::auth_failures(s->db(), limit);
    if (g.format == "json") {
        json a = json::array();
        for (auto& f : failures)
            a.push_back({{"at", f.at}, {"remote", f.remote}, {"token_id", f.token_id ? json(*f.token_id) : json(nullptr)},
                         {"reason", f.reason}});
        std::cout << json{{"failures", a}}.dump(2) << '\n';
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (auto& f : failures)
        rows.push_back({f.at, f.remote, f.token_id ? std::to_string(*f.token_id) : "", f.reason});
    print_table(std::cout, {"at", "client", "token", "reason"}, rows);
    return 0;
}

int cmd_directive_show(const Global& g, const DirectiveArgs& a) {
    auto s = open_store(g);
    Directive d = s->directive(a.ref);
    auto listings = s->listings_of(d.id);
    std::vector<Id> ids;
    for (auto& l : listings) ids.push_back(l.venue_id);
    std::map<Id, Venue> venues;
    for (auto& v : s->venues(ids)) venues[v.id] = v;
    if (g.format == "json") {
        const bool draft = d.status == DirectiveStatus::draft || d.status == DirectiveStatus::submitted;
        std::cout << encode::directive_json(d, listings, &venues, std::nullopt,
                                            draft ? std::optional<std::int64_t>(s->draft_revision()) : std::nullopt)
                  << '\n';
        return 0;
    }
    std::cout << d.ref << "  " << d.title << "\n  status " << to_string(d.status) << ", signed " << d.signed_on.iso()
              << ", effective " << d.effective_on.iso() << ", authority " << d.authority;
    if (d.emergency) std::cout << ", EMERGENCY (review " << (d.review_on ? d.review_on->iso() : "?") << ")";
    if (d.ended_on) std::cout << ", ended " << d.ended_on->iso();
    if (!d.superseded_by.empty()) std::cout << " by " << d.superseded_by;
    std::cout << "\n\n";
    std::vector<std::vector<std::string>> rows;
    for (auto& l : listings) {
        auto& v = venues[l.venue_id];
        rows.push_back({std::string(to_string(l.action)), v.external_id, v.name, reasons_text(l.reasons),
                        l.effective_from.iso(), l.until ? l.until->iso() : "", l.added_by});
    }
    print_table(std::cout, {"action", "external_id", "venue", "reasons", "from", "until", "added by"}, rows);
    return 0;
}

int cmd_directive_list(const Global& g) {
    auto s = open_store(g);
    auto all = s->directives();
    if (g.format == "json") {
        std::vector<std::pair<Directive, std::size_t>> counted;
        for (auto& d : all) counted.emplace_back(d, s->listings_of(d.id).size());
        std::cout << encode::directives_json(counted) << '\n';
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (auto& d : all)
        rows.push_back({d.ref, std::string(to_string(d.status)) + (d.emergency ? " (emergency)" : ""),
                        d.signed_on.iso(), d.effective_on.iso(), std::to_string(s->listings_of(d.id).size()),
                        d.title});
    print_table(std::cout, {"ref", "status", "signed", "effective", "listings", "title"}, rows);
    return 0;
}

int cmd_list(const Global& g, const std::string& as_of_text) {
    auto s = open_store(g);
    const Date as_of = date_or_today(*s, as_of_text);
    // The snapshot the API serves, so that every format is the API's document byte for byte.
    const auto snap = analysis::Snapshot::build(*s, as_of);
    encode::VenuePage page;
    for (auto i : snap->listed()) page.push_back(&snap->venues()[i]);
    if (g.format == "geojson") {
        std::cout << encode::list_geojson(*snap, page, page.size()) << '\n';
    } else if (g.format == "json") {
        std::cout << encode::list_json(*snap, page) << '\n';
    } else if (g.format == "csv") {
        std::cout << encode::list_csv(page);
    } else {
        std::cout << "Off-Limits list as of " << as_of.iso() << " (list version " << snap->list_version()
                  << "): " << page.size() << " venues\n\n";
        std::vector<std::vector<std::string>> rows;
        for (const auto* v : page)
            rows.push_back({v->venue.external_id, v->venue.name, std::string(to_string(v->venue.category)),
                            v->venue.municipality, v->directive_ref, v->listed_since.iso(), reasons_text(v->reasons)});
        print_table(std::cout, {"external_id", "name", "category", "municipality", "directive", "since", "reasons"},
                    rows);
    }
    return 0;
}

int cmd_history(const Global& g, const std::string& key, const std::string& as_of_text) {
    auto s = open_store(g);
    const Date as_of = date_or_today(*s, as_of_text);
    Venue v = find_venue(*s, key);
    ListHistory h = s->history();
    auto entries = h.venue_history(v.id, as_of);
    auto state = h.venue_as_of(v.id, as_of);
    const auto reviews = store::reviews_for_venue(*s, v.id);
    if (g.format == "json") {
        std::cout << encode::venue_history_document(v, h, as_of, mission_time_zone(*s), &reviews) << '\n';
        return 0;
    }
    std::cout << v.name << " [" << (v.external_id.empty() ? std::to_string(v.id) : v.external_id) << "]";
    if (!v.aliases.empty()) std::cout << " also known as " << join(v.aliases, "; ");
    if (!v.former_names.empty()) std::cout << ", formerly " << join(v.former_names, "; ");
    std::cout << "\nAs of " << as_of.iso() << " (" << mission_time_zone(*s) << "): "
              << (state ? "OFF-LIMITS since " + state->listed_since.iso() : std::string("not listed")) << "\n\n";
    std::vector<std::vector<std::string>> rows;
    for (auto& e : entries) {
        std::string status(to_string(e.directive->status));
        if (e.directive->ended_on) status += " " + e.directive->ended_on->iso();
        rows.push_back({e.listing->effective_from.iso(), std::string(to_string(e.listing->action)), e.directive->ref,
                        status, reasons_text(e.listing->reasons), e.listing->until ? e.listing->until->iso() : "",
                        e.counts_on_date ? "yes" : "no"});
    }
    print_table(std::cout, {"from", "action", "directive", "directive status", "reasons", "until", "counts"}, rows);
    if (!reviews.empty()) {
        // The review decisions on the venue and on the directives that list it, with who and why.
        std::cout << "\nReviews\n";
        std::vector<std::vector<std::string>> review_rows;
        for (const auto& r : reviews)
            review_rows.push_back({r.decided_on.iso(), r.directive_ref.empty() ? "venue" : "directive " + r.directive_ref,
                                   std::string(to_string(r.decision)), r.actor, r.reason,
                                   r.next_review ? r.next_review->iso() : "",
                                   r.lift_in.empty() ? "" : "lift placed in " + r.lift_in});
        print_table(std::cout, {"decided", "of", "decision", "by", "reason", "next review", "draft"}, review_rows);
    }
    return 0;
}

namespace {
bool ends_with(const std::string& s, const std::string& end) {
    return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}
}  // namespace

int cmd_export(const Global& g, const ExportArgs& a) {
    auto s = open_store(g);
    // The documents for devices in the field are the list's, written by encode/field.
    std::string lower = a.file;
    for (auto& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
    const bool kmz = a.format == "kmz" || (a.format.empty() && ends_with(lower, ".kmz"));
    const bool tak = a.format == "tak";
    if (kmz || tak) {
        if (a.what != "list") throw UsageError("--format " + std::string(kmz ? "kmz" : "tak") + " writes the list only");
        auto snap = analysis::Snapshot::build(*s, date_or_today(*s, a.as_of));
        const encode::FieldOptions fo{a.radius, a.rings};
        const std::string bytes = kmz ? encode::field_kmz(*snap, fo) : encode::tak_package(*snap, fo);
        std::ofstream out(a.file, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), std::streamsize(bytes.size()));
        out.close();
        if (!out) throw std::runtime_error("cannot write " + a.file);
        std::cout << "wrote " << snap->listed().size() << " listed venues (as of " << snap->as_of().iso() << ") to "
                  << a.file << (tak ? " as a TAK data package" : "") << '\n';
        return 0;
    }
    encode::ExportOptions o;
    o.as_of = date_or_today(*s, a.as_of);
    o.format = a.format;
    o.what = a.what == "venues"    ? encode::ExportWhat::venues
             : a.what == "sites"   ? encode::ExportWhat::sites
             : a.what == "sectors" ? encode::ExportWhat::sectors
                                   : encode::ExportWhat::list;
    auto r = encode::export_file(*s, a.file, o);
    std::cout << "wrote " << r.features << " " << a.what << " features to " << join(r.files, " and ") << '\n';
    return 0;
}

int cmd_audit_verify(const Global& g) {
    auto s = open_store(g);
    auto r = s->audit().verify();
    if (r.ok) {
        std::cout << "audit log intact: " << r.rows << " rows, hash chain verified\n";
        return 0;
    }
    std::cerr << "audit log TAMPERED: row " << r.first_bad_seq << ": " << r.problem << '\n';
    return 3;
}

int cmd_audit_log(const Global& g, int limit) {
    auto s = open_store(g);
    auto st = s->db().prepare(
        "SELECT seq, at, actor, action, entity_key, coalesce(after, '') FROM audit_log ORDER BY seq DESC LIMIT ?");
    st.bind(1, std::int64_t{limit});
    std::vector<std::vector<std::string>> rows;
    json a = json::array();
    while (st.step()) {
        rows.push_back({std::to_string(st.integer(0)), st.text(1), st.text(2), st.text(3), st.text(4)});
        a.push_back({{"seq", st.integer(0)}, {"at", st.text(1)}, {"actor", st.text(2)}, {"action", st.text(3)},
                     {"key", st.text(4)}, {"after", st.text(5)}});
    }
    if (g.format == "json")
        std::cout << a.dump(2) << '\n';
    else
        print_table(std::cout, {"seq", "at", "actor", "action", "key"}, rows);
    return 0;
}

}  // namespace keepout::cli
