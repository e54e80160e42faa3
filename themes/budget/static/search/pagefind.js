// The year bundles behind one search (docs/search.md) (search.js hands this folder to PagefindUI as its
// bundlePath, and every year's bundle as a mergeIndex entry). PagefindUI imports
// `${bundlePath}pagefind.js`: this module, with the same API as Pagefind's own.
//
// Pagefind's own mergeIndex would do, but for one thing: a bundle ignores the words of a search
// that it has no page for. Searching 湘潭市环境卫生管理处 in a year without 湘潭 would list
// that year's pages with 环境卫生 and 管理处, as if the others were not asked for. Here each
// year's bundle is searched on its own (its own copy of its pagefind.js), and a year that has
// no page for one of the words gives no results, as one site-wide bundle would.

// { module, options, known: Map(word -> Promise<boolean>), loaded: Promise<filters> }
const bundles = [];
let shared = {};

export async function options(opts) {
  shared = { ...shared, ...opts };
  await Promise.all(bundles.map((b) => b.module.options({ ...shared, ...b.options })));
}

export async function mergeIndex(path, opts = {}) {
  const url = new URL("pagefind.js", new URL(path, window.location.href));
  const module = await import(url.href);
  await module.options({ ...shared, ...opts });
  // A bundle counts filter values only from the filter files it has loaded, and a search
  // loads only those of the filters it uses: load them all first, or the first search's
  // filters would lack the years whose files came late (and the 年度 filter miss them).
  const loaded = module.filters();
  bundles.push({ module, options: opts, known: new Map(), loaded });
}

export async function init() {
  await Promise.all(bundles.map((b) => b.module.init()));
}

export async function destroy() {
  await Promise.all(bundles.map((b) => b.module.destroy()));
  bundles.length = 0;
}

export async function filters() {
  return mergeFilters(await Promise.all(bundles.map((b) => b.loaded)));
}

export async function preload(term, opts = {}) {
  await Promise.all(bundles.map((b) => b.module.preload(term, opts)));
}

export async function search(term, opts = {}) {
  const words = wordsOf(term);
  const answers = await Promise.all(
    bundles.map(async (b) => {
      await b.loaded;
      const [answer, knows] = await Promise.all([b.module.search(term, opts), knowsAll(b, words)]);
      return knows ? answer : nothingFrom(answer);
    }),
  );
  if (splitFiner(words)) {
    const found = await Promise.all(bundles.map((b) => byWords(b, term, words, opts)));
    found.forEach((pages, n) => {
      answers[n] = withPages(answers[n], pages);
    });
  }
  return {
    // Pages holding the search as typed first (the fallback marks them), then by score.
    results: answers
      .flatMap((a) => a.results)
      .sort((a, b) => (b.literal ? 1 : 0) - (a.literal ? 1 : 0) || b.score - a.score),
    unfilteredResultCount: answers.reduce((sum, a) => sum + a.unfilteredResultCount, 0),
    filters: mergeFilters(answers.map((a) => a.filters)),
    totalFilters: mergeFilters(answers.map((a) => a.totalFilters)),
    timings: answers.map((a) => a.timings),
  };
}

let latest = 0;
export async function debouncedSearch(term, opts, timeout = 300) {
  const id = ++latest;
  preload(term, opts);
  await new Promise((resolve) => setTimeout(resolve, timeout));
  if (id !== latest) {
    return null;
  }
  const answer = await search(term, opts);
  return id === latest ? answer : null;
}

// The words of a search, as the browser splits Chinese (Intl.Segmenter). A quoted search is
// exact: Pagefind already finds nothing where a word is missing.
function wordsOf(term) {
  if (!term || /^\s*".+"\s*$/.test(term) || typeof Intl.Segmenter === "undefined") {
    return [];
  }
  const segmenter = new Intl.Segmenter("zh-CN", { granularity: "word" });
  const words = [];
  for (const { segment, isWordLike } of segmenter.segment(term)) {
    if (isWordLike) {
      words.push(segment);
    }
  }
  return words;
}

// How many of the bundle's pages have the word (a word alone, without the filters; asked once).
function pagesWith(bundle, word) {
  if (!bundle.known.has(word)) {
    bundle.known.set(
      word,
      bundle.module.search(word).then((answer) => answer.unfilteredResultCount),
    );
  }
  return bundle.known.get(word);
}

// Whether the bundle has a page for every word. The browser's segmenter may split finer than
// Pagefind's index: 特困家庭 is 特 / 困 / 家庭 here, while the index holds 特困, and 困 alone
// finds nothing. So a single character the bundle does not know counts as known when it
// joined with a single-character neighbour is (特困). Only single characters: Pagefind
// ignores a word it has no page for inside a longer search, so 湘潭市环境 would be "known" in
// a year without 湘潭 for its 环境.
async function knowsAll(bundle, words) {
  const knows = async (word) => (await pagesWith(bundle, word)) > 0;
  const found = await Promise.all(
    words.map(async (word, n) => {
      if (await knows(word)) {
        return true;
      }
      const single = (other) => word.length === 1 && other !== undefined && other.length === 1;
      if (single(words[n - 1]) && (await knows(words[n - 1] + word))) {
        return true;
      }
      return single(words[n + 1]) && (await knows(word + words[n + 1]));
    }),
  );
  return found.every(Boolean);
}

// The fallback for a search the browser split into single characters side by side. Pagefind
// matches a search's words only at the start of the index's words, and the index may hold a
// longer word than the browser splits: 帮扶 is 帮 / 扶 here and one word 帮扶 in the index, so
// 扶 starts no word of that page, and 精准帮扶, 帮扶 or the project's whole name missed it
// (帮扶 listed only a page with 帮助 and 扶持). Here each word is also looked up alone (rarest
// first, up to FALLBACK_PAGES pages a bundle), and a page is added when its text holds every
// part of the search as typed: what the fallback adds is as exact as a whole-word match.
const FALLBACK_PAGES = 30;

// Two single characters side by side: the browser's split the index may not share.
function splitFiner(words) {
  return words.some((word, n) => n > 0 && word.length === 1 && words[n - 1].length === 1);
}

async function byWords(bundle, term, words, opts) {
  const parts = term.split(/\s+/).map(plain).filter(Boolean);
  const counts = await Promise.all(words.map((word) => pagesWith(bundle, word)));
  const known = [...new Set(words.filter((_, n) => counts[n] > 0))].sort(
    (a, b) => counts[words.indexOf(a)] - counts[words.indexOf(b)],
  );
  const candidates = new Map();
  for (const word of known) {
    if (candidates.size >= FALLBACK_PAGES) {
      break;
    }
    const answer = await bundle.module.search(word, opts);
    for (const result of answer.results) {
      if (!candidates.has(result.id) && candidates.size < FALLBACK_PAGES) {
        candidates.set(result.id, result);
      }
    }
  }
  const checked = await Promise.all(
    [...candidates.values()].map(async (result) => {
      const data = await result.data();
      const text = plain(data.content || "");
      return parts.every((part) => text.includes(part)) ? { result, data } : null;
    }),
  );
  return checked.filter(Boolean);
}

// Text compared as Pagefind compares it: lower case, without spaces and punctuation.
function plain(text) {
  return text.toLocaleLowerCase().replace(/[\s\p{P}]/gu, "");
}

// The answer with the fallback's pages ({result, data}): those it has marked as holding the
// search as typed, those it lacked added and counted in its filters.
function withPages(answer, pages) {
  const literal = new Set(pages.map(({ result }) => result.id));
  const have = new Set(answer.results.map((result) => result.id));
  const added = pages.filter(({ result }) => !have.has(result.id));
  const count = (filters) => {
    const counts = JSON.parse(JSON.stringify(filters || {}));
    for (const { data } of added) {
      for (const [name, values] of Object.entries(data.filters || {})) {
        counts[name] = counts[name] || {};
        for (const value of values) {
          counts[name][value] = (counts[name][value] || 0) + 1;
        }
      }
    }
    return counts;
  };
  return {
    ...answer,
    results: [
      ...answer.results.map((result) => (literal.has(result.id) ? { ...result, literal: true } : result)),
      ...added.map(({ result, data }) => ({ ...result, literal: true, data: async () => data })),
    ],
    unfilteredResultCount: answer.unfilteredResultCount + added.length,
    filters: count(answer.filters),
    totalFilters: count(answer.totalFilters),
  };
}

// No results, but the filters' values still listed (count 0), so that every year is offered.
function nothingFrom(answer) {
  return {
    ...answer,
    results: [],
    unfilteredResultCount: 0,
    filters: zeroed(answer.filters),
    totalFilters: zeroed(answer.totalFilters),
  };
}

function zeroed(filters) {
  const result = {};
  for (const [name, values] of Object.entries(filters || {})) {
    result[name] = Object.fromEntries(Object.keys(values).map((value) => [value, 0]));
  }
  return result;
}

function mergeFilters(list) {
  const merged = {};
  for (const filters of list) {
    for (const [name, values] of Object.entries(filters || {})) {
      merged[name] = merged[name] || {};
      for (const [value, count] of Object.entries(values)) {
        merged[name][value] = (merged[name][value] || 0) + count;
      }
    }
  }
  return merged;
}
