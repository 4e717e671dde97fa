import { InputError, describeValue, isBlank, listOf } from "../errors";
import { own } from "../own";
import { type RateIndex, normalizeName } from "../rates/lookup";
import { describeLengths, sellsLength } from "../rates/models";
import type { Audio, Input, ModelRow, RateRow } from "../rates/types";
import type { SheetSettings } from "../sheet-settings";
import { NO_SETTINGS, readQuantity } from "./numbers";

/** One clip as a formula describes it, checked against the rate table, with the rate that bills it. */
export interface Clip {
  model: ModelRow;
  quality: string;
  seconds: number;
  audio: Audio;
  input: Input;
  rate: RateRow;
}

const AUDIO_WORDS: Record<string, Audio> = {
  none: "none", no: "none", off: "none", false: "none", silent: "none",
  audio: "audio", yes: "audio", on: "audio", true: "audio", native: "audio", nativeaudio: "audio", withaudio: "audio",
  voice: "voice", voicecontrol: "voice", audiovoice: "voice", audioandvoice: "voice", withvoice: "voice",
};
const INPUT_WORDS: Record<string, Input> = {
  plain: "plain", text: "plain", image: "plain", texttovideo: "plain", imagetovideo: "plain", t2v: "plain", i2v: "plain",
  video: "video", videoinput: "video", referencevideo: "video", withvideo: "video",
  motioncontrol: "motion-control", motion: "motion-control", camera: "motion-control", cameramotion: "motion-control",
};
const AUDIO_HELP = 'use FALSE or blank (no audio), TRUE or "audio" (native audio), "voice" (audio with voice control)';
const INPUT_HELP = 'use blank, "text" or "image" (plain generation), "video" (video input, Omni), "motion-control" (Kling 3.0)';

export const describeAudio = (audio: Audio) =>
  audio === "none" ? "without audio" : audio === "audio" ? "with native audio" : "with audio and voice control";
export const describeInput = (input: Input) =>
  input === "plain" ? "" : input === "video" ? " with video input" : " with motion control";
const audioName = (audio: Audio) => (audio === "none" ? "no audio" : audio === "audio" ? "native audio" : "voice control");
const inputName = (input: Input) => (input === "plain" ? "plain text/image input" : input === "video" ? "video input" : "motion control");

export function readModel(index: RateIndex, value: unknown): ModelRow {
  // A number is a version such as 2.1; a whole or negative one is more likely a shifted column.
  const text = typeof value === "number" ? (value > 0 && !Number.isInteger(value) ? String(value) : undefined) : value;
  const model = typeof text === "string" ? index.findModel(text) : undefined;
  if (model) return model;
  const ids = listOf(index.table.models.map((m) => m.id));
  if (isBlank(value)) throw new InputError(`model: blank; give a Kling model: ${ids}`);
  const aliases = index.table.models.flatMap((m) => m.aliases.slice(-1));
  throw new InputError(`model: ${describeValue(value)} is not a known model; use ${ids} (short names such as ${listOf(aliases)} work too)`);
}

export function readQuality(index: RateIndex, model: ModelRow, value: unknown): string {
  if (isBlank(value) && model.defaultQuality) return model.defaultQuality;
  // 1080 or "1080" means 1080p.
  const text = typeof value === "number" ? (Number.isInteger(value) && value > 0 ? `${value}p` : undefined)
    : typeof value === "string" && /^\s*\d+\s*$/.test(value) ? `${value.trim()}p` : value;
  const quality = typeof text === "string" ? index.findQuality(model, text) : undefined;
  if (quality) return quality;
  const also = Object.keys(model.qualityAliases ?? {});
  const offered = listOf(model.qualities) + (also.length ? ` (also written ${listOf(also)})` : "");
  if (isBlank(value)) throw new InputError(`quality: blank; ${model.id} makes ${offered}`);
  if (typeof text === "string" && index.knownQuality(text)) {
    throw new InputError(`quality: ${describeValue(value)} is not offered by ${model.id}; it makes ${offered}`);
  }
  throw new InputError(`quality: ${describeValue(value)} is not a quality; ${model.id} makes ${offered} (std = 720p, pro = 1080p)`);
}

export function readAudio(model: ModelRow, value: unknown): Audio {
  let audio: Audio | undefined;
  if (isBlank(value) || value === false || value === 0) audio = "none";
  else if (value === true || value === 1) audio = "audio";
  else if (typeof value === "string") audio = own(AUDIO_WORDS, normalizeName(value));
  if (!audio) throw new InputError(`audio: ${describeValue(value)} is not an audio choice; ${AUDIO_HELP}`);
  if (!model.audio.includes(audio)) {
    throw new InputError(`audio: ${model.id} does not offer ${audioName(audio)}; it offers ${listOf(model.audio.map(audioName))}`);
  }
  return audio;
}

export function readInput(model: ModelRow, value: unknown): Input {
  const input = isBlank(value) ? "plain" : typeof value === "string" ? own(INPUT_WORDS, normalizeName(value)) : undefined;
  if (!input) throw new InputError(`input: ${describeValue(value)} is not an input choice; ${INPUT_HELP}`);
  if (!model.inputs.includes(input)) {
    throw new InputError(`input: ${model.id} does not offer ${inputName(input)}; it offers ${listOf(model.inputs.map(inputName))}`);
  }
  return input;
}

const SECONDS_SUFFIX = /^(s|sec|secs|second|seconds)$/;

function secondsRange(model: ModelRow): string {
  return `${model.id} makes ${describeLengths(model)} per generation`;
}

/** Validates every argument, then finds the rate; a missing rate is an error, never 0. */
export function readClip(
  index: RateIndex, model: unknown, quality: unknown, seconds: unknown, audio: unknown, input: unknown, settings: SheetSettings = NO_SETTINGS,
): Clip {
  const m = readModel(index, model);
  const q = readQuality(index, m, quality);
  const a = readAudio(m, audio);
  const i = readInput(m, input);
  const rates = index.ratesFor(m.id, q, a, i);
  const noRate = () =>
    new InputError(`no published rate for ${m.id} ${q} ${describeAudio(a)}${describeInput(i)}; add one to the rate table if Kling publishes it`);

  if (m.billing === "per-second") {
    const s = readSeconds(seconds, settings, () => secondsRange(m));
    if (!Number.isInteger(s)) throw new InputError(`seconds: ${describeValue(s)} is not a whole number; Kling bills whole seconds and ${secondsRange(m)}`);
    if (m.clipLengths?.length && !sellsLength(m, s)) throw new InputError(`seconds: ${s} is not a clip length ${m.id} sells; it makes ${describeLengths(m)} clips`);
    if (m.maxSeconds !== undefined && s > m.maxSeconds) throw new InputError(`seconds: ${s} is too long; ${secondsRange(m)}`);
    if (s < (m.minSeconds ?? 1)) throw new InputError(`seconds: ${s} is too short; ${secondsRange(m)}`);
    if (!rates?.perSecond) throw noRate();
    return { model: m, quality: q, seconds: s, audio: a, input: i, rate: rates.perSecond };
  }

  if (!rates || rates.clips.size === 0) throw noRate();
  const lengths = () => listOf([...rates.clips.keys()].sort((x, y) => x - y).map((l) => `${l} s`));
  const s = readSeconds(seconds, settings, () => `${m.id} bills whole ${lengths()} clips`);
  const rate = rates.clips.get(s);
  if (!rate) throw new InputError(`seconds: ${describeValue(s)} is not a clip length ${m.id} bills; it makes ${lengths()} clips`);
  return { model: m, quality: q, seconds: s, audio: a, input: i, rate };
}

// Whole numbers, the usual case, skip the text parsing and the message building. A duration cell
// (0:00:10) is its length in seconds; A1*86400 of one is whole up to float noise.
function readSeconds(value: unknown, settings: SheetSettings, hint: () => string): number {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  return readQuantity("seconds", value, hint(), { suffix: SECONDS_SUFFIX, settings, perSecond: 1 });
}
