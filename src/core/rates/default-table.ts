import type { ModelRow, PackageRow, ProviderRow, RateRow, RateTable } from "./types";
import { SCHEMA_VERSION } from "./types";

// The built-in rates, as settled in shared/reference/rate-decisions.md from the pricing article.
const ARTICLE = "Kling AI API pricing article";
const SPEC = "Kling Series 3.0 Model API Specification, prepaid resource pack deduction table";
const AS_OF = "2026";

// Models added for today's catalogue (issue 10): Kling's pricing page as publicly transcribed, each
// row also checked against a second public page; the README lists where they disagree.
const CHECKED = "2026-11";
const KLING_PAGE = "Kling API pricing page (kling.ai document-api, pricing/base/video), public transcription";
const at14 = "= units x $0.14";
const SRC = {
  turbo: "Kling's list price 0.8/s (720p) and 1/s (1080p) as quoted on EvoLink's Kling 3.0 Turbo page (launched 2026-06-17); fal.ai v3/turbo standard $0.112/s and pro $0.14/s " + at14,
  turboAudio: "as without audio: one price either way (useapi.net: Turbo audio is always on; unifically: no native audio); Kling's list price via EvoLink, fal.ai v3/turbo " + at14,
  omni4kVideo: `${KLING_PAGE}: Omni 4K with video input, launched 2026-06-17 (two transcriptions); fal.ai o3/4k reference-to-video $0.42/s ${at14}`,
  v26: `${KLING_PAGE}; fal.ai v2.6 pro $0.07/s, $0.14/s with audio, $0.168/s with voice ${at14}; apimodels.app's v2.6 prices in the same ratios`,
  v26Motion: `${KLING_PAGE}, motion control; unorouter.ai $0.85/s and $1.36/s, the same $1.70 per unit it charges for Kling 3.0 motion control`,
  v25: `${KLING_PAGE}; fal.ai v2.5-turbo standard $0.21 and pro $0.35 per 5 s ${at14}`,
  v16: `${KLING_PAGE}; openai-hk prices kling-v1-6 as kling-v1-5, the article's 2.0 / 3.5 units per 5 s`,
  v1: `${KLING_PAGE}; openai-hk and Krea price kling-v1 pro at 3.5x std`,
  v2master: `${KLING_PAGE}; fal.ai v2/master $1.40 per 5 s ${at14}; openai-hk: 10x kling-v1 std`,
  o1: `${KLING_PAGE}; fal.ai o1 standard $0.084/s and pro $0.112/s ${at14}`,
  o1Video: `${KLING_PAGE}; Krea's O1 price with a video reference is 1.5x its price without`,
};

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
      id: "kling-v3-turbo", name: "Kling 3.0 Turbo", billing: "per-second", minSeconds: 3, maxSeconds: 15,
      qualities: ["720p", "1080p"], audio: ["none", "audio"], inputs: ["plain"],
      aliases: ["kling-v3-0-turbo", "3.0 Turbo", "3 Turbo", "V3 Turbo"], source: SRC.turbo, asOf: CHECKED,
    },
    {
      id: "kling-video-o1", name: "Kling O1", billing: "per-second", minSeconds: 3, maxSeconds: 10,
      qualities: ["720p", "1080p"], audio: ["none"], inputs: ["plain", "video"],
      aliases: ["kling-o1", "Omni O1", "Video O1", "O1"], source: SRC.o1, asOf: CHECKED,
    },
    {
      id: "kling-v2-6", name: "Kling 2.6", billing: "per-second", clipLengths: [5, 10],
      qualities: ["720p", "1080p"], audio: ["none", "audio", "voice"], inputs: ["plain", "motion-control"],
      aliases: ["V2.6", "2.6"], source: SRC.v26, asOf: CHECKED,
    },
    {
      id: "kling-v2-5-turbo", name: "Kling 2.5 Turbo", billing: "per-second", clipLengths: [5, 10],
      qualities: ["720p", "1080p"], audio: ["none"], inputs: ["plain"],
      aliases: ["kling-2.5-turbo", "V2.5 Turbo", "2.5 Turbo"], source: SRC.v25, asOf: CHECKED,
    },
    {
      id: "kling-v2-master", name: "Kling 2.0 Master", billing: "per-second", clipLengths: [5, 10],
      qualities: ["master"], defaultQuality: "master", qualityAliases: { "1080p": "master" },
      audio: ["none"], inputs: ["plain"], aliases: ["kling-v2", "2.0 Master", "V2 Master"], source: SRC.v2master, asOf: CHECKED,
    },
    {
      id: "kling-v1-6", name: "Kling 1.6", billing: "per-second", clipLengths: [5, 10],
      qualities: ["720p", "1080p"], audio: ["none"], inputs: ["plain"], aliases: ["V1.6", "1.6"], source: SRC.v16, asOf: CHECKED,
    },
    {
      id: "kling-v1", name: "Kling 1.0", billing: "per-second", clipLengths: [5, 10],
      qualities: ["720p", "1080p"], audio: ["none"], inputs: ["plain"], aliases: ["V1.0", "1.0"], source: SRC.v1, asOf: CHECKED,
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
  const perSecond = (model: string, quality: string, audio: RateRow["audio"], input: RateRow["input"], units: number, source = ARTICLE, asOf = AS_OF) =>
    rows.push({ model, quality, audio, input, per: "second", units, source, asOf });
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
  perSecond("kling-v3-omni", "4k", "none", "video", 3.0, SRC.omni4kVideo, CHECKED);

  const checked = (model: string, quality: string, audio: RateRow["audio"], input: RateRow["input"], units: number, source: string) =>
    perSecond(model, quality, audio, input, units, source, CHECKED);
  checked("kling-v3-turbo", "720p", "none", "plain", 0.8, SRC.turbo);
  checked("kling-v3-turbo", "720p", "audio", "plain", 0.8, SRC.turboAudio);
  checked("kling-v3-turbo", "1080p", "none", "plain", 1.0, SRC.turbo);
  checked("kling-v3-turbo", "1080p", "audio", "plain", 1.0, SRC.turboAudio);

  checked("kling-video-o1", "720p", "none", "plain", 0.6, SRC.o1);
  checked("kling-video-o1", "720p", "none", "video", 0.9, SRC.o1Video);
  checked("kling-video-o1", "1080p", "none", "plain", 0.8, SRC.o1);
  checked("kling-video-o1", "1080p", "none", "video", 1.2, SRC.o1Video);

  // Kling 2.6 has audio at 1080p only.
  checked("kling-v2-6", "720p", "none", "plain", 0.3, SRC.v26);
  checked("kling-v2-6", "720p", "none", "motion-control", 0.5, SRC.v26Motion);
  checked("kling-v2-6", "1080p", "none", "plain", 0.5, SRC.v26);
  checked("kling-v2-6", "1080p", "audio", "plain", 1.0, SRC.v26);
  checked("kling-v2-6", "1080p", "voice", "plain", 1.2, SRC.v26);
  checked("kling-v2-6", "1080p", "none", "motion-control", 0.8, SRC.v26Motion);

  checked("kling-v2-5-turbo", "720p", "none", "plain", 0.3, SRC.v25);
  checked("kling-v2-5-turbo", "1080p", "none", "plain", 0.5, SRC.v25);
  checked("kling-v2-master", "master", "none", "plain", 2.0, SRC.v2master);
  checked("kling-v1-6", "720p", "none", "plain", 0.4, SRC.v16);
  checked("kling-v1-6", "1080p", "none", "plain", 0.7, SRC.v16);
  checked("kling-v1", "720p", "none", "plain", 0.2, SRC.v1);
  checked("kling-v1", "1080p", "none", "plain", 0.7, SRC.v1);

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
  const row = (provider: string, model: string, quality: string, usdPerSecond: number, note: string, source: string, klingModel = "kling-v3", asOf = AS_OF): ProviderRow =>
    ({ provider, model, klingModel, quality, usdPerSecond, note, source, asOf });
  // fal.ai's own model pages, per second without audio.
  const fal = (model: string, klingModel: string, quality: string, usdPerSecond: number, page: string, note = "") =>
    row("fal.ai", model, quality, usdPerSecond, note, `fal.ai model page ${page}`, klingModel, CHECKED);
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
    fal("Kling O3 Standard", "kling-v3-omni", "720p", 0.084, "fal-ai/kling-video/o3/standard/image-to-video"),
    fal("Kling O3 4K", "kling-v3-omni", "4k", 0.42, "fal-ai/kling-video/o3/4k/text-to-video", "audio on or off"),
    fal("Kling V3 Turbo Standard", "kling-v3-turbo", "720p", 0.112, "fal-ai/kling-video/v3/turbo/standard/image-to-video"),
    fal("Kling V3 Turbo Pro", "kling-v3-turbo", "1080p", 0.14, "fal-ai/kling-video/v3/turbo/pro/text-to-video"),
    fal("Kling O1 Standard", "kling-video-o1", "720p", 0.084, "fal-ai/kling-video/o1/standard/image-to-video"),
    fal("Kling O1 Pro", "kling-video-o1", "1080p", 0.112, "fal-ai/kling-video/o1/reference-to-video"),
    fal("Kling 2.6 Pro", "kling-v2-6", "1080p", 0.07, "fal-ai/kling-video/v2.6/pro/image-to-video"),
    fal("Kling 2.5 Turbo Standard", "kling-v2-5-turbo", "720p", 0.042, "fal-ai/kling-video/v2.5-turbo/standard/image-to-video"),
    fal("Kling 2.5 Turbo Pro", "kling-v2-5-turbo", "1080p", 0.07, "fal-ai/kling-video/v2.5-turbo/pro/image-to-video"),
    fal("Kling 2.0 Master", "kling-v2-master", "master", 0.28, "fal-ai/kling-video/v2/master/text-to-video"),
    fal("Kling 1.0 Standard", "kling-v1", "720p", 0.045, "fal-ai/kling-video/v1/standard/image-to-video"),
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
