// Calls to keepout's REST API. Every failure becomes an ApiError carrying the status and the API's
// own {"error": {"code", "message"}}, so the page can show it rather than swallow it.
import { t } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, code, message, detail = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.detail = detail; // the API's whole error object (e.g. "examples" of a bad coordinate)
  }
}

// `signal` (an AbortController's) cancels the request: the promise then rejects with the
// DOMException named "AbortError", never an ApiError, so a cancelled request is never shown.
export async function api(path, { method = "GET", body, token, signal } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-cache", signal });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError(0, "network", t("networkError", { msg: e.message }));
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const e = data && data.error;
    throw new ApiError(response.status, e?.code || `http-${response.status}`, e?.message || text.slice(0, 300) || response.statusText, e);
  }
  return data;
}

// Builds "path?k=v&…", leaving out empty values.
export function url(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

// A directive reference keeps its slashes in the path (HOM/OL/2026/014); each part is escaped.
export const refPath = (ref) => ref.split("/").map(encodeURIComponent).join("/");

// Small DOM builder: h("p", {class: "x"}, "text", child…).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    // Event handlers only as functions: an "on…" attribute is never set from a string.
    if (k.startsWith("on")) {
      if (typeof v === "function") el.addEventListener(k.slice(2), v);
    } else if (k === "class") el.className = v;
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

// An error box with the API's status, code and message; role=alert so screen readers announce it.
export function errorBox(err) {
  const status = err instanceof ApiError && err.status ? ` ${err.status}` : "";
  const code = err instanceof ApiError && err.code ? ` (${err.code})` : "";
  return h("div", { class: "error", role: "alert" }, h("strong", {}, `${t("errorTitle")}${status}${code}: `), err.message || String(err));
}

export function showError(container, err) {
  container.replaceChildren(errorBox(err));
}

export function note(container, text, kind = "ok") {
  container.replaceChildren(h("p", { class: `note ${kind}`, role: "status" }, text));
}

export function todayIso() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
