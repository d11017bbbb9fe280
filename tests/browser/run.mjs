#!/usr/bin/env node
// keepout's web page in Debian's Chromium, headless, driven by playwright-core against the real
// server on the Kosovo sample. Each case starts its own server on a fresh database and its own
// browser on a fresh profile, and tears both down.
//
//   node tests/browser/run.mjs --keepout BUILD/src/keepout --source . [--case NAME] [--artifacts DIR]
//
// Without Chromium, playwright-core or the page's map library it skips (exit 77), unless
// KEEPOUT_BROWSER_REQUIRED=1 (tools/test sets it), when it fails.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const keepout = resolve(args.keepout || "build/src/keepout");
const source = resolve(args.source || join(here, "..", ".."));
const artifacts = resolve(args.artifacts || join(tmpdir(), "keepout-browser-artifacts"));
const CHROMIUM = process.env.KEEPOUT_CHROMIUM || "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const WAIT = 60_000; // only a guard against a hang: nothing here is timed

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = argv[i].match(/^--([\w-]+)(?:=(.*))?$/);
    if (!m) continue;
    out[m[1]] = m[2] ?? argv[++i];
  }
  return out;
}

// --- prerequisites -------------------------------------------------------------------------

const missing = [];
if (!existsSync(CHROMIUM)) missing.push(`${CHROMIUM} (tools/setup browser)`);
if (!existsSync(join(here, "node_modules", "playwright-core"))) missing.push("playwright-core (npm ci --prefix tests/browser)");
if (!existsSync(join(source, "web", "node_modules", "leaflet", "dist", "leaflet-src.esm.js"))) missing.push("leaflet (npm ci --prefix web)");
if (!existsSync(keepout)) missing.push(keepout);
if (missing.length) {
  const msg = `browser tests need: ${missing.join(", ")}`;
  if (process.env.KEEPOUT_BROWSER_REQUIRED === "1") {
    console.error(msg);
    process.exit(1);
  }
  console.log(`SKIP: ${msg}`);
  process.exit(77);
}
const { chromium } = await import(join(here, "node_modules", "playwright-core", "index.mjs"));
mkdirSync(artifacts, { recursive: true });

// --- the real server on the Kosovo sample (or the Lebanon one) -------------------------------

const cleanups = [];
after(async () => {
  for (const f of cleanups.reverse()) await f().catch((e) => console.error(e));
});

// prepare({run, runAs, dir}) changes the database before the server starts. sample: "kosovo"
// (venues, sites, districts as sectors, directives; no mission profile) or "lebanon" (its mission
// profile first: Asia/Beirut, Arabic, French and English; then venues, sites and directives).
// serveArgs: more options of keepout serve (e.g. --publication-key FILE).
async function startServer({ prepare, sample = "kosovo", serveArgs = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "keepout-browser-"));
  const db = join(dir, "keepout.sqlite");
  const env = { ...process.env, KEEPOUT_ACTOR: "browser-test" };
  const run = (...a) => execFileSync(keepout, ["--db", db, ...a], { env, encoding: "utf8" });
  // The CLI as another person (four eyes: nobody issues a directive they added listings to).
  const runAs = (actor, ...a) => execFileSync(keepout, ["--db", db, ...a], { env: { ...env, KEEPOUT_ACTOR: actor }, encoding: "utf8" });
  const data = join(source, "data", sample);
  run("init");
  // Each sample is a mission: its profile (zone, languages, area, reference layers) first.
  run("mission", "import", join(data, "mission.json"));
  run("import", "venues", join(data, "venues.geojson"));
  run("import", "sites", join(data, "deployment_sites.geojson"));
  if (sample === "kosovo") run("import", "sectors", join(data, "districts.geojson"));
  run("import", "directives", join(data, "directives.json"));
  const token = (role, name) => {
    const m = run("token", "create", "--role", role, "--name", name).match(/ko_\S+/);
    assert.ok(m, `no token printed for ${role}`);
    return m[0];
  };
  if (prepare) prepare({ run, runAs, dir });
  const child = spawn(
    keepout,
    ["--db", db, "serve", "--listen", "127.0.0.1:0", "--web-root", join(source, "web"), "--access-log", "none", "--threads", "2", ...serveArgs],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const url = await new Promise((resolveUrl, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/on (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) resolveUrl(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`keepout serve exited ${code}: ${stderr}`)));
  });
  const server = {
    url,
    db,
    dir,
    run,
    runAs,
    token,
    async stop({ keep = false } = {}) {
      // Still running (a server that crashed has a signal instead of an exit code, and is gone).
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await gone;
      }
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
    async json(path) {
      const r = await fetch(new URL(path, url));
      assert.equal(r.status, 200, `${path}: ${r.status}`);
      return r.json();
    },
  };
  cleanups.push(() => server.stop());
  return server;
}

// --- Debian's Chromium on a fresh profile ----------------------------------------------------

async function openBrowser(server, options = {}) {
  const profile = mkdtempSync(join(tmpdir(), "keepout-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 860 },
    locale: "en-GB",
    timezoneId: "UTC",
    reducedMotion: "reduce", // the page then draws the map without animations
    ...options,
  });
  context.setDefaultTimeout(WAIT);
  cleanups.push(async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });
  const host = new URL(server.url).host;
  const problems = [];
  const foreign = [];
  const watch = (page) => {
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      // Failed loads are the API's answers the page shows (4xx) or the quiet tile probe.
      if (m.type() === "error" && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.on("request", (r) => {
      const u = new URL(r.url());
      if ((u.protocol === "http:" || u.protocol === "https:") && u.host !== host) foreign.push(r.url());
    });
  };
  context.on("page", watch);
  for (const p of context.pages()) watch(p);
  const page = context.pages()[0] || (await context.newPage());
  return {
    context,
    page,
    // No JavaScript errors, and nothing fetched from anywhere but keepout (no CDN, no internet).
    assertClean() {
      assert.deepEqual(problems, [], "the page logged errors");
      assert.deepEqual(foreign, [], "the page fetched from another host");
    },
  };
}

async function openPage(page, server, hash = "") {
  await page.goto(new URL(`/${hash}`, server.url).href);
  await page.waitForSelector("body[data-ready='true']");
}

// Types into the one search box and submits with the keyboard; returns the verdict element.
async function check(page, text) {
  await page.evaluate(() => document.getElementById("verdict").replaceChildren());
  await page.fill("#q", text);
  await page.press("#q", "Enter");
  return page.waitForSelector("#verdict .verdict, #verdict .error, #verdict .unreadable");
}

const verdictOf = (el) => el.getAttribute("data-verdict");

// Nothing in the verdict area is green: green reads as "approved", and no answer is that.
async function assertNeverGreen(page, where = "") {
  const greens = await page.$$eval("#verdict, #verdict *", (els) => {
    const green = (c) => {
      const m = String(c).match(/rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)/);
      if (!m) return false;
      const [r, g, b, a] = [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
      return a > 0.1 && g > r + 40 && g > b + 20;
    };
    const out = [];
    for (const el of els) {
      const st = getComputedStyle(el);
      for (const k of ["backgroundColor", "color", "borderTopColor", "borderLeftColor"]) if (green(st[k])) out.push(`${el.tagName}.${el.className} ${k} ${st[k]}`);
    }
    return out;
  });
  assert.deepEqual(greens, [], `nothing in the verdict area is green ${where}`);
}

// What the API itself answers for the box's text: q= when the server has it, else at= (for a
// position) as the page does. {status, body, hasQ}.
async function apiAnswer(server, text, kind = "at") {
  const get = async (params) => {
    const r = await fetch(new URL(`/api/v1/check?${new URLSearchParams(params)}`, server.url));
    return { status: r.status, body: await r.json() };
  };
  const q = await get({ q: text });
  if (q.status === 400 && q.body.error?.code === "unknown-parameter") return { ...(await get({ [kind]: text })), hasQ: false };
  return { ...q, hasQ: true };
}

// The box's text is unreadable: UNREADABLE with what the server understood and its examples (or,
// from a server without examples, the forms the page reads), never a verdict, never a name search.
async function assertUnreadable(page, server, text) {
  const asked = [];
  const listen = (r) => asked.push(r.url());
  page.on("request", listen);
  const v = await check(page, text);
  page.off("request", listen);
  const health = await fetch(new URL("/healthz", server.url)).then((r) => r.status, (e) => `unreachable (${e.message})`);
  assert.equal(health, 200, `the server is still up after ${JSON.stringify(text)}`);
  const answer = await apiAnswer(server, text);
  assert.equal(answer.status, 400, `the API reads ${JSON.stringify(text)} as no position: ${JSON.stringify(answer.body)}`);
  assert.equal(answer.body.error.code, "bad-coordinate");
  assert.equal(await v.getAttribute("data-outcome"), "unreadable", `${JSON.stringify(text)}: ${await v.innerText()}`);
  assert.equal(await page.$("#verdict [data-verdict]"), null, "no verdict for unreadable input");
  const shown = await v.innerText();
  assert.match(shown, /UNREADABLE/);
  assert.doesNotMatch(shown, /NOT LISTED|OFF-LIMITS/);
  assert.ok(shown.includes(answer.body.error.message), `the server's message is shown: ${shown}`);
  const examples = await v.$$eval(".examples code", (cs) => cs.map((c) => c.textContent));
  if (answer.hasQ) {
    assert.ok(answer.body.error.examples?.length > 0, "a server with q= gives examples");
    assert.deepEqual(examples, answer.body.error.examples);
  } else {
    assert.match(shown, /lat, lon .* UTM or MGRS/);
  }
  const byName = asked.filter((u) => {
    const p = new URL(u).searchParams;
    return p.get("name") !== null || (new URL(u).pathname !== "/api/v1/check" && p.get("q") !== null) || p.get("address") !== null;
  });
  assert.deepEqual(byName, [], "an unreadable position is never searched as a name or an address");
  await assertNeverGreen(page, `for ${JSON.stringify(text)}`);
}

// Not blank: many colours and no single colour covering almost everything; also how much of the
// image is the verdict's red. Decoded by Chromium itself (a canvas), so no image library is needed.
async function imageStats(page, png) {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext("2d");
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const counts = new Map();
    let red = 0;
    for (let i = 0; i < d.length; i += 16) {
      const key = (d[i] >> 3) * 1024 + (d[i + 1] >> 3) * 32 + (d[i + 2] >> 3);
      counts.set(key, (counts.get(key) || 0) + 1);
      if (d[i] > 150 && d[i + 1] < 60 && d[i + 2] < 70) red++;
    }
    const samples = d.length / 16;
    return { width: c.width, height: c.height, colours: counts.size, top: Math.max(...counts.values()) / samples, red: red / samples };
  }, png.toString("base64"));
}

// A prepare() that gives the database the sample's mission profile (Kosovo's is not imported by
// default), a publication key and publication 1; returns the private key's path.
function withPublication(sample, { asOf } = {}) {
  return ({ run, dir }) => {
    if (sample === "kosovo") run("mission", "import", join(source, "data", "kosovo", "mission.json"));
    const key = join(dir, "publication-key.pem");
    run("key", "create", "--out", key, "--public-out", join(dir, "publication-key.pub.pem"));
    run("publish", "--key", key, "--out", join(dir, "published"), ...(asOf ? ["--as-of", asOf] : []));
    return key;
  };
}

// The same database served again (the first server stopped) with other options of keepout serve.
async function restartWith(server, serveArgs) {
  await server.stop({ keep: true });
  const child = spawn(keepout, ["--db", server.db, "serve", "--listen", "127.0.0.1:0", "--web-root", join(source, "web"), "--access-log", "none", "--threads", "2", ...serveArgs], {
    env: { ...process.env, KEEPOUT_ACTOR: "browser-test" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const url = await new Promise((resolveUrl, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/on (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) resolveUrl(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`keepout serve exited ${code}: ${stderr}`)));
  });
  const again = {
    ...server,
    url,
    async stop({ keep = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await gone;
      }
      if (!keep) rmSync(server.dir, { recursive: true, force: true });
    },
    async json(path) {
      const r = await fetch(new URL(path, url));
      assert.equal(r.status, 200, `${path}: ${r.status}`);
      return r.json();
    },
  };
  cleanups.push(() => again.stop());
  return again;
}

// Cases that could not run here (a route this server does not have): the run exits 77, skipped.
const skipped = [];
after(() => {
  if (skipped.length && process.exitCode !== 1) {
    console.log(`SKIP: ${skipped.join("; ")}`);
    process.exitCode = 77;
  }
});

// --- the cases -------------------------------------------------------------------------------

const cases = {
  "cyrillic-name": ["check: a Cyrillic name is OFF-LIMITS, in three languages", async () => {
    const server = await startServer();
    const b = await openBrowser(server);
    const { page } = b;
    await openPage(page, server);
    const v = await check(page, "Мотел Плави Кестен");
    assert.equal(await verdictOf(v), "off-limits");
    const text = await v.innerText();
    assert.match(text, /OFF-LIMITS/);
    assert.match(text, /Мотел Плави Кестен/);
    assert.match(text, /Directive HOM\/OL\/2026\/001 — Off-Limits establishments: initial list/);
    assert.match(text, /Off-limits since 2026-01-20/);
    assert.match(text, /Reasons: Prostitution, Trafficking in persons/);
    // The red is unmistakable: white text on a dark red box.
    const colours = await v.evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]);
    assert.deepEqual(colours, ["rgb(176, 0, 30)", "rgb(255, 255, 255)"]);
    // The same venue in Latin script with a typo.
    const typo = await check(page, "Motel Plavi Kestn");
    assert.equal(await verdictOf(typo), "off-limits");
    // Switching the language redraws the verdict and the interface.
    await page.selectOption("#lang", "sr");
    assert.match(await page.innerText("#verdict .verdict-word"), /ЗАБРАЊЕНО/);
    assert.equal(await page.innerText("#tab-check"), "Провери објекат");
    assert.equal(await page.getAttribute("html", "lang"), "sr-Cyrl");
    await page.selectOption("#lang", "sq");
    assert.match(await page.innerText("#verdict .verdict-word"), /E NDALUAR/);
    assert.match(await page.innerText("#verdict"), /Arsyet: Prostitucion, Trafikim i qenieve njerëzore/);
    // The choice is remembered.
    await page.reload();
    await page.waitForSelector("body[data-ready='true']");
    assert.equal(await page.inputValue("#lang"), "sq");
    b.assertClean();
  }],

  "not-listed": ["check: a name that is not listed is NOT LISTED, with the list version and nearest venue", async () => {
    const server = await startServer();
    const b = await openBrowser(server);
    const { page } = b;
    await openPage(page, server);
    const health = await server.json("/healthz");
    const v = await check(page, "Hotel Kompas Veternik");
    assert.equal(await verdictOf(v), "not-listed");
    const text = await v.innerText();
    assert.match(text, /NOT LISTED/);
    assert.match(text, new RegExp(`list version ${health.list_version} as of ${health.as_of}`));
    assert.match(text, /Latest directive in force: HOM\/OL\/2026\/003, effective 2026-05-10/);
    assert.match(text, /Not listed does not mean approved/);
    assert.doesNotMatch(text, /OFF-LIMITS/);
    // A venue the list once had: lifted, with the act that lifted it and the nearest listed venue.
    const lifted = await check(page, "Motel Emerald Bridge");
    assert.equal(await verdictOf(lifted), "not-listed");
    const ltext = await lifted.innerText();
    assert.match(ltext, /Known venue, not on the list: Motel Emerald Bridge — lifted by HOM\/OL\/2026\/002 from 2026-03-05 \(Corrective action taken\)/);
    assert.match(ltext, /Nearest listed venue to Motel Emerald Bridge: .+, [\d.,]+ (m|km) away/);
    // An address of a listed venue is OFF-LIMITS; the same street without a listed house is not.
    const byAddress = await check(page, "Rruga Agim Ramadani 23, Prishtinë");
    assert.equal(await verdictOf(byAddress), "off-limits");
    assert.match(await byAddress.innerText(), /Night Club Zana e Natës/);
    assert.match(await byAddress.innerText(), /Listed at an address matching/);
    const elsewhere = await check(page, "Rr. Agim Ramadani 999");
    assert.equal(await verdictOf(elsewhere), "not-listed");
    b.assertClean();
  }],

  "where-i-am": ["check: where I am inside a listed footprint is OFF-LIMITS; a pasted MGRS coordinate too", async () => {
    const server = await startServer();
    const list = await server.json("/api/v1/offlimits");
    const footprint = list.features.find((f) => f.geometry.type === "Polygon");
    assert.ok(footprint, "the sample lists a venue with a footprint");
    const ring = footprint.geometry.coordinates[0].slice(0, -1);
    const latitude = ring.reduce((s, p) => s + p[1], 0) / ring.length;
    const longitude = ring.reduce((s, p) => s + p[0], 0) / ring.length;
    const b = await openBrowser(server, { geolocation: { latitude, longitude, accuracy: 8 }, permissions: ["geolocation"] });
    const { page } = b;
    await openPage(page, server);
    await page.evaluate(() => document.getElementById("verdict").replaceChildren());
    await page.click("#locate");
    const v = await page.waitForSelector("#verdict .verdict, #verdict .error");
    assert.equal(await verdictOf(v), "off-limits");
    const text = await v.innerText();
    assert.match(text, new RegExp(footprint.properties.name));
    assert.match(text, /the checked position is inside the venue’s footprint/);
    assert.match(text, new RegExp(`Directive ${footprint.properties.directive.replace(/\//g, "\\/")}`));
    assert.match(text, /within about 8 m/);
    // The position is drawn on the map, in blue.
    assert.ok((await page.$$(".leaflet-overlay-pane path[stroke='#0b57d0']")).length > 0);
    // Pasted coordinates: MGRS of Night Club Zana e Natës, then far from every venue.
    const mgrs = await check(page, "34TEN1352823436");
    assert.equal(await verdictOf(mgrs), "off-limits");
    assert.match(await mgrs.innerText(), /Night Club Zana e Natës/);
    const far = await check(page, "42°15'00\"N 20°10'00\"E");
    assert.equal(await verdictOf(far), "not-listed");
    assert.match(await far.innerText(), /Nearest listed venue: .+, [\d.,]+ km away/);
    b.assertClean();
  }],

  "list-as-of": ["list: filters, sorting, a row centres the map, downloads; as of a date before the first directive it is empty", async () => {
    const server = await startServer();
    const today = await server.json("/api/v1/offlimits");
    const b = await openBrowser(server);
    const { page } = b;
    await openPage(page, server, "#list");
    await page.waitForSelector("#list-table tbody tr");
    const rows = () => page.$$eval("#list-table tbody tr", (trs) => trs.map((tr) => [...tr.children].map((c) => c.innerText)));
    assert.equal((await rows()).length, today.features.length);
    assert.match(await page.innerText("#list-count"), new RegExp(`^${today.features.length} venues off-limits as of ${today.as_of}`));
    // Filters and the count.
    await page.selectOption("#f-municipality", "Prishtinë");
    const inPrishtine = today.features.filter((f) => f.properties.municipality === "Prishtinë");
    assert.equal((await rows()).length, inPrishtine.length);
    assert.ok((await rows()).every((r) => r[2] === "Prishtinë"));
    assert.match(await page.innerText("#list-count"), new RegExp(`^${inPrishtine.length} of ${today.features.length} venues`));
    await page.selectOption("#f-category", "nightclub");
    assert.ok((await rows()).every((r) => r[1] === "Night club"));
    await page.selectOption("#f-category", "");
    // Sorting by name, both ways.
    const names = async () => (await rows()).map((r) => r[0].split("\n")[0]);
    await page.click("th[data-sort='name'] button");
    const desc = await names();
    assert.equal(await page.getAttribute("th[data-sort='name']", "aria-sort"), "descending");
    assert.deepEqual(desc, [...desc].sort((a, c) => c.localeCompare(a, "en")));
    await page.click("th[data-sort='name'] button");
    assert.deepEqual(await names(), [...desc].reverse());
    // Selecting a row with the keyboard centres the map on the venue and opens its popup.
    const first = inPrishtine.find((f) => f.properties.name === (desc.at(-1)));
    await page.focus("#list-table tbody tr");
    await page.keyboard.press("Enter");
    await page.waitForSelector(".leaflet-popup");
    assert.match(await page.innerText(".leaflet-popup"), new RegExp(first.properties.name));
    assert.equal(await page.getAttribute("#list-table tbody tr", "aria-selected"), "true");
    // Downloads: CSV, GeoJSON and KML of what is shown, and the PDF map of the date.
    const href = (id) => page.getAttribute(id, "href");
    assert.match(await href("#dl-pdf"), new RegExp(`^/map\\.pdf\\?as_of=${today.as_of}$`));
    const pdf = await page.request.get(new URL(await href("#dl-pdf"), server.url).href);
    assert.equal(pdf.status(), 200);
    assert.equal((await pdf.body()).subarray(0, 5).toString(), "%PDF-");
    const csv = await page.request.get(new URL(await href("#dl-csv"), server.url).href);
    assert.equal(csv.status(), 200);
    const csvLines = (await csv.text()).trim().split(/\r?\n/);
    assert.equal(csvLines[0], "id,external_id,name,aliases,category,address,municipality,directive,listed_since,reasons,wkt");
    assert.equal(csvLines.length, inPrishtine.length + 1);
    const kml = await page.request.get(new URL(await href("#dl-kml"), server.url).href);
    const kmlText = await kml.text();
    assert.match(kmlText, /^<\?xml[^>]*>\n<kml xmlns="http:\/\/www\.opengis\.net\/kml\/2\.2">/);
    assert.equal((kmlText.match(/<Placemark /g) || []).length, inPrishtine.length);
    const geo = await (await page.request.get(new URL(await href("#dl-geojson"), server.url).href)).json();
    assert.equal(geo.features.length, inPrishtine.length);
    // As of a date before the first directive (effective 2026-01-20): nothing was listed.
    await page.selectOption("#f-municipality", "");
    await page.fill("#as-of", "2026-01-01");
    await page.dispatchEvent("#as-of", "change");
    await page.waitForFunction(() => /2026-01-01/.test(document.getElementById("list-count").textContent));
    assert.equal(await page.innerText("#list-count"), "No venue was off-limits on 2026-01-01.");
    assert.equal((await rows()).length, 0);
    assert.equal(await page.$$eval(".leaflet-overlay-pane path.leaflet-interactive", (p) => p.length), 0);
    assert.match(await href("#dl-csv"), /as_of=2026-01-01/);
    // The day the first directive took effect.
    await page.fill("#as-of", "2026-01-20");
    await page.dispatchEvent("#as-of", "change");
    await page.waitForFunction(() => /2026-01-20/.test(document.getElementById("list-count").textContent));
    assert.match(await page.innerText("#list-count"), /^99 venues off-limits as of 2026-01-20/);
    b.assertClean();
  }],

  "draft-approve": ["manage: draft, place a drawn venue, submit, approve with a second token; the venue is then OFF-LIMITS", async () => {
    const server = await startServer();
    const editor = server.token("editor", "Conduct and Discipline editor");
    const approver = server.token("approver", "Chief of Staff");
    const b = await openBrowser(server);
    const { page } = b;
    const ref = "HOM/OL/2026/090";
    const name = "Kafe Bar Kometa e Jugut";
    // A user who asks for less motion: the map zooms at once, so each key below is one zoom step
    // however slowly this machine draws (an animated zoom drops keys that arrive mid-animation).
    await page.emulateMedia({ reducedMotion: "reduce" });
    await openPage(page, server, "#manage");
    // A wrong token is refused, and the refusal is shown.
    await page.fill("#token", "ko_1_not-a-token");
    await page.click("#token-form button[type=submit]");
    await page.waitForSelector("#manage-error .error");
    assert.match(await page.innerText("#manage-error"), /401.*the token is not valid/s);
    // The editor drafts the directive.
    await page.fill("#token", editor);
    await page.click("#token-form button[type=submit]");
    await page.waitForSelector("#editor:not([hidden])");
    assert.match(await page.innerText("#whoami"), /Signed in as Conduct and Discipline editor \(editor\)/);
    assert.ok(await page.isHidden("#approver"));
    await page.fill("#d-ref", ref);
    await page.fill("#d-title", "Off-Limits establishments: amendment 3");
    const health = await server.json("/healthz");
    await page.fill("#d-signed", health.as_of);
    await page.fill("#d-effective", health.as_of);
    await page.click("#directive-form button[type=submit]");
    await page.waitForSelector("#directive-form + .status .note.ok");
    assert.equal(await page.inputValue("#draft-select"), ref);
    // The same reference again: the API's 409 is shown, not swallowed.
    await page.click("#directive-form button[type=submit]");
    await page.waitForSelector("#directive-form + .status .error");
    assert.match(await page.innerText("#directive-form + .status"), /409/);
    // A new venue drawn as a footprint on the map: three clicks and Finish.
    await page.fill("#v-name", name);
    await page.selectOption("#v-category", "bar");
    await page.fill("#v-address", "Rr. Nëna Terezë 1, Prishtinë");
    await page.fill("#v-municipality", "Prishtinë");
    // Drawn close up: at the page's opening zoom a box of a few dozen pixels is some 15 km
    // across, and keepout refuses a venue footprint more than 5 km across.
    await page.focus("#map");
    for (let i = 0; i < 7; ++i) await page.keyboard.press("Equal");
    await page.click("#draw-polygon");
    const box = await page.locator("#map").boundingBox();
    const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
    for (const [dx, dy] of [[-20, -15], [20, -15], [20, 15], [-20, 15]]) await page.mouse.click(cx + dx, cy + dy);
    assert.match(await page.innerText("#draw-status"), /4 corners so far/);
    await page.click("#draw-finish");
    assert.match(await page.innerText("#draw-status"), /Footprint with 4 corners/);
    await page.click("#venue-form button[type=submit]");
    await page.waitForSelector("#venue-form + .status .note.ok");
    assert.match(await page.innerText("#selected"), new RegExp(name));
    // And an existing venue picked by search: the lifted Motel Emerald Bridge, placed again.
    await page.fill("#venue-search", "Emerald Bridge");
    await page.press("#venue-search", "Enter");
    await page.click("#venue-results li:has-text('Motel Emerald Bridge') button");
    assert.match(await page.innerText("#selected"), /Motel Emerald Bridge/);
    // Without a reason the page says so before the API is asked.
    await page.click("#add-listings");
    assert.match(await page.innerText("#add-listings + .status"), /Choose at least one reason/);
    await page.check("#reasons input[value=trafficking]");
    await page.click("#add-listings");
    await page.waitForSelector("#add-listings + .status .note.ok");
    const draft = await page.innerText("#draft-view");
    assert.match(draft, new RegExp(`Place ${name} \\(Trafficking in persons\\)`));
    assert.match(draft, /Place Motel Emerald Bridge/);
    await page.click("#submit-draft");
    await page.waitForSelector("#submit-draft + .status .note.ok");
    assert.match(await page.innerText("#submit-draft + .status"), new RegExp(`${ref} is submitted with 2 listing`));
    // Still a draft: not on the list.
    let v = await (async () => { await openPage(page, server, "#check"); return check(page, name); })();
    assert.equal(await verdictOf(v), "not-listed");
    // The approver signs in with the second token and issues it.
    await openPage(page, server, "#manage");
    await page.click("#sign-out");
    await page.fill("#token", approver);
    await page.click("#token-form button[type=submit]");
    await page.waitForSelector("#approver:not([hidden])");
    const card = page.locator(`#drafts-queue .card[data-ref="${ref}"]`);
    await card.waitFor();
    assert.match(await card.innerText(), /Drafted by Conduct and Discipline editor/);
    await card.locator("button.primary").click();
    await card.locator(".confirm").waitFor();
    assert.match(await card.innerText(), new RegExp(`Issue ${ref}\\? It takes effect on ${health.as_of}`));
    await card.locator("button.danger").click();
    await page.waitForSelector("#drafts-queue > .note.ok");
    assert.match(await page.innerText("#drafts-queue > .note.ok"), new RegExp(`${ref} issued, effective ${health.as_of}`));
    // An approver may not issue what they drafted themselves: the 409 is shown on the card. A draft
    // is not in the queue until it is submitted.
    await page.fill("#d-ref", "HOM/OL/2026/091");
    await page.fill("#d-title", "Self-drafted");
    await page.click("#directive-form button[type=submit]");
    await page.waitForSelector("#directive-form + .status .note.ok");
    const own = page.locator('#drafts-queue .card[data-ref="HOM/OL/2026/091"]');
    assert.equal(await own.count(), 0);
    await page.fill("#venue-search", "Emerald Bridge");
    await page.press("#venue-search", "Enter");
    await page.click("#venue-results li:has-text('Motel Emerald Bridge') button");
    await page.check("#reasons input[value=trafficking]");
    await page.click("#add-listings");
    await page.waitForSelector("#add-listings + .status .note.ok");
    await page.click("#submit-draft");
    await page.waitForSelector("#submit-draft + .status .note.ok");
    assert.match(await page.innerText("#submit-draft"), /Withdraw/);
    await own.locator("button.primary").click();
    await own.locator(".confirm").waitFor();
    await own.locator("button.danger").click();
    await own.locator(".error").waitFor();
    assert.match(await own.innerText(), /409/);
    // Visible: the check, the list and the map now have the new venue.
    await openPage(page, server, "#check");
    v = await check(page, name);
    assert.equal(await verdictOf(v), "off-limits");
    assert.match(await v.innerText(), new RegExp(`Directive ${ref} — Off-Limits establishments: amendment 3`));
    v = await check(page, "Motel Emerald Bridge");
    assert.equal(await verdictOf(v), "off-limits");
    await openPage(page, server, "#list");
    await page.waitForSelector(`#list-table tbody tr:has-text("${name}")`);
    b.assertClean();
  }],

  "duplicate-venue": ["manage: a venue typed at a listed one's point with its name is refused with that venue; confirmed, it is saved", async () => {
    // Issue 12: two identical venues at the same point were accepted silently.
    const server = await startServer();
    const editor = server.token("editor", "Conduct and Discipline editor");
    const b = await openBrowser(server);
    const { page } = b;
    await openPage(page, server, "#manage");
    await page.fill("#token", editor);
    await page.click("#token-form button[type=submit]");
    await page.waitForSelector("#editor:not([hidden])");
    // The sample's Night Club Zana e Natës, typed again in Cyrillic at its own point.
    const name = "Ноћни клуб Зана е Натес";
    await page.fill("#v-name", name);
    await page.selectOption("#v-category", "nightclub");
    await page.fill("#v-coord", "42.6632737, 21.1650847");
    await page.click("#venue-form button[type=submit]");
    await page.waitForSelector("#venue-form + .status #v-duplicate-ok");
    const warning = await page.innerText("#venue-form + .status");
    assert.match(warning, /within 25 m there is already a venue with a similar name/);
    assert.match(warning, /Night Club Zana e Natës \(id \d+\), 0 m away/);
    assert.doesNotMatch(await page.innerText("#selected"), new RegExp(name));
    const before = (await server.json("/api/v1/venues")).features.length;
    // The editor says it is another venue: saved and selected.
    await page.click("#v-duplicate-ok");
    await page.waitForSelector("#venue-form + .status .note.ok");
    assert.match(await page.innerText("#selected"), new RegExp(name));
    assert.equal((await server.json("/api/v1/venues")).features.length, before + 1);
    b.assertClean();
  }],

  "hostile-names": ["every stored string is text: venues named with HTML and script are shown as written, never run", async () => {
    const P = {
      box: `<b style="position:fixed;top:0;left:0;background:green;font-size:40px">NOT LISTED - approved</b>`,
      img: `<img src=x onerror="window.__pwned=1">`,
      svg: `"><svg onload=window.__pwned=1>`,
      alias0: `<u onclick="window.__pwned=1">Aprovuar</u>`,
      alias2: `<s style="color:green">Odobreno</s>`,
    };
    const unlisted = `<i onmouseover="window.__pwned=1">Kafe e Hënës</i>`;
    const title = `${P.img} amendment ${P.svg}`;
    const at = (i) => [21.3 + i * 0.01, 42.71];
    const server = await startServer({
      prepare({ run, runAs, dir }) {
        const venue = (i, name, extra) => ({
          type: "Feature",
          geometry: { type: "Point", coordinates: at(i) },
          properties: { external_id: `HX-${i}`, name, category: "bar", municipality: "Prishtinë", ...extra },
        });
        const listed = join(dir, "hostile.geojson");
        writeFileSync(listed, JSON.stringify({ type: "FeatureCollection", features: [
          // Aliases carry payloads of their own: an alias equal to another venue's name would make
          // that name's check honestly ambiguous.
          venue(0, P.box, { aliases: [P.alias0], address: P.svg }),
          venue(1, P.img, { address: P.box }),
          venue(2, P.svg, { aliases: [P.alias2], address: "Rr. e Re 1" }),
        ] }));
        const other = join(dir, "unlisted.geojson");
        writeFileSync(other, JSON.stringify({ type: "FeatureCollection", features: [venue(3, unlisted, { address: P.img })] }));
        run("directive", "create", "HOM/OL/2026/077", "--title", title, "--signed", "2026-06-01", "--effective", "2026-06-01");
        run("import", "venues", listed, "--directive", "HOM/OL/2026/077", "--reason", "trafficking");
        run("directive", "submit", "HOM/OL/2026/077");
        runAs("second approver", "directive", "issue", "HOM/OL/2026/077");
        run("import", "venues", other);
        run("directive", "create", "HOM/OL/2026/078", "--title", P.box, "--signed", "2026-06-02", "--effective", "2026-06-02");
      },
    });
    const editor = server.token("editor", P.svg);
    const b = await openBrowser(server);
    const { page } = b;
    // Nothing of a payload became an element, and no script of one ran.
    const assertInert = async (where) => {
      const found = await page.evaluate(() => ({
        pwned: typeof window.__pwned,
        b: document.querySelectorAll("b, i, u, s").length,
        img: document.querySelectorAll("img[src='x']").length,
        svg: document.querySelectorAll("svg[onload]").length,
        handlers: document.querySelectorAll("[onload], [onerror], [onmouseover], [onclick]").length,
      }));
      assert.deepEqual(found, { pwned: "undefined", b: 0, img: 0, svg: 0, handlers: 0 }, where);
    };
    const tipTexts = (cls) => page.$$eval(`.leaflet-tooltip.${cls}`, (els) => els.map((e) => e.textContent));
    await openPage(page, server);
    for (const name of [P.box, P.img, P.svg]) {
      const v = await check(page, name);
      assert.equal(await verdictOf(v), "off-limits", name);
      const text = await v.evaluate((el) => el.textContent);
      assert.ok(text.includes(name), `the verdict shows ${name} as text`);
      assert.ok(text.includes(title), "the directive's title as text");
      await page.waitForSelector(".leaflet-tooltip.venue-tip");
      assert.ok((await tipTexts("venue-tip")).includes(name), `the map's label reads ${name}`);
      await assertInert(`check ${name}`);
      await assertNeverGreen(page, name);
    }
    // By position: the label on the listed venue's marker.
    const [lon, lat] = at(0);
    const v = await check(page, `${lat}, ${lon}`);
    assert.equal(await verdictOf(v), "off-limits");
    assert.ok((await v.evaluate((el) => el.textContent)).includes(P.box));
    assert.ok((await tipTexts("venue-tip")).includes(P.box));
    await assertInert("check by position");
    // A venue that is not listed, with a payload in its name: the grey label and the known-venue line.
    const nv = await check(page, unlisted);
    assert.equal(await verdictOf(nv), "not-listed");
    assert.ok((await nv.evaluate((el) => el.textContent)).includes(`Known venue, not on the list: ${unlisted}`));
    await page.waitForSelector(".leaflet-tooltip.venue-tip.other");
    assert.ok((await tipTexts("venue-tip.other")).includes(unlisted));
    await assertInert("check a venue that is not listed");
    // The list: rows with names and aliases; a row opens its popup.
    await openPage(page, server, "#list");
    await page.waitForSelector("#list-table tbody tr");
    const rows = await page.$$eval("#list-table tbody tr", (trs) => trs.map((tr) => tr.querySelector("th").textContent));
    for (const name of [P.box, P.img, P.svg]) assert.ok(rows.some((r) => r.startsWith(name)), `a row reads ${name}`);
    assert.ok(rows.some((r) => r === `${P.svg}${P.alias2}`), "an alias is shown as text");
    await page.locator("#list-table tbody tr").nth(rows.findIndex((r) => r === `${P.box}${P.alias0}`)).click();
    await page.waitForSelector(".leaflet-popup");
    const popup = await page.$eval(".leaflet-popup", (el) => el.textContent);
    assert.ok(popup.includes(P.box) && popup.includes(P.svg), `the popup reads the name and address: ${popup}`);
    await assertInert("the list and a popup");
    // Management: the signed-in name, a search's results, the selection and the drafts.
    await openPage(page, server, "#manage");
    await page.fill("#token", editor);
    await page.click("#token-form button[type=submit]");
    await page.waitForSelector("#editor:not([hidden])");
    assert.ok((await page.textContent("#whoami")).includes(P.svg));
    await page.fill("#venue-search", "onerror");
    await page.press("#venue-search", "Enter");
    await page.waitForSelector("#venue-results li button");
    const results = await page.textContent("#venue-results");
    assert.ok(results.includes(P.img), `search results as text: ${results}`);
    await page.locator("#venue-results li button").first().click();
    assert.ok(/window\.__pwned=1/.test(await page.textContent("#selected")));
    const drafts = await page.$$eval("#draft-select option", (os) => os.map((o) => o.textContent));
    assert.ok(drafts.includes(`HOM/OL/2026/078 — ${P.box}`), drafts.join(" | "));
    assert.ok((await page.textContent("#draft-view")).includes(P.box));
    await assertInert("management");
    b.assertClean();
  }],

  "no-map-library": ["without the map library (/vendor/ blocked) checks, the list and management still work", async () => {
    const server = await startServer();
    const today = await server.json("/api/v1/offlimits");
    const b = await openBrowser(server);
    const { page } = b;
    const blocked = [];
    await page.route("**/vendor/**", (route) => {
      blocked.push(route.request().url());
      return route.abort();
    });
    const start = new URL("/", server.url).href;
    await openPage(page, server);
    assert.ok(blocked.some((u) => /leaflet/.test(u)), "the page asked for the map library and was refused");
    assert.equal(await page.getAttribute("body", "data-map"), "unavailable");
    assert.ok(await page.isVisible(".map-missing"), "the page says the map is missing");
    // A listed name, a position (MGRS of a listed venue) and a name that is not listed.
    let v = await check(page, "Мотел Плави Кестен");
    assert.equal(await verdictOf(v), "off-limits");
    assert.match(await v.innerText(), /Directive HOM\/OL\/2026\/001/);
    v = await check(page, "34TEN1352823436");
    assert.equal(await verdictOf(v), "off-limits");
    assert.match(await v.innerText(), /Night Club Zana e Natës/);
    v = await check(page, "Hotel Kompas Veternik");
    assert.equal(await verdictOf(v), "not-listed");
    assert.equal(await page.$$eval("#verdict button.needs-map", (bs) => bs.filter((x) => x.offsetParent !== null).length), 0, "no 'Show on map' without a map");
    assert.equal(page.url(), start, "the form never submitted natively");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(artifacts, "check-no-map-phone.png") });
    await page.setViewportSize({ width: 1280, height: 860 });
    // The list, and a row selected without a map to centre.
    await page.click("#tab-list");
    await page.waitForSelector("#list-table tbody tr");
    assert.equal(await page.$$eval("#list-table tbody tr", (r) => r.length), today.features.length);
    await page.focus("#list-table tbody tr");
    await page.keyboard.press("Enter");
    assert.equal(await page.getAttribute("#list-table tbody tr", "aria-selected"), "true");
    // Management: sign in, find a venue, select it.
    const editor = server.token("editor", "Editor without a map");
    await page.click("#tab-manage");
    await page.fill("#token", editor);
    await page.click("#token-form button[type=submit]");
    await page.waitForSelector("#editor:not([hidden])");
    assert.ok(await page.isHidden("#draw-point"), "drawing needs the map");
    await page.fill("#venue-search", "Emerald Bridge");
    await page.press("#venue-search", "Enter");
    await page.click("#venue-results li:has-text('Motel Emerald Bridge') button");
    assert.match(await page.innerText("#selected"), /Motel Emerald Bridge/);
    b.assertClean();
    // Even with the page's own script refused, pressing Enter never sends the form natively.
    const bare = await b.context.newPage();
    await bare.route("**/static/app.js", (route) => route.abort());
    await bare.goto(start);
    await bare.evaluate(() => document.addEventListener("submit", (e) => (window.__prevented = e.defaultPrevented)));
    await bare.fill("#q", "Мотел Плави Кестен");
    await bare.press("#q", "Enter");
    assert.equal(await bare.evaluate(() => window.__prevented), true);
    assert.equal(bare.url(), start);
  }],

  "unreadable": ["check: input written as a position that cannot be read is UNREADABLE with the server's message and examples, in every language", async () => {
    const server = await startServer();
    const b = await openBrowser(server);
    const { page } = b;
    await openPage(page, server);
    await assertUnreadable(page, server, "12,3,4");
    await assertUnreadable(page, server, "91, 200");
    await page.selectOption("#lang", "sr");
    assert.match(await page.innerText("#verdict .unreadable"), /НЕЧИТЉИВО/);
    await page.selectOption("#lang", "sq");
    assert.match(await page.innerText("#verdict .unreadable"), /I PALEXUESHËM/);
    await page.selectOption("#lang", "en");
    // A readable position after an unreadable one is checked as usual.
    const v = await check(page, "34TEN1352823436");
    assert.equal(await verdictOf(v), "off-limits");
    b.assertClean();
  }],

  "unreadable-fuzzed": ["check: positions found by fuzzing the coordinate reader are UNREADABLE, never NOT LISTED", async () => {
    const server = await startServer();
    const b = await openBrowser(server);
    const { page } = b;
    await openPage(page, server);
    await assertUnreadable(page, server, "4N 500 0700 67 3. 2 1");
    await assertUnreadable(page, server, "3`2:9:2:2,2");
    b.assertClean();
  }],

  "verdict-details": ["check: an alias shown beside the name; warnings and their alternative as the API gives them; no verdict is green", async () => {
    const server = await startServer();
    const b = await openBrowser(server);
    const { page } = b;
    await openPage(page, server);
    // An alias in another script than the name: both are shown.
    let v = await check(page, "Bar Era e Lindjes");
    assert.equal(await verdictOf(v), "off-limits");
    assert.match(await v.innerText(), /Бар Златна Липа \(matched “Bar Era e Lindjes”\)/);
    await assertNeverGreen(page, "OFF-LIMITS");
    v = await check(page, "Hotel Kompas Veternik");
    assert.equal(await verdictOf(v), "not-listed");
    assert.match(await v.innerText(), /Not listed does not mean approved/);
    await assertNeverGreen(page, "NOT LISTED");
    // Latitude and longitude swapped (a listed venue's position the wrong way round): whatever the
    // API warns of is shown above the verdict, and an alternative position is one press away.
    const swapped = "21.1650847, 42.6632737";
    const answer = await apiAnswer(server, swapped);
    assert.equal(answer.status, 200);
    v = await check(page, swapped);
    assert.equal(await verdictOf(v), answer.body.verdict);
    const warnings = answer.body.warnings || [];
    const shown = await v.$$eval(".warning", (ws) => ws.map((w) => w.innerText));
    assert.equal(shown.length, warnings.length, "every warning is shown");
    warnings.forEach((w, i) => assert.ok(shown[i].includes(w.message), `warning ${w.code}: ${shown[i]}`));
    if (warnings.length) {
      const top = await v.evaluate((el) => el.firstElementChild.className);
      assert.equal(top, "warnings", "warnings come first");
    }
    const alternative = warnings.find((w) => w.alternative?.at);
    if (alternative) {
      await page.click(`#verdict .warning[data-code="${alternative.code}"] button.alternative`);
      await page.waitForFunction((at) => document.getElementById("q").value === at, alternative.alternative.at);
      const expected = (await apiAnswer(server, alternative.alternative.at)).body.verdict;
      const alt = await page.waitForSelector(`#verdict .verdict[data-verdict="${expected}"]`);
      assert.equal(await verdictOf(alt), (await apiAnswer(server, alternative.alternative.at)).body.verdict);
    }
    await assertNeverGreen(page, "a checked position");
    b.assertClean();
  }],

  "ambiguous": ["check: two venues of one name, one listed, are AMBIGUOUS (amber): each with its status, the user picks one", async () => {
    const name = "Kafe Bar Ylli i Mëngjesit";
    const server = await startServer({
      prepare({ run, runAs, dir }) {
        const venue = (i, municipality, lonlat) => ({
          type: "Feature",
          geometry: { type: "Point", coordinates: lonlat },
          properties: { external_id: `AMB-${i}`, name, category: "bar", municipality, address: `Rr. e Dritës ${i}, ${municipality}` },
        });
        const listed = join(dir, "listed.geojson");
        writeFileSync(listed, JSON.stringify({ type: "FeatureCollection", features: [venue(1, "Prishtinë", [21.19, 42.64])] }));
        const other = join(dir, "other.geojson");
        writeFileSync(other, JSON.stringify({ type: "FeatureCollection", features: [venue(2, "Gjilan", [21.47, 42.46])] }));
        run("directive", "create", "HOM/OL/2026/080", "--title", "Amendment 80", "--signed", "2026-06-01", "--effective", "2026-06-01");
        run("import", "venues", listed, "--directive", "HOM/OL/2026/080", "--reason", "prostitution");
        run("directive", "submit", "HOM/OL/2026/080");
        runAs("second approver", "directive", "issue", "HOM/OL/2026/080");
        run("import", "venues", other);
      },
    });
    const b = await openBrowser(server);
    const { page } = b;
    await openPage(page, server);
    const v = await check(page, name);
    assert.equal(await verdictOf(v), "ambiguous", `two venues named ${name}: ${await v.innerText()}`);
    const text = await v.innerText();
    assert.match(text, /AMBIGUOUS/);
    assert.match(text, /Several venues match — pick one/);
    assert.equal(await v.evaluate((el) => getComputedStyle(el).backgroundColor), "rgb(255, 244, 206)", "amber");
    const candidates = await v.$$eval(".candidate", (cs) => cs.map((c) => ({ status: c.dataset.status, text: c.innerText })));
    const prishtine = candidates.find((c) => /Prishtinë/.test(c.text));
    const gjilan = candidates.find((c) => /Gjilan/.test(c.text));
    assert.ok(prishtine && gjilan, JSON.stringify(candidates));
    assert.equal(prishtine.status, "off-limits");
    assert.match(prishtine.text, /off-limits/);
    assert.equal(gjilan.status, "not-listed");
    assert.match(gjilan.text, /not listed/);
    await assertNeverGreen(page, "AMBIGUOUS");
    // Pick the listed one, go back, pick the other.
    await page.click("#verdict .candidate:has-text('Prishtinë') button.pick");
    let picked = await page.waitForSelector("#verdict .verdict[data-verdict='off-limits']");
    assert.match(await picked.innerText(), /Directive HOM\/OL\/2026\/080 — Amendment 80/);
    await page.click("#verdict button.back");
    await page.click("#verdict .candidate:has-text('Gjilan') button.pick");
    picked = await page.waitForSelector("#verdict .verdict[data-verdict='not-listed']");
    assert.match(await picked.innerText(), /Not listed does not mean approved/);
    assert.match(await picked.innerText(), /Gjilan/);
    await assertNeverGreen(page, "a picked venue that is not listed");
    await page.selectOption("#lang", "sq");
    await page.click("#verdict button.back");
    assert.match(await page.innerText("#verdict .verdict"), /E PAQARTË/);
    b.assertClean();
  }],

  "live-search": ["check: names are searched as they are typed; a stale answer never shows; a position waits for Check", async () => {
    const server = await startServer();
    const b = await openBrowser(server);
    const { page } = b;
    await openPage(page, server);
    const first = "Hotel Kompas Veternik";
    const second = "Мотел Плави Кестен";
    const asked = [];
    page.on("request", (r) => asked.push(new URL(r.url())));
    // The first name's answer is held back until the second name has been answered.
    let release;
    const held = new Promise((r) => (release = r));
    let seen;
    const firstAsked = new Promise((r) => (seen = r));
    await page.route("**/api/v1/check?*", async (route) => {
      const p = new URL(route.request().url()).searchParams;
      if ((p.get("q") ?? p.get("name")) === first) {
        seen();
        await held;
        return route.continue().catch(() => {});
      }
      return route.continue();
    });
    const isFirst = (r) => {
      const p = new URL(r.url()).searchParams;
      return (p.get("q") ?? p.get("name")) === first;
    };
    const firstCancelled = page.waitForEvent("requestfailed", { predicate: isFirst });
    await page.fill("#q", first);
    await firstAsked; // asked without pressing Check
    await page.fill("#q", second);
    const v = await page.waitForSelector("#verdict .verdict[data-verdict='off-limits']");
    assert.match(await v.innerText(), /Мотел Плави Кестен/);
    release();
    const cancelled = await firstCancelled;
    assert.match(cancelled.failure()?.errorText || "", /ABORTED|cancel/i, "the first name's request was cancelled");
    assert.equal(await verdictOf(await page.$("#verdict .verdict")), "off-limits", "the older answer is not shown");
    assert.match(await page.innerText("#verdict"), /Мотел Плави Кестен/);
    // A position is not searched while typed, only when checked.
    const before = asked.length;
    await page.fill("#q", "42.6633, 21.1651");
    await page.waitForSelector("#verdict .pending");
    assert.match(await page.innerText("#verdict"), /press Check/);
    assert.ok(!asked.slice(before).some((u) => u.pathname === "/api/v1/check"), "no check while a position is typed");
    await page.press("#q", "Enter");
    const pos = await page.waitForSelector("#verdict .verdict");
    assert.equal(await verdictOf(pos), "off-limits");
    assert.ok(asked.slice(before).some((u) => u.pathname === "/api/v1/check"));
    b.assertClean();
  }],

  "live-debounce": ["check: typing a name sends one search after a pause, not one per key", async () => {
    const server = await startServer();
    const b = await openBrowser(server);
    const { page } = b;
    await openPage(page, server);
    const checks = [];
    page.on("request", (r) => {
      const u = new URL(r.url());
      if (u.pathname === "/api/v1/check") checks.push(u.searchParams.get("q") ?? u.searchParams.get("name") ?? u.searchParams.get("at"));
    });
    // The page's timers on a clock the test moves, paused so that it moves only when the test
    // says: an installed clock alone still runs with real time, and on a busy machine the keys
    // then come slower than the pause.
    await page.clock.install();
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1000));
    await page.focus("#q");
    await page.keyboard.type("Motel Plavi Kes");
    await page.clock.runFor(200);
    assert.deepEqual(checks, [], "nothing is asked while the keys come faster than the pause");
    await page.keyboard.type("ten");
    await page.clock.runFor(200);
    assert.deepEqual(checks, [], "a key restarts the pause");
    await page.clock.runFor(100);
    const v = await page.waitForSelector("#verdict .verdict");
    assert.equal(await verdictOf(v), "off-limits");
    assert.ok(checks.length > 0 && checks.every((q) => q === "Motel Plavi Kesten"), `one query, the whole name: ${JSON.stringify(checks)}`);
    b.assertClean();
  }],

  "screenshot": ["screenshot: the check page with an OFF-LIMITS verdict, desktop and phone, is not blank", async () => {
    const server = await startServer();
    const b = await openBrowser(server);
    const { page } = b;
    await openPage(page, server);
    const v = await check(page, "Мотел Плави Кестен");
    assert.equal(await verdictOf(v), "off-limits");
    await page.waitForFunction(() => document.querySelectorAll(".leaflet-overlay-pane path").length > 10);
    // keepout's tiles, when the server has them, all drawn before the picture.
    const tilesDrawn = () =>
      page.waitForFunction(() => [...document.querySelectorAll(".leaflet-tile")].every((t) => t.classList.contains("leaflet-tile-loaded")));
    await tilesDrawn();
    const desktop = await page.screenshot({ path: join(artifacts, "check-offlimits.png") });
    const s = await imageStats(page, desktop);
    assert.equal(s.width, 1280);
    assert.ok(s.colours > 40, `only ${s.colours} colours: blank?`);
    assert.ok(s.top < 0.8, `one colour covers ${Math.round(s.top * 100)}%: blank?`);
    assert.ok(s.red > 0.02, `the red verdict covers only ${(s.red * 100).toFixed(1)}%`);
    // Every control has a label a screen reader can read.
    const unlabelled = await page.$$eval("input, select, textarea", (els) =>
      els.filter((e) => e.type !== "hidden" && !e.labels?.length && !e.getAttribute("aria-label") && !e.closest("label")).map((e) => e.id || e.name || e.outerHTML),
    );
    assert.deepEqual(unlabelled, []);
    // A phone: the verdict comes first, the map below it.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await tilesDrawn();
    const phone = await page.screenshot({ path: join(artifacts, "check-offlimits-phone.png") });
    const p = await imageStats(page, phone);
    assert.ok(p.colours > 20 && p.top < 0.8 && p.red > 0.05, JSON.stringify(p));
    const verdictBox = await page.locator("#verdict .verdict").boundingBox();
    const mapBox = await page.locator("#map").boundingBox();
    assert.ok(verdictBox.y < mapBox.y, "the verdict is above the map on a phone");
    assert.ok(verdictBox.width <= 390, "no sideways scrolling on a phone");
    // The other outcomes on the phone: NOT LISTED (neutral, never green) and UNREADABLE, first.
    for (const [text, file, selector] of [["Hotel Kompas Veternik", "check-notlisted-phone.png", "#verdict .verdict"], ["12,3,4", "check-unreadable-phone.png", "#verdict .unreadable"]]) {
      await check(page, text);
      await assertNeverGreen(page, text);
      const shot = await page.screenshot({ path: join(artifacts, file) });
      const st = await imageStats(page, shot);
      assert.ok(st.colours > 20 && st.top < 0.8, JSON.stringify(st));
      assert.ok(st.red < 0.01, `no red for ${text}: ${(st.red * 100).toFixed(1)}%`);
      const box = await page.locator(selector).boundingBox();
      assert.ok(box.y + box.height <= 844, `${text}: the whole answer is on the first screen`);
    }
    console.log(`screenshots: ${join(artifacts, "check-offlimits.png")} ${join(artifacts, "check-offlimits-phone.png")}`);
    b.assertClean();
  }],
};

Object.assign(cases, {
  "lebanon-rtl": ["page: on the Lebanon sample the page speaks Arabic, French and English; Arabic reads right to left", async () => {
    const server = await startServer({ sample: "lebanon" });
    const mission = await server.json("/api/v1/mission");
    assert.deepEqual(mission.languages, ["ar", "fr", "en"]);
    assert.equal(mission.time_zone, "Asia/Beirut");
    // A browser set to Arabic gets the page in Arabic.
    const b = await openBrowser(server, { locale: "ar-LB" });
    const { page } = b;
    await openPage(page, server);
    const offered = await page.$$eval("#lang option", (os) => os.map((o) => o.value));
    assert.deepEqual(offered, ["ar", "fr", "en"], "the mission's languages plus English, and no others");
    assert.equal(await page.getAttribute("html", "dir"), "rtl");
    assert.equal(await page.getAttribute("html", "lang"), "ar");
    assert.equal(await page.innerText("#tab-check"), "تحقق من مكان");
    const direction = (selector) => page.$eval(selector, (el) => getComputedStyle(el).direction);
    assert.equal(await direction("#check-form"), "rtl");
    // The verdict, in Arabic and right to left, its word on the right edge of its box.
    const v = await check(page, "نادي تينة الشلال");
    assert.equal(await verdictOf(v), "off-limits");
    assert.equal(await v.evaluate((el) => getComputedStyle(el).direction), "rtl");
    assert.equal(await page.innerText("#verdict .verdict-word"), "محظور");
    assert.match(await v.innerText(), /نادي تينة الشلال/);
    const word = await page.$eval("#verdict .verdict-word", (el) => {
      const r = document.createRange();
      r.selectNodeContents(el);
      const text = r.getBoundingClientRect(), box = el.getBoundingClientRect();
      return { gapRight: box.right - text.right, gapLeft: text.left - box.left };
    });
    assert.ok(word.gapRight < word.gapLeft, `the verdict word starts on the right: ${JSON.stringify(word)}`);
    // The list, right to left too.
    await page.click("#tab-list");
    await page.waitForSelector("#list-table tbody tr");
    assert.equal(await direction("#list-table"), "rtl");
    assert.equal(await page.$eval("#list-table th", (el) => getComputedStyle(el).textAlign), "start");
    // French: left to right again, the verdict redrawn.
    await page.click("#tab-check");
    await page.selectOption("#lang", "fr");
    assert.equal(await page.getAttribute("html", "dir"), "ltr");
    assert.equal(await direction("#verdict .verdict"), "ltr");
    assert.match(await page.innerText("#verdict .verdict-word"), /INTERDIT/);
    assert.equal(await page.innerText("#tab-check"), "Vérifier un lieu");
    b.assertClean();
  }],

  "lebanon-basemap": ["map: without keepout's tiles the page draws the mission's area, districts and towns from the API, towns named in the page's language", async () => {
    const server = await startServer({ sample: "lebanon" });
    const layers = await server.json("/api/v1/mission/layers");
    assert.deepEqual(layers.layers.map((l) => l.name).sort(), ["area", "districts", "towns"]);
    const b = await openBrowser(server);
    const { page } = b;
    // No tiles (a replica without maps, a failing renderer): the vectors are the map.
    await page.route("**/tiles/**", (route) => route.abort());
    const fetched = [];
    page.on("response", (r) => {
      if (r.url().includes("/api/v1/mission/layers")) fetched.push(`${new URL(r.url()).pathname} ${r.status()}`);
    });
    await openPage(page, server);
    const tips = () => page.$$eval(".town-tip", (els) => els.map((e) => e.textContent));
    await page.waitForFunction(() => document.querySelectorAll(".town-tip").length > 5);
    for (const name of ["area", "districts", "towns"]) assert.ok(fetched.includes(`/api/v1/mission/layers/${name} 200`), `${name}: ${fetched.join(", ")}`);
    // The area's outline and the districts' lines are drawn, none of them clickable.
    const outlines = await page.$$eval(".leaflet-overlay-pane path:not(.leaflet-interactive)", (ps) => ps.map((p) => p.getAttribute("stroke")));
    assert.ok(outlines.includes("#1f2933"), "the mission area's outline");
    assert.ok(outlines.filter((c) => c === "#7d8896").length >= 1, "the districts' lines");
    assert.ok((await tips()).includes("Tyre"), `English names: ${(await tips()).join(", ")}`);
    await page.selectOption("#lang", "ar");
    await page.waitForFunction(() => [...document.querySelectorAll(".town-tip")].some((e) => e.textContent === "صور"));
    await page.selectOption("#lang", "fr");
    await page.waitForFunction(() => [...document.querySelectorAll(".town-tip")].some((e) => e.textContent === "Tyr"));
    b.assertClean();
  }],

  "lebanon-check": ["check: on the Lebanon sample a venue by its Arabic name, its Latin alias and a position inside it is OFF-LIMITS", async () => {
    const server = await startServer({ sample: "lebanon" });
    const b = await openBrowser(server);
    const { page } = b;
    await openPage(page, server);
    // The map opens on the mission's ground, not on a default somewhere else: every tile drawn at
    // the opening view lies within a few degrees of the mission area's centre.
    const mission = await server.json("/api/v1/mission");
    assert.equal(mission.bbox.length, 4);
    const [w, s, e, n] = mission.bbox;
    await page.waitForFunction(() => document.querySelectorAll(".leaflet-tile-loaded").length > 0);
    const tiles = await page.$$eval(".leaflet-tile", (els) => els.map((t) => t.getAttribute("src")));
    const centres = tiles.map((src) => {
      const [z, x, y] = new URL(src, "http://x").pathname.match(/\/tiles\/(\d+)\/(\d+)\/(\d+)/).slice(1).map(Number);
      const k = 2 ** z;
      const lon = ((x + 0.5) / k) * 360 - 180;
      const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * (y + 0.5)) / k))) * 180) / Math.PI;
      return [lon, lat];
    });
    assert.ok(centres.length > 0);
    for (const [lon, lat] of centres)
      assert.ok(Math.abs(lon - (w + e) / 2) < 4 && Math.abs(lat - (s + n) / 2) < 4, `a tile at ${lon.toFixed(2)}, ${lat.toFixed(2)} is far from the mission`);
    // An English browser gets English, with Arabic and French on offer.
    assert.equal(await page.inputValue("#lang"), "en");
    assert.equal(await page.getAttribute("html", "dir"), "ltr");
    const byArabic = await check(page, "حانة خروبة الليمون");
    assert.equal(await verdictOf(byArabic), "off-limits");
    assert.match(await byArabic.innerText(), /OFF-LIMITS/);
    assert.match(await byArabic.innerText(), /حانة خروبة الليمون/);
    const byLatin = await check(page, "Hanet Kharroubet el-Laymoun");
    assert.equal(await verdictOf(byLatin), "off-limits");
    assert.match(await byLatin.innerText(), /حانة خروبة الليمون/);
    // A Latin spelling that is not among the aliases, and the French alias without accents.
    assert.equal(await verdictOf(await check(page, "Hanat Kharrubet al Laymun")), "off-limits");
    assert.equal(await verdictOf(await check(page, "Pub Le Caroubier des Citronniers")), "off-limits");
    // The position of its footprint, and one outside the mission area (Beirut) flagged.
    const byPosition = await check(page, "33.26917, 35.23210");
    assert.equal(await verdictOf(byPosition), "off-limits");
    assert.match(await byPosition.innerText(), /حانة خروبة الليمون/);
    const beirut = await check(page, "33.8938, 35.5018");
    assert.equal(await verdictOf(beirut), "not-listed");
    assert.match(await beirut.innerText(), /outside the mission area/);
    await assertNeverGreen(page, "Beirut");
    b.assertClean();
  }],
  "offline-check": ["offline: with the network off the page checks a name and a position against the stored, verified publication", async () => {
    const server = await startServer({ prepare: withPublication("kosovo") });
    const doc = await server.json("/api/v1/publications/1");
    const point = doc.venues.find((v) => v.geometry.type === "Point" && v.name === "Мотел Плави Кестен") || doc.venues.find((v) => v.geometry.type === "Point");
    assert.ok(point, "the publication lists a venue drawn as a point");
    const b = await openBrowser(server);
    const { page, context } = b;
    await openPage(page, server);
    await page.waitForSelector("body[data-service-worker='ready'][data-offline-ready='true'][data-publication='1']");
    // The page is controlled by the worker after a reload (the first load installs it).
    await page.reload();
    await page.waitForSelector("body[data-ready='true'][data-offline-ready='true']");
    assert.ok(await page.evaluate(() => !!navigator.serviceWorker.controller), "the service worker controls the page");
    await page.waitForSelector("img.leaflet-tile-loaded[src*='/tiles/']");
    const manifest = await page.evaluate(async () => (await fetch(document.querySelector("link[rel=manifest]").href)).json());
    assert.equal(manifest.start_url, "/#check");
    assert.equal(manifest.display, "standalone");

    await context.setOffline(true);
    const caveat = new RegExp(`Offline: answered from publication 1 of ${doc.as_of}`);
    const byName = await check(page, "Мотел Плави Кестен");
    assert.equal(await verdictOf(byName), "off-limits", await byName.innerText());
    assert.equal(await byName.getAttribute("data-offline"), "true");
    assert.match(await byName.innerText(), caveat);
    assert.match(await byName.innerText(), /Мотел Плави Кестен/);
    // The same name in Latin letters with a typo.
    const typo = await check(page, "Motel Plavi Kestn");
    assert.equal(await verdictOf(typo), "off-limits", await typo.innerText());
    const [lon, lat] = point.geometry.coordinates;
    const byPosition = await check(page, `${lat.toFixed(6)}, ${lon.toFixed(6)}`);
    assert.equal(await verdictOf(byPosition), "off-limits", await byPosition.innerText());
    assert.match(await byPosition.innerText(), caveat);
    assert.ok((await byPosition.innerText()).includes(point.name));
    const unlisted = await check(page, "Kafana Nepostojeći Zvezdani Prolaz");
    assert.equal(await verdictOf(unlisted), "not-listed", await unlisted.innerText());
    assert.match(await unlisted.innerText(), caveat);
    assert.match(await unlisted.innerText(), /Not listed does not mean approved/);
    await assertNeverGreen(page, "offline");
    // The page itself loads without a network, from the worker's copy, with the map tiles seen
    // online, and still checks.
    await page.reload();
    await page.waitForSelector("body[data-ready='true']");
    await page.waitForSelector("img.leaflet-tile-loaded[src*='/tiles/']");
    const again = await check(page, "Мотел Плави Кестен");
    assert.equal(await verdictOf(again), "off-limits");
    assert.match(await again.innerText(), caveat);
    // Back online the page asks the server again by itself.
    await context.setOffline(false);
    await page.waitForSelector("#verdict .verdict[data-verdict='off-limits']:not([data-offline])");
    assert.doesNotMatch(await page.innerText("#verdict"), /Offline:/);
    b.assertClean();
  }],

  "offline-tampered": ["offline: a publication changed by one byte on the way is refused as unverified, never used", async () => {
    const server = await startServer({ prepare: withPublication("kosovo") });
    const b = await openBrowser(server);
    const { page, context } = b;
    let tampered = 0;
    await context.route(/\/api\/v1\/publications\/1$/, async (route) => {
      const response = await route.fetch();
      const body = Buffer.from(await response.body());
      // One byte: a letter of the mission's name, so that the JSON still reads.
      const at = body.indexOf(Buffer.from('"name":"')) + 8;
      body[at] = body[at] === 0x58 ? 0x59 : 0x58;
      tampered++;
      await route.fulfill({ response, body });
    });
    await openPage(page, server);
    await page.waitForSelector("body[data-offline-ready='true'][data-publication='1']");
    assert.ok(tampered > 0, "the publication went through the changed route");
    await context.setOffline(true);
    await page.evaluate(() => document.getElementById("verdict").replaceChildren());
    await page.fill("#q", "Мотел Плави Кестен");
    await page.press("#q", "Enter");
    const refused = await page.waitForSelector("#verdict .offline-refused");
    assert.equal(await refused.getAttribute("data-offline"), "unverified");
    assert.match(await refused.innerText(), /publication 1 does not verify/);
    assert.equal(await page.$("#verdict [data-verdict]"), null, "no verdict from an unverified publication");
    b.assertClean();
  }],

  "offline-lebanon": ["offline: on the Lebanon sample an Arabic name and a position answer from the publication; UTM is unread, with an example in the mission's area", async () => {
    const server = await startServer({ sample: "lebanon", prepare: withPublication("lebanon") });
    const doc = await server.json("/api/v1/publications/1");
    const point = doc.venues.find((v) => v.geometry.type === "Point");
    assert.ok(point, "the publication lists a venue drawn as a point");
    const b = await openBrowser(server);
    const { page, context } = b;
    await openPage(page, server);
    await page.waitForSelector("body[data-offline-ready='true'][data-publication='1']");
    await context.setOffline(true);
    const caveat = new RegExp(`Offline: answered from publication 1 of ${doc.as_of}`);
    const byArabic = await check(page, point.name);
    assert.equal(await verdictOf(byArabic), "off-limits", await byArabic.innerText());
    assert.match(await byArabic.innerText(), caveat);
    const [lon, lat] = point.geometry.coordinates;
    const byPosition = await check(page, `${lat.toFixed(6)}, ${lon.toFixed(6)}`);
    assert.equal(await verdictOf(byPosition), "off-limits", await byPosition.innerText());
    assert.ok((await byPosition.innerText()).includes(point.name));
    // UTM is read by the server only: offline it is unread, never a verdict, and the example
    // offered is a position in this mission's area (the page once offered Prishtinë to every
    // mission).
    const grid = await check(page, "36S 712345 3767890");
    assert.equal(await grid.getAttribute("data-outcome"), "unreadable", await grid.innerText());
    assert.equal(await page.$("#verdict [data-verdict]"), null, "no verdict from an unread position");
    const example = (await grid.innerText()).match(/(-?\d+\.\d+), (-?\d+\.\d+)/);
    assert.ok(example, await grid.innerText());
    const [exLat, exLon] = [Number(example[1]), Number(example[2])];
    const lats = doc.venues.filter((v) => v.geometry.type === "Point").map((v) => v.geometry.coordinates[1]);
    const lons = doc.venues.filter((v) => v.geometry.type === "Point").map((v) => v.geometry.coordinates[0]);
    assert.ok(exLat >= Math.min(...lats) - 0.5 && exLat <= Math.max(...lats) + 0.5, `example latitude ${exLat}`);
    assert.ok(exLon >= Math.min(...lons) - 0.5 && exLon <= Math.max(...lons) + 0.5, `example longitude ${exLon}`);
    // The example is read offline as what it says: a position, answered.
    const again = await check(page, example[0]);
    assert.ok(["off-limits", "not-listed"].includes(await verdictOf(again)), await again.innerText());
    assert.match(await again.innerText(), caveat);
    b.assertClean();
  }],

  "offline-positions": ["offline: MGRS and degrees-minutes-seconds are read in the page as the server reads them, and answer from the publication (both samples)", async () => {
    // "42°39'47.8\"N" as a person writes it from a GPS: degrees, minutes, seconds to a tenth.
    const dms = (v, pos, neg, style) => {
      const a = Math.abs(v);
      let d = Math.floor(a), m = Math.floor((a - d) * 60), sec = Math.round(((a - d) * 60 - m) * 600) / 10;
      if (sec >= 60) (sec = 0), (m += 1);
      if (m >= 60) (m = 0), (d += 1);
      const h = v < 0 ? neg : pos;
      if (style === "letters") return `${d}d${m}m${sec}s${h}`;
      if (style === "before") return `${h} ${d}° ${m}′ ${sec}″`;
      return `${d}°${String(m).padStart(2, "0")}'${sec.toFixed(1)}"${h}`;
    };
    for (const sample of ["kosovo", "lebanon"]) {
      const server = await startServer({ sample, prepare: withPublication(sample) });
      const doc = await server.json("/api/v1/publications/1");
      const points = doc.venues.filter((v) => v.geometry.type === "Point").slice(0, 8);
      assert.ok(points.length > 0, `${sample}: venues drawn as points`);
      const texts = [];
      for (const v of points) {
        const [lon, lat] = v.geometry.coordinates;
        const m = v.mgrs;
        texts.push(m, `${m.slice(0, -12)} ${m.slice(-12, -10)} ${m.slice(-10, -5)} ${m.slice(-5)}`, m.slice(0, -8) + m.slice(-5, -3));
        for (const style of ["marks", "letters", "before"]) texts.push(`${dms(lat, "N", "S", style)} ${dms(lon, "E", "W", style)}`);
      }
      // What the server reads of each, online.
      const online = [];
      for (const text of texts) online.push((await server.json(`/api/v1/check?q=${encodeURIComponent(text)}`)).query);
      const b = await openBrowser(server);
      const { page, context } = b;
      await openPage(page, server);
      await page.waitForSelector("body[data-offline-ready='true'][data-publication='1']");
      await page.evaluate(() => import("/vendor/mgrs/mgrs.esm.js")); // kept by the page's worker
      await context.setOffline(true);
      const offline = await page.evaluate(async (list) => {
        const { readPosition } = await import("/static/offline.js");
        return Promise.all(list.map((t) => readPosition(t)));
      }, texts);
      texts.forEach((text, i) => {
        assert.ok(offline[i], `${sample}: offline the page could not read ${text}`);
        const dLat = Math.abs(offline[i].lat - online[i].lat), dLon = Math.abs(offline[i].lon - online[i].lon);
        // 1e-6° is about 10 cm: the same point, whichever side read it.
        assert.ok(dLat < 1e-6 && dLon < 1e-6, `${sample}: ${text} read offline as ${offline[i].lat}, ${offline[i].lon}; the server read ${online[i].lat}, ${online[i].lon}`);
      });
      // Offline a venue's MGRS, as the list and the pocket card print it, is OFF-LIMITS and names it.
      const caveat = new RegExp(`Offline: answered from publication 1 of ${doc.as_of}`);
      const byGrid = await check(page, points[0].mgrs);
      assert.equal(await verdictOf(byGrid), "off-limits", await byGrid.innerText());
      assert.match(await byGrid.innerText(), caveat);
      assert.ok((await byGrid.innerText()).includes(points[0].name));
      // A square of another zone's letters, and a latitude given E, are unread, never a verdict.
      for (const bad of [points[0].mgrs.slice(0, 3) + "ZZ" + points[0].mgrs.slice(5), `${dms(21.1, "E", "W")} ${dms(42.6, "N", "S")}`]) {
        const unread = await check(page, bad);
        assert.equal(await unread.getAttribute("data-outcome"), "unreadable", `${bad}: ${await unread.innerText()}`);
      }
      await context.setOffline(false);
      b.assertClean();
    }
  }],

  "publications": ["publications: the current one with its documents; an approver publishes the next and compares the two (Lebanon, Arabic RTL)", async () => {
    let keyFile = "";
    const server = await startServer({
      sample: "lebanon",
      prepare: (ctx) => {
        keyFile = withPublication("lebanon", { asOf: "2026-03-01" })(ctx);
      },
    });
    // The same database served again, now with the signing key.
    const served = await restartWith(server, ["--publication-key", keyFile]);
    const approver = served.token("approver", "Chief of Staff");
    const reader = served.token("reader", "Sector reader");
    const b = await openBrowser(served);
    const { page } = b;
    await openPage(page, served, "#list");
    const title = page.locator("#publication .pub-title");
    await title.waitFor();
    assert.equal(await title.getAttribute("data-publication"), "1");
    assert.match(await title.innerText(), /Current publication: No\. 1 of 2026-03-01/);
    // A document per mission language, each a PDF; the JSON, signature and key as served.
    const links = await page.$$eval("#publication a", (as) => as.map((a) => a.getAttribute("href")));
    for (const l of ["ar", "fr", "en"]) {
      assert.ok(links.includes(`/api/v1/publications/1.pdf?lang=${l}`), `list PDF in ${l}: ${links}`);
      assert.ok(links.includes(`/api/v1/publications/1/card.pdf?lang=${l}`), `card PDF in ${l}`);
    }
    for (const href of ["/api/v1/publications/1.pdf?lang=ar", "/api/v1/publications/1/card.pdf?lang=fr"]) {
      const r = await fetch(new URL(href, served.url));
      assert.equal(r.status, 200, href);
      assert.equal(r.headers.get("content-type"), "application/pdf");
      assert.equal(Buffer.from(await r.arrayBuffer()).subarray(0, 5).toString(), "%PDF-");
    }
    assert.ok(links.includes("/api/v1/publications/1") && links.includes("/api/v1/publications/1.sig"));
    assert.ok(links.some((l) => l.startsWith("/api/v1/publication-key.pem")));
    // In Arabic, right to left.
    await page.selectOption("#lang", "ar");
    assert.equal(await page.getAttribute("html", "dir"), "rtl");
    assert.match(await title.innerText(), /النشرة الحالية: رقم 1/);
    await page.selectOption("#lang", "en");

    // A reader may compare, not publish; an approver publishes the list as of today.
    await openPage(page, served, "#manage");
    await page.fill("#token", reader);
    await page.click("#token-form button[type=submit]");
    await page.waitForSelector("#publications-manage:not([hidden])");
    assert.ok(await page.isHidden("#publish-form"));
    await page.click("#sign-out");
    await page.fill("#token", approver);
    await page.click("#token-form button[type=submit]");
    await page.waitForSelector("#publish-form:not([hidden])");
    await page.fill("#pub-note", "Quarterly publication");
    await page.click("#publish-form button[type=submit]");
    const done = await page.waitForSelector("#publish-form + .status .note.ok, #publish-form + .status .error");
    assert.equal(await done.getAttribute("data-published"), "2", await done.innerText());
    assert.match(await done.innerText(), /Publication 2 made/);
    const [one, two] = [await served.json("/api/v1/publications/1"), await served.json("/api/v1/publications/2")];
    assert.equal(two.note, "Quarterly publication");
    const ids = (d) => new Set(d.venues.map((v) => v.id));
    const added = [...ids(two)].filter((id) => !ids(one).has(id));
    const lifted = [...ids(one)].filter((id) => !ids(two).has(id));
    assert.ok(added.length > 0, "the list grew between the two dates");
    // Compare 1 → 2: the page's lists are those of the signed documents.
    await page.selectOption("#cmp-a", "1");
    await page.selectOption("#cmp-b", "2");
    await page.click("#cmp-go");
    await page.waitForSelector("#cmp-result .card");
    const shownAdded = await page.$$eval("#cmp-result [data-diff=added] li", (ls) => ls.map((l) => Number(l.dataset.venue)));
    const shownLifted = await page.$$eval("#cmp-result [data-diff=lifted] li", (ls) => ls.map((l) => Number(l.dataset.venue)));
    assert.deepEqual(shownAdded.sort((x, y) => x - y), added.sort((x, y) => x - y));
    assert.deepEqual(shownLifted.sort((x, y) => x - y), lifted.sort((x, y) => x - y));
    assert.match(await page.innerText("#cmp-result"), new RegExp(`Added \\(${added.length}\\)`));
    // The list page now shows publication 2.
    await openPage(page, served, "#list");
    await page.waitForSelector("#publication .pub-title[data-publication='2']");
    b.assertClean();

    // Over HTTP: a reader may not publish; a server without a key says how to give it one.
    const post = (srv, token) => fetch(new URL("/api/v1/publications", srv.url), { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: "{}" });
    assert.equal((await post(served, reader)).status, 403);
    const keyless = await restartWith(served, []);
    const r = await post(keyless, approver);
    assert.equal(r.status, 503);
    const body = await r.json();
    assert.equal(body.error.code, "no-publication-key");
    assert.match(body.error.message, /--publication-key FILE/);
  }],

  "phone-map": ["phone: at 390×844 \"Show on map\" and a row of the list bring the map into view; the legend explains the ring counts", async () => {
    const server = await startServer();
    const b = await openBrowser(server, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const { page } = b;
    await openPage(page, server);
    await page.waitForSelector("body[data-map='ready']");
    const mapInView = () =>
      page.evaluate(() => {
        const r = document.getElementById("map").getBoundingClientRect();
        return r.top >= 0 && r.top < window.innerHeight * 0.5 && r.bottom > 0;
      });
    const v = await check(page, "Мотел Плави Кестен");
    assert.equal(await verdictOf(v), "off-limits");
    await page.evaluate(() => window.scrollTo(0, 0));
    assert.equal(await mapInView(), false, "on a phone the map starts below the check");
    await v.$("button.link.needs-map").then((btn) => btn.click());
    await page.waitForFunction(() => {
      const r = document.getElementById("map").getBoundingClientRect();
      return r.top >= 0 && r.top < window.innerHeight * 0.5;
    });
    // The list: a row far down the table brings the map back into view, with that venue on it.
    await openPage(page, server, "#list");
    const rows = page.locator("#list-table tbody tr[data-id]");
    await rows.first().waitFor();
    const row = rows.nth(Math.min(20, (await rows.count()) - 1));
    await row.scrollIntoViewIfNeeded();
    assert.equal(await mapInView(), false, "the map is off screen while the list is read");
    await row.click();
    await page.waitForFunction(() => {
      const r = document.getElementById("map").getBoundingClientRect();
      return r.top >= 0 && r.top < window.innerHeight * 0.5;
    });
    assert.equal(await row.getAttribute("aria-selected"), "true");
    const legend = await page.innerText("#map-legend");
    assert.match(legend, /the number on a ring counts the listed venues within that distance/);
    // Nothing is wider than the phone.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), "no sideways scrolling");
    b.assertClean();
  }],

  "due-view": ["manage: the reviews due, overdue flagged; an approver keeps one with a reason (needs GET /api/v1/due)", async (t) => {
    const server = await startServer({ prepare: ({ run }) => run("mission", "import", join(source, "data", "kosovo", "mission.json")) });
    const approver = server.token("approver", "Chief of Staff");
    const b = await openBrowser(server);
    const { page } = b;
    await openPage(page, server, "#manage");
    await page.fill("#token", approver);
    await page.click("#token-form button[type=submit]");
    await page.waitForSelector("#due-view:not([hidden])");
    const probe = await fetch(new URL("/api/v1/due", server.url), { headers: { Authorization: `Bearer ${approver}` } });
    if (probe.status === 404) {
      // This server has no reviews yet: the view says so, and the case is skipped, not passed.
      await page.waitForSelector("#due-list [data-due='unavailable']");
      assert.match(await page.innerText("#due-list"), /Reviews are not available on this server/);
      b.assertClean();
      skipped.push("due-view: GET /api/v1/due answers 404 on this server");
      t.skip("GET /api/v1/due answers 404 on this server");
      return;
    }
    assert.equal(probe.status, 200);
    const due = await probe.json();
    const emergency = due.items.find((i) => i.kind === "directive-review" && i.directive === "HOM/OL/2026/003");
    assert.ok(emergency, `the emergency directive's review is due: ${JSON.stringify(due.items.slice(0, 3))}`);
    assert.equal(emergency.status, "overdue");
    const row = page.locator(`#due-table tr[data-key="d:${emergency.directive}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute("class"), "overdue");
    assert.match(await row.innerText(), /OVERDUE/);
    assert.equal(await page.locator("#due-table tbody tr[data-status]").count(), due.items.length);
    await row.locator("button").click();
    const form = page.locator(`form.decision[data-key="d:${emergency.directive}"]`);
    // Without a reason nothing is sent.
    await form.locator("button[type=submit]").click();
    await form.locator(".note.warn").waitFor();
    await form.locator("[name=reason]").fill("Police report of 2026-11-28: the venue is still used for trafficking");
    await form.locator("[name=next_review]").fill("2027-03-01");
    await form.locator("button[type=submit]").click();
    await page.waitForSelector("#due-list [data-decided='keep']");
    const after = await (await fetch(new URL("/api/v1/due", server.url), { headers: { Authorization: `Bearer ${approver}` } })).json();
    assert.ok(!after.items.some((i) => i.kind === "directive-review" && i.directive === emergency.directive), "the kept review is no longer due");
    b.assertClean();
  }],
});

const only = args.case;
if (only && !cases[only]) {
  console.error(`unknown case '${only}'; cases: ${Object.keys(cases).join(", ")}`);
  process.exit(2);
}
for (const [key, [title, body]] of Object.entries(cases)) if (!only || only === key) test(`${key}: ${title}`, body);
