import type { ModelRow, PackageRow, ProviderRow, RateRow, RateTable } from "./types";
import { SCHEMA_VERSION } from "./types";

// The built-in rates, as settled in shared/reference/rate-decisions.md from the pricing article.
const ARTICLE = "Kling AI API pricing article";
const SPEC = "Kling Series 3.0 Model API Specification, prepaid resource pack deduction table";
const AS_OF = "2026";

function models(): ModelRow[] {
  const src = { source: ARTICLE, asOf: AS_OF };
  return [
    {
      id: "kling-v3", name: "Kling 3.0", billing: "per-second", minSeconds: 3, maxSeconds: 15,
      qualities: ["720p", "1080p", "4k"], audio: ["none", "audio", "voice"], inputs: ["plain", "motion-control"],
      aliases: ["Kling 3.0", "Video 3.0", "V3"], ...src,
    },
    {
      id: "kling-v3-omni", name: "Kling 3.0 Omni", billing: "per-second", minSeconds: 3, maxSeconds: 15,
      qualities: ["720p", "1080p", "4k"], audio: ["none", "audio"], inputs: ["plain", "video"],
      aliases: ["V3 Omni", "Video-O3", "Video-3O", "O3", "Omni"], ...src,
    },
    {
      id: "kling-v2-1", name: "Kling 2.1", billing: "per-clip",
      qualities: ["720p", "1080p"], audio: ["none"], inputs: ["plain"], aliases: ["V2.1", "2.1"], ...src,
    },
    {
      id: "kling-v2-1-master", name: "Kling 2.1 Master", billing: "per-clip",
      qualities: ["master"], defaultQuality: "master", qualityAliases: { "1080p": "master" },
      audio: ["none"], inputs: ["plain"], aliases: ["V2.1 Master", "Master"], ...src,
    },
    {
      id: "kling-v1-5", name: "Kling 1.5", billing: "per-clip",
      qualities: ["720p", "1080p"], audio: ["none"], inputs: ["plain"], aliases: ["V1.5", "1.5"], ...src,
    },
  ];
}

function rates(): RateRow[] {
  const rows: RateRow[] = [];
  const perSecond = (model: string, quality: string, audio: RateRow["audio"], input: RateRow["input"], units: number, source = ARTICLE) =>
    rows.push({ model, quality, audio, input, per: "second", units, source, asOf: AS_OF });
  const perClip = (model: string, quality: string, seconds: number, units: number) =>
    rows.push({ model, quality, audio: "none", input: "plain", per: "clip", seconds, units, source: ARTICLE, asOf: AS_OF });

  // Kling 3.0: the article's "0.8 / 0.9" audio row is Omni / V3, as its own note says.
  perSecond("kling-v3", "720p", "none", "plain", 0.6);
  perSecond("kling-v3", "720p", "audio", "plain", 0.9);
  perSecond("kling-v3", "720p", "voice", "plain", 1.1, SPEC);
  perSecond("kling-v3", "720p", "none", "motion-control", 0.9);
  perSecond("kling-v3", "1080p", "none", "plain", 0.8);
  perSecond("kling-v3", "1080p", "audio", "plain", 1.2);
  perSecond("kling-v3", "1080p", "voice", "plain", 1.4, SPEC);
  perSecond("kling-v3", "1080p", "none", "motion-control", 1.2);
  perSecond("kling-v3", "4k", "none", "plain", 3.0);
  perSecond("kling-v3", "4k", "audio", "plain", 3.0);

  perSecond("kling-v3-omni", "720p", "none", "plain", 0.6);
  perSecond("kling-v3-omni", "720p", "audio", "plain", 0.8);
  perSecond("kling-v3-omni", "720p", "none", "video", 0.9);
  perSecond("kling-v3-omni", "1080p", "none", "plain", 0.8);
  perSecond("kling-v3-omni", "1080p", "audio", "plain", 1.0);
  perSecond("kling-v3-omni", "1080p", "none", "video", 1.2);
  perSecond("kling-v3-omni", "4k", "none", "plain", 3.0);
  perSecond("kling-v3-omni", "4k", "audio", "plain", 3.0);

  // Older models bill whole 5 s or 10 s clips.
  for (const model of ["kling-v2-1", "kling-v1-5"]) {
    perClip(model, "720p", 5, 2.0);
    perClip(model, "720p", 10, 4.0);
    perClip(model, "1080p", 5, 3.5);
    perClip(model, "1080p", 10, 7.0);
  }
  perClip("kling-v2-1-master", "master", 5, 10.0);
  perClip("kling-v2-1-master", "master", 10, 20.0);
  return rows;
}

function packages(): PackageRow[] {
  const row = (name: string, priceUsd: number, units: number, validityDays: number, concurrency: number): PackageRow =>
    ({ name, priceUsd, units, validityDays, concurrency, purchaseLimit: null, source: ARTICLE, asOf: AS_OF });
  return [
    row("Trial S", 9.8, 100, 30, 5),
    row("Trial L", 98, 1000, 30, 5),
    row("Package 1", 700, 5000, 180, 20),
    row("Package 2", 2100, 15000, 180, 20),
    row("Package 3", 5670, 45000, 180, 20),
    row("Package 4", 7560, 60000, 180, 20),
  ];
}

function providers(): ProviderRow[] {
  const aggregators = `${ARTICLE}, third-party aggregators table`;
  const seedance = `${ARTICLE}, Seedance 2.0 comparison (from its 10 s totals)`;
  const row = (provider: string, model: string, quality: string, usdPerSecond: number, note: string, source: string): ProviderRow =>
    ({ provider, model, quality, usdPerSecond, note, source, asOf: AS_OF });
  return [
    row("Atlas Cloud", "Kling V3.0 image-to-video", "720p", 0.071, "", aggregators),
    row("Atlas Cloud", "Kling V3.0 image-to-video", "1080p", 0.095, "", aggregators),
    row("fal.ai", "Kling V3.0", "720p", 0.084, "", aggregators),
    row("fal.ai", "Kling V3.0", "1080p", 0.112, "", aggregators),
    row("EvoLink", "Kling V3.0", "720p", 0.079, "", aggregators),
    row("EvoLink", "Kling V3.0", "1080p", 0.106, "", aggregators),
    row("PiAPI", "Kling V3.0", "720p", 0.1, "sells a fixed price per video", aggregators),
    row("PiAPI", "Kling V3.0", "1080p", 0.15, "sells a fixed price per video", aggregators),
    row("Seedance 2.0", "Seedance 2.0 Fast", "720p", 0.031, "ByteDance's rival model; audio included", seedance),
    row("Seedance 2.0", "Seedance 2.0 Cinematic", "1080p", 0.093, "ByteDance's rival model; audio included", seedance),
  ];
}

let cached: RateTable | undefined;

/** The built-in rate table. Built on first use and shared: callers must not mutate it. */
export function defaultRateTable(): RateTable {
  cached ??= {
    schemaVersion: SCHEMA_VERSION,
    version: 0,
    pricing: {
      currency: "USD", defaultUnitPriceUsd: 0.14, defaultPackage: "Package 1",
      source: `${ARTICLE}: the Standard Package 1 rate it uses as its baseline`, asOf: AS_OF,
    },
    qualities: [
      { id: "720p", aliases: ["std", "standard"] },
      { id: "1080p", aliases: ["pro", "professional"] },
      { id: "4k", aliases: ["2160p", "uhd"] },
      { id: "master", aliases: [] },
    ],
    models: models(),
    rates: rates(),
    packages: packages(),
    providers: providers(),
  };
  return cached;
}
