// Language tags as players and browsers spell them: 'fra', 'fre', 'fr' and 'fr-FR' are one language to a viewer.
const TWO_LETTER = {
  ara: 'ar', chi: 'zh', zho: 'zh', dan: 'da', deu: 'de', ger: 'de', dut: 'nl', nld: 'nl', eng: 'en', fin: 'fi', fra: 'fr',
  fre: 'fr', hin: 'hi', ita: 'it', jpn: 'ja', kor: 'ko', nor: 'no', nob: 'nb', pol: 'pl', por: 'pt', rus: 'ru', spa: 'es',
  swe: 'sv', tur: 'tr', ukr: 'uk', ces: 'cs', cze: 'cs', ell: 'el', gre: 'el', heb: 'he', hun: 'hu', ron: 'ro', rum: 'ro',
};

/** The primary language of a tag, two letters where there are two: 'fra' -> 'fr', 'pt-BR' -> 'pt'. */
export function primary(tag) {
  const first = String(tag ?? '').toLowerCase().split(/[-_]/)[0];
  return TWO_LETTER[first] ?? first;
}

/** The English name of a language for a menu, or the tag itself. */
export function languageName(tag) {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(primary(tag)) ?? tag;
  } catch {
    return tag;
  }
}

/** Index of the viewer's most preferred language among `tags` (navigator.languages order); -1 when none is wanted. */
export function preferred(tags, languages = navigator.languages ?? [navigator.language]) {
  for (const wanted of languages) {
    const index = tags.findIndex((t) => primary(t) === primary(wanted));
    if (index >= 0) return index;
  }
  return -1;
}
