// Management screens behind a token: draft a directive, place or lift venues (picked from the
// list or the map, or drawn new as a point or footprint), submit it (or withdraw it to amend it);
// approvers issue submissions.
// Every API error is shown next to what caused it.
import { api, url, refPath, h, errorBox, todayIso } from "./api.js";
import { t, category, reason, reasonList, categories, placeReasons, liftReasons, onLanguageChange } from "./i18n.js";
import { state, directives, listChanged } from "./state.js";

const $ = (id) => document.getElementById(id);
const m = {
  token: sessionStorage.getItem("keepout.token") || "",
  who: null,
  venues: null, // every venue (GeoJSON features), for the map and the picker
  selected: new Map(), // id → {id, name, listed}
  geometry: null, // the drawn or typed geometry of a new venue
  active: false,
  confirming: null, // the draft ref whose issue waits for confirmation
};

function status(afterId) {
  const anchor = $(afterId);
  let el = anchor.nextElementSibling;
  if (!el || !el.classList.contains("status")) {
    el = h("div", { class: "status", "aria-live": "polite" });
    anchor.after(el);
  }
  return el;
}
const ok = (afterId, text) => status(afterId).replaceChildren(h("p", { class: "note ok", role: "status" }, text));
const bad = (afterId, err) => status(afterId).replaceChildren(errorBox(err));
const clear = (afterId) => status(afterId).replaceChildren();
const withToken = (options = {}) => ({ ...options, token: m.token });

// Who is signed in, for the other management views (publications.js, due.js): told on each change.
const sessionListeners = [];
export function session() {
  return { token: m.token, who: m.who };
}
export function onSession(f) {
  sessionListeners.push(f);
}

export function initManage() {
  $("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    signIn($("token").value.trim());
  });
  $("sign-out").addEventListener("click", signOut);
  $("directive-form").addEventListener("submit", (e) => {
    e.preventDefault();
    createDirective();
  });
  $("draft-select").addEventListener("change", () => showDraft());
  for (const r of document.querySelectorAll("input[name='l-action']")) r.addEventListener("change", fillReasons);
  $("venue-search-go").addEventListener("click", searchVenues);
  $("venue-search").addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      searchVenues();
    }
  });
  $("draw-point").addEventListener("click", () => startDraw("point"));
  $("draw-polygon").addEventListener("click", () => startDraw("polygon"));
  $("draw-finish").addEventListener("click", finishPolygon);
  $("draw-cancel").addEventListener("click", cancelDraw);
  $("v-coord").addEventListener("change", typedPosition);
  $("venue-form").addEventListener("submit", (e) => {
    e.preventDefault();
    createVenue();
  });
  $("add-listings").addEventListener("click", addListings);
  $("submit-draft").addEventListener("click", submitDraft);
  onLanguageChange(() => {
    fillReasons();
    fillVenueCategories();
    renderWho();
    renderSelected();
    if (m.who) {
      showDraft();
      renderQueue();
    }
  });
  fillReasons();
  fillVenueCategories();
  const today = todayIso();
  $("d-signed").value = today;
  $("d-effective").value = today;
  if (m.token) signIn(m.token, { quiet: true });
}

export async function showManage() {
  m.active = true;
  await drawVenues();
}

export function hideManage() {
  m.active = false;
  cancelDraw();
}

// --- the token -----------------------------------------------------------------------------

async function signIn(token, { quiet = false } = {}) {
  $("manage-error").replaceChildren();
  if (!token) return;
  try {
    m.who = await api("/api/v1/token", { token });
    m.token = token;
    sessionStorage.setItem("keepout.token", token);
    $("token").value = "";
  } catch (e) {
    m.who = null;
    m.token = "";
    sessionStorage.removeItem("keepout.token");
    if (!quiet) $("manage-error").replaceChildren(errorBox(e));
  }
  renderWho();
  if (m.who) {
    await refreshDrafts();
    await renderQueue();
  }
}

function signOut() {
  m.who = null;
  m.token = "";
  sessionStorage.removeItem("keepout.token");
  m.selected.clear();
  renderSelected();
  renderWho();
  for (const id of ["directive-form", "add-listings", "venue-form", "submit-draft"]) clear(id);
}

function renderWho() {
  const who = m.who;
  $("whoami").textContent = who ? t("signedInAs", { name: who.name, role: t(who.role) }) + (who.role === "reader" ? ` ${t("readerOnly")}` : "") : "";
  $("sign-out").hidden = !who;
  $("editor").hidden = !who || who.role === "reader";
  $("approver").hidden = !who || who.role !== "approver";
  for (const f of sessionListeners) f(session());
}

// --- drafting --------------------------------------------------------------------------------

async function refreshDrafts(select) {
  const all = await directives(true);
  // Submissions stay in the list so that their author can withdraw them to amend them.
  const drafts = all.filter((d) => d.status === "draft" || d.status === "submitted");
  const sel = $("draft-select");
  const keep = select || sel.value;
  sel.replaceChildren(
    ...drafts.map((d) => h("option", { value: d.ref }, `${d.ref} — ${d.title}${d.status === "submitted" ? ` (${t("status_submitted")})` : ""}`)),
  );
  if (drafts.length === 0) sel.append(h("option", { value: "" }, t("noDrafts")));
  if (keep && drafts.some((d) => d.ref === keep)) sel.value = keep;
  // Suggest the next reference of this year.
  const year = new Date().getFullYear();
  const numbers = all.map((d) => d.ref.match(new RegExp(`^HOM/OL/${year}/(\\d+)$`))).filter(Boolean).map((x) => Number(x[1]));
  if (!$("d-ref").value) $("d-ref").placeholder = `HOM/OL/${year}/${String(Math.max(0, ...numbers) + 1).padStart(3, "0")}`;
  await showDraft();
}

async function createDirective() {
  const body = {
    ref: $("d-ref").value.trim(),
    title: $("d-title").value.trim(),
    authority: $("d-authority").value.trim() || "Head of Mission",
    signed: $("d-signed").value,
    effective: $("d-effective").value,
    emergency: $("d-emergency").checked,
  };
  if ($("d-review").value) body.review = $("d-review").value;
  try {
    const d = await api("/api/v1/directives", withToken({ method: "POST", body }));
    // The new draft is selected before the page says it is done.
    await refreshDrafts(d.ref).catch(() => {});
    ok("directive-form", t("drafted", { ref: d.ref }));
    await renderQueue();
  } catch (e) {
    bad("directive-form", e);
  }
}

function fillReasons() {
  const action = document.querySelector("input[name='l-action']:checked").value;
  const codes = action === "place" ? placeReasons : liftReasons;
  const fs = $("reasons");
  const checked = new Set([...fs.querySelectorAll("input:checked")].map((i) => i.value));
  fs.replaceChildren(
    h("legend", { "data-i18n": "reasons" }, t("reasons")),
    ...codes.map((c) =>
      h("label", { class: "inline" }, h("input", { type: "checkbox", name: "reason", value: c, checked: checked.has(c) }), " ", reason(c)),
    ),
  );
}

function fillVenueCategories() {
  const sel = $("v-category");
  const keep = sel.value || "bar";
  sel.replaceChildren(...categories.map((c) => h("option", { value: c }, category(c))));
  sel.value = keep;
}

// --- picking venues ------------------------------------------------------------------------

async function drawVenues() {
  try {
    if (!m.venues) m.venues = (await api("/api/v1/venues")).features;
    if (!m.active) return;
    state.map.clearQuery();
    state.map.setVenues(m.venues);
    state.map.setSelection([...m.selected.keys()]);
    state.map.onVenueClick = (f) => pick(f.properties);
  } catch (e) {
    $("manage-error").replaceChildren(errorBox(e));
  }
}

async function searchVenues() {
  const q = $("venue-search").value.trim();
  const list = $("venue-results");
  if (!q) return list.replaceChildren();
  try {
    const [byName, byAddress] = await Promise.all([
      api(url("/api/v1/venues", { q, limit: 10 })),
      api(url("/api/v1/venues", { address: q, limit: 10 })),
    ]);
    const seen = new Set();
    const found = [...byName.features, ...byAddress.features].filter((f) => !seen.has(f.properties.id) && seen.add(f.properties.id));
    if (!found.length) return list.replaceChildren(h("li", { class: "muted" }, t("noResults")));
    list.replaceChildren(
      ...found.map((f) => {
        const p = f.properties;
        return h(
          "li",
          {},
          h("span", {}, h("strong", {}, p.name), ` · ${category(p.category)} · ${p.address || ""} `, h("span", { class: p.listed ? "tag red" : "tag" }, p.listed ? t("listedTag") : t("notListedTag"))),
          h("button", { type: "button", class: "secondary small", "aria-label": `${t("select")}: ${p.name}`, onclick: () => pick(p, f) }, t("select")),
        );
      }),
    );
  } catch (e) {
    list.replaceChildren(h("li", {}, errorBox(e)));
  }
}

function pick(p, feature) {
  m.selected.set(p.id, { id: p.id, name: p.name, listed: p.listed !== false });
  renderSelected();
  state.map.setSelection([...m.selected.keys()]);
  if (feature) state.map.focusVenue(p.id, { popup: false });
}

function renderSelected() {
  const ul = $("selected");
  if (!m.selected.size) return ul.replaceChildren(h("li", { class: "muted" }, t("noneSelected")));
  ul.replaceChildren(
    ...[...m.selected.values()].map((v) =>
      h(
        "li",
        { class: "chip" },
        h("span", {}, v.name),
        h("button", {
          type: "button",
          class: "chip-x",
          "aria-label": t("remove", { name: v.name }),
          onclick: () => {
            m.selected.delete(v.id);
            renderSelected();
            state.map.setSelection([...m.selected.keys()]);
          },
        }, "×"),
      ),
    ),
  );
}

// --- a new venue, drawn or typed -------------------------------------------------------------

function drawButtons(drawing) {
  $("draw-finish").hidden = drawing !== "polygon";
  $("draw-cancel").hidden = !drawing;
}

function startDraw(mode) {
  m.geometry = null;
  drawButtons(mode);
  $("draw-status").textContent = mode === "point" ? t("drawPointHelp") : t("drawPolygonHelp");
  state.map.startDraw(mode, (geometry, s) => {
    if (geometry) {
      m.geometry = geometry;
      drawButtons(null);
      $("draw-status").textContent = t("drawnPoint", { lat: geometry.coordinates[1].toFixed(6), lon: geometry.coordinates[0].toFixed(6) });
      $("v-coord").value = `${geometry.coordinates[1].toFixed(6)}, ${geometry.coordinates[0].toFixed(6)}`;
    } else {
      $("draw-status").textContent = t("drawingPolygon", { n: s.corners });
    }
  });
}

function finishPolygon() {
  const g = state.map.finishPolygon();
  if (!g) {
    $("draw-status").textContent = t("polygonTooFew");
    return;
  }
  m.geometry = g;
  drawButtons(null);
  $("v-coord").value = "";
  $("draw-status").textContent = t("drawnPolygon", { n: g.coordinates[0].length - 1 });
}

function cancelDraw() {
  state.map?.cancelDraw();
  drawButtons(null);
  if (!m.geometry) $("draw-status").textContent = "";
}

// A typed or pasted position (any form the check accepts) becomes the new venue's point.
async function typedPosition() {
  const text = $("v-coord").value.trim();
  if (!text) return true;
  try {
    const doc = await api(url("/api/v1/check", { at: text }));
    const { lat, lon } = doc.query;
    m.geometry = { type: "Point", coordinates: [lon, lat] };
    state.map.setDrawnPoint(lat, lon);
    drawButtons(null);
    $("draw-status").textContent = t("drawnPoint", { lat: lat.toFixed(6), lon: lon.toFixed(6) });
    clear("venue-form");
    return true;
  } catch (e) {
    m.geometry = null;
    bad("venue-form", e);
    return false;
  }
}

// `confirmed`: the editor has seen the venues the server found within 25 m with a similar name
// (409 duplicate-venue) and says this one is another.
async function createVenue(confirmed = false) {
  if ($("v-coord").value.trim() && (!m.geometry || m.geometry.type === "Point") && !(await typedPosition())) return;
  if (!m.geometry) {
    status("venue-form").replaceChildren(h("p", { class: "note warn", role: "alert" }, t("needGeometry")));
    return;
  }
  const feature = {
    type: "Feature",
    geometry: m.geometry,
    properties: {
      name: $("v-name").value.trim(),
      category: $("v-category").value,
      address: $("v-address").value.trim(),
      municipality: $("v-municipality").value.trim(),
    },
  };
  if (confirmed === true) feature.duplicate_ok = true;
  try {
    const created = await api("/api/v1/venues", withToken({ method: "POST", body: feature }));
    ok("venue-form", t("venueCreated", { name: created.name, id: created.id }));
    m.venues = null;
    m.geometry = null;
    state.map.cancelDraw();
    for (const id of ["v-name", "v-address", "v-municipality", "v-coord"]) $(id).value = "";
    $("draw-status").textContent = "";
    m.selected.set(created.id, { id: created.id, name: created.name, listed: false });
    renderSelected();
    await drawVenues();
  } catch (e) {
    if (e.code === "duplicate-venue" && Array.isArray(e.detail?.candidates)) showDuplicates(e.detail.candidates);
    else bad("venue-form", e);
  }
}

function showDuplicates(candidates) {
  status("venue-form").replaceChildren(
    h("div", { class: "note warn", role: "alert" },
      h("p", {}, t("duplicateVenue")),
      h("ul", {}, ...candidates.map((c) => h("li", {}, t("duplicateCandidate", { name: c.name, id: c.id, m: Math.round(c.distance_m) })))),
      h("button", { type: "button", id: "v-duplicate-ok", onclick: () => createVenue(true) }, t("duplicateConfirm"))));
}

// --- listings, submission and issue ----------------------------------------------------------

async function addListings() {
  const ref = $("draft-select").value;
  const action = document.querySelector("input[name='l-action']:checked").value;
  const reasons = [...document.querySelectorAll("#reasons input:checked")].map((i) => i.value);
  const warn = (key) => status("add-listings").replaceChildren(h("p", { class: "note warn", role: "alert" }, t(key)));
  if (!ref) return warn("needDraft");
  if (!m.selected.size) return warn("needVenues");
  if (!reasons.length) return warn("needReasons");
  try {
    const d = await api(`/api/v1/directives/${refPath(ref)}/listings`, withToken({ method: "POST", body: { action, venues: [...m.selected.keys()], reasons } }));
    ok("add-listings", t("listingsAdded", { n: m.selected.size, ref: d.ref }));
    m.selected.clear();
    renderSelected();
    state.map.setSelection([]);
    renderDraft(d);
    await renderQueue();
  } catch (e) {
    bad("add-listings", e);
  }
}

async function showDraft() {
  const ref = $("draft-select").value;
  if (!ref) return $("draft-view").replaceChildren(h("p", { class: "muted" }, t("noDrafts")));
  try {
    renderDraft(await api(`/api/v1/directives/${refPath(ref)}`));
  } catch (e) {
    $("draft-view").replaceChildren(errorBox(e));
  }
}

function directiveSummary(d) {
  return [
    h("p", {}, h("strong", {}, d.ref), `: ${t("draftSummary", { title: d.title, signed: d.signed, effective: d.effective, status: t(`status_${d.status}`) })}`),
    d.drafted_by ? h("p", { class: "muted" }, t("draftedBy", { by: d.drafted_by })) : null,
  ];
}

function listingsList(d) {
  if (!d.listings || !d.listings.length) return h("p", { class: "muted" }, t("noListings"));
  return h(
    "ul",
    { class: "listings" },
    d.listings.map((l) => h("li", {}, h("span", { class: l.action === "place" ? "tag red" : "tag" }, t(`action_${l.action}`)), ` ${l.name} (${reasonList(l.reasons)}), ${l.effective_from}`)),
  );
}

function renderDraft(d) {
  $("draft-view").replaceChildren(h("div", { class: "card" }, ...directiveSummary(d), listingsList(d)));
  $("draft-view").dataset.listings = String(d.listings ? d.listings.length : 0);
  // One button: a draft is submitted, a submission withdrawn.
  const key = d.status === "submitted" ? "withdrawDraft" : "submitDraft";
  const button = $("submit-draft");
  button.dataset.i18n = key;
  button.dataset.status = d.status;
  button.textContent = t(key);
}

async function submitDraft() {
  const ref = $("draft-select").value;
  if (!ref) return status("submit-draft").replaceChildren(h("p", { class: "note warn", role: "alert" }, t("needDraft")));
  const withdraw = $("submit-draft").dataset.status === "submitted";
  try {
    // The server decides: only a draft with listings is submitted, only a submission withdrawn.
    const d = await api(`/api/v1/directives/${refPath(ref)}/${withdraw ? "withdraw" : "submit"}`, withToken({ method: "POST" }));
    ok("submit-draft", withdraw ? t("withdrawn", { ref: d.ref }) : t("submitted", { ref: d.ref, n: d.listings.length }));
    await refreshDrafts(d.ref);
    await renderQueue();
  } catch (e) {
    bad("submit-draft", e);
  }
}

async function renderQueue() {
  const box = $("drafts-queue");
  if (!m.who || m.who.role !== "approver") return box.replaceChildren();
  try {
    const drafts = (await directives(true)).filter((d) => d.status === "submitted");
    if (!drafts.length) return box.replaceChildren(h("p", { class: "muted" }, t("noQueue")));
    const full = await Promise.all(drafts.map((d) => api(`/api/v1/directives/${refPath(d.ref)}`)));
    box.replaceChildren(
      ...full.map((d) => {
        const out = h("div", { class: "status", "aria-live": "polite" });
        const card = h("div", { class: "card", "data-ref": d.ref }, ...directiveSummary(d), listingsList(d));
        if (m.confirming === d.ref) {
          card.append(
            h("p", { class: "confirm" }, t("confirmIssue", { ref: d.ref, date: d.effective })),
            h("div", { class: "row" },
              h("button", { type: "button", class: "danger", onclick: () => issue(d, out) }, t("issue", { ref: d.ref })),
              h("button", { type: "button", class: "secondary", onclick: () => { m.confirming = null; renderQueue(); } }, t("cancel")),
            ),
          );
        } else {
          card.append(h("button", { type: "button", class: "primary", onclick: () => { m.confirming = d.ref; renderQueue(); } }, t("issue", { ref: d.ref })));
        }
        card.append(out);
        return card;
      }),
    );
  } catch (e) {
    box.replaceChildren(errorBox(e));
  }
}

async function issue(d, out) {
  try {
    const done = await api(`/api/v1/directives/${refPath(d.ref)}/issue`, withToken({ method: "POST" }));
    m.confirming = null;
    m.venues = null;
    await listChanged();
    await renderQueue();
    await refreshDrafts();
    $("drafts-queue").prepend(h("p", { class: "note ok", role: "status" }, t("issued", { ref: done.ref, date: done.effective, v: done.list_version })));
  } catch (e) {
    out.replaceChildren(errorBox(e));
  }
}

