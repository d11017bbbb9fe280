// Reviews due, for management: emergency directives past their review date and listings older
// than the mission's periodic review interval (GET /api/v1/due), overdue ones flagged. An
// approver ends a review with a decision, keep or lift, and its reason (POST /api/v1/reviews);
// nothing lapses by itself. A server without these routes (404) is said to have no reviews.
import { api, url, h, errorBox, ApiError } from "./api.js";
import { t, onLanguageChange } from "./i18n.js";
import { session, onSession } from "./manage.js";
import { listChanged } from "./state.js";

const $ = (id) => document.getElementById(id);
const d = { doc: null, error: null, open: null, notes: new Map() };

export function initDue() {
  $("due-refresh").addEventListener("click", refreshDue);
  onSession(({ who }) => {
    $("due-view").hidden = !who;
    if (who) refreshDue();
    else {
      d.doc = null;
      $("due-list").replaceChildren();
    }
  });
  onLanguageChange(render);
}

const itemKey = (i) => (i.kind === "directive-review" ? `d:${i.directive}` : `v:${i.venue_id}`);

export async function refreshDue() {
  const { token } = session();
  if (!token) return;
  try {
    d.doc = await api(url("/api/v1/due", { as_of: $("due-as-of").value }), { token });
    d.error = null;
  } catch (e) {
    d.doc = null;
    d.error = e;
  }
  render();
}

function render() {
  const box = $("due-list");
  if (d.error) {
    if (d.error instanceof ApiError && d.error.status === 404)
      return box.replaceChildren(h("p", { class: "note warn", role: "status", "data-due": "unavailable" }, t("dueUnavailable")));
    return box.replaceChildren(errorBox(d.error));
  }
  if (!d.doc) return box.replaceChildren();
  const doc = d.doc;
  const items = Array.isArray(doc.items) ? doc.items : [];
  const head = h(
    "p",
    { class: "muted" },
    t("dueAsOfLine", { date: doc.as_of, zone: doc.time_zone || "" }),
    doc.review_interval_days ? ` ${t("dueInterval", { days: doc.review_interval_days })}` : ` ${t("dueNoInterval")}`,
  );
  const notes = [...d.notes.values()];
  if (!items.length) return box.replaceChildren(head, ...notes, h("p", { class: "muted", "data-due": "none" }, t("dueNone")));
  const approver = session().who?.role === "approver";
  const rows = [];
  for (const i of items) {
    const key = itemKey(i);
    const overdue = i.status === "overdue";
    rows.push(
      h(
        "tr",
        { class: overdue ? "overdue" : "due-soon", "data-status": i.status, "data-key": key },
        h("td", {}, i.kind === "directive-review" ? t("dueKindDirective") : t("dueKindPeriodic")),
        h("td", {}, i.venue ? h("bdi", {}, i.venue) : null, i.venue && i.directive ? " · " : "", i.directive || "", i.external_id ? h("span", { class: "muted" }, ` (${i.external_id})`) : null),
        h("td", {}, i.due || ""),
        h("td", {}, h("span", { class: overdue ? "tag red" : "tag amber" }, overdue ? t("dueOverdue") : t("dueSoon"))),
        h("td", {}, i.listed_since || ""),
        h("td", {}, i.last_review || t("dueNever")),
        h(
          "td",
          {},
          approver
            ? h("button", { type: "button", class: "secondary small", "aria-expanded": d.open === key ? "true" : "false", onclick: () => toggle(key) }, t("dueDecide"))
            : null,
        ),
      ),
    );
    if (approver && d.open === key) rows.push(h("tr", { class: "decision-row" }, h("td", { colspan: "7" }, decisionForm(i))));
  }
  box.replaceChildren(
    head,
    ...notes,
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { id: "due-table" },
        h("caption", { class: "sr-only" }, t("dueHeading")),
        h(
          "thead",
          {},
          h("tr", {}, ...["dueColKind", "dueColWhat", "dueColDue", "dueColStatus", "colSince", "dueColLast", "dueColAction"].map((k) => h("th", { scope: "col" }, t(k)))),
        ),
        h("tbody", {}, rows),
      ),
    ),
  );
}

function toggle(key) {
  d.open = d.open === key ? null : key;
  render();
}

function decisionForm(i) {
  const id = itemKey(i).replace(/[^A-Za-z0-9]/g, "-");
  const form = h(
    "form",
    // novalidate: a missing reason is answered by the page in its own language, not the browser's bubble.
    { class: "grid-form decision", "data-key": itemKey(i), novalidate: true },
    h(
      "fieldset",
      { class: "wide" },
      h("legend", {}, t("dueDecision")),
      h("label", { class: "inline" }, h("input", { type: "radio", name: `decision-${id}`, value: "keep", checked: true }), " ", t("dueKeep")),
      h("label", { class: "inline" }, h("input", { type: "radio", name: `decision-${id}`, value: "lift" }), " ", t("dueLift")),
    ),
    h("div", { class: "field wide" }, h("label", { for: `reason-${id}` }, t("dueReason")), h("input", { id: `reason-${id}`, name: "reason", required: true, maxlength: "1000" })),
    h("div", { class: "field" }, h("label", { for: `next-${id}` }, t("dueNext")), h("input", { id: `next-${id}`, name: "next_review", type: "date" })),
    h("div", { class: "field" }, h("label", { for: `liftin-${id}` }, t("dueLiftIn")), h("input", { id: `liftin-${id}`, name: "lift_in", placeholder: "HOM/OL/2026/015" })),
    h("button", { type: "submit", class: "primary" }, t("dueRecord")),
    h("div", { class: "status wide", "aria-live": "polite" }),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    decide(i, form);
  });
  return form;
}

async function decide(i, form) {
  const out = form.querySelector(".status");
  const decision = form.querySelector("input[type=radio]:checked").value;
  const reason = form.querySelector("[name=reason]").value.trim();
  if (!reason) return out.replaceChildren(h("p", { class: "note warn", role: "alert" }, t("dueNeedReason")));
  const body = { decision, reason };
  if (i.kind === "directive-review") body.directive = i.directive;
  else body.venue = i.venue_id;
  const next = form.querySelector("[name=next_review]").value;
  const liftIn = form.querySelector("[name=lift_in]").value.trim();
  if (decision === "keep" && next) body.next_review = next;
  if (decision === "lift" && liftIn) body.lift_in = liftIn;
  try {
    await api("/api/v1/reviews", { method: "POST", body, token: session().token });
    const key = itemKey(i);
    d.open = null;
    d.notes.set(key, h("p", { class: "note ok", role: "status", "data-decided": decision }, t(decision === "keep" ? "dueKept" : "dueLifted", { what: i.venue || i.directive })));
    if (decision === "lift") await listChanged().catch(() => {});
    await refreshDue();
  } catch (e) {
    out.replaceChildren(errorBox(e));
  }
}
