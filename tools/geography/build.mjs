// Generates the committed geography CSV files of the Django app from the
// @etalab/decoupage-administratif package (official INSEE data). Run once,
// commit the output: the application never downloads anything at run time.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dataDir = new URL("./node_modules/@etalab/decoupage-administratif/data/", import.meta.url);
const outDir = fileURLToPath(new URL("../../clea/geography/data/", import.meta.url));
const load = (name) => JSON.parse(readFileSync(new URL(name, dataDir), "utf8"));

// The package also lists overseas collectivities (975, 977, 984, 986...) which
// are not regions; keep only the 18 regions (13 metropolitan + 5 DROM).
const REGION_CODES = new Set([
  "84", "27", "53", "24", "94", "44", "32", "11", "28",
  "75", "76", "52", "93", "01", "02", "03", "04", "06",
]);

// Fail loudly: a silent data change would corrupt the committed reference files.
function check(label, actual, expected) {
  if (actual !== expected) {
    console.error(`ERROR: expected ${expected} ${label}, got ${actual}`);
    process.exit(1);
  }
}

// Standard CSV quoting (RFC 4180), LF line endings.
const cell = (v) => {
  const s = v === undefined || v === null ? "" : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};
// Plain code-point comparison so the order does not depend on the locale.
const byCode = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
function writeCsv(file, header, rows) {
  const lines = [header, ...rows].map((r) => r.map(cell).join(",") + "\n");
  writeFileSync(outDir + file, lines.join(""), "utf8");
}

const regions = load("regions.json").filter((r) => REGION_CODES.has(r.code)).sort(byCode);
check("regions", regions.length, 18);

const departements = load("departements.json").filter((d) => REGION_CODES.has(d.region)).sort(byCode);
check("départements", departements.length, 101);

// Current communes, plus the municipal arrondissements of Paris, Lyon and
// Marseille: they carry the individual postcodes (75001, 69001, 13001...).
const communes = load("communes.json")
  .filter((c) => REGION_CODES.has(c.region))
  .filter((c) => c.type === "commune-actuelle" || c.type === "arrondissement-municipal")
  .sort(byCode);

mkdirSync(outDir, { recursive: true });
writeCsv("regions.csv", ["code", "name"], regions.map((r) => [r.code, r.nom]));
writeCsv(
  "departements.csv",
  ["code", "name", "region_code"],
  departements.map((d) => [d.code, d.nom, d.region]),
);
writeCsv(
  "communes.csv",
  ["code", "name", "departement_code", "region_code", "postcodes", "population", "parent_code"],
  communes.map((c) => [
    c.code,
    c.nom,
    c.departement,
    c.region,
    [...new Set(c.codesPostaux ?? [])].sort().join(" "),
    Number.isInteger(c.population) ? c.population : "",
    c.type === "arrondissement-municipal" ? c.commune : "",
  ]),
);

const arrondissements = communes.filter((c) => c.type === "arrondissement-municipal").length;
const postcodes = new Set(communes.flatMap((c) => c.codesPostaux ?? []));
console.log(`regions: ${regions.length}`);
console.log(`départements: ${departements.length}`);
console.log(`communes: ${communes.length - arrondissements}`);
console.log(`arrondissements: ${arrondissements}`);
console.log(`distinct postcodes: ${postcodes.size}`);
