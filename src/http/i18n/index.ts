// Message catalogues and Accept-Language negotiation. Modules add their own keys with addMessages().
export type Messages = Record<string, string>;
export type Translator = (key: string, params?: Record<string, string | number>) => string;

const catalogues = new Map<string, Messages>();
export const DEFAULT_LANG = "en";

/** Adds (or overrides) messages of one language. English is the fallback for every key. */
export function addMessages(lang: string, messages: Messages): void {
  catalogues.set(lang, { ...catalogues.get(lang), ...messages });
}

export function languages(): string[] {
  return [...catalogues.keys()];
}

export function catalogue(lang: string): Messages {
  return catalogues.get(lang) ?? {};
}

export function translator(lang: string): Translator {
  const own = catalogues.get(lang);
  const fallback = catalogues.get(DEFAULT_LANG) ?? {};
  return (key, params) => {
    const template = own?.[key] ?? fallback[key] ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

/** RFC 9110 §12.5.4: the best available language for an Accept-Language header. */
export function negotiate(header: string | undefined, available: readonly string[] = languages()): string {
  if (!header) return DEFAULT_LANG;
  const wanted = header
    .split(",")
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: (tag ?? "").toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, i };
    })
    .filter((w) => w.tag && w.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.i - b.i);
  for (const { tag } of wanted) {
    if (tag === "*") return DEFAULT_LANG;
    const exact = available.find((l) => l.toLowerCase() === tag);
    if (exact) return exact;
    const primary = available.find((l) => l.toLowerCase() === tag.split("-")[0]);
    if (primary) return primary;
  }
  return DEFAULT_LANG;
}
