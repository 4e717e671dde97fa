// Names that look alike but are different: "Pаckage 1" with a Cyrillic а beside "Package 1".
// Uses the Unicode confusables mapping (UTS #39 skeletons) from the unhomoglyph package. It runs
// only when a rate table is validated (at save time and in the sidebar), never in a cell.
import unhomoglyph from "unhomoglyph";
import { codePoint, nameKey } from "./names";

const SEPARATORS = /[\s._\p{Pd}\u2212]+/gu;
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cc}]/gu;

/** UTS #39 skeleton: NFD, each character to its prototype, NFD again. */
const skeletonOf = (text: string) => unhomoglyph(text.normalize("NFD")).normalize("NFD").replace(SEPARATORS, "");

/** Two skeletons per name: one as cased (I and l look alike), one as the lookup folds it. */
function skeletons(name: string): string[] {
  return [skeletonOf(name.normalize("NFKC").replace(INVISIBLE, "")), skeletonOf(nameKey(name))];
}

export interface Named<T> {
  name: string;
  /** Which row holds the name; names of the same owner may look alike (aliases of one model). */
  owner: T;
}

export interface LookAlike<T> {
  name: Named<T>;
  like: Named<T>;
}

const ASCII = /^[\x20-\x7e]*$/;

/**
 * Pairs of names of different owners whose keys differ but which look the same: each later name
 * with the first earlier one it looks like. Names with the same key are duplicates, not look-alikes.
 * Two plain-ASCII names are never look-alikes: a digit 0 beside a letter O was typed on purpose
 * (the article's "Video-3O" is Omni, "Video 3.0" is Kling 3.0); a paste brings the other kind.
 */
export function lookAlikes<T>(names: readonly Named<T>[]): LookAlike<T>[] {
  const seen = new Map<string, Named<T>>();
  const found: LookAlike<T>[] = [];
  for (const named of names) {
    const key = nameKey(named.name);
    let reported = false;
    for (const skeleton of skeletons(named.name)) {
      const first = seen.get(skeleton);
      const typed = ASCII.test(named.name) && first !== undefined && ASCII.test(first.name);
      if (first && !reported && !typed && first.owner !== named.owner && nameKey(first.name) !== key) {
        found.push({ name: named, like: first });
        reported = true;
      }
      if (!first) seen.set(skeleton, named);
    }
  }
  return found;
}

/** The characters of `name` that are not plain ASCII, as "а (U+0430)", for saying why two names differ. */
export function unusualCharacters(name: string): string {
  const odd = [...new Set([...name].filter((ch) => ch > "\x7e" || ch < " "))];
  return odd.map((ch) => (/[\p{L}\p{N}\p{S}\p{P}]/u.test(ch) ? `${ch} (${codePoint(ch)})` : codePoint(ch))).join(", ");
}
