// The official publications: the current one on the list's page with its documents (the list
// and the pocket card as PDF in each of the mission's languages, the signed JSON, its signature
// and the public key to check it with); for management, publishing the next one (approvers) and
// comparing two (what was added, lifted or changed between them, from their signed documents).
import { api, h, errorBox } from "./api.js";
import { t, locale, mission, onLanguageChange } from "./i18n.js";
import { session, onSession } from "./manage.js";
import { keepLatest } from "./offline.js";

const $ = (id) => document.getElementById(id);
const p = { list: null, error: null, docs: new Map() };

export function initPublications() {
  $("publish-form").addEventListener("submit", (e) => {
    e.preventDefault();
    publishNow();
  });
  $("cmp-go").addEventListener("click", compare);
  onLanguageChange(() => {
    renderCurrent();
    fillCompare();
    if (p.lastDiff) renderDiff(p.lastDiff);
  });
  onSession(renderManage);
  refreshPublications();
}

export async function refreshPublications() {
  try {
    p.list = await api("/api/v1/publications");
    p.error = null;
  } catch (e) {
    // Offline: what was shown stays (the offline checks say which publication they use).
    if (e.status === 0 && p.list) return;
    p.list = null;
    p.error = e;
  }
  renderCurrent();
  fillCompare();
}

function languageName(code) {
  try {
    return new Intl.DisplayNames([locale()], { type: "language" }).of(code) || code;
  } catch {
    return code;
  }
}

const latestOf = (list) => (list?.publications || []).find((x) => x.number === list.latest) || null;

function renderCurrent() {
  const box = $("publication");
  if (p.error) {
    // A server without publications says nothing here; another failure is shown.
    if (p.error.status === 404) return box.replaceChildren();
    return box.replaceChildren(errorBox(p.error));
  }
  const cur = latestOf(p.list);
  if (!cur) return box.replaceChildren(h("p", { class: "muted", "data-publication": "none" }, t("pubNone")));
  const base = cur.links.document;
  const langs = mission()?.languages?.length ? mission().languages : ["en"];
  const link = (href, text, name) => h("a", { href, download: name || null }, text);
  box.replaceChildren(
    h("h3", { class: "pub-title", "data-publication": String(cur.number) }, t("pubCurrent", { n: cur.number, date: cur.as_of })),
    h("p", { class: "muted" }, t("pubFacts", { v: cur.list_version, count: cur.venue_count, by: cur.published_by || "" })),
    cur.note ? h("p", { class: "pub-note" }, h("bdi", {}, cur.note)) : null,
    h(
      "ul",
      { class: "pub-docs" },
      ...langs.map((l) =>
        h(
          "li",
          { lang: l },
          h("span", {}, `${languageName(l)}: `),
          link(cur.links.list_pdf ? `${cur.links.list_pdf}?lang=${encodeURIComponent(l)}` : `${base}.pdf?lang=${encodeURIComponent(l)}`, t("pubListPdf")),
          " · ",
          link(cur.links.card_pdf ? `${cur.links.card_pdf}?lang=${encodeURIComponent(l)}` : `${base}/card.pdf?lang=${encodeURIComponent(l)}`, t("pubCardPdf")),
        ),
      ),
      h(
        "li",
        {},
        link(base, t("pubJson"), `publication-${cur.number}.json`),
        " · ",
        link(cur.links.signature, t("pubSignature"), `publication-${cur.number}.json.sig`),
        " · ",
        link(cur.links.key, t("pubKey"), "publication-key.pem"),
      ),
    ),
    h("p", { class: "hint" }, t("pubVerifyHint")),
    h("pre", { class: "pub-verify", dir: "ltr" }, `openssl pkeyutl -verify -pubin -inkey publication-key.pem -rawin -in publication-${cur.number}.json -sigfile publication-${cur.number}.json.sig`),
  );
}

// --- management ----------------------------------------------------------------------------

function renderManage({ who }) {
  $("publications-manage").hidden = !who;
  $("publish-form").hidden = !who || who.role !== "approver";
  if (who && !$("pub-as-of").value) $("pub-as-of").value = new Date().toISOString().slice(0, 10);
}

function status(afterId) {
  const anchor = $(afterId);
  let el = anchor.nextElementSibling;
  if (!el || !el.classList.contains("status")) {
    el = h("div", { class: "status", "aria-live": "polite" });
    anchor.after(el);
  }
  return el;
}

async function publishNow() {
  const body = {};
  if ($("pub-as-of").value) body.as_of = $("pub-as-of").value;
  if ($("pub-note").value.trim()) body.note = $("pub-note").value.trim();
  const out = status("publish-form");
  try {
    const done = await api("/api/v1/publications", { method: "POST", body, token: session().token });
    const c = done.changes || {};
    out.replaceChildren(
      h(
        "p",
        { class: "note ok", role: "status", "data-published": String(done.number) },
        t("published", { n: done.number, date: done.as_of, count: done.venue_count }),
        c.since ? ` ${t("publishedChanges", { since: c.since, added: c.added.length, lifted: c.lifted.length, changed: c.changed.length })}` : ` ${t("publishedFirst")}`,
      ),
    );
    $("pub-note").value = "";
    await refreshPublications();
    await keepLatest().catch(() => {});
  } catch (e) {
    out.replaceChildren(errorBox(e));
  }
}

function fillCompare() {
  const all = p.list?.publications || [];
  for (const [id, pick] of [["cmp-a", all.length - 2], ["cmp-b", all.length - 1]]) {
    const sel = $(id);
    const keep = sel.value;
    sel.replaceChildren(...all.map((x) => h("option", { value: String(x.number) }, t("pubOption", { n: x.number, date: x.as_of }))));
    if (keep && all.some((x) => String(x.number) === keep)) sel.value = keep;
    else if (all.length) sel.value = String(all[Math.max(0, pick)].number);
  }
  $("cmp-go").disabled = all.length < 2;
}

async function documentOf(n) {
  if (!p.docs.has(n)) p.docs.set(n, await api(`/api/v1/publications/${encodeURIComponent(n)}`));
  return p.docs.get(n);
}

// What changed from publication A to publication B, venue by venue (by id).
export function diffPublications(a, b) {
  const before = new Map(a.venues.map((v) => [v.id, v]));
  const after = new Map(b.venues.map((v) => [v.id, v]));
  const added = [...after.values()].filter((v) => !before.has(v.id));
  const lifted = [...before.values()].filter((v) => !after.has(v.id));
  const changed = [...after.values()].filter((v) => before.has(v.id) && JSON.stringify(before.get(v.id)) !== JSON.stringify(v));
  return { a, b, added, lifted, changed };
}

async function compare() {
  const out = $("cmp-result");
  const [na, nb] = [$("cmp-a").value, $("cmp-b").value];
  if (!na || !nb) return;
  try {
    const [a, b] = await Promise.all([documentOf(na), documentOf(nb)]);
    p.lastDiff = diffPublications(a, b);
    renderDiff(p.lastDiff);
  } catch (e) {
    out.replaceChildren(errorBox(e));
  }
}

function renderDiff(d) {
  const item = (v, extra = "") => h("li", { "data-venue": String(v.id) }, h("bdi", {}, v.name), [v.municipality, v.directive ? t("directiveLine", { ref: v.directive }) : null, extra].filter(Boolean).length ? ` — ${[v.municipality, v.directive ? t("directiveLine", { ref: v.directive }) : null, extra].filter(Boolean).join(" · ")}` : "");
  const group = (key, list, cls) =>
    h("div", { class: `diff ${cls}`, "data-diff": cls }, h("h5", {}, t(key, { n: list.length })), list.length ? h("ul", {}, list.map((v) => item(v))) : h("p", { class: "muted" }, t("diffNone")));
  $("cmp-result").replaceChildren(
    h(
      "div",
      { class: "card" },
      h("p", {}, t("diffSummary", { a: d.a.number, adate: d.a.as_of, b: d.b.number, bdate: d.b.as_of })),
      group("diffAdded", d.added, "added"),
      group("diffLifted", d.lifted, "lifted"),
      group("diffChanged", d.changed, "changed"),
    ),
  );
}
